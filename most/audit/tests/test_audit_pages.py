"""The audit page reads an organisation's trail as two streams merged (what its people did, what
anyone did to its records): it must show exactly what one query over both would, in the same
order, page after page."""

import datetime

import pytest
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from most.audit.models import AuditEntry
from most.audit.selectors import AuditPages, audit_pages

NOON = timezone.make_aware(datetime.datetime(2026, 3, 2, 12))

# An entry: (whose member wrote it, whose record it is about, minutes after noon). Organisations
# 0 and 1 are the two of the test; None: no organisation (a sign-in has no record).
ENTRIES = st.lists(
    st.tuples(
        st.sampled_from([0, 1, None]),
        st.sampled_from([0, 1, None]),
        st.integers(min_value=0, max_value=5),  # few moments: many entries share one
    ),
    max_size=40,
)


def _write(entries, organisations, actor):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=NOON + datetime.timedelta(minutes=minutes),
            actor=actor,
            organisation=None if own is None else organisations[own],
            subject_organisation=None if subject is None else organisations[subject],
            action="view",
        )
        for own, subject, minutes in entries
    )


def _expected(organisation):
    either = Q(organisation=organisation) | Q(subject_organisation=organisation)
    return list(
        AuditEntry.objects.filter(either).order_by("-at", "-pk").values_list("pk", flat=True)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(entries=ENTRIES, per_page=st.integers(min_value=1, max_value=7))
def test_the_pages_show_both_streams_newest_first_once_each(entries, per_page, org_a, org_b, admin):
    with transaction.atomic():
        _write(entries, [org_a, org_b], admin.user)
        paginator = Paginator(audit_pages(admin), per_page)
        shown = [
            entry.pk
            for number in paginator.page_range
            for entry in paginator.page(number).object_list
        ]
        assert shown == _expected(org_a)
        assert paginator.count == len(shown)
        transaction.set_rollback(True)


@pytest.fixture
def admin(make_member, org_a):
    return make_member("admin", org_a)


def test_a_long_trail_is_counted_up_to_the_limit(login, admin, org_a, monkeypatch):
    monkeypatch.setattr(AuditPages, "LIMIT", 4)
    _write([(0, 0, minutes) for minutes in range(6)], [org_a], admin.user)
    pages = audit_pages(admin)
    assert (pages.count(), pages.capped) == (4, True)
    response = login(admin).get("/app/audit/")
    assert "More than 4 entries" in response.content.decode()


def test_the_days_chosen_include_the_whole_last_day_in_local_time(admin, org_a):
    local = timezone.get_current_timezone()
    moments = [
        datetime.datetime(2026, 3, 1, 23, 59, tzinfo=local),  # the day before
        datetime.datetime(2026, 3, 2, 0, 0, tzinfo=local),
        datetime.datetime(2026, 3, 3, 23, 59, tzinfo=local),
        datetime.datetime(2026, 3, 4, 0, 0, tzinfo=local),  # the day after
    ]
    AuditEntry.objects.bulk_create(
        AuditEntry(at=at, actor=admin.user, organisation=org_a, action="login") for at in moments
    )
    pages = audit_pages(
        admin, action="login", day_from=datetime.date(2026, 3, 2), day_to=datetime.date(2026, 3, 3)
    )
    assert [entry.at for entry in pages[:50]] == [moments[2], moments[1]]
