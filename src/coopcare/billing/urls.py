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
urlpatterns += [
    path("billing/invoices/", views.invoices, name="invoices"),
    path("billing/invoices/<int:invoice_id>/", views.invoice, name="invoice"),
    path("billing/invoices/<int:invoice_id>/issue/", views.issue_invoice, name="issue"),
    path("billing/invoices/<int:invoice_id>/delete/", views.delete_invoice, name="delete"),
    path("billing/invoices/<int:invoice_id>/credit/", views.credit_invoice, name="credit"),
    path("billing/invoices/<int:invoice_id>/invoice.pdf", views.invoice_pdf, name="invoice_pdf"),
    path(
        "billing/invoices/<int:invoice_id>/einvoice.xml",
        views.invoice_einvoice,
        name="invoice_einvoice",
    ),
    path("billing/journal.csv", views.journal, name="journal"),
    path("billing/invoicing-details/", views.invoicing_details, name="invoicing_details"),
]
