"""Importing an Open Referral HSDS 3.0 dataset: the JSON of the API, or the CSV tabular package
(`datapackage.json` and its CSV files, in a zip archive or a folder).

All or nothing: every row is read and checked first (types, the standard's enumerations,
required fields, links), every problem is reported with its table, line and reason, and only a
dataset without problems is written, in one transaction. A record already in the catalogue (the
same id) is updated; an organisation another network member keeps is left to them.
"""

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .hsds import HSDS_NAMES, hsds_fields
from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Metadata,
    MetaTableDescription,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .selectors import search_text

# The tables in the order they are written (a record before those that must point at it),
# by the names the tabular package gives them.
TABLES = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": Organization,
    "organization_identifier": OrganizationIdentifier,
    "program": Program,
    "service": Service,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "address": Address,
    "contact": Contact,
    "phone": Phone,
    "language": Language,
    "schedule": Schedule,
    "service_area": ServiceArea,
    "cost_option": CostOption,
    "required_document": RequiredDocument,
    "funding": Funding,
    "accessibility": Accessibility,
    "attribute": Attribute,
    "metadata": Metadata,
    "meta_table_description": MetaTableDescription,
}
TABLE_OF = {model: name for name, model in TABLES.items()}
# The standard's file names, for a package whose datapackage.json is missing.
FILES = {
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "organization": "organizations.csv",
    "organization_identifier": "organization_identifiers.csv",
    "program": "programs.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "address": "addresses.csv",
    "contact": "contacts.csv",
    "phone": "phones.csv",
    "language": "languages.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "cost_option": "cost_options.csv",
    "required_document": "required_documents.csv",
    "funding": "funding.csv",
    "accessibility": "accessibility.csv",
    "attribute": "attributes.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
}
# Links that must find their record (in the dataset or the catalogue); the others may point
# outside the dataset (directory.models).
REQUIRED_LINKS = {
    (OrganizationIdentifier, "organization_id"): Organization,
    (Program, "organization_id"): Organization,
    (Service, "organization_id"): Organization,
    (Service, "program_id"): Program,
    (ServiceAtLocation, "service_id"): Service,
    (ServiceAtLocation, "location_id"): Location,
    (Address, "location_id"): Location,
    (CostOption, "service_id"): Service,
    (Attribute, "taxonomy_term_id"): TaxonomyTerm,
}
# The standard's enumerations beyond the models' choices.
ENUMS = {
    (Schedule, "freq"): ("WEEKLY", "MONTHLY"),
    (Schedule, "wkst"): ("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
}
BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
NUMBERS = re.compile(r"^-?\d+$")
# The nested arrays of the JSON documents: (key, model, the link a child gets to its parent).
NESTED = {
    Organization: [
        ("funding", Funding, "organization_id"),
        ("contacts", Contact, "organization_id"),
        ("phones", Phone, "organization_id"),
        ("locations", Location, "organization_id"),
        ("programs", Program, "organization_id"),
        ("organization_identifiers", OrganizationIdentifier, "organization_id"),
        ("services", Service, "organization_id"),
    ],
    Service: [
        ("phones", Phone, "service_id"),
        ("schedules", Schedule, "service_id"),
        ("service_areas", ServiceArea, "service_id"),
        ("service_at_locations", ServiceAtLocation, "service_id"),
        ("languages", Language, "service_id"),
        ("funding", Funding, "service_id"),
        ("cost_options", CostOption, "service_id"),
        ("required_documents", RequiredDocument, "service_id"),
        ("contacts", Contact, "service_id"),
    ],
    ServiceAtLocation: [
        ("contacts", Contact, "service_at_location_id"),
        ("phones", Phone, "service_at_location_id"),
        ("schedules", Schedule, "service_at_location_id"),
    ],
    Location: [
        ("languages", Language, "location_id"),
        ("addresses", Address, "location_id"),
        ("contacts", Contact, "location_id"),
        ("accessibility", Accessibility, "location_id"),
        ("phones", Phone, "location_id"),
        ("schedules", Schedule, "location_id"),
    ],
    Contact: [("phones", Phone, "contact_id")],
    Phone: [("languages", Language, "phone_id")],
}
# Objects nested one to one: (key, model, the link the parent gets to the child).
NESTED_ONE = {
    Service: [
        ("organization", Organization, "organization_id"),
        ("program", Program, "program_id"),
    ],
    ServiceAtLocation: [("location", Location, "location_id"), ("service", Service, "service_id")],
    TaxonomyTerm: [("taxonomy_detail", Taxonomy, "taxonomy_detail_id")],
}
LIST_KEYS = {key for specs in NESTED.values() for key, _m, _l in specs}
ONE_KEYS = {key for specs in NESTED_ONE.values() for key, _m, _l in specs}
# The largest file read from a zip archive.
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class Problem:
    table: str
    line: str
    reason: str

    def __str__(self):
        return f"{self.table}, {self.line}: {self.reason}"


@dataclass
class Row:
    model: type
    line: str
    values: dict


@dataclass
class Dataset:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem(self, model_or_table, line, reason):
        table = TABLE_OF.get(model_or_table, model_or_table)
        self.problems.append(Problem(str(table), str(line), str(reason)))


@dataclass
class Outcome:
    counts: dict
    problems: list

    @property
    def ok(self):
        return not self.problems


# -- reading ----------------------------------------------------------------------------------


def read(name: str, content: bytes) -> Dataset:
    """A dataset from an uploaded file: .json, or a .zip of the tabular package."""
    if name.lower().endswith(".zip") or content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile:
            return _refused(name, _("The file is not a readable zip archive."))
        return read_package(_archive_files(archive))
    return read_json(content)


def _refused(name, reason):
    dataset = Dataset()
    dataset.problem(name, "-", reason)
    return dataset


def _archive_files(archive):
    files = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.file_size > MAX_BYTES:
            files[Path(info.filename).name] = None
            continue
        files[Path(info.filename).name] = archive.read(info)
    return files


def read_folder(folder: Path) -> Dataset:
    return read_package({p.name: p.read_bytes() for p in Path(folder).iterdir() if p.is_file()})


def read_package(files: dict) -> Dataset:
    """The CSV tables named by datapackage.json (or by the standard's file names)."""
    dataset = Dataset()
    paths = dict(FILES)
    if files.get("datapackage.json"):
        try:
            descriptor = json.loads(files["datapackage.json"])
            for resource in descriptor.get("resources", []):
                if resource.get("name") in TABLES and resource.get("path"):
                    paths[resource["name"]] = Path(str(resource["path"])).name
        except (ValueError, AttributeError, TypeError):
            dataset.problem("datapackage.json", "-", _("The descriptor is not valid JSON."))
            return dataset
    found = False
    for table, model in TABLES.items():
        name = paths[table]
        if name not in files:
            continue
        found = True
        content = files[name]
        if content is None:
            dataset.problem(table, "-", _("The file is too large."))
            continue
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            dataset.problem(table, "-", _("The file is not UTF-8 text."))
            continue
        reader = csv.DictReader(io.StringIO(text, newline=""))
        known = {name for name, _field in hsds_fields(model)}
        unknown = [column for column in reader.fieldnames or [] if column not in known]
        if unknown:
            dataset.problem(
                table,
                _("line %(n)s") % {"n": 1},
                _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)},
            )
            continue
        try:
            for number, record in enumerate(reader, start=2):
                if None in record:
                    dataset.problem(
                        table,
                        _("line %(n)s") % {"n": number},
                        _("The row has more cells than the header."),
                    )
                    continue
                values = {key: value for key, value in record.items() if value != ""}
                dataset.rows.append(Row(model, _("line %(n)s") % {"n": number}, values))
        except csv.Error as error:
            dataset.problem(
                table,
                _("line %(n)s") % {"n": reader.line_num},
                _("Not valid CSV: %(e)s") % {"e": error},
            )
    if not found:
        dataset.problem("datapackage", "-", _("The package holds none of the HSDS tables."))
    return dataset


def read_json(content: bytes) -> Dataset:
    """Documents as the API gives them: one, a list, a page (`contents`) or NDJSON lines."""
    dataset = Dataset()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused("json", _("The file is not UTF-8 text."))
    try:
        documents = json.loads(text)
    except RecursionError:
        return _refused("json", _("The JSON document is nested too deeply."))
    except ValueError:
        try:
            documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        except (ValueError, RecursionError) as error:
            return _refused("json", _("Not valid JSON: %(e)s") % {"e": error})
    path = "$"
    if isinstance(documents, dict) and isinstance(documents.get("contents"), list):
        documents, path = documents["contents"], "$.contents"
    if isinstance(documents, dict):
        documents, single = [documents], True
    else:
        single = False
    if not isinstance(documents, list):
        return _refused("json", _("Expected an HSDS document, a list or a page of them."))
    for index, document in enumerate(documents):
        where = path if single else f"{path}[{index}]"
        model = _kind(document)
        if model is None:
            dataset.problem(
                "json",
                where,
                _("Not a service, organisation, service at a location, taxonomy or taxonomy term."),
            )
            continue
        _flatten(dataset, model, document, where, {})
    return dataset


def _kind(document):
    if not isinstance(document, dict):
        return None
    keys = set(document)
    if "status" in keys or "service_at_locations" in keys:
        return Service
    if "location" in keys or "service" in keys or "location_id" in keys:
        return ServiceAtLocation
    if keys & {"website", "organization_identifiers", "locations", "programs", "services"}:
        return Organization
    if keys & {"taxonomy_detail", "term_uri", "code", "parent_id", "taxonomy_id"}:
        return TaxonomyTerm
    if {"name", "description"} <= keys and keys <= {
        "id",
        "name",
        "description",
        "uri",
        "version",
        "metadata",
    }:
        return Taxonomy
    if "name" in keys and "description" in keys:
        return Organization
    return None


def _flatten(dataset, model, document, where, links):
    """The rows of one document and of everything nested in it."""
    if not isinstance(document, dict):
        dataset.problem(model, where, _("Expected an object."))
        return None
    values = {}
    for key, raw in document.items():
        if key in ("attributes", "metadata") or key in LIST_KEYS or key in ONE_KEYS:
            continue
        values[key] = raw
    values.update(links)
    own_id = document.get("id")
    for key, child_model, attname in NESTED_ONE.get(model, []):
        child = document.get(key)
        if child is None:
            continue
        child_id = _flatten(dataset, child_model, child, f"{where}.{key}", {})
        hsds_key = HSDS_NAMES.get((model, attname), attname)
        if child_id is not None and hsds_key not in values:
            values[hsds_key] = child_id
    dataset.rows.append(Row(model, where, values))
    for key, child_model, attname in NESTED.get(model, []):
        children = document.get(key)
        if children is None:
            continue
        if not isinstance(children, list):
            dataset.problem(model, f"{where}.{key}", _("Expected a list."))
            continue
        for index, child in enumerate(children):
            _flatten(dataset, child_model, child, f"{where}.{key}[{index}]", {attname: own_id})
    for key, child_model in (("attributes", Attribute), ("metadata", Metadata)):
        children = document.get(key) or []
        if not isinstance(children, list):
            dataset.problem(model, f"{where}.{key}", _("Expected a list."))
            continue
        for index, child in enumerate(children):
            link = {"link_id": own_id} if child_model is Attribute else {"resource_id": own_id}
            child_where = f"{where}.{key}[{index}]"
            if child_model is Attribute and isinstance(child, dict):
                term = child.get("taxonomy_term")
                if isinstance(term, dict):
                    term_id = _flatten(
                        dataset, TaxonomyTerm, term, f"{child_where}.taxonomy_term", {}
                    )
                    link["taxonomy_term_id"] = child.get("taxonomy_term_id", term_id)
                child = {k: v for k, v in child.items() if k != "taxonomy_term"}
            if isinstance(child, dict):
                link = {key: value for key, value in link.items() if key not in child}
            _flatten(dataset, child_model, child, child_where, link)
    return own_id


# -- checking ---------------------------------------------------------------------------------


def check(dataset: Dataset, owner=None) -> dict:
    """Every row turned into model field values; problems are added to the dataset. Returns
    {model: {id: values}}, one row per id (a record nested in several places is one record,
    its links put together)."""
    records = {model: {} for model in TABLES.values()}
    lines = {}
    refused = set()
    for row in dataset.rows:
        values = _clean(dataset, row)
        if values is None:
            refused.add(str(row.values.get("id", "")).strip().lower())
            continue
        pk = values["id"]
        seen = records[row.model].get(pk)
        if seen is None:
            records[row.model][pk] = values
            lines[(row.model, pk)] = row.line
            continue
        for key, value in values.items():
            if seen.get(key) in (None, "") and value not in (None, ""):
                seen[key] = value
            elif value not in (None, "") and seen[key] != value:
                dataset.problem(
                    row.model,
                    row.line,
                    _("%(field)s differs from the same record at %(other)s.")
                    % {"field": key, "other": lines[(row.model, pk)]},
                )
    _check_links(dataset, records, lines, refused)
    _check_owners(dataset, records, lines, owner)
    return records


def _clean(dataset, row):
    model = row.model
    fields = dict(hsds_fields(model))
    values = {}
    problems = []
    for key in row.values:
        if key not in fields:
            problems.append(_("unknown field %(field)s") % {"field": key})
    for hsds_name, model_field in fields.items():
        raw = row.values.get(hsds_name)
        try:
            values[model_field.attname] = _value(model, model_field, model_field.attname, raw)
        except ValidationError as error:
            problems.append(f"{hsds_name}: {' '.join(error.messages)}")
    if not problems:
        problems.extend(_row_rules(model, values))
    if problems:
        dataset.problem(model, row.line, "; ".join(problems))
        return None
    return values


_TEXTS = (models.CharField, models.TextField)


def _value(model, model_field, attname, raw):
    """One field's value from the dataset's text or JSON value."""
    if isinstance(raw, str) and (not raw.strip() or not isinstance(model_field, _TEXTS)):
        # Texts are kept as written; a value of another kind may have spaces around it.
        raw = raw.strip()
    if raw is None or raw == "":
        required = not (model_field.null or model_field.blank or model_field.has_default())
        if attname == "id" or required:
            raise ValidationError(_("required."))
        if attname == "last_modified":
            return timezone.now()
        return None if model_field.null else ""
    if isinstance(raw, (dict, list, bool)):
        raise ValidationError(_("expected a text or a number."))
    if isinstance(model_field, (models.ForeignKey, models.UUIDField)):
        try:
            return uuid.UUID(str(raw))
        except ValueError:
            raise ValidationError(_("not a UUID.")) from None
    if isinstance(model_field, (models.IntegerField,)):
        text = str(raw)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not NUMBERS.match(text):
            raise ValidationError(_("not a whole number."))
        raw = int(text)
    elif isinstance(model_field, models.FloatField):
        try:
            raw = float(raw)
        except ValueError:
            raise ValidationError(_("not a number.")) from None
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValidationError(_("not a number."))
    elif isinstance(model_field, models.DateTimeField):
        value = model_field.to_python(str(raw))
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
    elif not isinstance(model_field, (models.DateField, models.TimeField)):
        raw = str(raw)
    value = model_field.to_python(raw)
    model_field.run_validators(value)
    if model_field.choices and value not in {choice for choice, _label in model_field.choices}:
        choices = ", ".join(choice for choice, _label in model_field.choices)
        raise ValidationError(_("one of %(choices)s.") % {"choices": choices})
    allowed = ENUMS.get((model, attname))
    if allowed and value not in allowed:
        raise ValidationError(_("one of %(choices)s.") % {"choices": ", ".join(allowed)})
    return value


def _row_rules(model, values):
    """What one row's fields must say together."""
    problems = []
    if model is Location:
        latitude, longitude = values.get("latitude"), values.get("longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            problems.append(_("latitude: between -90 and 90."))
        if longitude is not None and not -180 <= longitude <= 180:
            problems.append(_("longitude: between -180 and 180."))
    if model is Service:
        low, high = values.get("minimum_age"), values.get("maximum_age")
        if low is not None and high is not None and low > high:
            problems.append(_("minimum_age is above maximum_age."))
    if model is Schedule:
        for day in filter(None, (values.get("byday") or "").split(",")):
            if not BYDAY.match(day.strip()):
                problems.append(_("byday: days such as MO,TU or 1MO (%(day)s).") % {"day": day})
                break
        for name in ("byweekno", "bymonthday", "byyearday"):
            parts = filter(None, (values.get(name) or "").split(","))
            if any(not NUMBERS.match(part.strip()) for part in parts):
                problems.append(_("%(name)s: whole numbers, separated by commas.") % {"name": name})
    return problems


def _check_links(dataset, records, lines, refused):
    for (model, attname), target in REQUIRED_LINKS.items():
        rows = records[model]
        wanted = {values[attname] for values in rows.values() if values.get(attname)}
        missing = (
            wanted
            - set(records[target])
            - set(
                target.objects.filter(pk__in=wanted - set(records[target])).values_list(
                    "pk", flat=True
                )
            )
        )
        for pk, values in list(rows.items()):
            link = values.get(attname)
            if link not in missing:
                continue
            if str(link) in refused:
                reason = _("%(field)s %(id)s is a row with problems of its own.")
            else:
                reason = _("%(field)s %(id)s is neither in the dataset nor in the catalogue.")
            dataset.problem(model, lines[(model, pk)], reason % {"field": attname, "id": link})


def _check_owners(dataset, records, lines, owner):
    """An organisation kept by another network member is theirs to change."""
    ids = set(records[Organization])
    kept = Organization.objects.filter(pk__in=ids, owner__isnull=False)
    if owner is not None:
        kept = kept.exclude(owner=owner)
    for pk in kept.values_list("pk", flat=True):
        dataset.problem(
            Organization,
            lines[(Organization, pk)],
            _("This organisation's entries are kept by another member of the network."),
        )
    outside = {values["organization_id"] for values in records[Service].values()} - ids
    kept = Organization.objects.filter(pk__in=outside, owner__isnull=False)
    if owner is not None:
        kept = kept.exclude(owner=owner)
    kept = set(kept.values_list("pk", flat=True))
    for pk, values in records[Service].items():
        if values["organization_id"] in kept:
            dataset.problem(
                Service,
                lines[(Service, pk)],
                _("This organisation's entries are kept by another member of the network."),
            )


# -- writing ----------------------------------------------------------------------------------


def write(records, owner=None, progress=None) -> dict:
    """Insert or update every record, in one transaction; returns the count per table."""
    counts = {}
    done = 0
    with transaction.atomic():
        for table, model in TABLES.items():
            rows = records[model]
            if not rows:
                continue
            if model is Organization:
                existing = set(
                    Organization.objects.filter(pk__in=rows, owner__isnull=False).values_list(
                        "pk", flat=True
                    )
                )
                for pk, values in rows.items():
                    if pk not in existing and owner is not None:
                        values["owner_id"] = owner.pk
            if model is Service:
                _fill_search_text(rows, records[Organization])
            objects = [model(**values) for values in rows.values()]
            update = sorted({key for values in rows.values() for key in values} - {"id"})
            update = [model._meta.get_field(key).name for key in update]
            model.objects.bulk_create(
                objects,
                batch_size=500,
                update_conflicts=bool(update),
                unique_fields=["id"] if update else None,
                update_fields=update or None,
            )
            if model is Service:
                # An owner's form read before the import is now out of date (most.records).
                Service.objects.filter(pk__in=list(rows)).update(version=F("version") + 1)
            counts[table] = len(objects)
            done += len(objects)
            if progress is not None:
                progress(done)
    return counts


def _fill_search_text(services, organizations):
    names = {pk: values["name"] for pk, values in organizations.items()}
    missing = {v["organization_id"] for v in services.values()} - set(names)
    names.update(Organization.objects.filter(pk__in=missing).values_list("pk", "name"))
    for values in services.values():
        values["search_text"] = search_text(
            values.get("name"),
            values.get("alternate_name"),
            values.get("description"),
            names.get(values["organization_id"]),
        )


def import_dataset(name, content, owner=None, progress=None) -> Outcome:
    """Read, check and (only when nothing is wrong) write a dataset."""
    dataset = read(name, content)
    return apply(dataset, owner=owner, progress=progress)


def apply(dataset, owner=None, progress=None) -> Outcome:
    records = check(dataset, owner=owner)
    if dataset.problems:
        return Outcome(counts={}, problems=dataset.problems)
    return Outcome(counts=write(records, owner=owner, progress=progress), problems=[])
