"""The CSV export opens in Excel in any script; an invalid search finds nobody, never everybody."""

import pytest

from most.audit.models import AuditEntry

TOO_LONG = "Kovalenko" * 30  # past the search box's 200 characters
INVALID_SEARCHES = [
    {"q": TOO_LONG},
    {"q": "Olek\x00sandr"},
    {"q": "\x00"},
    {"status": "NO_SUCH_STATUS"},
    {"municipality": "L" * 101},
]


def test_the_export_starts_with_a_byte_order_mark_and_names_its_charset(login, alice, person_a):
    response = login(alice).get("/app/persons/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfid,given_name,")
    assert body.count(b"\xef\xbb\xbf") == 1
    assert "Олександр" in body.decode("utf-8-sig")


@pytest.mark.parametrize("search", INVALID_SEARCHES)
def test_an_invalid_search_exports_nothing_and_says_why(login, alice, person_a, search):
    before = AuditEntry.objects.count()
    response = login(alice).get("/app/persons/export.csv", search)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Nothing was exported, because the search is not valid.")
    assert "Kovalenko" not in text.replace(TOO_LONG, "")
    assert AuditEntry.objects.count() == before


def test_the_message_says_what_is_wrong(login, alice):
    response = login(alice).get("/app/persons/export.csv", {"q": TOO_LONG})
    assert "Search: Ensure this value has at most 200 characters (it has 270)." in (
        response.content.decode()
    )


@pytest.mark.parametrize("search", INVALID_SEARCHES)
@pytest.mark.parametrize("fragment", [False, True])
def test_an_invalid_search_lists_nobody_and_shows_the_error(
    login, alice, person_a, search, fragment
):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"} if fragment else {}
    response = login(alice).get("/app/persons/", search, **headers)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was searched, because the search is not valid." in page
    assert 'role="alert"' in page
    assert f"/app/persons/{person_a.pk}/" not in page and "export.csv" not in page


def test_a_valid_search_still_exports(login, alice, person_a):
    response = login(alice).get("/app/persons/export.csv", {"q": "Kovalenko"})
    assert response.status_code == 200
    assert "Олександр" in b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize(
    ("address", "name", "value"),
    [
        ("/api/persons/", "q", "x" * 201),
        ("/api/persons/", "municipality", "x" * 101),
        ("/api/persons/", "language", "x" * 6),
        ("/api/households/", "q", "x" * 201),
    ],
)
def test_the_api_refuses_a_search_text_too_long_instead_of_cutting_it(
    alice_api, person_a, address, name, value
):
    response = alice_api.get(address, {name: value})
    assert response.status_code == 400
    assert response.json()[name] == [
        f"Ensure this value has at most {len(value) - 1} characters (it has {len(value)})."
    ]
    assert alice_api.get(address, {name: value[:-1]}).status_code == 200
