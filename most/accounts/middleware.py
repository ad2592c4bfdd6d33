from .policy import membership_for

SESSION_KEY = "organisation_id"


class ActiveMembershipMiddleware:
    """Sets request.member: the membership the logged-in user is working through right now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = None
        if request.user.is_authenticated:
            request.member = membership_for(request.user, request.session.get(SESSION_KEY))
            if request.member is None and SESSION_KEY in request.session:
                # The membership was ended since: fall back to the user's first one.
                del request.session[SESSION_KEY]
                request.member = membership_for(request.user)
        return self.get_response(request)
