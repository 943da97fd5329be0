from django.urls import path

from coopcare.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.kinds, name="kinds"),
    path("imports/<slug:kind>/", views.upload, name="upload"),
    path("imports/<slug:kind>/run/", views.run, name="run"),
    # One path per format: the format is not a parameter that could name anything else.
    path("imports/<slug:kind>/template.csv", views.template, {"file_format": "csv"}, name="csv"),
    path("imports/<slug:kind>/template.xlsx", views.template, {"file_format": "xlsx"}, name="xlsx"),
]
