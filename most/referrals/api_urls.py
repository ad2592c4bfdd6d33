from django.urls import path

from . import api

urlpatterns = [
    path("referrals/", api.ReferralListApi.as_view(), name="api-referrals"),
    path("referrals/figures/", api.FiguresApi.as_view(), name="api-referral-figures"),
    path("referrals/<int:pk>/", api.ReferralApi.as_view(), name="api-referral"),
    path("referrals/<int:pk>/send/", api.SendApi.as_view(), name="api-referral-send"),
    path(
        "referrals/<int:pk>/transitions/",
        api.TransitionApi.as_view(),
        name="api-referral-transition",
    ),
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
]
