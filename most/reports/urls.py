from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<int:pk>/", views.programme_dashboard, name="programme"),
    path("programmes/<int:pk>/figures.csv", views.programme_export_csv, name="programme_csv"),
    path("programmes/<int:pk>/figures.xlsx", views.programme_export_xlsx, name="programme_xlsx"),
]
