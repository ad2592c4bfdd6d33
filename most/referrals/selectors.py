"""What the referral pages read: a referral, the inbox and outbox, and what they count."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from most.directory.models import DEFAULT_RESPONSE_DAYS, Service, ServiceStatus
from most.directory.schedules import is_holiday
from most.lib.errors import NotFound
from most.lib.names import fold
from most.people.models import SHAREABLE_FIELDS, Consent, ConsentPurpose
from most.people.policy import active_grants
from most.people.timeline import rows

from . import policy
from .models import OPEN, CloseReason, DeclineReason, Event, Referral, State
from .workflow import TRANSITIONS

PER_PAGE = 25
LONGEST_QUERY = 100


def referral_for(member, pk) -> Referral:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("not found") from None
    if not 0 < pk < 2**63:
        raise NotFound("not found")
    referral = (
        policy.referrals_visible_to(member)
        .select_related(
            "person__organisation",
            "sender",
            "receiver",
            "service__organization",
            "consent",
            "grant",
            "created_by",
            "handled_by",
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise NotFound("not found")
    return referral


def events_of(referral):
    return list(referral.events.select_related("organisation", "actor"))


# The inbox's views: what waits for an answer, what waits too long, what the receiver works on.
INBOX_VIEWS = ("new", "overdue", "open", "ended", "all")
OUTBOX_VIEWS = ("open", "drafts", "ended", "all")


@dataclass(frozen=True)
class Filters:
    view: str = "new"
    q: str = ""
    urgency: str = ""


def _words(text):
    """(as typed, folded) for each of the first five words."""
    words = [(word, fold(word)) for word in (text or "").split()[:5]]
    return [(word, folded) for word, folded in words if folded]


def _overdue():
    """Sent and not answered by the moment promised."""
    return Q(state=State.SENT, due_at__lt=timezone.now())


def inbox(member, filters: Filters):
    referrals = policy.inbox_of(member)
    referrals = {
        "new": referrals.filter(state=State.SENT),
        "overdue": referrals.filter(_overdue()),
        "open": referrals.filter(state__in=(State.ACCEPTED, State.IN_PROGRESS)),
        "ended": referrals.exclude(state__in=OPEN),
        "all": referrals,
    }[filters.view]
    referrals = _filtered(member, referrals, filters)
    # What waits longest comes first; urgency breaks no tie of fairness, it is shown.
    order = ("sent_at", "pk") if filters.view in ("new", "overdue") else ("-sent_at", "-pk")
    return _with_rows(referrals.order_by(*order))


def outbox(member, filters: Filters):
    referrals = policy.outbox_of(member)
    referrals = {
        "open": referrals.filter(state__in=OPEN),
        "drafts": referrals.filter(state=State.DRAFT),
        "ended": referrals.exclude(state__in=(*OPEN, State.DRAFT)),
        "all": referrals,
    }[filters.view]
    return _with_rows(_filtered(member, referrals, filters).order_by("-created_at", "-pk"))


def _filtered(member, referrals, filters):
    if filters.urgency:
        referrals = referrals.filter(urgency=filters.urgency)
    # The other organisation, the service, the referral's number; and the person's name where
    # the member's organisation may see it (its own record, or shared with it now).
    visible = Q(person__organisation=member.organisation_id) | Q(
        person__in=active_grants().filter(organisation=member.organisation_id).values("person_id")
    )
    for word, folded in _words(filters.q):
        match = (
            Q(sender__name__icontains=word)
            | Q(receiver__name__icontains=word)
            | Q(service__search_text__contains=folded)
            | Q(person__sort_name__contains=folded) & visible
        )
        if word.isdigit() and len(word) < 19:
            match |= Q(pk=int(word))
        referrals = referrals.filter(match)
    return referrals


def _with_rows(referrals):
    return referrals.select_related("person", "sender", "receiver", "service")


def inbox_counts(member) -> dict:
    """How many referrals wait for an answer, wait too long, and are being worked on."""
    # Only what is open: the count does not grow with the organisation's history.
    return (
        policy.inbox_of(member)
        .filter(state__in=OPEN)
        .aggregate(
            new=Count("pk", filter=Q(state=State.SENT)),
            overdue=Count("pk", filter=_overdue()),
            open=Count("pk", filter=Q(state__in=(State.ACCEPTED, State.IN_PROGRESS))),
        )
    )


def unread_notices(member) -> int:
    if not policy.can_view_referrals(member):
        return 0
    return policy.notifications_of(member).filter(read_at__isnull=True).count()


def fields_shown(member, referrals) -> dict[int, frozenset | None]:
    """Of these referrals, those whose person the member may see by name, each with the fields
    it may see: None (every field) for the organisation's own record, a grant's fields for a
    person shared with it now. One statement for the grants, whatever the number of referrals."""
    own = {r.pk: None for r in referrals if r.person.organisation_id == member.organisation_id}
    others = [r for r in referrals if r.pk not in own]
    fields = {}
    for grant in active_grants().filter(
        organisation=member.organisation_id, person__in={r.person_id for r in others}
    ):
        fields[grant.person_id] = fields.get(grant.person_id, frozenset()) | set(grant.fields)
    return own | {r.pk: fields[r.person_id] for r in others if r.person_id in fields}


def _valid_sharing_consents(person, sender_id, day):
    return Consent.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day),
        person=person,
        organisation=sender_id,
        purpose=ConsentPurpose.SHARING,
        given_on__lte=day,
        withdrawn_on__isnull=True,
    )


def sharing_consent(person, sender_id, receiver_id, day=None) -> Consent | None:
    """The person's latest consent to the sender sharing their data with the receiver, valid on
    the day (today): to that organisation, or to any of the network."""
    consents = _valid_sharing_consents(person, sender_id, day or timezone.localdate())
    return (
        consents.filter(Q(recipient__isnull=True) | Q(recipient=receiver_id))
        .order_by("-given_on", "-pk")
        .first()
    )


def sharing_consents(person, sender_id):
    """The person's consents to sharing given to the sender and valid today, for the form."""
    consents = _valid_sharing_consents(person, sender_id, timezone.localdate())
    return list(consents.select_related("recipient"))


def services_to_refer_to(member, text, limit=20):
    """Active services of the catalogue kept by another organisation of the network."""
    services = (
        Service.objects.filter(
            status=ServiceStatus.ACTIVE,
            organization__owner__isnull=False,
            organization__owner__is_active=True,
        )
        .exclude(organization__owner=member.organisation_id)
        .select_related("organization__owner")
    )
    for _word, folded in _words(text):
        services = services.filter(search_text__contains=folded)
    return list(services.order_by("name", "id")[:limit])


def service_by_id(pk):
    return Service.objects.select_related("organization__owner").filter(pk=pk).first()


def referrals_of_person(member, person, limit=20):
    """The referrals of the person that the member's organisation sent, newest first."""
    return list(
        policy.outbox_of(member)
        .filter(person=person)
        .select_related("receiver", "service")
        .order_by("-created_at", "-pk")[:limit]
    )


EXPORT_LIMIT = 10_000
EXPORT_COLUMNS = (
    "id",
    "sender",
    "service",
    "urgency",
    "state",
    "sent_at",
    "due_at",
    "answered_at",
    "ended_at",
    *SHAREABLE_FIELDS,
)


def inbox_export_rows(member, filters: Filters):
    """(header, rows, ids of the persons named) of the inbox: each referral, and of its person
    only the fields the member's organisation may see now (its grant's), else nothing."""
    referrals = list(inbox(member, filters).prefetch_related("person__languages")[:EXPORT_LIMIT])
    shown = fields_shown(member, referrals)
    rows = []
    for referral in referrals:
        fields = shown.get(referral.pk, frozenset())
        rows.append(
            [
                referral.pk,
                referral.sender.name,
                referral.service.name if referral.service_id else "",
                referral.urgency,
                referral.state,
                _when(referral.sent_at),
                _when(referral.due_at),
                _when(referral.answered_at),
                _when(referral.ended_at),
                *(
                    _person_value(referral.person, name) if fields is None or name in fields else ""
                    for name in SHAREABLE_FIELDS
                ),
            ]
        )
    named = {r.person_id for r in referrals if r.pk in shown}
    return list(EXPORT_COLUMNS), rows, sorted(named)


def _when(moment):
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def _person_value(person, name):
    if name == "languages":
        return " ".join(row.language for row in person.languages.all())
    value = getattr(person, name)
    return "" if value is None else str(value)


def due_after(sent_at, days) -> datetime.datetime:
    """The moment `days` working days (not weekends, not Slovenia's public holidays) after."""
    local = timezone.localtime(sent_at)
    day = local.date()
    left = days
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and not is_holiday(day):
            left -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def response_days(referral) -> int:
    service = referral.service
    return (service.response_days if service else None) or DEFAULT_RESPONSE_DAYS


# --- The person's timeline ------------------------------------------------------------------


def timeline_rows(member, person):
    """The steps of the person's referrals, for the organisation that keeps their record."""
    if not policy.can_view_referrals(member) or person.organisation_id != member.organisation_id:
        return []
    events = Event.objects.filter(
        referral__person=person, referral__sender=member.organisation_id
    ).exclude(action__in=("reminded", "escalated"))
    return [
        rows(
            events,
            day=TruncDate("at"),
            kind="referral",
            text="action",
            detail="referral__receiver__name",
            ref="referral_id",
        )
    ]


def _step(text, detail):
    transition = TRANSITIONS.get(text)
    words = {
        "create": _("Referral to %(org)s written"),
        "send": _("Referred to %(org)s"),
        "withdraw": _("Referral to %(org)s withdrawn"),
        "accept": _("Referral accepted by %(org)s"),
        "decline": _("Referral declined by %(org)s"),
        "start": _("%(org)s started work on the referral"),
        "complete": _("Referral completed by %(org)s"),
        "close": _("Referral closed without result by %(org)s"),
    }
    template = words.get(text) or (str(transition.label) if transition else text)
    return template % {"org": detail}


TIMELINE_WORDS = {"referral": _step}


def reason_label(referral) -> str:
    if referral.decline_reason:
        return DeclineReason(referral.decline_reason).label
    if referral.close_reason:
        return CloseReason(referral.close_reason).label
    return ""
