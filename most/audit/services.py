"""Writing the audit trail. Every service that changes or reads a person's data calls these."""

import datetime
import decimal
import uuid

from django.conf import settings
from django.db import models

from most.lib.net import client_address

from .models import AuditAction, AuditedPerson, AuditEntry


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
    request=None,
    object_type="",
    object_id="",
    object_repr="",
) -> AuditEntry:
    """Append one entry to the audit trail (in the caller's transaction, so it commits with it)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        subject_organisation=subject_organisation,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        person_id=person_id,
        changes=changes or {},
        ip_address=client_ip(request),
    )


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
