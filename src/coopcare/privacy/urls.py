from django.urls import path

from coopcare.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/requests/", views.requests, name="requests"),
    path("privacy/requests/new/", views.receive, name="receive"),
    path("privacy/requests/<int:rights_request_id>/", views.rights_request, name="request"),
    path("privacy/requests/<int:rights_request_id>/extend/", views.extend, name="extend"),
    path("privacy/requests/<int:rights_request_id>/answer/", views.answer, name="answer"),
    path("privacy/requests/<int:rights_request_id>/export.json", views.export, name="export"),
    path("privacy/people/<int:person_id>/", views.person, name="person"),
    path("privacy/people/<int:person_id>/lift/", views.lift, name="lift"),
    path("privacy/circle/<int:person_id>/", views.circle, name="circle"),
    path("privacy/children/<int:child_id>/", views.child, name="child"),
    path("privacy/processing/", views.processing_page, name="processing"),
    path("privacy/processing.csv", views.processing_csv, name="processing_csv"),
    path("privacy/processing.json", views.processing_json, name="processing_json"),
    path("privacy/breaches/", views.breaches, name="breaches"),
    path("privacy/breaches/new/", views.record_breach, name="record_breach"),
    path("privacy/breaches/<int:breach_id>/", views.breach, name="breach"),
    path("privacy/breaches/<int:breach_id>/authority/", views.notify_authority, name="authority"),
    path("privacy/breaches/<int:breach_id>/people-told/", views.tell_people, name="people_told"),
    path("privacy/unusual-reads/", views.unusual, name="unusual"),
]
