"""API token authentication that refuses a key DRF could never have issued, without looking it up.

DRF looks the key up as sent, so a NUL in the Authorization header reached PostgreSQL, which
refuses such a text with an error: a server error instead of a 401 (gunicorn drops such headers,
other servers may not). DRF issues keys of lower-case hexadecimal digits only, as Django issues
session keys of lower-case letters and digits (sessions.py); any other key is refused as one.
"""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

_VALID = frozenset("0123456789abcdef")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if not set(key) <= _VALID:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header. Token string should not contain invalid characters.")
            )
        return super().authenticate_credentials(key)
