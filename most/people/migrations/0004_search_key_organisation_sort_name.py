"""Search keys carry their person's organisation and sort name.

A search then reads the matching persons, in alphabetical order, and their number from one index
range within the organisation, instead of visiting every matching person's row.

Sort names hold only a-z, 0-9 and spaces; on PostgreSQL both copies compare byte by byte ("C"),
as SQLite and Python do, so that every way of reading a search's results gives one order.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_persons(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonSearchKey = apps.get_model("people", "PersonSearchKey")
    person = Person.objects.filter(pk=OuterRef("person_id"))
    PersonSearchKey.objects.update(
        organisation_id=Subquery(person.values("organisation_id")[:1]),
        sort_name=Subquery(person.values("sort_name")[:1]),
    )


SORT_NAMES = ("people_person", "people_personsearchkey")


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in SORT_NAMES:
            schema_editor.execute(
                f'ALTER TABLE {table} ALTER COLUMN "sort_name" TYPE varchar(210) COLLATE "C"'
            )


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in SORT_NAMES:
            schema_editor.execute(
                f'ALTER TABLE {table} ALTER COLUMN "sort_name" TYPE varchar(210) COLLATE "default"'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("people", "0003_person_org_municipality"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="personsearchkey", name="person_search_key"),
        migrations.AddField(
            model_name="personsearchkey",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="personsearchkey",
            name="sort_name",
            field=models.CharField(default="", max_length=210),
            preserve_default=False,
        ),
        migrations.RunPython(copy_from_persons, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personsearchkey",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.RunPython(to_c_collation, to_default_collation),
        migrations.AddIndex(
            model_name="personsearchkey",
            index=models.Index(
                fields=["organisation", "key", "sort_name", "person"], name="person_search_key"
            ),
        ),
        migrations.AlterField(
            model_name="personsearchkey",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_keys",
                to="people.person",
            ),
        ),
        migrations.AddIndex(
            model_name="personsearchkey",
            index=models.Index(fields=["person", "key"], name="search_key_person"),
        ),
    ]
