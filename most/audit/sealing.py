"""Sealing the personal values of audit entries, and opening them again.

Each subject (a person, a household) has a data key of its own, and a search its own, stored
wrapped (encrypted) with the master key, settings.AUDIT_KEYS: Fernet from the `cryptography`
package (AES-128-CBC with an HMAC-SHA256 tag), never hand-made crypto. Erasing a subject deletes
its keys, and with them every value sealed for it: the entries are neither changed nor removed.
docs/data-protection.md says where the keys live and how backups stay erased.
"""

import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import IntegrityError, transaction

from .models import AuditKey


@functools.cache
def _master_for(keys: tuple[str, ...]) -> MultiFernet:
    # The first key wraps new keys; the others still open keys wrapped before a rotation.
    return MultiFernet([Fernet(key) for key in keys])


def master() -> MultiFernet:
    return _master_for(tuple(settings.AUDIT_KEYS))


@functools.lru_cache(maxsize=4096)
def _unwrapped(wrapped: str, keys: tuple[str, ...]) -> Fernet | None:
    try:
        return Fernet(_master_for(keys).decrypt(wrapped.encode()))
    except InvalidToken:
        return None


def unwrap(wrapped: str) -> Fernet | None:
    """The data key, or None when no master key opens it (a master key was retired)."""
    return _unwrapped(wrapped, tuple(settings.AUDIT_KEYS))


def _new_key(subject) -> tuple[AuditKey, Fernet]:
    raw = Fernet.generate_key()
    key = AuditKey.objects.create(subject=subject, wrapped=master().encrypt(raw).decode())
    return key, Fernet(raw)


def subject_key(subject: str) -> tuple[AuditKey, Fernet]:
    """The key of a subject ("person:42"), made on its first entry."""
    key = AuditKey.objects.filter(subject=subject).first()
    if key is not None:
        return key, unwrap(key.wrapped)
    try:
        with transaction.atomic():
            return _new_key(subject)
    except IntegrityError:  # made by a concurrent first entry
        key = AuditKey.objects.get(subject=subject)
        return key, unwrap(key.wrapped)


def entry_key() -> tuple[AuditKey, Fernet]:
    """A key for one entry alone (a search: its words may be anybody's name)."""
    return _new_key(None)


def seal(fernet: Fernet, payload: dict) -> str:
    return fernet.encrypt(json.dumps(payload, ensure_ascii=False).encode()).decode()


def open_entries(entries) -> dict[int, dict | None]:
    """{entry id: its sealed values, or None once erased} for the sealed ones; one query."""
    sealed = [entry for entry in entries if entry.key_id]
    wrapped = dict(
        AuditKey.objects.filter(pk__in={entry.key_id for entry in sealed}).values_list(
            "pk", "wrapped"
        )
    )
    opened = {}
    for entry in sealed:
        fernet = unwrap(wrapped[entry.key_id]) if entry.key_id in wrapped else None
        try:
            opened[entry.pk] = json.loads(fernet.decrypt(entry.sealed.encode())) if fernet else None
        except InvalidToken:
            opened[entry.pk] = None
    return opened


def keys_destroy(subjects=(), key_ids=()) -> int:
    """Destroy keys (crypto-shredding): what they sealed can no longer be read."""
    deleted, _rows = AuditKey.objects.filter(subject__in=list(subjects)).delete()
    if key_ids:
        more, _rows = AuditKey.objects.filter(pk__in=list(key_ids), subject=None).delete()
        deleted += more
    _unwrapped.cache_clear()  # nor from this process's memory
    return deleted


def keys_rewrap(batch_size=2000) -> tuple[int, int]:
    """Wrap every key again with the first master key, after a new one was put first: then the
    old master key can be retired. Returns (keys wrapped again, keys no master key opens)."""
    fernet, rewrapped, unreadable, last = master(), 0, 0, 0
    while True:
        keys = list(AuditKey.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
        if not keys:
            return rewrapped, unreadable
        last = keys[-1].pk
        changed = []
        for key in keys:
            try:
                key.wrapped = fernet.rotate(key.wrapped.encode()).decode()
            except InvalidToken:
                unreadable += 1
                continue
            changed.append(key)
        AuditKey.objects.bulk_update(changed, ["wrapped"])
        rewrapped += len(changed)
