"""The referrals benchmark's data, written in bulk (minutes, where the services would take
hours), in the network of referrals_network.py: persons with real names, each registered by one
of its organisations, with their consents; three years of referrals between the organisations,
each with its steps, the access grant of an accepted one and the notices of the last two weeks.

A referral's life follows the service's promise: sent minutes to days after it was written, it
is answered after a time that grows with the receiver's size (some after the promised working
days, which reminds the receiver and then its coordinators; a few never), declined (12 %) or
accepted, then worked on and completed or closed weeks later; some are withdrawn, some stay
drafts. Each is written as it would be now: what had not happened by now has not happened, so
the recent referrals are the open ones. Every referral that was sent rests on the person's
consent to sharing, given shortly before their first referral and renewed when it expired (a
quarter of those covering one receiver name it). Written the way the services write them,
without their audit entries (like `bulk_persons`).

Django and the application are imported inside the functions: they run in the child process,
after DATABASE_URL names the fresh database and django.setup().
"""

import datetime
import json
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from names import NamePools
from referrals_network import Org

YEARS = 3
NOTICE_DAYS = 14  # notices are written for the steps of the last two weeks
CHUNK = 10_000  # referrals written per transaction

REASONS = {
    "social_work": [
        "Družina je brez dohodkov, potrebuje pomoč pri vlogi za denarno socialno pomoč.",
        "Mati z dvema otrokoma potrebuje svetovanje in pomoč pri urejanju otroškega dodatka.",
        "Oseba živi sama, brez podpore; prosimo za osebno pomoč in oceno potreb.",
    ],
    "employment": [
        "Ima dovoljenje za prebivanje in delo, želi se prijaviti med brezposelne.",
        "Ima izkušnje v gradbeništvu, potrebuje karierno svetovanje in usposabljanje.",
        "Končuje tečaj slovenščine (A2), išče zaposlitev v gostinstvu.",
    ],
    "health": [
        "Nima izbranega osebnega zdravnika; kronična bolezen, redna terapija.",
        "Otroka potrebujeta sistematski pregled pred vpisom v šolo.",
    ],
    "school": [
        "Otrok (10 let) je prišel pred mesecem dni, potrebuje vpis in dodatni pouk slovenščine.",
        "Učenec potrebuje dodatno pomoč pri slovenščini.",
    ],
    "ngo": [
        "Potrebuje pomoč pri iskanju stanovanja in stik s prostovoljci.",
        "Želi se vpisati na tečaj slovenščine in v skupino za samopomoč.",
        "Potrebuje brezplačno pravno svetovanje glede statusa.",
        "Družina potrebuje učno pomoč za otroke in medkulturno mediacijo.",
    ],
    "municipality": ["Družina živi v neprimernem stanovanju, prosimo za subvencijo najemnine."],
    "government": ["Dovoljenje za prebivanje poteče čez dva meseca, potrebuje pomoč pri vlogi."],
    "international": ["Prosilec za mednarodno zaščito potrebuje pravno svetovanje."],
}
NOTES = (
    "Govori ukrajinsko in rusko, potrebuje tolmača.",
    "Dosegljiva je dopoldne.",
    "Prosimo za hiter odgovor, stanje je resno.",
    "Na prvi pogovor jo pospremi naša svetovalka.",
)
FEEDBACK = (
    "Vključen v program, redno prihaja.",
    "Vloga oddana in odobrena.",
    "Dogovorjeni nadaljnji koraki, primer zaključen pri nas.",
    "Napoten naprej v program usposabljanja.",
)
DECLINES = (
    ("not_eligible", 30),
    ("no_capacity", 25),
    ("outside_area", 15),
    ("wrong_service", 15),
    ("duplicate", 10),
    ("other", 5),
)
CLOSES = (
    ("not_reached", 25),
    ("did_not_come", 30),
    ("person_declined", 20),
    ("moved", 15),
    ("other", 10),
)
URGENCIES = (("routine", 75), ("soon", 20), ("urgent", 5))
DEFAULT_FIELDS = ("birth_year", "email", "languages", "phone")
OTHER_FIELDS = (
    ("birth_year", "languages", "phone"),
    ("address", "birth_year", "email", "languages", "municipality", "phone"),
    ("birth_date", "languages", "phone", "residence_status"),
)


def _weighted(rng, choices):
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


@dataclass(frozen=True)
class Sizes:
    persons: int
    referrals: int


def name_pools(path):
    return NamePools(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass(slots=True)
class Plan:
    """One referral as it is now: who, to whom, and the steps that have happened."""

    person: int
    sender: Org
    receiver: Org
    service: object  # uuid or None
    created_at: datetime.datetime
    created_by: int
    steps: list  # (at, action, state, side, actor)
    urgency: str = "routine"
    fields: tuple = DEFAULT_FIELDS
    sent_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    answered_at: datetime.datetime | None = None
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    reminded_at: datetime.datetime | None = None
    escalated_at: datetime.datetime | None = None
    handled_by: int | None = None
    decline_reason: str = ""
    close_reason: str = ""
    feedback: str = ""
    consent: object = None  # the Consent it rests on
    grant_revoked: datetime.datetime | None = None

    @property
    def state(self):
        return self.steps[-1][2]


class World:
    """One set of persons, consents and referrals (a benchmark writes a small one first, to count
    the pages' statements at that size, then the full one)."""

    def __init__(self, sizes, seed, network, names):
        from django.utils import timezone

        self.sizes = sizes
        self.seed = seed
        self.rng = random.Random(seed)
        self.network = network
        self.names = names
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.zone = timezone.get_current_timezone()
        self.persons = []  # (pk, org)
        self.first_person = self.first_referral = 0
        self.plans = []
        self.counts = Counter()

    # --- persons -------------------------------------------------------------------------------

    def write_persons(self):
        """bulk_persons in every organisation that registers persons, in proportion to its
        share; their audit keys (as registering them makes)."""
        from cryptography.fernet import Fernet

        from most.accounts.models import Organisation
        from most.audit.models import AuditKey
        from most.audit.sealing import master
        from most.demo.generator import bulk_persons
        from most.people.models import Person

        orgs = [o for o in self.network.orgs if o.person_share]
        total = sum(o.person_share for o in orgs)
        counts = [math.floor(self.sizes.persons * o.person_share / total) for o in orgs]
        counts[0] += self.sizes.persons - sum(counts)
        self.first_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        organisations = Organisation.objects.in_bulk([o.pk for o in orgs])
        for n, (org, count) in enumerate(zip(orgs, counts, strict=True)):
            if count:
                seed = self.seed * 1000 + n
                bulk_persons(organisations[org.pk], count, seed=seed, names=self.names)
        rows = Person.objects.filter(pk__gt=self.first_person).values_list("pk", "organisation_id")
        by_pk = self.network.by_pk
        self.persons = [(pk, by_pk[org]) for pk, org in rows.order_by("pk").iterator(10_000)]
        wrap = master().encrypt
        for start in range(0, len(self.persons), 20_000):
            keys = [
                AuditKey(subject=f"person:{pk}", wrapped=wrap(Fernet.generate_key()).decode())
                for pk, _org in self.persons[start : start + 20_000]
            ]
            AuditKey.objects.bulk_create(keys, batch_size=5000)
        self.counts["persons"] = len(self.persons)

    # --- referrals as they are now ---------------------------------------------------------------

    def _moment(self, began, span):
        """A moment in the span after `began`, more of them lately (the network grows), on a
        working day's hours mostly."""
        u = self.rng.random()
        a, b = 0.6, 0.8  # density a + b·x over [0, 1]
        x = (-a + math.sqrt(a * a + 2 * b * u * (a + b / 2))) / b
        return self._working(began + span * x)

    def _working(self, moment):
        rng = self.rng
        local = moment.astimezone(self.zone)
        day = local.date()
        if day.weekday() >= 5 and rng.random() < 0.9:
            day += datetime.timedelta(days=7 - day.weekday())
        if not 7 <= local.hour < 17 or day != local.date():
            seconds = rng.randint(8 * 3600, 16 * 3600)
            clock = datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
            return datetime.datetime.combine(day, clock, self.zone)
        return local

    def plan_referrals(self):
        """Who refers whom to which service, when, and what came of it by now."""
        import bisect

        rng = self.rng
        # Some persons need much more help than others: a few are referred many times.
        weights = [rng.lognormvariate(0, 0.7) for _ in self.persons]
        receivers = [
            (org, service, days)
            for org in self.network.orgs
            for service, days in org.services or ([(None, 5)] if org.receive_share else [])
        ]
        service_weights = []
        for org, _service, _days in receivers:
            service_weights.append(org.receive_share / max(1, len(org.services)))
        cumulative, total = [], 0.0
        for weight in service_weights:
            total += weight
            cumulative.append(total)
        span = datetime.timedelta(days=365 * YEARS)
        # From midnight: runs of the same day (one per database) draw the same referrals.
        began = datetime.datetime.combine(self.today, datetime.time(), self.zone) - span
        chosen = rng.choices(range(len(self.persons)), weights, k=self.sizes.referrals)
        for index in chosen:
            person, sender = self.persons[index]
            while True:
                org, service, days = receivers[bisect.bisect(cumulative, rng.random() * total)]
                if org is not sender:
                    break
            if rng.random() < 0.15:
                service, days = None, 5  # to the organisation itself
            created = min(self._moment(began, span), self.now - datetime.timedelta(minutes=5))
            author = rng.choice(sender.managers)
            plan = Plan(person, sender, org, service, created, author, [])
            plan.urgency = _weighted(rng, URGENCIES)
            if rng.random() < 0.15:
                plan.fields = rng.choice(OTHER_FIELDS)
            self._live(plan, days)
            self.plans.append(plan)
        self.plans.sort(key=lambda p: p.created_at)

    def _live(self, plan, days):
        """The referral's steps (see the module's docstring), those up to now kept."""
        from most.referrals.selectors import due_after

        rng, org = self.rng, plan.receiver
        steps = [(plan.created_at, "create", "draft", "sender", plan.created_by)]
        roll = rng.random()
        if roll < 0.02:  # a draft never sent
            return self._keep(plan, steps)
        at = plan.created_at + datetime.timedelta(minutes=rng.choice((2, 5, 15, 60, 600, 3000)))
        if roll < 0.03:
            steps.append((at, "withdraw", "withdrawn", "sender", plan.created_by))
            return self._keep(plan, steps)
        sent = at
        steps.append((sent, "send", "sent", "sender", plan.created_by))
        due = due_after(sent, days)
        lag = datetime.timedelta(days=rng.lognormvariate(math.log(org.pace * days * 1.4), 0.8))
        answered = self._working(sent + lag)
        answered = max(answered, sent + datetime.timedelta(minutes=30))
        actor = rng.choice(org.managers)
        waited = answered
        if roll < 0.06:  # withdrawn before an answer
            waited = sent + lag * rng.uniform(0.2, 0.9)
            steps.append((waited, "withdraw", "withdrawn", "sender", plan.created_by))
        elif roll < 0.063:  # never answered
            waited = None
        elif roll < 0.18:
            steps.append((answered, "decline", "declined", "receiver", actor))
            plan.decline_reason = _weighted(rng, DECLINES)
        else:
            steps.append((answered, "accept", "accepted", "receiver", actor))
            if rng.random() < 0.75:
                started = answered + datetime.timedelta(days=rng.expovariate(1 / 3))
                steps.append((started, "start", "in_progress", "receiver", actor))
                ended = started + datetime.timedelta(days=rng.lognormvariate(math.log(40), 0.8))
            else:
                ended = answered + datetime.timedelta(days=rng.uniform(1, 30))
            if rng.random() < 0.78:
                steps.append((ended, "complete", "completed", "receiver", actor))
                plan.feedback = rng.choice(FEEDBACK)
            else:
                steps.append((ended, "close", "closed", "receiver", actor))
                plan.close_reason = _weighted(rng, CLOSES)
        # The hourly reminders: past the promised day, then past twice the time.
        waited = self.now if waited is None else min(waited, self.now)
        reminded = _next_run(due)
        if reminded < waited:
            steps.append((reminded, "reminded", "sent", "receiver", None))
            escalated = _next_run(sent + 2 * (due - sent))
            if escalated < waited:
                steps.append((escalated, "escalated", "sent", "receiver", None))
        steps.sort(key=lambda step: step[0])
        plan.due_at = due
        return self._keep(plan, steps)

    def _keep(self, plan, steps):
        """What has happened by now: the steps, the moments, the answer's reasons."""
        plan.steps = [step for step in steps if step[0] <= self.now]
        for at, action, _state, _side, actor in plan.steps:
            if action == "send":
                plan.sent_at = at
            elif action == "accept":
                plan.answered_at, plan.handled_by = at, actor
            elif action == "decline":
                plan.answered_at = at
            elif action == "start":
                plan.started_at = at
            elif action == "reminded":
                plan.reminded_at = at
            elif action == "escalated":
                plan.escalated_at = at
            if action in ("withdraw", "decline", "complete", "close"):
                plan.ended_at = at
            if action in ("complete", "close"):
                plan.grant_revoked = at
        if plan.sent_at is None:
            plan.due_at = None
        state = plan.state
        if state != "declined":
            plan.decline_reason = ""
        if state != "closed":
            plan.close_reason = ""
        if state != "completed":
            plan.feedback = ""

    # --- consents ------------------------------------------------------------------------------

    def write_consents(self):
        """Each referred person's consents to sharing (given before their first referral,
        renewed when they expired; a quarter of those covering one receiver name it; a few
        withdrawn after everything ended); more persons' consent to sharing given at
        registration, and 60 % of the persons' consent to their record."""
        from django.db import transaction

        from most.people.models import Consent

        rng, today = self.rng, self.today
        by_person = defaultdict(list)
        for plan in self.plans:
            if plan.sent_at is not None:
                by_person[plan.person].append(plan)
        consents = []
        for pk, sender in self.persons:
            common = {"person_id": pk, "organisation_id": sender.pk}
            if rng.random() < 0.6:
                given = today - datetime.timedelta(days=rng.randint(0, 365 * YEARS))
                consents.append(
                    Consent(purpose="registration", given_on=given, evidence="signed", **common)
                )
            plans = by_person.get(pk)
            if plans:
                consents += self._sharing(plans, common)
            elif rng.random() < 0.15:
                given = today - datetime.timedelta(days=rng.randint(0, 700))
                consents.append(
                    Consent(
                        purpose="sharing",
                        given_on=given,
                        expires_on=given + datetime.timedelta(days=730),
                        evidence="signed",
                        scope="Napotitve v mreži",
                        **common,
                    )
                )
        with transaction.atomic():
            Consent.objects.bulk_create(consents, batch_size=5000)
        purposes = Counter(c.purpose for c in consents)
        self.counts["consents to sharing"] = purposes["sharing"]
        self.counts["consents to the record"] = purposes["registration"]
        self.counts["consents withdrawn"] = sum(c.withdrawn_on is not None for c in consents)

    def _sharing(self, plans, common):
        from most.people.models import Consent

        rng = self.rng
        windows = []  # [consent, [plans]]
        for plan in sorted(plans, key=lambda p: p.sent_at):
            day = plan.sent_at.astimezone(self.zone).date()
            current = windows[-1][0] if windows else None
            if current is None or (current.expires_on is not None and day > current.expires_on):
                back = rng.randint(0, 20) if current is None else rng.randint(0, 3)
                given = day - datetime.timedelta(days=back)
                expires = given + datetime.timedelta(days=730) if rng.random() < 0.7 else None
                current = Consent(
                    purpose="sharing",
                    given_on=given,
                    expires_on=expires,
                    evidence=rng.choice(("signed", "signed", "electronic", "verbal")),
                    scope="Napotitve v mreži",
                    **common,
                )
                windows.append([current, []])
            windows[-1][1].append(plan)
            plan.consent = current
        for consent, covered in windows:
            receivers = {p.receiver.pk for p in covered}
            if len(receivers) == 1 and rng.random() < 0.25:
                consent.recipient_id = receivers.pop()
        last = windows[-1][0]
        ends = [p.ended_at for p in plans]
        if last.expires_on is None and all(ends) and rng.random() < 0.04:
            day = max(ends).astimezone(self.zone).date() + datetime.timedelta(
                days=rng.randint(1, 300)
            )
            if day <= self.today:
                last.withdrawn_on = day
        return [consent for consent, _plans in windows]

    # --- referrals, their steps, grants and notices ---------------------------------------------

    def write_referrals(self):
        from django.db import transaction

        from most.referrals.models import Referral

        self.first_referral = (
            Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        for start in range(0, len(self.plans), CHUNK):
            with transaction.atomic():
                self._write_chunk(self.plans[start : start + CHUNK])
        self.counts["referrals"] = len(self.plans)
        for state, n in Counter(p.state for p in self.plans).items():
            self.counts[f"referrals {state}"] = n

    def _write_chunk(self, plans):
        from most.people.models import AccessGrant
        from most.people.policy import IDENTITY_FIELDS
        from most.referrals.models import Event, Notification, Referral

        rng = self.rng
        grants = {}
        for n, plan in enumerate(plans):
            if plan.answered_at is not None and plan.handled_by is not None:
                consent = plan.consent
                grants[n] = AccessGrant(
                    organisation_id=plan.receiver.pk,
                    person_id=plan.person,
                    fields=sorted({*IDENTITY_FIELDS, *plan.fields}),
                    reason="referral",
                    consent=consent,
                    valid_until=consent.expires_on,
                    revoked_at=plan.grant_revoked,
                    created_by_id=plan.handled_by,
                    created_at=plan.answered_at,
                )
        AccessGrant.objects.bulk_create(grants.values(), batch_size=5000)
        referrals = []
        for n, plan in enumerate(plans):
            transitions = sum(s[1] not in ("create", "reminded", "escalated") for s in plan.steps)
            referrals.append(
                Referral(
                    person_id=plan.person,
                    sender_id=plan.sender.pk,
                    receiver_id=plan.receiver.pk,
                    service_id=plan.service,
                    reason=rng.choice(REASONS[plan.receiver.type]),
                    urgency=plan.urgency,
                    note=rng.choice(NOTES) if rng.random() < 0.3 else "",
                    fields=list(plan.fields),
                    state=plan.state,
                    consent=plan.consent if plan.sent_at else None,
                    grant=grants.get(n),
                    decline_reason=plan.decline_reason,
                    close_reason=plan.close_reason,
                    feedback=plan.feedback,
                    created_by_id=plan.created_by,
                    created_at=plan.created_at,
                    sent_at=plan.sent_at,
                    due_at=plan.due_at,
                    answered_at=plan.answered_at,
                    started_at=plan.started_at,
                    ended_at=plan.ended_at,
                    reminded_at=plan.reminded_at,
                    escalated_at=plan.escalated_at,
                    handled_by_id=plan.handled_by,
                    version=1 + transitions,
                )
            )
        Referral.objects.bulk_create(referrals, batch_size=2000)
        events, notices = [], []
        recent = self.now - datetime.timedelta(days=NOTICE_DAYS)
        for plan, referral in zip(plans, referrals, strict=True):
            for at, action, state, side, actor in plan.steps:
                org = plan.sender if side == "sender" else plan.receiver
                note = ""
                if action in ("complete", "decline", "close"):
                    note = plan.feedback
                events.append(
                    Event(
                        referral=referral,
                        organisation_id=org.pk,
                        actor_id=actor,
                        action=action,
                        state=state,
                        note=note,
                        at=at,
                    )
                )
                if at >= recent and action != "create":
                    notices += self._notices(plan, referral, at, action, side)
        Event.objects.bulk_create(events, batch_size=5000)
        Notification.objects.bulk_create(notices, batch_size=5000)
        self.counts["steps"] += len(events)
        self.counts["access grants"] += len(grants)
        self.counts["notices"] += len(notices)

    def _notices(self, plan, referral, at, action, side):
        """The notices a step gave (services._notify): the receiver's staff of a sending, a
        withdrawal or a reminder, its coordinators of an escalation, the author of an answer.
        Most of those older than two days have been read."""
        from most.referrals.models import Notification

        rng = self.rng
        receiver = plan.receiver
        if action == "escalated":
            users, org = receiver.coordinators, receiver
        elif side == "sender" or action == "reminded":
            users, org = receiver.notified, receiver
        else:
            users, org = [plan.created_by], plan.sender
        rows = []
        old = self.now - at > datetime.timedelta(days=2)
        for user in users:
            read = None
            if rng.random() < (0.85 if old else 0.4):
                read = min(self.now, at + datetime.timedelta(hours=rng.uniform(0.1, 48)))
            rows.append(
                Notification(
                    user_id=user,
                    organisation_id=org.pk,
                    referral=referral,
                    kind=action,
                    created_at=at,
                    read_at=read,
                )
            )
        return rows

    # --- what the benchmark requests -----------------------------------------------------------

    def items(self, needed):
        """What the timed requests ask for: persons of the sending NGO whose consent to sharing
        with anyone of the network holds today, each with a target (a service, or an
        organisation), and referrals waiting for the centre's answer whose consent holds, the
        longest waiting first (as its inbox lists them)."""
        from django.db.models import Q

        from most.people.models import Consent
        from most.referrals.models import Referral

        network, today = self.network, self.today
        rng = random.Random(self.seed + 1)
        valid = Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        persons = list(
            Consent.objects.filter(
                valid,
                organisation=network.sender.pk,
                person__gt=self.first_person,
                purpose="sharing",
                recipient__isnull=True,
                withdrawn_on__isnull=True,
                given_on__lte=today,
            )
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()
        )
        rng.shuffle(persons)
        targets = [o for o in network.orgs if o.services and o is not network.sender]
        shares = [o.receive_share for o in targets]
        sends = []
        for n, person in enumerate(persons[:needed]):
            org = rng.choices(targets, shares)[0]
            if n % 5 == 4:
                sends.append({"person": person, "receiver": org.pk, "to": org.name})
            else:
                service = rng.choice(org.services)[0]
                sends.append({"person": person, "service": str(service), "to": org.name})
        waiting = (
            Referral.objects.filter(
                receiver=network.receiver.pk,
                state="sent",
                pk__gt=self.first_referral,
                consent__withdrawn_on__isnull=True,
            )
            .filter(Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today))
            .order_by("sent_at", "pk")
            .values_list("pk", "version")
        )
        return {"send": sends, "accept": list(waiting[:needed])}

    def write(self, stage, label=""):
        import time

        steps = [
            ("persons (bulk_persons, real names), audit keys", self.write_persons),
            ("referrals planned", self.plan_referrals),
            ("consents", self.write_consents),
            ("referrals, steps, grants, notices", self.write_referrals),
        ]
        for name, step in steps:
            start = time.perf_counter()
            step()
            stage(f"{label}{name}", start)
        return dict(self.counts)


def _next_run(moment):
    """When the hourly reminders' job (at five past each hour) first sees a moment passed."""
    run = moment.replace(minute=5, second=0, microsecond=0)
    return run if run > moment else run + datetime.timedelta(hours=1)
