from django.urls import path

from . import api

urlpatterns = [
    path("persons/<int:pk>/casework/", api.CaseworkApi.as_view(), name="api-casework"),
    path("persons/<int:pk>/assessments/", api.AssessmentApi.as_view(), name="api-assessments"),
    path("persons/<int:pk>/goals/", api.GoalApi.as_view(), name="api-goals"),
    path("persons/<int:pk>/counselling/", api.CounsellingApi.as_view(), name="api-counselling"),
    path("persons/<int:pk>/psychosocial/", api.PsychosocialApi.as_view(), name="api-psychosocial"),
    path("persons/<int:pk>/outcomes/", api.OutcomeApi.as_view(), name="api-outcomes"),
]
