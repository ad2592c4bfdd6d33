"""No input to the API gives a server error, and a refused request saves nothing.

Two layers:

* Schemathesis reads the app's own OpenAPI document (/api/schema/, fetched in-process through
  WSGI, no network) and, for every operation, lets Hypothesis generate requests that follow the
  document (positive) and requests that break it (negative). Every request is authenticated with
  the DRF token of a counsellor whose organisation holds persons, a household and a consent; the
  ids in the URL are often those real ids so the requests reach the services, not only the 404.
* Hand-written malformed requests: broken JSON, wrong content types, huge strings, nulls,
  arrays for objects, impossible dates and years, unknown fields, odd ids and headers.

Each generated request runs inside a savepoint that is rolled back, so examples don't see each
other's data, and the whole test runs in pytest-django's test transaction (the `db` fixture).
"""

import datetime
import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from most.people.models import HouseholdMember, Person
from most.wsgi import application

from .rows import row_counts

# Loaded once, at collection: generating the document needs no database, but the view's
# throttle counts in the (database) cache, so it counts in memory here.
with override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
):
    SCHEMA = schemathesis.openapi.from_wsgi(
        "/api/schema/", application, headers={"Accept": "application/vnd.oai.openapi+json"}
    )
OPERATIONS = sorted(
    result.ok().label for result in SCHEMA.get_all_operations() if result.ok() is not None
)
# Operations with something to break: a parameter or a body (GET /api/me/ has neither).
BREAKABLE = [
    label
    for label in OPERATIONS
    if {"parameters", "requestBody"}
    & set(SCHEMA.raw_schema["paths"][label.split(" ")[1]][label.split(" ")[0].lower()])
]


@pytest.fixture
def in_process_wsgi():
    """Let requests through the real WSGI handler share the test's connection and transaction.

    Django's WSGI handler closes "old" connections when a request starts and finishes; inside the
    test transaction that would mark it broken. Django's own test client disconnects the same
    handlers; the schemathesis WSGI transport does not.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()  # the API throttle counts requests in the cache
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(alice, charlie, make_person, person_a, person_b):
    """A counsellor's organisation with persons, a household with members and a consent."""
    from most.people import services

    child = make_person(
        alice,
        given_name="Марія",
        family_name="Коваленко",
        birth_year=2015,
        aliases=["Mariia Kovalenko"],
        languages=["uk"],
        vulnerabilities=["RCD.DISABILITY"],
    )
    household = services.household_create(member=alice, name="Kovalenko", municipality="Koper")
    services.household_add_member(
        member=alice, household=household, person=person_a, relationship="head"
    )
    services.household_add_member(
        member=alice, household=household, person=child, relationship="child"
    )
    consent = services.consent_record(
        member=alice,
        person=person_a,
        fields={
            "purpose": "sharing",
            "given_on": datetime.date(2024, 1, 15),
            "evidence": "signed",
            "scope": "Referrals",
        },
    )
    other_household = services.household_create(member=charlie, name="Al-Hassan")
    token, _created = Token.objects.get_or_create(user=alice.user)
    return {
        "token": token.key,
        "organisations": [alice.organisation_id, charlie.organisation_id],
        "id": {
            "persons": [person_a.pk, child.pk, person_b.pk],
            "households": [household.pk, other_household.pk],
            "consents": [consent.pk],
        },
    }


def _real_ids(label, world):
    """The ids that make sense in this operation's URL, so requests reach the services."""
    ids = world["id"]
    if "/consents/{id}/" in label:
        return {"id": ids["consents"]}
    if "/households/{id}/members/{person_pk}/" in label:
        return {"id": ids["households"], "person_pk": ids["persons"]}
    if "/households/" in label:
        return {"id": ids["households"]}
    if "/organisations/" in label:
        return {"id": world["organisations"]}
    return {"id": ids["persons"]}


def _aim_at_real_data(case, data, world, real_ids):
    """Mostly swap generated ids for real ones, so requests get past the 404s and 409s."""

    def real(name):
        return data.draw(st.sampled_from([True, True, True, False]), label=f"real {name}")

    for name in case.path_parameters or {}:
        if name in real_ids and real(name):
            case.path_parameters[name] = data.draw(st.sampled_from(real_ids[name]), label=name)
    if case.headers and "X-Organisation" in case.headers and real("X-Organisation"):
        own = str(world["organisations"][0])
        case.headers["X-Organisation"] = data.draw(st.sampled_from([own, None]), label="acting")
        if case.headers["X-Organisation"] is None:
            del case.headers["X-Organisation"]
    if case.query and "page" in case.query and real("page"):
        del case.query["page"]
    if isinstance(case.body, dict):
        if "person" in case.body and real("person"):
            case.body["person"] = data.draw(st.sampled_from(world["id"]["persons"]))
        # The document calls `version` optional in a PATCH; the API requires it (400 without).
        if case.method == "PATCH" and real("version"):
            case.body["version"] = 1  # every example starts from the fixtures' first version


def _fuzz(label, mode, world, app, max_examples):
    operation = SCHEMA.find_operation_by_label(label)
    strategy = operation.as_strategy(generation_mode=mode)
    real_ids = _real_ids(label, world)
    checks = [not_a_server_error]
    if mode == schemathesis.GenerationMode.POSITIVE:
        checks.append(response_schema_conformance)

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        _aim_at_real_data(case, data, world, real_ids)
        with transaction.atomic():
            before = row_counts()
            response = case.call(app=app, headers={"Authorization": f"Token {world['token']}"})
            case.validate_response(response, checks=checks)
            if response.status_code >= 400:
                assert row_counts() == before, f"{response.status_code} but rows changed"
            transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("label", OPERATIONS)
def test_documented_requests_never_give_a_server_error(label, world, in_process_wsgi):
    _fuzz(label, schemathesis.GenerationMode.POSITIVE, world, in_process_wsgi, 40)


@pytest.mark.parametrize("label", BREAKABLE)
def test_undocumented_requests_never_give_a_server_error(label, world, in_process_wsgi):
    _fuzz(label, schemathesis.GenerationMode.NEGATIVE, world, in_process_wsgi, 30)


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 16
    assert "POST /api/persons/" in OPERATIONS and "PATCH /api/households/{id}/" in OPERATIONS


# Regression: the document described the lists as plain arrays, but they are pages.
@pytest.mark.parametrize("path", ["/api/persons/", "/api/households/", "/api/organisations/"])
def test_the_document_describes_the_lists_as_pages(path):
    get = SCHEMA.raw_schema["paths"][path]["get"]
    schema = get["responses"]["200"]["content"]["application/json"]["schema"]
    page = SCHEMA.raw_schema["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert {"page", "page_size"} <= {parameter["name"] for parameter in get["parameters"]}


# --- Hand-written malformed requests ------------------------------------------------------

# name: (method, address, a valid payload). {person}, {household}, {consent} are the world's.
ENDPOINTS = {
    "person create": ("post", "/api/persons/", {"given_name": "Amra", "family_name": "Hodžić"}),
    "person update": ("patch", "/api/persons/{person}/", {"version": 1, "municipality": "Koper"}),
    "household create": ("post", "/api/households/", {"name": "Hodžić"}),
    "household update": ("patch", "/api/households/{household}/", {"version": 1, "name": "K"}),
    "household member": (
        "post",
        "/api/households/{household}/members/",
        {"person": "{person}", "relationship": "spouse"},
    ),
    "consent create": (
        "post",
        "/api/persons/{person}/consents/",
        {"purpose": "contact", "given_on": "2024-03-01", "evidence": "verbal"},
    ),
    "consent withdraw": ("post", "/api/consents/{consent}/withdraw/", {"note": "By phone."}),
}
TEXT_FIELDS = {
    "person create": [
        "given_name",
        "family_name",
        "given_name_latin",
        "family_name_latin",
        "municipality",
        "address",
        "phone",
        "email",
    ],
    "person update": ["given_name", "municipality", "address", "phone", "email"],
    "household create": ["name", "municipality", "address"],
    "household update": ["name", "municipality", "address"],
    "consent create": ["scope", "evidence_reference"],
    "consent withdraw": ["note"],
}
DATE_FIELDS = {
    "person create": ["birth_date", "residence_valid_from", "residence_valid_until"],
    "person update": ["birth_date", "residence_valid_from", "residence_valid_until"],
    "consent create": ["given_on", "expires_on"],
    "consent withdraw": ["withdrawn_on"],
}
ALL_FIELDS = {
    "person create": [*TEXT_FIELDS["person create"], *DATE_FIELDS["person create"], "birth_year"]
    + ["sex", "country_of_origin", "citizenship", "residence_status", "slovenian_level"]
    + ["preferred_language", "interpreter_needed", "aliases", "languages", "vulnerabilities"],
    "household create": ["name", "municipality", "address"],
    "household member": ["person", "relationship"],
    "consent create": ["purpose", "scope", "given_on", "expires_on", "evidence"]
    + ["evidence_reference"],
    "consent withdraw": ["withdrawn_on", "note"],
}
ALL_FIELDS["person update"] = [*ALL_FIELDS["person create"], "version"]
ALL_FIELDS["household update"] = [*ALL_FIELDS["household create"], "version"]


@pytest.fixture
def api(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['token']}")
    cache.clear()
    return client


def _ids(world):
    return {
        "person": world["id"]["persons"][0],
        "household": world["id"]["households"][0],
        "consent": world["id"]["consents"][0],
    }


def _request(api, world, endpoint, payload=None, *, raw=None, content_type=None, **headers):
    """Send one request to an endpoint; a str payload value "{person}" becomes the real id."""
    method, address, valid = ENDPOINTS[endpoint]
    ids = _ids(world)
    if payload is None:
        payload = valid
    if isinstance(payload, dict):
        payload = {
            key: ids[value[1:-1]] if value in ("{person}", "{household}", "{consent}") else value
            for key, value in payload.items()
        }
    body = raw if raw is not None else json.dumps(payload)
    return api.generic(
        method.upper(),
        address.format(**ids),
        body,
        content_type=content_type or "application/json",
        **headers,
    )


def _messages(data):
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [m for value in data.values() for m in _messages(value)]
    if isinstance(data, list):
        return [m for value in data for m in _messages(value)]
    return []


def assert_refused(response, *statuses):
    """A 4xx of the expected kind, as JSON that says what was wrong."""
    assert response.status_code in (statuses or range(400, 500)), (
        response.status_code,
        response.content[:500],
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data = response.json()
    assert isinstance(data, dict) and data, data
    assert any(message.strip() for message in _messages(data)), data


def refused_saving_nothing(api, world, endpoint, payload=None, statuses=(400,), **kwargs):
    """Send the request; it must get one of `statuses` with a JSON message, and save nothing."""
    before = row_counts()
    response = _request(api, world, endpoint, payload, **kwargs)
    try:
        assert_refused(response, *statuses)
        assert row_counts() == before, "a refused request changed the database"
    except AssertionError as error:
        sent = kwargs.get("raw", payload)
        raise AssertionError(f"{endpoint} with {str(sent)[:200]!r} {kwargs}: {error}") from None
    return response


def test_the_valid_payloads_are_accepted(api, world):
    """Every refusal below is then down to the malformation, not to a wrong base payload."""
    for endpoint in ENDPOINTS:
        response = _request(api, world, endpoint)
        assert response.status_code in (200, 201), (endpoint, response.content)


RAW_BODIES = [
    "{not json",
    "{",
    "[",
    '{"given_name": }',
    "{'single': 'quotes'}",
    '{"given_name": NaN}',
    '{"a": 1} trailing',
    "null",
    "true",
    "42",
    '"text"',
    "[]",
    "[{}]",
    "[" * 100_000,  # deeper than Python's JSON decoder goes (was a 500)
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 50_000 + "1" + "}" * 50_000,
    '{"name": ' + "9" * 5_000 + "}",  # more digits than Python converts
    # Not UTF-8: a broken sequence, an overlong slash and a lone surrogate.
    b'{"given_name": "\xff\xfe\xc3", "name": "\xc0\xaf", "note": "\xed\xa0\x80"}',
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_malformed_json_is_refused_and_saves_nothing(api, world, endpoint):
    for raw in RAW_BODIES:
        refused_saving_nothing(api, world, endpoint, raw=raw)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_other_content_types_are_refused(api, world, endpoint):
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=xyz",
        "application/xml",
        "application/octet-stream",
        "json",
    ]:
        refused_saving_nothing(api, world, endpoint, statuses=(415,), content_type=content_type)


@pytest.mark.parametrize("endpoint", TEXT_FIELDS)
def test_10k_character_strings_are_refused(api, world, endpoint):
    valid = ENDPOINTS[endpoint][2]
    for field in TEXT_FIELDS[endpoint]:
        response = refused_saving_nothing(api, world, endpoint, {**valid, field: "ж" * 10_000})
        assert field in response.json()
    if endpoint.startswith("person"):
        payload = {**valid, "aliases": ["Mariia", "x" * 10_000]}
        assert "aliases" in refused_saving_nothing(api, world, endpoint, payload).json()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nulls_are_refused_or_saved_whole(api, world, endpoint):
    refused_saving_nothing(api, world, endpoint, dict.fromkeys(ALL_FIELDS[endpoint]))
    for field in ALL_FIELDS[endpoint]:
        with transaction.atomic():  # each field against the same starting point
            before = row_counts()
            response = _request(api, world, endpoint, {**ENDPOINTS[endpoint][2], field: None})
            if response.status_code >= 400:  # a field that may not be empty
                assert_refused(response, 400)
                assert field in response.json()
                assert row_counts() == before, field
            else:  # a field that may be empty, e.g. the date of birth
                assert response.status_code in (200, 201), (field, response.content)
            transaction.set_rollback(True)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_arrays_instead_of_an_object_are_refused(api, world, endpoint):
    valid = ENDPOINTS[endpoint][2]
    for payload in ([valid], [list(valid.items())], json.dumps(valid), [[]]):
        refused_saving_nothing(api, world, endpoint, raw=json.dumps(payload))


def test_values_of_the_wrong_shape_are_refused(api, world):
    fields = [
        ("person create", "aliases"),
        ("person create", "languages"),
        ("person create", "vulnerabilities"),
        ("person create", "given_name"),
        ("person create", "birth_date"),
        ("person create", "interpreter_needed"),
        ("person create", "sex"),
        ("person update", "version"),
        ("household create", "name"),
        ("household member", "person"),
        ("household member", "relationship"),
        ("consent create", "given_on"),
        ("consent create", "purpose"),
        ("consent withdraw", "note"),
    ]
    for endpoint, field in fields:
        for value in ({"nested": "object"}, [["deep"]], [None], [{"a": 1}], False):
            if field == "interpreter_needed" and value is False:
                value = "perhaps"  # False is a valid answer there
            payload = {**ENDPOINTS[endpoint][2], field: value}
            response = refused_saving_nothing(api, world, endpoint, payload)
            assert field in response.json(), (endpoint, field, value)


def test_ids_that_are_not_ids_are_not_found(api, world):
    household = world["id"]["households"][0]
    addresses = [
        "/api/persons/abc/",
        "/api/persons/-1/",
        "/api/persons/1.5/",
        "/api/persons/%20/",
        "/api/persons/1e3/",
        "/api/persons/%D9%A3/",  # an Arabic-Indic digit three
        "/api/persons/%00/",
        "/api/persons/99999999999999999999999/",
        "/api/persons/9223372036854775808/consents/",
        "/api/households/abc/",
        "/api/households/99999999999999999999999/members/",
        f"/api/households/{household}/members/abc/",
        f"/api/households/{household}/members/99999999999999999999999/",
        "/api/consents/abc/withdraw/",
        "/api/consents/99999999999999999999999/withdraw/",
        "/api/organisations/abc/",
        "/api/organisations/99999999999999999999999/",
        "/api/no-such-thing/",
    ]
    before = row_counts()
    for address in addresses:
        for method in ("get", "post", "patch", "delete"):
            response = getattr(api, method)(address, {"version": 1}, format="json")
            # 405: a real address without that method.
            expected = 405 if response.status_code == 405 else 404
            try:
                assert_refused(response, expected)
            except AssertionError as error:
                raise AssertionError(f"{method.upper()} {address}: {error}") from None
    assert row_counts() == before


def test_unknown_fields_are_ignored_never_saved(api, world, org_b):
    """DRF leaves out what a serializer does not declare: no field can be smuggled in."""
    payload = {
        "given_name": "Amra",
        "family_name": "Hodžić",
        "id": 99_999,
        "organisation": org_b.pk,
        "version": 42,
        "sort_name": "aaaa",
        "phone_digits": "123",
        "created_by": None,
        "household": world["id"]["households"][0],
        "unheard_of": {"x": [1, 2]},
    }
    response = api.post("/api/persons/", payload, format="json")
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert person.pk != 99_999 and person.organisation_id != org_b.pk
    assert (person.version, person.sort_name, person.phone_digits) == (1, "hodzic amra", "")
    assert not HouseholdMember.objects.filter(person=person).exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_nothing_but_unknown_fields_is_refused(api, world, endpoint):
    payload = {"unheard_of": 1, "organisation": 2}
    if endpoint == "consent withdraw":  # every field is optional: a plain withdrawal
        assert _request(api, world, endpoint, payload).status_code == 200
    else:
        refused_saving_nothing(api, world, endpoint, payload)


IMPOSSIBLE_DAYS = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01"] + [
    "99999-01-01",
    "24-02-2024",
    "2024/02/03",
    "yesterday",
    "",
    "2024-02-03T25:00:00",
    20240203,
]


@pytest.mark.parametrize("endpoint", DATE_FIELDS)
def test_impossible_dates_are_refused(api, world, endpoint):
    for field in DATE_FIELDS[endpoint]:
        for day in IMPOSSIBLE_DAYS:
            payload = {**ENDPOINTS[endpoint][2], field: day}
            assert field in refused_saving_nothing(api, world, endpoint, payload).json()


def test_impossible_years_are_refused(api, world):
    for endpoint in ("person create", "person update"):
        for year in (99999, 32768, 2**63, 10**30, -1, 0, 1899, 2999, 1.5, "1e3", "nineteen", [1]):
            # Without a date of birth, so the year stands alone (with one, a 0 means "unknown").
            payload = {**ENDPOINTS[endpoint][2], "birth_date": None, "birth_year": year}
            assert "birth_year" in refused_saving_nothing(api, world, endpoint, payload).json()


def test_impossible_versions_and_member_ids_are_refused(api, world):
    for endpoint in ("person update", "household update"):
        for version in (0, -1, 2**63, 10**30, "x", 1.5, 2):
            payload = {**ENDPOINTS[endpoint][2], "version": version}
            refused_saving_nothing(api, world, endpoint, payload, statuses=(400, 409))
    for person in (0, -1, 2**63, 10**30, "abc", 1.5):
        payload = {"person": person, "relationship": "child"}
        refused_saving_nothing(api, world, "household member", payload, statuses=(400, 404))


# Regression: a huge X-Organisation overflowed SQLite's integers (a 500).
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_impossible_organisation_header_is_refused(api, world, endpoint):
    for acting in ("99999999999999999999999", "9223372036854775808", "-1", "0", "abc", "1.5"):
        refused_saving_nothing(api, world, endpoint, statuses=(403,), HTTP_X_ORGANISATION=acting)
        assert api.get("/api/persons/", HTTP_X_ORGANISATION=acting).status_code == 403


# Regression: a NUL in a search filter reached PostgreSQL, which refuses it (a 500).
def test_a_nul_in_a_search_is_refused(api, world):
    for query in ("q=%00", "q=Olek%00sandr", "status=%00", "municipality=Lj%00", "language=u%00k"):
        response = api.get(f"/api/persons/?{query}")
        assert_refused(response, 400)
        assert query.split("=")[0] in response.json()
    assert_refused(api.get("/api/households/?q=Kov%00alenko"), 400)


def test_odd_searches_never_give_a_server_error(api, world):
    queries = [
        "q=%F0%9F%98%80%E2%80%AE%D9%85%D8%AD%D9%85%D8%AF",  # emoji, RTL override, Arabic
        "q=%01%02%1B%7F",
        "q=99999999999999999999999",
        "q=%2B386%2041%20234%20567",
        "q=30.02.2024",
        "q=9999-99-99",
        "status=NOPE",
        "page=abc",
        "page=0",
        "page=99999999999999999999999",
        "page_size=-5",
        "page_size=abc",
        "page_size=99999999999999999999999",
    ]
    for address in ("/api/persons/", "/api/households/", "/api/organisations/"):
        for query in queries:
            response = api.get(f"{address}?{query}")
            if response.status_code != 200:
                assert_refused(response, 404)  # a page that does not exist


# Regression: a search longer than its limit was cut short, so it could find more than asked.
def test_a_search_longer_than_its_limit_is_refused_not_cut(api, world):
    for address, query in [
        ("/api/persons/", "q=" + "Олександр" * 2_000),
        ("/api/persons/", "language=" + "x" * 1000),
        ("/api/persons/", "municipality=" + "x" * 1000),
        ("/api/households/", "q=" + "x" * 201),
    ]:
        response = api.get(f"{address}?{query}")
        assert_refused(response, 400)
        assert query.split("=")[0] in response.json()


# Regression: a quoted session cookie may carry an octal escape (\000), so anybody could put a
# NUL into the session query, which PostgreSQL refuses: a 500 on every page.
def test_a_forged_session_cookie_is_no_session(client, api, world):
    for cookie in ('"abcdefgh\\000ijklmnop"', "abcdefgh\x01ijklmnop", "ab", '"\\000"'):
        header = {"HTTP_COOKIE": f"sessionid={cookie}"}
        assert client.get("/", **header).status_code == 200
        assert client.get("/app/persons/", **header).status_code == 302  # to the login page
        assert api.get("/api/persons/", **header).status_code == 200


# Regression: a NUL in the token reached PostgreSQL's token lookup (a 500 on any server that
# passes such a header on to Django). Any character no token has is refused alike.
def test_a_token_with_a_character_no_token_has_is_refused(world):
    client = APIClient()
    for token in (
        f"{world['token'][:20]}\x00{world['token'][20:]}",
        "\x00",
        f"{world['token']}\x00",
        world["token"].upper(),
        f"{world['token'][:39]}*",
    ):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="sl")
        response = client.get("/api/persons/")
        assert_refused(response, 401)
        assert "nedovoljene znake" in response.json()["detail"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['token']}")
    assert client.get("/api/persons/").status_code == 200


def test_pages_that_do_not_exist_outside_the_api_stay_pages(login, alice):
    response = login(alice).get("/app/persons/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
