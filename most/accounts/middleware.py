from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from .policy import default_membership, memberships_of, second_factor_step

SESSION_KEY = "organisation_id"


class ActiveMembershipMiddleware:
    """Sets request.member, the membership the user works through now, and request.memberships.

    The user's memberships (the organisation switcher lists them) come with the user from the
    login backend (backends.py); a user authenticated otherwise costs one query. The active one
    is the one chosen in the session, or the oldest.

    A user who still has to pass the second step of signing in (request.second_factor: enter a
    code, or set up a second factor first) works for no organisation until then: no page that
    needs a member opens (member_required sends them to that step), and the API does not take
    their session (authentication.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member, request.memberships = None, []
        request.second_factor = second_factor_step(request.user)
        if request.user.is_authenticated and request.second_factor is None:
            request.memberships = getattr(request.user, "active_memberships", None)
            if request.memberships is None:
                request.memberships = list(memberships_of(request.user))
            chosen = request.session.get(SESSION_KEY)
            request.member = next(
                (m for m in request.memberships if m.organisation_id == chosen),
                default_membership(request.memberships),
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Tells browsers and proxies to keep no copy of what may hold personal data.

    Every response to a signed-in user, and every response of the workspace (/app/) and the API
    (/api/), whoever asks: a shared computer's browser cache or a caching proxy would otherwise
    keep persons' records, exports and API answers after the user has logged out. Public pages,
    the public catalogue's API (/api/hsds/) and static files stay cacheable (WhiteNoise answers
    static files before this runs).
    """

    PRIVATE_PREFIXES = ("/app/", "/api/")
    PUBLIC_PREFIXES = ("/api/hsds/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        path = request.path_info
        private = path.startswith(self.PRIVATE_PREFIXES) and not path.startswith(
            self.PUBLIC_PREFIXES
        )
        if private or (user is not None and user.is_authenticated):
            # no-cache, no-store, must-revalidate, private, and an Expires in the past.
            add_never_cache_headers(response)
        return response


class StaffLanguageMiddleware:
    """The public pages speak every language of LANGUAGES; the rest of the site (the staff
    workspace, the API, the admin) only those whose catalogues are complete (STAFF_LANGUAGES).
    A visitor who chose Arabic on the public pages gets the first of the browser's languages
    the workspace speaks, else Slovenian, once they sign in."""

    PUBLIC = ("/services/", "/info/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path != "/" and not path.startswith(self.PUBLIC):
            language = translation.get_language()
            if language not in settings.STAFF_LANGUAGES:
                language = self.staff_language(request)
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)

    @staticmethod
    def staff_language(request):
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            base = code.split("-")[0].lower()
            if base in settings.STAFF_LANGUAGES:
                return base
        return settings.LANGUAGE_CODE
