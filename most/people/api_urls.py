from django.urls import path

from . import api

urlpatterns = [
    path("persons/", api.PersonListApi.as_view(), name="api-persons"),
    path("persons/<int:pk>/", api.PersonDetailApi.as_view(), name="api-person"),
    path("persons/<int:pk>/consents/", api.ConsentListApi.as_view(), name="api-consents"),
    path("persons/<int:pk>/situations/", api.SituationListApi.as_view(), name="api-situations"),
    path("persons/<int:pk>/timeline/", api.TimelineApi.as_view(), name="api-timeline"),
    path(
        "consents/<int:pk>/withdraw/", api.ConsentWithdrawApi.as_view(), name="api-consent-withdraw"
    ),
    path("households/", api.HouseholdListApi.as_view(), name="api-households"),
    path("households/<int:pk>/", api.HouseholdDetailApi.as_view(), name="api-household"),
    path(
        "households/<int:pk>/members/",
        api.HouseholdMemberApi.as_view(),
        name="api-household-members",
    ),
    path(
        "households/<int:pk>/members/<int:person_pk>/",
        api.HouseholdMemberRemoveApi.as_view(),
        name="api-household-member",
    ),
]
