"""API refusals: a body over the upload limit, and the errors the OpenAPI document declares."""

import json
import logging

import pytest

from .rows import row_counts


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("POST", "/api/persons/"),
        ("PATCH", "/api/persons/{person}/"),
        ("POST", "/api/households/"),
        ("POST", "/api/persons/{person}/consents/"),
    ],
)
def test_a_body_over_the_upload_limit_is_a_json_413_without_a_traceback(
    alice_api, person_a, settings, caplog, method, address
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"given_name": "A", "family_name": "B", "address": "x" * 20_000})
    before = row_counts()
    with caplog.at_level(logging.INFO):
        response = alice_api.generic(
            method, address.format(person=person_a.pk), body, content_type="application/json"
        )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "The request body is too large: at most 9.8\xa0KB.",
        "code": "too_large",
    }
    assert row_counts() == before
    assert not [record for record in caplog.records if record.exc_info], caplog.text


def test_the_limit_is_said_in_the_users_language(alice_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"name": "x" * 20_000})
    response = alice_api.post(
        "/api/households/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="sl"
    )
    assert response.status_code == 413 and "9,8" in response.json()["detail"]


@pytest.fixture
def document(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_declares_its_errors_in_one_format(document):
    schemas = document["components"]["schemas"]
    assert schemas["Error"]["required"] == ["detail"]
    assert set(schemas["Error"]["properties"]) == {"detail", "code"}
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert {"401", "403", "429"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
            body = responses["400"]["content"]["application/json"]["schema"]
            assert {ref["$ref"].rsplit("/", 1)[-1] for ref in body["anyOf"]} == {
                "Error",
                "ValidationError",
            }
        for code, response in responses.items():
            if code.startswith("4"):
                assert response["description"] and response["content"]["application/json"]


def test_only_versioned_updates_and_the_erasure_declare_a_conflict(document):
    conflicts = {
        f"{method.upper()} {path}"
        for path, method, operation in operations(document)
        if "409" in operation["responses"]
    }
    assert conflicts == {
        "PATCH /api/persons/{id}/",
        "PATCH /api/households/{id}/",
        "PATCH /api/programmes/{id}/",
        "POST /api/consents/{id}/withdraw/",
        "POST /api/enrolments/{id}/move/",
        "POST /api/persons/{id}/erasure/",  # refused under a legal hold, with the reason
        # Two answers to one referral at once, or one to a referral already answered.
        "POST /api/referrals/{id}/send/",
        "POST /api/referrals/{id}/transitions/",
    }


def test_search_parameters_declare_their_lengths(document):
    parameters = {p["name"]: p for p in document["paths"]["/api/persons/"]["get"]["parameters"]}
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert parameters["municipality"]["schema"]["maxLength"] == 100
    assert "400" in document["paths"]["/api/persons/"]["get"]["responses"]
    assert "400" not in document["paths"]["/api/organisations/"]["get"]["responses"]
