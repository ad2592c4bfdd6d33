from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("records/", views.records, name="records"),
    path("persons/<int:pk>/", views.person, name="person"),
    path("persons/<int:pk>/requests/", views.request_new, name="request_new"),
    path("persons/<int:pk>/export/", views.export, name="export"),
    path("persons/<int:pk>/erase/", views.erase, name="erase"),
    path("persons/<int:pk>/restrict/", views.restrict, name="restrict"),
    path("persons/<int:pk>/restrict/lift/", views.restriction_lift, name="restriction_lift"),
    path("persons/<int:pk>/hold/", views.hold, name="hold"),
    path("persons/<int:pk>/hold/lift/", views.hold_lift, name="hold_lift"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("requests/<int:pk>/extend/", views.request_extend, name="request_extend"),
]
