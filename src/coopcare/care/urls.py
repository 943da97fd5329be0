from django.urls import path

from coopcare.care import views

app_name = "care"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.admit, name="admit"),
    path("people/generate-visits/", views.generate, name="generate"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/plan/", views.new_plan, name="new_plan"),
    path("people/<int:person_id>/export.json", views.export_json, name="export"),
    path("people/<int:person_id>/export.zip", views.export_bundle, name="export_bundle"),
    path("people/<int:person_id>/edit/", views.edit, name="edit"),
    path("people/<int:person_id>/door/", views.door, name="door"),
    path("people/<int:person_id>/sign/plan/<int:version>/", views.sign_plan, name="sign_plan"),
    path(
        "people/<int:person_id>/sign/consent/<slug:kind>/",
        views.sign_consent,
        name="sign_consent",
    ),
    # Before the generic action path, which would otherwise take "confirmation-code".
    path("people/<int:person_id>/confirmation-code/", views.renew_code, name="renew_code"),
    path("people/<int:person_id>/<slug:action>/", views.act, name="act"),
    path("circle/<int:person_id>/", views.circle, name="circle"),
    path("circle/<int:person_id>/carers/", views.choose_carer, name="choose_carer"),
]
