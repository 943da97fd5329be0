from django.urls import path

from coopcare.visits import views

app_name = "visits"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/manifest.webmanifest", views.manifest, name="manifest"),
    path("visits/follow-up/", views.follow_up, name="follow_up"),
    path("visits/late/", views.late, name="late"),
    path("visits/<int:visit_id>/check-in/", views.check_in, name="check_in"),
    path("visits/<int:visit_id>/check-out/", views.check_out, name="check_out"),
    path("visits/<int:visit_id>/incident/", views.incident, name="incident"),
    path("visits/<int:visit_id>/missed/", views.missed, name="missed"),
    path("visits/<int:visit_id>/change/", views.change, name="change"),
    path("people/<int:person_id>/visits/new/", views.add, name="add"),
    path("visits/<int:visit_id>/handover/", views.handover_at_visit, name="handover_at_visit"),
    path(
        "people/<int:person_id>/handover/new/", views.handover_on_person, name="handover_on_person"
    ),
    path("handover/<int:note_id>/read/", views.acknowledge_handover, name="acknowledge_handover"),
    path("handover/<int:note_id>/retire/", views.retire_handover, name="retire_handover"),
    path("circle/<int:person_id>/requests/", views.person_requests, name="person_requests"),
    path("visits/requests/", views.requests_waiting, name="requests_waiting"),
    path(
        "visits/requests/<int:visit_request_id>/accept/",
        views.accept_request,
        name="accept_request",
    ),
    path(
        "visits/requests/<int:visit_request_id>/refuse/",
        views.refuse_request,
        name="refuse_request",
    ),
    path("records/confirm/", views.confirm_many, name="confirm_many"),
    path("records/<int:record_id>/confirm/", views.confirm_by_phone, name="confirm"),
    path("records/<int:record_id>/reason/", views.explain_record, name="explain_record"),
    path("records/<int:record_id>/accept/", views.accept_record, name="accept_record"),
    path("incidents/<int:incident_id>/close/", views.close_incident, name="close_incident"),
]
