"""The names misspelt searches are compared with: one organisation's own, and only current ones."""

from most.people.models import SearchVariant
from most.people.selectors import PersonQuery, person_search
from most.people.services import person_update


def keys_of(organisation):
    return set(
        SearchVariant.objects.filter(organisation=organisation).values_list("key", flat=True)
    )


def test_a_misspelling_never_finds_or_reveals_another_organisations_names(
    make_person, alice, charlie
):
    make_person(charlie, given_name="Oksana", family_name="Bondarenko")
    make_person(alice, given_name="Amra", family_name="Hodžić")
    for text in ["Bondarenko", "Bondarenco", "Bondar"]:
        result = person_search(alice, PersonQuery(text=text))
        assert list(result.persons) == []
        # Told apart from a word nobody anywhere has: the same answer.
        nonsense = person_search(alice, PersonQuery(text="Xqzvtrw"))
        assert result.similar == nonsense.similar
    assert "f:bondarenko" not in keys_of(alice.organisation)
    assert "f:bondarenko" in keys_of(charlie.organisation)


def test_a_misspelling_one_edit_away_finds_the_name(make_person, alice):
    person = make_person(alice, given_name="Oksana", family_name="Bondarenko")
    for text in ["Bondarneko", "Bondarenkoo", "Bndarenko", "Pondarenko"]:
        result = person_search(alice, PersonQuery(text=text))
        assert list(result.persons) == [person], text
        assert result.similar


def test_a_renamed_persons_old_name_is_forgotten_unless_someone_else_has_it(make_person, alice):
    first = make_person(alice, given_name="Oksana", family_name="Bondarenko")
    second = make_person(alice, given_name="Iryna", family_name="Tkachenko")
    make_person(alice, given_name="Oleh", family_name="Tkachenko")
    person_update(member=alice, person=first, version=1, fields={"family_name": "Melnyk"})
    person_update(member=alice, person=second, version=1, fields={"family_name": "Melnyk"})
    keys = keys_of(alice.organisation)
    assert "f:bondarenko" not in keys and "f:oksana" in keys
    assert "f:tkachenko" in keys  # Oleh still has it
    assert "f:melnyk" in keys
    assert list(person_search(alice, PersonQuery(text="Bondarenco")).persons) == []


def test_a_save_rewrites_only_the_keys_that_changed_and_they_carry_the_new_order(
    make_person, alice
):
    from most.people.models import PersonSearchKey

    person = make_person(alice, given_name="Amra", family_name="Hodžić")
    rows = PersonSearchKey.objects.filter(person=person)
    before = dict(rows.values_list("key", "pk"))
    person_update(member=alice, person=person, version=1, fields={"address": "Vojkova 1"})
    assert dict(rows.values_list("key", "pk")) == before  # nothing rewritten
    person_update(member=alice, person=person, version=2, fields={"family_name": "Begić"})
    after = dict(rows.values_list("key", "pk"))
    assert after["f:amra"] == before["f:amra"] and "f:hodzic" not in after
    assert set(rows.values_list("sort_name", flat=True)) == {"begic amra"}
