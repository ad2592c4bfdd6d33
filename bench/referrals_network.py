"""The referrals benchmark's network: the demo's organisations, and the centres for social work
of every region and the employment service's regional offices (the largest receivers), health
centres, schools and adult education centres, municipalities, administrative units, two
international organisations and 170 NGOs (names from Faker's Slovenian provider), each with
2–40 members of staff (bulk-created, without passwords) and one to six services in the
catalogue; the logins the benchmark signs in with, and their API tokens.

How much each organisation receives and how many persons it registers is a share of its type's
(TYPE_SHARES), split by a weight: Ljubljana's centre for social work is the largest receiver,
Društvo Vez (the demo's first organisation) the largest NGO, and most NGOs are small (weights
drawn from a Pareto distribution).

Django and the application are imported inside the functions: they run in the child process,
after DATABASE_URL names the fresh database and django.setup().
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field

from catalogue_data import CATEGORIES

SEED = 23

# (share of the referrals received, share of the persons registered) by type of organisation.
TYPE_SHARES = {
    "social_work": (0.30, 0.22),
    "employment": (0.22, 0.10),
    "ngo": (0.20, 0.45),
    "health": (0.10, 0.03),
    "school": (0.08, 0.03),
    "municipality": (0.05, 0.04),
    "government": (0.03, 0.12),
    "international": (0.02, 0.01),
}
# (region or town, municipality, weight): the regional centres for social work, the employment
# service's regional offices.
SOCIAL_WORK = [
    ("Ljubljana", "Ljubljana", 10),
    ("Maribor", "Maribor", 5),
    ("Celje", "Celje", 4),
    ("Osrednja Slovenija - zahod", "Vrhnika", 3),
    ("Osrednja Slovenija - vzhod", "Domžale", 3),
    ("Gorenjska", "Kranj", 3),
    ("Južna Primorska", "Koper", 3),
    ("Severna Primorska", "Nova Gorica", 2),
    ("Savinjsko-Šaleška", "Velenje", 2),
    ("Dolenjska in Bela krajina", "Novo mesto", 2),
    ("Pomurje", "Murska Sobota", 2),
    ("Spodnje Podravje", "Ptuj", 2),
    ("Koroška", "Slovenj Gradec", 1),
    ("Zasavje", "Trbovlje", 1),
]
EMPLOYMENT = [
    ("Ljubljana", 10),
    ("Maribor", 5),
    ("Celje", 4),
    ("Koper", 3),
    ("Kranj", 3),
    ("Novo mesto", 2),
    ("Nova Gorica", 2),
    ("Murska Sobota", 2),
    ("Ptuj", 2),
    ("Velenje", 2),
    ("Sevnica", 1),
    ("Trbovlje", 1),
]
TOWNS = [
    ("Ljubljana", 6),
    ("Maribor", 3),
    ("Celje", 2),
    ("Kranj", 2),
    ("Koper", 2),
    ("Novo mesto", 1),
    ("Velenje", 1),
    ("Nova Gorica", 1),
    ("Ptuj", 1),
    ("Murska Sobota", 1),
    ("Jesenice", 1),
    ("Domžale", 1),
    ("Škofja Loka", 1),
    ("Krško", 1),
    ("Izola", 1),
    ("Piran", 1),
    ("Postojna", 1),
    ("Trbovlje", 1),
    ("Kamnik", 1),
    ("Slovenj Gradec", 1),
    ("Sežana", 1),
    ("Ajdovščina", 1),
    ("Brežice", 1),
    ("Kočevje", 1),
    ("Idrija", 1),
]
NGOS = 170
# A type's services: (name, description); the working days it promises to answer in.
SERVICES = {
    "social_work": [
        ("Denarna socialna pomoč", "Vloga za denarno socialno pomoč in izredno pomoč."),
        ("Svetovanje družinam", "Pomoč družinam v stiski, dogovor o nadaljnjih korakih."),
        ("Pomoč pri urejanju dokumentov", "Vloge za pravice iz javnih sredstev."),
        ("Osebna pomoč", "Svetovalni pogovori za posameznike."),
        ("Varstvo otrok in mladostnikov", "Pomoč otrokom brez spremstva in njihovim skrbnikom."),
        ("Socialna aktivacija", "Napotitev v programe socialne aktivacije."),
    ],
    "employment": [
        ("Prijava v evidenco brezposelnih oseb", "Vpis in prvi razgovor s svetovalcem."),
        ("Karierno svetovanje", "Ocena zaposlitvenih možnosti in načrt iskanja dela."),
        ("Programi aktivne politike zaposlovanja", "Usposabljanja in delovni preizkusi."),
        ("Pomoč pri iskanju zaposlitve", "Delavnice, življenjepis, razgovori z delodajalci."),
        ("Enotno dovoljenje za prebivanje in delo", "Soglasje k enotnemu dovoljenju."),
    ],
    "health": [
        ("Izbira osebnega zdravnika", "Pomoč pri izbiri zdravnika in pri prvem pregledu."),
        ("Preventivni pregledi otrok", "Sistematski pregledi in cepljenje otrok."),
        ("Zdravstvena vzgoja", "Delavnice o zdravju in zdravstvenem zavarovanju."),
    ],
    "school": [
        ("Vpis v osnovno šolo", "Vpis otrok priseljencev in prvi pogovor s starši."),
        ("Dodatni pouk slovenščine", "Ure slovenščine za učence priseljence."),
    ],
    "adult_education": [
        ("Tečaj slovenščine", "Začetni in nadaljevalni tečaji slovenščine."),
        ("Začetna integracija priseljencev", "Program ZIP: jezik in spoznavanje družbe."),
        ("Osnovna šola za odrasle", "Dokončanje osnovne šole."),
    ],
    "municipality": [
        ("Subvencija najemnine", "Vloga za subvencijo tržne ali neprofitne najemnine."),
        ("Neprofitna stanovanja", "Razpis in vloga za neprofitno stanovanje."),
    ],
    "government": [
        ("Dovoljenje za prebivanje", "Vloga in podaljšanje dovoljenja za prebivanje."),
        ("Združitev družine", "Vloga za združitev družine."),
    ],
    "international": [
        ("Informacije o mednarodni zaščiti", "Pravno svetovanje prosilcem."),
        ("Prostovoljna vrnitev", "Pomoč pri prostovoljni vrnitvi in ponovni vključitvi."),
    ],
}
RESPONSE_DAYS = {
    "social_work": 8,
    "employment": 5,
    "health": 3,
    "school": 5,
    "municipality": 10,
    "government": 10,
    "international": 5,
}
MANAGE = ("admin", "coordinator", "caseworker", "counsellor")  # who sends and answers
NOTIFIED = (*MANAGE, "viewer")  # who may see referrals, so is told


def _weighted(rng, choices):
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


@dataclass
class Org:
    """One organisation of the network: its weights, staff and services."""

    name: str
    type: str
    municipality: str
    receives: float  # weight within its type
    registers: float
    pk: int | None = None
    kind: str = ""  # the kind of services (a type, or adult_education)
    receive_share: float = 0.0
    person_share: float = 0.0
    managers: list = field(default_factory=list)  # user ids
    notified: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    services: list = field(default_factory=list)  # (service pk, response days)

    @property
    def pace(self):
        """How slow it answers, against the days it promises: the largest take longest."""
        return 0.35 + min(0.45, self.receive_share * 6)


def _specs(rng, faker, demo):
    """The network's organisations (Org), the demo's (whose indexes they keep) first."""
    specs = [
        Org(demo[0].name, "ngo", demo[0].municipality, 6, 150),
        Org(demo[1].name, "ngo", demo[1].municipality, 4, 14),
        Org(demo[2].name, "social_work", demo[2].municipality, 1.5, 1.5),
        Org(demo[3].name, "government", demo[3].municipality, 3, 6),
        Org(demo[4].name, "school", demo[4].municipality, 1, 1),
        Org(demo[5].name, "ngo", demo[5].municipality, 3, 8),
        Org(demo[6].name, "employer", demo[6].municipality, 0, 0),
        Org(demo[7].name, "employer", demo[7].municipality, 0, 0),
    ]
    for region, town, weight in SOCIAL_WORK:
        specs.append(Org(f"Center za socialno delo {region}", "social_work", town, weight, weight))
    for town, weight in EMPLOYMENT:
        name = f"Zavod RS za zaposlovanje, Območna služba {town}"
        specs.append(Org(name, "employment", town, weight, weight))
    for town, weight in TOWNS:
        specs.append(Org(f"Zdravstveni dom {town}", "health", town, weight, weight))
        specs.append(Org(f"Mestna občina {town}", "municipality", town, weight, weight))
        specs.append(Org(f"Upravna enota {town}", "government", town, weight, weight))
        specs.append(Org(f"Ljudska univerza {town}", "school", town, weight * 2, 0.5))
        specs.append(Org(f"Osnovna šola {faker.last_name()} {town}", "school", town, 1, 1))
    specs.append(Org("IOM Slovenija", "international", "Ljubljana", 2, 2))
    specs.append(Org("UNHCR, pisarna v Sloveniji", "international", "Ljubljana", 1, 1))
    names = {s.name for s in specs}
    kinds = ("Društvo", "Zavod", "Društvo za pomoč", "Center", "Skupnost", "Inštitut")
    for _ in range(NGOS):
        town = _weighted(rng, TOWNS)
        name = f"{rng.choice(kinds)} {faker.last_name()} {town}"
        while name in names:
            name = f"{rng.choice(kinds)} {faker.last_name()} {town}"
        names.add(name)
        weight = min(30.0, rng.paretovariate(1.2))
        specs.append(Org(name, "ngo", town, weight, weight))
    totals = defaultdict(lambda: [0.0, 0.0])
    for spec in specs:
        totals[spec.type][0] += spec.receives
        totals[spec.type][1] += spec.registers
    for spec in specs:
        receive, register = TYPE_SHARES.get(spec.type, (0, 0))
        spec.receive_share = receive * spec.receives / (totals[spec.type][0] or 1)
        spec.person_share = register * spec.registers / (totals[spec.type][1] or 1)
        spec.kind = "adult_education" if spec.name.startswith("Ljudska") else spec.type
    return specs


def _staff_size(org):
    return max(2, min(40, round(2 + 450 * max(org.receive_share, org.person_share))))


def _roles(size):
    roles = ["admin"] + ["coordinator"] * max(1, size // 12)
    if size >= 10:
        roles.append("analyst")
    roles += ["viewer"] * (size // 15) + ["counsellor"] * (size // 6)
    return roles + ["caseworker"] * max(1, size - len(roles))


@dataclass
class Network:
    orgs: list
    by_pk: dict
    logins: dict  # what: (user, membership)
    tokens: dict  # what: token key
    receiver: Org  # the centre for social work whose inbox is timed
    sender: Org  # the NGO whose case worker sends referrals over the API


def prepare(stage, password):
    """Migrate; the demo's organisations and users; the network's organisations, staff and
    catalogue; the logins timed (with `password`) and their API tokens. Returns a Network."""
    import time

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from faker import Faker
    from rest_framework.authtoken.models import Token

    from most.accounts.models import Membership, Organisation, User
    from most.demo.catalogue import DEMO_DOMAIN
    from most.demo.generator import seed_organisations_and_users

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    stage("migrate", start)
    start = time.perf_counter()
    rng = random.Random(SEED)
    faker = Faker("sl_SI")
    faker.seed_instance(SEED)
    demo = seed_organisations_and_users()
    orgs = _specs(rng, faker, demo)
    with transaction.atomic():
        created = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=o.name,
                    type=o.type,
                    municipality=o.municipality,
                    email=f"info@org{n}.{DEMO_DOMAIN}",
                )
                for n, o in enumerate(orgs[len(demo) :], start=len(demo))
            ]
        )
        for org, organisation in zip(orgs, [*demo, *created], strict=True):
            org.pk = organisation.pk
        if not all(d.email for d in demo):
            for n, organisation in enumerate(demo):
                organisation.email = f"info@org{n}.{DEMO_DOMAIN}"
            Organisation.objects.bulk_update(demo, ["email"])
        unusable = make_password(None)
        users, memberships = [], []
        for org in orgs:
            if org.type == "employer":
                continue
            for n, role in enumerate(_roles(_staff_size(org))):
                user = User(
                    email=f"staff{n}.{org.pk}@{DEMO_DOMAIN}",
                    full_name=faker.name(),
                    password=unusable,
                )
                users.append(user)
                memberships.append((user, org, role))
        User.objects.bulk_create(users, batch_size=2000)
        Membership.objects.bulk_create(
            [Membership(user=u, organisation_id=o.pk, role=r) for u, o, r in memberships],
            batch_size=2000,
        )
        by_pk = {org.pk: org for org in orgs}
        receiver = next(o for o in orgs if o.name == "Center za socialno delo Ljubljana")
        sender = orgs[0]
        logins = {
            "receiver": _login(f"caseworker.csd@{DEMO_DOMAIN}", "caseworker", receiver, password),
            "figures": _login(f"coordinator.csd@{DEMO_DOMAIN}", "coordinator", receiver, password),
            "sender": _demo_member(f"caseworker@{DEMO_DOMAIN}", sender),
        }
        rows = Membership.objects.filter(is_active=True).values_list(
            "organisation_id", "user_id", "role"
        )
        for organisation, user, role in rows.order_by("pk"):
            org = by_pk[organisation]
            if role in MANAGE:
                org.managers.append(user)
            if role in NOTIFIED:
                org.notified.append(user)
            if role == "coordinator":
                org.coordinators.append(user)
        tokens = {
            what: Token.objects.create(user=logins[what][0]).key for what in ("sender", "receiver")
        }
        _catalogue(rng, orgs)
    stage(f"network: {len(orgs)} organisations, {len(users):,} staff, their services", start)
    return Network(orgs, by_pk, logins, tokens, receiver, sender)


def _login(email, role, org, password):
    from most.accounts.models import Membership, User

    user = User.objects.create_user(email=email, password=password, full_name=email.split("@")[0])
    member = Membership.objects.create(user=user, organisation_id=org.pk, role=role)
    return user, Membership.objects.select_related("user", "organisation").get(pk=member.pk)


def _demo_member(email, org):
    from most.accounts.models import Membership

    member = Membership.objects.select_related("user", "organisation").get(
        user__email=email, organisation_id=org.pk
    )
    return member.user, member


def _catalogue(rng, orgs):
    """Each organisation that receives referrals keeps its entry in the catalogue and its
    services (3 % of them temporarily closed)."""
    from most.directory.models import Organization, Service
    from most.directory.services import service_search_text

    entries, services = [], []
    for n, org in enumerate(orgs):
        if not org.receive_share:
            continue
        entry = Organization(
            name=org.name,
            description="Članica mreže za vključevanje priseljencev.",
            owner_id=org.pk,
        )
        entries.append(entry)
        if org.kind == "ngo":
            picked = rng.sample(list(CATEGORIES), rng.randint(1, 5))
            offered = [(CATEGORIES[c][0], f"{CATEGORIES[c][-1]} za priseljence.") for c in picked]
            days = None if rng.random() < 0.5 else rng.randint(2, 7)
        else:
            offered = SERVICES[org.kind]
            days = RESPONSE_DAYS[org.type]
        for k, (name, description) in enumerate(offered):
            service = Service(
                organization=entry,
                name=name,
                description=description,
                status="active" if rng.random() < 0.97 else "temporarily closed",
                email=f"storitev{k}@org{n}.most.example" if rng.random() < 0.7 else "",
                response_days=days,
            )
            service.search_text = service_search_text(service)
            services.append((org, service))
    Organization.objects.bulk_create(entries, batch_size=1000)
    Service.objects.bulk_create([s for _o, s in services], batch_size=1000)
    for org, service in services:
        if service.status == "active":
            org.services.append((service.pk, service.response_days or 5))
