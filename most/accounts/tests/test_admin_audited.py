"""Every write the Django admin can make leaves an audit entry, and what it must not change (the
registry, tokens, second factors, logs) it only shows."""

import datetime

import pytest
from django.contrib import admin
from django.forms import CheckboxInput

from most.accounts.admin import AuditedModelAdmin
from most.accounts.admin_site import AdminSite
from most.accounts.models import Membership, Organisation, User
from most.accounts.tests.otp import enrolled
from most.audit.models import AuditEntry


@pytest.fixture
def root(db):
    return User.objects.create_superuser(
        email="root@example.org", password="correct horse battery", full_name="Root"
    )


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_the_admin_is_the_site_that_asks_for_the_second_factor():
    assert isinstance(admin.site, AdminSite)


def test_every_admin_page_is_read_only_or_audited(rf, root):
    """A model another app (or a new app of ours) puts in the admin fails here until its page is
    made read-only or audited (accounts/admin.py)."""
    request = rf.get("/admin/")
    request.user = root
    writable = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, AuditedModelAdmin):
            # Only the delete action, which deletes through the audited delete_model.
            extra = set(model_admin.get_actions(request)) - {"delete_selected"}
            if extra:
                writable[model._meta.label] = f"actions {sorted(extra)}"
            continue
        can = {
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_change_permission(request),
            "delete": model_admin.has_delete_permission(request),
            "actions": bool(model_admin.get_actions(request)),
        }
        if any(can.values()):
            writable[model._meta.label] = sorted(name for name, yes in can.items() if yes)
    assert writable == {}, "admin pages that write without an audit entry"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/organisation/",
        "/admin/authtoken/tokenproxy/",
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_static/staticdevice/",
        "/admin/people/person/",
        "/admin/people/household/",
        "/admin/people/consent/",
    ],
)
def test_the_admin_pages_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_the_token_list_shows_whose_token_never_the_key(admin_client, alice, alice_api):
    from rest_framework.authtoken.models import Token

    page = admin_client.get("/admin/authtoken/tokenproxy/").content.decode()
    assert alice.user.email in page or alice.user.full_name in page
    assert Token.objects.get(user=alice.user).key not in page


def test_the_device_pages_show_no_secret(admin_client, alice):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, codes = enrolled(alice)
    backup = StaticDevice.objects.get(user=alice.user)
    pages = [
        admin_client.get("/admin/otp_totp/totpdevice/").content.decode(),
        admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode(),
        admin_client.get(f"/admin/otp_static/staticdevice/{backup.pk}/change/").content.decode(),
    ]
    assert admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    for page in pages:
        assert TOTPDevice.objects.get(pk=device.pk).key not in page
        assert not any(code in page for code in codes)
    assert StaticToken.objects.filter(device=backup).count() == 10


def test_the_registry_cannot_be_changed_or_deleted_in_the_admin(admin_client, person_a, alice):
    from most.people.services import consent_record, household_create

    household = household_create(member=alice, name="Kovalenko")
    consent = consent_record(
        member=alice,
        person=person_a,
        fields={"purpose": "photos", "given_on": datetime.date(2026, 1, 5), "evidence": "signed"},
    )
    for url in [
        f"/admin/people/household/{household.pk}/delete/",
        f"/admin/people/consent/{consent.pk}/delete/",
        f"/admin/people/person/{person_a.pk}/delete/",
    ]:
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/people/household/add/").status_code == 403
    household.refresh_from_db()
    consent.refresh_from_db()


def form_data(response):
    """What the admin's change page would post back unchanged: its form and inline formsets."""
    data = {"_save": "Save"}

    def add(form):
        for name, field in form.fields.items():
            if field.disabled:
                continue
            key, value = form.add_prefix(name), form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            else:
                data[key] = "" if value is None else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def entries_for(obj):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("pk")


def test_changing_a_role_in_the_admin_is_audited_with_before_and_after(admin_client, root, alice):
    url = f"/admin/accounts/user/{alice.user_id}/change/"
    old_name = alice.user.full_name
    data = form_data(admin_client.get(url))
    [prefix] = [k[: -len("-role")] for k, v in data.items() if k.endswith("-role")]
    data[f"{prefix}-role"] = "caseworker"
    data["full_name"] = "Alice Novak"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    alice.refresh_from_db()
    assert alice.role == "caseworker"
    [entry] = entries_for(alice)
    assert (entry.action, entry.actor, entry.organisation, entry.changes) == (
        "update",
        root,
        alice.organisation,
        {"role": ["counsellor", "caseworker"]},
    )
    [user_entry] = entries_for(alice.user)
    assert user_entry.changes == {"full_name": [old_name, "Alice Novak"]}
    # Saving again with nothing changed writes nothing.
    admin_client.post(url, form_data(admin_client.get(url)))
    assert entries_for(alice).count() == 1 and entries_for(alice.user).count() == 1


def test_deleting_a_membership_in_the_admin_is_audited(admin_client, root, alice):
    url = f"/admin/accounts/user/{alice.user_id}/change/"
    data = form_data(admin_client.get(url))
    [prefix] = [k[: -len("-role")] for k, v in data.items() if k.endswith("-role")]
    data[f"{prefix}-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not Membership.objects.filter(pk=alice.pk).exists()
    [entry] = entries_for(alice)
    assert (entry.action, entry.organisation) == ("delete", alice.organisation)
    assert entry.changes["role"] == ["counsellor", None]
    assert entry.changes["organisation"] == [alice.organisation_id, None]


def test_adding_a_membership_in_the_admin_is_audited(admin_client, alice, org_b):
    url = f"/admin/accounts/user/{alice.user_id}/change/"
    data = form_data(admin_client.get(url))
    total = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(total + 1)
    data.update(
        {
            f"memberships-{total}-organisation": str(org_b.pk),
            f"memberships-{total}-role": "viewer",
            f"memberships-{total}-is_active": "on",
            f"memberships-{total}-user": str(alice.user_id),
        }
    )
    assert admin_client.post(url, data).status_code == 302
    added = Membership.objects.get(user=alice.user, organisation=org_b)
    [entry] = entries_for(added)
    assert (entry.action, entry.organisation) == ("create", org_b)
    assert entry.changes["role"] == [None, "viewer"]


def test_a_password_set_in_the_admin_is_recorded_as_changed_never_its_hash(
    admin_client, root, alice
):
    old_hash = alice.user.password
    response = admin_client.post(
        f"/admin/accounts/user/{alice.user_id}/password/",
        {
            "password1": "a new long password 7",
            "password2": "a new long password 7",
            "usable_password": "true",
            "set-password": "",
        },
    )
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password("a new long password 7")
    [entry] = entries_for(alice.user)
    assert entry.changes == {"password": "changed"}
    assert old_hash not in str(entry.changes) and alice.user.password not in str(entry.changes)


def test_making_a_user_staff_and_adding_one_are_audited(admin_client, root, alice):
    url = f"/admin/accounts/user/{alice.user_id}/change/"
    data = form_data(admin_client.get(url))
    data["is_staff"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert entries_for(alice.user).get().changes == {"is_staff": [False, True]}

    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.org",
            "full_name": "Nova Oseba",
            "usable_password": "true",
            "password1": "a new long password 7",
            "password2": "a new long password 7",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    new = User.objects.get(email="new@example.org")
    entry = entries_for(new).get()
    assert entry.action == "create" and entry.actor == root
    assert entry.changes["email"] == [None, "new@example.org"]
    assert entry.changes["password"] == "changed"


def test_organisations_changed_and_added_in_the_admin_are_audited(admin_client, org_a):
    url = f"/admin/accounts/organisation/{org_a.pk}/change/"
    data = form_data(admin_client.get(url))
    data["two_factor_roles"] = ["caseworker", "counsellor"]
    assert admin_client.post(url, data).status_code == 302
    [(name, (before, after))] = entries_for(org_a).get().changes.items()
    assert name == "two_factor_roles" and before == "[]"
    assert "caseworker" in after and "counsellor" in after

    response = admin_client.post(
        "/admin/accounts/organisation/add/",
        {"name": "Nova", "type": "ngo", "is_active": "on", "_save": "Save"},
    )
    assert response.status_code == 302
    new = Organisation.objects.get(name="Nova")
    entry = entries_for(new).get()
    assert (entry.action, entry.organisation, entry.changes["name"]) == (
        "create",
        new,
        [None, "Nova"],
    )


def test_users_and_organisations_are_deactivated_not_deleted(admin_client, alice):
    for url in [
        f"/admin/accounts/user/{alice.user_id}/delete/",
        f"/admin/accounts/organisation/{alice.organisation_id}/delete/",
    ]:
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=alice.user_id).exists()


def test_a_delete_through_an_audited_admin_page_is_audited(rf, root, alice):
    """The delete of any audited page, and its "delete selected" action, one entry each."""
    request = rf.post("/admin/")
    request.user = root
    page = AuditedModelAdmin(Membership, admin.site)
    page.delete_queryset(request, Membership.objects.filter(pk=alice.pk))
    assert not Membership.objects.filter(pk=alice.pk).exists()
    entry = AuditEntry.objects.get(object_type="accounts.membership", action="delete")
    assert (entry.object_id, entry.actor, entry.organisation) == (
        str(alice.pk),
        root,
        alice.organisation,
    )
    assert entry.changes["role"] == ["counsellor", None]
