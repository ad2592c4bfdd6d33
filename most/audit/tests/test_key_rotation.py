"""Rotating the master key: every data key wrapped again, so that the old master key can go."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from most.audit.models import AuditEntry, AuditKey
from most.audit.sealing import open_entries


@pytest.fixture
def registered(make_person, alice):
    person = make_person(alice, given_name="Olena", family_name="Bondarenko")
    return AuditEntry.objects.get(person_id=person.pk, action="create")


def test_after_wrapping_again_the_old_master_key_can_be_retired(registered, settings):
    new = Fernet.generate_key().decode()
    settings.AUDIT_KEYS = [new, *settings.AUDIT_KEYS]
    before = set(AuditKey.objects.values_list("wrapped", flat=True))
    call_command("audit_keys_rotate", verbosity=0)
    assert not before & set(AuditKey.objects.values_list("wrapped", flat=True))

    settings.AUDIT_KEYS = [new]
    assert "Bondarenko" in open_entries([registered])[registered.pk]["object"]


def test_keys_no_master_key_opens_are_reported_and_left_as_they_are(registered, settings):
    before = set(AuditKey.objects.values_list("wrapped", flat=True))
    settings.AUDIT_KEYS = [Fernet.generate_key().decode()]  # the old one forgotten
    with pytest.raises(CommandError, match="opened by none of the master keys"):
        call_command("audit_keys_rotate", verbosity=0)
    assert set(AuditKey.objects.values_list("wrapped", flat=True)) == before
