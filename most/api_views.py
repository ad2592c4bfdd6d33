"""The base of every API endpoint that acts for one organisation.

Apart from most.api (parsers, errors, pagination), which DRF's settings import while its own
views module is loading: importing APIView there would be circular.
"""

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from most.accounts.policy import membership_for


def acting_member(request):
    """The membership an API call acts through.

    The organisation named in the X-Organisation header; for a browser signed in to the
    workspace, the one chosen in its organisation switcher; otherwise the user's first
    membership (the oldest, so that being added to another organisation changes nothing).
    """
    header = request.headers.get("X-Organisation")
    if header is not None:
        member = membership_for(request.user, header)
    elif isinstance(request.successful_authenticator, SessionAuthentication):
        member = getattr(request._request, "member", None)
    else:
        member = membership_for(request.user)
    if member is None:
        raise exceptions.PermissionDenied(_("You are not a member of that organisation."))
    return member


X_ORGANISATION = OpenApiParameter(
    "X-Organisation",
    int,
    OpenApiParameter.HEADER,
    required=False,
    description="The organisation (its id) you act for; by default the one chosen in the "
    "workspace (signed-in browser) or your first membership (token).",
)


class MemberSchema(AutoSchema):
    """Every operation of a MemberApiView takes the X-Organisation header."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), X_ORGANISATION]


class MemberApiView(APIView):
    """An endpoint that acts for one organisation: self.member (see acting_member), set before
    the handler runs, after authentication, permissions and throttling."""

    schema = MemberSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.member = acting_member(request)
