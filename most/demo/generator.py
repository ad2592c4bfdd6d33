"""Demo and benchmark data: organisations, one user per role, families with consents.

`seed_demo` goes through the same services as the workspace (so the audit trail and search keys
are real); `bulk_persons` writes many persons fast for benchmarks, with the same derived fields.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from most.accounts.models import Membership, Organisation, OrganisationType, Role, User
from most.lib.names import latin_form
from most.people import services
from most.people.models import (
    ConsentEvidence,
    ConsentPurpose,
    Person,
    PersonLanguage,
    PersonSearchKey,
    Relationship,
    Sex,
)
from most.privacy import services as privacy
from most.privacy.models import RequestKind, RequestState

from .casework import seed_casework
from .catalogue import DEMO_DOMAIN, seed_catalogue, seed_professionals
from .names import COUNTRY_WEIGHTS, MUNICIPALITIES, POOLS, pick
from .programmes import seed_activities, seed_programmes
from .referrals import seed_referrals

DEMO_PASSWORD = "most-demo-2026"  # noqa: S105 – printed for the demo, never used in production

ORGANISATIONS = [
    ("Društvo Vez", OrganisationType.NGO, "Ljubljana"),
    ("Zavod Odprta vrata", OrganisationType.NGO, "Maribor"),
    ("Center za socialno delo Posavje-Zahod", OrganisationType.SOCIAL_WORK_CENTRE, "Krško"),
    ("Urad za vključevanje migrantov", OrganisationType.GOVERNMENT_OFFICE, "Ljubljana"),
    ("Osnovna šola Lipa", OrganisationType.SCHOOL, "Koper"),
    ("Medkulturni center Jesenice", OrganisationType.NGO, "Jesenice"),
    # Employers of the network: the activation programme's third part links participants to them.
    ("Hotel Tivoli d.o.o.", OrganisationType.EMPLOYER, "Ljubljana"),
    ("Čistilni servis Sijaj d.o.o.", OrganisationType.EMPLOYER, "Ljubljana"),
]

# One login per role at the first organisation, plus a case worker at the second to show that
# organisations cannot see each other's persons.
USERS = [
    ("admin", "Maja Novak", Role.ADMIN, 0),
    ("coordinator", "Tina Kralj", Role.COORDINATOR, 0),
    ("caseworker", "Luka Horvat", Role.CASEWORKER, 0),
    ("counsellor", "Nina Zupan", Role.COUNSELLOR, 0),
    ("mediator", "Arta Berisha Kos", Role.MEDIATOR, 0),
    ("trainer", "Peter Golob", Role.TRAINER, 0),
    ("analyst", "Eva Vidmar", Role.ANALYST, 0),
    ("viewer", "Jure Kovač", Role.VIEWER, 0),
    ("caseworker.maribor", "Sara Potočnik", Role.CASEWORKER, 1),
]


def demo_logins():
    return [
        (f"{login}@{DEMO_DOMAIN}", role, ORGANISATIONS[org][0]) for login, _n, role, org in USERS
    ]


def _birth(rng, today, age_from, age_to):
    age = rng.randint(age_from, age_to)
    if rng.random() < 0.15:  # often only the year is known
        return None, today.year - age
    day = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    return day, day.year


def _name(rng, pool, sex):
    native, latin = pick(rng.choice(pool["male" if sex == Sex.MALE else "female"]))
    return native, latin


def _phone(rng):
    prefix = rng.choice([30, 31, 40, 41, 51, 64, 68, 70])
    return f"0{prefix} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _feminine(family_name, country):
    """Russian and Macedonian family names take a feminine ending: Иванов → Иванова."""
    if country == "RU" and family_name.endswith(("ов", "ев", "ёв", "ин")):
        return family_name + "а"
    if country == "MK" and family_name.endswith("ски"):
        return family_name[:-1] + "а"
    return family_name


def _person_fields(rng, country, sex, age_range, family, municipality, address, today):
    pool = POOLS[country]
    given, given_latin = _name(rng, pool, sex)
    family_native, family_latin = family
    if sex == Sex.FEMALE:
        family_native = _feminine(family_native, country)
    birth_date, birth_year = _birth(rng, today, *age_range)
    adult = (today.year - birth_year) >= 18
    status = rng.choice(pool["statuses"])
    valid_from = today - datetime.timedelta(days=rng.randint(30, 900))
    return {
        "given_name": given,
        "family_name": family_native,
        "given_name_latin": given_latin,
        "family_name_latin": family_latin,
        "birth_date": birth_date,
        "birth_year": birth_year,
        "sex": sex,
        "country_of_origin": country,
        "citizenship": country,
        "residence_status": status,
        "residence_valid_from": valid_from,
        "residence_valid_until": valid_from + datetime.timedelta(days=365 * rng.randint(1, 3)),
        "slovenian_level": rng.choice(["", "PRE_A1", "A1", "A1", "A2", "B1"]) if adult else "",
        "municipality": municipality,
        "address": address,
        "phone": _phone(rng) if adult else "",
        "email": "",
        "preferred_language": pool["languages"][0],
        "interpreter_needed": adult and rng.random() < 0.4,
    }


def _family_plan(rng):
    """Relationships and age ranges of one household's members."""
    kind = rng.random()
    if kind < 0.55:  # two parents and school children: the common case
        plan = [
            (Relationship.HEAD, Sex.MALE, (28, 55)),
            (Relationship.SPOUSE, Sex.FEMALE, (25, 50)),
        ]
        plan += [
            (Relationship.CHILD, rng.choice([Sex.MALE, Sex.FEMALE]), (1, 17))
            for _ in range(rng.randint(1, 3))
        ]
    elif kind < 0.75:  # a mother alone with children
        plan = [(Relationship.HEAD, Sex.FEMALE, (24, 50))]
        plan += [
            (Relationship.CHILD, rng.choice([Sex.MALE, Sex.FEMALE]), (1, 17))
            for _ in range(rng.randint(1, 3))
        ]
    elif kind < 0.85:  # three generations
        plan = [
            (Relationship.HEAD, Sex.MALE, (30, 50)),
            (Relationship.SPOUSE, Sex.FEMALE, (28, 48)),
            (Relationship.PARENT, Sex.FEMALE, (60, 80)),
            (Relationship.CHILD, rng.choice([Sex.MALE, Sex.FEMALE]), (3, 15)),
        ]
    else:  # a single adult
        plan = [(Relationship.HEAD, rng.choice([Sex.MALE, Sex.FEMALE]), (19, 45))]
    return plan


def _country(rng):
    return rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]


def seed_organisations_and_users():
    organisations = []
    for name, kind, municipality in ORGANISATIONS:
        org, _created = Organisation.objects.get_or_create(
            name=name, defaults={"type": kind, "municipality": municipality}
        )
        organisations.append(org)
    for login, full_name, role, org_index in USERS:
        email = f"{login}@{DEMO_DOMAIN}"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisations[org_index], defaults={"role": role}
        )
    # The coordinator also helps at the Jesenice centre: the organisation switcher shows both.
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    Membership.objects.get_or_create(
        user=coordinator, organisation=organisations[5], defaults={"role": Role.COORDINATOR}
    )
    return organisations


def _member_for(organisation):
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=[Role.CASEWORKER, Role.ADMIN])
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        user, _created = User.objects.get_or_create(
            email=f"intake.{organisation.pk}@{DEMO_DOMAIN}",
            defaults={"full_name": f"Intake {organisation.name}"},
        )
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=Role.CASEWORKER
        )
    return membership


@transaction.atomic
def seed_households(organisation, households, rng):
    """Register `households` families in the organisation through the services."""
    member = _member_for(organisation)
    today = timezone.localdate()
    persons = 0
    for _ in range(households):
        country = _country(rng)
        pool = POOLS[country]
        family = pick(rng.choice(pool["family"]))
        municipality, streets = rng.choice(MUNICIPALITIES)
        address = f"{rng.choice(streets)} {rng.randint(1, 120)}"
        household = services.household_create(
            member=member,
            name=family[1] or latin_form(family[0], country),
            municipality=municipality,
            address=address,
        )
        for relationship, sex, ages in _family_plan(rng):
            fields = _person_fields(rng, country, sex, ages, family, municipality, address, today)
            if relationship == Relationship.SPOUSE and rng.random() < 0.5:
                # Many wives keep their own family name.
                fields["family_name"], fields["family_name_latin"] = pick(
                    rng.choice(pool["family"])
                )
            languages = list(pool["languages"][: rng.randint(1, len(pool["languages"]))])
            vulnerabilities = []
            if ages[1] >= 18 and rng.random() < 0.12:
                vulnerabilities.append(
                    rng.choice(
                        [
                            "RCD.SINGLE_PARENT",
                            "RCD.SERIOUS_ILLNESS",
                            "RCD.TORTURE_RAPE_VIOLENCE",
                            "RCD.DISABILITY",
                            "RCD.PREGNANT",
                        ]
                    )
                )
            person = services.person_register(
                member=member, fields=fields, languages=languages, vulnerabilities=vulnerabilities
            )
            services.household_add_member(
                member=member, household=household, person=person, relationship=relationship
            )
            _seed_consents(member, person, rng, today, adult=ages[1] >= 18)
            persons += 1
    return persons


def _seed_consents(member, person, rng, today, adult):
    given_on = today - datetime.timedelta(days=rng.randint(5, 700))
    evidence = ConsentEvidence.SIGNED_FORM if adult else ConsentEvidence.GUARDIAN
    services.consent_record(
        member=member,
        person=person,
        fields={
            "purpose": ConsentPurpose.REGISTRATION,
            "given_on": given_on,
            "evidence": evidence,
            "evidence_reference": f"Mapa {rng.randint(1, 40)}/{given_on.year}",
            "scope": "",
            "expires_on": None,
        },
    )
    if rng.random() < 0.6:
        consent = services.consent_record(
            member=member,
            person=person,
            fields={
                "purpose": ConsentPurpose.SHARING,
                "given_on": given_on,
                "evidence": evidence,
                "evidence_reference": "",
                "expires_on": given_on + datetime.timedelta(days=730),
                "scope": "Napotitve na CSD, zavod za zaposlovanje in šolo",
            },
        )
        if rng.random() < 0.1:
            services.consent_withdraw(member=member, consent=consent, note="Ustno preklicano")


def seed_demo(persons=300, seed=2026):
    """The demo network: ~`persons` persons in families, about a third of them per household."""
    rng = random.Random(seed)
    organisations = seed_organisations_and_users()
    seed_catalogue()
    seed_professionals()
    if Person.objects.exists():
        # A demo loaded before programmes, casework and referrals existed.
        seed_programmes(organisations[0], rng)
        seed_activities(organisations[0], rng)
        seed_casework(organisations[0], rng)
        seed_referrals(organisations, seed)
        return 0
    created = 0
    # Most persons at the first NGO (the one whose logins are printed), some elsewhere.
    created += seed_households(organisations[0], int(persons * 0.7 / 3.2), rng)
    for org in organisations[1:3]:
        created += seed_households(org, int(persons * 0.15 / 3.2), rng)
    seed_programmes(organisations[0], rng)
    seed_activities(organisations[0], rng)
    seed_casework(organisations[0], rng)
    seed_data_protection(organisations[0], rng)
    seed_referrals(organisations, seed)
    return created


@transaction.atomic
def seed_data_protection(organisation, rng):
    """What the data protection contact finds: open requests with their deadlines (one of them
    extended), one answered, a restricted record and one under a legal hold."""
    admin = (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN)
        .select_related("user", "organisation")
        .first()
    )
    persons = list(Person.objects.filter(organisation=organisation, birth_year__lt=2000)[:40])
    if admin is None or len(persons) < 5:
        return
    asker, eraser, answered, restricted, held = rng.sample(persons, 5)
    today = timezone.localdate()
    complex_request = privacy.request_open(
        member=admin,
        person=asker,
        kind=RequestKind.ACCESS,
        received_on=today - datetime.timedelta(days=3),
        note="Vprašala na okencu, osebna izkaznica preverjena",
    )
    privacy.request_extend(
        member=admin,
        subject_request=complex_request,
        reason="Zapisi iz treh programov in dveh let, tudi v papirni obliki",
    )
    privacy.request_open(
        member=admin,
        person=eraser,
        kind=RequestKind.ERASURE,
        received_on=today - datetime.timedelta(days=24),
        note="Pisna zahteva po pošti",
    )
    done = privacy.request_open(
        member=admin,
        person=answered,
        kind=RequestKind.ACCESS,
        received_on=today - datetime.timedelta(days=40),
    )
    privacy.request_close(
        member=admin,
        subject_request=done,
        state=RequestState.DONE,
        outcome="Izvoz predan osebno, v tiskani obliki",
    )
    privacy.person_restrict(
        member=admin,
        person=restricted,
        reason="Oseba oporeka točnosti podatkov o statusu; preverjamo na upravni enoti",
    )
    privacy.legal_hold_set(
        member=admin,
        person=held,
        reason="Upravni spor, Upravno sodišče I U 1234/2026",
        until=today + datetime.timedelta(days=180),
    )


def bulk_persons(organisation, count, seed=1, batch=5000, names=None):
    """Write `count` persons fast (no audit, no households): data for benchmarks only.

    `names` replaces the demo pools' countries and names (a benchmark's real-world lists): a
    callable `names(rng, sex)` → (country, like, (given, given_latin), (family, family_latin)),
    where `like` is the demo country whose residence statuses and languages the person gets and
    an empty Latin form is filled in from the name, as on registration.
    """
    rng = random.Random(seed)
    today = timezone.localdate()
    vocabulary = set()
    written = 0
    while written < count:
        size = min(batch, count - written)
        people, aliases = [], []
        for _ in range(size):
            if names is None:
                country = _country(rng)
            municipality, streets = rng.choice(MUNICIPALITIES)
            sex = rng.choice([Sex.MALE, Sex.FEMALE])
            if names is None:
                like, family = country, pick(rng.choice(POOLS[country]["family"]))
            else:
                country, like, given, family = names(rng, sex)
            fields = _person_fields(
                rng,
                like,
                sex,
                (0, 80),
                family,
                municipality,
                f"{rng.choice(streets)} {rng.randint(1, 120)}",
                today,
            )
            if names is not None:
                fields["given_name"], fields["given_name_latin"] = given
                fields["family_name"], fields["family_name_latin"] = family
                fields["country_of_origin"] = fields["citizenship"] = country
            person = Person(organisation=organisation, **fields)
            services.person_prepare(person)
            people.append(person)
            aliases.append(())
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1000)
            keys, languages = [], []
            for person in people:
                person_keys = services.person_search_keys(person)
                vocabulary.update(person_keys)
                keys.extend(services.search_key_rows(person, person_keys))
                languages.append(PersonLanguage(person=person, language=person.preferred_language))
            PersonSearchKey.objects.bulk_create(keys, batch_size=5000)
            PersonLanguage.objects.bulk_create(languages, batch_size=5000)
        written += size
    services.search_vocabulary_add(organisation.pk, vocabulary)
    return written
