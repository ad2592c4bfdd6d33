from django.db import migrations

from most.directory.categories import TAXONOMIES, taxonomy_id, term_rows


def add(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for code, fields in TAXONOMIES.items():
        Taxonomy.objects.update_or_create(id=taxonomy_id(code), defaults=fields)
    for taxonomy, code, pk, name, names in term_rows():
        TaxonomyTerm.objects.update_or_create(
            id=pk,
            defaults={
                "code": code,
                "name": name,
                "description": names["en"],
                "taxonomy": TAXONOMIES[taxonomy]["name"],
                "taxonomy_detail_id": taxonomy_id(taxonomy),
                "language": "sl",
                "translations": names,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
