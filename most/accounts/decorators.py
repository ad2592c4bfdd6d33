from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from .policy import SecondFactor

SECOND_FACTOR_PAGES = {
    SecondFactor.VERIFY: "accounts:two_factor_verify",
    SecondFactor.ENROL: "accounts:two_factor",
}


def second_factor_url(step, next_url=None):
    """The page of the step the user still has to take, coming back to next_url after."""
    url = reverse(SECOND_FACTOR_PAGES[step])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def second_factor_redirect(request, step, next_url=None):
    if next_url is None and request.method == "GET":
        next_url = request.get_full_path()
    return redirect(second_factor_url(step, next_url))


def member_required(view):
    """Logged in, past the second step of signing in, and working for an organisation;
    otherwise the login page, the second step, or a clear notice."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.second_factor is not None:
            return second_factor_redirect(request, request.second_factor)
        if request.member is None:
            return render(request, "accounts/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def code_entered_required(view):
    """Logged in, and past the code step if the user has a second factor: for the pages of one's
    own second factor, which a user who must set one up reaches too, and which a password alone
    must not open (it would turn the second factor off)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.second_factor == SecondFactor.VERIFY:
            return second_factor_redirect(request, SecondFactor.VERIFY)
        return view(request, *args, **kwargs)

    return wrapper
