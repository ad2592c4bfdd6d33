"""Writing the audit trail. Every service that changes or reads a person's data calls these."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.db import models

from most.lib.names import fold
from most.lib.net import client_address

from . import sealing
from .models import AuditAction, AuditedPerson, AuditEntry
from .personal_data import sensitive_fields

# The subject of an entry that has a key of its own (a search).
OWN_KEY = "entry"


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return (
            sorted(_plain(v) for v in value)
            if isinstance(value, set)
            else [_plain(v) for v in value]
        )
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj, fields) -> dict:
    """The audit-ready values of `fields` of `obj` (foreign keys by id)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        values[name] = _plain(value)
    return values


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for every field whose value differs."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def client_ip(request):
    """The client's address, read past TRUSTED_PROXY_COUNT proxies; the login throttle uses it too
    (AXES_CLIENT_IP_CALLABLE), so the trail and the throttle name the same client."""
    if request is None:
        return None
    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXY_COUNT,
    )


def audit_record(
    *,
    actor,
    action: AuditAction,
    organisation=None,
    obj=None,
    subject_organisation=None,
    person_id=None,
    changes=None,
    facts=None,
    request=None,
    object_type="",
    object_id="",
    object_repr="",
    subject=None,
) -> AuditEntry:
    """Append one entry to the audit trail (in the caller's transaction, so it commits with it).

    changes: {field: [before, after]}. facts: what is never personal ({"via": "api"}), kept in
    clear. subject: whose key seals the object's name and the changed values ("person:42",
    "household:7", OWN_KEY); by default the person's, when the entry concerns one. Without a
    subject (a user, an organisation) everything is kept in clear. A field the object's app
    declares sensitive is recorded as changed, never with its value.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    changes = dict(changes or {})
    hidden = sensitive_fields(object_type) & set(changes)
    for name in hidden:
        del changes[name]
    subject = subject or (f"person:{person_id}" if person_id else None)
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        subject_organisation=subject_organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        changes=dict(facts or {}),
        changed_fields=sorted(set(changes) | hidden),
        ip_address=client_ip(request),
    )
    if subject is None:
        entry.object_repr = object_repr[:200]
        entry.changes.update(changes)
        entry.changed_fields = sorted(hidden)
    elif object_repr or changes:
        key, fernet = sealing.entry_key() if subject == OWN_KEY else sealing.subject_key(subject)
        entry.key_id = key.pk
        entry.sealed = sealing.seal(fernet, {"object": object_repr[:200], "changes": changes})
    entry.save()
    return entry


def audit_member(member, action: AuditAction, obj=None, *, subject_organisation=None, **fields):
    """An entry for what a member did while working for their organisation."""
    return audit_record(
        actor=member.user,
        organisation=member.organisation,
        subject_organisation=subject_organisation or member.organisation,
        action=action,
        obj=obj,
        **fields,
    )


def audit_persons_shown(entry: AuditEntry, person_ids) -> None:
    """Record that the entry showed these persons; each person once per entry."""
    AuditedPerson.objects.bulk_create(
        [AuditedPerson(entry=entry, person_id=pk) for pk in dict.fromkeys(person_ids)],
        ignore_conflicts=True,
    )


def sealed_open(key_id, token) -> dict | None:
    """What a token sealed with the key `key_id` holds, or None (erased, or not a token)."""
    if not isinstance(key_id, int) or not token:
        return None
    return sealing.open_entries([AuditEntry(pk=0, key_id=key_id, sealed=token)]).get(0)


def person_audit_forget(person_id, subjects=(), *, organisation_id=None, words=()) -> int:
    """Destroy the keys of the person, of the other subjects named (their household), of every
    search that found the person (its words may have been the person's name), and of the
    organisation's exports whose search began one of the person's name `words` (folded)."""
    searches = set(
        AuditEntry.objects.filter(
            persons__person_id=person_id, person_id__isnull=True, key_id__isnull=False
        ).values_list("key_id", flat=True)
    )
    if organisation_id and words:
        searches |= _exports_naming(organisation_id, set(words))
    return sealing.keys_destroy([f"person:{person_id}", *subjects], searches)


def _exports_naming(organisation_id, words) -> set[int]:
    """The keys of the organisation's exports of a search for one of these words: an export
    records the search, not the persons it found (there may be thousands)."""
    exports = list(
        AuditEntry.objects.filter(
            organisation=organisation_id,
            action=AuditAction.EXPORT,
            person_id__isnull=True,
            key_id__isnull=False,
        ).only("pk", "key_id", "sealed")
    )
    named = set()
    for entry_id, values in sealing.open_entries(exports).items():
        searched = {fold(word) for word in (values or {}).get("object", "").split()}
        # A search finds the names its words begin: "Koval" finds Kovalenko.
        if any(name.startswith(word) for word in searched if len(word) > 1 for name in words):
            named.add(entry_id)
    return {entry.key_id for entry in exports if entry.pk in named}


def person_audit_export(person) -> list[dict]:
    """Who did what with the person's record, for the person: when, which organisation, what."""
    entries = (
        AuditEntry.objects.filter(person_id=person.pk)
        .select_related("organisation")
        .order_by("at", "pk")
    )
    return [
        {
            "at": entry.at.isoformat(),
            "organisation": entry.organisation.name if entry.organisation else "",
            "action": entry.action,
            "object_type": entry.object_type,
            "fields": entry.changed_fields,
            **entry.changes,
        }
        for entry in entries
    ]
