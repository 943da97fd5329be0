"""Billing pages: payers, tariffs and their versions, a person's agreements, the hours
budgets of a period with the budget policy; invoices: runs, drafts issued or deleted, credit
notes, their PDF, FatturaPA and journal files, and the cooperative's invoicing details; an
invoice's payments, what payers owe and their accounts. Coordinators change them; the board
reads them. A family that pays sees its own invoices and payments."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coopcare.billing import access, downloads, forms, invoicing, payments, queries, services
from coopcare.billing.models import Invoice, InvoiceKind, InvoiceStatus, InvoicingDetails, Payer
from coopcare.bounds import DayField
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.localise import money
from coopcare.pages import press, submit
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


def _last_month(today):
    """The first and last day of the month before ``today``'s: the period a run bills unless
    the coordinator says otherwise."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _drafts_made(count: int) -> str:
    return ngettext(
        "%(count)s draft invoice was made.", "%(count)s draft invoices were made.", count
    ) % {"count": count}


def _id_asked(request, name: str) -> int | None:
    """A number given in the page's address, or None when it is missing or not a number."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@cooperative_view(*READERS)
def invoices(request):
    """The cooperative's invoices and credit notes, by status, payer, period or person; a
    coordinator runs the invoices of a period and is taken to the run's drafts, or shown every
    reason the run was refused."""
    cooperative = request.cooperative
    first, last = _last_month(timezone.localdate())
    form = forms.RunForm(cooperative, initial={"first_day": first, "last_day": last})
    if request.method == "POST":
        _coordinator_only(request)
        form = forms.RunForm(cooperative, request.POST)
        outcome = submit(
            request,
            form,
            lambda data: invoicing.run_invoices(
                cooperative,
                data["first_day"],
                data["last_day"],
                by=request.user,
                payer=data["payer"],
            ),
            lambda run: _drafts_made(run.invoices.count()),
        )
        if outcome:
            return redirect(
                f"{reverse('billing:invoices', args=[cooperative.slug])}?run={outcome.result.pk}"
            )
    status = request.GET.get("status", "")
    found = queries.invoices(
        cooperative,
        status=status if status in InvoiceStatus.values else "",
        payer_id=_id_asked(request, "payer"),
        first=_day_asked(request, "first_day"),
        last=_day_asked(request, "last_day"),
        person_id=_id_asked(request, "person"),
    )
    run_id = _id_asked(request, "run")
    if run_id is not None:
        found = found.filter(run_id=run_id)
    listed = list(found)
    access.log_invoices(request.user, listed)
    context = {
        "invoices": listed,
        "payers": queries.payers(cooperative),
        "statuses": InvoiceStatus.choices,
        "asked": request.GET,
        "run_id": run_id,
        "journal_form": forms.JournalForm(
            initial={"first_day": first, "last_day": last}, auto_id="journal_%s"
        ),
        "form": form if Role.COORDINATOR in request.roles else None,
    }
    return render(request, "billing/invoices.html", context, status=400 if form.is_bound else 200)


def _invoice(request, invoice_id: int) -> Invoice:
    """The cooperative's invoice or credit note (another cooperative's is a 404)."""
    return get_object_or_404(queries.invoices(request.cooperative), pk=invoice_id)


def _invoice_page(request, found: Invoice, credit_form=None, status: int = 200):
    access.log_invoice(request.user, found)
    credited = queries.credited_line_ids(found)
    lines = list(found.lines.all())
    is_coordinator = Role.COORDINATOR in request.roles
    creditable = (
        is_coordinator
        and found.kind == InvoiceKind.INVOICE
        and found.status == InvoiceStatus.ISSUED
        and len(credited) < len(lines)
    )
    if creditable and credit_form is None:
        credit_form = forms.CreditForm(
            found.lines.exclude(pk__in=credited).select_related("person")
        )
    context = {
        "invoice": found,
        "details": InvoicingDetails.objects.filter(cooperative=request.cooperative).first(),
        "lines": [(line, queries.line_rates(line), line.pk in credited) for line in lines],
        "shows_carer": found.shows_carer if found.number else found.payer.shows_carer,
        "totals": found.totals(),
        "credit_notes": list(found.credit_notes.all()),
        "is_coordinator": is_coordinator,
        "credit_form": credit_form if creditable else None,
    }
    return render(request, "billing/invoice.html", context, status=status)


@cooperative_view(*READERS)
def invoice(request, invoice_id: int):
    """An invoice or credit note: the cooperative's and the payer's details, its lines and
    totals, its credit notes or what it credits (a logged read of the people on its lines)."""
    return _invoice_page(request, _invoice(request, invoice_id))


@cooperative_view(Role.COORDINATOR)
def issue_invoice(request, invoice_id: int):
    """Issue a draft: its number, dates and, for an Italian public payer, its FatturaPA file."""
    return _issue(request, _invoice(request, invoice_id))


# POST only once the invoice is found, so that another cooperative's invoice is a 404.
@require_POST
def _issue(request, found: Invoice):
    press(
        request,
        lambda: invoicing.issue(found, by=request.user),
        lambda issued: _("Invoice %(number)s was issued.") % {"number": issued.reference},
    )
    return redirect("billing:invoice", request.cooperative.slug, found.pk)


@cooperative_view(Role.COORDINATOR)
def delete_invoice(request, invoice_id: int):
    """Delete a draft, so that a new run may bill its visits."""
    return _delete(request, _invoice(request, invoice_id))


@require_POST
def _delete(request, found: Invoice):
    if press(request, lambda: invoicing.delete_draft(found), _("The draft was deleted.")):
        return redirect("billing:invoices", request.cooperative.slug)
    return redirect("billing:invoice", request.cooperative.slug, found.pk)


@cooperative_view(Role.COORDINATOR)
def credit_invoice(request, invoice_id: int):
    """A credit note against an issued invoice, for the lines ticked."""
    return _credit(request, _invoice(request, invoice_id))


@require_POST
def _credit(request, found: Invoice):
    form = forms.CreditForm(
        found.lines.exclude(pk__in=queries.credited_line_ids(found)).select_related("person"),
        request.POST,
    )
    outcome = submit(
        request,
        form,
        lambda data: invoicing.credit(
            found,
            by=request.user,
            reason=data["reason"],
            lines=list(data["lines"]),
            bill_again=data["bill_again"],
        ),
        lambda note: _("Credit note %(number)s was issued.") % {"number": note.reference},
    )
    if outcome:
        return redirect("billing:invoice", request.cooperative.slug, outcome.result.pk)
    if found.kind != InvoiceKind.INVOICE or found.status != InvoiceStatus.ISSUED:
        # Such a page shows no credit form: its errors are said as messages instead.
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("billing:invoice", request.cooperative.slug, found.pk)
    return _invoice_page(request, found, credit_form=form, status=400)


@cooperative_view(*READERS)
def invoice_pdf(request, invoice_id: int):
    """The invoice or credit note printed, in its payer's language."""
    found = _invoice(request, invoice_id)
    access.log_invoice(request.user, found)
    return downloads.invoice_pdf(found)


@cooperative_view(*READERS)
def invoice_einvoice(request, invoice_id: int):
    """The FatturaPA file issued with an invoice to an Italian public payer."""
    found = _invoice(request, invoice_id)
    if not found.einvoice_name:
        raise Http404
    access.log_invoice(request.user, found)
    return downloads.einvoice(found)


@cooperative_view(*READERS)
def journal(request):
    """The journal CSV of the invoices and credit notes issued in the days asked."""
    form = forms.JournalForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(e) for errors in form.errors.values() for e in errors),
            content_type="text/plain; charset=utf-8",
        )
    first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    return downloads.journal_csv(request.cooperative, first, last)


@cooperative_view(Role.COORDINATOR)
def invoicing_details(request):
    """What the cooperative's invoices say of it and the accounts of its journal."""
    cooperative = request.cooperative
    details = InvoicingDetails.objects.filter(cooperative=cooperative).first()
    form = forms.InvoicingDetailsForm(instance=details)
    if request.method == "POST":
        form = forms.InvoicingDetailsForm(request.POST, instance=details)
        if submit(
            request,
            form,
            lambda data: invoicing.set_invoicing_details(cooperative, data),
            _("The invoicing details were saved."),
        ):
            return redirect("billing:invoicing_details", cooperative.slug)
    return render(
        request,
        "billing/invoicing_details.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


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
    access.log_invoice(request.user, invoice)
    return downloads.invoice_pdf(invoice, inline=True)
