"""How the API knows the caller: a token, or the browser's session (past its second step).

API token authentication refuses a key DRF could never have issued, without looking it up.

DRF looks the key up as sent, so a NUL in the Authorization header reached PostgreSQL, which
refuses such a text with an error: a server error instead of a 401 (gunicorn drops such headers,
other servers may not). DRF issues keys of lower-case hexadecimal digits only, as Django issues
session keys of lower-case letters and digits (sessions.py); any other key is refused as one.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .policy import second_factor_step

_VALID = frozenset("0123456789abcdef")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if not set(key) <= _VALID:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            )
        return super().authenticate_credentials(key)


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, once it has passed the second step of signing in.

    A password alone must not open through the API what it does not open in the workspace:
    a session still owing its code (or its first second factor) is not authenticated here, so
    the API answers 401. A token is unaffected: it is made on a page that needs the code.
    """

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None and second_factor_step(authenticated[0]) is not None:
            return None
        return authenticated
