"""On PostgreSQL, compare search keys byte by byte ("C" collation).

Search finds keys by prefix as an index range [prefix, prefix + '~'). SQLite compares text by
bytes already; PostgreSQL's default collation may ignore punctuation such as ':' when it orders,
which would make that range wrong.
"""

from django.db import migrations

TABLES = (("people_personsearchkey", "key"), ("people_searchvocabulary", "key"))


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TABLES:
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE varchar(64) COLLATE "C"'
        )


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in TABLES:
        schema_editor.execute(
            f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE varchar(64) COLLATE "default"'
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
