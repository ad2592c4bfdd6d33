from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def member_required(view):
    """Logged in and working for an organisation; otherwise the login page or a clear notice."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.member is None:
            return render(request, "accounts/no_membership.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
