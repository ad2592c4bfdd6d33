"""Names of several words ('Al-Hassan') also get search keys of their joined words ('alhassan')."""

from django.db import migrations

from most.lib import names


def add_joined_name_keys(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    PersonAlias = apps.get_model("people", "PersonAlias")
    PersonSearchKey = apps.get_model("people", "PersonSearchKey")
    SearchVocabulary = apps.get_model("people", "SearchVocabulary")
    aliases = {}
    for person_id, name in PersonAlias.objects.values_list("person_id", "name").iterator():
        aliases.setdefault(person_id, []).append(name)
    fields = ("given_name", "family_name", "given_name_latin", "family_name_latin")
    new_keys, vocabulary = [], set()
    for person in Person.objects.only("organisation_id", "sort_name", *fields).iterator(2000):
        person_names = [getattr(person, field) for field in fields] + aliases.get(person.pk, [])
        if not any(len(names.words(name)) > 1 for name in person_names):
            continue
        have = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        for key in {key[:64] for key in names.name_keys(*person_names)} - have:
            vocabulary.add(key)
            new_keys.append(
                PersonSearchKey(
                    person=person,
                    key=key,
                    organisation_id=person.organisation_id,
                    sort_name=person.sort_name,
                )
            )
    PersonSearchKey.objects.bulk_create(new_keys, batch_size=5000)
    SearchVocabulary.objects.bulk_create(
        [SearchVocabulary(key=key, length=len(key)) for key in vocabulary],
        ignore_conflicts=True,
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0004_search_key_organisation_sort_name")]

    operations = [migrations.RunPython(add_joined_name_keys, migrations.RunPython.noop)]
