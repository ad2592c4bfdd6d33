"""The product's own error pages, never Django's debug pages (which list every URL pattern)."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), path("", include("most.urls"))]


def test_a_server_error_shows_the_products_page_in_both_languages(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Prišlo je do napake" in html and "Something went wrong on our side" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def test_a_missing_page_is_the_products_page(client):
    response = client.get("/app/no-such-page/", HTTP_ACCEPT_LANGUAGE="sl")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Ni najdeno" in html and '<html lang="sl"' in html
    assert "URLconf" not in html


def test_a_missing_api_route_answers_json(client):
    response = client.get("/api/persons/abc/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_health_answers_from_the_database_and_is_never_cached(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
