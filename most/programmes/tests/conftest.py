import datetime

import pytest

from most.people.models import Situation
from most.programmes import services
from most.programmes.tests.test_eligibility import ACTIVATION


@pytest.fixture
def coordinator(make_member, org_a):
    return make_member("coordinator", org_a)


@pytest.fixture
def activation(coordinator):
    """The eight-month social activation programme for women, with its rules and ten places."""
    programme = services.programme_create(
        member=coordinator,
        fields={
            "name": "Social activation for women",
            "target_group": "Adult migrant women out of work",
            "capacity": 10,
            "starts_on": datetime.date.today() - datetime.timedelta(days=30),
            "ends_on": datetime.date.today() + datetime.timedelta(days=210),
        },
        phases=[("Personal growth", 10), ("Work and study", 12), ("Towards a job", 12)],
        areas=["Personal growth", "Competences", "Employment"],
    )
    return services.programme_rules_save(
        member=coordinator, programme=programme, version=programme.version, rule=ACTIVATION
    )


@pytest.fixture
def make_woman(make_person, coordinator):
    """make_woman(**fields) → a person the activation programme admits (unless changed)."""
    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        fields = {
            "given_name": "Zahra",
            "family_name": f"Ahmadi {counter['n']}",
            "sex": "F",
            "birth_date": datetime.date(1990, 5, 1),
            "residence_status": "PERMANENT_RESIDENCE",
            "slovenian_level": "A1",
            **fields,
        }
        person = make_person(coordinator, **fields)
        Situation.objects.create(
            person=person, kind="employment", value="INACTIVE", since=datetime.date(2024, 1, 1)
        )
        return person

    return make
