"""Invisible and control characters are refused in members' e-mail addresses and names."""

import pytest
from django.core.exceptions import ValidationError

from most.accounts import services
from most.accounts.models import Membership, User
from most.audit.models import AuditEntry

PASSWORD = "correct horse battery"


@pytest.fixture
def admin_a(make_member, org_a):
    return make_member("admin", org_a)


def counts():
    return User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    "email",
    [
        "alice@exam\u200bple.org",  # zero width space in the domain
        "alice\u200d@example.org",
        "alice@exam\u200cple.org",  # a non-joiner between letters: fine in a name, not here
        "alice@example.org\u202e",
        "\ufeffalice@example.org",
        '"ali\x07ce"@example.org',  # BEL in a quoted local part, which the validator allows
        "alice@example.org\U000e0041",
    ],
)
def test_it_refuses_an_address_that_imitates_an_existing_account(admin_a, alice, email):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.member_add(member=admin_a, email=email, full_name="Alice", role="viewer")
    assert "invisible or control characters" in refused.value.message_dict["email"][0]
    assert counts() == before


@pytest.mark.parametrize("name", ["\u200b\u200b", "Ana\x07", "\u202eAna", "Ana\uffff"])
def test_it_refuses_a_full_name_with_hidden_characters(admin_a, name):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.member_add(member=admin_a, email="nova@example.org", full_name=name, role="viewer")
    assert "full_name" in refused.value.message_dict
    assert counts() == before


def test_the_members_page_shows_the_refusal_on_the_field(login, admin_a, alice):
    before = counts()
    response = login(admin_a).post(
        "/app/members/add/",
        {"email": "alice@exam\u200bple.org", "full_name": "A\u200eB", "role": "viewer"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "U+200B" in form.errors["email"][0] and "U+200E" in form.errors["full_name"][0]
    assert counts() == before


def test_a_persian_name_with_a_zero_width_non_joiner_is_accepted(admin_a):
    membership = services.member_add(
        member=admin_a, email="reza@example.org", full_name="رضا رحیم\u200cزاده", role="viewer"
    )
    assert membership.user.full_name == "رضا رحیم\u200cزاده"


def test_the_login_form_refuses_an_address_with_hidden_characters(client, alice):
    response = client.post(
        "/app/login/", {"username": "alice@example.org\u200b", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "invisible or control characters" in response.content.decode()
    assert "_auth_user_id" not in client.session
