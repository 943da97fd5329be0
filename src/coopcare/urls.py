from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from coopcare.api import api
from coopcare.cooperatives import views as cooperative_views
from coopcare.impact import views as impact_views
from coopcare.rostering.urls import calendar_urls

urlpatterns = [
    path("", cooperative_views.home, name="home"),
    path("accounts/", include("coopcare.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
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
    path("", include((calendar_urls, "calendar"))),
]
