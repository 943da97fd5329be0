"""Billing pages: payers, tariffs and their versions, a person's agreements, the hours
budgets of a period with the budget policy, an invoice's payments, what payers owe and their
accounts. Coordinators change them; the board reads them. A family that pays sees its own
invoices and payments."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from coopcare.billing import access, forms, payments, pdf, queries, services
from coopcare.billing.models import Invoice, InvoiceKind, InvoiceStatus, Payer
from coopcare.bounds import DayField
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.localise import money
from coopcare.pages import submit
from coopcare.visits.zones import on_cooperative_clock

READERS = (Role.COORDINATOR, Role.BOARD)


def _coordinator_only(request) -> None:
    """Only a coordinator changes billing; the board reads it."""
    if Role.COORDINATOR not in request.roles:
        raise PermissionDenied


@cooperative_view(*READERS)
def payers(request):
    """The cooperative's payers; a coordinator adds one."""
    cooperative = request.cooperative
    form = forms.PayerForm(cooperative)
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            _coordinator_only(request)
        form = forms.PayerForm(cooperative, request.POST)
        if submit(
            request,
            form,
            lambda data: services.add_payer(cooperative, data),
            lambda payer: _("%(name)s was added.") % {"name": payer.name},
        ):
            return redirect("billing:payers", cooperative.slug)
    context = {
        "payers": queries.payers(cooperative),
        "form": form if Role.COORDINATOR in request.roles else None,
    }
    return render(request, "billing/payers.html", context, status=400 if form.is_bound else 200)


@cooperative_view(Role.COORDINATOR)
def payer(request, payer_id: int):
    """A payer's details, changed."""
    cooperative = request.cooperative
    subject = get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=payer_id)
    form = forms.PayerForm(cooperative, instance=subject)
    if request.method == "POST":
        form = forms.PayerForm(cooperative, request.POST, instance=subject)
        if submit(
            request,
            form,
            lambda data: services.change_payer(subject, data),
            _("The payer's details were saved."),
        ):
            return redirect("billing:payers", cooperative.slug)
    return render(
        request,
        "billing/payer.html",
        {"payer": subject, "form": form},
        status=400 if form.is_bound else 200,
    )


@cooperative_view(*READERS)
def tariffs(request):
    """The cooperative's tariffs with every version; a coordinator adds one."""
    cooperative = request.cooperative
    tariff_form = forms.TariffForm(prefix="tariff")
    version_form = forms.VersionForm(prefix="prices")
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            _coordinator_only(request)
        tariff_form = forms.TariffForm(request.POST, prefix="tariff")
        version_form = forms.VersionForm(request.POST, prefix="prices")
        if version_form.is_valid() and submit(
            request,
            tariff_form,
            lambda data: services.add_tariff(
                cooperative, data, version_form.cleaned_data, by=request.user
            ),
            lambda tariff: _("The tariff %(name)s was added.") % {"name": tariff.name},
        ):
            return redirect("billing:tariffs", cooperative.slug)
        tariff_form.is_valid()
    is_coordinator = Role.COORDINATOR in request.roles
    context = {
        "tariffs": queries.tariffs(cooperative),
        "tariff_form": tariff_form if is_coordinator else None,
        "version_form": version_form if is_coordinator else None,
    }
    return render(
        request, "billing/tariffs.html", context, status=400 if tariff_form.is_bound else 200
    )


@cooperative_view(*READERS)
def tariff(request, tariff_id: int):
    """A tariff's versions; a coordinator adopts new prices from a date."""
    cooperative = request.cooperative
    subject = get_object_or_404(queries.tariffs(cooperative), pk=tariff_id)
    form = forms.VersionForm()
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            _coordinator_only(request)
        form = forms.VersionForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.adopt_tariff_version(subject, data, by=request.user),
            _("The new prices were recorded."),
        ):
            return redirect("billing:tariff", cooperative.slug, subject.pk)
    context = {
        "tariff": subject,
        "form": form if Role.COORDINATOR in request.roles else None,
    }
    return render(request, "billing/tariff.html", context, status=400 if form.is_bound else 200)


@cooperative_view(*READERS)
def person_agreements(request, person_id: int):
    """Who pays for a person's care: every version of each payer's agreement, the versions in
    force today, and (for a coordinator) a new version (a read of their record, logged)."""
    cooperative = request.cooperative
    person = get_object_or_404(cooperative.people_cared_for, pk=person_id)
    form = forms.AgreementForm(cooperative)
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            _coordinator_only(request)
        form = forms.AgreementForm(cooperative, request.POST)
        if submit(
            request,
            form,
            lambda data: services.agree(
                person,
                data["payer"],
                data,
                tariffs=list(data["tariffs"]),
                co_payer=data["co_payer"],
                bands=data["bands"],
                budgets=data["budgets"],
                by=request.user,
            ),
            lambda agreement: (
                _("Version %(version)s of the agreement was recorded.")
                % {"version": agreement.version}
            ),
        ):
            return redirect("billing:person", cooperative.slug, person.pk)
    access.log_read(request.user, person)
    versions = list(queries.agreements(cooperative, person.pk))
    context = {
        "person": person,
        "versions": versions,
        "in_force": queries.in_force(versions, timezone.localdate()),
        "form": form if Role.COORDINATOR in request.roles else None,
    }
    return render(request, "billing/person.html", context, status=400 if form.is_bound else 200)


def _day_asked(request, name: str):
    """A day given in the page's address, or None when it is missing or malformed (the page
    then shows this month's days)."""
    try:
        return DayField(required=False).clean(request.GET.get(name) or None)
    except ValidationError:
        return None


@cooperative_view(*READERS)
def budgets(request):
    """Hours budgets used, left and over per person, payer and period (this month unless the
    page asks for other days), overruns first; a coordinator sets the budget policy."""
    cooperative = request.cooperative
    first = _day_asked(request, "first_day")
    last = _day_asked(request, "last_day")
    first, last = queries.period(first, last, timezone.localdate())
    form = forms.PolicyForm(initial={"beyond": queries.budget_policy(cooperative)})
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            _coordinator_only(request)
        form = forms.PolicyForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.set_budget_policy(cooperative, data["beyond"]),
            _("The budget policy was saved."),
        ):
            return redirect("billing:budgets", cooperative.slug)
    rows = queries.budget_rows(cooperative, first, last)
    access.log_budgets(request.user, rows)
    context = {
        "rows": sorted(rows, key=lambda row: not row.standing.over),
        "first_day": first,
        "last_day": last,
        "form": form if Role.COORDINATOR in request.roles else None,
    }
    return render(request, "billing/budgets.html", context, status=400 if form.is_bound else 200)


def _today(cooperative):
    """Today on the cooperative's clock: the day balances and due dates are read on."""
    return on_cooperative_clock(timezone.now(), cooperative).date()


def _payable(request, invoice_id: int) -> Invoice:
    """The cooperative's issued invoice ``invoice_id`` (a draft or a credit note is paid
    nothing, so it has no payments page)."""
    return get_object_or_404(
        Invoice.objects.filter(
            cooperative=request.cooperative,
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.ISSUED,
        ).select_related("payer", "person"),
        pk=invoice_id,
    )


def _payments_page(request, invoice: Invoice, form, withdrawal=None, status=200):
    cooperative = request.cooperative
    is_coordinator = Role.COORDINATOR in request.roles
    today = _today(cooperative)
    balance = queries.balance_of(invoice, today)
    if form is None and is_coordinator and balance is not None:
        form = forms.PaymentForm(initial={"amount": max(balance.owed, Decimal("0.00"))})
    access.log_invoices(request.user, [invoice])
    context = {
        "invoice": invoice,
        "balance": balance,
        "overdue": balance is not None and balance.overdue(today),
        "payments": queries.payments(cooperative, invoice=invoice),
        "form": form if is_coordinator else None,
        "withdrawal": withdrawal,
        "withdrawal_form": forms.WithdrawalForm() if is_coordinator else None,
    }
    return render(request, "billing/invoice_payments.html", context, status=status)


@cooperative_view(*READERS)
def invoice_payments(request, invoice_id: int):
    """An issued invoice's balance and the payments received against it, withdrawn ones
    with who withdrew them and why; a coordinator records a payment."""
    invoice = _payable(request, invoice_id)
    if request.method != "POST":
        return _payments_page(request, invoice, None)
    _coordinator_only(request)
    form = forms.PaymentForm(request.POST)
    if submit(
        request,
        form,
        lambda data: payments.record_payment(invoice, data, by=request.user),
        lambda payment: (
            _("A payment of %(amount)s was recorded.")
            % {"amount": money(payment.amount, request.cooperative.currency)}
        ),
    ):
        return redirect("billing:invoice_payments", request.cooperative.slug, invoice.pk)
    return _payments_page(request, invoice, form, status=400)


@cooperative_view(Role.COORDINATOR)
def withdraw_payment(request, invoice_id: int, payment_id: int):
    """Withdraw a payment recorded by mistake, saying why; it stays on the invoice's page."""
    invoice = _payable(request, invoice_id)
    payment = get_object_or_404(
        queries.payments(request.cooperative, invoice=invoice), pk=payment_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.WithdrawalForm(request.POST)
    if submit(
        request,
        form,
        lambda data: payments.withdraw_payment(payment, data["reason"], by=request.user),
        _("The payment was withdrawn."),
    ):
        return redirect("billing:invoice_payments", request.cooperative.slug, invoice.pk)
    return _payments_page(request, invoice, None, withdrawal=(payment.pk, form), status=400)


@cooperative_view(*READERS)
def receivables(request):
    """What each payer owes today, what of it is overdue, and its ageing by days past due."""
    cooperative = request.cooperative
    found = queries.receivables(cooperative, _today(cooperative))
    context = {
        "receivables": found,
        "totals": {
            band: sum((r.ageing[band] for r in found), Decimal("0.00"))
            for band in queries.AGE_BANDS
        }
        | {
            "owed": sum((r.owed for r in found), Decimal("0.00")),
            "overdue": sum((r.overdue for r in found), Decimal("0.00")),
        },
        "today": _today(cooperative),
    }
    return render(request, "billing/receivables.html", context)


@cooperative_view(*READERS)
def payer_account(request, payer_id: int):
    """A payer's account: each invoice issued to it with its balance, due date and whether
    overdue, the payments received (withdrawn ones too), and the totals."""
    cooperative = request.cooperative
    subject = get_object_or_404(Payer.objects.filter(cooperative=cooperative), pk=payer_id)
    today = _today(cooperative)
    found = queries.account(subject, today)
    access.log_invoices(request.user, [b.invoice for b in found.balances])
    context = {
        "payer": subject,
        "account": found,
        "today": today,
        "payments": queries.payments(cooperative, payer=subject),
    }
    return render(request, "billing/payer_account.html", context)


@cooperative_view()
def family_statement(request):
    """Invoices and payments: for a user who is the login of a family payer, that family's
    issued invoices with what is owed, paid and when due, the credit notes, and the payments
    received. Nobody else's, ever: anyone who pays for no one gets 404."""
    cooperative = request.cooperative
    found = queries.statement(cooperative, request.user, _today(cooperative))
    if found is None:
        raise Http404
    access.log_invoices(request.user, [b.invoice for b in found.balances] + found.credit_notes)
    context = {"statement": found, "today": _today(cooperative)}
    return render(request, "billing/family_statement.html", context)


@cooperative_view()
def family_document(request, invoice_id: int):
    """One of the family's own issued invoices or credit notes, printed (a logged read)."""
    cooperative = request.cooperative
    invoice = get_object_or_404(
        Invoice.objects.filter(
            cooperative=cooperative,
            status=InvoiceStatus.ISSUED,
            payer__in=queries.family_payers(cooperative, request.user),
        ),
        pk=invoice_id,
    )
    access.log_document(request.user, invoice)
    response = HttpResponse(pdf.document(invoice), content_type="application/pdf")
    name = f"invoice-{invoice.year}-{invoice.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    add_never_cache_headers(response)
    return response
