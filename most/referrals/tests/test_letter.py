"""The referral letter the person takes along: Slovenian and their language side by side, the
place, hours and contacts the catalogue has, nothing else about them, for the sender only."""

import datetime
import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from most.audit.models import AuditEntry
from most.directory import models as catalogue
from most.people.models import Person
from most.referrals.letter import letter_html

# On CI poppler-utils is installed by `make test`, and a missing pdftotext fails the test.
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext") and os.environ.get("CI") != "true",
    reason="pdftotext (poppler-utils) missing",
)
REASON = "Potrebuje pravni nasvet glede dovoljenja za prebivanje."


@pytest.fixture
def catalogued(referral_world):
    """The legal aid service at its office, with hours, a phone and a document to bring."""
    service = referral_world["service"]
    service.email = "pomoc@odprta-vrata.si"
    service.save()
    location = catalogue.Location.objects.create(
        organization=service.organization, location_type="physical", name="Pisarna"
    )
    catalogue.ServiceAtLocation.objects.create(service=service, location=location)
    catalogue.Address.objects.create(
        location=location,
        address_1="Trubarjeva cesta 12",
        city="Ljubljana",
        state_province="Osrednjeslovenska",
        postal_code="1000",
        country="SI",
        address_type="physical",
    )
    catalogue.Schedule.objects.create(
        service=service,
        freq="WEEKLY",
        byday="MO,WE",
        opens_at=datetime.time(9),
        closes_at=datetime.time(13, 30),
    )
    catalogue.Phone.objects.create(service=service, number="01 234 56 78")
    catalogue.RequiredDocument.objects.create(service=service, document="Osebni dokument")
    return service


def _person(world, make_person, **fields):
    return make_person(world["sender"], **fields)


def _pdf_text(pdf):
    return subprocess.run(  # noqa: S603  (a fixed program, the test's own PDF)
        [shutil.which("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def _plain(text):
    """Text as pdftotext gives it back whatever the script: without the marks that are no
    glyph of their own (bidi controls, Persian's zero-width non-joiner) or sit on a letter
    (Arabic vowel signs, which come out beside it), spaces collapsed."""
    kept = (c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    return " ".join("".join(kept).split())


def _found(words, text):
    """Right-to-left text comes out of a PDF in logical or in visual order, by viewer."""
    words, text = _plain(words), _plain(text)
    return words in text or words[::-1] in text


def _translated(language, message):
    with translation.override(language):
        words = gettext(message)
    assert words != message, f"{message!r} is not translated into {language}"
    return words


PERSONS = {
    # preferred language: (native name, Latin name, Monday in that language)
    "ar": (("فاطمة", "الحسن"), ("Fatima", "Al-Hassan"), "الاثنين"),
    "uk": (("Олена", "Бондаренко"), ("Olena", "Bondarenko"), "Понеділок"),
    "fa": (("زهرا", "احمدی"), ("Zahra", "Ahmadi"), "دوشنبه"),
}


@needs_pdftotext
@pytest.mark.parametrize("language", sorted(PERSONS))
def test_the_letter_speaks_slovenian_and_the_persons_language(
    referral_world, catalogued, refer, make_person, sharing_consent, login, language
):
    world = referral_world
    (given, family), (given_latin, family_latin), monday = PERSONS[language]
    person = _person(
        world,
        make_person,
        given_name=given,
        family_name=family,
        given_name_latin=given_latin,
        family_name_latin=family_latin,
        preferred_language=language,
        phone="041 999 888",
        birth_year=1987,
    )
    sharing_consent(world["sender"], person)
    referral = refer(person=person, reason=REASON)
    response = login(world["sender"]).get(f"/app/referrals/{referral.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="referral-{referral.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = _pdf_text(response.content)
    # The Slovenian column: its words, and the days as Slovenian names them.
    with translation.override("sl"):
        assert gettext("Referral letter") in text
    assert "ponedeljek" in text
    # The person's column, in their script.
    for message in ("Referral letter", "What to bring", "Referred by"):
        assert _found(_translated(language, message), text), message
    assert _found(monday, text)
    # The person's name in their script and in Latin letters.
    assert _found(given, text) and _found(family, text)
    assert f"{given_latin} {family_latin}" in text
    # Where to go, when, how to reach it, what to bring, who sent them.
    for words in (
        "Brezplačna pravna pomoč",
        "Zavod Odprta vrata",
        "Trubarjeva cesta 12",
        "1000 Ljubljana",
        "09:00–13:30",
        "01 234 56 78",
        "pomoc@odprta-vrata.si",
        "Osebni dokument",
        "Društvo Vez",
        world["sender"].user.full_name,
        str(referral.pk),
    ):
        assert words in text, words
    # Nothing else about the person: not why they are referred, not their contacts.
    for private in ("pravni nasvet", "041 999 888", "1987"):
        assert private not in text


def test_one_column_for_slovenian_and_english_where_most_has_no_translation(
    referral_world, refer, make_person, sharing_consent
):
    world = referral_world
    langs = {}
    for preferred in ("sl", "", "en", "ti", "ar"):
        person = _person(world, make_person, preferred_language=preferred)
        sharing_consent(world["sender"], person)
        html = letter_html(refer(person=person))
        langs[preferred] = re.findall(r'<section class="column" lang="(\w+)" dir="(\w+)"', html)
    assert langs["sl"] == langs[""] == [("sl", "ltr")]
    assert langs["en"] == [("sl", "ltr"), ("en", "ltr")]
    # Tigrinya: the site has no translation, the person reads the English column.
    assert langs["ti"] == [("sl", "ltr"), ("en", "ltr")]
    assert langs["ar"] == [("sl", "ltr"), ("ar", "rtl")]


def test_a_referral_to_an_organisation_gives_its_catalogue_places_or_its_contacts(
    referral_world, refer, org_b
):
    org_b.phone = "02 345 67 89"
    org_b.save()
    html = letter_html(refer(service=None, receiver=org_b))
    assert "Zavod Odprta vrata" in html and "02 345 67 89" in html
    assert "Opening hours" not in html  # the catalogue has none for it


def test_the_receiver_and_other_roles_get_no_letter(
    referral_world, refer, login, make_member, org_a, make_org
):
    world = referral_world
    referral = refer()
    url = f"/app/referrals/{referral.pk}/letter.pdf"
    assert login(world["receiver"]).get(url).status_code == 404
    for role in ("viewer", "mediator", "analyst", "trainer"):
        assert login(make_member(role, org_a)).get(url).status_code == 404, role
    outsider = make_member("counsellor", make_org("Občina Koper"))
    assert login(outsider).get(url).status_code == 404
    # A colleague who keeps records may print it; not once the record is restricted.
    client = login(make_member("caseworker", org_a))
    detail = client.get(f"/app/referrals/{referral.pk}/").content.decode()
    assert url in detail
    Person.objects.filter(pk=world["person"].pk).update(restricted_at=timezone.now())
    assert client.get(url).status_code == 404
    assert url not in client.get(f"/app/referrals/{referral.pk}/").content.decode()


def test_printing_the_letter_is_an_audited_read_of_the_person(referral_world, refer, login):
    world = referral_world
    referral = refer()
    before = AuditEntry.objects.filter(person_id=world["person"].pk, action="view").count()
    response = login(world["sender"]).get(f"/app/referrals/{referral.pk}/letter.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    entries = AuditEntry.objects.filter(person_id=world["person"].pk, action="view")
    assert entries.count() == before + 1
    entry = entries.order_by("-pk").first()
    assert entry.changes == {"via": "referral letter"}
    assert entry.organisation_id == world["sender"].organisation_id
    assert entry.actor_id == world["sender"].user_id
    # Refused, nothing is read and nothing recorded.
    login(world["receiver"]).get(f"/app/referrals/{referral.pk}/letter.pdf")
    assert entries.count() == before + 1
