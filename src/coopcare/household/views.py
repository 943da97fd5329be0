"""Household pages for the coordinators: the households that employ a carer, one household's
contracts, payslips, contributions and yearly summary, and a payslip printed."""

from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.access import log_read
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.household import forms, pdf, queries, services
from coopcare.household.models import HouseholdContract, HouseholdPayslip
from coopcare.household.wording import line_label
from coopcare.pages import submit

STAFF = (Role.COORDINATOR,)


@cooperative_view(*STAFF, form="runs_household_employment")
def households(request):
    """The households that employ a carer, and a new one recorded."""
    cooperative = request.cooperative
    form = forms.EmployerForm(cooperative, request.POST or None)
    status = 200
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.add_employer(
                cooperative, data["person"], {k: v for k, v in data.items() if k != "person"}
            ),
            _("Saved."),
        )
        if done:
            return redirect("household:employer", cooperative.slug, done.result.pk)
        status = 400
    return render(
        request,
        "household/households.html",
        {"employers": queries.employers(cooperative), "form": form},
        status=status,
    )


def _employer_page(
    request, employer, contract_form=None, payslip_forms=None, end_forms=None, status=200
):
    cooperative = request.cooperative
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else timezone.localdate().year
    log_read(request.user, employer.person, "household")
    contracts = [
        (
            contract,
            [
                (slip, [(line_label(line), Decimal(line["amount"])) for line in slip.lines])
                for slip in queries.payslips_of(contract)
            ],
            (payslip_forms or {}).get(contract.pk) or forms.PayslipForm(prefix=f"c{contract.pk}"),
            (end_forms or {}).get(contract.pk) or _end_form(contract),
        )
        for contract in queries.contracts_of(employer)
    ]
    return render(
        request,
        "household/employer.html",
        {
            "employer": employer,
            "contracts": contracts,
            "contract_form": contract_form or forms.ContractForm(cooperative, prefix="contract"),
            "summary": queries.year_summary(employer, year),
        },
        status=status,
    )


@cooperative_view(*STAFF, form="runs_household_employment")
def employer(request, employer_id: int):
    """One household: its contracts, their payslips and contributions, the year's summary."""
    found = get_object_or_404(queries.employers(request.cooperative), pk=employer_id)
    return _employer_page(request, found)


@cooperative_view(*STAFF, form="runs_household_employment")
def new_contract(request, employer_id: int):
    """A contract in the household's name (posted; otherwise back to the household)."""
    cooperative = request.cooperative
    found = get_object_or_404(queries.employers(cooperative), pk=employer_id)
    if request.method != "POST":
        return redirect("household:employer", cooperative.slug, found.pk)
    form = forms.ContractForm(cooperative, request.POST, prefix="contract")
    done = submit(
        request,
        form,
        lambda data: services.start_contract(
            found, data["carer"], {k: v for k, v in data.items() if k != "carer"}
        ),
        _("Saved."),
    )
    if done:
        return redirect("household:employer", cooperative.slug, found.pk)
    return _employer_page(request, found, contract_form=form, status=400)


def _end_form(contract, data=None):
    return forms.EndContractForm(data, prefix=f"end-{contract.pk}")


@cooperative_view(*STAFF, form="runs_household_employment")
def end_contract(request, household_contract_id: int):
    """End a contract on a day, its last (posted; otherwise back to the household)."""
    cooperative = request.cooperative
    contract = get_object_or_404(
        HouseholdContract.objects.filter(cooperative=cooperative), pk=household_contract_id
    )
    if request.method != "POST":
        return redirect("household:employer", cooperative.slug, contract.employer_id)
    form = _end_form(contract, request.POST)
    done = submit(
        request,
        form,
        lambda data: services.end_contract(contract, data["ends_on"]),
        _("Contract ended."),
    )
    if done:
        return redirect("household:employer", cooperative.slug, contract.employer_id)
    return _employer_page(request, contract.employer, end_forms={contract.pk: form}, status=400)


@cooperative_view(*STAFF, form="runs_household_employment")
def make_payslip(request, household_contract_id: int):
    """The payslip of a month made (again) from the visit records (posted; otherwise back to
    the household)."""
    cooperative = request.cooperative
    contract = get_object_or_404(
        HouseholdContract.objects.filter(cooperative=cooperative), pk=household_contract_id
    )
    if request.method != "POST":
        return redirect("household:employer", cooperative.slug, contract.employer_id)
    form = forms.PayslipForm(request.POST, prefix=f"c{contract.pk}")
    done = submit(
        request, form, lambda data: services.make_payslip(contract, data["month"]), _("Saved.")
    )
    if done:
        return redirect("household:employer", cooperative.slug, contract.employer_id)
    return _employer_page(request, contract.employer, payslip_forms={contract.pk: form}, status=400)


@cooperative_view(*STAFF, form="runs_household_employment")
def payslip_pdf(request, household_payslip_id: int):
    """A payslip printed, in the household's name as employer."""
    slip = get_object_or_404(
        HouseholdPayslip.objects.filter(contract__cooperative=request.cooperative).select_related(
            "contract__employer__person", "contract__carer", "contract__cooperative"
        ),
        pk=household_payslip_id,
    )
    log_read(request.user, slip.contract.employer.person, "household")
    response = HttpResponse(pdf.payslip(slip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="payslip-{slip.month:%Y-%m}.pdf"'
    return response
