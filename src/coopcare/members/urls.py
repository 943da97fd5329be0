from django.urls import path

from coopcare.members import views

app_name = "members"
urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/privacy/", views.join_privacy, name="join_privacy"),
    path("members/", views.register, name="register"),
    path("members/apply/", views.apply, name="apply"),
    path("members/me/", views.me, name="me"),
    path("members/<int:member_id>/", views.detail, name="detail"),
    path("members/<int:member_id>/certificate.pdf", views.certificate, name="certificate"),
    path("members/<int:member_id>/<slug:action>/", views.act, name="act"),
    path("shares/", views.ledger, name="ledger"),
    path("shares/collections/", views.collections, name="collections"),
    path("shares/collections/<int:collection_id>/", views.collection, name="collection"),
    path(
        "shares/collections/<int:collection_id>/pain008.xml",
        views.collection_file,
        name="collection_file",
    ),
    path(
        "shares/collections/<int:collection_id>/debits/<int:debit_id>/return/",
        views.return_debit,
        name="return_debit",
    ),
    path("classes/", views.classes, name="classes"),
]
