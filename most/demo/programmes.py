"""The demo's programmes: the two of the practices, as data, with participants at every stage.

The family programme (psychosocial support to migrant families: five areas of concern, families
as the unit) and the eight-month social activation programme for women (strict eligibility,
three parts). Situations (work, assistance, education, school) are recorded first, so that the
rules have facts to read.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from most.accounts.models import Membership, Role
from most.people import services as people_services
from most.people.models import Household, HouseholdMember, Person, SituationKind
from most.people.situations import situation_record
from most.programmes import activity_services, eligibility, services
from most.programmes.models import Enrolment, EnrolmentStatus

ACTIVATION_RULES = {
    "all": [
        {"field": "age", "op": "gte", "value": 18},
        {"field": "sex", "op": "in", "values": ["F"]},
        {"field": "residence_status", "op": "in", "values": ["PERMANENT_RESIDENCE", "SI_CITIZEN"]},
        {"field": "slovenian_level", "op": "in", "values": ["PRE_A1", "A1", "A2"]},
        {
            "any": [
                {
                    "field": "social_assistance",
                    "op": "in",
                    "values": ["FINANCIAL", "INCOME_SUPPORT"],
                },
                {
                    "field": "employment_status",
                    "op": "in",
                    "values": ["UNEMPLOYED_REGISTERED", "UNEMPLOYED", "INACTIVE"],
                },
            ]
        },
    ]
}
FAMILY_RULES = {
    "all": [
        {"field": "household_role", "op": "in", "values": ["head", "spouse", "child", "parent"]},
        {"field": "residence_status", "op": "not_in", "values": ["SI_CITIZEN", "EU_CITIZEN"]},
    ]
}
FAMILY_AREAS = [
    "Medkulturno učenje in dialog",
    "Funkcionalna in računalniška pismenost",
    "Podpora učencem v osnovni in srednji šoli",
    "Informiranje o pravicah in dolžnostih",
    "Individualno svetovanje",
]

EMPLOYMENT = [
    ("UNEMPLOYED_REGISTERED", 30),
    ("INACTIVE", 25),
    ("EMPLOYED", 25),
    ("UNEMPLOYED", 8),
    ("IN_EDUCATION", 6),
    ("NOT_PERMITTED", 6),
]
ASSISTANCE = [("NONE", 50), ("FINANCIAL", 30), ("INCOME_SUPPORT", 5), ("CHILD_BENEFIT", 15)]
EDUCATION = [
    ("PRIMARY_INCOMPLETE", 12),
    ("PRIMARY", 30),
    ("UPPER_SECONDARY", 35),
    ("TERTIARY", 18),
    ("NONE", 5),
]
SCHOOLS = ["OŠ Livada", "OŠ Nove Fužine", "OŠ Toneta Čufarja", "Srednja šola za gostinstvo"]


def _weighted(rng, choices):
    return rng.choices([code for code, _w in choices], [w for _c, w in choices])[0]


def _school_year_start(today):
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def _coordinator(organisation):
    return (
        Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR)
        .select_related("user", "organisation")
        .first()
    )


def _seed_situations(member, rng, today):
    """Every adult's work, assistance and education, every school-age child's school."""
    for person in Person.objects.filter(organisation=member.organisation, erased_at=None):
        age = person.age_on(today)
        if age is None:
            continue
        since = today - datetime.timedelta(days=rng.randint(20, 500))
        if age >= 18:
            facts = [
                (SituationKind.EMPLOYMENT, _weighted(rng, EMPLOYMENT)),
                (SituationKind.SOCIAL_ASSISTANCE, _weighted(rng, ASSISTANCE)),
                (SituationKind.EDUCATION, _weighted(rng, EDUCATION)),
            ]
            for kind, value in facts:
                situation_record(
                    member=member,
                    person=person,
                    fields={"kind": kind, "value": value, "since": since},
                )
        elif 6 <= age <= 18:
            primary = age <= 14
            situation_record(
                member=member,
                person=person,
                fields={
                    "kind": SituationKind.SCHOOL,
                    "value": "PRIMARY" if primary else "SECONDARY",
                    "school": rng.choice(SCHOOLS[:3] if primary else SCHOOLS[3:]),
                    "grade": age - 5 if primary else age - 14,
                    "since": datetime.date(
                        today.year if today.month >= 9 else today.year - 1, 9, 1
                    ),
                },
            )


def _settle_some_women(member, rng):
    """Women who came years ago hold permanent residence by now: enough of them for the
    activation programme to fill and to have a waiting list."""
    women = Person.objects.filter(
        organisation=member.organisation, sex="F", slovenian_level__in=["PRE_A1", "A1", "A2"]
    ).exclude(residence_status__in=["PERMANENT_RESIDENCE", "SI_CITIZEN"])
    for woman in women.order_by("pk")[:40]:
        facts = eligibility.facts_of(woman)
        facts["residence_status"] = "PERMANENT_RESIDENCE"
        if not eligibility.reasons(ACTIVATION_RULES, facts) and rng.random() < 0.8:
            people_services.person_update(
                member=member,
                person=woman,
                version=woman.version,
                fields={"residence_status": "PERMANENT_RESIDENCE"},
            )


@transaction.atomic
def seed_programmes(organisation, rng):
    member = _coordinator(organisation)
    if member is None or organisation.programmes.exists():
        return
    today = timezone.localdate()
    _seed_situations(member, rng, today)
    started = today - datetime.timedelta(days=95)
    activation = services.programme_create(
        member=member,
        fields={
            "name": "Socialna aktivacija žensk migrantk",
            "description": (
                "Osemmesečni program za ženske, ki ne govorijo slovensko: osebna rast v majhnih "
                "skupinah, spoznavanje dela in študija z oceno potreb, nato priprava na "
                "zaposlitev ali izobraževanje skupaj z delodajalci."
            ),
            "target_group": "Odrasle ženske migrantke brez zaposlitve ali s socialno pomočjo",
            "capacity": 12,
            "starts_on": started,
            "ends_on": started + datetime.timedelta(days=243),
        },
        phases=[
            ("Osebna rast v majhnih skupinah", 10),
            ("Spoznavanje dela in študija, ocena potreb", 12),
            ("Priprava na zaposlitev ali izobraževanje", 13),
        ],
        areas=["Osebna rast", "Delovne kompetence", "Zaposlitev in izobraževanje"],
    )
    activation = services.programme_rules_save(
        member=member, programme=activation, version=activation.version, rule=ACTIVATION_RULES
    )
    _settle_some_women(member, rng)
    women = list(
        eligibility.eligible(ACTIVATION_RULES, Person.objects.filter(organisation=organisation))[
            :15
        ]
    )
    for woman in women:
        services.enrol(member=member, programme=activation, persons=[woman])
    active = list(Enrolment.objects.filter(programme=activation, status=EnrolmentStatus.ACTIVE))
    Enrolment.objects.filter(programme=activation).update(started_on=started)
    for enrolment in active[:6]:
        enrolment.refresh_from_db()
        enrolment.phases.update(started_on=started)
        services.enrolment_next_phase(
            member=member,
            enrolment=enrolment,
            version=enrolment.version,
            on=started + datetime.timedelta(weeks=10),
        )
    if len(active) > 8:
        dropped = active[-1]
        dropped.refresh_from_db()
        services.enrolment_move(
            member=member,
            enrolment=dropped,
            to=EnrolmentStatus.DROPPED_OUT,
            reason="employment",
            version=dropped.version,
            note="Zaposlitev v kuhinji vrtca",
        )

    family = services.programme_create(
        member=member,
        fields={
            "name": "Psihosocialna podpora družinam priseljencev",
            "description": (
                "Družine se vključijo skupaj: delavnice, tečaji, šport, plavalni tečaj, obiski "
                "gledališč in muzejev, vpis v knjižnico, pomoč pri obrazcih, iskanju zaposlitve "
                "in stanovanja, učna pomoč šolarjem."
            ),
            "target_group": "Družine priseljencev z otroki v osnovni ali srednji šoli",
            "capacity": 40,
            "starts_on": _school_year_start(today),
        },
        phases=[("Spoznavanje in ocena potreb", 4), ("Dejavnosti skozi leto", 36)],
        areas=FAMILY_AREAS,
    )
    family = services.programme_rules_save(
        member=member, programme=family, version=family.version, rule=FAMILY_RULES
    )
    households = (
        HouseholdMember.objects.filter(household__organisation=organisation, relationship="child")
        .values_list("household", flat=True)
        .distinct()
        .order_by("household")
    )
    for household in Household.objects.filter(pk__in=list(households[:12])):
        try:
            services.enrol_household(member=member, programme=family, household=household)
        except ValidationError:
            continue  # nobody of the family is eligible: not in the demo's programme


def _activity(member, programme, rng, *, title, kind, weekday, starts, hours, weeks, **fields):
    """A weekly activity from the programme's first week, with the attendance of its past
    sessions (most come, some are excused, a few are absent)."""
    first = programme.starts_on + datetime.timedelta(
        days=(weekday - programme.starts_on.weekday()) % 7
    )
    end = (datetime.datetime.combine(first, starts) + datetime.timedelta(hours=hours)).time()
    activity = activity_services.activity_create(
        member=member,
        programme=programme,
        fields={"kind": kind, "title": title, "facilitator": member.user, **fields},
        plan={
            "first_day": first,
            "starts": starts,
            "ends": end,
            "every_weeks": 1 if weeks > 1 else 0,
            "count": weeks if weeks > 1 else None,
        },
    )
    today = timezone.localdate()
    for session in activity.sessions.filter(starts_at__date__lt=today):
        group = list(activity_services.group_of(session).values_list("pk", flat=True))
        if not group:
            continue
        presences = {
            pk: rng.choices(["present", "excused", "absent"], [85, 9, 6])[0] for pk in group
        }
        activity_services.attendance_save(member=member, session=session, presences=presences)
    return activity


@transaction.atomic
def seed_activities(organisation, rng):
    member = _coordinator(organisation)
    activation = organisation.programmes.filter(name__startswith="Socialna").first()
    family = organisation.programmes.filter(name__startswith="Psihosocialna").first()
    if member is None or activation is None or activation.activities.exists():
        return
    first_phase = activation.phases.order_by("position").first()
    second_phase = activation.phases.order_by("position")[1]
    areas = {area.position: area for area in family.areas.all()}
    plans = [
        (
            activation,
            "Skupina za osebno rast",
            "group",
            1,
            datetime.time(9),
            2,
            24,
            {"phase": first_phase, "place": "Dnevni center, Resljeva 5"},
        ),
        (
            activation,
            "Spoznavanje poklicev",
            "workshop",
            3,
            datetime.time(9),
            3,
            12,
            {"phase": second_phase, "place": "Dnevni center, Resljeva 5"},
        ),
        (
            family,
            "Učna pomoč za šolarje",
            "course",
            2,
            datetime.time(16),
            2,
            20,
            {"area": areas[3], "place": "OŠ Livada, učilnica 12"},
        ),
        (
            family,
            "Računalniška pismenost",
            "course",
            3,
            datetime.time(17),
            2,
            10,
            {"area": areas[2], "place": "Knjižnica Fužine"},
        ),
        (
            family,
            "Plavalni tečaj",
            "sport",
            5,
            datetime.time(10),
            1,
            8,
            {"area": areas[1], "place": "Kopališče Tivoli"},
        ),
        (
            family,
            "Obisk Narodnega muzeja",
            "visit",
            5,
            datetime.time(11),
            2,
            1,
            {"area": areas[1], "place": "Narodni muzej Slovenije"},
        ),
        (
            family,
            "Pravice in dolžnosti tujcev",
            "information",
            1,
            datetime.time(17),
            2,
            1,
            {"area": areas[4], "place": "Dnevni center, Resljeva 5"},
        ),
    ]
    for programme, title, kind, weekday, starts, hours, weeks, fields in plans:
        _activity(
            member,
            programme,
            rng,
            title=title,
            kind=kind,
            weekday=weekday,
            starts=starts,
            hours=hours,
            weeks=weeks,
            **fields,
        )
