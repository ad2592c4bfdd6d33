from django.urls import path

from . import api

urlpatterns = [
    path("persons/<int:pk>/export/", api.PersonExportApi.as_view(), name="api-person-export"),
    path("persons/<int:pk>/erasure/", api.PersonErasureApi.as_view(), name="api-person-erasure"),
]
