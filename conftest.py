"""Shared fixtures: organisations, members in every role, and persons made through the services.

Personas, as in every view test: `alice` is a counsellor in organisation A, `bob` a read-only
viewer in A, `charlie` a case worker in organisation B.
"""

import datetime
import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "en"
    # Tests of what a role may do sign in as each role with the password alone; the tests of
    # two-factor sign-in (accounts/tests/test_two_factor.py) turn the requirement back on.
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    settings.ERASURE_LEDGER = tmp_path / "erasures.log"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture
def make_org(db):
    from most.accounts.models import Organisation, OrganisationType

    def make(name="Društvo Vez", kind=OrganisationType.NGO):
        return Organisation.objects.create(name=name, type=kind, municipality="Ljubljana")

    return make


@pytest.fixture
def org_a(make_org):
    return make_org("Društvo Vez")


@pytest.fixture
def org_b(make_org):
    return make_org("Zavod Odprta vrata")


@pytest.fixture
def make_member(db):
    """make_member(role, organisation) → Membership of a new user."""
    from most.accounts.models import Membership, User

    counter = {"n": 0}

    def make(role, organisation, email=None, password="correct horse battery"):  # noqa: S107
        counter["n"] += 1
        user = User.objects.create_user(
            email=email or f"{role}{counter['n']}@example.org",
            password=password,
            full_name=f"{role.title()} {counter['n']}",
        )
        return Membership.objects.create(user=user, organisation=organisation, role=role)

    return make


@pytest.fixture
def alice(make_member, org_a):
    return make_member("counsellor", org_a, email="alice@example.org")


@pytest.fixture
def bob(make_member, org_a):
    return make_member("viewer", org_a, email="bob@example.org")


@pytest.fixture
def charlie(make_member, org_b):
    return make_member("caseworker", org_b, email="charlie@example.org")


@pytest.fixture
def make_person(db):
    """make_person(member, **fields) → a Person registered through the service."""
    from most.people.services import person_register

    def make(member, aliases=(), languages=(), vulnerabilities=(), **fields):
        fields.setdefault("given_name", "Oleksandr")
        fields.setdefault("family_name", "Kovalenko")
        return person_register(
            member=member,
            fields=fields,
            aliases=aliases,
            languages=languages,
            vulnerabilities=vulnerabilities,
        )

    return make


@pytest.fixture
def person_a(make_person, alice):
    return make_person(
        alice,
        given_name="Олександр",
        family_name="Коваленко",
        birth_date=datetime.date(1984, 3, 12),
        country_of_origin="UA",
        phone="041 234 567",
        municipality="Ljubljana",
    )


@pytest.fixture
def person_b(make_person, charlie):
    return make_person(
        charlie, given_name="Fatima", family_name="Al-Hassan", country_of_origin="SY"
    )


@pytest.fixture
def login(client):
    """login(member) → the test client, logged in and working for that membership."""

    def do(member):
        client.force_login(member.user)
        session = client.session
        session["organisation_id"] = member.organisation_id
        session.save()
        return client

    return do


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks, monkeypatch):
    """run_jobs(): run the background jobs queued so far, as the worker would (batch mode).

    Jobs are queued when the request's transaction commits; tests never commit, so the request
    under test must run inside `queued()`, which runs the commit callbacks.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker closes connections that are not in autocommit, as a server does between
    # requests: here that is the test's own transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    class Jobs:
        queued = staticmethod(lambda: django_capture_on_commit_callbacks(execute=True))

        @staticmethod
        def run():
            call_command("worker", batch=True, verbosity=0)

    return Jobs()


@pytest.fixture
def api_as(db):
    """api_as(member) → an API client authenticated with the token of the member's user."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(member):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=member.user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def alice_api(api_as, alice):
    return api_as(alice)


def opened(entry):
    """An audit entry's sealed values as its organisation's reader sees them:
    {"object": ..., "changes": {field: [before, after]}}, {} when nothing is sealed, None once
    the key is destroyed."""
    from most.audit.sealing import open_entries

    if not entry.key_id:
        return {}
    return open_entries([entry])[entry.pk]
