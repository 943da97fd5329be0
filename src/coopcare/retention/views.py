"""The retention page: the periods in force with their sources and history, the legal holds,
and the reports of past runs; forms to change a period, place and release a hold, and run
retention now."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit
from coopcare.retention import queries, services
from coopcare.retention.forms import HoldForm, PeriodForm
from coopcare.retention.models import LegalHold
from coopcare.retention.rules import Kind

READERS = (Role.COORDINATOR, Role.BOARD)


def _page(request: CooperativeRequest, status: int = 200, **forms) -> HttpResponse:
    cooperative = request.cooperative
    runs = list(queries.runs(cooperative)[:10])
    labels = dict(Kind.choices)
    return render(
        request,
        "retention/index.html",
        {
            "periods": queries.periods(cooperative),
            "history": queries.period_history(cooperative)[:20],
            "holds": queries.holds(cooperative),
            "runs": [
                (
                    run,
                    [
                        (labels.get(kind, kind), n["done"], n["held"])
                        for kind, n in run.counts.items()
                    ],
                )
                for run in runs
            ],
            "period_form": forms.get("period_form") or PeriodForm(),
            "hold_form": forms.get("hold_form") or HoldForm(cooperative=cooperative),
        },
        status=status,
    )


@cooperative_view(*READERS)
def index(request: CooperativeRequest) -> HttpResponse:
    """The periods, holds and runs of the cooperative."""
    return _page(request)


@cooperative_view(*READERS)
@require_POST
def set_period(request: CooperativeRequest) -> HttpResponse:
    """A new period for one kind of record, with its reason."""
    form = PeriodForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.set_period(
            request.cooperative, data["kind"], data["years"], data["reason"], by=request.user
        ),
        _("The retention period is set."),
    ):
        return redirect("retention:index", request.cooperative.slug)
    return _page(request, 400, period_form=form)


@cooperative_view(Role.COORDINATOR)
@require_POST
def place_hold(request: CooperativeRequest) -> HttpResponse:
    """Hold a person's records past their periods."""
    form = HoldForm(request.POST, cooperative=request.cooperative)
    if submit(
        request,
        form,
        lambda data: services.place_hold(
            request.cooperative, data["person"], data["reason"], data["note"], by=request.user
        ),
        _("The person's records are held."),
    ):
        return redirect("retention:index", request.cooperative.slug)
    return _page(request, 400, hold_form=form)


@cooperative_view(Role.COORDINATOR)
def release_hold(request: CooperativeRequest, hold_id: int) -> HttpResponse:
    """Release a hold (POST only; another cooperative's hold is 404 whatever the method)."""
    return _release(
        request, get_object_or_404(LegalHold, pk=hold_id, cooperative=request.cooperative)
    )


@require_POST
def _release(request: CooperativeRequest, hold: LegalHold) -> HttpResponse:
    press(request, lambda: services.release_hold(hold, by=request.user), _("The hold is released."))
    return redirect("retention:index", request.cooperative.slug)


@cooperative_view(Role.COORDINATOR)
@require_POST
def run_now(request: CooperativeRequest) -> HttpResponse:
    """Run retention now, as the daily run does, and show its report."""
    press(
        request,
        lambda: services.run_retention(request.cooperative, by=request.user),
        _("Retention ran; its report is below."),
    )
    return redirect("retention:index", request.cooperative.slug)
