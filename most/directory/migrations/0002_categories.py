from django.db import migrations

from most.directory.categories import write


def add(apps, schema_editor):
    write(apps.get_model("directory", "Taxonomy"), apps.get_model("directory", "TaxonomyTerm"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
