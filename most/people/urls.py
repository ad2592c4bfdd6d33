from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("export.csv", views.person_export, name="export"),
    path("export.xlsx", views.person_export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/history/", views.person_history, name="history"),
    path("<int:pk>/timeline/", views.person_timeline, name="timeline"),
    path("<int:pk>/consents/", views.consent_add, name="consent_add"),
    path("<int:pk>/situations/", views.situation_add, name="situation_add"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path(
        "households/<int:pk>/candidates/", views.household_candidates, name="household_candidates"
    ),
    path("households/<int:pk>/members/", views.household_member_add, name="household_member_add"),
    path(
        "households/<int:pk>/members/<int:person_pk>/relationship/",
        views.household_member_change,
        name="household_member_change",
    ),
    path(
        "households/<int:pk>/members/<int:person_pk>/remove/",
        views.household_member_remove,
        name="household_member_remove",
    ),
]
