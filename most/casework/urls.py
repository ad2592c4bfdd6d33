from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("persons/<int:pk>/", views.person_casework, name="person"),
    path("persons/<int:pk>/assessments/new/", views.assessment_add, name="assessment_add"),
    path("persons/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("persons/<int:pk>/counselling/new/", views.counselling_add, name="counselling_add"),
    path("persons/<int:pk>/psychosocial/new/", views.psychosocial_add, name="psychosocial_add"),
    path("persons/<int:pk>/outcomes/new/", views.outcome_add, name="outcome_add"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
    path("goals/<int:pk>/actions/", views.goal_action_add, name="goal_action_add"),
]
