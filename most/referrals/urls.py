from django.urls import path

from . import letter_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("sent/", views.outbox, name="outbox"),
    path("export.csv", views.export, name="export"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/export.<str:kind>", views.figures_export, name="figures_export"),
    path("new/<int:person>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/letter.pdf", letter_views.letter, name="letter"),
    path("<int:pk>/<str:action>/", views.transition, name="transition"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
