from django.urls import path

from . import activity_views, views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("check/", views.programme_check, name="check"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/rules/", views.programme_rules, name="rules"),
    path("<int:pk>/rules/remove/", views.programme_rule_remove, name="rule_remove"),
    path("<int:pk>/eligible/", views.programme_eligible, name="eligible"),
    path("<int:pk>/enrol/", views.programme_enrol, name="enrol"),
    path("<int:pk>/enrol/household/", views.programme_enrol_household, name="enrol_household"),
    path("enrolments/<int:pk>/move/", views.enrolment_move, name="enrolment_move"),
    path("<int:pk>/activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity"),
    path("sessions/<int:pk>/cancel/", activity_views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", activity_views.attendance, name="attendance"),
    path("<int:pk>/calendar/", activity_views.programme_calendar, name="calendar"),
    path("persons/<int:pk>/calendar/", activity_views.person_calendar, name="person_calendar"),
    path("my-calendar/", activity_views.my_calendar, name="my_calendar"),
    path(
        "<int:pk>/calendar/links/",
        activity_views.programme_feed_create,
        name="programme_feed_create",
    ),
    path("my-calendar/links/", activity_views.my_feed_create, name="my_feed_create"),
    path("calendar-links/<int:pk>/revoke/", activity_views.feed_revoke, name="feed_revoke"),
]
