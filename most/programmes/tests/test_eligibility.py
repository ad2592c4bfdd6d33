"""Eligibility rules: refused when saved if wrong, explained for one person, and the same answer
for one person as for the database query over the whole registry (property-based)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from most.people.models import (
    Household,
    HouseholdMember,
    Person,
    Relationship,
    Sex,
    Situation,
    SituationKind,
)
from most.people.taxonomy import EmploymentStatus, ResidenceStatus, SocialAssistance
from most.programmes import eligibility

# The social activation programme for women (shared/context/001): adult women who do not speak
# Slovenian, with permanent residence or citizenship, on social assistance or out of work.
ACTIVATION = {
    "all": [
        {"field": "age", "op": "gte", "value": 18},
        {"field": "sex", "op": "in", "values": ["F"]},
        {"field": "residence_status", "op": "in", "values": ["PERMANENT_RESIDENCE", "SI_CITIZEN"]},
        {"field": "slovenian_level", "op": "in", "values": ["PRE_A1", "A1"]},
        {
            "any": [
                {"field": "social_assistance", "op": "in", "values": ["FINANCIAL"]},
                {
                    "field": "employment_status",
                    "op": "in",
                    "values": ["UNEMPLOYED_REGISTERED", "INACTIVE"],
                },
            ]
        },
    ]
}


def test_the_activation_programme_rule_is_accepted_as_it_is():
    assert eligibility.check(ACTIVATION) == ACTIVATION


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"all": [{"field": "shoe_size", "op": "in", "values": ["42"]}]}, "Unknown field"),
        ({"all": [{"field": "sex", "op": "in", "values": ["Q"]}]}, "Sex cannot be Q"),
        ({"all": [{"field": "sex", "op": "in", "values": ["U"]}]}, "Sex cannot be U"),
        ({"all": [{"field": "age", "op": "gte", "value": -1}]}, "whole number from 0 to 120"),
        ({"all": [{"field": "age", "op": "gte", "value": 300}]}, "whole number from 0 to 120"),
        ({"all": [{"field": "age", "op": "gte", "value": "18"}]}, "whole number"),
        ({"all": [{"field": "age", "op": "in", "values": [18]}]}, "cannot be compared"),
        ({"all": [{"field": "sex", "op": "in", "values": []}]}, "at least one value"),
        ({"all": [{"any": []}]}, "needs at least one condition"),
        ({"some": []}, "must be a group"),
        ([], "must be a group"),
        ({"all": [{"field": "country_of_origin", "op": "in", "values": ["XX"]}]}, "cannot be XX"),
        ({"all": [{"all": [{"all": [{"all": []}]}]}]}, "nest at most"),
    ],
)
def test_a_wrong_rule_is_refused_when_saved_with_what_is_wrong(rule, message):
    with pytest.raises(ValidationError) as error:
        eligibility.check(rule)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_every_wrong_condition_is_named_at_once():
    with pytest.raises(ValidationError) as error:
        eligibility.check(
            {
                "all": [
                    {"field": "shoe_size", "op": "in", "values": ["42"]},
                    {"field": "age", "op": "gte", "value": 999},
                ]
            }
        )
    assert len(error.value.messages) == 2


@pytest.fixture
def woman(make_person, alice):
    person = make_person(
        alice,
        given_name="Zahra",
        family_name="Ahmadi",
        sex="F",
        birth_date=datetime.date(1990, 5, 1),
        residence_status="PERMANENT_RESIDENCE",
        slovenian_level="A1",
    )
    Situation.objects.create(
        person=person, kind="employment", value="INACTIVE", since=datetime.date(2024, 1, 1)
    )
    return person


def test_an_eligible_woman_has_no_reason_against(woman):
    assert eligibility.reasons(ACTIVATION, eligibility.facts_of(woman)) == []


def test_every_failing_condition_is_given_in_words(make_person, alice):
    man = make_person(
        alice,
        given_name="Ahmad",
        family_name="Rahimi",
        sex="M",
        birth_year=2010,
        residence_status="IP_APPLICANT",
    )
    found = eligibility.reasons(ACTIVATION, eligibility.facts_of(man))
    assert found[0].startswith("Age is ")
    assert "the programme asks for at least 18" in found[0]
    assert found[1] == "Sex is Male; the programme asks for Female."
    assert found[2].startswith("Residence status is Applicant for international protection")
    assert found[3] == "Slovenian level is not recorded."
    assert found[4].startswith("None of these holds: Social assistance is not recorded.")
    assert len(found) == 5


def test_today_s_situation_counts_not_an_older_or_a_future_one(woman):
    today = datetime.date.today()
    Situation.objects.create(
        person=woman, kind="employment", value="EMPLOYED", since=today - relativedelta(days=3)
    )
    assert eligibility.reasons(ACTIVATION, eligibility.facts_of(woman))
    Situation.objects.create(
        person=woman, kind="employment", value="INACTIVE", since=today + relativedelta(days=3)
    )
    assert eligibility.reasons(ACTIVATION, eligibility.facts_of(woman))
    later = today + relativedelta(days=5)
    assert eligibility.reasons(ACTIVATION, eligibility.facts_of(woman, later)) == []


def test_the_query_lists_the_eligible_woman_only(woman, make_person, alice):
    make_person(alice, given_name="Ahmad", family_name="Rahimi", sex="M")
    eligible = eligibility.eligible(ACTIVATION, Person.objects.all())
    assert list(eligible) == [woman]


def test_the_query_is_one_statement(woman, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(eligibility.eligible(ACTIVATION, Person.objects.all()))


# --- The per-person answer and the query always agree -----------------------------------------

DAYS = [
    datetime.date(2024, 2, 29),
    datetime.date(2025, 2, 28),
    datetime.date(2025, 3, 1),
    datetime.date(2026, 12, 4),
    datetime.date(2028, 2, 29),
]
AGES = [0, 6, 15, 17, 18, 19, 26, 64, 65]
MUNICIPALITIES = ["", "Ljubljana", "Maribor", "Škofja Loka"]
COUNTRIES = ["", "SY", "UA", "AF"]
RESIDENCE = ["UNKNOWN", "PERMANENT_RESIDENCE", "SI_CITIZEN", "IP_APPLICANT", "TP_BENEFICIARY"]
SITUATION_CODES = {
    SituationKind.EMPLOYMENT: list(EmploymentStatus.values[:4]),
    SituationKind.SOCIAL_ASSISTANCE: list(SocialAssistance.values[:3]),
    SituationKind.EDUCATION: ["NONE", "PRIMARY", "TERTIARY"],
}


@st.composite
def births(draw, day):
    known = draw(st.sampled_from(["date", "date", "year", "none"]))
    age = draw(st.sampled_from(AGES))
    if known == "none":
        return None, None
    if known == "year":
        return None, day.year - age + draw(st.integers(-1, 1))
    born = day - relativedelta(years=age) + datetime.timedelta(days=draw(st.integers(-2, 2)))
    return born, born.year


@st.composite
def persons(draw, day):
    birth_date, birth_year = draw(births(day))
    situations = draw(
        st.lists(
            st.tuples(
                st.sampled_from(list(SITUATION_CODES)),
                st.integers(-400, 30),
                st.integers(0, 10),
            ),
            max_size=4,
        )
    )
    return {
        "birth_date": birth_date,
        "birth_year": birth_year,
        "sex": draw(st.sampled_from(Sex.values)),
        "residence_status": draw(st.sampled_from(RESIDENCE)),
        "slovenian_level": draw(st.sampled_from(["", "PRE_A1", "A1", "B2"])),
        "municipality": draw(st.sampled_from(MUNICIPALITIES)),
        "country_of_origin": draw(st.sampled_from(COUNTRIES)),
        "citizenship": draw(st.sampled_from(COUNTRIES)),
        "situations": [
            (kind, SITUATION_CODES[kind][i % len(SITUATION_CODES[kind])], offset)
            for kind, offset, i in situations
        ],
        "role": draw(st.sampled_from([None, "head", "spouse", "child"])),
    }


def conditions():
    choice = {
        "sex": ["F", "M", "X"],
        "residence_status": RESIDENCE[1:],
        "slovenian_level": ["PRE_A1", "A1", "B2"],
        "municipality": MUNICIPALITIES[1:],
        "country_of_origin": COUNTRIES[1:],
        "citizenship": COUNTRIES[1:],
        "household_role": ["head", "spouse", "child", "parent"],
        "employment_status": SITUATION_CODES[SituationKind.EMPLOYMENT],
        "social_assistance": SITUATION_CODES[SituationKind.SOCIAL_ASSISTANCE],
        "education_level": SITUATION_CODES[SituationKind.EDUCATION],
    }
    choice_conditions = st.sampled_from(sorted(choice)).flatmap(
        lambda name: st.builds(
            lambda op, values: {"field": name, "op": op, "values": values},
            st.sampled_from(["in", "not_in"]),
            st.lists(st.sampled_from(choice[name]), min_size=1, max_size=3, unique=True),
        )
    )
    age_conditions = st.builds(
        lambda op, value: {"field": "age", "op": op, "value": value},
        st.sampled_from(["gte", "lte"]),
        st.sampled_from(AGES),
    )
    return st.one_of(age_conditions, choice_conditions)


rules = st.recursive(
    conditions(),
    lambda children: st.builds(
        lambda kind, items: {kind: items},
        st.sampled_from(["all", "any"]),
        st.lists(children, min_size=1, max_size=3),
    ),
    max_leaves=6,
).map(lambda node: node if "all" in node or "any" in node else {"all": [node]})


def _make(organisation, spec, day, n):
    person = Person.objects.create(
        organisation=organisation,
        given_name=f"P{n}",
        family_name="Test",
        given_name_latin=f"P{n}",
        family_name_latin="Test",
        sort_name=f"test p{n}",
        birth_date=spec["birth_date"],
        birth_year=spec["birth_year"],
        sex=spec["sex"],
        residence_status=spec["residence_status"],
        slovenian_level=spec["slovenian_level"],
        municipality=spec["municipality"],
        country_of_origin=spec["country_of_origin"],
        citizenship=spec["citizenship"],
    )
    for kind, value, offset in spec["situations"]:
        Situation.objects.create(
            person=person, kind=kind, value=value, since=day + datetime.timedelta(days=offset)
        )
    if spec["role"]:
        household = Household.objects.create(organisation=organisation, name=f"H{n}")
        HouseholdMember.objects.create(
            household=household, person=person, relationship=spec["role"]
        )
    return person


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_one_person_s_answer_and_the_query_agree(org_a, data):
    day = data.draw(st.sampled_from(DAYS))
    specs = data.draw(st.lists(persons(day), min_size=1, max_size=6))
    rule = eligibility.check(data.draw(rules))
    with transaction.atomic():
        people = [_make(org_a, spec, day, n) for n, spec in enumerate(specs)]
        by_query = set(
            eligibility.eligible(rule, Person.objects.filter(organisation=org_a), day).values_list(
                "pk", flat=True
            )
        )
        by_person = {
            person.pk
            for person in people
            if not eligibility.reasons(rule, eligibility.facts_of(person, day))
        }
        assert by_query == by_person, (rule, specs)
        transaction.set_rollback(True)


def test_roles_and_residence_are_choices_of_the_registry():
    # The form offers what the registry records; a code the registry drops must not linger.
    assert set(eligibility.FACTS["household_role"].choices()) == set(Relationship.values)
    assert set(eligibility.FACTS["residence_status"].choices()) == set(ResidenceStatus.values)
