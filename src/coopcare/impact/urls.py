from django.urls import path

from coopcare.impact import views

app_name = "impact"
urlpatterns = [
    path("impact/", views.indicators, name="indicators"),
    path("impact/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("impact/definitions/", views.definitions, name="definitions"),
    path("impact/report/", views.report, name="report_now"),
    path("impact/report/<int:year>/", views.report, name="report"),
    path("impact/report/<int:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("impact/report/<int:year>/tables.xlsx", views.report_xlsx, name="report_xlsx"),
    path("impact/report/<int:year>/<slug:table>.csv", views.report_csv, name="report_csv"),
]
