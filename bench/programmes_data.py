"""The programmes benchmark's data, written in bulk (minutes, where the services would take many
hours): persons with real names and their situation over time, households and consents;
programmes with eligibility rules, phases and areas of concern; cohorts of participants moving
through the phases; activities with weekly sessions and the attendance recorded at them; and
the casework of participants.

How the programmes run, as the application models them (most.programmes): an activity's group is
the programme's participants in the activity's phase (activity_services.group_of), so a
programme takes a new cohort of 8–30 persons each time the previous one has left its longest
phase: the cohorts move through the phases one behind the other, each phase holding one cohort,
each cohort-phase with its activities (courses, workshops, group sessions, visits) meeting once
to several times a week for the phase's weeks. Past cohorts completed (or dropped out on the
way, with a reason); the current cohort takes part now. Each programme also has its waiting
list, open applications and applicants who declined the place. Besides the groups, 5 % of the
activities are individual help for one participant. Programmes began up to seven years ago; the
first organisation's three oldest (six to eight years), with the activation, family and job
seekers' rules, meet most often and have the longest waiting lists.

Everything is written the way the services write it, without their audit entries (like
`bulk_persons`); the eligibility rules are checked by `eligibility.check` as when saved.

Django and the application are imported inside the functions: they run in the child process,
after DATABASE_URL names the fresh database and django.setup().
"""

import datetime
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from names import NamePools

SEED = 11
# Where the persons are (index in the demo's ORGANISATIONS, share): most in the first NGO,
# whose coordinator the benchmark signs in as; the rest in three other organisations of the
# network, with programmes of their own.
PERSON_SHARES = ((0, 0.90), (1, 0.05), (2, 0.03), (5, 0.02))
PROGRAMME_SHARES = ((0, 0.66), (1, 0.14), (2, 0.11), (5, 0.09))
FACILITATORS = {0: 12, 1: 4, 2: 3, 5: 3}  # facilitators (mediators) beside the demo's users
GROUP = (8, 30)  # a cohort's size
TIMED_GROUP = 25  # the first organisation's current cohorts: the group whose attendance is saved
RECENT = datetime.timedelta(days=14)  # its sessions of the last two weeks: attendance not taken
INDIVIDUAL_SHARE = 0.05  # of the activities: individual help for one participant
CANCELLED_SHARE = 0.03  # of the sessions
ATTENDANCE_MARGIN = 1.05  # sessions planned for 5 % more rows than asked: some go unrecorded
CASEWORK_SHARE = 0.5  # of the participants: assessments, plans, counselling, outcomes
HOUSEHOLD_START = 0.11  # a household of 2–5 consecutive persons begins: ~30 % in one
CONSENT_SHARE = 0.6

JOBSEEKER_RULES = {
    "all": [
        {"field": "age", "op": "gte", "value": 18},
        {"field": "age", "op": "lte", "value": 64},
        {
            "field": "employment_status",
            "op": "in",
            "values": ["UNEMPLOYED_REGISTERED", "UNEMPLOYED"],
        },
    ]
}


@dataclass(frozen=True)
class Template:
    """A kind of programme: its rules, its phases (name, weeks), areas and activities; and whom
    it takes (sex, ages), which the cohorts are drawn from."""

    key: str
    name: str
    rules: dict
    phases: tuple
    areas: tuple
    activities: tuple  # (kind, title)
    sex: str | None = None
    ages: tuple = (18, 80)


def _templates():
    from most.demo.programmes import ACTIVATION_RULES, FAMILY_AREAS, FAMILY_RULES

    age = lambda op, n: {"field": "age", "op": op, "value": n}  # noqa: E731
    return [
        Template(
            "activation",
            "Socialna aktivacija žensk migrantk",
            ACTIVATION_RULES,
            (
                ("Osebna rast v majhnih skupinah", 10),
                ("Spoznavanje dela in študija, ocena potreb", 12),
                ("Priprava na zaposlitev ali izobraževanje", 13),
            ),
            ("Osebna rast", "Delovne kompetence", "Zaposlitev in izobraževanje"),
            (
                ("group", "Skupina za osebno rast"),
                ("workshop", "Spoznavanje poklicev"),
                ("course", "Slovenščina za vsakdan"),
                ("course", "Računalniška pismenost"),
                ("visit", "Obisk pri delodajalcu"),
            ),
            sex="F",
            ages=(18, 64),
        ),
        Template(
            "family",
            "Psihosocialna podpora družinam priseljencev",
            FAMILY_RULES,
            (("Spoznavanje in ocena potreb", 4), ("Dejavnosti skozi leto", 30)),
            tuple(FAMILY_AREAS),
            (
                ("course", "Učna pomoč za šolarje"),
                ("workshop", "Medkulturna delavnica"),
                ("course", "Računalniška pismenost"),
                ("sport", "Plavalni tečaj"),
                ("information", "Pravice in dolžnosti tujcev"),
                ("visit", "Obisk Narodnega muzeja"),
            ),
            ages=(0, 80),
        ),
        Template(
            "jobs",
            "Priprava na zaposlitev",
            JOBSEEKER_RULES,
            (("Ocena zaposlitvenih možnosti", 6), ("Usposabljanje", 10), ("Iskanje zaposlitve", 8)),
            ("Poklicna orientacija", "Usposabljanje", "Iskanje zaposlitve"),
            (
                ("workshop", "Pisanje življenjepisa"),
                ("course", "Usposabljanje za delo v gostinstvu"),
                ("workshop", "Priprava na razgovor"),
                ("visit", "Obisk delodajalca"),
            ),
            ages=(18, 64),
        ),
        Template(
            "language",
            "Tečaj slovenščine za začetnike",
            {
                "all": [
                    age("gte", 16),
                    {"field": "slovenian_level", "op": "in", "values": ["PRE_A1", "A1"]},
                ]
            },
            (("Raven A1", 12), ("Raven A2", 12)),
            ("Jezik in sporazumevanje",),
            (
                ("course", "Slovenščina, slovnica"),
                ("course", "Slovenščina, pogovor"),
                ("visit", "Učna ura v mestu"),
            ),
            ages=(16, 75),
        ),
        Template(
            "school",
            "Učna pomoč za šolarje",
            {"all": [age("gte", 6), age("lte", 18)]},
            (("Prvo polletje", 18), ("Drugo polletje", 18)),
            ("Slovenščina", "Matematika", "Domače naloge"),
            (
                ("course", "Učna pomoč, slovenščina"),
                ("course", "Učna pomoč, matematika"),
                ("group", "Domače naloge"),
            ),
            ages=(6, 18),
        ),
        Template(
            "women",
            "Ženska skupina za samopomoč",
            {"all": [{"field": "sex", "op": "in", "values": ["F"]}, age("gte", 18)]},
            (("Srečanja", 20),),
            ("Opora", "Zdravje"),
            (("group", "Srečanje skupine"), ("workshop", "Zdravje in skrb zase")),
            sex="F",
            ages=(18, 80),
        ),
        Template(
            "youth",
            "Mladi in izobraževanje",
            {
                "all": [
                    age("gte", 15),
                    age("lte", 24),
                    {
                        "field": "education_level",
                        "op": "in",
                        "values": ["NONE", "PRIMARY_INCOMPLETE", "PRIMARY"],
                    },
                ]
            },
            (("Ocena znanja", 6), ("Priprava na vpis", 12)),
            ("Izobraževanje", "Poklicna orientacija"),
            (
                ("course", "Priprava na izpite"),
                ("workshop", "Poklici in šole"),
                ("visit", "Dan odprtih vrat"),
            ),
            ages=(15, 24),
        ),
        Template(
            "protection",
            "Vključevanje oseb z mednarodno zaščito",
            {
                "all": [
                    {
                        "field": "residence_status",
                        "op": "in",
                        "values": ["IP_REFUGEE", "IP_SUBSIDIARY"],
                    }
                ]
            },
            (("Prvi koraki", 6), ("Samostojno življenje", 14)),
            ("Pravice in storitve", "Stanovanje", "Skupnost"),
            (
                ("information", "Kako deluje Slovenija"),
                ("workshop", "Iskanje stanovanja"),
                ("group", "Srečanje s prostovoljci"),
            ),
            ages=(0, 80),
        ),
        Template(
            "rights",
            "Informativne delavnice o pravicah",
            {"all": []},
            (("Delavnice", 10),),
            ("Pravice in dolžnosti",),
            (("information", "Pravice delavcev"), ("information", "Zdravstveno zavarovanje")),
            ages=(16, 80),
        ),
        Template(
            "digital",
            "Digitalna pismenost",
            {"all": [age("gte", 18)]},
            (("Osnove", 8), ("E-uprava in e-bančništvo", 8)),
            ("Digitalne veščine",),
            (("course", "Računalnik in telefon"), ("course", "E-uprava")),
            ages=(18, 80),
        ),
    ]


PLACES = [
    "Dnevni center, Resljeva 5",
    "Knjižnica Fužine",
    "OŠ Livada, učilnica 12",
    "Četrtna skupnost Moste",
    "Mladinski center Šiška",
    "Medgeneracijski center Bežigrad",
    "Kopališče Tivoli",
    "Narodni muzej Slovenije",
]
TIMES = [(9, 0), (10, 0), (14, 0), (16, 0), (17, 0), (18, 0)]
DROPOUT_REASONS = [
    ("employment", 25),
    ("moved", 15),
    ("health", 10),
    ("care", 15),
    ("no_contact", 20),
    ("education", 5),
    ("other", 10),
]
EMPLOYER_JOBS = ["Pomočnica v kuhinji", "Sobarica", "Čistilec", "Skladiščnik", "Natakar"]
GOAL_TITLES = [
    ("HO.LANGUAGE_COMMUNICATION", "Tečaj slovenščine do ravni A2", "Vpis na tečaj"),
    ("HO.WORK", "Prijava na Zavodu za zaposlovanje", "Spremstvo na prvi razgovor"),
    ("HO.HOUSING", "Najem stanovanja", "Pregled ponudb neprofitnih stanovanj"),
    ("HO.HEALTH_SOCIAL_CARE", "Izbira osebnega zdravnika", "Prijava v zdravstveni dom"),
    ("HO.EDUCATION", "Priznanje izobrazbe", "Vloga na ENIC-NARIC centru"),
    ("HO.DIGITAL_SKILLS", "Uporaba e-uprave", "Delavnica o SI-PASS"),
]
SUMMARIES = [
    "Pogovor o iskanju zaposlitve in urniku tečaja slovenščine.",
    "Pomoč pri izpolnjevanju vloge za denarno socialno pomoč.",
    "Dogovor o vpisu otrok v šolo in o prevozu.",
    "Pogovor o stanovanjskih težavah; dogovor za obisk CSD.",
]


@dataclass(frozen=True)
class Sizes:
    persons: int
    programmes: int
    activities: int
    attendance: int


@dataclass
class Member:
    """A participant of a cohort: taking part from `start` until the day before `until`
    (None: still taking part), present with probability `presence`."""

    person: int
    start: datetime.date
    until: datetime.date | None
    presence: float
    enrolment: object = None

    def on(self, day):
        return self.start <= day and (self.until is None or day < self.until)


@dataclass
class Cohort:
    programme: "ProgrammePlan"
    start: datetime.date
    current: bool
    members: list = field(default_factory=list)

    def window(self, phase):
        """The phase's first day and the day after its last."""
        plan = self.programme
        first = self.start + datetime.timedelta(weeks=plan.offsets[phase])
        return first, first + datetime.timedelta(weeks=plan.weeks[phase])

    def phase_on(self, day):
        for index in range(len(self.programme.weeks)):
            first, end = self.window(index)
            if first <= day < end:
                return index
        return len(self.programme.weeks) - 1


@dataclass
class ProgrammePlan:
    template: Template
    org: int  # index in the demo's ORGANISATIONS
    programme: object
    weeks: list
    # The first organisation's three oldest programmes (activation, family, job seekers): the
    # most intensive, with the longest waiting lists.
    flagship: bool = False
    phases: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)

    @property
    def offsets(self):
        return [sum(self.weeks[:i]) for i in range(len(self.weeks))]

    @property
    def length(self):
        return sum(self.weeks)

    @property
    def interval(self):
        """Weeks between two cohorts: each phase holds one cohort at a time."""
        return max(self.weeks)


@dataclass
class ActivityPlan:
    programme: ProgrammePlan
    cohort: Cohort | None
    phase: int | None
    member: Member | None  # individual help
    kind: str
    title: str
    first: datetime.date
    weeks: int
    base: int  # sessions before scaling
    scaled: bool
    time: tuple
    minutes: int
    activity: object = None
    days: list = field(default_factory=list)
    weekdays: list = field(default_factory=list)  # in the order they are taken up

    def members_on(self, day):
        if self.member is not None:
            return [self.member] if self.member.on(day) else []
        return [m for m in self.cohort.members if m.on(day)]


def _weighted(rng, choices):
    return rng.choices([code for code, _w in choices], [w for _c, w in choices])[0]


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def prepare(stage):
    """Migrate, seed the demo's organisations and users, add facilitators. Returns
    (organisations by index, {organisation index: [staff user ids]}, the coordinator's
    membership)."""
    import time

    from django.core.management import call_command

    from most.accounts.models import Membership, Role, User
    from most.demo.generator import DEMO_DOMAIN, seed_organisations_and_users

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    stage("migrate", start)
    organisations = seed_organisations_and_users()
    staff = {}
    for index, count in FACILITATORS.items():
        organisation = organisations[index]
        for n in range(1, count + 1):
            user = User.objects.create_user(
                email=f"facilitator{n}.{organisation.pk}@{DEMO_DOMAIN}",
                password=None,
                full_name=f"Facilitator {n} ({organisation.name})",
            )
            Membership.objects.create(user=user, organisation=organisation, role=Role.MEDIATOR)
        staff[index] = list(
            Membership.objects.filter(organisation=organisation, is_active=True)
            .exclude(role__in=[Role.ANALYST, Role.TRAINER])
            .values_list("user_id", flat=True)
        )
    coordinator = Membership.objects.select_related("user", "organisation").get(
        user__email=f"coordinator@{DEMO_DOMAIN}", organisation=organisations[0]
    )
    return organisations, staff, coordinator


def name_pools(path):
    return NamePools(json.loads(Path(path).read_text(encoding="utf-8")))


class World:
    """One set of persons, programmes, activities and attendance (a benchmark writes a small one
    first, to count the pages' statements at that size, then the full one)."""

    def __init__(self, sizes, seed, organisations, staff, names):
        from django.utils import timezone

        self.sizes = sizes
        self.rng = random.Random(seed)
        self.seed = seed
        self.organisations = organisations
        self.staff = staff
        self.names = names
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.templates = _templates()
        self.persons = {}  # org index → [(pk, sex, age)]
        self.facts = {}  # pk → (org index, sex, age)
        self.counts = Counter()
        self.attendance_by_programme = Counter()
        self.attendance_by_person = Counter()
        self.in_household = set()

    # --- persons ----------------------------------------------------------------------------

    def write_persons(self):
        from most.demo.generator import bulk_persons
        from most.people.models import Person

        for n, (index, share) in enumerate(PERSON_SHARES):
            if n == 0:
                count = self.sizes.persons - sum(
                    round(self.sizes.persons * s) for _i, s in PERSON_SHARES[1:]
                )
            else:
                count = round(self.sizes.persons * share)
            organisation = self.organisations[index]
            last = (
                Person.objects.filter(organisation=organisation)
                .order_by("-pk")
                .values_list("pk", flat=True)
                .first()
            ) or 0
            bulk_persons(organisation, count, seed=self.seed * 10 + n, names=self.names)
            rows = (
                Person.objects.filter(organisation=organisation, pk__gt=last)
                .order_by("pk")
                .values_list("pk", "sex", "birth_year")
            )
            self.persons[index] = []
            for pk, sex, born in rows.iterator(chunk_size=10_000):
                age = None if born is None else self.today.year - born
                self.persons[index].append((pk, sex, age))
                self.facts[pk] = (index, sex, age)
            self.counts["persons"] += len(self.persons[index])

    def write_situations_households_consents(self):
        """Every adult's work, assistance and education (a third also an earlier work status),
        every school-age child's school; households of 2–5 persons; consents; audit keys."""
        from django.db import transaction

        from most.demo.programmes import ASSISTANCE, EDUCATION, EMPLOYMENT, SCHOOLS
        from most.people.models import Situation, SituationKind

        rng = self.rng
        for index, persons in self.persons.items():
            situations = []
            for pk, _sex, age in persons:
                if age is None:
                    continue
                since = self.today - datetime.timedelta(days=rng.randint(20, 1500))
                if age >= 18:
                    facts = [
                        (SituationKind.EMPLOYMENT, _weighted(rng, EMPLOYMENT)),
                        (SituationKind.SOCIAL_ASSISTANCE, _weighted(rng, ASSISTANCE)),
                        (SituationKind.EDUCATION, _weighted(rng, EDUCATION)),
                    ]
                    if rng.random() < 0.33:
                        earlier = since - datetime.timedelta(days=rng.randint(60, 900))
                        situations.append(
                            Situation(
                                person_id=pk,
                                kind=SituationKind.EMPLOYMENT,
                                value=_weighted(rng, EMPLOYMENT),
                                since=earlier,
                            )
                        )
                    for kind, value in facts:
                        situations.append(
                            Situation(person_id=pk, kind=kind, value=value, since=since)
                        )
                elif 6 <= age < 18:
                    primary = age <= 14
                    situations.append(
                        Situation(
                            person_id=pk,
                            kind=SituationKind.SCHOOL,
                            value="PRIMARY" if primary else "SECONDARY",
                            school=rng.choice(SCHOOLS[:3] if primary else SCHOOLS[3:]),
                            grade=age - 5 if primary else age - 14,
                            since=datetime.date(self.today.year - (self.today.month < 9), 9, 1),
                        )
                    )
            with transaction.atomic():
                Situation.objects.bulk_create(situations, batch_size=5000)
                self._households(index, persons)
                self._consents(index, persons)
                self._audit_keys(persons)
            self.counts["situations"] += len(situations)

    def _audit_keys(self, persons):
        """Each person's audit key, which registering them made (their audit entries are
        sealed with it): a page that audits a view of the person finds it."""
        from cryptography.fernet import Fernet

        from most.audit.models import AuditKey
        from most.audit.sealing import master

        wrap = master().encrypt
        keys = [
            AuditKey(subject=f"person:{pk}", wrapped=wrap(Fernet.generate_key()).decode())
            for pk, _sex, _age in persons
        ]
        AuditKey.objects.bulk_create(keys, batch_size=5000)

    def _households(self, index, persons):
        from most.people.models import Household, HouseholdMember, Person

        rng = self.rng
        groups, i = [], 0
        while i < len(persons):
            if rng.random() < HOUSEHOLD_START:
                size = min(rng.randint(2, 5), len(persons) - i)
                if size >= 2:
                    groups.append(persons[i : i + size])
                    i += size
                    continue
            i += 1
        heads = {
            pk: (family, municipality, address)
            for pk, family, municipality, address in Person.objects.filter(
                pk__in=[max(g, key=lambda p: p[2] or 0)[0] for g in groups]
            ).values_list("pk", "family_name_latin", "municipality", "address")
        }
        households, members = [], []
        for group in groups:
            ordered = sorted(group, key=lambda p: -(p[2] or 0))
            family, municipality, address = heads[ordered[0][0]]
            household = Household(
                organisation=self.organisations[index],
                name=family,
                municipality=municipality,
                address=address,
            )
            households.append(household)
            spouse = False
            roles = []
            for position, (pk, _sex, age) in enumerate(ordered):
                if position == 0:
                    role = "head"
                elif (age or 0) >= 60:
                    role = "parent"
                elif (age or 0) >= 18 and not spouse:
                    role, spouse = "spouse", True
                elif (age or 0) < 18:
                    role = "child"
                else:
                    role = "sibling"
                roles.append((pk, role))
            members.append(roles)
        Household.objects.bulk_create(households, batch_size=2000)
        rows = [
            HouseholdMember(household=household, person_id=pk, relationship=role)
            for household, roles in zip(households, members, strict=True)
            for pk, role in roles
        ]
        HouseholdMember.objects.bulk_create(rows, batch_size=5000)
        self.in_household.update(row.person_id for row in rows)
        self.counts["households"] += len(households)
        self.counts["household members"] += len(rows)

    def _consents(self, index, persons):
        from most.people.models import Consent, ConsentEvidence, ConsentPurpose

        rng, consents = self.rng, []
        organisation = self.organisations[index]
        for pk, _sex, age in persons:
            if rng.random() >= CONSENT_SHARE:
                continue
            given_on = self.today - datetime.timedelta(days=rng.randint(5, 1500))
            evidence = ConsentEvidence.SIGNED_FORM if (age or 0) >= 18 else ConsentEvidence.GUARDIAN
            common = {"person_id": pk, "organisation": organisation, "evidence": evidence}
            consents.append(
                Consent(
                    purpose=ConsentPurpose.REGISTRATION,
                    given_on=given_on,
                    evidence_reference=f"Mapa {rng.randint(1, 40)}/{given_on.year}",
                    **common,
                )
            )
            if rng.random() < 0.4:
                withdrawn = None
                if rng.random() < 0.08:
                    withdrawn = min(
                        self.today, given_on + datetime.timedelta(days=rng.randint(10, 600))
                    )
                consents.append(
                    Consent(
                        purpose=ConsentPurpose.SHARING,
                        given_on=given_on,
                        expires_on=given_on + datetime.timedelta(days=730),
                        withdrawn_on=withdrawn,
                        scope="Napotitve na CSD, zavod za zaposlovanje in šolo",
                        **common,
                    )
                )
        Consent.objects.bulk_create(consents, batch_size=5000)
        self.counts["consents"] += len(consents)

    # --- programmes and their participants -----------------------------------------------------

    def write_programmes(self):
        """The programmes with their phases and areas, the cohorts and every enrolment."""
        from django.db import transaction

        from most.programmes import eligibility
        from most.programmes.models import Area, Phase, Programme

        rng = self.rng
        plans = []
        allocation = self._programmes_per_organisation()
        for index, count in allocation.items():
            seen = Counter()
            for n in range(count):
                template = self.templates[(n + (index * 3 if index else 0)) % len(self.templates)]
                seen[template.key] += 1
                flagship = index == 0 and n < 3
                years = rng.uniform(6, 8) if flagship else rng.uniform(0.5, 7)
                starts_on = _monday(self.today - datetime.timedelta(days=round(years * 365)))
                weeks = [max(3, w + rng.randint(-2, 2)) for _name, w in template.phases]
                length = datetime.timedelta(weeks=sum(weeks))
                ends_on, roll = None, rng.random()
                if not flagship and roll < 0.15 and starts_on + length < self.today:
                    ends_on = max(
                        starts_on + length,
                        self.today - datetime.timedelta(days=rng.randint(14, 300)),
                    )
                elif not flagship and roll < 0.5:
                    ends_on = self.today + datetime.timedelta(days=rng.randint(30, 365))
                place = rng.choice(PLACES).split(",")[0]
                name = template.name if seen[template.key] == 1 else f"{template.name} – {place}"
                programme = Programme(
                    organisation=self.organisations[index],
                    name=name[:200],
                    description=f"{template.name}: {', '.join(a for a in template.areas)}.",
                    target_group=template.name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    eligibility=eligibility.check(template.rules),
                    created_by_id=rng.choice(self.staff[index]),
                )
                plans.append(ProgrammePlan(template, index, programme, weeks, flagship))
        with transaction.atomic():
            Programme.objects.bulk_create([p.programme for p in plans])
            phases, areas = [], []
            for plan in plans:
                for position, ((name, _w), weeks) in enumerate(
                    zip(plan.template.phases, plan.weeks, strict=True), start=1
                ):
                    phase = Phase(
                        programme=plan.programme, position=position, name=name, planned_weeks=weeks
                    )
                    plan.phases.append(phase)
                    phases.append(phase)
                for position, name in enumerate(plan.template.areas):
                    area = Area(programme=plan.programme, name=name, position=position)
                    plan.areas.append(area)
                    areas.append(area)
            Phase.objects.bulk_create(phases)
            Area.objects.bulk_create(areas)
            self._enrol(plans)
        self.plans = plans
        self.counts["programmes"] += len(plans)
        self.counts["phases"] += sum(len(p.phases) for p in plans)

    def _programmes_per_organisation(self):
        total = self.sizes.programmes
        allocation = {index: round(total * share) for index, share in PROGRAMME_SHARES}
        allocation[0] = max(3, total - sum(v for i, v in allocation.items() if i != 0))
        while sum(allocation.values()) > max(total, 3):
            index = max((i for i in allocation if i != 0), key=lambda i: allocation[i])
            allocation[index] -= 1
        return allocation

    def _candidates(self, index, template):
        key = (index, template.key)
        if key not in self.__dict__.setdefault("_candidate_lists", {}):
            low, high = template.ages
            self._candidate_lists[key] = [
                pk
                for pk, sex, age in self.persons[index]
                if age is not None
                and low <= age <= high
                and (template.sex is None or sex == template.sex)
            ]
        return self._candidate_lists[key]

    def _draw(self, plan, taken, regulars):
        """A person for the programme: often one who took part in another programme before."""
        rng, template = self.rng, plan.template
        low, high = template.ages
        if regulars and rng.random() < 0.3:
            for _ in range(3):
                pk = rng.choice(regulars)
                _org, sex, age = self.facts[pk]
                fits = age is not None and low <= age <= high
                if fits and (template.sex is None or sex == template.sex) and pk not in taken:
                    taken.add(pk)
                    return pk
        candidates = self._candidates(plan.org, template)
        for _ in range(50):
            pk = rng.choice(candidates)
            if pk not in taken:
                taken.add(pk)
                return pk
        return None

    def _enrol(self, plans):
        from most.programmes.models import Enrolment, EnrolmentPhase, Programme

        rng = self.rng
        enrolments, phase_rows = [], []
        regulars = {index: [] for index in self.persons}
        for plan in plans:
            programme, taken = plan.programme, set()
            staff = self.staff[plan.org]
            interval = datetime.timedelta(weeks=plan.interval)
            length = datetime.timedelta(weeks=plan.length)
            start = programme.starts_on
            while start <= self.today and (
                programme.ends_on is None or start + length <= programme.ends_on
            ):
                current = start + length > self.today
                plan.cohorts.append(Cohort(plan, start, current))
                start += interval
            holders_now = 0
            for cohort in plan.cohorts:
                end = cohort.start + length
                forced = cohort.current and plan.org == 0
                holders = TIMED_GROUP if forced else rng.randint(*GROUP)
                dropped = rng.randint(0, 2) if cohort.current else round(holders * 0.2)
                for n in range(holders + dropped):
                    pk = self._draw(plan, taken, regulars[plan.org])
                    if pk is None:
                        continue
                    leaves = n >= holders
                    applied = cohort.start - datetime.timedelta(days=rng.randint(7, 60))
                    enrolment = Enrolment(
                        programme=programme,
                        person_id=pk,
                        applied_on=applied,
                        started_on=cohort.start,
                        created_by_id=rng.choice(staff),
                        created_at=_moment(applied, 10),
                    )
                    if leaves:
                        last = min(end, self.today)
                        until = cohort.start + datetime.timedelta(
                            days=rng.randint(1, max(1, (last - cohort.start).days))
                        )
                        enrolment.status = "dropped_out"
                        enrolment.dropout_reason = _weighted(rng, DROPOUT_REASONS)
                        enrolment.ended_on = until - datetime.timedelta(days=1)
                    elif cohort.current:
                        until = None
                        enrolment.status = "paused" if rng.random() < 0.06 else "active"
                    else:
                        until = end
                        enrolment.status = "completed"
                        enrolment.ended_on = end - datetime.timedelta(days=1)
                    member = Member(pk, cohort.start, until, rng.betavariate(8, 1.4), enrolment)
                    cohort.members.append(member)
                    regulars[plan.org].append(pk)
                    last_day = (until or self.today + datetime.timedelta(days=1)) - (
                        datetime.timedelta(days=1)
                    )
                    reached = cohort.phase_on(min(last_day, self.today))
                    enrolment.phase = plan.phases[reached]
                    for phase in range(reached + 1):
                        first, following = cohort.window(phase)
                        closed = following if phase < reached else until
                        phase_rows.append(
                            (
                                enrolment,
                                plan.phases[phase],
                                first,
                                None if closed is None else closed - datetime.timedelta(days=1),
                            )
                        )
                    enrolments.append(enrolment)
                    if until is None:
                        holders_now += 1
                # Who applied and declined the place.
                for _ in range(rng.randint(0, 2)):
                    pk = self._draw(plan, taken, regulars[plan.org])
                    if pk is None:
                        continue
                    applied = cohort.start - datetime.timedelta(days=rng.randint(10, 60))
                    enrolments.append(
                        Enrolment(
                            programme=programme,
                            person_id=pk,
                            applied_on=applied,
                            status="dropped_out",
                            dropout_reason="declined",
                            ended_on=min(
                                self.today, applied + datetime.timedelta(days=rng.randint(3, 20))
                            ),
                            created_by_id=rng.choice(staff),
                            created_at=_moment(applied, 11),
                        )
                    )
            if programme.ends_on is None or programme.ends_on > self.today:
                enrolments += self._waiting(plan, taken, regulars[plan.org], holders_now)
        Enrolment.objects.bulk_create(enrolments, batch_size=2000)
        EnrolmentPhase.objects.bulk_create(
            [
                EnrolmentPhase(enrolment=e, phase=p, started_on=first, ended_on=last)
                for e, p, first, last in phase_rows
            ],
            batch_size=5000,
        )
        Programme.objects.bulk_update([p.programme for p in plans], ["capacity"])
        by_status = Counter(e.status for e in enrolments)
        self.counts["enrolments"] += len(enrolments)
        for status, n in by_status.items():
            self.counts[f"enrolments {status}"] += n
        self.counts["enrolment phases"] += len(phase_rows)
        self.counts["participants"] += sum(len(c.members) for p in plans for c in p.cohorts)

    def _waiting(self, plan, taken, regulars, holders_now):
        """The waiting list and the applications not decided yet."""
        from most.programmes.models import Enrolment

        rng, rows = self.rng, []
        waiting = rng.randint(60, 120) if plan.flagship else rng.randint(0, 30)
        if waiting:  # full: its places are those of the cohorts taking part now
            plan.programme.capacity = holders_now
        for n in range(waiting + rng.randint(0, 10)):
            pk = self._draw(plan, taken, regulars)
            if pk is None:
                continue
            since = self.now - datetime.timedelta(days=rng.uniform(1, 300))
            applied = since.date()
            rows.append(
                Enrolment(
                    programme=plan.programme,
                    person_id=pk,
                    applied_on=applied,
                    status="waitlisted" if n < waiting else "applied",
                    waiting_since=since if n < waiting else None,
                    created_by_id=rng.choice(self.staff[plan.org]),
                    created_at=since,
                )
            )
        return rows

    # --- activities, sessions and attendance --------------------------------------------------

    def write_activities(self):
        """The activities of every cohort-phase that has begun (and of the phases still ahead
        of the cohorts taking part now), individual help, and their sessions. The sessions of
        the group activities are scaled so that their attendance comes to the size asked for."""
        from django.db import transaction

        from most.programmes.activity_services import MAX_SESSIONS
        from most.programmes.models import Activity, Session

        activities = self._plan_activities()
        scaled = sum(self._rows(a, self._days(a, a.base)) for a in activities if a.scaled)
        fixed = sum(self._rows(a, self._days(a, a.base)) for a in activities if not a.scaled)
        wanted = self.sizes.attendance * ATTENDANCE_MARGIN - fixed
        factor = max(0.05, wanted / scaled) if scaled else 1.0
        carry = 0.0
        for plan in activities:
            n = plan.base
            if plan.scaled:
                exact = plan.base * factor + carry
                n = max(1, min(MAX_SESSIONS, 5 * plan.weeks, round(exact)))
                carry = exact - n
            plan.days = self._days(plan, n)
        rng, zone = self.rng, _zone()
        sessions, self.reserved = [], []
        with transaction.atomic():
            for plan in activities:
                index = plan.programme.org
                per_week = len({day.weekday() for day in plan.days})
                plan.activity = Activity(
                    programme=plan.programme.programme,
                    kind=plan.kind,
                    title=plan.title,
                    area=rng.choice(plan.programme.areas) if plan.programme.areas else None,
                    phase=plan.programme.phases[plan.phase] if plan.phase is not None else None,
                    enrolment=plan.member.enrolment if plan.member else None,
                    facilitator_id=rng.choice(self.staff[index]),
                    place=rng.choice(PLACES),
                    recurrence=f"RRULE:FREQ=WEEKLY;COUNT={len(plan.days)}" if per_week else "",
                    created_at=_moment(plan.first - datetime.timedelta(days=7), 9),
                    created_by_id=rng.choice(self.staff[index]),
                )
            Activity.objects.bulk_create([a.activity for a in activities], batch_size=2000)
            for plan in activities:
                activity = plan.activity
                timed = self._timed_group(plan)
                for day in plan.days:
                    starts = datetime.datetime.combine(day, datetime.time(*plan.time), zone)
                    session = Session(
                        activity=activity,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(minutes=plan.minutes),
                        facilitator_id=activity.facilitator_id,
                        place=activity.place,
                    )
                    if timed and self.now - RECENT <= starts <= self.now:
                        self.reserved.append((session, timed))
                    else:
                        session.cancelled = rng.random() < CANCELLED_SHARE
                    sessions.append((session, plan))
            Session.objects.bulk_create([s for s, _plan in sessions], batch_size=5000)
        self.sessions = sessions
        self.counts["activities"] += len(activities)
        self.counts["individual activities"] += sum(1 for a in activities if a.member)
        self.counts["sessions"] += len(sessions)
        self.counts["cancelled sessions"] += sum(1 for s, _plan in sessions if s.cancelled)

    def _timed_group(self, plan):
        """The enrolments of the group when it is a current cohort of the first organisation
        in its current phase (25 of them, unless the data set is too small to find them), whose
        attendance the timed requests save; else None."""
        cohort = plan.cohort
        if plan.member or not cohort or not cohort.current or plan.programme.org != 0:
            return None
        if plan.phase != cohort.phase_on(self.today):
            return None
        return [m.enrolment.pk for m in cohort.members if m.until is None] or None

    def _plan_activities(self):
        rng = self.rng
        individual = round(self.sizes.activities * INDIVIDUAL_SHARE)
        budget = self.sizes.activities - individual
        now, others = [], []  # the current phase of each current cohort first: it is timed
        for plan in self.plans:
            for cohort in plan.cohorts:
                current_phase = cohort.phase_on(self.today) if cohort.current else None
                for phase in range(len(plan.weeks)):
                    if cohort.current or cohort.window(phase)[0] <= self.today:
                        slot = (plan, cohort, phase)
                        (now if phase == current_phase else others).append(slot)
        rng.shuffle(now)
        rng.shuffle(others)
        slots = (now + others)[:budget]
        counts = Counter(dict.fromkeys(range(len(slots)), 1))
        # Longer phases have more activities; the flagship programmes are the most intensive.
        weights = [plan.weeks[phase] * (3 if plan.flagship else 1) for plan, _c, phase in slots]
        for i in rng.choices(range(len(slots)), weights, k=budget - len(slots)) if slots else ():
            counts[i] += 1
        activities = []
        for i, (plan, cohort, phase) in enumerate(slots):
            first, _end = cohort.window(phase)
            weeks = plan.weeks[phase]
            titles = plan.template.activities
            for k in range(counts[i]):
                kind, title = titles[(phase * 2 + k) % len(titles)]
                if kind in ("visit", "information"):  # once or twice in the phase
                    span = min(weeks, rng.randint(1, 2))
                    start = first + datetime.timedelta(weeks=rng.randint(0, weeks - span))
                    base, scaled = span, False
                else:
                    start, span = first, weeks
                    base, scaled = weeks * _weighted(rng, [(1, 55), (2, 35), (3, 10)]), True
                activities.append(
                    ActivityPlan(
                        plan,
                        cohort,
                        phase,
                        None,
                        kind,
                        title,
                        start,
                        span,
                        base,
                        scaled,
                        rng.choice(TIMES),
                        rng.choice([90, 120, 120, 180]),
                        weekdays=rng.sample(range(5), 5),
                    )
                )
        members = [
            (plan, cohort, m)
            for plan in self.plans
            for cohort in plan.cohorts
            for m in cohort.members
            if m.start <= self.today
        ]
        for plan, cohort, member in rng.sample(members, min(individual, len(members))):
            weeks = rng.randint(4, 10)
            activities.append(
                ActivityPlan(
                    plan,
                    cohort,
                    None,
                    member,
                    "individual",
                    "Individualno svetovanje",
                    member.start + datetime.timedelta(weeks=rng.randint(1, 4)),
                    weeks,
                    weeks,
                    False,
                    rng.choice(TIMES),
                    60,
                    weekdays=rng.sample(range(5), 5),
                )
            )
        return activities

    def _days(self, plan, count):
        """The first `count` days of the activity: weekly, on as many weekdays as it needs."""
        per_week = min(5, math.ceil(count / plan.weeks))
        weekdays = set(plan.weekdays[:per_week])
        days, day = [], plan.first
        end = plan.first + datetime.timedelta(weeks=plan.weeks)
        while len(days) < count and day < end:
            if day.weekday() in weekdays:
                days.append(day)
            day += datetime.timedelta(days=1)
        return days

    def _rows(self, plan, days):
        """Attendance rows the days would have: whoever takes part on a day that has passed."""
        return sum(len(plan.members_on(day)) for day in days if day < self.today)

    def write_attendance(self):
        """The attendance of the past sessions (not the cancelled ones, nor those of the timed
        groups of the last two weeks), as many rows as asked: sessions chosen at random go
        unrecorded, and one is recorded for part of its group."""
        from django.db import transaction

        from most.programmes.models import Attendance

        rng = self.rng
        reserved = {id(session) for session, _group in self.reserved}
        recorded = []
        for session, plan in self.sessions:
            if session.cancelled or id(session) in reserved or session.starts_at >= self.now:
                continue
            members = plan.members_on(session.starts_at.astimezone(_zone()).date())
            if members:
                recorded.append([session, plan, members])
        excess = sum(len(r[2]) for r in recorded) - self.sizes.attendance
        self.counts["sessions left unrecorded"] += len(reserved)
        if excess < 0:
            print(f"  {-excess:,} attendance rows fewer than asked for", flush=True)
        order = list(range(len(recorded)))
        rng.shuffle(order)
        for i in order:
            if excess <= 0:
                break
            size = len(recorded[i][2])
            if size <= excess:
                recorded[i][2] = []
                excess -= size
                self.counts["sessions left unrecorded"] += 1
            else:
                recorded[i][2] = recorded[i][2][: size - excess]
                excess = 0
        recorded.sort(key=lambda r: r[0].starts_at)
        rows, presence = [], Counter()

        def flush():
            with transaction.atomic():
                Attendance.objects.bulk_create(rows, batch_size=5000)
            rows.clear()

        for session, plan, members in recorded:
            recorded_at = session.ends_at + datetime.timedelta(minutes=rng.randint(0, 120))
            for member in members:
                draw = rng.random()
                if draw < member.presence:
                    value = "present"
                elif draw < member.presence + (1 - member.presence) * 0.6:
                    value = "excused"
                else:
                    value = "absent"
                presence[value] += 1
                rows.append(
                    Attendance(
                        session_id=session.pk,
                        enrolment_id=member.enrolment.pk,
                        presence=value,
                        recorded_at=min(recorded_at, self.now),
                    )
                )
                self.attendance_by_person[member.person] += 1
            self.attendance_by_programme[plan.programme.programme.pk] += len(members)
            if len(rows) >= 50_000:
                flush()
        flush()
        self.counts["attendance"] += sum(presence.values())
        for value, n in presence.items():
            self.counts[f"attendance {value}"] += n

    # --- casework -----------------------------------------------------------------------------

    def write_casework(self):
        """For half the participants: their needs assessed when they first joined (a second
        assessment for some), goals with an action each, counselling, psychosocial support for
        a fifth, and outcomes after completing a programme."""
        from django.db import transaction

        from most.accounts.models import Organisation, OrganisationType
        from most.casework.models import (
            Assessment,
            AssessmentScore,
            CounsellingSession,
            Goal,
            GoalAction,
            Outcome,
            PsychosocialRecord,
        )
        from most.casework.taxonomy import Domain, PsychosocialFactor

        rng, today = self.rng, self.today
        employers = list(Organisation.objects.filter(type=OrganisationType.EMPLOYER))
        partners = list(Organisation.objects.exclude(type=OrganisationType.EMPLOYER))
        taking_part = {}
        for plan in self.plans:
            for cohort in plan.cohorts:
                for member in cohort.members:
                    taking_part.setdefault(member.person, []).append(member)
        persons = sorted(taking_part)
        chosen = rng.sample(persons, round(len(persons) * CASEWORK_SHARE))
        assessments, scores, goals, actions = [], [], [], []
        counselling, psychosocial, outcomes = [], [], []
        for pk in chosen:
            members = taking_part[pk]
            index = self.facts[pk][0]
            common = {"person_id": pk, "organisation": self.organisations[index]}
            staff = self.staff[index]
            first = min(m.start for m in members)
            dates = [first - datetime.timedelta(days=rng.randint(0, 14))]
            if rng.random() < 0.3:
                dates.append(min(today, first + datetime.timedelta(days=rng.randint(90, 300))))
            for day in dates:
                assessment = Assessment(
                    assessed_on=day,
                    created_by_id=rng.choice(staff),
                    created_at=_moment(day, 11),
                    **common,
                )
                assessments.append(assessment)
                for domain in rng.sample(list(Domain.values), rng.randint(4, 8)):
                    scores.append((assessment, domain, rng.randint(1, 5)))
            for domain, title, action in rng.sample(GOAL_TITLES, rng.randint(1, 3)):
                created = dates[0] + datetime.timedelta(days=rng.randint(1, 10))
                goal = Goal(
                    domain=domain,
                    title=title,
                    due_on=created + datetime.timedelta(days=rng.randint(60, 240)),
                    status=_weighted(
                        rng, [("open", 30), ("in_progress", 30), ("achieved", 30), ("dropped", 10)]
                    ),
                    created_by_id=rng.choice(staff),
                    created_at=_moment(min(created, today), 12),
                    **common,
                )
                goals.append(goal)
                partner = rng.random() < 0.4 and partners
                actions.append(
                    (goal, action, rng.choice(partners) if partner else None, rng.choice(staff))
                )
            for _ in range(rng.randint(1, 8)):
                held = min(today, first + datetime.timedelta(days=rng.randint(0, 300)))
                counselling.append(
                    CounsellingSession(
                        held_on=held,
                        minutes=rng.choice([30, 45, 60, 90]),
                        kind=rng.choice(["individual", "individual", "family", "phone"]),
                        interpreter_present=rng.random() < 0.3,
                        mediator_present=rng.random() < 0.15,
                        summary=rng.choice(SUMMARIES),
                        created_by_id=rng.choice(staff),
                        created_at=_moment(held, 13),
                        **common,
                    )
                )
            if rng.random() < 0.2:
                day = min(today, first + datetime.timedelta(days=rng.randint(0, 120)))
                psychosocial.append(
                    PsychosocialRecord(
                        recorded_on=day,
                        level=rng.choice([2, 3, 3, 4]),
                        factors=rng.sample(list(PsychosocialFactor.values), rng.randint(1, 3)),
                        notes="Pogovor o virih opore v skupnosti.",
                        created_by_id=rng.choice(staff),
                        created_at=_moment(day, 14),
                        **common,
                    )
                )
            for member in members:
                if member.until is None or member.enrolment.status != "completed":
                    continue
                if rng.random() >= 0.45:
                    continue
                day = member.until + datetime.timedelta(days=rng.randint(-30, 80))
                if day > today:
                    continue
                kind = _weighted(rng, [("job", 45), ("education", 20), ("language", 35)])
                fields = {"kind": kind, "achieved_on": day, "created_at": _moment(day, 15)}
                if kind == "job":
                    if employers and rng.random() < 0.5:
                        fields["employer"] = rng.choice(employers)
                    else:
                        fields["employer_name"] = "Gostilna pri Mostu d.o.o."
                    fields["detail"] = rng.choice(EMPLOYER_JOBS)
                elif kind == "language":
                    fields["slovenian_level"] = rng.choice(["A2", "B1"])
                    fields["detail"] = "Izpit na Filozofski fakulteti"
                else:
                    fields["detail"] = "Vpis v srednjo šolo za odrasle"
                outcomes.append(Outcome(created_by_id=rng.choice(staff), **fields, **common))
        with transaction.atomic():
            Assessment.objects.bulk_create(assessments, batch_size=2000)
            AssessmentScore.objects.bulk_create(
                [AssessmentScore(assessment=a, domain=d, need=n) for a, d, n in scores],
                batch_size=5000,
            )
            Goal.objects.bulk_create(goals, batch_size=2000)
            GoalAction.objects.bulk_create(
                [
                    GoalAction(
                        goal=goal,
                        description=text,
                        responsible_organisation=partner,
                        responsible_user_id=None if partner else user,
                    )
                    for goal, text, partner, user in actions
                ],
                batch_size=2000,
            )
            CounsellingSession.objects.bulk_create(counselling, batch_size=2000)
            PsychosocialRecord.objects.bulk_create(psychosocial, batch_size=2000)
            Outcome.objects.bulk_create(outcomes, batch_size=2000)
        for label, rows in (
            ("assessments", assessments),
            ("goals", goals),
            ("counselling sessions", counselling),
            ("psychosocial records", psychosocial),
            ("outcomes", outcomes),
        ):
            self.counts[label] += len(rows)

    # --- what the benchmark requests --------------------------------------------------------

    def items(self, timeline_persons):
        """What the timed requests ask for, in the first organisation: the sessions whose group
        of 25 has its attendance saved ([(session id, [enrolment ids])], in a fixed random
        order), persons with long histories for the timeline (drawn from the tenth with the
        most attendance), the programme with the most attendance for the dashboard, and a
        programme of each kind of rule for the eligible persons."""
        rng = random.Random(self.seed + 1)
        reserved = [(session.pk, group) for session, group in self.reserved]
        rng.shuffle(reserved)
        reserved.sort(key=lambda item: len(item[1]) != TIMED_GROUP)  # groups of 25 first
        first = [plan for plan in self.plans if plan.org == 0]
        participants = sorted(
            {m.person for plan in first for c in plan.cohorts for m in c.members},
            key=lambda pk: (-self.attendance_by_person[pk], pk),
        )
        richest = participants[: max(timeline_persons, len(participants) // 10)]
        # Whose statements are counted: the longest history of a person in a household (whose
        # page also reads the household's members), in the small data set and the full one.
        counted = next((pk for pk in participants if pk in self.in_household), participants[0])
        largest = max(first, key=lambda p: self.attendance_by_programme[p.programme.pk])
        eligible = {}
        for plan in first:
            eligible.setdefault(plan.template.key, plan.programme.pk)
        return {
            "attendance": reserved,
            "timeline": rng.sample(richest, min(timeline_persons, len(richest))),
            "richest": counted,
            "dashboard": largest.programme.pk,
            "eligible": eligible,
        }

    def write(self, stage, label=""):
        import time

        steps = [
            ("persons (bulk_persons, real names)", self.write_persons),
            (
                "situations, households, consents, audit keys",
                self.write_situations_households_consents,
            ),
            ("programmes, cohorts, enrolments, phases", self.write_programmes),
            ("activities and sessions", self.write_activities),
            ("attendance", self.write_attendance),
            ("casework", self.write_casework),
        ]
        for name, step in steps:
            start = time.perf_counter()
            step()
            stage(f"{label}{name}", start)
        return dict(self.counts)


def _zone():
    from most.programmes.activity_services import local_zone

    return local_zone()


def _moment(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), _zone())
