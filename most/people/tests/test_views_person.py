import datetime

import pytest

from most.people.models import Consent, Household, Person


def test_list_shows_own_persons_only(login, alice, person_a, person_b):
    page = login(alice).get("/app/persons/").content.decode()
    assert "Kovalenko" in page and "Коваленко" in page
    assert "Al-Hassan" not in page


def _row(page, name):
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_each_row_shows_the_persons_columns_in_the_users_language(
    login, alice, person_a, make_person
):
    from most.people.services import household_add_member, household_create

    household = household_create(member=alice, name="Družina Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    make_person(
        alice,
        given_name="Drita",
        family_name="Ređepi",
        birth_year=1979,
        residence_status="IP_REFUGEE",
    )
    client = login(alice)
    rows = client.get("/app/persons/", HTTP_ACCEPT_LANGUAGE="sl").content.decode()
    oleksandr = _row(rows, "Kovalenko, Oleksandr")
    assert f'href="/app/persons/{person_a.pk}/"' in rows and "Коваленко, Олександр" in oleksandr
    assert "12. 3. 1984" in oleksandr and "Ukrajina" in oleksandr and "Ljubljana" in oleksandr
    assert f'<a href="/app/persons/households/{household.pk}/">Družina Kovalenko</a>' in oleksandr
    drita = _row(rows, "Ređepi, Drita")
    assert '<span class="native"' not in drita  # the name is written in Latin letters already
    assert "1979" in drita and "Status begunca" in drita
    assert drita.count(">–</td>") == 3  # no country, municipality or household
    client.cookies["django_language"] = "en"
    english = client.get("/app/persons/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "12/03/1984" in english and "Ukraine" in english and "Refugee status" in english


def test_typing_in_the_search_box_returns_the_results_fragment(login, alice, person_a):
    client = login(alice)
    response = client.get("/app/persons/?q=Oleks", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body and "Kovalenko" in body


# Statements of a request in a test: session, member, then the page's own; an audit entry is
# written in a savepoint (two statements more than in production).
FRAGMENT = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


@pytest.mark.parametrize(
    ("query", "headers", "statements"),
    [
        ("", {}, 9),  # municipalities, count, persons, audit entry and its persons
        # + the words' statistics (the ranked page gives the count), the key that seals the
        # words searched
        ("hodzic", {}, 11),
        ("Amra Hodžić", {}, 11),
        ("Amra Hodžuć", {}, 12),  # + the similar names of the misspelt word
        ("Amr", {}, 11),
        # Live search: no municipalities; the session remembers the search being typed.
        ("hodzic", FRAGMENT, 13),
    ],
)
def test_list_statements_are_pinned_and_do_not_grow_with_data(
    login, alice, make_person, django_assert_num_queries, query, headers, statements
):
    client = login(alice)
    for i in range(30):
        make_person(alice, given_name=f"Amra{i}", family_name="Hodžić")
    client.get("/app/persons/")
    with django_assert_num_queries(statements):
        response = client.get("/app/persons/", {"q": query} if query else {}, **headers)
    assert "Amra29" in response.content.decode()


def test_a_search_typed_live_adds_to_its_entry_in_fewer_statements(
    login, alice, make_person, django_assert_num_queries
):
    client = login(alice)
    for i in range(30):
        make_person(alice, given_name=f"Amra{i}", family_name="Hodžić")
    client.get("/app/persons/", {"q": "hod"}, **FRAGMENT)
    # Session, member, the search's key (to read where it began), the word's statistics, the
    # ranked page, its persons; then the persons shown are added to the search's entry: no
    # new entry, no write to the session.
    with django_assert_num_queries(7):
        client.get("/app/persons/", {"q": "hodz"}, **FRAGMENT)


def test_detail_shows_the_family_with_constant_queries(
    login, alice, person_a, make_person, django_assert_num_queries
):
    from most.people.services import household_add_member, household_create
    from most.people.situations import situation_record

    household = household_create(member=alice, name="Kovalenko")
    household_add_member(member=alice, household=household, person=person_a, relationship="head")
    for name in ["Оксана", "Софія", "Марко"]:
        relative = make_person(alice, given_name=name, family_name="Коваленко")
        household_add_member(
            member=alice, household=household, person=relative, relationship="child"
        )
    situation_record(
        member=alice,
        person=person_a,
        fields={"kind": "employment", "value": "INACTIVE", "since": datetime.date(2025, 1, 1)},
    )
    client = login(alice)
    # Session, member, the person with the household, other names, languages,
    # vulnerabilities, consents, the household's members; the situation; the programmes
    # section (the person's enrolments, the programmes to check eligibility for); the
    # timeline's count and first page; the referrals section; the person's audit key and the
    # entry of the read.
    with django_assert_num_queries(16):
        page = client.get(f"/app/persons/{person_a.pk}/").content.decode()
    assert "Oksana Kovalenko" in page and "Sofiia Kovalenko" in page


def test_detail_of_another_organisations_person_is_not_found(login, alice, person_b):
    assert login(alice).get(f"/app/persons/{person_b.pk}/").status_code == 404


def test_register_a_person_through_the_form(login, alice):
    response = login(alice).post(
        "/app/persons/new/",
        {
            "given_name": "Юлія",
            "family_name": "Щербак",
            "sex": "F",
            "residence_status": "TP_BENEFICIARY",
            "country_of_origin": "UA",
            "birth_date": "1991-05-02",
            "languages": ["uk", "ru"],
            "slovenian_level": "A1",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/app/persons/{person.pk}/"
    assert person.latin_name == "Yuliia Shcherbak"
    assert sorted(person.languages.values_list("language", flat=True)) == ["ru", "uk"]


def test_bad_form_input_shows_messages_and_saves_nothing(login, alice):
    response = login(alice).post(
        "/app/persons/new/",
        {
            "given_name": "Amra",
            "family_name": "",
            "sex": "F",
            "residence_status": "UNKNOWN",
            "birth_date": "2999-01-01",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required." in body and "cannot be in the future" in body
    assert not Person.objects.exists()


def test_second_save_from_a_stale_form_gets_a_conflict_message(login, alice, person_a):
    client = login(alice)
    form = {
        "given_name": person_a.given_name,
        "family_name": person_a.family_name,
        "sex": "M",
        "residence_status": "UNKNOWN",
        "version": 1,
    }
    assert (
        client.post(f"/app/persons/{person_a.pk}/edit/", {**form, "address": "A"}).status_code
        == 302
    )
    response = client.post(f"/app/persons/{person_a.pk}/edit/", {**form, "address": "B"})
    assert response.status_code == 409
    assert "Somebody else changed this person" in response.content.decode()
    person_a.refresh_from_db()
    assert person_a.address == "A"


def test_a_viewer_cannot_open_the_forms(login, bob, person_a):
    client = login(bob)
    assert client.get("/app/persons/new/").status_code == 404
    assert client.get(f"/app/persons/{person_a.pk}/edit/").status_code == 404
    assert client.get(f"/app/persons/{person_a.pk}/").status_code == 200


def test_record_and_withdraw_a_consent(login, alice, person_a):
    client = login(alice)
    today = datetime.date.today()
    response = client.post(
        f"/app/persons/{person_a.pk}/consents/",
        {"purpose": "sharing", "given_on": today.isoformat(), "evidence": "signed"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.is_valid_today
    client.post(f"/app/persons/consents/{consent.pk}/withdraw/", {})
    consent.refresh_from_db()
    assert consent.withdrawn_on == today and not consent.is_valid_today


def test_consent_in_the_future_is_refused(login, alice, person_a):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = login(alice).post(
        f"/app/persons/{person_a.pk}/consents/",
        {"purpose": "sharing", "given_on": tomorrow.isoformat(), "evidence": "signed"},
    )
    assert response.status_code == 422
    assert not Consent.objects.exists()


def test_register_a_family_member_straight_into_a_household(login, alice, person_a):
    client = login(alice)
    client.post("/app/persons/households/new/", {"name": "Kovalenko", "municipality": "Ljubljana"})
    household = Household.objects.get()
    client.post(
        f"/app/persons/households/{household.pk}/members/",
        {"person": person_a.pk, "relationship": "head"},
    )
    form = client.get(f"/app/persons/new/?household={household.pk}&relationship=child")
    assert 'value="Коваленко"' in form.content.decode()
    response = client.post(
        f"/app/persons/new/?household={household.pk}",
        {
            "given_name": "Софія",
            "family_name": "Коваленко",
            "sex": "F",
            "residence_status": "UNKNOWN",
            "household": household.pk,
            "relationship": "child",
            "birth_year": 2015,
        },
    )
    assert response.status_code == 302
    assert sorted(household.members.values_list("relationship", flat=True)) == ["child", "head"]


@pytest.mark.parametrize("url", ["/app/persons/", "/app/persons/new/", "/app/audit/"])
def test_anonymous_users_are_sent_to_login(client, url, db):
    response = client.get(url)
    assert response.status_code == 302 and "/app/login/" in response["Location"]


def test_export_holds_the_search_results_and_is_audited(
    login, alice, person_a, make_person, person_b
):
    from most.audit.models import AuditEntry

    make_person(alice, given_name="=HYPERLINK(1)", family_name="Hodžić")
    response = login(alice).get("/app/persons/export.csv?q=Kovalenko")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("id,given_name,family_name")
    assert len(lines) == 2 and "Олександр" in lines[1] and "Al-Hassan" not in body
    assert AuditEntry.objects.get(action="export").changes["results"] == 1
    everyone = b"".join(login(alice).get("/app/persons/export.csv").streaming_content).decode()
    assert "'=HYPERLINK(1)" in everyone  # a formula is neutralised for spreadsheets
