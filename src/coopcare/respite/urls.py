from django.urls import path

from coopcare.respite import views

app_name = "respite"
urlpatterns = [
    path("caregivers/", views.caregivers, name="caregivers"),
    path("caregivers/new/", views.new_caregiver, name="new_caregiver"),
    path("caregivers/<int:caregiver_id>/", views.caregiver, name="caregiver"),
    path("caregivers/<int:caregiver_id>/plans/", views.support_plan, name="support_plan"),
    path("caregivers/<int:caregiver_id>/end/", views.end_support, name="end_support"),
    path("caregivers/gatherings/", views.gatherings, name="gatherings"),
    path("caregivers/gatherings/<int:gathering_id>/", views.gathering, name="gathering"),
    path("caregivers/gatherings/<int:gathering_id>/enrol/", views.enrol, name="enrol"),
    path(
        "caregivers/gatherings/<int:gathering_id>/attendance/",
        views.attendance,
        name="attendance",
    ),
]
