"""Saving a record two people may edit at once (optimistic locking), in one place.

Every versioned record (a person, a household, a consent) carries a version number. A form or an
API client sends back the version it read; the save is one compare-and-set on that version, so of
two people saving the same reading exactly one wins, and the other is told, instead of silently
overwriting what the first one saved.
"""

from django.db.models import F

from most.lib.errors import Conflict


def save_versioned(record, *, version, fields, conflict, **also):
    """Write `fields` of the record (and the values in `also`) if nobody saved it since `version`
    was read; otherwise raise Conflict(conflict). Call it inside the service's transaction."""
    values = {name: getattr(record, name) for name in fields}
    saved = (
        type(record)
        ._default_manager.filter(pk=record.pk, version=version)
        .update(**values, **also, version=F("version") + 1)
    )
    if not saved:
        raise Conflict(conflict)
    record.version = version + 1
    for name, value in also.items():
        setattr(record, name, value)
