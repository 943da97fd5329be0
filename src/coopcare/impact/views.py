"""Impact pages: the cooperative's indicators for a period (and as CSV), what each means, and
the annual social report as a page, a PDF and its tables as CSV and XLSX."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.cooperatives.access import cooperative_view, federations_of
from coopcare.cooperatives.models import Federation, Role
from coopcare.impact import federation as federation_figures
from coopcare.impact import pdf
from coopcare.impact.exports import csv_response, xlsx_response
from coopcare.impact.forms import ReportingPeriodForm
from coopcare.impact.indicators import BILLING_READERS, INDICATORS, compute, may_see_billing
from coopcare.impact.report import Table, build, shown
from coopcare.work.forms import PeriodForm

# The indicators include the money figures, so their readers are those who see billing.
READERS = BILLING_READERS
# The social report is written for every stakeholder, so members read it too.
REPORT_READERS = (*READERS, Role.MEMBER)
FIRST_YEAR = 2000


def _period(request) -> tuple[PeriodForm, date, date]:
    """The period asked for, or the year so far."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    start = today.replace(month=1, day=1)
    if not form.is_bound:
        form = PeriodForm(initial={"starts_on": start, "ends_on": today})
    return form, start, today


@cooperative_view(*READERS)
def indicators(request):
    form, start, end = _period(request)
    currency = request.cooperative.currency
    return render(
        request,
        "impact/indicators.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": [
                (i, f, shown(i, f.value, currency))
                for i, f in compute(request.cooperative, start, end)
            ],
        },
    )


@cooperative_view(*READERS)
def indicators_csv(request):
    """One line per figure: the indicator's value, then each part of its breakdown."""
    _form, start, end = _period(request)
    rows = []
    for indicator, figure in compute(request.cooperative, start, end):
        rows.append([indicator.key, "", figure.value, indicator.unit, start, end])
        rows += [[indicator.key, label, value, "", start, end] for label, value in figure.parts]
    table = Table(
        "indicators", _("Indicators"), ["indicator", "part", "value", "unit", "start", "end"], rows
    )
    return csv_response(table, f"indicators-{request.cooperative.slug}-{start}-{end}.csv")


@cooperative_view()
def definitions(request):
    """What each indicator counts, its formula and its source: those of the forms of care the
    cooperative runs."""
    shown = [i for i in INDICATORS if i.applies(request.cooperative)]
    return render(request, "impact/definitions.html", {"indicators": shown})


def _report(request, year: int):
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise Http404
    # Members read the report too, without the money figures that only billing's readers see.
    return build(request.cooperative, year, today, billing=may_see_billing(request.roles))


@cooperative_view(*REPORT_READERS)
def report(request, year: int | None = None):
    """The annual social report: figures, charts and their tables."""
    social = _report(request, year or timezone.localdate().year)
    currency = request.cooperative.currency
    return render(
        request,
        "impact/report.html",
        {
            "report": social,
            "sections": [
                (
                    section,
                    [(i, f, shown(i, f.value, currency)) for i, f in section.rows],
                )
                for section in social.sections
            ],
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        },
    )


@cooperative_view(*REPORT_READERS)
def report_pdf(request, year: int):
    social = _report(request, year)
    response = HttpResponse(pdf.render(social), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="social-report-{request.cooperative.slug}-{year}.pdf"'
    )
    return response


@cooperative_view(*REPORT_READERS)
def report_xlsx(request, year: int):
    social = _report(request, year)
    return xlsx_response(social.tables(), f"social-report-{request.cooperative.slug}-{year}.xlsx")


@cooperative_view(*REPORT_READERS)
def report_csv(request, year: int, table: str):
    found = _report(request, year).table(table)
    if found is None:
        raise Http404
    return csv_response(found, f"{table}-{request.cooperative.slug}-{year}.csv")


def _federation(request, slug: str):
    """The federation's figures for the reporting period asked, if the user is one of its
    analysts."""
    fed = get_object_or_404(Federation, slug=slug)
    if fed not in federations_of(request.user):
        raise Http404
    form = ReportingPeriodForm(
        request.GET if "period" in request.GET else None, today=timezone.localdate()
    )
    period = form.chosen()
    if not form.is_bound:
        form = ReportingPeriodForm(initial={"period": period.key}, today=timezone.localdate())
    return form, period, federation_figures.figures(fed, period.start, period.end)


@login_required
def federation(request, federation: str):
    """A federation analyst's view: the cooperatives' figures put together, one cooperative
    against the median, small counts held back; never an individual record."""
    form, period, figures = _federation(request, federation)
    compare = next(
        (c for c in figures.cooperatives if c.slug == request.GET.get("compare")),
        figures.cooperatives[0] if figures.cooperatives else None,
    )
    return render(
        request,
        "impact/federation.html",
        {
            "form": form,
            "period": period,
            "figures": figures,
            "compare": compare,
            "compared": figures.compared(compare) if compare else [],
        },
    )


@login_required
def federation_export(request, federation: str, kind: str):
    """The federation's table as CSV or XLSX."""
    if kind not in ("csv", "xlsx"):
        raise Http404
    _form, period, figures = _federation(request, federation)
    name = f"{federation}-{period.key}.{kind}"
    if kind == "csv":
        return csv_response(figures.table(), name)
    return xlsx_response([figures.table()], name)
