import importlib.util
import json
import uuid
from pathlib import Path

import pytest

from most.directory import hsds_import

HSDS = Path(__file__).resolve().parents[3] / "tests" / "standards" / "hsds"
EXAMPLES = HSDS / "examples"


def _validator():
    spec = importlib.util.spec_from_file_location("hsds_validate", HSDS / "validate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hsds_validate = _validator()


def example_package(**replacements):
    """The specification's example dataset as {file name: bytes}, with text replaced per file."""
    files = {p.name: p.read_bytes() for p in (EXAMPLES / "csv").iterdir()}
    for name, (old, new) in replacements.items():
        assert old in files[name]
        files[name] = files[name].replace(old, new)
    return files


# The example places its civic centre at latitude 100, longitude 101, which Most refuses.
CIVIC_CENTRE = (b",100,101,", b",46.0569,14.5058,")


TOWNS = {"Ljubljana": (46.0569, 14.5058, "1000"), "Maribor": (46.5547, 15.6459, "2000")}


def ids(n):
    return [str(uuid.uuid5(uuid.NAMESPACE_URL, f"most-test-{n}-{i}")) for i in range(50)]


def service_document(n, name, *, organization=None, term=None, language="ar", city="Ljubljana"):
    """A full HSDS service: an organisation, a place with its address, opening hours, a language,
    a phone, a cost, a document to bring, a category."""
    i = iter(ids(n))
    latitude, longitude, postcode = TOWNS[city]
    organization = organization or {
        "id": next(i),
        "name": f"Društvo {name}",
        "description": "Nevladna organizacija.",
    }
    document = {
        "id": next(i),
        "name": name,
        "description": f"{name}: svetovanje in pomoč.",
        "status": "active",
        "email": "info@example.org",
        "minimum_age": 18,
        "assured_date": "2026-10-01",
        "last_modified": "2026-11-01T09:00:00Z",
        "organization": organization,
        "languages": [{"id": next(i), "name": "Arabic", "code": language}],
        "phones": [{"id": next(i), "number": "+386 1 234 56 78", "type": "voice"}],
        "cost_options": [{"id": next(i), "option": "Brezplačno", "amount": 0, "currency": "EUR"}],
        "required_documents": [{"id": next(i), "document": "Osebni dokument"}],
        "schedules": [
            {
                "id": next(i),
                "freq": "WEEKLY",
                "byday": "MO,WE",
                "opens_at": "09:00:00",
                "closes_at": "13:00:00",
            }
        ],
        "service_areas": [{"id": next(i), "name": city}],
        "service_at_locations": [
            {
                "id": next(i),
                "location": {
                    "id": next(i),
                    "location_type": "physical",
                    "name": f"{name}, {city}",
                    "latitude": latitude,
                    "longitude": longitude,
                    "addresses": [
                        {
                            "id": next(i),
                            "address_1": "Trubarjeva cesta 1",
                            "city": city,
                            "state_province": "Osrednjeslovenska",
                            "postal_code": postcode,
                            "country": "SI",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    if term:
        document["attributes"] = [{"id": next(i), "taxonomy_term": term}]
    return document


def load(*documents, owner=None):
    outcome = hsds_import.apply(
        hsds_import.read_json(json.dumps(list(documents)).encode()), owner=owner
    )
    assert outcome.ok, [str(p) for p in outcome.problems]
    return outcome


LEGAL_AID = {
    "id": "5b9a3a4e-3d0c-4c47-9a63-0c1c5a3f0001",
    "code": "legal-aid",
    "name": "Pravna pomoč",
    "description": "Brezplačna pravna pomoč.",
    "taxonomy_detail": {
        "id": "5b9a3a4e-3d0c-4c47-9a63-0c1c5a3f0000",
        "name": "Most",
        "description": "Vrste storitev v mreži.",
    },
}


@pytest.fixture
def catalogue(db):
    """Three services of two organisations; the first two give legal aid."""
    first = service_document(1, "Pravno svetovanje", term=LEGAL_AID)
    second = service_document(2, "Pravna ambulanta", term=LEGAL_AID, language="uk", city="Maribor")
    third = service_document(3, "Tečaj slovenščine", organization=first["organization"])
    load(first, second, third)
    return {"services": [first, second, third]}
