"""Every page and API endpoint × every role × an object of the user's own or another organisation.

What each role may do comes from the one table in accounts/policy.py; this test states the
expected answer independently, so a change to the table that nobody meant shows up here.
"""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from most.accounts.models import Role
from most.people import services

ROLES = [r.value for r in Role]
READERS = {"admin", "coordinator", "caseworker", "counsellor", "mediator", "viewer"}
KEEPERS = {"admin", "coordinator", "caseworker", "counsellor"}
ADMINS = {"admin"}
TODAY = datetime.date.today().isoformat()


@pytest.fixture
def world(make_member, org_a, org_b, make_person):
    """An organisation of the user's own (A) and another (B), each with a family and consent."""
    keeper_a = make_member("caseworker", org_a)
    keeper_b = make_member("caseworker", org_b)
    objects = {}
    for scope, keeper in (("own", keeper_a), ("other", keeper_b)):
        person = make_person(keeper, given_name="Amra", family_name=f"Hodžić {scope}")
        household = services.household_create(member=keeper, name=f"Hodžić {scope}")
        services.household_add_member(
            member=keeper, household=household, person=person, relationship="head"
        )
        consent = services.consent_record(
            member=keeper,
            person=person,
            fields={
                "purpose": "registration",
                "given_on": datetime.date.today(),
                "evidence": "signed",
            },
        )
        objects[scope] = {
            "person": person.pk,
            "household": household.pk,
            "consent": consent.pk,
            "membership": keeper.pk,
        }
    return objects


# (name, who may do it, method, url, data, status when allowed). URLs name the object's ids.
WEB = [
    ("person list", READERS, "get", "/app/persons/", None, 200),
    ("person detail", READERS, "get", "/app/persons/{person}/", None, 200),
    ("person export", KEEPERS, "get", "/app/persons/export.csv", None, 200),
    ("person create form", KEEPERS, "get", "/app/persons/new/", None, 200),
    (
        "person create",
        KEEPERS,
        "post",
        "/app/persons/new/",
        {"given_name": "Emina", "family_name": "Alić", "sex": "F", "residence_status": "UNKNOWN"},
        302,
    ),
    ("person edit form", KEEPERS, "get", "/app/persons/{person}/edit/", None, 200),
    (
        "person edit",
        KEEPERS,
        "post",
        "/app/persons/{person}/edit/",
        {
            "given_name": "Amra",
            "family_name": "Hodžić",
            "sex": "F",
            "residence_status": "UNKNOWN",
            "version": 1,
        },
        302,
    ),
    (
        "consent add",
        KEEPERS,
        "post",
        "/app/persons/{person}/consents/",
        {"purpose": "sharing", "given_on": TODAY, "evidence": "signed"},
        302,
    ),
    ("consent withdraw", KEEPERS, "post", "/app/persons/consents/{consent}/withdraw/", {}, 302),
    ("household list", READERS, "get", "/app/persons/households/", None, 200),
    ("household detail", READERS, "get", "/app/persons/households/{household}/", None, 200),
    ("household create form", KEEPERS, "get", "/app/persons/households/new/", None, 200),
    ("household create", KEEPERS, "post", "/app/persons/households/new/", {"name": "Alić"}, 302),
    (
        "household edit",
        KEEPERS,
        "post",
        "/app/persons/households/{household}/",
        {"name": "Hodžić-Begić", "version": 1},
        302,
    ),
    (
        "household candidates",
        KEEPERS,
        "get",
        "/app/persons/households/{household}/candidates/?q=a",
        None,
        200,
    ),
    (
        "household member add",
        KEEPERS,
        "post",
        "/app/persons/households/{household}/members/",
        {"person": "{person}", "relationship": "child"},
        302,
    ),
    (
        "household member remove",
        KEEPERS,
        "post",
        "/app/persons/households/{household}/members/{person}/remove/",
        {},
        302,
    ),
    ("audit trail", ADMINS, "get", "/app/audit/", None, 200),
    ("members", ADMINS, "get", "/app/members/", None, 200),
    (
        "member add",
        ADMINS,
        "post",
        "/app/members/add/",
        {"email": "new@example.org", "full_name": "Nova", "role": "viewer"},
        200,
    ),
    ("member end", ADMINS, "post", "/app/members/{membership}/end/", {}, 302),
]

API = [
    ("api person list", READERS, "get", "/api/persons/", None, 200),
    (
        "api person create",
        KEEPERS,
        "post",
        "/api/persons/",
        {"given_name": "Emina", "family_name": "Alić"},
        201,
    ),
    ("api person detail", READERS, "get", "/api/persons/{person}/", None, 200),
    (
        "api person update",
        KEEPERS,
        "patch",
        "/api/persons/{person}/",
        {"address": "Vojkova 1", "version": 1},
        200,
    ),
    ("api consent list", READERS, "get", "/api/persons/{person}/consents/", None, 200),
    (
        "api consent add",
        KEEPERS,
        "post",
        "/api/persons/{person}/consents/",
        {"purpose": "sharing", "given_on": TODAY, "evidence": "signed"},
        201,
    ),
    ("api consent withdraw", KEEPERS, "post", "/api/consents/{consent}/withdraw/", {}, 200),
    ("api household list", READERS, "get", "/api/households/", None, 200),
    ("api household create", KEEPERS, "post", "/api/households/", {"name": "Alić"}, 201),
    ("api household detail", READERS, "get", "/api/households/{household}/", None, 200),
    (
        "api household update",
        KEEPERS,
        "patch",
        "/api/households/{household}/",
        {"name": "Hodžić-Begić", "version": 1},
        200,
    ),
    (
        "api household member add",
        KEEPERS,
        "post",
        "/api/households/{household}/members/",
        {"person": "{person}", "relationship": "child"},
        201,
    ),
    (
        "api household member remove",
        KEEPERS,
        "delete",
        "/api/households/{household}/members/{person}/",
        None,
        204,
    ),
    ("api organisations", set(ROLES), "get", "/api/organisations/", None, 200),
    ("api me", set(ROLES), "get", "/api/me/", None, 200),
]

NAMES_WITH_OBJECTS = {
    name
    for name, _w, _m, url, data, _s in WEB + API
    if "{" in url or any("{" in str(value) for value in (data or {}).values())
}


def fill(template, ids):
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    return template.format(**ids) if isinstance(template, str) else template


def cases(table):
    return list(_cases(table))


def _cases(table):
    for name, allowed, method, url, data, ok in table:
        for role in ROLES:
            scopes = ["own", "other"] if name in NAMES_WITH_OBJECTS else ["own"]
            for scope in scopes:
                yield pytest.param(
                    role, scope, allowed, method, url, data, ok, id=f"{name}-{role}-{scope}"
                )


@pytest.mark.parametrize(("role", "scope", "allowed", "method", "url", "data", "ok"), cases(WEB))
def test_pages(client, make_member, org_a, world, role, scope, allowed, method, url, data, ok):
    member = make_member(role, org_a)
    client.force_login(member.user)
    ids = world[scope]
    response = getattr(client, method)(fill(url, ids), fill(data, ids) or {})
    expected = ok if role in allowed and scope == "own" else 404
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "scope", "allowed", "method", "url", "data", "ok"), cases(API))
def test_api(client, make_member, org_a, world, role, scope, allowed, method, url, data, ok):
    member = make_member(role, org_a)
    token = Token.objects.create(user=member.user)
    ids = world[scope]
    response = getattr(client, method)(
        fill(url, ids),
        fill(data, ids),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    expected = ok if role in allowed and scope == "own" else 404
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role", sorted(READERS))
def test_lists_and_search_never_show_another_organisations_persons(
    client, make_member, org_a, world, role
):
    member = make_member(role, org_a)
    client.force_login(member.user)
    for url in ["/app/persons/", "/app/persons/?q=Hodzic", "/app/persons/households/?q=amra"]:
        page = client.get(url).content.decode()
        assert "Hodžić own" in page and "Hodžić other" not in page
    if role in KEEPERS:
        export = b"".join(client.get("/app/persons/export.csv").streaming_content).decode()
        assert "Hodžić own" in export and "Hodžić other" not in export
    token = Token.objects.create(user=member.user)
    data = client.get("/api/persons/?q=amra", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [p["family_name"] for p in data["results"]] == ["Hodžić own"]
