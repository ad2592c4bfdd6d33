from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from most import views
from most.info import views as info_views
from most.programmes import activity_views

api_patterns = [
    path("", include("most.accounts.api_urls")),
    path("", include("most.people.api_urls")),
    path("", include("most.privacy.api_urls")),
    path("", include("most.jobs.api_urls")),
    path("", include("most.programmes.api_urls")),
    path("", include("most.casework.api_urls")),
    path("", include("most.referrals.api_urls")),
    path("hsds/", include("most.directory.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]

app_patterns = [
    path("", include("most.workspace.urls")),
    path("", include("most.accounts.urls")),
    path("persons/", include("most.people.urls")),
    path("programmes/", include("most.programmes.urls")),
    path("casework/", include("most.casework.urls")),
    path("referrals/", include("most.referrals.urls")),
    path("catalogue/", include("most.directory.staff_urls")),
    path("professionals/", include("most.directory.professional_urls")),
    path("reports/", include("most.reports.urls")),
    path("audit/", include("most.audit.urls")),
    path("privacy/", include("most.privacy.urls")),
    path("jobs/", include("most.jobs.urls")),
]

urlpatterns = [
    path("", info_views.home, name="home"),
    path("services/", include("most.directory.urls")),
    path("app/", include(app_patterns)),
    path("api/", include(api_patterns)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("calendar/<str:token>.ics", activity_views.feed, name="calendar_feed"),
]

handler404 = "most.api.not_found"

admin.site.site_header = admin.site.site_title = settings.SITE_NAME
