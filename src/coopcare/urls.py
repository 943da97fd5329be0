from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from django.views.i18n import set_language

from coopcare import monitoring
from coopcare.api import api
from coopcare.api_errors import API_PATH, is_api_request, json_error
from coopcare.cooperatives import views as cooperative_views
from coopcare.impact import views as impact_views
from coopcare.push import views as push_views
from coopcare.rostering.urls import calendar_urls

urlpatterns = [
    path("", cooperative_views.home, name="home"),
    path("sw.js", push_views.service_worker, name="service_worker"),
    path("health/", monitoring.health, name="health"),
    path("metrics", monitoring.metrics, name="metrics"),
    path("accounts/notifications/", include("coopcare.push.urls")),
    path("accounts/", include("coopcare.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path(API_PATH.lstrip("/"), api.urls),
    path("f/<slug:federation>/", impact_views.federation, name="federation"),
    path(
        "f/<slug:federation>/figures.<slug:kind>",
        impact_views.federation_export,
        name="federation_export",
    ),
    path("c/<slug:coop>/", include("coopcare.cooperatives.urls")),
    path("c/<slug:coop>/", include("coopcare.members.urls")),
    path("c/<slug:coop>/", include("coopcare.care.urls")),
    path("c/<slug:coop>/", include("coopcare.visits.urls")),
    path("c/<slug:coop>/", include("coopcare.governance.urls")),
    path("c/<slug:coop>/", include("coopcare.work.urls")),
    path("c/<slug:coop>/", include("coopcare.rostering.urls")),
    path("c/<slug:coop>/", include("coopcare.impact.urls")),
    path("c/<slug:coop>/", include("coopcare.documents.urls")),
    path("c/<slug:coop>/", include("coopcare.medication.urls")),
    path("c/<slug:coop>/", include("coopcare.imports.urls")),
    path("c/<slug:coop>/", include("coopcare.risks.urls")),
    path("c/<slug:coop>/", include("coopcare.respite.urls")),
    path("c/<slug:coop>/", include("coopcare.household.urls")),
    path("c/<slug:coop>/", include("coopcare.billing.urls")),
    path("c/<slug:coop>/", include("coopcare.bodymap.urls")),
    path("c/<slug:coop>/", include("coopcare.voice.urls")),
    path("c/<slug:coop>/", include("coopcare.privacy.urls")),
    path("c/<slug:coop>/", include("coopcare.conversations.urls")),
    path("c/<slug:coop>/", include("coopcare.retention.urls")),
    path("c/<slug:coop>/", include("coopcare.childcare.urls")),
    path("c/<slug:coop>/", include("coopcare.timecredits.urls")),
    path("", include((calendar_urls, "calendar"))),
]


def page_not_found(request, exception):
    """Django's 404 page, or the API's JSON error for an address under /api/."""
    if is_api_request(request):
        return json_error(404, "not_found", "Not Found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Django's 500 page, or the API's JSON error (never a traceback) under /api/."""
    if is_api_request(request):
        return json_error(500, "server_error", "Something went wrong on our side.")
    return defaults.server_error(request)


handler404 = page_not_found
handler500 = server_error
