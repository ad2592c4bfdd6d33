"""Every change to a referral goes through these functions.

Each checks the policy, validates everything before writing, writes the referral's step (an
Event), the audit trail and the notifications in one transaction, and sends the e-mails after it
commits. A transition is one compare-and-set on the referral's version: of two people answering
the same referral at once, one wins and the other is told (Conflict).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from most.accounts.models import Role
from most.accounts.policy import Action, can, memberships_in_service
from most.audit.models import AuditAction
from most.audit.services import audit_member, audit_record, changes_between, snapshot
from most.directory.models import ServiceStatus
from most.lib.errors import Conflict, NotAllowed
from most.people import services as people
from most.people.models import SHAREABLE_FIELDS, ConsentPurpose
from most.people.policy import IDENTITY_FIELDS
from most.records import save_versioned

from . import mail, policy, selectors
from .models import Event, Notification, Referral, State, Urgency
from .workflow import TRANSITIONS, Side

LONGEST_TEXT = 2000
DRAFT_FIELDS = ("service", "receiver", "reason", "note", "urgency", "fields")
# What a referral may share besides the name, which every referral shares.
CHOOSABLE_FIELDS = tuple(name for name in SHAREABLE_FIELDS if name not in IDENTITY_FIELDS)


def _text(value, field, errors, required=False, message=None):
    value = (value or "").strip()
    if "\x00" in value:
        errors[field] = _("Null characters are not allowed.")
    elif required and not value:
        errors[field] = message or _("This field is required.")
    elif len(value) > LONGEST_TEXT:
        errors[field] = _("Write at most %(n)d characters.") % {"n": LONGEST_TEXT}
    return value


def _receiver_of(member, service, receiver, errors):
    """The organisation a referral goes to: the service's keeper, or the one chosen."""
    if service is not None:
        owner = service.organization.owner if service.organization_id else None
        if service.status != ServiceStatus.ACTIVE:
            errors["service"] = _("This service is not active: choose another one.")
        elif owner is None or not owner.is_active:
            errors["service"] = _(
                "This service's provider does not work in Most: contact them directly."
            )
        elif receiver is not None and receiver.pk != owner.pk:
            errors["receiver"] = _("The service belongs to %(org)s.") % {"org": owner}
        receiver = owner
    if receiver is None:
        errors.setdefault("service", _("Choose a service, or the organisation to refer to."))
    elif receiver.pk == member.organisation_id:
        errors["receiver"] = _("A referral goes to another organisation, not your own.")
    elif not receiver.is_active:
        errors["receiver"] = _("This organisation no longer works in Most.")
    return receiver


def _shared_fields(fields, errors):
    fields = list(dict.fromkeys(fields or ()))
    if unknown := set(fields) - set(CHOOSABLE_FIELDS):
        errors["fields"] = _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
    return sorted(fields)


def _validated(member, person, data):
    errors = {}
    receiver = _receiver_of(member, data.get("service"), data.get("receiver"), errors)
    values = {
        "service": data.get("service"),
        "receiver": receiver,
        "reason": _text(
            data.get("reason"),
            "reason",
            errors,
            required=True,
            message=_("Say why you refer the person, and what they need."),
        ),
        "note": _text(data.get("note"), "note", errors),
        "urgency": data.get("urgency") or Urgency.ROUTINE,
        "fields": _shared_fields(data.get("fields", ()), errors),
    }
    if values["urgency"] not in Urgency.values:
        errors["urgency"] = _("Choose one of the listed urgencies.")
    if errors:
        raise ValidationError(errors)
    return values


def referral_create(*, member, person, data, send=True, consent=None, request=None) -> Referral:
    """Write a referral of the person (data: service or receiver, reason, urgency, note, fields)
    and send it, or keep it as a draft. consent: the fields of a consent to sharing the person
    gives now, recorded in the same transaction (None: one recorded before must hold)."""
    if not policy.can_refer(member, person):
        raise NotAllowed(_("You may not refer this person."))
    values = _validated(member, person, data)
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person,
            sender=member.organisation,
            state=State.DRAFT,
            created_by=member.user,
            **values,
        )
        _event(member, referral, "create", request=request)
        if send:
            _send(member, referral, consent, request)
    return referral


def referral_update(*, member, referral, data, version, request=None) -> Referral:
    """Change a draft (nothing of it is shared yet)."""
    if not policy.can_edit_draft(member, referral):
        raise NotAllowed(_("Only a draft can be changed."))
    values = _validated(member, referral.person, data)
    before = snapshot(referral, DRAFT_FIELDS)
    for name, value in values.items():
        setattr(referral, name, value)
    with transaction.atomic():
        save_versioned(
            referral,
            version=version,
            fields=DRAFT_FIELDS,
            conflict=_("Somebody else changed this referral meanwhile. Reload and try again."),
        )
        audit_member(
            member,
            AuditAction.UPDATE,
            referral,
            person_id=referral.person_id,
            changes=changes_between(before, snapshot(referral, DRAFT_FIELDS)),
            request=request,
        )
    return referral


def referral_send(*, member, referral, version, consent=None, request=None) -> Referral:
    _must_be_allowed(member, referral, "send")
    with transaction.atomic():
        _send(member, referral, consent, request, version=version)
    return referral


def _send(member, referral, consent_fields, request, version=None):
    """Send the draft: the person's consent to sharing with the receiver must hold today (or be
    given now), else nothing is sent."""
    if consent_fields:
        consent = people.consent_record(
            member=member,
            person=referral.person,
            fields={
                **consent_fields,
                "purpose": ConsentPurpose.SHARING,
                "recipient": referral.receiver,
            },
            request=request,
        )
    else:
        consent = selectors.sharing_consent(
            referral.person, referral.sender_id, referral.receiver_id
        )
    if consent is None:
        raise ValidationError(
            {
                "consent": _(
                    "%(person)s has not consented to sharing their data with %(org)s, so the "
                    "referral was not sent. Record the consent they give now, or save the "
                    "referral as a draft."
                )
                % {"person": referral.person.display_name, "org": referral.receiver}
            }
        )
    referral.consent = consent
    referral.sent_at = timezone.now()
    referral.due_at = selectors.due_after(referral.sent_at, selectors.response_days(referral))
    _move(member, referral, TRANSITIONS["send"], version, request, ("consent", "sent_at", "due_at"))


def _must_be_allowed(member, referral, name):
    if policy.can_transition(member, referral, name):
        return
    transition = TRANSITIONS[name]
    if (
        can(member, Action.REFERRAL_MANAGE)
        and policy.side_of(member, referral) == transition.side
        and referral.state not in transition.sources
    ):
        raise Conflict(
            _("This referral is %(state)s now: it cannot be changed that way any more.")
            % {"state": State(referral.state).label.lower()}
        )
    raise NotAllowed(_("You may not do this with this referral."))


def referral_transition(
    *, member, referral, name, version, reason="", note="", request=None
) -> Referral:
    """Withdraw, accept, decline, start, complete or close the referral (workflow.TRANSITIONS).

    reason: why it was declined or closed (the choices of the transition's reason field); note:
    the answer's words to the other side (the feedback on completion)."""
    if name not in TRANSITIONS or name == "send":
        raise ValidationError({"action": _("Choose what to do with the referral.")})
    _must_be_allowed(member, referral, name)
    transition = TRANSITIONS[name]
    errors = {}
    note = _text(
        note,
        "note",
        errors,
        required=transition.feedback_required,
        message=_("Tell the sender what came of the referral."),
    )
    changed = []
    if transition.reason_field:
        reasons = Referral._meta.get_field(transition.reason_field).choices
        if reason not in dict(reasons):
            errors["reason"] = transition.reason_missing
        setattr(referral, transition.reason_field, reason)
        changed.append(transition.reason_field)
    if errors:
        raise ValidationError(errors)
    if transition.feedback and note:
        referral.feedback = note
        changed.append("feedback")
    now = timezone.now()
    for stamp in (transition.stamp, "ended_at" if transition.ends else ""):
        if stamp:
            setattr(referral, stamp, now)
            changed.append(stamp)
    with transaction.atomic():
        if transition.grants:
            _must_have_consent(referral)
            referral.grant = people.access_grant_accept(
                member=member,
                person=referral.person,
                fields=[*IDENTITY_FIELDS, *referral.fields],
                consent=referral.consent,
                request=request,
            )
            referral.handled_by = member.user
            changed += ["grant", "handled_by"]
        _move(member, referral, transition, version, request, changed, note=note)
        if transition.ends_grant and referral.grant_id:
            people.access_grant_revoke(
                member=member, grant=referral.grant, why=f"referral {name}", request=request
            )
    return referral


def _must_have_consent(referral):
    consent = referral.consent
    if consent is None or not consent.is_valid_today:
        raise ValidationError(
            _(
                "The person's consent to sharing has been withdrawn or has expired: the referral "
                "cannot be accepted. Ask %(org)s to renew it, or decline the referral."
            )
            % {"org": referral.sender}
        )


def _move(member, referral, transition, version, request, fields, note=""):
    """Make the transition: compare-and-set on the version, the step, the audit, notices."""
    before = referral.state
    referral.state = transition.target
    save_versioned(
        referral,
        version=referral.version if version is None else version,
        fields=("state", *fields),
        conflict=_(
            "Somebody else answered or changed this referral meanwhile; it was not changed. "
            "Reload to see it as it is now."
        ),
    )
    _event(member, referral, transition.name, note=note, request=request, before=before)
    if before != State.DRAFT or transition.name == "send":
        # A draft withdrawn was never the receiver's to know of.
        _notify(referral, transition.name, to=_other_side(referral, transition.side))


def _event(member, referral, action, note="", request=None, before=None):
    Event.objects.create(
        referral=referral,
        organisation=member.organisation,
        actor=member.user,
        action=action,
        state=referral.state,
        note=note,
    )
    audit_member(
        member,
        AuditAction.CREATE if action == "create" else AuditAction.UPDATE,
        referral,
        subject_organisation=referral.person.organisation,
        person_id=referral.person_id,
        changes={"state": [before, referral.state]} if before else None,
        facts={"action": action, "receiver": referral.receiver_id},
        request=request,
    )


def _other_side(referral, side):
    return Side.RECEIVER if side == Side.SENDER else Side.SENDER


def persons_listed_audit(*, member, referrals, shown, description, request=None) -> None:
    """Log which persons a list of referrals named (those in `shown`, selectors.fields_shown)."""
    person_ids = [r.person_id for r in referrals if r.pk in shown]
    if person_ids:
        people.persons_shown_audit(
            member=member,
            action=AuditAction.LIST,
            description=description,
            person_ids=person_ids,
            total=len(person_ids),
            request=request,
        )


# --- Notifications ----------------------------------------------------------------------------


def _receivers(referral, roles=None):
    """The receiving organisation's members who work with referrals (or in these roles)."""
    members = memberships_in_service().filter(organisation=referral.receiver_id)
    if roles:
        members = members.filter(role__in=roles)
    return [m for m in members if can(m, Action.REFERRAL_VIEW)]


def _sender(referral):
    member = (
        memberships_in_service()
        .filter(organisation=referral.sender_id, user=referral.created_by_id)
        .first()
    )
    if member is None or not can(member, Action.REFERRAL_VIEW):
        return []
    return [member]


def _notify(referral, kind, *, to, members=None, at=None):
    """In-app notices to the members concerned, and an e-mail after the commit."""
    if members is None:
        members = _receivers(referral) if to == Side.RECEIVER else _sender(referral)
    at = at or timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=m.user, organisation=m.organisation, referral=referral, kind=kind, created_at=at
        )
        for m in members
    )
    if to == Side.RECEIVER and kind in ("send", "withdraw", "reminded"):
        # The receiving service's or organisation's own address, where it has one.
        address = (referral.service.email if referral.service else "") or referral.receiver.email
        addresses = [address] if address else [m.user.email for m in members]
    else:
        addresses = [m.user.email for m in members]
    if addresses:
        transaction.on_commit(lambda: mail.send(referral, kind, addresses))


def notifications_read(*, member, referral=None) -> int:
    """Mark the member's notices read: those of a referral they opened, or all of them."""
    notices = policy.notifications_of(member).filter(read_at__isnull=True)
    if referral is not None:
        notices = notices.filter(referral=referral)
    return notices.update(read_at=timezone.now())


# Notices are news: after this long they go, read or not (the referral's steps stay).
NOTICES_KEPT = datetime.timedelta(days=180)


def notifications_forget(now=None) -> int:
    before = (now or timezone.now()) - NOTICES_KEPT
    deleted, _rows = Notification.objects.filter(created_at__lt=before).delete()
    return deleted


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(now=None) -> tuple[int, int]:
    """Remind the receivers of referrals waiting past the promised response time, and tell the
    receiving organisation's coordinators of those waiting twice as long. Each once.
    Returns (reminded, escalated)."""
    now = now or timezone.now()
    waiting = Referral.objects.filter(state=State.SENT).select_related(
        "receiver", "service", "person__organisation"
    )
    # Whom each receiving organisation's reminders and escalations go to, read once a run.
    staff, coordinators = {}, {}
    reminded = escalated = 0
    for referral in waiting.filter(due_at__lt=now, reminded_at__isnull=True).iterator():
        members = staff.setdefault(referral.receiver_id, _receivers(referral))
        with transaction.atomic():
            if _mark(referral, "reminded_at", now):
                _notify(referral, "reminded", to=Side.RECEIVER, members=members, at=now)
                reminded += 1
    for referral in waiting.filter(due_at__lt=now, escalated_at__isnull=True).iterator():
        if referral.sent_at + 2 * (referral.due_at - referral.sent_at) >= now:
            continue
        if referral.receiver_id not in coordinators:
            # Its coordinators; its administrators if it has none; else all who see referrals.
            coordinators[referral.receiver_id] = (
                _receivers(referral, roles=(Role.COORDINATOR,))
                or _receivers(referral, roles=(Role.ADMIN,))
                or _receivers(referral)
            )
        members = coordinators[referral.receiver_id]
        with transaction.atomic():
            if _mark(referral, "escalated_at", now):
                _notify(referral, "escalated", to=Side.RECEIVER, members=members, at=now)
                escalated += 1
    return reminded, escalated


def _mark(referral, field, now):
    """Set the moment once (a concurrent run does not remind twice); record it as a step."""
    if not Referral.objects.filter(
        pk=referral.pk, state=State.SENT, **{f"{field}__isnull": True}
    ).update(**{field: now}):
        return False
    action = field.removesuffix("_at")
    Event.objects.create(
        referral=referral, organisation=referral.receiver, action=action, state=State.SENT, at=now
    )
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        organisation=referral.receiver,
        obj=referral,
        subject_organisation=referral.person.organisation,
        person_id=referral.person_id,
        facts={"action": action},
    )
    return True
