"""What a counsellor sees in the registry's forms and pages, as found in use."""

import datetime
import re

from django.utils import timezone

from most.people.models import PersonVulnerability
from most.people.taxonomy import MERGED_INTO, Vulnerability

TODAY = timezone.localdate()


def test_sex_is_chosen_by_the_counsellor_not_preselected(login, alice):
    form = login(alice).get("/app/persons/new/").content.decode()
    select = re.search(r'<select name="sex"[^>]*>(.*?)</select>', form, re.S)[1]
    assert '<option value="" selected>' in select
    response = login(alice).post(
        "/app/persons/new/",
        {"given_name": "Amra", "family_name": "Hodžić", "residence_status": "UNKNOWN"},
    )
    assert response.status_code == 422
    assert 'href="#id_sex"' in response.content.decode()


def test_the_error_summary_names_and_links_each_field_in_error(login, alice):
    response = login(alice).post(
        "/app/persons/new/",
        {"given_name": "", "family_name": "Hodžić", "sex": "F", "birth_date": "2099-01-01"},
    )
    summary = response.content.decode().split('class="form-errors"')[1].split("</div>")[0]
    assert '<a href="#id_given_name">Given name: This field is required.</a>' in summary
    assert (
        '<a href="#id_birth_date">Date of birth: The date of birth cannot be in the future.</a>'
        in summary
    )


def test_a_consent_is_given_today_unless_said_otherwise(login, alice, person_a):
    page = login(alice).get(f"/app/persons/{person_a.pk}/").content.decode()
    assert f'name="given_on" value="{TODAY.isoformat()}"' in page


def test_validity_shows_only_the_dates_that_are_known(login, alice, make_person):
    person = make_person(alice, residence_valid_until=TODAY + datetime.timedelta(days=30))
    page = login(alice).get(f"/app/persons/{person.pk}/").content.decode()
    assert "Valid until" in page and "…" not in page
    nothing = make_person(alice, given_name="Amra", family_name="Hodžić")
    page = login(alice).get(f"/app/persons/{nothing.pk}/").content.decode()
    assert "Valid" not in page.split('id="h-residence"')[1].split("</section>")[0]


def test_vulnerabilities_are_one_grouped_list_and_minor_follows_from_birth(
    login, alice, make_person
):
    form = login(alice).get("/app/persons/new/").content.decode()
    assert (
        "<legend>Health</legend>" in form and "<legend>Violence and exploitation</legend>" in form
    )
    assert form.count('name="vulnerabilities"') == len(Vulnerability)
    assert "UNHCR.DS" not in form and "RCD.MINOR" not in form  # said once, or derived
    child = make_person(alice, birth_date=TODAY.replace(year=TODAY.year - 9))
    page = login(alice).get(f"/app/persons/{child.pk}/").content.decode()
    assert "Minor (under 18)" in page
    adult = make_person(alice, given_name="Amra", birth_year=TODAY.year - 40)
    assert "Minor" not in login(alice).get(f"/app/persons/{adult.pk}/").content.decode()


def test_the_former_duplicate_codes_all_merge_into_codes_of_the_list():
    assert set(MERGED_INTO.values()) <= set(Vulnerability)
    assert not set(MERGED_INTO) & set(Vulnerability.values)


def test_a_vulnerability_is_saved_from_its_group(login, alice):
    login(alice).post(
        "/app/persons/new/",
        {
            "given_name": "Amra",
            "family_name": "Hodžić",
            "sex": "F",
            "residence_status": "UNKNOWN",
            "vulnerabilities": ["RCD.DISABILITY", "UNHCR.WR"],
        },
    )
    assert set(PersonVulnerability.objects.values_list("code", flat=True)) == {
        "RCD.DISABILITY",
        "UNHCR.WR",
    }


def test_names_in_other_scripts_are_marked_with_their_language(login, alice, person_a, make_person):
    make_person(
        alice,
        given_name="محمد",
        family_name="الحسن",
        given_name_latin="Mohammed",
        family_name_latin="Al-Hassan",
        country_of_origin="SY",
    )
    page = login(alice).get("/app/persons/").content.decode()
    assert 'dir="auto" lang="uk">Коваленко, Олександр</span>' in page
    assert 'dir="auto" lang="ar">الحسن, محمد</span>' in page
    detail = login(alice).get(f"/app/persons/{person_a.pk}/").content.decode()
    assert '<h1><span dir="auto" lang="uk">Олександр Коваленко</span></h1>' in detail


def test_changing_the_language_does_not_run_the_search(login, alice):
    page = login(alice).get("/app/persons/").content.decode()
    trigger = re.search(r'hx-trigger="([^"]*)"', page)[1]
    # Only the filters' own changes (they bubble up to their box) run the search.
    assert "change from:#search-filters" in trigger and "from:select" not in trigger
    assert '<div class="filters" id="search-filters">' in page


def test_a_broad_search_is_counted_only_so_far_but_the_api_counts_all(
    login, alice, make_person, monkeypatch
):
    from most.people.matching import RankedMatches
    from most.people.selectors import SearchPages

    monkeypatch.setattr(RankedMatches, "LIMIT", 3)
    monkeypatch.setattr(SearchPages, "LIMIT", 3)
    for n in range(5):
        make_person(alice, given_name=f"Amra{n}", family_name="Hodžić")
    client = login(alice)
    for query in ["?q=Hodzic", ""]:  # a name search, the whole list
        page = client.get(f"/app/persons/{query}").content.decode()
        assert "More than 3 persons" in page, query
    client.force_login(alice.user)
    assert client.get("/api/persons/?q=Hodzic").json()["count"] == 5
