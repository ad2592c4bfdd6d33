"""The data subject's rights: requests, export, erasure, restriction and legal holds.

Each function takes the acting member (the organisation's data protection contact), checks the
policy, runs in one transaction and writes the audit trail. Erasure and export reach every app
through the registry of personal data (most.audit.personal_data), never by naming the apps.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from most.audit.models import AuditAction
from most.audit.personal_data import erasers, holdings
from most.audit.sealing import keys_destroy
from most.audit.services import audit_member, audit_record, person_audit_forget
from most.jobs.services import job_start
from most.lib.errors import Conflict, NotAllowed
from most.lib.names import fold
from most.people.models import Person, PersonSearchKey
from most.people.services import (
    person_search_keys,
    search_key_rows,
    search_vocabulary_add,
    search_vocabulary_forget,
)

from . import ledger, policy
from .models import ANSWER_WITHIN, EXTENSION, RequestKind, RequestState, SubjectRequest

LONGEST_NOTE = 500


def _must_handle(member, person):
    if not policy.can_erase(member, person):
        raise NotAllowed(_("Only your organisation's data protection contact may do this."))


def _reason(text, field="reason"):
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({field: _("Say why.")})
    if len(text) > 300:
        raise ValidationError({field: _("Say it in at most 300 characters.")})
    return text


def request_open(*, member, person, kind, received_on=None, note="", request=None):
    """Record a request the person made (received today unless said otherwise)."""
    _must_handle(member, person)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A request cannot be received in the future.")})
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose what the person asks for.")})
    with transaction.atomic():
        subject_request = SubjectRequest.objects.create(
            organisation=member.organisation,
            person=person,
            kind=kind,
            received_on=received_on,
            note=" ".join(note.split())[:LONGEST_NOTE],
            created_by=member.user,
        )
        audit_member(
            member,
            AuditAction.CREATE,
            subject_request,
            person_id=person.pk,
            facts={"kind": kind, "due_on": subject_request.due_on.isoformat()},
            changes={"note": [None, subject_request.note]} if subject_request.note else None,
            request=request,
        )
    return subject_request


def request_close(*, member, subject_request, state, outcome="", request=None):
    """Answer a request: done, or refused with the reason."""
    _must_handle(member, subject_request.person)
    if subject_request.state != RequestState.OPEN:
        raise ValidationError(_("This request was already answered."))
    if state not in (RequestState.DONE, RequestState.REFUSED):
        raise ValidationError({"state": _("Choose how the request was answered.")})
    outcome = " ".join((outcome or "").split())[:LONGEST_NOTE]
    if state == RequestState.REFUSED and not outcome:
        raise ValidationError({"outcome": _("Say why the request is refused.")})
    with transaction.atomic():
        updated = SubjectRequest.objects.filter(
            pk=subject_request.pk, state=RequestState.OPEN
        ).update(state=state, outcome=outcome, closed_at=timezone.now(), closed_by=member.user)
        if not updated:
            raise ValidationError(_("This request was already answered."))
        subject_request.refresh_from_db()
        audit_member(
            member,
            AuditAction.UPDATE,
            subject_request,
            person_id=subject_request.person_id,
            facts={"state": state},
            changes={"outcome": [None, outcome]} if outcome else None,
            request=request,
        )
    return subject_request


def request_extend(*, member, subject_request, reason, request=None):
    """Extend the deadline by two months (Art. 12(3)): once, while the first month runs, with the
    reason the person is to be told."""
    _must_handle(member, subject_request.person)
    reason = _reason(reason)
    if subject_request.state != RequestState.OPEN:
        raise ValidationError(_("This request was already answered."))
    if timezone.localdate() > subject_request.due_on:
        raise ValidationError(
            _("The deadline has passed: it can only be extended within the first month.")
        )
    due_on = subject_request.received_on + ANSWER_WITHIN + EXTENSION
    with transaction.atomic():
        # Once only: also against a second extension sent at the same moment.
        updated = SubjectRequest.objects.filter(
            pk=subject_request.pk, state=RequestState.OPEN, extended_because=""
        ).update(due_on=due_on, extended_because=reason)
        if not updated:
            raise ValidationError(
                _("The deadline was already extended; it cannot be extended again.")
            )
        audit_member(
            member,
            AuditAction.UPDATE,
            subject_request,
            person_id=subject_request.person_id,
            facts={"due_on": [subject_request.due_on.isoformat(), due_on.isoformat()]},
            changes={"extended_because": [None, reason]},
            request=request,
        )
        subject_request.refresh_from_db()
    return subject_request


def export_start(*, member, person, subject_request=None, request=None):
    """Start the export of everything held about the person (JSON and PDF, in a ZIP)."""
    _must_handle(member, person)
    if person.erased_at:
        raise ValidationError(_("This person's data was erased: there is nothing to export."))
    with transaction.atomic():
        audit_member(
            member,
            AuditAction.EXPORT,
            person,
            person_id=person.pk,
            facts={"export": "data subject", "request": getattr(subject_request, "pk", None)},
            request=request,
        )
        return job_start(
            member=member,
            kind="subject-export",
            title=gettext_noop("Export of a person's data"),
            task="most.privacy.tasks.export_person",
            membership_id=member.pk,
            person_id=person.pk,
            language=export_language(person),
        )


def export_language(person) -> str:
    """The language of the export's PDF: the person's, where Most speaks it (the export is
    theirs to read), else the one the contact works in."""
    if person.preferred_language in settings.STAFF_LANGUAGES:
        return person.preferred_language
    return translation.get_language() or settings.LANGUAGE_CODE


def erasure_refusal(person, day=None) -> str | None:
    """Why the person cannot be erased now, or None."""
    day = day or timezone.localdate()
    if person.erased_at:
        return _("This person's data was already erased.")
    if person.legal_hold_on(day):
        if person.legal_hold_until is None:
            return _("A legal hold keeps this record: %(reason)s") % {
                "reason": person.legal_hold_reason
            }
        return _("A legal hold keeps this record until %(day)s: %(reason)s") % {
            "day": formats.date_format(person.legal_hold_until, "SHORT_DATE_FORMAT"),
            "reason": person.legal_hold_reason,
        }
    return None


def person_erase(*, member, person, subject_request=None, request=None) -> Person:
    """Erase the person: every app anonymises or removes what it holds, the keys of the
    person's audit values are destroyed, the grants end. Refused under a legal hold."""
    _must_handle(member, person)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if refusal := erasure_refusal(person):
            raise Conflict(refusal, code="legal_hold" if person.legal_hold_reason else "erased")
        _erase(person)
        audit_member(
            member,
            AuditAction.ERASE,
            object_type="people.person",
            object_id=str(person.pk),
            person_id=person.pk,  # nothing of the person's in it: nothing to seal
            subject_organisation=person.organisation,
            facts={"request": getattr(subject_request, "pk", None)},
            request=request,
        )
        if subject_request is not None:
            SubjectRequest.objects.filter(pk=subject_request.pk, state=RequestState.OPEN).update(
                state=RequestState.DONE, closed_at=timezone.now(), closed_by=member.user
            )
        transaction.on_commit(lambda: ledger.erasure_remember(person))
        transaction.on_commit(_sqlite_checkpoint)
    person.refresh_from_db()
    return person


def _erase(person):
    words = _name_words(person)
    subjects = []
    for holding in holdings():
        if holding.erase is not None:
            subjects += holding.erase(person) or []
    for eraser in erasers():
        subjects += eraser(person) or []
    person_audit_forget(person.pk, subjects, organisation_id=person.organisation_id, words=words)


def erasures_replay() -> int:
    """Erase again every person the ledger says was erased (a database restored from a backup
    made before the erasure); returns how many. `most serve` runs it before it starts."""
    erased_ids = ledger.erased_person_ids()
    if not erased_ids:
        return 0
    again = 0
    for person in Person.objects.filter(pk__in=erased_ids, erased_at__isnull=True):
        with transaction.atomic():
            _erase(person)
            audit_record(
                actor=None,
                action=AuditAction.ERASE,
                organisation=person.organisation,
                subject_organisation=person.organisation,
                object_type="people.person",
                object_id=str(person.pk),
                person_id=person.pk,
                facts={"replayed": True},
            )
        again += 1
    # Keys a restored backup brought back for persons erased there already.
    keys_destroy([f"person:{pk}" for pk in erased_ids])
    _sqlite_checkpoint()
    return again


def _name_words(person) -> set[str]:
    """Every word of the person's names, folded (what a search for them would begin)."""
    texts = [
        person.given_name,
        person.family_name,
        person.given_name_latin,
        person.family_name_latin,
        *person.aliases.values_list("name", flat=True),
    ]
    return {fold(word) for text in texts for word in text.split()} - {""}


def _sqlite_checkpoint():
    """SQLite keeps changed pages in its write-ahead log until a checkpoint: copy them into the
    database (where secure_delete has zeroed what was deleted) and empty the log."""
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def person_restrict(*, member, person, reason, request=None) -> Person:
    """Restrict processing (Art. 18): the record is frozen, shared with nobody and hidden from
    lists and search for everyone but the data protection contact."""
    _must_handle(member, person)
    reason = _reason(reason)
    if person.erased_at:
        raise ValidationError(_("This person's data was erased."))
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(
            restricted_at=timezone.now(), restriction_reason=reason
        )
        # Out of search: the keys are made again when the restriction is lifted.
        keys = PersonSearchKey.objects.filter(person=person)
        forgotten = set(keys.values_list("key", flat=True))
        keys.delete()
        search_vocabulary_forget(person.organisation_id, forgotten)
        audit_member(
            member,
            AuditAction.RESTRICT,
            person,
            person_id=person.pk,
            facts={"restricted": True},
            changes={"restriction_reason": [None, reason]},
            request=request,
        )
    person.refresh_from_db()
    return person


def person_restriction_lift(*, member, person, request=None) -> Person:
    _must_handle(member, person)
    if not person.restricted_at:
        raise ValidationError(_("This record is not restricted."))
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(restricted_at=None, restriction_reason="")
        person.refresh_from_db()
        aliases = list(person.aliases.values_list("name", flat=True))
        keys = person_search_keys(person, aliases)
        PersonSearchKey.objects.bulk_create(search_key_rows(person, keys))
        search_vocabulary_add(person.organisation_id, keys)
        audit_member(
            member,
            AuditAction.RESTRICT,
            person,
            person_id=person.pk,
            facts={"restricted": False},
            request=request,
        )
    return person


def legal_hold_set(*, member, person, reason, until=None, request=None) -> Person:
    """Keep the record from erasure (a court case, an inspection) until `until` (or lifted)."""
    _must_handle(member, person)
    reason = _reason(reason)
    if until is not None and until < timezone.localdate():
        raise ValidationError({"until": _("A legal hold cannot end in the past.")})
    if person.erased_at:
        raise ValidationError(_("This person's data was erased."))
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(legal_hold_reason=reason, legal_hold_until=until)
        audit_member(
            member,
            AuditAction.UPDATE,
            person,
            person_id=person.pk,
            changes={
                "legal_hold_reason": [person.legal_hold_reason or None, reason],
                "legal_hold_until": [
                    person.legal_hold_until and person.legal_hold_until.isoformat(),
                    until and until.isoformat(),
                ],
            },
            request=request,
        )
    person.refresh_from_db()
    return person


def legal_hold_lift(*, member, person, request=None) -> Person:
    _must_handle(member, person)
    if not person.legal_hold_reason:
        raise ValidationError(_("This record has no legal hold."))
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(legal_hold_reason="", legal_hold_until=None)
        audit_member(
            member,
            AuditAction.UPDATE,
            person,
            person_id=person.pk,
            changes={"legal_hold_reason": [person.legal_hold_reason, None]},
            request=request,
        )
    person.refresh_from_db()
    return person


def subject_requests_erase(person):
    """The eraser of privacy.subjectrequest: the requests stay, as proof they were answered,
    without the notes that may tell about the person."""
    SubjectRequest.objects.filter(person=person).update(note="", outcome="", extended_because="")
