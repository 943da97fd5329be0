from django.urls import path

from coopcare.medication import views

app_name = "medication"
urlpatterns = [
    path("medication/", views.index, name="index"),
    path("medication/people/<int:person_id>/", views.person, name="person"),
    path("medication/people/<int:person_id>/chart/", views.chart, name="chart"),
    path("medication/people/<int:person_id>/chart.pdf", views.chart_pdf, name="chart_pdf"),
    path("medication/medicines/<int:medicine_id>/", views.medicine, name="medicine"),
    path("medication/visits/<int:visit_id>/", views.visit, name="visit"),
]
