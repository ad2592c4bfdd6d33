"""What every API endpoint shares: the acting membership and one error format."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, parsers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

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


def query_text(request, name, max_length):
    """A text query parameter. A NUL (PostgreSQL refuses it) or a text longer than max_length is
    a 400: a search cut short would find more than the one asked for."""
    value = request.query_params.get(name, "")
    if "\x00" in value:
        raise exceptions.ValidationError({name: [_("Null characters are not allowed.")]})
    try:
        MaxLengthValidator(max_length)(value)
    except ValidationError as error:
        raise exceptions.ValidationError({name: error.messages}) from None
    return value


def exception_handler(exc, context):
    """Service errors and Django validation errors as JSON, never as a server error page."""
    if isinstance(exc, RequestDataTooBig):
        # Raised when DRF reads the body (request.data); an answer, not a logged traceback.
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        message = _("The request body is too large: at most %(limit)s.") % {"limit": limit}
        return Response(
            {"detail": message, "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
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


ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "What went wrong, for people (`detail`, translated), and for programs "
        "(`code`, when the error has one: `not_found`, `conflict`, `too_large`, ...).",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "The fields that were refused, each with its messages (for the items of "
        "a list, an object of messages by position); `non_field_errors` for the whole body.",
        "additionalProperties": {
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
        },
    },
}


def _error(description, *schemas):
    refs = [{"$ref": f"#/components/schemas/{name}"} for name in schemas]
    schema = refs[0] if len(refs) == 1 else {"anyOf": refs}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _is_versioned_update(method, operation, schemas):
    """A change that names the version it read (a PATCH, a consent's withdrawal, an enrolment's
    move): a stale version is answered 409."""
    if method not in ("patch", "post", "put"):
        return False
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    name = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
    return "version" in schemas.get(name, {}).get("properties", {})


def error_responses(result, generator, request, public):
    """Schema postprocessing: the errors each operation can answer, in one format.

    drf-spectacular documents the successful answer only; clients (and the API fuzz test, which
    checks every answer against this document) need the refusals too.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_SCHEMAS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            queries = {p["name"] for p in parameters if p["in"] == "query"}
            has_body = "requestBody" in operation
            errors = {}
            if has_body or queries - {"page", "page_size"}:
                errors["400"] = _error(
                    "The body or a query parameter is not valid.", "ValidationError", "Error"
                )
            errors["401"] = _error("No token, or not a valid one.", "Error")
            errors["403"] = _error(
                "Not a member of the organisation named in X-Organisation, or not allowed.",
                "Error",
            )
            # What the acting organisation may not see or do is answered as if it did not exist.
            acting = any(p["name"] == "X-Organisation" for p in parameters)
            if acting or "page" in queries or any(p["in"] == "path" for p in parameters):
                errors["404"] = _error(
                    "No such object or page, or one the acting organisation may not see or "
                    "change (the same answer for both).",
                    "Error",
                )
            if _is_versioned_update(method, operation, schemas):
                errors["409"] = _error(
                    "Somebody changed the object since the version you read; nothing was saved.",
                    "Error",
                )
            declared = operation["responses"].get("409")
            if declared is not None and "content" not in declared:  # a refusal with its reason
                operation["responses"]["409"] = _error(declared["description"], "Error")
            if has_body:
                errors["413"] = _error("The body is larger than the server accepts.", "Error")
                errors["415"] = _error("The body is not JSON (Content-Type).", "Error")
            errors["429"] = _error("Too many requests; wait and try again.", "Error")
            for code, response in errors.items():
                operation["responses"].setdefault(code, response)
    return result
