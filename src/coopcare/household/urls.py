from django.urls import path

from coopcare.household import views

app_name = "household"
urlpatterns = [
    path("households/", views.households, name="households"),
    path("households/<int:employer_id>/", views.employer, name="employer"),
    path("households/<int:employer_id>/contracts/", views.new_contract, name="new_contract"),
    path(
        "households/contracts/<int:household_contract_id>/end/",
        views.end_contract,
        name="end_contract",
    ),
    path(
        "households/contracts/<int:household_contract_id>/payslips/",
        views.make_payslip,
        name="make_payslip",
    ),
    path(
        "households/payslips/<int:household_payslip_id>/pdf/",
        views.payslip_pdf,
        name="payslip_pdf",
    ),
]
