from django.urls import path

from coopcare.medication import views

app_name = "medication"
urlpatterns = [
    path("medication/", views.index, name="index"),
    path("medication/people/<int:person_id>/", views.person, name="person"),
    path("medication/people/<int:person_id>/chart/", views.chart, name="chart"),
    path("medication/people/<int:person_id>/chart.pdf", views.chart_pdf, name="chart_pdf"),
    path("medication/medicines/<int:medicine_id>/", views.medicine, name="medicine"),
    path(
        "medication/medicines/<int:medicine_id>/stock/track/",
        views.track_stock,
        name="track_stock",
    ),
    path(
        "medication/medicines/<int:medicine_id>/stock/receive/",
        views.receive_stock,
        name="receive_stock",
    ),
    path(
        "medication/medicines/<int:medicine_id>/stock/count/",
        views.count_stock,
        name="count_stock",
    ),
    path("medication/visits/<int:visit_id>/", views.visit, name="visit"),
]
