"""The errors services raise. Views show them in forms; the API maps them to JSON.

Messages are translated where they are raised; this module only carries them.
"""


class ApplicationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class NotFound(ApplicationError):
    """Missing and forbidden look the same, so nobody learns what another organisation holds."""

    status = 404
    code = "not_found"


class NotAllowed(ApplicationError):
    status = 403
    code = "not_allowed"


class Conflict(ApplicationError):
    """Somebody else saved the same record first; the second save is refused, not merged."""

    status = 409
    code = "conflict"
