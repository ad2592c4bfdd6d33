"""The staff workspace's home: what each member can do and what needs their attention."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from most.accounts.decorators import member_required
from most.accounts.models import Role
from most.accounts.policy import can_manage_members
from most.audit.models import AuditAction
from most.audit.policy import can_view_audit
from most.people import policy as people_policy
from most.people import selectors as people
from most.people.services import persons_shown_audit
from most.programmes import activity_selectors as activities
from most.programmes import policy as programmes_policy
from most.referrals import policy as referrals_policy
from most.referrals import selectors as referrals

REMINDERS_ON_HOME = 8
RECENT = 6

# What each role will do in Most, in the parts still being built (DESIGN.md, "Who uses it").
COMING = {
    Role.ADMIN: [gettext_lazy("Retention rules and requests from data subjects")],
    Role.COORDINATOR: [
        gettext_lazy("Activities of programmes: sessions, attendance, calendars"),
        gettext_lazy("Reports for funders"),
    ],
    Role.CASEWORKER: [],
    Role.COUNSELLOR: [],
    Role.MEDIATOR: [gettext_lazy("Your weekly schedule at institutions and booking requests")],
    Role.TRAINER: [
        gettext_lazy("Courses for professionals: runs, attendance, evaluation, certificates"),
        gettext_lazy("The catalogue of good practice"),
    ],
    Role.ANALYST: [gettext_lazy("Indicators for funders across programmes")],
    Role.VIEWER: [],
}


def _tasks(member):
    """The links to what the member may do now, in the order they are needed."""
    tasks = []
    if people_policy.can_register_person(member):
        tasks.append((_("Register a person"), reverse("people:create")))
    if people_policy.can_view_persons(member):
        tasks.append((_("Find a person"), reverse("people:list")))
        tasks.append((_("Households"), reverse("people:households")))
    if programmes_policy.can_view_programmes(member):
        tasks.append((_("Programmes"), reverse("programmes:list")))
        tasks.append((_("My sessions"), reverse("programmes:my_calendar")))
    if referrals_policy.can_view_referrals(member):
        tasks.append((_("Referrals received and sent"), reverse("referrals:inbox")))
    if people_policy.can_view_statistics(member):
        tasks.append((_("Figures"), reverse("reports:index")))
    if people_policy.can_see_reminders(member):
        tasks.append((_("Everything that ends soon"), reverse("workspace:reminders")))
    if can_manage_members(member, member.organisation):
        tasks.append((_("Members of your organisation"), reverse("accounts:members")))
    if can_view_audit(member):
        tasks.append((_("Audit trail"), reverse("audit:list")))
    return tasks


@require_GET
@member_required
def home(request):
    member = request.member
    residence = people.residence_ending(member)
    consents = people.consents_ending(member)
    # Each list read only as far as the home shows it.
    soonest = people.reminders_of(residence[:REMINDERS_ON_HOME], consents[:REMINDERS_ON_HOME])
    reminders = soonest[:REMINDERS_ON_HOME]
    viewed = people.persons_recently_viewed(member, RECENT)
    registered = people.persons_recently_registered(member, RECENT)
    shown = [r.person_id for r in reminders] + [p.pk for p in viewed + registered]
    if shown:
        persons_shown_audit(
            member=member,
            action=AuditAction.LIST,
            description="workspace",
            personal=False,
            person_ids=shown,
            total=len(set(shown)),
            request=request,
        )
    context = {
        "tasks": _tasks(member),
        "coming": COMING.get(member.role, []),
        "can_search": people_policy.can_view_persons(member),
        "reminders_shown": people_policy.can_see_reminders(member),
        "reminders": reminders,
        "residence_count": residence.count() if reminders else 0,
        "consent_count": consents.count() if reminders else 0,
        "viewed": viewed,
        "registered": registered,
        "statistics": people.registry_statistics(member),
        "reminder_days": people.REMINDER_DAYS,
        "sessions_today": activities.sessions_today(member),
        "can_take_attendance": programmes_policy.can_record_attendance_in_organisation(member),
        "referrals": referrals.inbox_counts(member)
        if referrals_policy.can_view_referrals(member)
        else None,
        "unread_notices": referrals.unread_notices(member),
    }
    return render(request, "workspace/home.html", context)


@require_GET
@member_required
def reminders(request):
    """Every residence status and consent ending soon, one kind at a time, soonest first."""
    member = request.member
    if not people_policy.can_see_reminders(member):
        raise Http404
    kind = request.GET.get("kind") if request.GET.get("kind") == "consent" else "residence"
    ending = (
        people.consents_ending(member) if kind == "consent" else people.residence_ending(member)
    )
    page = Paginator(ending, 25).get_page(request.GET.get("page"))
    rows = people.reminders_of(**{"consents" if kind == "consent" else "persons": page})
    persons_shown_audit(
        member=member,
        action=AuditAction.LIST,
        description=f"ending soon: {kind}",
        personal=False,
        person_ids=[row.person_id for row in rows],
        total=page.paginator.count,
        request=request,
    )
    context = {
        "kind": kind,
        "page": page,
        "rows": rows,
        "query_string": f"kind={kind}",
        "reminder_days": people.REMINDER_DAYS,
    }
    return render(request, "workspace/reminders.html", context)
