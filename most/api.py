"""What every API endpoint shares: the acting membership and one error format."""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from most.accounts.policy import membership_for
from most.lib.errors import ApplicationError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested too deeply for Python's decoder is a 400, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON document is nested too deeply.")) from None


def acting_member(request):
    """The membership an API call acts through: the X-Organisation header, or the first one."""
    member = membership_for(request.user, request.headers.get("X-Organisation"))
    if member is None:
        raise exceptions.PermissionDenied(_("You are not a member of that organisation."))
    return member


def query_text(request, name, max_length):
    """A text query parameter, cut to max_length; a NUL (PostgreSQL refuses it) is a 400."""
    value = request.query_params.get(name, "")
    if "\x00" in value:
        raise exceptions.ValidationError({name: [_("Null characters are not allowed.")]})
    return value[:max_length]


def exception_handler(exc, context):
    """Service errors and Django validation errors as JSON, never as a server error page."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                field: [str(m) for m in messages] for field, messages in exc.message_dict.items()
            }
        else:
            data = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    return drf_exception_handler(exc, context)


def not_found(request, exception):
    """Django's 404 (no route matches, e.g. /api/persons/abc/): JSON under /api/, else the page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def version_required_in_updates(result, generator, request, public):
    """Schema postprocessing: a PATCH body's `version` is required.

    drf-spectacular describes a PATCH body with no required field at all (every field of a
    partial update may be left out), but an update without the version it was read at is
    refused: without it, a concurrent edit would be overwritten unseen.
    """
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched") and "version" in schema.get("properties", {}):
            schema["required"] = sorted({*schema.get("required", []), "version"})
    return result
