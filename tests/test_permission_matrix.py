"""Every route × every role × whose object it is: the member's own organisation's, another's, or
another's shared with the member's organisation through an access grant; and no one logged in.

The routes come from the URLconf: a route this table does not list fails the test, so a new page
or endpoint cannot go unchecked. What each role may do comes from the one table in
accounts/policy.py; this test states the expected answers independently, so a change to that
table that nobody meant shows up here.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from most.accounts.models import Role
from most.casework import services as casework
from most.directory import models as catalogue
from most.jobs.models import Job
from most.jobs.services import Progress
from most.people import services
from most.privacy.models import SubjectRequest
from most.programmes import activity_services as activities
from most.programmes import services as programmes
from most.referrals import services as referrals

ROLES = [r.value for r in Role]
EVERYONE = set(ROLES)
READERS = {"admin", "coordinator", "caseworker", "counsellor", "mediator", "viewer"}
KEEPERS = {"admin", "coordinator", "caseworker", "counsellor"}
ADMINS = {"admin"}
MANAGERS = {"admin", "coordinator"}
ATTENDERS = KEEPERS | {"mediator"}
CASEWORK_READERS = KEEPERS | {"viewer"}
COUNSELLORS = {"counsellor"}
FIGURES = {"admin", "coordinator", "analyst"}
NOBODY = set()
TODAY = datetime.date.today().isoformat()


@dataclass(frozen=True)
class Route:
    name: str  # the URL name, namespaced
    method: str
    # with {person}, {household}, {consent}, {membership}, {job}, {organisation},
    # {subject_request}, {programme}, {enrolment}, {activity}, {session}, {feed}, {feed_token},
    # {goal}
    url: str
    allowed: set  # roles that may, on their own organisation's objects
    ok: int  # the status when allowed
    data: dict = field(default_factory=dict)
    granted: set = field(default_factory=set)  # roles that may, on a person shared with them
    anonymous: int | None = None  # the status without login (default: login page, or 401)

    @property
    def placeholders(self):
        return set(re.findall(r"\{(\w+)\}", self.url + str(self.data)))

    @property
    def scopes(self):
        placeholders = self.placeholders
        if "person" in placeholders:
            return ["own", "other", "granted"]
        return ["own", "other"] if placeholders else ["own"]

    @property
    def is_api(self):
        return self.url.startswith("/api/")


PERSON = {"given_name": "Emina", "family_name": "Alić", "sex": "F", "residence_status": "UNKNOWN"}
PROGRAMME = {
    "name": "Družinski program",
    "starts_on": TODAY,
    "phases-TOTAL_FORMS": "1",
    "phases-INITIAL_FORMS": "0",
    "phases-0-name": "Vse leto",
}
ROUTES = [
    # Public
    Route("home", "get", "/", EVERYONE, 200, anonymous=200),
    Route("health", "get", "/health/", EVERYONE, 200, anonymous=200),
    Route(
        "set_language", "post", "/i18n/setlang/", EVERYONE, 302, {"language": "sl"}, anonymous=302
    ),
    # Accounts
    Route("accounts:login", "get", "/app/login/", EVERYONE, 302, anonymous=200),
    Route("accounts:logout", "post", "/app/logout/", EVERYONE, 302, anonymous=302),
    Route("accounts:password_forgot", "get", "/app/password/forgot/", EVERYONE, 200, anonymous=200),
    Route(
        "accounts:password_forgot",
        "post",
        "/app/password/forgot/",
        EVERYONE,
        302,
        {"email": "nobody@example.org"},
        anonymous=302,
    ),
    Route(
        "accounts:password_forgot_sent",
        "get",
        "/app/password/forgot/sent/",
        EVERYONE,
        200,
        anonymous=200,
    ),
    # A link that is not (or no longer) valid: the page says so, to anyone.
    Route(
        "accounts:password_set", "get", "/app/password/set/MQ/bad/", EVERYONE, 200, anonymous=200
    ),
    Route(
        "accounts:password_set_done", "get", "/app/password/set/done/", EVERYONE, 200, anonymous=200
    ),
    Route(
        "accounts:switch",
        "post",
        "/app/organisation/",
        EVERYONE,
        302,
        {"organisation": "{organisation}"},
    ),
    Route("accounts:members", "get", "/app/members/", ADMINS, 200),
    Route(
        "accounts:member_add",
        "post",
        "/app/members/add/",
        ADMINS,
        200,
        {"email": "new@example.org", "full_name": "Nova", "role": "viewer"},
    ),
    Route("accounts:member_end", "post", "/app/members/{membership}/end/", ADMINS, 302),
    Route(
        "accounts:member_two_factor_roles",
        "post",
        "/app/members/two-factor/",
        ADMINS,
        302,
        {"roles": "counsellor"},
    ),
    # The member has no second factor (or token): refused with a message, back to the members.
    Route(
        "accounts:member_two_factor_reset",
        "post",
        "/app/members/{membership}/two-factor/reset/",
        ADMINS,
        302,
    ),
    Route(
        "accounts:member_token_revoke",
        "post",
        "/app/members/{membership}/token/revoke/",
        ADMINS,
        302,
    ),
    # One's own sign-in. Without a second factor the code step has nothing to ask: on to /app/.
    Route("accounts:two_factor_verify", "get", "/app/login/verify/", EVERYONE, 302),
    Route(
        "accounts:two_factor_verify",
        "post",
        "/app/login/verify/",
        EVERYONE,
        302,
        {"code": "123456"},
    ),
    Route("accounts:two_factor", "get", "/app/two-factor/", EVERYONE, 200),
    # A code that is not six digits: the form says so.
    Route("accounts:two_factor", "post", "/app/two-factor/", EVERYONE, 422, {"code": "abc"}),
    # Not on yet: nothing to renew or turn off, a message says so.
    Route(
        "accounts:two_factor_backup_codes",
        "post",
        "/app/two-factor/backup-codes/",
        EVERYONE,
        302,
    ),
    Route("accounts:two_factor_turn_off", "post", "/app/two-factor/off/", EVERYONE, 302),
    Route("accounts:api_token", "get", "/app/token/", EVERYONE, 200),
    Route("accounts:api_token", "post", "/app/token/", EVERYONE, 200),
    # Workspace and jobs
    Route("workspace:home", "get", "/app/", EVERYONE, 200),
    Route("workspace:reminders", "get", "/app/reminders/", KEEPERS, 200),
    Route("jobs:detail", "get", "/app/jobs/{job}/", EVERYONE, 200),
    Route("jobs:download", "get", "/app/jobs/{job}/download/", EVERYONE, 200),
    Route("audit:list", "get", "/app/audit/", ADMINS, 200),
    Route("api-job", "get", "/api/jobs/{job}/", EVERYONE, 200),
    Route("api-job-download", "get", "/api/jobs/{job}/download/", EVERYONE, 200),
    # Data protection: the organisation's contact (its administrator), its own persons only.
    Route("privacy:home", "get", "/app/privacy/", ADMINS, 200),
    Route("privacy:records", "get", "/app/privacy/records/", ADMINS, 200),
    Route("privacy:person", "get", "/app/privacy/persons/{person}/", ADMINS, 200),
    Route(
        "privacy:request_new",
        "post",
        "/app/privacy/persons/{person}/requests/",
        ADMINS,
        302,
        {"kind": "access"},
    ),
    Route(
        "privacy:request_close",
        "post",
        "/app/privacy/requests/{subject_request}/close/",
        ADMINS,
        302,
        {"state": "done"},
    ),
    Route(
        "privacy:request_extend",
        "post",
        "/app/privacy/requests/{subject_request}/extend/",
        ADMINS,
        302,
        {"reason": "Records in several programmes"},
    ),
    Route("privacy:export", "post", "/app/privacy/persons/{person}/export/", ADMINS, 302),
    Route(
        "privacy:erase",
        "post",
        "/app/privacy/persons/{person}/erase/",
        ADMINS,
        302,
        {"confirm": "on"},
    ),
    Route(
        "privacy:restrict",
        "post",
        "/app/privacy/persons/{person}/restrict/",
        ADMINS,
        302,
        {"reason": "Contested"},
    ),
    # Not restricted, not on hold: the page says there is nothing to lift.
    Route(
        "privacy:restriction_lift",
        "post",
        "/app/privacy/persons/{person}/restrict/lift/",
        ADMINS,
        422,
    ),
    Route(
        "privacy:hold",
        "post",
        "/app/privacy/persons/{person}/hold/",
        ADMINS,
        302,
        {"reason": "Court case"},
    ),
    Route("privacy:hold_lift", "post", "/app/privacy/persons/{person}/hold/lift/", ADMINS, 422),
    Route("api-person-export", "post", "/api/persons/{person}/export/", ADMINS, 202),
    Route("api-person-erasure", "post", "/api/persons/{person}/erasure/", ADMINS, 200),
    # Registry
    Route("people:list", "get", "/app/persons/", READERS, 200),
    Route("people:detail", "get", "/app/persons/{person}/", READERS, 200, granted=READERS),
    Route("people:export", "get", "/app/persons/export.csv", KEEPERS, 200),
    Route("people:export_xlsx", "post", "/app/persons/export.xlsx", KEEPERS, 302, {"q": "a"}),
    Route("people:create", "get", "/app/persons/new/", KEEPERS, 200),
    Route("people:create", "post", "/app/persons/new/", KEEPERS, 302, PERSON),
    Route("people:edit", "get", "/app/persons/{person}/edit/", KEEPERS, 200),
    Route("people:history", "get", "/app/persons/{person}/history/", READERS, 200),
    Route("people:timeline", "get", "/app/persons/{person}/timeline/", READERS, 200),
    Route(
        "people:edit",
        "post",
        "/app/persons/{person}/edit/",
        KEEPERS,
        302,
        {**PERSON, "given_name": "Amra", "version": 1},
    ),
    Route(
        "people:consent_add",
        "post",
        "/app/persons/{person}/consents/",
        KEEPERS,
        302,
        {"purpose": "photos", "given_on": TODAY, "evidence": "signed"},
    ),
    Route(
        "people:consent_withdraw", "post", "/app/persons/consents/{consent}/withdraw/", KEEPERS, 302
    ),
    Route("people:households", "get", "/app/persons/households/", READERS, 200),
    Route("people:household", "get", "/app/persons/households/{household}/", READERS, 200),
    Route(
        "people:household",
        "post",
        "/app/persons/households/{household}/",
        KEEPERS,
        302,
        {"name": "Hodžić-Begić", "version": 1},
    ),
    Route("people:household_create", "get", "/app/persons/households/new/", KEEPERS, 200),
    Route(
        "people:household_create",
        "post",
        "/app/persons/households/new/",
        KEEPERS,
        302,
        {"name": "Alić"},
    ),
    Route(
        "people:household_candidates",
        "get",
        "/app/persons/households/{household}/candidates/?q=a",
        KEEPERS,
        200,
    ),
    Route(
        "people:household_member_add",
        "post",
        "/app/persons/households/{household}/members/",
        KEEPERS,
        302,
        {"person": "{person}", "relationship": "child"},
    ),
    Route(
        "people:household_member_change",
        "post",
        "/app/persons/households/{household}/members/{person}/relationship/",
        KEEPERS,
        302,
        {"relationship": "spouse"},
    ),
    Route(
        "people:household_member_remove",
        "post",
        "/app/persons/households/{household}/members/{person}/remove/",
        KEEPERS,
        302,
    ),
    Route(
        "people:situation_add",
        "post",
        "/app/persons/{person}/situations/",
        KEEPERS,
        302,
        {"situation": "employment:INACTIVE", "since": TODAY},
    ),
    # Programmes
    Route("programmes:list", "get", "/app/programmes/", READERS, 200),
    Route("programmes:create", "get", "/app/programmes/new/", MANAGERS, 200),
    Route("programmes:create", "post", "/app/programmes/new/", MANAGERS, 302, PROGRAMME),
    Route("programmes:detail", "get", "/app/programmes/{programme}/", READERS, 200),
    Route("programmes:edit", "get", "/app/programmes/{programme}/edit/", MANAGERS, 200),
    Route(
        "programmes:edit",
        "post",
        "/app/programmes/{programme}/edit/",
        MANAGERS,
        302,
        {**PROGRAMME, "version": 1},
    ),
    Route("programmes:rules", "get", "/app/programmes/{programme}/rules/?field=sex", MANAGERS, 200),
    Route(
        "programmes:rules",
        "post",
        "/app/programmes/{programme}/rules/",
        MANAGERS,
        302,
        {"field": "age", "op": "gte", "value": "18", "group": "required", "version": 1},
    ),
    Route(
        "programmes:rule_remove",
        "post",
        "/app/programmes/{programme}/rules/remove/",
        MANAGERS,
        302,
        {"path": "0", "version": 1},
    ),
    Route("programmes:eligible", "get", "/app/programmes/{programme}/eligible/", KEEPERS, 200),
    Route(
        "programmes:check",
        "get",
        "/app/programmes/check/?programme={programme}&person={person}",
        KEEPERS,
        302,
    ),
    Route(
        "programmes:enrol",
        "get",
        "/app/programmes/{programme}/enrol/?person={person}",
        KEEPERS,
        200,
    ),
    Route(
        "programmes:enrol",
        "post",
        "/app/programmes/{programme}/enrol/",
        KEEPERS,
        302,
        {"person": "{person}"},
    ),
    Route(
        "programmes:enrol_household",
        "post",
        "/app/programmes/{programme}/enrol/household/",
        KEEPERS,
        302,
        {"household": "{household}"},
    ),
    Route(
        "programmes:enrolment_move",
        "post",
        "/app/programmes/enrolments/{enrolment}/move/",
        KEEPERS,
        302,
        {"to": "paused", "version": 1},
    ),
    Route(
        "programmes:activity_create",
        "get",
        "/app/programmes/{programme}/activities/new/",
        MANAGERS,
        200,
    ),
    Route(
        "programmes:activity_create",
        "post",
        "/app/programmes/{programme}/activities/new/",
        MANAGERS,
        302,
        {
            "kind": "workshop",
            "title": "Računalniška delavnica",
            "first_day": TODAY,
            "starts": "09:00",
            "ends": "10:30",
            "every_weeks": "0",
        },
    ),
    Route("programmes:activity", "get", "/app/programmes/activities/{activity}/", READERS, 200),
    Route(
        "programmes:session_cancel",
        "post",
        "/app/programmes/sessions/{session}/cancel/",
        MANAGERS,
        302,
    ),
    Route(
        "programmes:attendance",
        "get",
        "/app/programmes/sessions/{session}/attendance/",
        ATTENDERS,
        200,
    ),
    Route(
        "programmes:attendance",
        "post",
        "/app/programmes/sessions/{session}/attendance/",
        ATTENDERS,
        302,
        {"presence-{enrolment}": "present"},
    ),
    Route("programmes:calendar", "get", "/app/programmes/{programme}/calendar/", READERS, 200),
    Route(
        "programmes:person_calendar",
        "get",
        "/app/programmes/persons/{person}/calendar/",
        READERS,
        200,
    ),
    Route("programmes:my_calendar", "get", "/app/programmes/my-calendar/", READERS, 200),
    Route(
        "programmes:programme_feed_create",
        "post",
        "/app/programmes/{programme}/calendar/links/",
        MANAGERS,
        302,
    ),
    Route("programmes:my_feed_create", "post", "/app/programmes/my-calendar/links/", READERS, 302),
    Route(
        "programmes:feed_revoke",
        "post",
        "/app/programmes/calendar-links/{feed}/revoke/",
        MANAGERS,
        302,
    ),
    # A calendar feed answers whoever holds its secret link, as calendar applications do.
    Route("calendar_feed", "get", "/calendar/{feed_token}.ics", EVERYONE, 200, anonymous=200),
    # Figures: counts only, small ones suppressed.
    Route("reports:index", "get", "/app/reports/", FIGURES, 200),
    Route("reports:programme", "get", "/app/reports/programmes/{programme}/", FIGURES, 200),
    Route(
        "reports:programme_csv",
        "get",
        "/app/reports/programmes/{programme}/figures.csv",
        FIGURES,
        200,
    ),
    Route(
        "reports:programme_xlsx",
        "get",
        "/app/reports/programmes/{programme}/figures.xlsx",
        FIGURES,
        200,
    ),
    # Casework: the keeping organisation's only; psychosocial support for its counsellors.
    Route("casework:person", "get", "/app/casework/persons/{person}/", CASEWORK_READERS, 200),
    Route(
        "casework:assessment_add",
        "get",
        "/app/casework/persons/{person}/assessments/new/",
        KEEPERS,
        200,
    ),
    Route(
        "casework:assessment_add",
        "post",
        "/app/casework/persons/{person}/assessments/new/",
        KEEPERS,
        302,
        {"assessed_on": TODAY, "need-HO.WORK": "2"},
    ),
    Route(
        "casework:goal_add",
        "post",
        "/app/casework/persons/{person}/goals/",
        KEEPERS,
        302,
        {"title": "Tečaj slovenščine"},
    ),
    Route(
        "casework:goal_status",
        "post",
        "/app/casework/goals/{goal}/status/",
        KEEPERS,
        302,
        {"status": "in_progress", "version": 1},
    ),
    Route(
        "casework:goal_action_add",
        "post",
        "/app/casework/goals/{goal}/actions/",
        KEEPERS,
        302,
        {"description": "Vpis na tečaj"},
    ),
    Route(
        "casework:counselling_add",
        "get",
        "/app/casework/persons/{person}/counselling/new/",
        KEEPERS,
        200,
    ),
    Route(
        "casework:counselling_add",
        "post",
        "/app/casework/persons/{person}/counselling/new/",
        KEEPERS,
        302,
        {"held_on": TODAY, "minutes": "45", "kind": "individual"},
    ),
    Route(
        "casework:psychosocial_add",
        "get",
        "/app/casework/persons/{person}/psychosocial/new/",
        COUNSELLORS,
        200,
    ),
    Route(
        "casework:psychosocial_add",
        "post",
        "/app/casework/persons/{person}/psychosocial/new/",
        COUNSELLORS,
        302,
        {"recorded_on": TODAY, "level": "2", "factors": "IOM.SOCIO_RELATIONAL"},
    ),
    Route(
        "casework:outcome_add",
        "get",
        "/app/casework/persons/{person}/outcomes/new/",
        KEEPERS,
        200,
    ),
    Route(
        "casework:outcome_add",
        "post",
        "/app/casework/persons/{person}/outcomes/new/",
        KEEPERS,
        302,
        {"kind": "language", "achieved_on": TODAY, "slovenian_level": "A2"},
    ),
    # API
    Route("api-organisations", "get", "/api/organisations/", EVERYONE, 200),
    Route("api-organisation", "get", "/api/organisations/{organisation}/", EVERYONE, 200),
    Route("api-me", "get", "/api/me/", EVERYONE, 200),
    Route("schema", "get", "/api/schema/", EVERYONE, 200, anonymous=200),
    Route("docs", "get", "/api/docs/", EVERYONE, 200, anonymous=200),
    Route("api-persons", "get", "/api/persons/", READERS, 200),
    Route(
        "api-persons",
        "post",
        "/api/persons/",
        KEEPERS,
        201,
        {"given_name": "Emina", "family_name": "Alić"},
    ),
    Route("api-person", "get", "/api/persons/{person}/", READERS, 200, granted=READERS),
    Route(
        "api-person",
        "patch",
        "/api/persons/{person}/",
        KEEPERS,
        200,
        {"address": "Vojkova 1", "version": 1},
    ),
    Route("api-consents", "get", "/api/persons/{person}/consents/", READERS, 200),
    Route(
        "api-consents",
        "post",
        "/api/persons/{person}/consents/",
        KEEPERS,
        201,
        {"purpose": "photos", "given_on": TODAY, "evidence": "signed"},
    ),
    Route("api-consent-withdraw", "post", "/api/consents/{consent}/withdraw/", KEEPERS, 200),
    Route("api-households", "get", "/api/households/", READERS, 200),
    Route("api-households", "post", "/api/households/", KEEPERS, 201, {"name": "Alić"}),
    Route("api-household", "get", "/api/households/{household}/", READERS, 200),
    Route(
        "api-household",
        "patch",
        "/api/households/{household}/",
        KEEPERS,
        200,
        {"name": "Begić", "version": 1},
    ),
    Route(
        "api-household-members",
        "post",
        "/api/households/{household}/members/",
        KEEPERS,
        201,
        {"person": "{person}", "relationship": "child"},
    ),
    Route(
        "api-household-member",
        "patch",
        "/api/households/{household}/members/{person}/",
        KEEPERS,
        200,
        {"relationship": "spouse"},
    ),
    Route("api-situations", "get", "/api/persons/{person}/situations/", READERS, 200),
    Route(
        "api-situations",
        "post",
        "/api/persons/{person}/situations/",
        KEEPERS,
        201,
        {"kind": "employment", "value": "INACTIVE", "since": TODAY},
    ),
    Route("api-timeline", "get", "/api/persons/{person}/timeline/", READERS, 200),
    # Programmes
    Route("api-programmes", "get", "/api/programmes/", READERS, 200),
    Route(
        "api-programmes",
        "post",
        "/api/programmes/",
        MANAGERS,
        201,
        {"name": "Družinski program", "starts_on": TODAY, "phases": [{"name": "Vse leto"}]},
    ),
    Route("api-programme", "get", "/api/programmes/{programme}/", READERS, 200),
    Route(
        "api-programme",
        "patch",
        "/api/programmes/{programme}/",
        MANAGERS,
        200,
        {"capacity": 20, "version": 1},
    ),
    Route("api-eligible", "get", "/api/programmes/{programme}/eligible/", KEEPERS, 200),
    Route(
        "api-eligibility",
        "get",
        "/api/programmes/{programme}/eligibility/{person}/",
        KEEPERS,
        200,
    ),
    Route("api-enrolments", "get", "/api/programmes/{programme}/enrolments/", READERS, 200),
    Route(
        "api-enrolments",
        "post",
        "/api/programmes/{programme}/enrolments/",
        KEEPERS,
        201,
        {"person": "{person}"},
    ),
    Route(
        "api-enrolment-move",
        "post",
        "/api/enrolments/{enrolment}/move/",
        KEEPERS,
        200,
        {"to": "paused", "version": 1},
    ),
    Route("api-activities", "get", "/api/programmes/{programme}/activities/", READERS, 200),
    Route(
        "api-activities",
        "post",
        "/api/programmes/{programme}/activities/",
        MANAGERS,
        201,
        {"kind": "visit", "title": "Muzej", "first_day": TODAY, "starts": "10:00", "ends": "12:00"},
    ),
    Route("api-activity", "get", "/api/activities/{activity}/", READERS, 200),
    Route("api-attendance", "get", "/api/sessions/{session}/attendance/", ATTENDERS, 200),
    Route(
        "api-attendance",
        "put",
        "/api/sessions/{session}/attendance/",
        ATTENDERS,
        200,
        {"presences": {"{enrolment}": "present"}},
    ),
    # Casework
    Route("api-casework", "get", "/api/persons/{person}/casework/", CASEWORK_READERS, 200),
    Route(
        "api-assessments",
        "post",
        "/api/persons/{person}/assessments/",
        KEEPERS,
        201,
        {"assessed_on": TODAY, "scores": {"HO.WORK": {"need": 2}}},
    ),
    Route(
        "api-goals", "post", "/api/persons/{person}/goals/", KEEPERS, 201, {"title": "Stanovanje"}
    ),
    Route(
        "api-counselling",
        "post",
        "/api/persons/{person}/counselling/",
        KEEPERS,
        201,
        {"held_on": TODAY, "minutes": 45, "kind": "individual"},
    ),
    Route(
        "api-psychosocial",
        "post",
        "/api/persons/{person}/psychosocial/",
        COUNSELLORS,
        201,
        {"recorded_on": TODAY, "level": 2, "factors": ["IOM.SOCIO_ECONOMIC"], "notes": "x"},
    ),
    Route(
        "api-outcomes",
        "post",
        "/api/persons/{person}/outcomes/",
        KEEPERS,
        201,
        {"kind": "language", "achieved_on": TODAY, "slovenian_level": "A2"},
    ),
    Route(
        "api-household-member",
        "delete",
        "/api/households/{household}/members/{person}/",
        KEEPERS,
        204,
    ),
]

HSDS = [
    ("index", ""),
    ("services", "services"),
    ("service", "services/{hsds_service}"),
    ("organizations", "organizations"),
    ("organization", "organizations/{hsds_organization}"),
    ("service_at_locations", "service_at_locations"),
    ("service_at_location", "service_at_locations/{hsds_service_at_location}"),
    ("taxonomies", "taxonomies"),
    ("taxonomy", "taxonomies/{hsds_taxonomy}"),
    ("taxonomy_terms", "taxonomy_terms"),
    ("taxonomy_term", "taxonomy_terms/{hsds_taxonomy_term}"),
]
# The organisation's own entries in the service catalogue: its administrators and coordinators.
SERVICE = {
    "name": "Pravna pomoč",
    "category": "legal-aid",
    "status": "active",
    "version": "1",
    "hours-TOTAL_FORMS": "0",
    "hours-INITIAL_FORMS": "0",
}
ROUTES += [
    Route("catalogue:home", "get", "/app/catalogue/", MANAGERS, 200),
    Route("catalogue:create", "get", "/app/catalogue/services/new/", MANAGERS, 200),
    Route("catalogue:create", "post", "/app/catalogue/services/new/", MANAGERS, 302, SERVICE),
    Route("catalogue:edit", "get", "/app/catalogue/services/{hsds_service}/", MANAGERS, 200),
    Route(
        "catalogue:edit", "post", "/app/catalogue/services/{hsds_service}/", MANAGERS, 302, SERVICE
    ),
    Route(
        "catalogue:confirm",
        "post",
        "/app/catalogue/services/{hsds_service}/checked/",
        MANAGERS,
        302,
    ),
    Route(
        "catalogue:translate",
        "get",
        "/app/catalogue/services/{hsds_service}/translation/?language=uk",
        MANAGERS,
        200,
    ),
    Route(
        "catalogue:translate",
        "post",
        "/app/catalogue/services/{hsds_service}/translation/",
        MANAGERS,
        302,
        {"language": "uk", "name": "Правова допомога"},
    ),
    Route("catalogue:import", "get", "/app/catalogue/import/", MANAGERS, 200),
    # Without a file the form says what is missing: the page was reached.
    Route("catalogue:import", "post", "/app/catalogue/import/", MANAGERS, 422),
]

# The catalogue of professionals: every member of staff searches it and keeps their own entry.
ROUTES += [
    Route("professionals:search", "get", "/app/professionals/?q=mediator", EVERYONE, 200),
    Route("professionals:mine", "get", "/app/professionals/mine/", EVERYONE, 200),
    Route(
        "professionals:mine",
        "post",
        "/app/professionals/mine/",
        EVERYONE,
        302,
        {"roles": ["mediator"], "languages": ["sq"], "listed": "on", "shared": ["languages"]},
    ),
    Route("professionals:remove", "post", "/app/professionals/mine/remove/", EVERYONE, 302),
    Route("professionals:export", "get", "/app/professionals/mine/export.json", EVERYONE, 200),
]

# The service catalogue's open data and its public finder: anyone reads them, every
# organisation's entries alike.
ROUTES += [
    Route("finder:search", "get", "/services/?q=svetovanje", EVERYONE, 200, anonymous=200),
    Route("finder:service", "get", "/services/{hsds_service}/", EVERYONE, 200, anonymous=200),
]
ROUTES += [
    Route(f"hsds:{name}", "get", f"/api/hsds/{path}", EVERYONE, 200, anonymous=200)
    for name, path in HSDS
]

# Referrals: the organisations a referral joins; sending and answering for those who keep
# records, the inbox and outbox for their readers too. {referral} was sent by the scope's
# organisation, {referral_received} sent to it, {draft} is its draft; {receiver} is another
# organisation to refer to. Another scope's are between two other organisations.
REFERRAL = {"receiver": "{receiver}", "reason": "Pravna pomoč", "urgency": "routine", "send": "1"}
ROUTES += [
    Route("referrals:inbox", "get", "/app/referrals/", CASEWORK_READERS, 200),
    Route("referrals:outbox", "get", "/app/referrals/sent/?view=all", CASEWORK_READERS, 200),
    Route("referrals:export", "get", "/app/referrals/export.csv", KEEPERS, 200),
    Route("referrals:create", "get", "/app/referrals/new/{person}/", KEEPERS, 200),
    Route("referrals:create", "post", "/app/referrals/new/{person}/", KEEPERS, 302, REFERRAL),
    Route("referrals:detail", "get", "/app/referrals/{referral}/", CASEWORK_READERS, 200),
    Route("referrals:detail", "get", "/app/referrals/{referral_received}/", CASEWORK_READERS, 200),
    Route("referrals:edit", "get", "/app/referrals/{draft}/edit/", KEEPERS, 200),
    Route("referrals:edit", "post", "/app/referrals/{draft}/edit/", KEEPERS, 302, REFERRAL),
    Route("referrals:letter", "get", "/app/referrals/{referral}/letter.pdf", KEEPERS, 200),
    Route(
        "referrals:transition",
        "post",
        "/app/referrals/{referral_received}/accept/",
        KEEPERS,
        302,
        {"version": "2"},
    ),
    Route(
        "referrals:transition",
        "post",
        "/app/referrals/{referral}/withdraw/",
        KEEPERS,
        302,
        {"version": "2"},
    ),
    Route("referrals:figures", "get", "/app/referrals/figures/", FIGURES, 200),
    Route("referrals:figures_export", "get", "/app/referrals/figures/export.xlsx", FIGURES, 200),
    Route("referrals:notifications", "get", "/app/referrals/notifications/", CASEWORK_READERS, 200),
    Route(
        "referrals:notifications_read",
        "post",
        "/app/referrals/notifications/read/",
        CASEWORK_READERS,
        302,
    ),
    Route("api-referrals", "get", "/api/referrals/?box=outbox", CASEWORK_READERS, 200),
    Route(
        "api-referrals",
        "post",
        "/api/referrals/",
        KEEPERS,
        201,
        {"person": "{person}", "receiver": "{receiver}", "reason": "Pravna pomoč"},
    ),
    Route("api-referral", "get", "/api/referrals/{referral_received}/", CASEWORK_READERS, 200),
    Route(
        "api-referral-send", "post", "/api/referrals/{draft}/send/", KEEPERS, 200, {"version": 1}
    ),
    Route(
        "api-referral-transition",
        "post",
        "/api/referrals/{referral_received}/transitions/",
        KEEPERS,
        200,
        {"action": "accept", "version": 2},
    ),
    Route("api-notifications", "get", "/api/notifications/", CASEWORK_READERS, 200),
    Route("api-referral-figures", "get", "/api/referrals/figures/?months=3", FIGURES, 200),
]

# The organisation in a URL is public (the network's directory); "other" scope is another one.
PUBLIC_OBJECTS = {"api-organisation", "calendar_feed", "finder:service"}
PUBLIC_OBJECTS |= {f"hsds:{name}" for name, _ in HSDS}
# Django's own admin has its own rules (staff only), tested in the audit and accounts tests.
NOT_IN_THE_MATRIX = {"admin"}


def url_names(patterns=None, namespace=None):
    """Every named route of the URLconf, namespaced."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or None
            inner = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_of_the_urlconf_is_in_the_matrix():
    routes = {name for name in url_names() if name.split(":")[0] not in NOT_IN_THE_MATRIX}
    listed = {route.name for route in ROUTES}
    assert routes - listed == set(), "routes missing from the permission matrix"
    assert listed - routes == set(), "the matrix lists routes that do not exist"


REFERRAL_OBJECTS = {"referral", "referral_received", "draft", "receiver"}
PROGRAMME_OBJECTS = {"programme", "enrolment", "activity", "session", "feed", "feed_token"}
CATALOGUE_OBJECTS = {
    "hsds_service",
    "hsds_organization",
    "hsds_service_at_location",
    "hsds_taxonomy",
    "hsds_taxonomy_term",
}


@pytest.fixture
def world(request, make_member, make_org, org_a, org_b, make_person):
    """Org A (the user's own) and org B (another), each with a family, a consent and a finished
    job; and one of B's persons shared with A through an accepted referral. A programme (with a
    participant, an activity, a calendar link) and a plan's goal only for the routes that name
    them: they cost most of the fixture's time."""
    route = getattr(getattr(request.node, "callspec", None), "params", {}).get("route")
    needs = route.placeholders if route else PROGRAMME_OBJECTS | CATALOGUE_OBJECTS | {"goal"}
    keepers = {"own": make_member("caseworker", org_a), "other": make_member("caseworker", org_b)}
    objects = {}
    for scope, keeper in keepers.items():
        person = make_person(keeper, given_name="Amra", family_name=f"Hodžić {scope}")
        household = services.household_create(member=keeper, name=f"Hodžić {scope}")
        services.household_add_member(
            member=keeper, household=household, person=person, relationship="head"
        )
        consent = services.consent_record(
            member=keeper,
            person=person,
            fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
        )
        subject_request = SubjectRequest.objects.create(
            organisation=keeper.organisation, person=person, kind="access", created_by=keeper.user
        )
        objects[scope] = {
            "subject_request": subject_request.pk,
            "person": person.pk,
            "household": household.pk,
            "consent": consent.pk,
            "membership": keeper.pk,
            "organisation": keeper.organisation_id,
        }
        if needs & PROGRAMME_OBJECTS:
            objects[scope].update(programme_objects(make_member, make_person, keeper, scope))
        if "goal" in needs:
            goal = casework.goal_add(member=keeper, person=person, fields={"title": "Stanovanje"})
            objects[scope]["goal"] = goal.pk
        if needs & CATALOGUE_OBJECTS:
            objects[scope].update(catalogue_objects(keeper.organisation, scope))
    if needs & REFERRAL_OBJECTS:
        third = make_member("caseworker", make_org("Občina Koper"))
        for scope, (sender, receiver) in {
            "own": (keepers["own"], keepers["other"]),
            "other": (keepers["other"], third),
        }.items():
            objects[scope].update(referral_objects(sender, receiver, make_person))
    shared = make_person(keepers["other"], given_name="Fatima", family_name="Al-Hassan")
    consent = services.consent_record(
        member=keepers["other"],
        person=shared,
        fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
    )
    services.access_grant_create(
        member=keepers["other"],
        person=shared,
        organisation=org_a,
        fields=["phone"],
        reason="referral",
        consent=consent,
    )
    objects["granted"] = {**objects["other"], "person": shared.pk, "consent": consent.pk}
    objects["keepers"] = keepers
    return objects


def referral_objects(sender, receiver, make_person):
    """A referral the sender's organisation sent, one it received, and a draft of its own."""

    def referral(member, to, send=True):
        person = make_person(member, given_name="Emir", family_name="Kovačević")
        services.consent_record(
            member=member,
            person=person,
            fields={"purpose": "sharing", "given_on": datetime.date.today(), "evidence": "signed"},
        )
        data = {"receiver": to.organisation, "reason": "Pravna pomoč"}
        return referrals.referral_create(member=member, person=person, data=data, send=send).pk

    return {
        "referral": referral(sender, receiver),
        "referral_received": referral(receiver, sender),
        "draft": referral(sender, receiver, send=False),
        "receiver": receiver.organisation_id,
    }


def programme_objects(make_member, make_person, keeper, scope):
    coordinator = make_member("coordinator", keeper.organisation)
    programme = programmes.programme_create(
        member=coordinator,
        fields={"name": f"Programme {scope}", "starts_on": datetime.date.today()},
        phases=[("Part one", 4), ("Part two", 4)],
    )
    participant = make_person(keeper, given_name="Lejla", family_name=f"Begić {scope}")
    (enrolment,) = programmes.enrol(member=keeper, programme=programme, persons=[participant])
    activity = activities.activity_create(
        member=coordinator,
        programme=programme,
        fields={"kind": "group", "title": "Skupina", "place": "Dnevni center"},
        plan={
            "first_day": datetime.date.today(),
            "starts": datetime.time(0, 1),
            "ends": datetime.time(1),
        },
    )
    feed = activities.feed_create(member=coordinator, programme=programme)
    return {
        "activity": activity.pk,
        "session": activity.sessions.get().pk,
        "feed": feed.pk,
        "feed_token": feed.token,
        "programme": programme.pk,
        "enrolment": enrolment.pk,
    }


def catalogue_objects(organisation, scope):
    organization = catalogue.Organization.objects.create(
        name=f"Društvo {scope}", description="Nevladna organizacija.", owner=organisation
    )
    service = catalogue.Service.objects.create(
        organization=organization, name=f"Svetovanje {scope}", status="active"
    )
    location = catalogue.Location.objects.create(
        organization=organization, location_type="physical", name=f"Center {scope}"
    )
    taxonomy = catalogue.Taxonomy.objects.create(name=f"Most {scope}", description="Vrste.")
    term = catalogue.TaxonomyTerm.objects.create(
        name="Pravna pomoč", description="Pravna pomoč.", taxonomy_detail=taxonomy
    )
    return {
        "hsds_service": service.pk,
        "hsds_organization": organization.pk,
        "hsds_service_at_location": catalogue.ServiceAtLocation.objects.create(
            service=service, location=location
        ).pk,
        "hsds_taxonomy": taxonomy.pk,
        "hsds_taxonomy_term": term.pk,
    }


def finished_job(member, tmp_path):
    job = Job.objects.create(
        kind="test", title="Export", organisation=member.organisation, requested_by=member.user
    )
    path = Path(tmp_path) / "export.csv"
    path.write_text("id\n")
    Progress(job).finished(path, "export.csv", "text/csv")
    return job.pk


def fill(template, ids):
    if isinstance(template, dict):
        return {fill(key, ids): fill(value, ids) for key, value in template.items()}
    return template.format(**ids) if isinstance(template, str) else template


def cases():
    return [
        pytest.param(route, role, scope, id=f"{route.name}-{route.method}-{role}-{scope}")
        for route in ROUTES
        for role in ROLES
        for scope in route.scopes
    ]


def expected(route, role, scope):
    if scope == "own" or (scope == "other" and route.name in PUBLIC_OBJECTS):
        allowed = role in route.allowed
    elif scope == "granted":
        allowed = role in route.granted
    else:
        allowed = False
    return route.ok if allowed else 404


def request(client, route, ids, **headers):
    return getattr(client, route.method)(
        fill(route.url, ids),
        fill(route.data, ids),
        content_type="application/json" if route.is_api else "application/x-www-form-urlencoded",
        **headers,
    )


@pytest.mark.parametrize(("route", "role", "scope"), cases())
def test_routes(client, make_member, org_a, world, tmp_path, route, role, scope):
    member = make_member(role, org_a)
    ids = dict(world[scope])
    ids["job"] = finished_job(member if scope == "own" else world["keepers"]["other"], tmp_path)
    if route.method != "get" and not route.is_api:
        data = fill(route.data, ids)
        client.force_login(member.user)
        response = getattr(client, route.method)(fill(route.url, ids), data)
    elif route.is_api:
        token = Token.objects.create(user=member.user)
        response = request(client, route, ids, HTTP_AUTHORIZATION=f"Token {token.key}")
    else:
        client.force_login(member.user)
        response = client.get(fill(route.url, ids))
    assert response.status_code == expected(route, role, scope), response.content[:500]


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.name}-{route.method}")
def test_routes_without_login(client, world, route):
    ids = {**world["own"], "job": 1}
    if route.is_api:
        response = request(client, route, ids)
    else:
        response = getattr(client, route.method)(fill(route.url, ids), fill(route.data, ids))
    if route.anonymous is not None:
        assert response.status_code == route.anonymous
    elif route.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/app/login/")


@pytest.mark.parametrize("role", sorted(READERS))
def test_lists_and_search_never_show_another_organisations_persons(
    client, make_member, org_a, world, role
):
    member = make_member(role, org_a)
    client.force_login(member.user)
    for url in ["/app/persons/", "/app/persons/?q=Hodzic", "/app/persons/households/?q=amra"]:
        page = client.get(url).content.decode()
        assert "Hodžić own" in page and "Hodžić other" not in page
        assert "Al-Hassan" not in page  # shared with A, but not A's caseload
    if role in KEEPERS:
        export = b"".join(client.get("/app/persons/export.csv").streaming_content).decode()
        assert "Hodžić own" in export and "Hodžić other" not in export
    token = Token.objects.create(user=member.user)
    data = client.get("/api/persons/?q=amra", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [p["family_name"] for p in data["results"]] == ["Hodžić own"]
