"""Seal the personal values that entries written before sealing hold in clear.

An entry about a person gets its values sealed with the person's key; a search or list that
recorded what was typed gets a key of its own. Facts that are never personal stay in clear, and a
sensitive field's value (the vulnerabilities) is dropped, leaving only that it changed.
"""

import json

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import migrations

FACTS = {"via", "results"}
SENSITIVE = {"people.person": {"vulnerabilities"}}
# The descriptions that name no one (the home page, the reminders).
FIXED = ("workspace", "ending soon:", "weekly e-mail:")


def seal_clear_entries(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditKey = apps.get_model("audit", "AuditKey")
    master = MultiFernet([Fernet(key) for key in settings.AUDIT_KEYS])
    person_keys = {}

    def new_key(subject):
        raw = Fernet.generate_key()
        key = AuditKey.objects.create(subject=subject, wrapped=master.encrypt(raw).decode())
        return key.pk, Fernet(raw)

    def key_of(person_id):
        if person_id not in person_keys:
            existing = AuditKey.objects.filter(subject=f"person:{person_id}").first()
            person_keys[person_id] = (
                (existing.pk, Fernet(master.decrypt(existing.wrapped.encode())))
                if existing
                else new_key(f"person:{person_id}")
            )
        return person_keys[person_id]

    for entry in AuditEntry.objects.filter(key_id__isnull=True).iterator(chunk_size=2000):
        changes = dict(entry.changes or {})
        personal = {name: value for name, value in changes.items() if name not in FACTS}
        if entry.person_id is not None:
            key_id, fernet = key_of(entry.person_id)
        elif (
            entry.object_repr
            and not entry.object_repr.startswith(FIXED)
            and (entry.object_type == "people.person")
        ):
            key_id, fernet = new_key(None)
            personal = {}
        else:
            continue
        hidden = SENSITIVE.get(entry.object_type, set()) & set(personal)
        sealed_changes = {k: v for k, v in personal.items() if k not in hidden}
        payload = {"object": entry.object_repr, "changes": sealed_changes}
        AuditEntry.objects.filter(pk=entry.pk).update(
            key_id=key_id,
            sealed=fernet.encrypt(json.dumps(payload, ensure_ascii=False).encode()).decode(),
            object_repr="",
            changes={
                name: value
                for name, value in changes.items()
                if name in FACTS or (entry.person_id is None and name not in personal)
            },
            changed_fields=sorted(set(sealed_changes) | hidden),
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_sealed_values")]

    operations = [migrations.RunPython(seal_clear_entries, migrations.RunPython.noop)]
