"""A national service catalogue as HSDS 3.0 documents: organisations, their places, services at
one or two of them, opening hours, languages, costs, categories; names of towns and streets from
Faker's Slovenian provider (real places), services named and described as providers do.

Pure Python: the documents are handed to the HSDS import, which the benchmark times.
"""

import random
import uuid

from faker import Faker

CATEGORIES = {
    "legal-aid": ("Pravna pomoč", "Brezplačna pravna pomoč", "Pravno svetovanje"),
    "language-course": ("Tečaj slovenščine", "Slovenščina za začetnike", "Jezikovni tečaj"),
    "integration-counselling": ("Svetovanje za vključevanje", "Integracijsko svetovanje"),
    "psychosocial-support": ("Psihosocialna podpora", "Psihološka pomoč", "Skupina za podporo"),
    "daily-centre": ("Dnevni center", "Dnevni center za priseljence"),
    "health": ("Ambulanta", "Zdravstveno svetovanje", "Cepljenje in pregledi"),
    "education": ("Pomoč pri učenju", "Računalniško opismenjevanje", "Vpis v šolo"),
    "employment": ("Karierno svetovanje", "Pomoč pri iskanju zaposlitve", "Priprava življenjepisa"),
    "housing": ("Stanovanjska pisarna", "Pomoč pri iskanju stanovanja"),
    "mediation": ("Medkulturna mediacija", "Mediacija v šolah"),
    "interpretation": ("Tolmačenje", "Tolmačenje na daljavo"),
    "information": ("Informacijska točka", "Informacije za priseljence"),
}
WEIGHTS = {"language-course": 4, "integration-counselling": 3, "legal-aid": 2, "information": 2}
GROUPS = ("za ženske", "za družine", "za mlade", "za prosilce za zaščito", "za delavce", "")
SENTENCES = (
    "Storitev je namenjena priseljencem in njihovim družinam.",
    "Svetovalci pomagajo pri urejanju dokumentov in pri stikih z ustanovami.",
    "Srečanja potekajo v manjših skupinah, po potrebi s tolmačem.",
    "Prijava ni potrebna, pridite v času uradnih ur.",
    "Za prvi pogovor se naročite po telefonu ali e-pošti.",
    "Pomagamo pri vpisu otrok v vrtec in šolo ter pri iskanju tečajev.",
    "Udeleženci dobijo potrdilo o udeležbi.",
    "Storitev je brezplačna za vse, ki imajo dovoljenje za prebivanje.",
    "Na voljo je varstvo otrok med srečanji.",
    "Sodelujemo s centri za socialno delo, zavodom za zaposlovanje in šolami.",
)
LANGUAGES = ("sl", "en", "uk", "ru", "ar", "fa", "ps", "sq", "bs", "sr", "hr", "mk", "tr", "fr")
DAYS = ("MO", "TU", "WE", "TH", "FR")
KINDS = ("Društvo", "Zavod", "Ljudska univerza", "Center", "Zdravstveni dom", "Občina")
# Slovenia's extent, for the towns' centres.
LATITUDES, LONGITUDES = (45.45, 46.85), (13.40, 16.55)
NAMESPACE = uuid.UUID("8a6f0c1e-6d3b-4c55-9a8e-2b7d9f4e1c30")
LARGEST = 60  # services of the largest provider


def _id(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


def _term(code):
    namespace = uuid.UUID("6f1f3c52-6a4e-4d3e-9b8e-3d7c0d1e2a10")  # most.directory.categories
    return str(uuid.uuid5(namespace, f"term:{code}"))


class Catalogue:
    """`services` HSDS documents of `organisations` organisations at about `locations` places."""

    def __init__(self, services=5_000, locations=8_000, organisations=800, seed=2026):
        self.rng = random.Random(seed)
        self.faker = Faker("sl_SI")
        self.faker.seed_instance(seed)
        towns = sorted({self.faker.city() for _ in range(400)})
        self.towns = {
            town: (self.rng.uniform(*LATITUDES), self.rng.uniform(*LONGITUDES), f"{1000 + n * 37}")
            for n, town in enumerate(towns)
        }
        self.sizes = (services, locations, organisations)

    def documents(self):
        services, locations, organisations = self.sizes
        documents = []
        # A few large providers (the employment service has dozens of offices), many small.
        per_org = [min(LARGEST, int(self.rng.paretovariate(1.1))) for _ in range(organisations)]
        while sum(per_org) != services:
            org = self.rng.randrange(organisations)
            if sum(per_org) < services and per_org[org] < LARGEST:
                per_org[org] += 1
            elif sum(per_org) > services and per_org[org] > 1:
                per_org[org] -= 1
        # Places in proportion, every one of them used by a service.
        places_per_org = [max(1, round(n * locations / services)) for n in per_org]
        for org, (count, places) in enumerate(zip(per_org, places_per_org, strict=True)):
            organization, sites = self._organization(org, places)
            for n in range(count):
                # Service n at place n (and the places beyond the services' number shared out).
                at = sites[n::count] or [sites[n % len(sites)]]
                documents.append(self._service(org, n, organization, at))
        return documents

    def _organization(self, org, places):
        town = self.rng.choice(list(self.towns))
        name = f"{self.rng.choice(KINDS)} {self.faker.last_name()} {town}"
        organization = {
            "id": _id("org", org),
            "name": name,
            "description": "Organizacija v mreži za vključevanje priseljencev.",
            "website": f"https://org{org}.example",
        }
        sites = []
        for n in range(places):
            site_town = (
                town if n == 0 or self.rng.random() < 0.7 else self.rng.choice(list(self.towns))
            )
            latitude, longitude, postcode = self.towns[site_town]
            location_id = _id("location", org, n)
            street = f"{self.faker.street_name()} {self.rng.randint(1, 120)}"
            location = {
                "id": location_id,
                "organization_id": organization["id"],
                "location_type": "physical",
                "name": f"{name}, {street}",
                "latitude": round(latitude + self.rng.uniform(-0.02, 0.02), 5),
                "longitude": round(longitude + self.rng.uniform(-0.02, 0.02), 5),
                "transportation": "Avtobusna postaja v bližini." if self.rng.random() < 0.5 else "",
                "addresses": [
                    {
                        "id": _id("address", org, n),
                        "address_1": street,
                        "city": site_town,
                        "state_province": "Slovenija",
                        "postal_code": postcode,
                        "country": "SI",
                        "address_type": "physical",
                    }
                ],
            }
            if self.rng.random() < 0.4:
                location["attributes"] = [
                    {
                        "id": _id("wheelchair", org, n),
                        "taxonomy_term_id": _term("wheelchair-access"),
                    }
                ]
            sites.append(location)
        return organization, sites

    def _service(self, org, n, organization, at):
        rng = self.rng
        category = rng.choices(list(CATEGORIES), [WEIGHTS.get(c, 1) for c in CATEGORIES])[0]
        service_id = _id("service", org, n)
        name = f"{rng.choice(CATEGORIES[category])} {rng.choice(GROUPS)}".strip()
        attributes = [{"id": _id("category", service_id), "taxonomy_term_id": _term(category)}]
        free = rng.random() < 0.7
        if free:
            attributes.append(
                {"id": _id("free", service_id), "taxonomy_term_id": _term("free-of-charge")}
            )
        spoken = ["sl", *rng.sample(LANGUAGES[1:], rng.randint(0, 5))]
        schedules = []
        for k in range(rng.randint(1, 3)):
            opens = rng.choice((8, 9, 10, 13, 14, 16))
            schedules.append(
                {
                    "id": _id("schedule", service_id, k),
                    "freq": "WEEKLY",
                    "byday": ",".join(sorted(rng.sample(DAYS, rng.randint(1, 5)), key=DAYS.index)),
                    "opens_at": f"{opens:02d}:00:00",
                    "closes_at": f"{opens + rng.randint(2, 6):02d}:00:00",
                }
            )
        document = {
            "id": service_id,
            "name": name,
            "description": " ".join(rng.sample(SENTENCES, rng.randint(2, 5))),
            "status": "active" if rng.random() < 0.97 else "temporarily closed",
            "email": f"info{n}@org{org}.example",
            "assured_date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            "organization": organization,
            "languages": [
                {"id": _id("language", service_id, code), "code": code, "name": code}
                for code in spoken
            ],
            "phones": [
                {
                    "id": _id("phone", service_id),
                    "number": f"+386 1 {rng.randint(2000000, 7999999)}",
                }
            ],
            "schedules": schedules,
            "service_at_locations": [
                {"id": _id("sal", service_id, site["id"]), "location": site} for site in at
            ],
            "attributes": attributes,
        }
        if not free:
            document["cost_options"] = [
                {
                    "id": _id("cost", service_id),
                    "option": "Prispevek",
                    "amount": rng.choice((10, 25, 60)),
                    "currency": "EUR",
                }
            ]
        if rng.random() < 0.3:
            document["required_documents"] = [
                {
                    "id": _id("document", service_id),
                    "document": "Osebni dokument ali dovoljenje za prebivanje.",
                }
            ]
        return document
