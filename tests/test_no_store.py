"""Nothing that may hold personal data is kept by a browser's or a proxy's cache."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def assert_not_stored(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "no-cache", "private"} <= directives, response.get("Cache-Control")


@pytest.mark.parametrize(
    "address",
    ["/app/persons/", "/app/persons/{person}/", "/app/persons/households/", "/app/audit/", "/"],
)
def test_pages_for_a_signed_in_user_are_not_stored(login, alice, person_a, address):
    response = login(alice).get(address.format(person=person_a.pk))
    assert response.status_code in (200, 404)  # 404: a page this role may not open
    assert_not_stored(response)


def test_the_csv_export_is_not_stored(login, alice, person_a):
    response = login(alice).get("/app/persons/export.csv")
    assert response.streaming
    assert_not_stored(response)


def test_api_answers_are_not_stored(alice, person_a):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=alice.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for address in ("/api/persons/", f"/api/persons/{person_a.pk}/", "/api/me/"):
        response = client.get(address)
        assert response.status_code == 200
        assert_not_stored(response)
    assert_not_stored(APIClient().get("/api/persons/"))  # a refusal too


def test_workspace_pages_are_not_stored_even_before_login(client, db):
    assert_not_stored(client.get("/app/login/"))
    assert_not_stored(client.get("/app/persons/"))  # the redirect to the login page


def test_public_pages_stay_cacheable(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_stay_cacheable_for_a_signed_in_user(alice, settings):
    settings.WHITENOISE_USE_FINDERS = True  # WhiteNoise serves from the sources, as in the demo
    client = Client()  # a new one: WhiteNoise reads its settings when it starts
    client.force_login(alice.user)
    response = client.get("/static/most/most.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
