"""The referral letter the person takes along: Slovenian and, in a column beside it, the same
in the person's preferred language (English where Most has no translation of theirs).

It says who the letter is for, where they are referred to (the service, its organisation,
address, opening hours and contacts as the catalogue has them), what to bring, and who referred
them. Nothing else about the person: not the reason for the referral, which may name their
health, their family or their legal situation, and which the receiver reads in Most.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS

from most.directory import finder, schedules
from most.directory.models import Address, Location, Organization, Professional, Schedule
from most.directory.texts import texts

SLOVENIAN = "sl"
# For a language the site has no translations for.
FALLBACK = "en"


def second_language(person) -> str | None:
    """The language of the letter's second column: the person's preferred language where the
    site speaks it, else English; none when they prefer Slovenian or nobody asked them."""
    code = person.preferred_language
    if not code or code == SLOVENIAN:
        return None
    return code if code in dict(settings.LANGUAGES) else FALLBACK


@dataclass
class Destination:
    """Where the person goes, as the catalogue has it (what it lacks stays empty)."""

    organisation: str
    service: object = None  # directory.Service, named in each column's language
    addresses: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    email: str = ""
    website: str = ""
    documents: list = field(default_factory=list)


def destination(referral) -> Destination:
    """The referral's service at its places; for a referral to an organisation, the places of
    the catalogue's entry it keeps; the member organisation's own contacts where the catalogue
    gives none."""
    found = finder.public_service(referral.service_id) if referral.service_id else None
    if found is not None:
        service = found["service"]
        places = found["places"]
        where = Destination(
            organisation=service.organization.name,
            service=service,
            addresses=[address for place in places for address in place.addresses],
            schedules=found["schedules"] + [s for place in places for s in place.schedules],
            phones=[phone.number for phone in found["phones"]],
            email=service.email,
            website=service.url,
            documents=[d.document for d in found["documents"] if d.document],
        )
    else:
        where = _organisation(referral)
    if not (where.phones or where.email):
        where.phones = [referral.receiver.phone] if referral.receiver.phone else []
        where.email = referral.receiver.email
    return where


def _organisation(referral) -> Destination:
    if referral.service_id:
        # A service no longer in the public catalogue: the places of its organisation.
        entry = referral.service.organization
    else:
        entry = (
            Organization.objects.filter(owner=referral.receiver_id).order_by("name", "id").first()
        )
    if entry is None:
        return Destination(organisation=referral.receiver.name)
    locations = Location.objects.filter(organization=entry)
    return Destination(
        organisation=entry.name,
        service=referral.service,
        addresses=list(Address.objects.filter(location__in=locations)),
        schedules=list(Schedule.objects.filter(location__in=locations)),
        phones=[phone.number for phone in entry.phones.all()],
        email=entry.email,
        website=entry.website,
    )


@dataclass
class Counsellor:
    name: str
    phone: str
    email: str

    @property
    def direction(self):
        return _writing(self.name)


def counsellor(referral) -> Counsellor:
    """Who wrote the referral, and how to reach them: the work contacts of their profile in the
    catalogue of professionals where they gave them, else their organisation's (never the
    address they sign in with)."""
    sender = referral.sender
    user = referral.created_by
    profile = Professional.objects.filter(user=user, organisation=sender).first() if user else None
    return Counsellor(
        name=user.full_name if user else "",
        phone=(profile.phone if profile else "") or sender.phone,
        email=(profile.email if profile else "") or sender.email,
    )


def letter_html(referral, day: datetime.date | None = None) -> str:
    """The letter as HTML: the column rendered in Slovenian and in the person's language."""
    person = referral.person
    where = destination(referral)
    hours = schedules.week(where.schedules)
    service = where.service
    common = {
        "referral": referral,
        "number": referral.pk,
        "day": day or timezone.localdate(),
        "person": person,
        "native_language": person.native_name_language,
        "native_direction": _writing(person.native_name),
        "where": where,
        "documents_language": service.original_language if service else SLOVENIAN,
        "opening_hours": any(spans for _day, spans in hours),
        "counsellor": counsellor(referral),
    }
    columns = []
    for language in [SLOVENIAN, second_language(person)]:
        if language is None:
            continue
        name = texts(service, language, ("name",))["name"] if service else None
        with translation.override(language):
            context = {
                **common,
                "language": language,
                "direction": _direction(language),
                "service_name": name,
                "service_direction": _writing(str(name or "")),
                "week": [(WEEKDAYS[index], spans) for index, spans in hours],
            }
            columns.append(render_to_string("referrals/letter_column.html", context))
    with translation.override(SLOVENIAN):
        return render_to_string(
            "referrals/letter.html", {"columns": columns, "number": referral.pk}
        )


def _direction(language) -> str:
    """ "rtl" for a language written right to left (Arabic, Persian…), else "ltr"."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def _writing(text) -> str:
    """The direction a text is written in, by its first letter that has one."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def letter_pdf(referral, day: datetime.date | None = None) -> bytes:
    from weasyprint import HTML  # heavy: loaded when the first letter is printed
    from weasyprint.urls import URLFetcher

    # The letter is made of its own HTML and fonts: it fetches nothing, from anywhere.
    nothing = URLFetcher(allowed_protocols=())
    return HTML(string=letter_html(referral, day), url_fetcher=nothing).write_pdf()
