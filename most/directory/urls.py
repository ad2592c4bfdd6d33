from django.urls import path

from . import public_views

app_name = "finder"

urlpatterns = [
    path("", public_views.finder_page, name="search"),
    path("<str:pk>/", public_views.service_page, name="service"),
]
