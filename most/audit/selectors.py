import datetime
import functools
import heapq
import operator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import sealing
from .models import AuditAction, AuditEntry
from .personal_data import sensitive_fields
from .policy import audit_streams_visible_to

# How a change shows when its value may not be shown.
CHANGED = _("changed")
ERASED = _("erased")


def audit_pages(member, **filters):
    """The member's view of the audit trail, newest first, filtered, as a paginator reads it:
    see AuditPages."""
    return AuditPages([_filtered(stream, **filters) for stream in audit_streams_visible_to(member)])


def _filtered(entries, action="", actor="", person_id=None, day_from=None, day_to=None):
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__email__startswith=actor.strip().lower())
    if person_id:
        entries = entries.filter(person_id=person_id)
    # Bounds on the moment itself, not on its date: the index on it serves them.
    if day_from:
        entries = entries.filter(at__gte=_day_start(day_from))
    if day_to:
        entries = entries.filter(at__lt=_day_start(day_to + datetime.timedelta(days=1)))
    return entries


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditPages:
    """An organisation's audit trail, newest first, as a paginator reads it: counted up to
    LIMIT ("more than 10,000": narrow by date to reach older entries), read a page at a time.

    The trail is two streams: what the organisation's people did, and what anyone did to its
    records. One query asking for either sorts every matching entry before it can return the
    newest 50 (seconds on SQLite at a million entries); each stream alone is read newest first
    from its index, so a page reads as far into each as the page goes, and merges them here.
    """

    LIMIT = 10_000

    def __init__(self, streams):
        self.streams = streams
        self._count = None

    def count(self):
        if self._count is None:
            # Counting needs no order: one query over either stream, stopping at the limit.
            either = functools.reduce(operator.or_, self.streams, AuditEntry.objects.none())
            self._count = either.order_by()[: self.LIMIT + 1].count()
        return min(self._count, self.LIMIT)

    @property
    def capped(self):
        return self.count() < self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, min(index.stop, self.LIMIT)
        newest = heapq.merge(
            *(
                stream.order_by("-at", "-pk").values_list("at", "pk")[:stop]
                for stream in self.streams
            ),
            reverse=True,
        )
        # An entry in both streams (one's own people on its own records) comes twice, side by side.
        ids = [pk for _at, pk in dict.fromkeys(newest)][start:stop]
        entries = AuditEntry.objects.filter(pk__in=ids).select_related("actor", "organisation")
        by_id = {entry.pk: entry for entry in entries}
        return [by_id[pk] for pk in ids]


@dataclass
class ShownEntry:
    """An entry as one reader may see it: personal values only where the reader may see them."""

    entry: AuditEntry
    object: str
    # (field, before, after); before and after are None when the value is not shown, and
    # `note` says why ("changed": sensitive or not for this reader; "erased").
    changes: list = field(default_factory=list)
    erased: bool = False

    def __getattr__(self, name):
        return getattr(self.entry, name)


def entries_shown(entries, *, organisation_id, visible_fields=None) -> list[ShownEntry]:
    """Open the page's sealed values (one query for their keys) for a reader of the
    organisation: values of its own records only (an entry about another organisation's person
    shows no name), never a sensitive field's, and of `visible_fields` only when given."""
    entries = list(entries)
    opened = sealing.open_entries(
        [entry for entry in entries if entry.subject_organisation_id == organisation_id]
    )
    shown = []
    for entry in entries:
        values = opened.get(entry.pk)
        erased = entry.key_id is not None and entry.pk in opened and values is None
        sensitive = sensitive_fields(entry.object_type)
        sealed_changes = (values or {}).get("changes", {})
        rows = [
            (name, None, *value) if _is_pair(value) else (name, value, None, None)
            for name, value in entry.changes.items()
        ]
        for name in entry.changed_fields:
            if (
                name in sealed_changes
                and name not in sensitive
                and (visible_fields is None or name in visible_fields)
            ):
                before, after = sealed_changes[name]
                rows.append((name, None, before, after))
            else:
                rows.append((name, ERASED if erased else CHANGED, None, None))
        if values is not None:
            label = values.get("object", "")
        elif erased:
            label = ERASED
        elif entry.key_id is not None:
            label = ""  # another organisation's person: the number only
        else:
            label = entry.object_repr
        shown.append(ShownEntry(entry=entry, object=label, changes=rows, erased=erased))
    return shown


def _is_pair(value):
    return isinstance(value, list) and len(value) == 2


def persons_recently_viewed_by(member, limit) -> list[int]:
    """The ids of the persons whose records the member opened last, most recent first."""
    recent = (
        AuditEntry.objects.filter(
            actor=member.user_id,
            action=AuditAction.VIEW,
            organisation=member.organisation_id,
            person_id__isnull=False,
        )
        .order_by("-at")
        .values_list("person_id", flat=True)[: limit * 5]
    )
    return list(dict.fromkeys(recent))[:limit]
