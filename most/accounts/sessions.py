"""Database sessions that ignore a session cookie Django could never have issued.

Django reads the key from the cookie as sent, and a quoted cookie may hold octal escapes
(sessionid="abcdefgh\\000..."), so an anonymous visitor could put a NUL character into the session
query, which PostgreSQL refuses with an error: a server error on every page. Django issues keys of
lower-case letters and digits only; any other key is treated as no session at all.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_VALID = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= _VALID
