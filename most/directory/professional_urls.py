from django.urls import path

from . import professional_views as views

app_name = "professionals"

urlpatterns = [
    path("", views.professional_search, name="search"),
    path("mine/", views.professional_mine, name="mine"),
    path("mine/remove/", views.professional_remove, name="remove"),
    path("mine/export.json", views.professional_export, name="export"),
]
