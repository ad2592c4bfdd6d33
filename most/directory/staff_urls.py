from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_home, name="home"),
    path("services/new/", views.service_create, name="create"),
    path("services/<str:pk>/", views.service_edit, name="edit"),
    path("services/<str:pk>/checked/", views.service_confirm, name="confirm"),
    path("services/<str:pk>/translation/", views.service_translate, name="translate"),
    path("import/", views.catalogue_import, name="import"),
]
