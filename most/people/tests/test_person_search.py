import datetime

import pytest

from most.people.selectors import PersonQuery, person_search


@pytest.fixture
def registry(make_person, alice, charlie):
    people = {
        "oleksandr": make_person(
            alice,
            given_name="Олександр",
            family_name="Коваленко",
            country_of_origin="UA",
            birth_date=datetime.date(1984, 3, 12),
            phone="041 234 567",
        ),
        "olha": make_person(
            alice,
            given_name="Ольга",
            family_name="Шевченко",
            country_of_origin="UA",
            birth_year=1990,
        ),
        "resmija": make_person(
            alice,
            given_name="Drita",
            family_name="Ređepi",
            municipality="Jesenice",
            languages=["sq"],
        ),
        "mohammed": make_person(
            alice,
            given_name="محمد",
            family_name="الحسن",
            given_name_latin="Mohammed",
            family_name_latin="Al-Hassan",
            residence_status="IP_REFUGEE",
        ),
        "amra": make_person(alice, given_name="Amra", family_name="Hodžić", aliases=["Amra Begić"]),
        # Same name in another organisation: never found by alice.
        "other": make_person(charlie, given_name="Олександр", family_name="Коваленко"),
    }
    return people


def found(member, text="", **filters):
    return set(person_search(member, PersonQuery(text=text, **filters)).persons)


@pytest.mark.parametrize(
    "text",
    [
        "Олександр",
        "Oleksandr",
        "Aleksandr",
        "Alexander",
        "oleks",
        "KOVALENKO",
        "Коваленко Олек",
        "kovalenko oleksandr",
    ],
)
def test_it_finds_a_cyrillic_name_by_any_script_or_transliteration(registry, alice, text):
    assert found(alice, text) == {registry["oleksandr"]}


@pytest.mark.parametrize("text", ["Ređepi", "Redepi", "Redjepi", "REĐEPI"])
def test_it_ignores_diacritics(registry, alice, text):
    assert found(alice, text) == {registry["resmija"]}


@pytest.mark.parametrize("text", ["Muhammad", "Mohammed", "Mohamed", "محمد", "al hassan"])
def test_it_finds_arabic_names_by_common_spellings(registry, alice, text):
    assert registry["mohammed"] in found(alice, text)


def test_olha_and_olga_are_the_same_name(registry, alice):
    assert found(alice, "Olga") == found(alice, "Olha") == {registry["olha"]}


def test_it_finds_by_alias(registry, alice):
    assert found(alice, "Begić") == {registry["amra"]}


def test_it_finds_by_phone_in_any_format(registry, alice):
    for text in ["041 234 567", "+386 41 234 567", "041234"]:
        assert found(alice, text) == {registry["oleksandr"]}


def test_it_finds_by_date_or_year_of_birth(registry, alice):
    assert found(alice, "12.3.1984") == {registry["oleksandr"]}
    assert found(alice, "1984-03-12") == {registry["oleksandr"]}
    assert found(alice, "1990") == {registry["olha"]}
    assert found(alice, "Olha 1991") == set()


def test_a_misspelt_name_still_finds_the_person(registry, alice):
    result = person_search(alice, PersonQuery(text="Kovalemko"))
    assert result.similar
    assert set(result.persons) == {registry["oleksandr"]}


def test_filters_combine_with_the_text(registry, alice):
    assert found(alice, residence_status="IP_REFUGEE") == {registry["mohammed"]}
    assert found(alice, municipality="Jesenice") == {registry["resmija"]}
    assert found(alice, language="sq") == {registry["resmija"]}
    assert found(alice, "Drita", language="uk") == set()


def test_another_organisations_persons_are_never_found(registry, charlie):
    assert found(charlie, "Oleksandr") == {registry["other"]}
    assert found(charlie, "Ređepi") == set()
    assert found(charlie) == {registry["other"]}


def test_results_are_alphabetical_by_latin_family_name(registry, alice):
    names = [p.family_name_latin for p in person_search(alice, PersonQuery()).persons]
    assert names == sorted(names, key=str.lower)


def test_names_spelt_as_typed_come_first(make_person, alice):
    mahmood = make_person(alice, given_name="Mahmood", family_name="Ahmadi")
    mohammed = make_person(alice, given_name="Mohammed", family_name="Zaki")
    assert list(person_search(alice, PersonQuery(text="Mohammed")).persons) == [mohammed, mahmood]


def test_a_broad_misspelling_still_finds_everyone_with_the_name(
    make_person, alice, settings, monkeypatch
):
    from most.people import selectors

    monkeypatch.setattr(selectors, "CANDIDATE_LIMIT", 2)  # force the database-side matching
    people = {make_person(alice, given_name=n, family_name="Kovalenko") for n in "ABCDE"}
    result = person_search(alice, PersonQuery(text="Kovalemko"))
    assert result.similar and set(result.persons) == people
    assert set(person_search(alice, PersonQuery(text="Kovalenko")).persons) == people
