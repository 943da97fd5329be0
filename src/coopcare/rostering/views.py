"""Rostering pages: coordinators run, read, change and publish rosters and answer carers'
requests; carers see their roster, say which visits they can or cannot do, set their
availability and subscribe to their calendar.

Views parse, check access, call a service, render.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from coopcare.accounts.models import profile_of
from coopcare.care.access import log_reads
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.pages import press, submit
from coopcare.rostering import calendar, forms, queries, reports, rules
from coopcare.rostering.models import (
    Absence,
    Assignment,
    Availability,
    CalendarDetail,
    CoverProposal,
    RequestStatus,
    Roster,
    RosterChange,
    RosterRequest,
    RosterRun,
    RosterStatus,
    RunStatus,
)
from coopcare.rostering.planning import carers_of
from coopcare.rostering.services import availability, cover, edits, publishing, runs
from coopcare.rostering.services import requests as roster_requests
from coopcare.rostering.wording import name_of
from coopcare.visits.models import Visit, VisitStatus
from coopcare.work.queries import contracts_by_carer

STAFF = (Role.COORDINATOR,)
CARER = (Role.CARER,)

# What a carer removes of their own on their availability page.
Owned = TypeVar("Owned", Availability, Absence)


def _week(request: CooperativeRequest) -> date:
    form = forms.WeekForm(request.GET or None)
    day = form.cleaned_data["week"] if form.is_valid() else timezone.localdate()
    return day - timedelta(days=day.weekday())


@cooperative_view(*STAFF)
def home(request: CooperativeRequest) -> HttpResponse:
    """Run the planner for a period; the runs and rosters so far; what needs a decision."""
    cooperative = request.cooperative
    form = forms.RunForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: runs.start_run(
            cooperative, data["first_day"], data["last_day"], request.user, data["seconds"]
        ),
        _("The planner is at work."),
    ):
        return redirect("rostering:home", cooperative.slug)
    runs.give_up_lapsed(cooperative)  # a run whose worker stopped shows why, and frees the slot
    today = timezone.localdate()
    rosters = Roster.objects.filter(
        cooperative=cooperative,
        last_day__gte=today,
        status__in=[RosterStatus.DRAFT, RosterStatus.PUBLISHED],
    )
    away = Absence.objects.filter(cooperative=cooperative, last_day__gte=today)
    clashes = [
        (
            absence,
            list(
                queries.published_visits_between(
                    cooperative, absence.carer, max(absence.first_day, today), absence.last_day
                ).select_related("person")
            ),
        )
        for absence in away.select_related("carer")
    ]
    return render(
        request,
        "rostering/home.html",
        {
            "form": form,
            "runs": RosterRun.objects.filter(cooperative=cooperative)[:5],
            "rosters": rosters,
            "open_requests": RosterRequest.objects.filter(
                cooperative=cooperative, status=RequestStatus.OPEN
            ).count(),
            "clashes": [(a, v) for a, v in clashes if v],
        },
    )


def _run(request: CooperativeRequest, run_id: int) -> RosterRun:
    return get_object_or_404(RosterRun, pk=run_id, cooperative=request.cooperative)


@cooperative_view(*STAFF)
def run_progress(request: CooperativeRequest, run_id: int) -> HttpResponse:
    """The progress bar (polled by htmx); once the draft is ready, go to it. A run whose
    worker stopped ends here with the reason instead of polling for ever.

    The poll that sees the run finished answers with the finished bar, which polls no more
    and asks once, with ``?open``, for the redirect to the draft. Redirecting the poll itself
    would keep it polling: each answer would restart the browser's way to the draft, which
    then never arrives when the draft takes more than a second to load."""
    runs.give_up_lapsed(request.cooperative)
    run = _run(request, run_id)
    roster = run.rosters.first() if run.status == RunStatus.DONE else None
    if roster is not None and request.htmx and "open" in request.GET:
        return HttpResponseClientRedirect(
            reverse("rostering:roster", args=[request.cooperative.slug, roster.pk])
        )
    return render(request, "rostering/_run.html", {"run": run, "opening": bool(request.htmx)})


@cooperative_view(*STAFF)
def run_cancel(request: CooperativeRequest, run_id: int) -> HttpResponse:
    return _run_cancel(request, _run(request, run_id))


@require_POST
def _run_cancel(request: CooperativeRequest, run: RosterRun) -> HttpResponse:
    press(request, lambda: runs.cancel(run), None)
    if request.htmx:
        return render(request, "rostering/_run.html", {"run": run})
    return redirect("rostering:home", request.cooperative.slug)


def _roster(request: CooperativeRequest, roster_id: int) -> Roster:
    # A roster still being written by a run is nobody's to read or change yet.
    shown = Roster.objects.exclude(status=RosterStatus.WRITING)
    return get_object_or_404(shown, pk=roster_id, cooperative=request.cooperative)


def _timeline(assignments: list[Assignment], day: date) -> dict[str, list[dict[str, Any]]]:
    """One lane per carer on ``day``: their visits as bars placed within the day's hours,
    under a scale of hours."""
    on_day = [a for a in assignments if timezone.localdate(a.visit.starts_at) == day]
    if not on_day:
        return {"lanes": [], "ticks": []}
    starts = min(timezone.localtime(a.visit.starts_at) for a in on_day)
    ends = max(timezone.localtime(a.visit.ends_at) for a in on_day)
    first = starts.replace(minute=0, second=0, microsecond=0)
    span = max((ends - first).total_seconds(), 3600)

    def place(moment: datetime) -> float:
        return 100 * (timezone.localtime(moment) - first).total_seconds() / span

    lanes: defaultdict[User, list[dict[str, Any]]] = defaultdict(list)
    for a in on_day:
        length = (a.visit.ends_at - a.visit.starts_at).total_seconds()
        lanes[a.carer].append(
            {"assignment": a, "at": place(a.visit.starts_at), "width": 100 * length / span}
        )
    ticks = []
    tick = first
    while tick <= ends:
        ticks.append({"label": f"{tick:%H:%M}", "at": place(tick)})
        tick += timedelta(hours=1)
    return {
        "lanes": [
            {"carer": carer, "bars": bars}
            for carer, bars in sorted(lanes.items(), key=lambda item: name_of(item[0]))
        ],
        "ticks": ticks,
    }


@cooperative_view(*STAFF)
def roster(request: CooperativeRequest, roster_id: int) -> HttpResponse:
    """A roster, one day at a time: a timeline per carer, visits left out and why, the
    objective's parts, and hours against contracts for the whole period."""
    roster = _roster(request, roster_id)
    days = [
        roster.first_day + timedelta(days=n)
        for n in range((roster.last_day - roster.first_day).days + 1)
    ]
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = max(roster.first_day, min(timezone.localdate(), roster.last_day))
    if day not in days:
        raise Http404
    # The whole period's assignments: the day's timeline and the period's hours.
    assignments = list(roster.assignments.select_related("carer", "visit__person", "visit__task"))
    unplaced = roster.unplaced.select_related("visit__person", "visit__task")
    all_pairs = [(a.carer_id, a.visit) for a in assignments]
    # Read once for the hours and the working-time checks, for every carer at once.
    contracts = contracts_by_carer(request.cooperative, roster.first_day, roster.last_day)
    return render(
        request,
        "rostering/roster.html",
        {
            "roster": roster,
            "days": days,
            "day": day,
            "timeline": _timeline(assignments, day),
            "unplaced": unplaced,
            "costs": sorted(
                ((part, value) for part, value in roster.costs.items() if part != "total"),
                key=lambda item: -item[1],
            ),
            "total": roster.costs.get("total"),
            "hours": reports.hours(
                request.cooperative, roster.first_day, roster.last_day, all_pairs, contracts
            ),
            "breaches": queries.roster_breaches(roster, contracts)
            if roster.status == RosterStatus.DRAFT
            else [],
        },
    )


@cooperative_view(*STAFF)
def roster_visit(request: CooperativeRequest, roster_id: int, visit_id: int) -> HttpResponse:
    """Give one visit of a draft to other carers (rules checked), or take it off."""
    roster = _roster(request, roster_id)
    visit = get_object_or_404(
        Visit.objects.select_related("person", "task"),
        pk=visit_id,
        cooperative=request.cooperative,
    )
    log_reads(request.user, [visit.person], "roster")
    carers = carers_of(request.cooperative)
    form = forms.GiveForm(carers=carers, double_handed=visit.double_handed)
    if request.method == "POST":
        back = redirect(
            reverse("rostering:roster", args=[request.cooperative.slug, roster.pk])
            + f"?day={timezone.localdate(visit.starts_at).isoformat()}"
        )
        if "take_off" in request.POST:
            press(
                request,
                lambda: edits.take_off(roster, visit, request.user),
                _("The visit now has no carer."),
            )
            return back
        form = forms.GiveForm(request.POST, carers=carers, double_handed=visit.double_handed)
        if submit(
            request,
            form,
            lambda data: edits.give(
                roster, visit, form.chosen(), request.user, data["override_reason"]
            ),
            _("Changed."),
        ):
            return back
    current = roster.assignments.filter(visit=visit).select_related("carer")
    return render(
        request,
        "rostering/visit.html",
        {
            "roster": roster,
            "visit": visit,
            "form": form,
            "current": current,
            "unplaced": roster.unplaced.filter(visit=visit).first(),
            "editable": roster.status == RosterStatus.DRAFT,
        },
    )


@cooperative_view(*STAFF)
def roster_publish(request: CooperativeRequest, roster_id: int) -> HttpResponse:
    return _roster_publish(request, _roster(request, roster_id))


@require_POST
def _roster_publish(request: CooperativeRequest, roster: Roster) -> HttpResponse:
    published = press(
        request,
        lambda: publishing.publish(
            roster, request.user, site_url=request.build_absolute_uri("/").rstrip("/")
        ),
        None,
    )
    if published and published.result.already:
        messages.info(request, _("This roster was already published; nothing changed."))
    elif published:
        messages.success(
            request,
            _("Published: %(changes)s changes, %(notified)s carers told by email.")
            % {"changes": published.result.changes, "notified": published.result.notified},
        )
    return redirect("rostering:roster", request.cooperative.slug, roster.pk)


@cooperative_view(*STAFF)
def roster_revise(request: CooperativeRequest, roster_id: int) -> HttpResponse:
    return _roster_revise(request, _roster(request, roster_id))


@require_POST
def _roster_revise(request: CooperativeRequest, roster: Roster) -> HttpResponse:
    revised = press(
        request,
        lambda: publishing.revise(roster, request.user),
        _("A new draft, copied from the published roster."),
    )
    draft = revised.result if revised else roster
    return redirect("rostering:roster", request.cooperative.slug, draft.pk)


@cooperative_view(*STAFF)
def requests(request: CooperativeRequest) -> HttpResponse:
    """Carers' open requests, with what accepting each would do."""
    pending = RosterRequest.objects.filter(
        cooperative=request.cooperative, status=RequestStatus.OPEN
    ).select_related("visit__person", "visit__task", "carer", "taker")
    decided = (
        RosterRequest.objects.filter(cooperative=request.cooperative)
        .exclude(status=RequestStatus.OPEN)
        .select_related("visit__person", "carer", "decided_by")[:20]
    )
    return render(
        request,
        "rostering/requests.html",
        {
            "pending": [(r, forms.DecisionForm(prefix=f"r{r.pk}")) for r in pending],
            "decided": decided,
        },
    )


@cooperative_view(*STAFF)
def decide(request: CooperativeRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(RosterRequest, pk=request_id, cooperative=request.cooperative)
    return _decide(request, asked)


@require_POST
def _decide(request: CooperativeRequest, asked: RosterRequest) -> HttpResponse:
    form = forms.DecisionForm(request.POST, prefix=f"r{asked.pk}")
    accept = "accept" in request.POST
    if not submit(
        request,
        form,
        lambda data: roster_requests.decide(
            asked, request.user, accept, data["note"], data["override_reason"]
        ),
        _("Accepted.") if accept else _("Declined."),
    ):
        # The requests page lists requests, not bound forms: the reasons go as messages.
        for error in form.non_field_errors().get_json_data():
            messages.error(request, error["message"])
    return redirect("rostering:requests", request.cooperative.slug)


@cooperative_view(*STAFF)
def who_is_available(request: CooperativeRequest) -> HttpResponse:
    """Each carer's availability, day by day, for a week."""
    monday = _week(request)
    days = [monday + timedelta(days=n) for n in range(7)]
    carers = list(carers_of(request.cooperative))
    found = queries.availability(request.cooperative, [c.pk for c in carers], days[0], days[-1])
    rows = [(carer, [found[carer.pk, day] for day in days]) for carer in carers]
    return render(
        request,
        "rostering/availability.html",
        {
            "days": days,
            "rows": rows,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )


@cooperative_view(*STAFF)
def continuity_page(request: CooperativeRequest) -> HttpResponse:
    """Continuity of care per person over four weeks (ending with the week shown)."""
    monday = _week(request)
    first, last = monday - timedelta(weeks=3), monday + timedelta(days=6)
    rows = reports.continuity(request.cooperative, first, last)
    return render(
        request,
        "rostering/continuity.html",
        {"rows": rows, "first": first, "last": last, "monday": monday},
    )


@cooperative_view(*STAFF)
def calendar_settings(request: CooperativeRequest) -> HttpResponse:
    """What the carers' calendar feeds say: the default, and more only as the cooperative
    chose with a reason; every choice with who made it, when and why."""
    cooperative = request.cooperative
    detail = calendar.detail_of(cooperative)
    form = forms.CalendarDetailForm(request.POST or None, initial=vars(detail))
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: calendar.choose_detail(cooperative, request.user, **data),
        _("Calendars now say what you chose, from their next update."),
    ):
        return redirect("rostering:calendar_settings", cooperative.slug)
    return render(
        request,
        "rostering/calendar_settings.html",
        {
            "form": form,
            "detail": detail,
            "choices": CalendarDetail.objects.filter(cooperative=cooperative).select_related(
                "chosen_by"
            )[:50],
        },
        status=400 if request.method == "POST" else 200,
    )


@cooperative_view(*STAFF)
def hours_page(request: CooperativeRequest) -> HttpResponse:
    """Each carer's week: visits and travel against contracted hours (published roster)."""
    monday = _week(request)
    last = monday + timedelta(days=6)
    return render(
        request,
        "rostering/hours.html",
        {
            "rows": reports.hours(request.cooperative, monday, last),
            "first": monday,
            "last": last,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
        },
    )


# -- carers ---------------------------------------------------------------------------------


@cooperative_view(*CARER)
def my_roster(request: CooperativeRequest) -> HttpResponse:
    """The carer's coming visits with why each is theirs; open visits they could take; their
    requests; what changed; their calendar address."""
    cooperative, carer = request.cooperative, request.user
    now = timezone.now()
    visits = list(
        Visit.objects.filter(
            cooperative=cooperative,
            carers=carer,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=14),
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("person", "task")
        .order_by("starts_at")
    )
    why = {a.visit_id: a for a in queries.published_assignments(cooperative, carer, visits)}
    # One folding list per day, today and tomorrow open: two weeks of visits as cards, one
    # under another, made a page a carer scrolled through for minutes on a phone.
    today = timezone.localdate(now)
    days: dict[date, list] = {}
    for v in visits:
        days.setdefault(timezone.localdate(v.starts_at), []).append(
            (v, why.get(v.pk), forms.RequestForm(prefix=f"v{v.pk}"))
        )
    open_visits = list(queries.open_visits(cooperative, carer))
    log_reads(carer, {v.person for v in visits} | {v.person for v in open_visits}, "roster")
    feed = calendar.feed_of(cooperative, carer)
    return render(
        request,
        "rostering/mine.html",
        {
            "days": [
                (day, day <= today + timedelta(days=1), day_visits)
                for day, day_visits in days.items()
            ],
            "open_visits": open_visits,
            "requests": RosterRequest.objects.filter(
                cooperative=cooperative, carer=carer
            ).select_related("visit__person", "visit__task")[:20],
            "changes": RosterChange.objects.filter(
                roster__cooperative=cooperative, carer=carer, at__gte=now - timedelta(days=7)
            ).select_related("visit__person", "visit__task"),
            "feed_url": request.build_absolute_uri(reverse("calendar:feed", args=[feed.token])),
        },
    )


@cooperative_view(*CARER)
def ask(request: CooperativeRequest, visit_id: int, kind: str) -> HttpResponse:
    visit = get_object_or_404(Visit, pk=visit_id, cooperative=request.cooperative)
    return _ask(request, visit, kind)


@require_POST
def _ask(request: CooperativeRequest, visit: Visit, kind: str) -> HttpResponse:
    form = forms.RequestForm(request.POST, prefix=f"v{visit.pk}")
    done = {
        "swap": _("Offered for swap; a colleague can take it and a coordinator will decide."),
        "take": _("Asked; a coordinator will decide."),
        "contest": _("Contested; a coordinator will answer."),
    }
    if kind not in done:
        raise Http404
    if not submit(
        request,
        form,
        lambda data: roster_requests.ask(
            request.cooperative, visit, request.user, kind, data["reason"]
        ),
        done[kind],
    ):
        for error in form.non_field_errors().get_json_data():
            messages.error(request, error["message"])
    return redirect("rostering:mine", request.cooperative.slug)


@cooperative_view(*CARER)
def withdraw(request: CooperativeRequest, request_id: int) -> HttpResponse:
    asked = get_object_or_404(RosterRequest, pk=request_id, cooperative=request.cooperative)
    return _withdraw(request, asked)


@require_POST
def _withdraw(request: CooperativeRequest, asked: RosterRequest) -> HttpResponse:
    press(request, lambda: roster_requests.withdraw(asked, request.user), None)
    return redirect("rostering:mine", request.cooperative.slug)


@cooperative_view(*CARER)
@require_POST
def renew_calendar(request: CooperativeRequest) -> HttpResponse:
    calendar.renew(request.cooperative, request.user)
    messages.success(request, _("A new calendar address; the old one no longer works."))
    return redirect("rostering:mine", request.cooperative.slug)


@cooperative_view(*CARER)
def my_availability(request: CooperativeRequest) -> HttpResponse:
    """The carer's usual hours by weekday, and days away."""
    cooperative, carer = request.cooperative, request.user
    slot_form, absence_form = forms.SlotForm(prefix="slot"), forms.AbsenceForm(prefix="absence")
    if request.method == "POST":
        if "remove_slot" in request.POST:
            slot = _own(Availability, request.POST["remove_slot"], cooperative, carer)
            if slot is not None:
                availability.remove_slot(slot)
            return redirect(request.path)
        if "remove_absence" in request.POST:
            absence = _own(Absence, request.POST["remove_absence"], cooperative, carer)
            if absence is not None:
                press(request, lambda: availability.remove_absence(absence), None)
            return redirect(request.path)
        if "slot-weekday" in request.POST:
            slot_form = forms.SlotForm(request.POST, prefix="slot")
            if submit(
                request,
                slot_form,
                lambda data: availability.add_slot(
                    cooperative, carer, data["weekday"], data["starts"], data["ends"]
                ),
                _("Saved."),
            ):
                return redirect(request.path)
        else:
            absence_form = forms.AbsenceForm(request.POST, prefix="absence")
            if added := submit(
                request,
                absence_form,
                lambda data: availability.add_absence(cooperative, carer, data),
                _("Saved."),
            ):
                _absence, clashing = added.result
                if clashing:
                    messages.warning(
                        request,
                        _(
                            "You have %(count)s visits in those days; the coordinators "
                            "see them and will give them to someone else."
                        )
                        % {"count": clashing},
                    )
                return redirect(request.path)
    today = timezone.localdate()
    absences = Absence.objects.filter(cooperative=cooperative, carer=carer, last_day__gte=today)
    return render(
        request,
        "rostering/my_availability.html",
        {
            "slots": Availability.objects.filter(cooperative=cooperative, carer=carer),
            "absences": absences,
            # Offered where the service would allow it.
            "removable": {
                a.pk for a in absences if not rules.absence_removal_problems(a.first_day, today)
            },
            "slot_form": slot_form,
            "absence_form": absence_form,
        },
    )


def _own(model: type[Owned], pk: str, cooperative: Cooperative, carer: User) -> Owned | None:
    """The carer's own slot or days away with this id, or None (a stale page's, say)."""
    if not pk.isdigit():
        return None
    return model.objects.filter(pk=pk, cooperative=cooperative, carer=carer).first()


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The carer's visits as iCalendar, for a phone calendar; the secret address is the key,
    and it opens nothing once the carer is deactivated or no longer a carer here."""
    feed = calendar.active_feed(token)
    if feed is None:
        raise Http404
    # No login here: the feed speaks the language the carer chose for their account.
    with translation.override(profile_of(feed.carer).language or settings.LANGUAGE_CODE):
        body = calendar.ics(feed, request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coopcare.ics"'
    return response


# -- one board, days away and cover ------------------------------------------------------------


@cooperative_view(*STAFF)
def board(request: CooperativeRequest) -> HttpResponse:
    """Everything that waits for a coordinator, most urgent first, each with where it is
    handled; and recording a carer sick on their behalf."""
    cooperative = request.cooperative
    rows = queries.board(cooperative)
    people = {r.visit.person for r in rows if r.visit is not None}
    log_reads(request.user, people | {r.person for r in rows if r.person is not None}, "board")
    return render(
        request,
        "rostering/board.html",
        {
            "rows": [(row, row.link(cooperative.slug)) for row in rows],
            "sick_form": forms.SickForCarerForm(carers=carers_of(cooperative), prefix="sick"),
        },
    )


@cooperative_view(*STAFF)
@require_POST
def sick_for_carer(request: CooperativeRequest) -> HttpResponse:
    """A coordinator records a carer sick from today; then on to the absence's page."""
    cooperative = request.cooperative
    form = forms.SickForCarerForm(request.POST, carers=carers_of(cooperative), prefix="sick")
    done = submit(
        request,
        form,
        lambda data: cover.report_sick(cooperative, data["carer"], data["last_day"], data["note"]),
        _("Recorded."),
    )
    if not done:
        for field_errors in form.errors.values():
            for error in field_errors.get_json_data():
                messages.error(request, error["message"])
        return redirect("rostering:board", cooperative.slug)
    return redirect("rostering:absence", cooperative.slug, done.result.pk)


@cooperative_view(*CARER)
@require_POST
def report_sick(request: CooperativeRequest) -> HttpResponse:
    """A carer's quick action: sick from today until a day; the coordinators see it on their
    board and find cover."""
    form = forms.SickForm(request.POST, prefix="sick")
    if submit(
        request,
        form,
        lambda data: cover.report_sick(
            request.cooperative, request.user, data["last_day"], data["note"]
        ),
        _("Get well. The coordinators see your visits and will find cover."),
    ):
        return redirect("rostering:mine", request.cooperative.slug)
    for field_errors in form.errors.values():
        for error in field_errors.get_json_data():
            messages.error(request, error["message"])
    return redirect("rostering:mine", request.cooperative.slug)


def _absence(request: CooperativeRequest, absence_id: int) -> Absence:
    return get_object_or_404(
        Absence.objects.select_related("carer"), pk=absence_id, cooperative=request.cooperative
    )


@cooperative_view(*STAFF)
def absence_page(request: CooperativeRequest, absence_id: int) -> HttpResponse:
    """A carer's days away: the published visits they leave, the latest cover proposal with a
    box to accept each change, and whom to phone once cover is accepted."""
    absence = _absence(request, absence_id)
    left = list(queries.visits_left_by(absence))
    proposal = absence.cover_proposals.first()
    changes = []
    if proposal is not None:
        changes = list(
            proposal.changes.select_related("visit__person", "visit__task", "accepted_by")
            .prefetch_related("carers", "visit__person__circle")
            .order_by("visit__starts_at", "pk")
        )
    had = get_user_model().objects.in_bulk({pk for c in changes for pk in c.had})
    # Each change with the carers it takes the visit from and whom to phone about it.
    rows = [
        (c, [had[pk] for pk in c.had if pk in had], queries.phones_of(c.visit.person))
        for c in changes
    ]
    people = {v.person for v in left} | {c.visit.person for c in changes}
    log_reads(request.user, people, "cover")
    return render(
        request,
        "rostering/absence.html",
        {
            "absence": absence,
            "left": left,
            "proposal": proposal,
            "changes": rows,
            "pending": [c for c in changes if c.accepted_at is None],
            "form": forms.AcceptCoverForm(proposal=proposal) if proposal else None,
        },
    )


@cooperative_view(*STAFF)
def propose_cover(request: CooperativeRequest, absence_id: int) -> HttpResponse:
    return _propose_cover(request, _absence(request, absence_id))


@require_POST
def _propose_cover(request: CooperativeRequest, absence: Absence) -> HttpResponse:
    press(
        request,
        lambda: cover.propose(absence, request.user),
        _("Cover proposed: nothing changes until you accept it."),
    )
    return redirect("rostering:absence", request.cooperative.slug, absence.pk)


@cooperative_view(*STAFF)
def accept_cover(request: CooperativeRequest, absence_id: int, proposal_id: int) -> HttpResponse:
    absence = _absence(request, absence_id)
    proposal = get_object_or_404(absence.cover_proposals, pk=proposal_id)
    return _accept_cover(request, absence, proposal)


@require_POST
def _accept_cover(
    request: CooperativeRequest, absence: Absence, proposal: CoverProposal
) -> HttpResponse:
    form = forms.AcceptCoverForm(request.POST, proposal=proposal)
    if not submit(
        request,
        form,
        lambda data: cover.accept(proposal, data["changes"], request.user, data["override_reason"]),
        lambda done: (
            _(
                "Accepted: %(visits)s visits changed; the carers concerned are told, and "
                "%(circle)s people of the circles by email."
            )
            % {"visits": len(done.changed), "circle": done.circle_told}
        ),
    ):
        for field_errors in form.errors.values():
            for error in field_errors.get_json_data():
                messages.error(request, error["message"])
    return redirect("rostering:absence", request.cooperative.slug, absence.pk)
