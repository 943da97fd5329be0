"""Billing pages: payers, tariffs and their versions, a person's agreements, and the hours
budgets of a period with the budget policy. Coordinators change them; the board reads them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.billing import access, forms, queries, services
from coopcare.billing.models import Payer
from coopcare.bounds import DayField
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import submit

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
