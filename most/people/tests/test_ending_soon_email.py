"""The weekly e-mail: what ends soon, to every member who keeps the organisation's records."""

import datetime

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from most.audit.models import AuditEntry
from most.people.tasks import send_ending_soon_reminders

TODAY = timezone.localdate()


def test_keepers_get_the_list_and_the_next_run_is_scheduled(
    alice, bob, charlie, make_member, org_a, make_person
):
    make_person(
        alice,
        given_name="Олена",
        family_name="Коваленко",
        country_of_origin="UA",
        residence_valid_until=TODAY + datetime.timedelta(days=12),
    )
    make_person(
        alice,
        given_name="Amra",
        family_name="Hodžić",
        residence_valid_until=TODAY + datetime.timedelta(days=200),
    )
    analyst = make_member("analyst", org_a)

    assert send_ending_soon_reminders.call() == 1

    assert [message.to for message in mail.outbox] == [[alice.user.email]]
    message = mail.outbox[0]
    assert "Olena Kovalenko" in message.body and "Amra" not in message.body
    assert "/app/reminders/" in message.body
    html = message.alternatives[0].content
    assert 'lang="uk">Олена Коваленко</span>' in html
    # bob (viewer) and the analyst keep no records; charlie's organisation has nothing ending.
    assert bob.user.email not in {address for m in mail.outbox for address in m.to}
    assert analyst.user.email not in {address for m in mail.outbox for address in m.to}
    entry = AuditEntry.objects.get(action="list", actor=alice.user)
    assert entry.object_repr == "weekly e-mail: ending soon" and entry.persons.count() == 1
    waiting = DBTaskResult.objects.get(task_path="most.people.tasks.send_ending_soon_reminders")
    assert waiting.status == "READY" and waiting.run_after > timezone.now()
