from django.urls import path

from . import api

urlpatterns = [
    path("jobs/<int:pk>/", api.JobDetailApi.as_view(), name="api-job"),
    path("jobs/<int:pk>/download/", api.JobDownloadApi.as_view(), name="api-job-download"),
]
