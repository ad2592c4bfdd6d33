"""The demo's service catalogue: about forty services in Ljubljana, Maribor, Koper, Jesenice and
Škofja Loka, some kept by the demo's network members, some by providers outside it. Names and
addresses are invented; the towns' coordinates are real. Written through the HSDS import, as a
network would bring its catalogue in.
"""

import datetime
import functools
import json
import uuid
from pathlib import Path

import yaml
from django.utils import timezone

from most.accounts.models import Membership, Organisation, User
from most.directory import categories, hsds_import
from most.directory.categories import SPOKEN_LANGUAGES
from most.directory.models import Professional, Service
from most.directory.professionals import profile_save
from most.directory.services import (
    catalogue_import,
    network_taxonomies_ensure,
    service_translate,
)

DEMO_DOMAIN = "most.example"
NAMESPACE = uuid.UUID("0c7d7a4e-2b8f-4f0e-8d3c-5e1a9b6c4d21")

DATA = Path(__file__).resolve().parent / "data" / "catalogue.yaml"


@functools.cache
def catalogue_data():
    """{"towns", "providers", "services"} as data/catalogue.yaml gives them."""
    with DATA.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _attribute(owner, code):
    return {"id": _id("attribute", owner, code), "taxonomy_term_id": str(categories.term_id(code))}


def _location(entry):
    data = catalogue_data()
    town = data["towns"][entry["town"]]
    street = entry["street"]
    # Within a few hundred metres of the town's centre, the same place for the same street.
    offset = (sum(map(ord, street)) % 17 - 8) / 2000
    location_id = _id("location", entry["provider"], entry["town"], street)
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": f"{data['providers'][entry['provider']]['name']}, {street}",
        "latitude": round(town["latitude"] + offset, 5),
        "longitude": round(town["longitude"] - offset, 5),
        "addresses": [
            {
                "id": _id("address", location_id),
                "address_1": street,
                "city": entry["town"],
                "state_province": town["region"],
                "postal_code": town["postcode"],
                "country": "SI",
                "address_type": "physical",
            }
        ],
    }
    if entry["town"] != "Škofja Loka":
        location["transportation"] = "Mestni avtobus, postaja v bližini."
    if entry["wheelchair"]:
        location["attributes"] = [_attribute(location_id, "wheelchair-access")]
        location["accessibility"] = [
            {"id": _id("access", location_id), "description": "Dostop brez stopnic, dvigalo."}
        ]
    return location


def _document(index, entry, today):
    service_id = _id("service", index)
    provider = catalogue_data()["providers"][entry["provider"]]
    # Most entries confirmed in the last months; every seventh one long ago.
    days_ago = 300 + index if index % 7 == 3 else 5 + index * 4
    attributes = [_attribute(service_id, entry["category"])]
    if entry["free"]:
        attributes.append(_attribute(service_id, "free-of-charge"))
    document = {
        "id": service_id,
        "name": entry["name"],
        "description": entry["description"],
        "status": "active",
        "email": f"info@{entry['provider']}.example",
        "assured_date": (today - datetime.timedelta(days=days_ago)).isoformat(),
        "organization": {
            "id": _id("organization", entry["provider"]),
            "name": provider["name"],
            "description": provider["description"],
            "website": f"https://{entry['provider']}.example",
        },
        "languages": [
            {"id": _id("language", service_id, code), "code": code, "name": SPOKEN_LANGUAGES[code]}
            for code in entry["languages"]
        ],
        "phones": [
            {
                "id": _id("phone", service_id),
                "number": f"+386 {1 + index % 7} {200 + index:03d} {10 + index:02d} 00",
                "type": "voice",
            }
        ],
        "schedules": [
            {
                "id": _id("schedule", service_id, n),
                "freq": "WEEKLY",
                "byday": hours["days"],
                "opens_at": f"{hours['opens']}:00",
                "closes_at": f"{hours['closes']}:00",
                "description": "Ob državnih praznikih zaprto.",
            }
            for n, hours in enumerate(entry["hours"])
        ],
        "service_areas": [{"id": _id("area", service_id), "name": entry["town"]}],
        "service_at_locations": [{"id": _id("sal", service_id), "location": _location(entry)}],
        "attributes": attributes,
    }
    if not entry["free"]:
        document["cost_options"] = [
            {
                "id": _id("cost", service_id),
                "option": "Tečajnina",
                "amount": 60,
                "currency": "EUR",
                "amount_description": "za ves tečaj",
            }
        ]
        document["fees_description"] = "60 EUR za ves tečaj; za brezposelne brezplačno."
    if entry.get("bring"):
        document["required_documents"] = [
            {"id": _id("document", service_id), "document": entry["bring"]}
        ]
    return document


def seed_catalogue(today=None):
    """The demo catalogue, once. Returns how many services it wrote."""
    if Service.objects.exists():
        return 0
    today = today or timezone.localdate()
    network_taxonomies_ensure()
    data = catalogue_data()
    documents = [_document(i, entry, today) for i, entry in enumerate(data["services"])]
    members = {o.name: o for o in Organisation.objects.all()}
    for key, provider in data["providers"].items():
        mine = [d for d, e in zip(documents, data["services"], strict=True) if e["provider"] == key]
        owner = members.get(provider["kept_by"]) if provider["kept_by"] else None
        dataset = hsds_import.read_json(json.dumps(mine).encode())
        outcome = catalogue_import(dataset=dataset, name=f"demo-{key}.json", owner=owner)
        if not outcome.ok:
            raise RuntimeError([str(p) for p in outcome.problems])
    for index, entry in enumerate(data["services"]):
        service = Service.objects.get(pk=_id("service", index))
        for language, texts in entry["translations"].items():
            service_translate(service, language, texts)
    return len(documents)


def seed_professionals():
    """The demo's catalogue of professionals, once: the demo's mediator, counsellor and trainer,
    and colleagues across the network (who cannot sign in). Returns how many it wrote."""
    if Professional.objects.exists():
        return 0
    organisations = {o.name: o for o in Organisation.objects.all()}
    written = 0
    for entry in catalogue_data()["professionals"]:
        organisation = organisations.get(entry["organisation"])
        if organisation is None:
            continue
        email = f"{entry['login']}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=entry["name"])
            user.set_unusable_password()
            user.save(update_fields=["password"])
        member, _created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": entry.get("role", "mediator")}
        )
        profile_save(
            member=member,
            fields={name: entry.get(name, "") for name in ("skills", "qualifications", "phone")}
            | {"availability": entry.get("availability", ""), "email": entry.get("email", "")},
            roles=entry["roles"],
            languages=entry["languages"],
            regions=entry["regions"],
            shared=entry["shared"],
            listed=entry["listed"],
        )
        written += 1
    return written
