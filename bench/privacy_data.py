"""The privacy benchmark's data: persons with real names, and the audit trail a year of work on
them leaves, written in bulk (minutes, not the hours the services would take one by one).

What the services write, the same way: every personal value sealed with the key of the person it
concerns (an AuditKey "person:<id>", wrapped with the master key), a search's words with a key
of its own, a household's values with the household's key; list and search entries with the
persons they showed (AuditedPerson). The entries are written in the order of time, as an
audit trail grows, in windows of the year: within a window, the persons registered in it (pk
order is registration order), with their consents and households, and the views, searches,
lists and exports that happened in it, of persons registered before.

Django and the application are imported inside the functions: they run in the child process,
after DATABASE_URL names the fresh database and django.setup().
"""

import bisect
import datetime
import json
import random
import time
from pathlib import Path

from database import analyze
from names import NamePools

SEED = 7
DAYS = 365  # the audit trail spans a year
WINDOWS = 100  # written window by window, in the order of time
EXTRA_CASEWORKERS = 10  # beside the demo's eight users of the organisation
# Shares of the persons (of N persons):
CONSENT_SHARE = 0.5  # a consent to registration recorded (with its audit entry)
SHARING_SHARE = 0.4  # of those, also a consent to sharing
HOUSEHOLD_START = 0.11  # a household (2–5 persons registered together) begins: ~30 % in one
VIEWED_SHARE = 0.3  # opened again later, 1–5 times
LISTS_PER_PERSON = 0.5  # list and search entries: 100,000 at 200,000 persons
SEARCH_SHARE = 0.7  # of them searches (their words sealed with a key of their own)
SHOWN = (1, 19)  # persons a list or search entry showed: 10 on average
EXPORTS_PER_PERSON = 1 / 400  # exports of a search's results (CSV, XLSX): 500 at 200,000
OFFICE_IPS = [f"10.20.0.{n}" for n in range(10, 40)]


def load(args, out, stage):
    """Migrate, seed the demo's organisations and users, write the persons and their audit
    trail. Returns (organisation, the administrator's membership, the administrator's API token
    key, {"export": [person ids], "erasure": [person ids]} chosen for the timed requests)."""
    from django.core.management import call_command
    from django.db import connection

    from most.accounts.models import Membership, Role
    from most.accounts.services import api_token_create
    from most.demo.generator import bulk_persons, seed_organisations_and_users

    names = NamePools(json.loads(Path(args.names).read_text(encoding="utf-8")))
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    stage("migrate", start)
    organisation = seed_organisations_and_users()[0]
    staff = _staff(organisation)

    start = time.perf_counter()
    bulk_persons(organisation, args.persons, seed=1, names=names)
    stage(f"generate {args.persons:,} persons", start)

    start = time.perf_counter()
    counts, candidates = AuditTrail(organisation, staff, args.persons).write()
    stage("generate the audit trail, consents and households", start)
    out["data"] = counts
    print(f"[{args.db}] {counts}", flush=True)

    analyze(args, stage)
    out["data"]["database MB"] = round(_database_bytes(connection) / 1e6)

    admin = Membership.objects.select_related("user", "organisation").get(
        organisation=organisation, role=Role.ADMIN
    )
    token = api_token_create(member=admin).key
    return organisation, admin, token, candidates


def _staff(organisation):
    """[(user id, weight)]: who works on the persons; the demo's users and more case workers."""
    from most.accounts.models import Membership, Role, User
    from most.demo.generator import DEMO_DOMAIN

    for n in range(1, EXTRA_CASEWORKERS + 1):
        user = User.objects.create_user(
            email=f"caseworker{n}@{DEMO_DOMAIN}", password=None, full_name=f"Case worker {n}"
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.CASEWORKER)
    weights = {
        Role.CASEWORKER: 3,
        Role.COORDINATOR: 2,
        Role.COUNSELLOR: 2,
        Role.MEDIATOR: 1,
        Role.TRAINER: 1,
        Role.ADMIN: 1,
        Role.VIEWER: 1,
    }
    members = Membership.objects.filter(organisation=organisation).order_by("pk")
    return [(m.user_id, weights[m.role]) for m in members if m.role in weights]


def _database_bytes(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cursor.fetchone()[0]


class AuditTrail:
    """A year of the organisation's audit trail over its persons, written window by window."""

    def __init__(self, organisation, staff, persons):
        from django.utils import timezone

        from most.audit.sealing import master

        self.organisation = organisation
        self.rng = random.Random(SEED)
        self.master = master()
        self.actors = [user for user, _w in staff]
        self.actor_weights = list(_accumulate(w for _u, w in staff))
        self.end = timezone.now() - datetime.timedelta(hours=1)
        self.start = self.end - datetime.timedelta(days=DAYS)
        self.span = (self.end - self.start).total_seconds()
        self.n = persons
        # Per person, by index in pk order: what later entries need.
        self.pks = []
        self.labels = []  # str(person), as an entry's object
        self.latin = []  # (given, family) in Latin letters, what staff type to find them
        self.raw_keys = []  # the person's data key (raw, as Fernet takes it)
        self.key_ids = []
        self.in_household = []
        self.has_consent = []
        self.pending = []  # (entry, its own key not yet written)
        self.counts = {"entries by action": {}}

    # --- the pieces of an entry ---------------------------------------------------------

    def _actor(self):
        return self.actors[
            bisect.bisect(self.actor_weights, self.rng.random() * self.actor_weights[-1])
        ]

    def _moment(self, fraction):
        return self.start + datetime.timedelta(seconds=fraction * self.span)

    def _registered_by(self, moment):
        """How many persons were registered before the moment."""
        return min(self.n, int((moment - self.start).total_seconds() / self.span * self.n))

    def _key(self, subject, created_at):
        from cryptography.fernet import Fernet

        from most.audit.models import AuditKey

        raw = Fernet.generate_key()
        wrapped = self.master.encrypt(raw).decode()
        return raw, AuditKey(subject=subject, wrapped=wrapped, created_at=created_at)

    def _entry(self, at, action, *, key=None, payload=None, actor=None, **fields):
        """An entry as audit_member writes it; `key` (key id, raw key) seals the payload."""
        from cryptography.fernet import Fernet

        from most.audit.models import AuditEntry
        from most.audit.sealing import seal

        fields.setdefault("subject_organisation_id", self.organisation.pk)
        entry = AuditEntry(
            at=at,
            actor_id=actor or self._actor(),
            organisation_id=self.organisation.pk,
            action=action,
            ip_address=self.rng.choice(OFFICE_IPS),
            **fields,
        )
        if key is not None:
            holder, raw = key
            if isinstance(holder, int):
                entry.key_id = holder
            else:  # a key of the entry's own, written with the window's entries
                self.pending.append((entry, holder))
            entry.sealed = seal(Fernet(raw), payload)
        by_action = self.counts["entries by action"]
        by_action[action] = by_action.get(action, 0) + 1
        return entry

    # --- the year -------------------------------------------------------------------------

    def write(self):
        """Write every window; returns (counts, persons chosen for the timed requests)."""
        from most.people.models import Person

        pks = list(
            Person.objects.filter(organisation=self.organisation)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.n = len(pks)
        events = self._events()
        for window in range(WINDOWS):
            low, high = window * self.n // WINDOWS, (window + 1) * self.n // WINDOWS
            if high > low:
                self._window(pks[low], pks[high - 1], low, events.get(window, []))
        self.counts["entries"] = sum(self.counts["entries by action"].values())
        return self.counts, self._candidates()

    def _events(self):
        """The views, lists, searches, exports and log-ins of the year, by window: (moment,
        kind, person index or None)."""
        rng, events = self.rng, []
        for index in range(self.n):
            if rng.random() < VIEWED_SHARE:
                registered = (index + 1) / self.n
                for _ in range(rng.randint(1, 5)):
                    events.append((rng.uniform(registered, 1.0), "view", index))
        for _ in range(int(self.n * LISTS_PER_PERSON)):
            kind = "search" if rng.random() < SEARCH_SHARE else "list"
            events.append((rng.random(), kind, None))
        for _ in range(max(1, int(self.n * EXPORTS_PER_PERSON))):
            events.append((rng.random(), "export", None))
        # Everyone who works on the persons signs in on working days.
        for day in range(DAYS):
            if (self.start + datetime.timedelta(days=day)).weekday() < 5:
                for actor in self.actors:
                    events.append(((day + rng.uniform(0.3, 0.4)) / DAYS, "login", actor))
        by_window = {}
        for fraction, kind, subject in sorted(events):
            window = min(WINDOWS - 1, int(fraction * WINDOWS))
            by_window.setdefault(window, []).append((self._moment(fraction), kind, subject))
        return by_window

    def _window(self, first_pk, last_pk, low, events):
        from django.db import transaction

        from most.audit.models import AuditedPerson, AuditEntry, AuditKey
        from most.people.models import Person

        persons = list(
            Person.objects.filter(
                organisation=self.organisation, pk__gte=first_pk, pk__lte=last_pk
            ).order_by("pk")
        )
        keys, entries, shown = [], [], []
        with transaction.atomic():
            # The persons' keys first: every entry about them is sealed with theirs.
            moments = [
                self._moment((low + i + self.rng.random()) / self.n) for i in range(len(persons))
            ]
            for person, moment in zip(persons, moments, strict=True):
                raw, key = self._key(f"person:{person.pk}", moment)
                keys.append(key)
                self.pks.append(person.pk)
                self.labels.append(str(person))
                self.latin.append((person.given_name_latin, person.family_name_latin))
                self.raw_keys.append(raw)
                self.in_household.append(False)
                self.has_consent.append(False)
            AuditKey.objects.bulk_create(keys, batch_size=2000)
            self.key_ids.extend(key.pk for key in keys)
            self._counted("audit keys", len(keys))

            entries += self._registrations(persons, moments, low)
            entries += self._households(persons, moments, low)
            entries += self._consents(persons, moments, low)
            for moment, kind, subject in events:
                made = self._event(moment, kind, subject)
                if isinstance(made, tuple):
                    entries.append(made[0])
                    shown.append(made)
                elif made is not None:
                    entries.append(made)
            AuditKey.objects.bulk_create([key for _entry, key in self.pending], batch_size=2000)
            self._counted("audit keys", len(self.pending))
            for entry, key in self.pending:
                entry.key_id = key.pk
            self.pending = []
            entries.sort(key=lambda entry: entry.at)
            AuditEntry.objects.bulk_create(entries, batch_size=2000)
            rows = [
                AuditedPerson(entry_id=entry.pk, person_id=pk)
                for entry, person_pks in shown
                for pk in person_pks
            ]
            AuditedPerson.objects.bulk_create(rows, batch_size=5000)
            self._counted("audited persons", len(rows))

    def _counted(self, what, how_many):
        self.counts[what] = self.counts.get(what, 0) + how_many

    def _person_key(self, index):
        return self.key_ids[index], self.raw_keys[index]

    def _registrations(self, persons, moments, low):
        """Each person's CREATE entry: every value registered, sealed with the person's key."""
        from most.audit.models import AuditAction
        from most.audit.services import changes_between, snapshot
        from most.people.models import PERSON_FIELDS

        entries = []
        for i, (person, moment) in enumerate(zip(persons, moments, strict=True)):
            values = snapshot(person, PERSON_FIELDS)
            values.update(aliases=[], languages=[person.preferred_language], vulnerabilities=[])
            changes = changes_between({}, values)
            changes.pop("vulnerabilities")  # sensitive: recorded as changed, never its value
            entries.append(
                self._entry(
                    moment,
                    AuditAction.CREATE,
                    object_type="people.person",
                    object_id=str(person.pk),
                    person_id=person.pk,
                    changed_fields=sorted({*changes, "vulnerabilities"}),
                    key=self._person_key(low + i),
                    payload={"object": str(person), "changes": changes},
                )
            )
        return entries

    def _households(self, persons, moments, low):
        """Households of 2–5 persons registered together: the household, its members."""
        from most.audit.models import AuditAction, AuditKey
        from most.people.models import Household, HouseholdMember, Relationship

        rng, groups, i = self.rng, [], 0
        while i < len(persons):
            if rng.random() < HOUSEHOLD_START:
                size = min(rng.randint(2, 5), len(persons) - i)
                if size >= 2:
                    groups.append(list(range(i, i + size)))
                    i += size
                    continue
            i += 1
        households = [
            Household(
                organisation=self.organisation,
                name=persons[group[0]].family_name_latin,
                municipality=persons[group[0]].municipality,
                address=persons[group[0]].address,
                created_at=moments[group[0]],
            )
            for group in groups
        ]
        Household.objects.bulk_create(households, batch_size=2000)
        keys = [self._key(f"household:{h.pk}", h.created_at) for h in households]
        AuditKey.objects.bulk_create([key for _raw, key in keys], batch_size=2000)
        self._counted("audit keys", len(keys))
        self._counted("households", len(households))
        members, entries = [], []
        for group, household, (raw, key) in zip(groups, households, keys, strict=True):
            actor = self._actor()
            values = {"name": household.name, "municipality": household.municipality}
            values["address"] = household.address
            entries.append(
                self._entry(
                    household.created_at,
                    AuditAction.CREATE,
                    actor=actor,
                    object_type="people.household",
                    object_id=str(household.pk),
                    changed_fields=sorted(values),
                    key=(key.pk, raw),
                    payload={
                        "object": household.name,
                        "changes": {k: [None, v] for k, v in values.items()},
                    },
                )
            )
            for position, i in enumerate(group):
                relationship = (
                    Relationship.HEAD
                    if position == 0
                    else Relationship.SPOUSE
                    if position == 1
                    else Relationship.CHILD
                )
                members.append(
                    HouseholdMember(
                        household=household, person=persons[i], relationship=relationship
                    )
                )
                self.in_household[low + i] = True
                changes = {
                    "member_added": [None, persons[i].pk],
                    "relationship": [None, relationship],
                }
                entries.append(
                    self._entry(
                        moments[i] + datetime.timedelta(minutes=2),
                        AuditAction.UPDATE,
                        actor=actor,
                        object_type="people.household",
                        object_id=str(household.pk),
                        person_id=persons[i].pk,
                        changed_fields=sorted(changes),
                        key=self._person_key(low + i),
                        payload={"object": household.name, "changes": changes},
                    )
                )
        HouseholdMember.objects.bulk_create(members, batch_size=2000)
        return entries

    def _consents(self, persons, moments, low):
        """Consents to registration (and to sharing), each with its CREATE entry."""
        from most.audit.models import AuditAction
        from most.audit.services import changes_between, snapshot
        from most.people.models import Consent, ConsentEvidence, ConsentPurpose
        from most.people.services import CONSENT_FIELDS

        rng, consents = self.rng, []
        for i, (person, moment) in enumerate(zip(persons, moments, strict=True)):
            if rng.random() >= CONSENT_SHARE:
                continue
            self.has_consent[low + i] = True
            given_on = moment.date()
            adult = person.birth_year is None or moment.year - person.birth_year >= 18
            evidence = ConsentEvidence.SIGNED_FORM if adult else ConsentEvidence.GUARDIAN
            common = {"person": person, "organisation": self.organisation, "evidence": evidence}
            common.update(given_on=given_on, created_at=moment + datetime.timedelta(minutes=5))
            consents.append(
                Consent(
                    purpose=ConsentPurpose.REGISTRATION,
                    evidence_reference=f"Mapa {rng.randint(1, 40)}/{given_on.year}",
                    **common,
                )
            )
            if rng.random() < SHARING_SHARE:
                consents.append(
                    Consent(
                        purpose=ConsentPurpose.SHARING,
                        expires_on=given_on + datetime.timedelta(days=730),
                        scope="Napotitve na CSD, zavod za zaposlovanje in šolo",
                        **common,
                    )
                )
        Consent.objects.bulk_create(consents, batch_size=2000)
        self._counted("consents", len(consents))
        index = {person.pk: low + i for i, person in enumerate(persons)}
        entries = []
        for consent in consents:
            changes = changes_between({}, snapshot(consent, CONSENT_FIELDS))
            entries.append(
                self._entry(
                    consent.created_at,
                    AuditAction.CREATE,
                    object_type="people.consent",
                    object_id=str(consent.pk),
                    person_id=consent.person_id,
                    changed_fields=sorted(changes),
                    key=self._person_key(index[consent.person_id]),
                    payload={"object": str(consent), "changes": changes},
                )
            )
        return entries

    def _event(self, moment, kind, subject):
        """The entry of one view, list, search, export or log-in; (entry, persons shown) for a
        list or search; None when nobody was registered yet to be shown."""
        from most.audit.models import AuditAction

        rng = self.rng
        if kind == "login":
            return self._entry(
                moment,
                AuditAction.LOGIN,
                actor=subject,
                subject_organisation_id=None,
            )
        if kind == "view":
            if subject >= len(self.pks):  # not registered yet (a rounding at a window's edge)
                return None
            return self._entry(
                moment,
                AuditAction.VIEW,
                object_type="people.person",
                object_id=str(self.pks[subject]),
                person_id=self.pks[subject],
                changes={"via": "web"},
                key=self._person_key(subject),
                payload={"object": self.labels[subject], "changes": {}},
            )
        registered = self._registered_by(moment)
        if registered == 0:
            return None
        target = rng.randrange(registered)
        if kind == "list":
            count = rng.randint(*SHOWN)
            persons = [self.pks[rng.randrange(registered)] for _ in range(count)]
            entry = self._entry(
                moment,
                AuditAction.LIST,
                object_type="people.person",
                changes={"results": registered},
            )
            return entry, list(dict.fromkeys(persons))
        text = self._query(target)
        raw, key = self._key(None, moment)
        if kind == "export":
            text = rng.choice(["xlsx: ", ""]) + text
            return self._entry(
                moment,
                AuditAction.EXPORT,
                object_type="people.person",
                changes={"results": rng.randint(1, 400)},
                key=(key, raw),
                payload={"object": text, "changes": {}},
            )
        count = rng.randint(*SHOWN)
        persons = [self.pks[target]] + [
            self.pks[rng.randrange(registered)] for _ in range(count - 1)
        ]
        entry = self._entry(
            moment,
            AuditAction.SEARCH,
            object_type="people.person",
            changes={"results": count if count < SHOWN[1] else rng.randint(count, 3000)},
            key=(key, raw),
            payload={"object": text, "changes": {}},
        )
        return entry, list(dict.fromkeys(persons))

    def _query(self, index):
        """What a member typed to find the person: the name, or the first letters of it."""
        given, family = self.latin[index]
        choice = self.rng.random()
        if choice < 0.4:
            return f"{given} {family}"
        if choice < 0.7:
            return family[: self.rng.randint(3, 6)]
        return f"{given[:3]} {family[:4]}"

    def _candidates(self):
        """The persons whose export and erasure are timed (fixed seed): exports of persons
        with a household and a consent, so that the export has every kind of record; erasures
        of any person, half of them in a household."""
        rng = random.Random(SEED + 1)
        full = [i for i in range(self.n) if self.in_household[i] and self.has_consent[i]]
        others = [i for i in range(self.n) if not self.in_household[i]]
        households = [i for i in range(self.n) if self.in_household[i]]
        exported = rng.sample(full, min(len(full), 60))
        chosen = set(exported)
        erased = [i for i in rng.sample(households, min(len(households), 60)) if i not in chosen]
        erased = erased[:30] + rng.sample(others, min(len(others), 30))
        rng.shuffle(erased)
        return {
            "export": [self.pks[i] for i in exported],
            "erasure": [self.pks[i] for i in erased],
        }


def _accumulate(values):
    total = 0
    for value in values:
        total += value
        yield total
