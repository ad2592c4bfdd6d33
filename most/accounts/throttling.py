"""Failed logins slow down further attempts; they never lock an account out.

django-axes records every failed login (AccessAttempt rows, by e-mail, address and browser) and
asks this handler, before each attempt, whether it may go ahead. Failures are counted twice,
separately: per account (the e-mail, from any address, so a new address does not reset the
count) and per address (all accounts together, so one password sprayed over many accounts is
slowed down too; with a higher limit, as a whole office may sit behind one address). Once either
count reaches its limit, every further attempt waits: one second after the limit, doubling with
each further failure, never more than MAX_WAIT. A lock-out would let anybody who knows a
colleague's e-mail keep them out for as long as they liked; a wait of a minute at most costs a
guesser everything and the owner, who knows the password, almost nothing.

Attempts made during a wait are refused unseen (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is
off): a user who tries again too early does not lengthen their own wait.
"""

import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render

MAX_WAIT = timedelta(seconds=60)


def login_username(request, credentials):
    """The e-mail a login attempt was for, as django-axes counts failures (case-insensitive)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()


def wait_after(failures: int, limit: int) -> timedelta:
    """How long the next attempt waits after `failures` failures, when `limit` are free."""
    if failures < limit:
        return timedelta(0)
    # Capped before the power, so a long-running attack cannot overflow the timedelta.
    return min(timedelta(seconds=2 ** min(failures - limit, 16)), MAX_WAIT)


def _limits():
    return {
        "username": settings.AXES_FAILURE_LIMIT,
        "ip_address": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
    }


class SlowDownHandler(AxesDatabaseHandler):
    """django-axes' database handler, answering "wait" instead of "locked out"."""

    def login_wait(self, request, credentials=None) -> timedelta:
        """How much longer this attempt must wait (zero: it may go ahead)."""
        now = request.axes_attempt_time
        limits = _limits()
        wait = timedelta(0)
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        for parameter, rows in zip(parameters, attempts, strict=True):
            counted = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            if counted["failures"]:
                ready = counted["last"] + wait_after(counted["failures"], limits[parameter])
                wait = max(wait, ready - now)
        return wait

    def is_locked(self, request, credentials=None) -> bool:
        request.login_wait = self.login_wait(request, credentials)
        return request.login_wait > timedelta(0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a correct password, forget that account's failures only.

        axes would also forget every failure from the address, so a guesser with an account of
        their own could log into it now and then to keep the address's count low.
        """
        username = get_client_username(request, credentials)
        deleted, _rows = AccessAttempt.objects.filter(username=username).delete()
        return deleted


def lockout_response(request, original_response=None, credentials=None):
    """The page for an attempt that came too early: how long to wait (AXES_LOCKOUT_CALLABLE)."""
    wait = getattr(request, "login_wait", None) or MAX_WAIT
    seconds = max(1, math.ceil(wait.total_seconds()))
    response = render(request, "accounts/lockout.html", {"seconds": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
