from django.urls import path

from coopcare.billing import views

app_name = "billing"
urlpatterns = [
    path("billing/payers/", views.payers, name="payers"),
    path("billing/payers/<int:payer_id>/", views.payer, name="payer"),
    path("billing/tariffs/", views.tariffs, name="tariffs"),
    path("billing/tariffs/<int:tariff_id>/", views.tariff, name="tariff"),
    path("billing/people/<int:person_id>/", views.person_agreements, name="person"),
    path("billing/budgets/", views.budgets, name="budgets"),
]
