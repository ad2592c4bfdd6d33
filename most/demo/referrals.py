"""The demo's referrals: half a year of persons referred between the network's organisations, in
every state, with the consents they rest on.

Each referral goes through the services as staff would make it (consent, create and send,
accept or decline, start, complete or close, withdraw; the hourly reminders), so its steps,
access grants, audit entries and notices are real. The services stamp everything with the
present moment; the timeline each referral is given (sent on a working day, answered a few
working days later, sometimes after the promised response time) is then written over those
stamps, so the inbox, the reminders and the response times read as months of work. Only the
audit trail keeps the moment the demo was loaded.

What persons are referred for, and the words of both sides, are data/referrals.yaml's; the
scenarios below say who refers whom for which, and how it ends.

The e-mails of this history are not written: they would all be dated today.
"""

import datetime
import functools
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from most.accounts.models import Membership
from most.accounts.policy import Action, can
from most.directory.models import DEFAULT_RESPONSE_DAYS, Service
from most.directory.schedules import is_holiday
from most.people import services as people
from most.people.models import AccessGrant, Consent, ConsentEvidence, ConsentPurpose, Person
from most.referrals import selectors, services
from most.referrals.models import Event, Notification, Referral, State, Urgency

from .catalogue import DEMO_DOMAIN

# The organisations by their place in generator.ORGANISATIONS.
VEZ, ODPRTA, CSD, URAD, LIPA, JESENICE = range(6)
# The same, by the names data/referrals.yaml gives them.
RECEIVERS = {
    "VEZ": VEZ,
    "ODPRTA": ODPRTA,
    "CSD": CSD,
    "URAD": URAD,
    "LIPA": LIPA,
    "JESENICE": JESENICE,
}

DATA = Path(__file__).resolve().parent / "data" / "referrals.yaml"

# Who writes the referrals of each sending organisation (the demo's logins first) and who
# answers them at each receiving one, by login.
AUTHORS = {
    VEZ: ["caseworker", "counsellor", "caseworker", "coordinator", "samira.haddad", "ana.horvat"],
    ODPRTA: ["caseworker.maribor", "caseworker.maribor", "vesna.potocnik", "leila.mansour"],
    CSD: ["tomaz.kranjc", "mariam.yusufzai", "tomaz.kranjc"],
}

# The working days some of the network's services promise to answer in (the rest: the default).
RESPONSE_DAYS = {
    (URAD, "Informacije o pravicah in dolžnostih"): 7,
    (URAD, "Začetni tečaj slovenščine za priseljence"): 10,
    (URAD, "Tečaj slovenščine za priseljence, Koper"): 10,
    (VEZ, "Psihosocialna podpora"): 5,
    (VEZ, "Tolmačenje na daljavo"): 2,
    (LIPA, "Vpis otrok priseljencev v šolo"): 3,
    (JESENICE, "Tolmačenje za družine"): 2,
    (JESENICE, "Medkulturna mediacija v šolah in vrtcih"): 5,
}


ADULT = (18, 120)


@dataclass(frozen=True)
class Case:
    """One way a need comes up: the sender's reason, and whom it fits (sex, ages, countries of
    origin, residence statuses; empty: any); its own note and feedback where the need's general
    ones would not fit. `{grade}` in the feedback is the school year a child of that age is in."""

    reason: str
    sex: str = ""
    ages: tuple = ADULT
    countries: tuple = ()
    statuses: tuple = ()
    note: str | None = None
    done: str | None = None


@dataclass(frozen=True, eq=False)
class Need:
    """What a person is referred for: to which organisation's service, what the referral shares,
    and the words of both sides."""

    receiver: int
    service: str | None
    answerers: list
    cases: list
    fields: tuple = ("birth_year", "languages", "phone")
    town: str = ""  # where the service is: persons living there are referred first
    urgency: tuple = (Urgency.ROUTINE,)
    notes: list = field(default_factory=lambda: [""])
    done: list = field(default_factory=list)
    declined: dict = field(default_factory=dict)
    closed: dict = field(default_factory=dict)
    withdrawn: list = field(default_factory=list)
    # How long the work takes, in working days from the start (or the acceptance).
    takes: tuple = (5, 25)
    # Completed straight after acceptance (a single appointment), not started first.
    single: bool = False


@functools.cache
def referrals_data():
    """{"needs", "accept_notes", "start_notes"} as data/referrals.yaml gives them."""
    with DATA.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@functools.cache
def needs():
    """The Needs of data/referrals.yaml by name, the same ones each time: the seeder takes their
    words in turn, keeping its place by each Need's identity."""
    return {name: _need(entry) for name, entry in referrals_data()["needs"].items()}


def _need(entry):
    entry = dict(entry, receiver=RECEIVERS[entry["receiver"]])
    entry["cases"] = [_case(case) for case in entry["cases"]]
    if "urgency" in entry:
        entry["urgency"] = tuple(Urgency(urgency) for urgency in entry["urgency"])
    for name in ("fields", "takes"):
        if name in entry:
            entry[name] = tuple(entry[name])
    return Need(**entry)


def _case(entry):
    return Case(**{name: tuple(v) if isinstance(v, list) else v for name, v in entry.items()})


# (sender, need, the state it ends in, and how: a decline's or closure's reason, or "late" /
# "very late" for an answer after the promised response time / after twice that).
SCENARIOS = [
    (VEZ, "residence", State.COMPLETED, ""),
    (VEZ, "residence", State.IN_PROGRESS, ""),
    (CSD, "residence", State.SENT, ""),
    (VEZ, "residence", State.SENT, "escalated"),
    (VEZ, "residence", State.WITHDRAWN, "sent"),
    (CSD, "residence", State.COMPLETED, "late"),
    (CSD, "residence", State.DRAFT, ""),
    (VEZ, "course", State.COMPLETED, ""),
    (VEZ, "course", State.DECLINED, "no_capacity"),
    (CSD, "course", State.COMPLETED, "late"),
    (VEZ, "course", State.CLOSED, "did_not_come"),
    (CSD, "course", State.ACCEPTED, ""),
    (VEZ, "course_applicant", State.DECLINED, "not_eligible"),
    (CSD, "course", State.WITHDRAWN, "sent"),
    (VEZ, "course", State.COMPLETED, ""),
    (VEZ, "course_koper", State.SENT, "overdue"),
    (ODPRTA, "psychosocial", State.COMPLETED, ""),
    (ODPRTA, "psychosocial", State.IN_PROGRESS, ""),
    (CSD, "psychosocial", State.CLOSED, "not_reached"),
    (ODPRTA, "psychosocial", State.DECLINED, "wrong_service"),
    (CSD, "psychosocial", State.SENT, ""),
    (ODPRTA, "psychosocial", State.SENT, "escalated"),
    (ODPRTA, "psychosocial", State.WITHDRAWN, "draft"),
    (CSD, "psychosocial", State.COMPLETED, "very late"),
    (ODPRTA, "psychosocial", State.DRAFT, ""),
    (VEZ, "mens_group", State.COMPLETED, ""),
    (CSD, "mens_group", State.ACCEPTED, ""),
    (VEZ, "mens_group", State.SENT, ""),
    (VEZ, "mens_group", State.COMPLETED, ""),
    (VEZ, "school", State.COMPLETED, ""),
    (ODPRTA, "school", State.DECLINED, "duplicate"),
    (CSD, "school", State.IN_PROGRESS, ""),
    (VEZ, "school", State.SENT, ""),
    (VEZ, "school", State.DRAFT, ""),
    (VEZ, "school_mediation", State.COMPLETED, ""),
    (ODPRTA, "school_mediation", State.IN_PROGRESS, ""),
    (VEZ, "school_mediation", State.SENT, ""),
    (VEZ, "interpreting", State.COMPLETED, ""),
    (VEZ, "interpreting", State.DECLINED, "no_capacity"),
    (VEZ, "parents_course", State.SENT, "overdue"),
    (ODPRTA, "remote_interpreting", State.COMPLETED, ""),
    (CSD, "remote_interpreting", State.COMPLETED, ""),
    (ODPRTA, "remote_interpreting", State.COMPLETED, "late"),
    (CSD, "remote_interpreting", State.DECLINED, "no_capacity"),
    (CSD, "remote_interpreting", State.COMPLETED, ""),
    (CSD, "employment_vez", State.COMPLETED, "late"),
    (CSD, "employment_vez", State.ACCEPTED, ""),
    (ODPRTA, "employment_vez", State.COMPLETED, ""),
    (ODPRTA, "employment_vez", State.IN_PROGRESS, ""),
    (CSD, "employment_vez", State.CLOSED, "did_not_come"),
    (ODPRTA, "employment", State.COMPLETED, ""),
    (ODPRTA, "employment", State.CLOSED, "moved"),
    (ODPRTA, "employment", State.SENT, "overdue"),
    (VEZ, "housing_maribor", State.COMPLETED, ""),
    (VEZ, "housing_maribor", State.IN_PROGRESS, ""),
    (VEZ, "health_insurance", State.DECLINED, "outside_area"),
    (ODPRTA, "health_insurance", State.COMPLETED, ""),
    (VEZ, "health_insurance", State.COMPLETED, ""),
    (VEZ, "housing", State.CLOSED, "person_declined"),
    (VEZ, "housing", State.ACCEPTED, "late"),
]

# How many days ago a referral ending in each state was sent (or written, for drafts).
SENT_DAYS_AGO = {
    State.DRAFT: (0, 6),
    State.ACCEPTED: (4, 16),
    State.IN_PROGRESS: (12, 60),
    State.DECLINED: (5, 160),
    State.COMPLETED: (25, 175),
    State.CLOSED: (30, 160),
    State.WITHDRAWN: (10, 120),
}


def seed_referrals(organisations, seed=2026):
    """Half a year of referrals between the demo's organisations, once. Returns how many."""
    if Referral.objects.exists() or len(organisations) <= JESENICE:
        return 0
    # The e-mails go after the commit: the transaction ends inside the override.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        return _Seeder(organisations, random.Random(seed)).run()


class _Seeder:
    def __init__(self, organisations, rng):
        self.organisations = organisations
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.used = {}  # the persons referred so far, by their organisation's index
        self.turns = {}  # which of a need's words come next

    def run(self):
        self._promise_response_times()
        lives = [self._life(*scenario) for scenario in SCENARIOS]
        # Written in the order they were written: their numbers grow with time.
        lives = sorted(filter(None, lives), key=lambda life: life["plan"]["create"])
        written = sum(self._play(**life) for life in lives)
        self._date_notices()
        return written

    # --- Who, to whom, for what --------------------------------------------------------------

    def _promise_response_times(self):
        for (owner, name), days in RESPONSE_DAYS.items():
            Service.objects.filter(
                name=name,
                organization__owner=self.organisations[owner],
                response_days__isnull=True,
            ).update(response_days=days)

    def _member(self, index, login):
        return (
            Membership.objects.filter(
                organisation=self.organisations[index],
                user__email=f"{login}@{DEMO_DOMAIN}",
                is_active=True,
            )
            .select_related("user", "organisation")
            .first()
        )

    def _member_of(self, index, logins):
        """One of these logins' memberships, in turn; else anyone there who works with
        referrals."""
        logins = list(logins)
        start = self._turn(("member", index, tuple(logins)))
        for login in logins[start % len(logins) :] + logins[: start % len(logins)]:
            member = self._member(index, login)
            if member is not None and can(member, Action.REFERRAL_MANAGE):
                return member
        for member in Membership.objects.filter(
            organisation=self.organisations[index], is_active=True
        ).select_related("user", "organisation"):
            if can(member, Action.REFERRAL_MANAGE):
                return member
        return None

    def _turn(self, key):
        turn = self.turns.get(key, 0)
        self.turns[key] = turn + 1
        return turn

    def _words(self, key, words):
        return words[self._turn(key) % len(words)] if words else ""

    def _service(self, need):
        if need.service is None:
            return None
        return Service.objects.filter(
            name=need.service,
            organization__owner=self.organisations[need.receiver],
            status="active",
        ).first()

    def _case_and_person(self, author, need, day):
        """The need's next case that fits a person of the author's organisation, and that person:
        one living where the service is if there is one, not referred yet if possible, whose
        consents to sharing, if any, were all given by `day` (so the referral rests on one given
        before it was sent)."""
        later = set(
            Consent.objects.filter(
                organisation=author.organisation,
                purpose=ConsentPurpose.SHARING,
                withdrawn_on__isnull=True,
                given_on__gt=day,
            ).values_list("person_id", flat=True)
        )
        persons = [
            person
            for person in Person.objects.filter(
                organisation=author.organisation, erased_at=None, restricted_at=None
            ).order_by("pk")
            if person.pk not in later and person.age_on(self.today) is not None
        ]
        used = self.used.setdefault(author.organisation_id, set())
        first = self._turn(("case", id(need)))
        for n in range(len(need.cases)):
            case = need.cases[(first + n) % len(need.cases)]
            fit = [p for p in persons if self._fits(case, p)]
            for choice in (
                [p for p in fit if p.pk not in used and p.municipality == need.town],
                [p for p in fit if p.pk not in used],
                fit,
            ):
                if choice:
                    person = self.rng.choice(choice)
                    used.add(person.pk)
                    return case, person
        return None, None

    def _fits(self, case, person):
        low, high = case.ages
        return (
            low <= person.age_on(self.today) <= high
            and (not case.sex or person.sex == case.sex)
            and (not case.countries or person.country_of_origin in case.countries)
            and (not case.statuses or person.residence_status in case.statuses)
        )

    def _consent(self, author, person, receiver, need, sent):
        """The person's consent to sharing: one given to the organisation earlier, else the
        one they give now, for this receiver, signed on the form of the referral."""
        day = timezone.localtime(sent).date()
        if selectors.sharing_consent(person, author.organisation_id, receiver.pk, day=day):
            return
        given_on = self._working_day_before(day, self.rng.choice([0, 0, 1, 2]))
        minor = person.age_on(self.today) < 18
        consent = people.consent_record(
            member=author,
            person=person,
            fields={
                "purpose": ConsentPurpose.SHARING,
                "recipient": receiver,
                "scope": f"Napotitve k: {receiver.name}",
                "given_on": given_on,
                "expires_on": given_on + datetime.timedelta(days=365),
                "evidence": ConsentEvidence.GUARDIAN if minor else ConsentEvidence.SIGNED_FORM,
                "evidence_reference": f"Soglasje k napotitvi, mapa {self.rng.randint(1, 40)}"
                f"/{given_on.year}",
            },
        )
        Consent.objects.filter(pk=consent.pk).update(
            created_at=min(sent, self._at(given_on)) - datetime.timedelta(minutes=20)
        )

    # --- One referral's life ---------------------------------------------------------------

    def _life(self, sender, need, state, how):
        """Who writes and who answers the referral, to which service, and its timeline."""
        need = needs()[need]
        author = self._member_of(sender, AUTHORS[sender])
        answerer = self._member_of(need.receiver, need.answerers)
        if author is None or answerer is None:
            return None
        service = self._service(need)
        days = (service.response_days if service else None) or DEFAULT_RESPONSE_DAYS
        return {
            "need": need,
            "how": how,
            "author": author,
            "answerer": answerer,
            "service": service,
            "days": days,
            "plan": self._plan(state, how, need, days),
        }

    def _play(self, need, how, author, answerer, service, days, plan):
        receiver = self.organisations[need.receiver]
        case, person = self._case_and_person(
            author, need, timezone.localtime(plan["create"]).date()
        )
        if person is None:
            return 0
        data = {
            "service": service,
            "receiver": receiver,
            "reason": case.reason,
            "note": self._words(("note", id(need)), need.notes) if case.note is None else case.note,
            "urgency": self._words(("urgency", id(need)), list(need.urgency)),
            "fields": list(need.fields),
        }
        sends = "send" in plan
        if sends:
            self._consent(author, person, receiver, need, plan["send"])
        referral = services.referral_create(member=author, person=person, data=data, send=sends)
        if sends:
            self._date(referral, plan, ("create", "send"))
            due = selectors.due_after(plan["send"], days)
            Referral.objects.filter(pk=referral.pk).update(due_at=due)
            after = [at for action, at in plan.items() if action not in ("create", "send")]
            self._remind(due, plan["send"], min(after, default=self.now))
        else:
            self._date(referral, plan, ("create",))
        for action in ("accept", "decline", "start", "complete", "close", "withdraw"):
            if action not in plan:
                continue
            by = author if action == "withdraw" else answerer
            referral = services.referral_transition(
                member=by,
                referral=referral,
                name=action,
                version=referral.version,
                reason=how if action in ("decline", "close") else "",
                note=self._answer(need, case, person, action, how),
            )
        self._date(referral, plan, tuple(plan))
        return 1

    def _answer(self, need, case, person, action, how):
        key = id(need)
        if action == "complete":
            done = case.done or self._words(("done", key), need.done)
            grade = min(9, max(1, person.age_on(self.today) - 5))
            return (done or "Storitev je bila opravljena.").format(grade=grade)
        if action == "decline":
            return need.declined.get(how, "")
        if action == "close":
            return need.closed.get(how, "")
        if action == "withdraw":
            return self._words(("withdrawn", key), need.withdrawn)
        if action == "accept":
            return self._words("accept", referrals_data()["accept_notes"])
        if action == "start":
            return self._words("start", referrals_data()["start_notes"])
        return ""

    def _remind(self, due, sent, until):
        """The hourly reminders this referral got while it waited (until its answer, or now):
        at the first run after it was due, and after twice the response time."""
        for moment in (due, sent + 2 * (due - sent)):
            run = self._next_run(moment)
            if run < until and run < self.now:
                services.reminders_send(now=run)

    # --- Its timeline ------------------------------------------------------------------------

    def _plan(self, state, how, need, days):
        """{action: moment} of the referral's steps, in order, all in the past."""
        rng = self.rng
        if state == State.SENT:
            sent = self._waiting_since(how, days)
            return {"create": sent - datetime.timedelta(minutes=rng.randint(5, 40)), "send": sent}
        if state == State.DRAFT or (state == State.WITHDRAWN and how == "draft"):
            low, high = (20, 45) if state == State.WITHDRAWN else SENT_DAYS_AGO[State.DRAFT]
            created = self._moment(self.today - datetime.timedelta(days=rng.randint(low, high)))
            plan = {"create": created}
            if state == State.WITHDRAWN:
                plan["withdraw"] = self._later(created, rng.randint(2, 6))
            return self._in_the_past(plan)
        low, high = SENT_DAYS_AGO[state]
        sent = self._moment(self.today - datetime.timedelta(days=rng.randint(low, high)))
        plan = {"create": sent - datetime.timedelta(minutes=rng.randint(5, 40)), "send": sent}
        if state == State.WITHDRAWN:
            plan["withdraw"] = self._later(sent, rng.randint(1, max(1, days - 1)))
            return self._in_the_past(plan)
        if how == "late":
            wait = days + rng.randint(1, max(1, days // 2))
        elif how == "very late":
            wait = 2 * days + rng.randint(1, 3)
        else:
            wait = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
            wait = min(wait, days - 1)
        answer = self._later(sent, wait)
        if state == State.DECLINED:
            plan["decline"] = answer
            return self._in_the_past(plan)
        plan["accept"] = answer
        if state == State.ACCEPTED:
            return self._in_the_past(plan)
        low, high = need.takes
        if need.single and state == State.COMPLETED:
            plan["complete"] = self._later(answer, rng.randint(low, high))
            return self._in_the_past(plan)
        plan["start"] = self._later(answer, rng.randint(1, 6))
        if state == State.COMPLETED:
            plan["complete"] = self._later(plan["start"], rng.randint(low, high))
        elif state == State.CLOSED:
            plan["close"] = self._later(plan["start"], rng.randint(3, 12))
        return self._in_the_past(plan)

    def _waiting_since(self, how, days):
        """When a referral still waiting was sent: within its response time, past it, or past
        twice it (`how`: "", "overdue", "escalated")."""
        hour = datetime.timedelta(hours=1)
        fit = []
        for back in range(60):
            sent = self._moment(self.today - datetime.timedelta(days=back))
            if sent >= self.now - hour:
                continue
            due = selectors.due_after(sent, days)
            twice = sent + 2 * (due - sent)
            if (
                how == ""
                and due > self.now + hour
                or how == "overdue"
                and due < self.now - 2 * hour < twice - 3 * hour
                or how == "escalated"
                and twice < self.now - 2 * hour
            ):
                fit.append(sent)
        return self.rng.choice(fit[:6]) if fit else self.now - hour

    def _in_the_past(self, plan):
        """Move the whole timeline back by weeks (its weekdays stay) until it is all over."""
        latest = max(plan.values())
        if latest < self.now - datetime.timedelta(hours=1):
            return plan
        weeks = (latest - self.now).days // 7 + 1
        back = datetime.timedelta(weeks=weeks)
        while latest - back >= self.now - datetime.timedelta(hours=1):
            back += datetime.timedelta(weeks=1)
        return {action: moment - back for action, moment in plan.items()}

    def _working(self, day):
        return day.weekday() < 5 and not is_holiday(day)

    def _working_day_before(self, day, days):
        while days or not self._working(day):
            if self._working(day):
                days -= 1
            day -= datetime.timedelta(days=1)
        return day

    def _at(self, day, earliest=8 * 60):
        """A moment of office hours on the day, not before `earliest` (minutes after
        midnight)."""
        minutes = self.rng.randint(max(earliest, 8 * 60), 15 * 60 + 30)
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
        )

    def _moment(self, day):
        """A moment of office hours on the working day on or before `day`."""
        return self._at(self._working_day_before(day, 0))

    def _later(self, moment, days):
        """A moment `days` working days after this one (later the same day for 0)."""
        local = timezone.localtime(moment)
        day = local.date()
        if days == 0:
            earliest = local.hour * 60 + local.minute + 20
            if earliest <= 15 * 60 + 30:
                return self._at(day, earliest)
            days = 1
        while days:
            day += datetime.timedelta(days=1)
            if self._working(day):
                days -= 1
        return self._at(day)

    @staticmethod
    def _next_run(moment):
        """The first run of the hourly reminders (five past the hour) after the moment."""
        run = moment.replace(minute=5, second=0, microsecond=0)
        return run if run > moment else run + datetime.timedelta(hours=1)

    # --- Writing the timeline over the services' stamps ----------------------------------

    def _date(self, referral, plan, actions):
        fields = {}
        moments = {action: plan[action] for action in actions if action in plan}
        if "create" in moments:
            fields["created_at"] = moments["create"]
        if "send" in moments:
            fields["sent_at"] = moments["send"]
        for action in ("accept", "decline"):
            if action in moments:
                fields["answered_at"] = moments[action]
        if "start" in moments:
            fields["started_at"] = moments["start"]
        for action in ("decline", "complete", "close", "withdraw"):
            if action in moments:
                fields["ended_at"] = moments[action]
        Referral.objects.filter(pk=referral.pk).update(**fields)
        for action, moment in moments.items():
            Event.objects.filter(referral=referral, action=action).update(at=moment)
        if referral.grant_id:
            AccessGrant.objects.filter(pk=referral.grant_id).update(
                created_at=fields.get("answered_at", referral.answered_at)
            )
            if "ended_at" in fields:
                AccessGrant.objects.filter(pk=referral.grant_id, revoked_at__isnull=False).update(
                    revoked_at=fields["ended_at"]
                )
        for name, value in fields.items():
            setattr(referral, name, value)

    def _date_notices(self):
        """Each notice at the moment of its step; read by now, except those of the last week
        (and a few older ones nobody opened)."""
        moments = {
            (referral, action): at
            for referral, action, at in Event.objects.values_list("referral_id", "action", "at")
        }
        recent = self.now - datetime.timedelta(days=6)
        notices = list(Notification.objects.order_by("pk"))
        for notice in notices:
            at = moments.get((notice.referral_id, notice.kind), notice.created_at)
            notice.created_at, notice.read_at = at, None
            if at < recent and self.rng.random() < 0.93:
                notice.read_at = min(
                    at + datetime.timedelta(minutes=self.rng.randint(10, 2 * 24 * 60)),
                    self.now - datetime.timedelta(minutes=5),
                )
        Notification.objects.bulk_update(notices, ["created_at", "read_at"], batch_size=500)
