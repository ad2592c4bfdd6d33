"""Importing HSDS datasets: the specification's example round-trips through the API, a bad
dataset changes nothing and names every bad row, and what the API gives can be imported back."""

import csv
import io
import json
import zipfile

import pytest

from most.directory import hsds_import
from most.directory.categories import TERMS
from most.directory.hsds_import import TABLES
from most.directory.models import Organization, Service, Taxonomy, TaxonomyTerm

from .conftest import CIVIC_CENTRE, EXAMPLES, example_package, load, service_document

pytestmark = pytest.mark.django_db

# Rows of the example that point only at records outside it: no document of the API can hold
# them (the attribute's and the metadata's record is not in the dataset; no endpoint serves
# table descriptions). They are imported all the same.
UNREACHABLE = {"attributes.csv", "metadata.csv", "meta_table_descriptions.csv"}


def catalogue_count():
    """Records beyond the network's own taxonomies, which every catalogue holds."""
    return sum(model.objects.count() for model in TABLES.values()) - SEEDED


SEEDED = sum(len(terms) for terms in TERMS.values()) + len(TERMS)


def every_object(client):
    """Every object any endpoint returns, by id (an object nested in several places once)."""
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if "id" in node:
                found.setdefault(node["id"], {}).update(
                    {k: v for k, v in node.items() if not isinstance(v, (dict, list))}
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for url in (
        "/api/hsds/services?full=true",
        "/api/hsds/organizations?full_service=true",
        "/api/hsds/service_at_locations?full=true",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomy_terms",
    ):
        walk(client.get(url).json()["contents"])
    return found


def same(text, value):
    try:
        return float(text) == float(value)
    except (TypeError, ValueError):
        return text == str(value)


def test_the_example_dataset_round_trips_through_the_api(client):
    files = example_package(**{"locations.csv": CIVIC_CENTRE})
    outcome = hsds_import.import_dataset("example.zip", _zip(files))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.counts["service"] == 1 and len(outcome.counts) == len(TABLES)
    objects = every_object(client)
    compared = 0
    for name, content in files.items():
        if not name.endswith(".csv") or name in UNREACHABLE:
            continue
        for row in csv.DictReader(io.StringIO(content.decode())):
            given = objects[row["id"]]
            for column, text in row.items():
                if text:
                    assert same(text, given.get(column)), (name, column, text, given.get(column))
                    compared += 1
    assert compared > 150


def test_the_unchanged_example_is_refused_for_its_coordinates_and_nothing_is_written():
    outcome = hsds_import.apply(hsds_import.read_package(example_package()))
    assert [(p.table, p.line) for p in outcome.problems] == [
        ("location", "line 2"),
        ("service_at_location", "line 2"),
        ("address", "line 2"),
    ]
    assert "latitude" in outcome.problems[0].reason
    assert "problems of its own" in outcome.problems[1].reason
    assert catalogue_count() == 0


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"dataset/{name}", content)
    return buffer.getvalue()


def test_every_bad_row_is_named_with_its_table_line_and_reason(catalogue):
    before = catalogue_count()
    name_before = Service.objects.get(name="Pravno svetovanje").name
    services = (EXAMPLES / "csv" / "services.csv").read_text().splitlines()
    header = services[0]
    good = services[1]
    bad_rows = [
        good.replace("ac148810-d857-441c-9679-408f346de14b", "12345", 1),  # line 3
        good.replace(",active,", ",open,", 1),  # line 4
        good.replace("email@example.com", "not-an-email", 1),  # line 5
        good.replace(",12,100,", ",80,18,", 1),  # line 6
        good.replace("2005-01-01", "1.1.2005", 1),  # line 7
    ]
    files = example_package(**{"locations.csv": CIVIC_CENTRE})
    files["services.csv"] = "\n".join([header, good, *bad_rows]).encode()
    files["phones.csv"] = files["phones.csv"].replace(b",100,voice,", b",ext. 100,voice,")
    outcome = hsds_import.apply(hsds_import.read_package(files))
    problems = {(p.table, p.line): p.reason for p in outcome.problems}
    assert set(problems) == {
        ("service", "line 3"),
        ("service", "line 4"),
        ("service", "line 5"),
        ("service", "line 6"),
        ("service", "line 7"),
        ("phone", "line 2"),
    }
    assert "id" in problems[("service", "line 3")]
    assert "status" in problems[("service", "line 4")]
    assert "email" in problems[("service", "line 5")]
    assert "minimum_age" in problems[("service", "line 6")]
    assert "assured_date" in problems[("service", "line 7")]
    assert "extension" in problems[("phone", "line 2")]
    assert catalogue_count() == before
    assert Service.objects.get(name="Pravno svetovanje").name == name_before


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.json", b"{not json", "JSON"),
        ("a.json", b"\xff\xfe\x00", "UTF-8"),
        ("a.json", b"[1, 2]", "Not a service"),
        ("a.zip", b"PK\x03\x04broken", "zip"),
        ("a.json", json.dumps({"id": "x", "name": "A", "status": "active"}).encode(), "UUID"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_reason(db, name, content, reason):
    outcome = hsds_import.import_dataset(name, content)
    assert not outcome.ok
    assert any(reason in str(p) for p in outcome.problems), [str(p) for p in outcome.problems]
    assert catalogue_count() == 0


def test_a_csv_table_with_an_unknown_column_or_a_long_row_is_refused(db):
    files = example_package(**{"locations.csv": CIVIC_CENTRE})
    files["programs.csv"] = files["programs.csv"].replace(b"description", b"descripton", 1)
    files["funding.csv"] += b"a,b,c,d,e\n"
    outcome = hsds_import.apply(hsds_import.read_package(files))
    reasons = {(p.table, p.line): p.reason for p in outcome.problems}
    assert "descripton" in reasons[("program", "line 1")]
    assert ("funding", "line 3") in reasons
    assert catalogue_count() == 0


def test_a_json_document_with_misspelt_or_mistyped_fields_names_its_place(db):
    document = service_document(40, "Svetovanje")
    document["nmae"] = "typo"
    document["phones"][0]["number"] = ["+386"]
    document["service_at_locations"][0]["location"]["addresses"][0].pop("city")
    outcome = hsds_import.apply(hsds_import.read_json(json.dumps(document).encode()))
    lines = {p.line: p.reason for p in outcome.problems}
    assert "nmae" in lines["$"]
    assert "number" in lines["$.phones[0]"]
    assert "city" in lines["$.service_at_locations[0].location.addresses[0]"]
    assert catalogue_count() == 0


def test_what_the_api_gives_imports_back_the_same(client, catalogue):
    seeded = [*Taxonomy.objects.filter(name__startswith="Most:")]
    seeded += TaxonomyTerm.objects.filter(taxonomy_detail__in=seeded)

    def everything():
        response = client.get("/api/hsds/services?format=ndjson&full=true")
        return b"".join(response.streaming_content)

    exported = everything()
    for model in reversed(list(TABLES.values())):
        model.objects.exclude(pk__in=[t.pk for t in seeded]).delete()
    outcome = hsds_import.import_dataset("services.ndjson", exported)
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert everything() == exported


def test_an_import_updates_records_it_already_holds(catalogue):
    document = catalogue["services"][2]
    document = {**document, "name": "Tečaj slovenščine A1"}
    load(document)
    assert Service.objects.filter(name="Tečaj slovenščine A1").count() == 1
    assert Service.objects.count() == 3


def test_an_organisation_another_member_keeps_is_theirs_to_change(org_a, org_b, catalogue):
    organization = Organization.objects.get(name="Društvo Pravna ambulanta")
    organization.owner = org_b
    organization.save()
    document = {**catalogue["services"][1], "name": "Prevzeta ambulanta"}
    outcome = hsds_import.apply(hsds_import.read_json(json.dumps(document).encode()), owner=org_a)
    assert [p.table for p in outcome.problems] == ["organization"]
    assert not Service.objects.filter(name="Prevzeta ambulanta").exists()
    # Their own member may; a new organisation becomes the importer's to keep.
    load(document, owner=org_b)
    assert Service.objects.filter(name="Prevzeta ambulanta").exists()
    load(service_document(41, "Nova storitev"), owner=org_a)
    assert Organization.objects.get(name="Društvo Nova storitev").owner == org_a


def test_the_command_imports_a_package_folder_or_names_every_problem(tmp_path, org_a, capsys):
    from django.core.management import CommandError, call_command

    for name, content in example_package().items():
        (tmp_path / name).write_bytes(content)
    with pytest.raises(CommandError, match="Nothing was imported: 3"):
        call_command("catalogue_import", str(tmp_path), owner=org_a.name)
    assert "location, line 2" in capsys.readouterr().err
    assert catalogue_count() == 0
    (tmp_path / "locations.csv").write_bytes(
        example_package(**{"locations.csv": CIVIC_CENTRE})["locations.csv"]
    )
    call_command("catalogue_import", str(tmp_path), owner=org_a.name)
    assert "service: 1" in capsys.readouterr().out
    assert Organization.objects.get().owner == org_a
