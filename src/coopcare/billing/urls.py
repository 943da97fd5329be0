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
    path(
        "billing/invoices/<int:invoice_id>/payments/",
        views.invoice_payments,
        name="invoice_payments",
    ),
    path(
        "billing/invoices/<int:invoice_id>/payments/<int:payment_id>/withdraw/",
        views.withdraw_payment,
        name="withdraw_payment",
    ),
    path("billing/receivables/", views.receivables, name="receivables"),
    path("billing/payers/<int:payer_id>/account/", views.payer_account, name="payer_account"),
    path("billing/mine/", views.family_statement, name="mine"),
    path("billing/mine/<int:invoice_id>/pdf/", views.family_document, name="mine_pdf"),
]
