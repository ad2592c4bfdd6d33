from .policy import memberships_of

SESSION_KEY = "organisation_id"


class ActiveMembershipMiddleware:
    """Sets request.member, the membership the user works through now, and request.memberships.

    The user's memberships (the organisation switcher lists them) come with the user from the
    login backend (backends.py); a user authenticated otherwise costs one query. The active one
    is the one chosen in the session, or the first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member, request.memberships = None, []
        if request.user.is_authenticated:
            request.memberships = getattr(request.user, "active_memberships", None)
            if request.memberships is None:
                request.memberships = list(memberships_of(request.user))
            chosen = request.session.get(SESSION_KEY)
            request.member = next(
                (m for m in request.memberships if m.organisation_id == chosen),
                request.memberships[0] if request.memberships else None,
            )
        return self.get_response(request)
