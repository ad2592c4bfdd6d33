"""Failed logins slow further attempts down, per account and per address; nobody is locked out."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from most.audit.models import AuditEntry

PASSWORD = "correct horse battery"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


class Clock:
    def __init__(self):
        self.at = timezone.now()

    def now(self):
        return self.at

    def advance(self, seconds):
        self.at += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """The time attempts are made and recorded at: tests move it on instead of sleeping."""
    clock = Clock()
    monkeypatch.setattr("axes.handlers.proxy.now", clock.now)
    monkeypatch.setattr("django.utils.timezone.now", clock.now)  # auto_now_add of a new record
    return clock


def attempt(email, password, address=HOME, **headers):
    """One login attempt from a browser of its own (a logged-in client would be redirected)."""
    return Client().post(
        "/app/login/", {"username": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(email, times, address=HOME):
    for _ in range(times):
        assert attempt(email, "wrong password", address).status_code == 200


def waits(response):
    assert response.status_code == 429, response.status_code
    return int(response["Retry-After"])


def test_it_makes_the_next_attempt_wait_after_a_few_wrong_passwords(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT)
    response = attempt("alice@example.org", PASSWORD)
    assert waits(response) == 1
    page = response.content.decode()
    assert "Too many failed attempts" in page and "Wait 1 second, then try again." in page
    clock.advance(1)
    assert attempt("alice@example.org", PASSWORD).status_code == 302


def test_the_wait_grows_with_each_wrong_password_and_stops_at_a_minute(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT)
    seen = []
    for _ in range(9):
        seen.append(waits(attempt("alice@example.org", "wrong password")))
        clock.advance(seen[-1])
        fail("alice@example.org", 1)
    assert seen == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    response = attempt("alice@example.org", PASSWORD)
    assert waits(response) == 60 and "Wait 60 seconds, then try again." in response.content.decode()
    clock.advance(60)
    assert attempt("alice@example.org", PASSWORD).status_code == 302


def test_attempts_during_a_wait_are_refused_without_lengthening_it(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT)
    for _ in range(5):
        assert waits(attempt("alice@example.org", "wrong password")) == 1
        assert waits(attempt("alice@example.org", PASSWORD)) == 1
    failures = AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"]
    assert failures == settings.AXES_FAILURE_LIMIT
    clock.advance(1)
    assert attempt("alice@example.org", PASSWORD).status_code == 302


def test_another_address_does_not_escape_the_wait(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT, address=HOME)
    assert waits(attempt("alice@example.org", PASSWORD, address=ELSEWHERE)) == 1


def test_one_accounts_wrong_passwords_do_not_slow_another_account(alice, bob, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT)
    assert waits(attempt("alice@example.org", PASSWORD)) == 1
    assert attempt("bob@example.org", PASSWORD).status_code == 302


def test_one_password_tried_on_many_accounts_from_one_address_is_slowed(alice, clock, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    for n in range(10):
        fail(f"someone{n}@example.org", 1)
    # Every account has one failure only; the address has ten.
    assert waits(attempt("someone99@example.org", "Summer2024!")) == 1
    assert waits(attempt("alice@example.org", PASSWORD)) == 1
    assert attempt("alice@example.org", PASSWORD, address=ELSEWHERE).status_code == 302


def test_logging_into_ones_own_account_does_not_reset_the_address(alice, charlie, clock, settings):
    """A guesser with an account of their own cannot log into it to clear their address."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(5):
        fail(f"someone{n}@example.org", 1)
    assert attempt("charlie@example.org", PASSWORD).status_code == 302
    fail("someone5@example.org", 1)
    assert waits(attempt("someone6@example.org", "Summer2024!")) == 1


def test_a_correct_password_forgets_the_accounts_own_wrong_ones(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT - 1)
    assert attempt("alice@example.org", PASSWORD).status_code == 302
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT - 1)
    assert attempt("alice@example.org", PASSWORD).status_code == 302


def test_wrong_passwords_are_forgotten_after_the_cool_off_time(alice, clock, settings):
    fail("alice@example.org", settings.AXES_FAILURE_LIMIT)
    clock.advance(settings.AXES_COOLOFF_TIME.total_seconds() + 1)
    fail("alice@example.org", 1)
    assert attempt("alice@example.org", PASSWORD).status_code == 302


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(alice, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt("alice@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}


def test_behind_a_trusted_proxy_the_client_address_counts_and_is_audited(alice, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    # The client made up the first address; the proxy appended the one it saw.
    forwarded = {"HTTP_X_FORWARDED_FOR": f"192.0.2.1, {HOME}"}
    attempt("alice@example.org", "wrong", address=proxy, **forwarded)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [HOME]
    assert attempt("alice@example.org", PASSWORD, address=proxy, **forwarded).status_code == 302
    assert AuditEntry.objects.get(action="login").ip_address == HOME


def test_clients_behind_one_proxy_are_slowed_down_each_on_their_own(alice, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    proxy, guesser, colleague = (
        "10.0.0.5",
        {"HTTP_X_FORWARDED_FOR": HOME},
        {"HTTP_X_FORWARDED_FOR": ELSEWHERE},
    )
    for n in range(3):
        assert attempt(f"someone{n}@example.org", "x", address=proxy, **guesser).status_code == 200
    assert waits(attempt("alice@example.org", PASSWORD, address=proxy, **guesser)) == 1
    assert attempt("alice@example.org", PASSWORD, address=proxy, **colleague).status_code == 302
