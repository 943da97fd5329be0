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
    path("members/<int:member_id>/<slug:action>/", views.act, name="act"),
    path("shares/", views.ledger, name="ledger"),
    path("classes/", views.classes, name="classes"),
]
