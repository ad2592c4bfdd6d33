import datetime

import pytest

from most.directory import models as catalogue
from most.directory.selectors import search_text
from most.people import services as people


@pytest.fixture
def make_service(db):
    """make_service(organisation, **fields) → an active service of the catalogue it keeps."""

    def make(organisation, name="Brezplačna pravna pomoč", **fields):
        provider, _created = catalogue.Organization.objects.get_or_create(
            owner=organisation,
            defaults={"name": organisation.name, "description": "Članica mreže."},
        )
        fields.setdefault("status", "active")
        return catalogue.Service.objects.create(
            organization=provider,
            name=name,
            search_text=search_text(name, organisation.name),
            **fields,
        )

    return make


@pytest.fixture
def sharing_consent():
    """sharing_consent(member, person, recipient=None) → a consent to sharing, given today."""

    def make(member, person, recipient=None, **fields):
        return people.consent_record(
            member=member,
            person=person,
            fields={
                "purpose": "sharing",
                "recipient": recipient,
                "given_on": datetime.date.today(),
                "evidence": "signed",
                **fields,
            },
        )

    return make


@pytest.fixture
def referral_world(make_member, org_a, org_b, make_person, make_service, sharing_consent):
    """Org A's counsellor refers Amra (consent to sharing with anyone) to org B's legal aid."""
    sender = make_member("counsellor", org_a)
    receiver = make_member("caseworker", org_b)
    person = make_person(
        sender,
        given_name="Amra",
        family_name="Hodžić",
        birth_year=1990,
        phone="041 555 123",
        email="amra@example.org",
        address="Celovška 10",
        languages=["bs", "de"],
    )
    service = make_service(org_b, response_days=3)
    consent = sharing_consent(sender, person)
    return {
        "sender": sender,
        "receiver": receiver,
        "person": person,
        "service": service,
        "consent": consent,
    }


@pytest.fixture
def refer(referral_world):
    from most.referrals import services

    def make(send=True, **data):
        world = referral_world
        data = {
            "service": world["service"],
            "reason": "Potrebuje pravni nasvet glede dovoljenja za prebivanje.",
            "fields": ["birth_year", "languages", "phone", "email"],
            **data,
        }
        return services.referral_create(
            member=data.pop("member", world["sender"]),
            person=data.pop("person", world["person"]),
            data=data,
            send=send,
        )

    return make
