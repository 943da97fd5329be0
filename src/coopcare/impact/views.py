"""Impact pages: the cooperative's indicators for a period (and as CSV), and what each means."""

import csv
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.impact.indicators import INDICATORS, compute
from coopcare.work.forms import PeriodForm

READERS = (Role.COORDINATOR, Role.BOARD)


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
    return render(
        request,
        "impact/indicators.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": compute(request.cooperative, start, end),
        },
    )


@cooperative_view(*READERS)
def indicators_csv(request):
    """One line per figure: the indicator's value, then each part of its breakdown."""
    _form, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="indicators-{request.cooperative.slug}-{start}-{end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["indicator", "part", "value", "unit", "start", "end"])
    for indicator, figure in compute(request.cooperative, start, end):
        writer.writerow([indicator.key, "", figure.value, indicator.unit, start, end])
        for label, value in figure.parts:
            writer.writerow([indicator.key, label, value, "", start, end])
    return response


@cooperative_view()
def definitions(request):
    """What each indicator counts, its formula and its source."""
    return render(request, "impact/definitions.html", {"indicators": INDICATORS})
