from django.urls import path

from . import api

urlpatterns = [
    path("programmes/", api.ProgrammeListApi.as_view(), name="api-programmes"),
    path("programmes/<int:pk>/", api.ProgrammeDetailApi.as_view(), name="api-programme"),
    path("programmes/<int:pk>/eligible/", api.EligibleApi.as_view(), name="api-eligible"),
    path(
        "programmes/<int:pk>/eligibility/<int:person_pk>/",
        api.EligibilityApi.as_view(),
        name="api-eligibility",
    ),
    path("programmes/<int:pk>/enrolments/", api.EnrolmentListApi.as_view(), name="api-enrolments"),
    path("enrolments/<int:pk>/move/", api.EnrolmentMoveApi.as_view(), name="api-enrolment-move"),
    path("programmes/<int:pk>/activities/", api.ActivityListApi.as_view(), name="api-activities"),
    path("activities/<int:pk>/", api.ActivityDetailApi.as_view(), name="api-activity"),
    path("sessions/<int:pk>/attendance/", api.AttendanceApi.as_view(), name="api-attendance"),
]
