"""Entries written before sealing (names and values in clear) are sealed on upgrade."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from most.audit.models import AuditEntry
from most.audit.sealing import open_entries

BEFORE = [("audit", "0003_sealed_values")]
AFTER = [("audit", "0004_seal_clear_entries")]


@pytest.mark.django_db(transaction=True)
def test_an_upgrade_seals_what_entries_held_in_clear():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEntry")
    view = old.objects.create(
        action="update",
        object_type="people.person",
        object_id="7",
        object_repr="Олександр Коваленко (Oleksandr Kovalenko)",
        person_id=7,
        changes={"via": "web", "phone": ["041 1", "041 2"], "vulnerabilities": [[], ["X"]]},
    )
    search = old.objects.create(
        action="search",
        object_type="people.person",
        object_repr="Kovalenko",
        changes={"results": 2},
    )
    home = old.objects.create(
        action="list", object_type="people.person", object_repr="workspace", changes={"results": 1}
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    view, search, home = (AuditEntry.objects.get(pk=e.pk) for e in (view, search, home))
    assert "Kovalenko" not in view.object_repr + str(view.changes) + view.sealed
    assert view.changes == {"via": "web"}
    assert view.changed_fields == ["phone", "vulnerabilities"]
    opened = open_entries([view, search])
    assert opened[view.pk] == {
        "object": "Олександр Коваленко (Oleksandr Kovalenko)",
        "changes": {"phone": ["041 1", "041 2"]},  # the sensitive field's value is gone
    }
    assert opened[search.pk]["object"] == "Kovalenko" and search.changes == {"results": 2}
    assert home.object_repr == "workspace" and not home.key_id
