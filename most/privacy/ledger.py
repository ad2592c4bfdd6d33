"""The erasure ledger: which persons were erased, kept outside the database.

A backup of the database made before an erasure still holds the person, and the keys of their
audit values. Restored, it would bring them back; the ledger says whom to erase again
(`most erasures_replay`, which `most serve` runs before it starts). It holds numbers only (when,
which person, which organisation): nothing that identifies anybody without the database. Keep
it on other storage than the database's backups, and back it up with the configuration.
"""

import datetime
import os
from pathlib import Path

from django.conf import settings


def _path() -> Path:
    return Path(settings.ERASURE_LEDGER)


def erasure_remember(person) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    line = f"{now}\t{person.pk}\t{person.organisation_id}\n"
    with path.open("a", encoding="utf-8") as ledger:
        ledger.write(line)
        ledger.flush()
        os.fsync(ledger.fileno())


def erased_person_ids() -> list[int]:
    path = _path()
    if not path.exists():
        return []
    ids = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[1].isdigit():
            ids.append(int(fields[1]))
    return ids
