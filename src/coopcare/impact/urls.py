from django.urls import path

from coopcare.impact import views

app_name = "impact"
urlpatterns = [
    path("impact/", views.indicators, name="indicators"),
    path("impact/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("impact/definitions/", views.definitions, name="definitions"),
]
