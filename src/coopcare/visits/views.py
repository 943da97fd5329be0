"""The carer's day on a phone, the coordinators' follow-up of visit records and incidents,
their one-off changes to visits (cancel, move, add; the actions are rostering's, as the
published roster follows), and the requests about visits the person's circle makes and the
coordinators answer."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.care import queries as care_queries
from coopcare.care.access import CARE_ACCESS_WINDOW, log_reads
from coopcare.care.models import (
    CareTask,
    CircleMember,
    ConsentKind,
    PersonCaredFor,
    Verification,
)
from coopcare.care.services import current_plan
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit
from coopcare.rostering import forms as forms_of_rostering
from coopcare.rostering.planning import carers_of
from coopcare.rostering.queries import published_roster_of
from coopcare.rostering.services import visit_changes
from coopcare.visits import forms, queries, requests, rules, services
from coopcare.visits.access import (
    handover_writer_of,
    log_handover_reads,
    log_request_reads,
    note_of,
    note_to_acknowledge,
    request_grant,
    visits_of,
)
from coopcare.visits.models import (
    HandoverNote,
    Incident,
    Visit,
    VisitRecord,
    VisitRequest,
    VisitRequestKind,
    VisitStatus,
)

COORDINATOR = (Role.COORDINATOR,)


def _day(request: CooperativeRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


def _card(
    request: CooperativeRequest, visit: Visit, bound: BaseForm | None = None
) -> dict[str, Any]:
    """What the carer sees and can do for one visit, in the order the day goes."""
    mine = next((r for r in visit.records.all() if r.carer_id == request.user.pk), None)
    form = None
    if visit.status in (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS) and mine is None:
        form = bound or forms.CheckInForm(prefix=f"v{visit.pk}")
    elif mine is not None and mine.checked_out_at is None:
        form = bound or forms.CheckOutForm(prefix=f"v{visit.pk}", visit=visit)
    locate = visit.person.verification == Verification.LOCATION and any(
        c.kind == ConsentKind.LOCATION and c.withdrawn_on is None
        for c in visit.person.consents.all()
    )
    # Beside a check-in, the check-out to fill if the check-in is made without signal: the
    # phone sends both, in order, when the signal returns.
    offline_out = (
        forms.CheckOutForm(prefix=f"o{visit.pk}", visit=visit)
        if isinstance(form, forms.CheckInForm)
        else None
    )
    # Reported from the card itself, so that it can wait on the phone without signal like
    # the check-in and check-out (the incident's own page is not kept offline).
    incident_form = (
        forms.IncidentForm(auto_id=f"i{visit.pk}-%s")
        if visit.status != VisitStatus.CANCELLED
        else None
    )
    return {
        "visit": visit,
        "mine": mine,
        "form": form,
        "offline_out": offline_out,
        "incident_form": incident_form,
        "locate": locate,
    }


def _today_page(
    request: CooperativeRequest,
    day: date,
    bound: dict[int, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    visits = list(
        # By the carer's rows and their start: ``starts_at__date`` made the database work out the
        # date of every visit of the cooperative, and a filter on ``carers`` read the carer's
        # whole history.
        queries.carer_on_days(request.cooperative, request.user, day, day)
        .select_related("person", "task")
        .prefetch_related(
            "carers",
            "person__consents",
            Prefetch("records", queryset=VisitRecord.objects.prefetch_related("outcomes")),
        )
    )
    for visit in visits:
        # The cooperative's visits: the sections drawn on each card read the cooperative
        # already found, not again from the database.
        visit.cooperative = request.cooperative
    people = {v.person_id: v.person for v in visits}
    log_reads(request.user, people.values(), "today")
    handover = queries.handover_for(request.user, visits)
    shown = {v.person_id: v.person for v in visits if handover.get(v.pk)}
    log_handover_reads(request.user, shown.values())
    cards = [_card(request, v, (bound or {}).get(v.pk)) for v in visits]
    now = timezone.now()
    for card in cards:
        visit = card["visit"]
        card["handover"] = handover.get(visit.pk, [])
        # The carer may write one while they may see the person (``care.access``).
        card["may_hand_over"] = (
            visit.status != VisitStatus.CANCELLED
            and visit.starts_at - CARE_ACCESS_WINDOW <= now <= visit.ends_at + CARE_ACCESS_WINDOW
        )
    today = timezone.localdate()
    url = reverse("visits:today", args=[request.cooperative.slug])
    context = {
        "day": day,
        "keep_offline": [
            f"{url}?day={today + timedelta(days=n)}" for n in range(DAYS_KEPT_OFFLINE)
        ],
        "offline_texts": _offline_texts(),
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "cards": cards,
        "minutes": sum(c["visit"].task.duration_minutes for c in cards),
        "handover_max_length": services.HANDOVER_MAX_LENGTH,
    }
    response = render(request, "visits/today.html", context, status=status)
    # Which day the page shows: the service worker keeps its offline copy under that day.
    if status == 200:
        response["X-Coopcare-Day"] = day.isoformat()
    return response


def _offline_texts() -> dict[str, str]:
    """The words of the day page's offline queue, for its script."""
    return {
        "waiting": _("Waiting to be sent (%(count)s)"),
        "refused": _("Refused (%(count)s)"),
        "saved": _("Saved on this phone at %(time)s; it is sent when the signal returns."),
        "login": _(
            "Your session has ended: log in again to send what is waiting. "
            "It stays on this phone until then."
        ),
        "login_link": _("Log in"),
        "dismiss": _("Remove"),
    }


@cooperative_view(Role.CARER)
def today(request: CooperativeRequest) -> HttpResponse:
    """The carer's visits of one day (today unless ``?day=`` says), in order."""
    return _today_page(request, _day(request))


# The days the phone keeps for when there is no signal: today and the next two (the service
# worker drops any copy older than 72 hours, see docs/architecture.md).
DAYS_KEPT_OFFLINE = 3


@cooperative_view(Role.CARER)
def manifest(request: CooperativeRequest) -> HttpResponse:
    """The web app manifest that makes the carer's day an app on the phone's home screen,
    opening on today's visits, in the carer's language and its direction."""
    start = reverse("visits:today", args=[request.cooperative.slug])
    body = {
        "name": f"coopcare · {request.cooperative.name}",
        "short_name": _("My visits"),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "background_color": "#ffffff",
        "theme_color": "#1f6f5c",
        "icons": [
            {
                "src": static("coopcare/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


def _own_visit(request: CooperativeRequest, visit_id: int) -> Visit:
    return get_object_or_404(
        Visit.objects.select_related("person", "task"),
        pk=visit_id,
        cooperative=request.cooperative,
        carers=request.user,
    )


def _back_to_day(request: CooperativeRequest, visit: Visit) -> HttpResponse:
    day = timezone.localdate(visit.starts_at)
    url = reverse("visits:today", args=[request.cooperative.slug])
    return redirect(f"{url}?day={day}#visit-{visit.pk}")


@cooperative_view(Role.CARER)
def check_in(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    return _check_in(request, _own_visit(request, visit_id))


@require_POST
def _check_in(request: CooperativeRequest, visit: Visit) -> HttpResponse:
    form = forms.CheckInForm(request.POST, prefix=f"v{visit.pk}")
    outcome = submit(
        request,
        form,
        lambda data: services.check_in(
            visit,
            request.user,
            client_id=data["client_id"],
            at=timezone.now(),
            latitude=data["latitude"],
            longitude=data["longitude"],
        ),
        _("Checked in to %(name)s.") % {"name": visit.person},
    )
    if outcome:
        _advise(request, outcome.result)
        return _back_to_day(request, visit)
    day = timezone.localdate(visit.starts_at)
    return _today_page(request, day, bound={visit.pk: form}, status=400)


@cooperative_view(Role.CARER)
def check_out(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    return _check_out(request, _own_visit(request, visit_id))


@require_POST
def _check_out(request: CooperativeRequest, visit: Visit) -> HttpResponse:
    form = forms.CheckOutForm(request.POST, prefix=f"v{visit.pk}", visit=visit)
    outcome = submit(
        request,
        form,
        lambda data: services.check_out(
            visit,
            request.user,
            client_id=data["client_id"],
            at=timezone.now(),
            steps=form.reported_steps(),
            notes=data["notes"],
            handover=data["handover"],
            tapped=data.get("tapped", False),
            code=data.get("code", ""),
            latitude=data["latitude"],
            longitude=data["longitude"],
            reason=data["reason"],
        ),
        _("Checked out of %(name)s.") % {"name": visit.person},
    )
    if outcome:
        _advise(request, outcome.result)
        return _back_to_day(request, visit)
    day = timezone.localdate(visit.starts_at)
    return _today_page(request, day, bound={visit.pk: form}, status=400)


def _advise(request: CooperativeRequest, recorded: services.Recorded) -> None:
    """Tell the carer what to do when location did not verify the visit, and ask for their
    word on a record flagged as implausible."""
    if recorded.advice:
        messages.warning(request, recorded.advice)
    record = recorded.record
    if record.held_back and not record.carer_reason:
        messages.warning(
            request,
            _(
                "This visit looks unusual (%(why)s): say why on its card, so that a "
                "coordinator can accept it."
            )
            % {"why": ", ".join(record.implausible_labels)},
        )


@cooperative_view(Role.CARER)
def explain_record(request: CooperativeRequest, record_id: int) -> HttpResponse:
    """The carer says why their record flagged as implausible is as recorded."""
    record = get_object_or_404(
        VisitRecord.objects.select_related("visit"),
        pk=record_id,
        visit__cooperative=request.cooperative,
        carer=request.user,
    )
    return _explain_record(request, record)


@require_POST
def _explain_record(request: CooperativeRequest, record: VisitRecord) -> HttpResponse:
    form = forms.ExplainForm(request.POST, prefix=f"r{record.pk}")
    if not submit(
        request,
        form,
        lambda data: services.explain_record(record, request.user, data["reason"]),
        _("Thank you; a coordinator will read it."),
    ):
        for errors in form.errors.get_json_data().values():
            for error in errors:
                messages.error(request, error["message"])
    return _back_to_day(request, record.visit)


@cooperative_view(*COORDINATOR)
def accept_record(request: CooperativeRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(VisitRecord, pk=record_id, visit__cooperative=request.cooperative)
    return _accept_record(request, record)


@require_POST
def _accept_record(request: CooperativeRequest, record: VisitRecord) -> HttpResponse:
    press(
        request,
        lambda: services.accept_record(record, request.user),
        _("Record accepted; it is kept with your name."),
    )
    return redirect("visits:follow_up", request.cooperative.slug)


@cooperative_view(Role.CARER, Role.COORDINATOR)
def incident(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    """Report an incident on a visit (its carers, or a coordinator)."""
    visit = get_object_or_404(
        visits_of(request.user, request.cooperative, request.roles).select_related(
            "person", "task"
        ),
        pk=visit_id,
    )
    form = forms.IncidentForm(request.POST or None, initial={"occurred_at": timezone.now()})
    if submit(
        request,
        form,
        lambda data: services.report_incident_once(visit, request.user, **data),
        _("Incident reported; the coordinators will follow it up."),
    ):
        if Role.CARER in request.roles and visit.carers.filter(pk=request.user.pk).exists():
            return _back_to_day(request, visit)
        return redirect("visits:follow_up", request.cooperative.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/incident.html", {"visit": visit, "form": form}, status=status)


def _follow_up_page(
    request: CooperativeRequest, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    listed = _paged(request, queries.follow_up(request.cooperative))
    missed_handovers = listed["missed_handovers"]
    log_handover_reads(request.user, {n.person_id: n.person for n in missed_handovers}.values())
    confirm_form = (bound or {}).get("confirm")
    context = {
        **listed,
        **_to_verify(request, confirm_form),
        "missed_form": (bound or {}).get("missed") or forms.MissedForm(),
        "close_form": (bound or {}).get("close") or forms.CloseIncidentForm(),
        "errors_for": (bound or {}).get("target"),
    }
    return render(request, "visits/follow_up.html", context, status=status)


# Visits to verify per page: a morning's round of phone calls.
TO_VERIFY_PER_PAGE = 25
# The rows of each other list of the follow-up page per page, so that a busy fortnight keeps
# the page short; each list has its page in the address under its own name.
FOLLOW_UP_PER_PAGE = 25


def _paged(request: CooperativeRequest, listed: dict[str, Any]) -> dict[str, Any]:
    """Each list of ``listed`` as the rows of its page (``<name>_page`` in the address), with
    the page beside it as ``<name>_page`` and, as ``<name>_query``, the rest of the address
    for its links."""
    paged: dict[str, Any] = {}
    for name, rows in listed.items():
        param = f"{name}_page"
        page = Paginator(rows, FOLLOW_UP_PER_PAGE).get_page(request.GET.get(param))
        kept = request.GET.copy()
        kept.pop(param, None)
        paged[name], paged[param] = list(page.object_list), page
        paged[f"{name}_query"] = f"{kept.urlencode()}&" if kept else ""
    return paged


def _to_verify(request: CooperativeRequest, confirm_form: BaseForm | None) -> dict[str, Any]:
    """The page of visits to verify the filters in the address choose, with the filter form,
    the address of the filters without the page (for the page links) and the records ticked
    (those of a refused confirmation stay ticked)."""
    cooperative = request.cooperative
    filters = forms.ToVerifyFilterForm(request.GET or None, cooperative=cooperative)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = queries.to_verify(
        cooperative,
        carer=chosen.get("carer"),
        verification=chosen.get("verification", ""),
        day=chosen.get("day"),
    )
    page = Paginator(found, TO_VERIFY_PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return {
        "unverified": page.object_list,
        "unverified_page": page,
        "verify_filters": filters,
        "verify_query": kept.urlencode(),
        "confirm_form": confirm_form,
        "ticked": set(request.POST.getlist("records")) if confirm_form else set(),
    }


@cooperative_view(*COORDINATOR)
def confirm_many(request: CooperativeRequest) -> HttpResponse:
    """The coordinator phoned about the ticked visits and each was confirmed: all are
    verified at once, or none and the page says which could not be and why."""
    return _confirm_many(request)


@require_POST
def _confirm_many(request: CooperativeRequest) -> HttpResponse:
    form = forms.ConfirmManyForm(request.POST, cooperative=request.cooperative)
    done = submit(
        request,
        form,
        lambda data: services.confirm_many_by_phone(data["records"], request.user),
        lambda records: (
            ngettext(
                "%(count)s visit verified by phone.",
                "%(count)s visits verified by phone.",
                len(records),
            )
            % {"count": len(records)}
        ),
    )
    if done:
        address = reverse("visits:follow_up", args=[request.cooperative.slug])
        return redirect(f"{address}?{request.GET.urlencode()}" if request.GET else address)
    return _follow_up_page(request, bound={"confirm": form}, status=400)


@cooperative_view(*COORDINATOR)
def follow_up(request: CooperativeRequest) -> HttpResponse:
    """What needs a coordinator: visits to verify, late uploads, steps not done, visits with no
    record, open incidents, and wrong confirmation codes typed at check-out."""
    return _follow_up_page(request)


@cooperative_view(*COORDINATOR)
def late(request: CooperativeRequest) -> HttpResponse:
    """The visits late to start, nobody checked in, soonest first: the office calls the carer or
    the person while the visit can still take place."""
    visits = list(queries.late_to_start(request.cooperative))
    log_reads(request.user, {v.person_id: v.person for v in visits}.values(), "visits")
    return render(
        request,
        "visits/late.html",
        {"visits": visits, "after": int(rules.LATE_START_AFTER.total_seconds() // 60)},
    )


def _follow_up_action(
    request: CooperativeRequest,
    form: BaseForm,
    call: Callable[[dict[str, Any]], object],
    done: str,
    target: tuple[str, int],
) -> HttpResponse:
    if submit(request, form, call, done):
        return redirect("visits:follow_up", request.cooperative.slug)
    key = "missed" if isinstance(form, forms.MissedForm) else "close"
    return _follow_up_page(request, bound={key: form, "target": target}, status=400)


@cooperative_view(*COORDINATOR)
def confirm_by_phone(request: CooperativeRequest, record_id: int) -> HttpResponse:
    """The coordinator phoned and the person (or their circle) confirmed the visit."""
    record = get_object_or_404(VisitRecord, pk=record_id, visit__cooperative=request.cooperative)
    return _confirm_by_phone(request, record)


@require_POST
def _confirm_by_phone(request: CooperativeRequest, record: VisitRecord) -> HttpResponse:
    press(
        request,
        lambda: services.confirm_by_phone(record, request.user),
        _("Visit verified by phone."),
    )
    return redirect("visits:follow_up", request.cooperative.slug)


@cooperative_view(*COORDINATOR)
def missed(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    return _missed(request, get_object_or_404(Visit, pk=visit_id, cooperative=request.cooperative))


@require_POST
def _missed(request: CooperativeRequest, visit: Visit) -> HttpResponse:
    return _follow_up_action(
        request,
        forms.MissedForm(request.POST),
        lambda data: services.mark_missed(visit, data["reason"]),
        _("Visit marked missed."),
        ("visit", visit.pk),
    )


@cooperative_view(*COORDINATOR)
def close_incident(request: CooperativeRequest, incident_id: int) -> HttpResponse:
    found = get_object_or_404(Incident, pk=incident_id, cooperative=request.cooperative)
    return _close_incident(request, found)


@require_POST
def _close_incident(request: CooperativeRequest, found: Incident) -> HttpResponse:
    return _follow_up_action(
        request,
        forms.CloseIncidentForm(request.POST),
        lambda data: services.close_incident(found, timezone.localdate(), data["outcome"]),
        _("Incident closed."),
        ("incident", found.pk),
    )


# -- handover notes ------------------------------------------------------------------------------


def _handover_page(
    request: CooperativeRequest, person: PersonCaredFor, form: BaseForm, action: str
) -> HttpResponse:
    status = 400 if form.is_bound else 200
    context = {"person": person, "form": form, "action": action}
    return render(request, "visits/handover.html", context, status=status)


@cooperative_view(Role.CARER)
def handover_at_visit(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    """A carer writes a handover note from their visit card, within their hours around it."""
    visit = _own_visit(request, visit_id)
    person = handover_writer_of(request.user, request.cooperative, (Role.CARER,), visit.person_id)
    form = forms.HandoverForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.write_handover(person, request.user, data["text"], visit=visit),
        _("Handover note saved: the next carers will see it."),
    ):
        return _back_to_day(request, visit)
    url = reverse("visits:handover_at_visit", args=[request.cooperative.slug, visit.pk])
    return _handover_page(request, person, form, url)


@cooperative_view(*COORDINATOR)
def handover_on_person(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """A coordinator writes a handover note from the person's page."""
    person = get_object_or_404(PersonCaredFor, pk=person_id, cooperative=request.cooperative)
    form = forms.HandoverForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.write_handover(person, request.user, data["text"]),
        _("Handover note saved: the next carers will see it."),
    ):
        return redirect("care:person", request.cooperative.slug, person.pk)
    url = reverse("visits:handover_on_person", args=[request.cooperative.slug, person.pk])
    return _handover_page(request, person, form, url)


@cooperative_view(Role.CARER)
def acknowledge_handover(request: CooperativeRequest, note_id: int) -> HttpResponse:
    """The carer read a handover note on their visit card: htmx swaps the note in place."""
    return _acknowledge_handover(
        request, note_to_acknowledge(request.user, request.cooperative, note_id)
    )


@require_POST
def _acknowledge_handover(request: CooperativeRequest, note: HandoverNote) -> HttpResponse:
    if not request.htmx:
        press(request, lambda: services.acknowledge_handover(note, request.user), None)
        return redirect("visits:today", request.cooperative.slug)
    # htmx swaps only a 2xx answer, so a refusal is said in the note's place.
    context: dict[str, Any] = {"note": note}
    try:
        context["read_at"] = services.acknowledge_handover(note, request.user).at
    except ValidationError as error:
        context["errors"] = error.messages
    return render(request, "visits/_handover_note.html", context)


@cooperative_view(*COORDINATOR)
def retire_handover(request: CooperativeRequest, note_id: int) -> HttpResponse:
    """A coordinator marks a handover note no longer relevant; it is kept."""
    return _retire_handover(request, note_of(request.cooperative, note_id))


@require_POST
def _retire_handover(request: CooperativeRequest, note: HandoverNote) -> HttpResponse:
    press(
        request,
        lambda: services.retire_handover(note, request.user),
        _("Handover note marked no longer relevant."),
    )
    return redirect("care:person", request.cooperative.slug, note.person_id)


# -- a coordinator's one-off changes: cancel, move, add -----------------------------------------


def _moment(data: dict[str, Any]) -> datetime:
    """The form's day and time as a moment on the cooperative's clock."""
    return services.local_moment(data["day"], data["at"])


def _change_page(
    request: CooperativeRequest,
    visit: Visit,
    bound: dict[str, BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    carers = carers_of(request.cooperative)
    starts = timezone.localtime(visit.starts_at)
    forms_shown: dict[str, BaseForm] = {
        "cancel": forms_of_rostering.CancelVisitForm(prefix="cancel"),
        "move": forms_of_rostering.MoveVisitForm(
            prefix="move",
            carers=carers,
            initial={"day": starts.date(), "at": starts.time()},
        ),
    } | (bound or {})
    context = {
        "visit": visit,
        "cancel_form": forms_shown["cancel"],
        "move_form": forms_shown["move"],
        "cancellations": visit.cancellations.select_related("cancelled_by", "moved_to"),
        "roster": published_roster_of(visit),
        "changeable": visit.status == VisitStatus.PLANNED and visit.starts_at > timezone.now(),
    }
    return render(request, "visits/change.html", context, status=status)


@cooperative_view(*COORDINATOR)
def change(request: CooperativeRequest, visit_id: int) -> HttpResponse:
    """One visit, for a coordinator to cancel (who asked and why) or move to another time or
    other carers, checked as a roster edit."""
    visit = get_object_or_404(
        Visit.objects.select_related("person", "task"),
        pk=visit_id,
        cooperative=request.cooperative,
    )
    log_reads(request.user, [visit.person], "visit change")
    if request.method != "POST":
        return _change_page(request, visit)
    if "cancel" in request.POST:
        cancel_form = forms_of_rostering.CancelVisitForm(request.POST, prefix="cancel")
        if submit(
            request,
            cancel_form,
            lambda data: visit_changes.cancel(
                visit, data["requested_by"], data["reason"], request.user
            ),
            _("Visit cancelled; its carers are told."),
        ):
            return redirect("visits:change", request.cooperative.slug, visit.pk)
        return _change_page(request, visit, {"cancel": cancel_form}, status=400)
    form = forms_of_rostering.MoveVisitForm(
        request.POST, prefix="move", carers=carers_of(request.cooperative)
    )
    moved = submit(
        request,
        form,
        lambda data: visit_changes.move(
            visit,
            request.user,
            starts_at=_moment(data),
            carers=list(data["carers"]) or None,
            reason=data["reason"],
            override_reason=data["override_reason"],
        ),
        _("Visit changed; its carers are told."),
    )
    if moved:
        return redirect("visits:change", request.cooperative.slug, moved.result.pk)
    return _change_page(request, visit, {"move": form}, status=400)


@cooperative_view(*COORDINATOR)
def add(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Add a one-off visit for a person: a task of their care plan, a day, a time."""
    person = get_object_or_404(PersonCaredFor, pk=person_id, cooperative=request.cooperative)
    log_reads(request.user, [person], "visit change")
    today = timezone.localdate()
    plan = current_plan(person, today) or person.plans.order_by("-version").first()
    tasks = plan.tasks.all() if plan else CareTask.objects.none()
    form = forms_of_rostering.AddVisitForm(
        request.POST or None, tasks=tasks, carers=carers_of(request.cooperative)
    )
    if request.method == "POST":
        added = submit(
            request,
            form,
            lambda data: visit_changes.add(
                person,
                data["task"],
                _moment(data),
                data["minutes"],
                request.user,
                double_handed=data["double_handed"],
                carers=list(data["carers"]),
                override_reason=data["override_reason"],
            ),
            _("One-off visit added."),
        )
        if added:
            return redirect("visits:change", request.cooperative.slug, added.result.pk)
    return render(
        request,
        "visits/add.html",
        {"person": person, "form": form},
        status=400 if form.is_bound else 200,
    )


# -- requests about visits: the person's circle asks, a coordinator answers ---------------------


def _request_forms(
    person: PersonCaredFor, kind: str | None = None, data: Any = None
) -> dict[str, BaseForm]:
    """The four ways to ask, the one of ``kind`` bound to ``data``."""
    plan = current_plan(person, timezone.localdate())
    tasks = plan.tasks.all() if plan else CareTask.objects.none()
    visits = queries.visits_to_ask_about(person)

    def bound(which: str) -> Any:
        return data if which == kind else None

    return {
        VisitRequestKind.MOVE: forms.MoveRequestForm(bound("move"), prefix="move", visits=visits),
        VisitRequestKind.CANCEL: forms.CancelRequestForm(
            bound("cancel"), prefix="cancel", visits=visits
        ),
        VisitRequestKind.EXTRA: forms.ExtraRequestForm(bound("extra"), prefix="extra", tasks=tasks),
        VisitRequestKind.TRIAL: forms.TrialRequestForm(
            bound("trial"), prefix="trial", visits=visits
        ),
    }


def _request_page(
    request: CooperativeRequest, grant: CircleMember, shown: dict[str, BaseForm]
) -> HttpResponse:
    person = grant.person
    context = {
        "person": person,
        # Asking to meet a new carer is choosing the team: only with that grant.
        "may_choose": grant.can_choose_carers,
        "asked": queries.requests_about(person),
        "move_form": shown[VisitRequestKind.MOVE],
        "cancel_form": shown[VisitRequestKind.CANCEL],
        "extra_form": shown[VisitRequestKind.EXTRA],
        "trial_form": shown[VisitRequestKind.TRIAL],
    }
    status = 400 if any(f.is_bound for f in shown.values()) else 200
    return render(request, "visits/requests.html", context, status=status)


def _asked(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a request form says, as ``requests.ask`` takes it."""
    if kind == VisitRequestKind.EXTRA:
        return {
            "task": data["task"],
            "starts_at": services.local_moment(data["day"], data["starts"]),
            "ends_by": services.local_moment(data["day"], data["ends"]),
        }
    if kind == VisitRequestKind.MOVE:
        return {"visit": data["visit"], "starts_at": _moment(data)}
    return {"visit": data["visit"]}


@cooperative_view(Role.CIRCLE)
def person_requests(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """For a circle member granted the person's visits: ask to move or cancel a visit, or for
    an extra one, and read the requests about the person's visits with their answers."""
    grant = request_grant(request.user, request.cooperative, person_id)
    person = grant.person
    log_request_reads(request.user, [person])
    if request.method != "POST":
        return _request_page(request, grant, _request_forms(person))
    kind = next((k for k in VisitRequestKind.values if k in request.POST), VisitRequestKind.CANCEL)
    shown = _request_forms(person, kind, request.POST)
    if submit(
        request,
        shown[kind],
        lambda data: requests.ask(
            person, kind, data["reason"], request.user, grant, **_asked(kind, data)
        ),
        _("Your request is sent. The office will answer it here."),
    ):
        return redirect("visits:person_requests", request.cooperative.slug, person.pk)
    return _request_page(request, grant, shown)


def _queue_page(
    request: CooperativeRequest,
    bound: tuple[int, str, BaseForm] | None = None,
) -> HttpResponse:
    waiting = list(queries.requests_waiting(request.cooperative))
    log_request_reads(request.user, {r.person_id: r.person for r in waiting}.values())
    rows = []
    for asked in waiting:
        row = {
            "request": asked,
            "checks": [" ".join(e.messages) for e in requests.checks(asked, request.user)],
            "accept": _accept_form(request, asked),
            "refuse": forms.RefuseRequestForm(prefix=f"refuse{asked.pk}"),
        }
        if bound is not None and bound[0] == asked.pk:
            row[bound[1]] = bound[2]
        rows.append(row)
    status = 400 if bound else 200
    return render(request, "visits/requests_waiting.html", {"rows": rows}, status=status)


def _accept_form(request: CooperativeRequest, asked: VisitRequest, data: Any = None) -> BaseForm:
    """The form accepting ``asked``; a trial's asks which of the cooperative's carers comes."""
    carers = None
    if asked.kind == VisitRequestKind.TRIAL:
        carers = care_queries.carers_of(request.cooperative)
    return forms.AcceptRequestForm(data, prefix=f"accept{asked.pk}", carers=carers)


@cooperative_view(*COORDINATOR)
def requests_waiting(request: CooperativeRequest) -> HttpResponse:
    """The requests of people and their circles waiting for an answer, oldest first, each with
    what accepting it would meet under the rules of a roster edit."""
    return _queue_page(request)


def _request_of(request: CooperativeRequest, visit_request_id: int) -> VisitRequest:
    return get_object_or_404(
        VisitRequest.objects.select_related("person", "visit", "task"),
        pk=visit_request_id,
        cooperative=request.cooperative,
    )


@cooperative_view(*COORDINATOR)
def accept_request(request: CooperativeRequest, visit_request_id: int) -> HttpResponse:
    return _accept_request(request, _request_of(request, visit_request_id))


@require_POST
def _accept_request(request: CooperativeRequest, asked: VisitRequest) -> HttpResponse:
    form = _accept_form(request, asked, request.POST)

    def start(data: dict[str, Any]) -> datetime | None:
        if data.get("at") is None or asked.starts_at is None:
            return None
        return services.local_moment(timezone.localdate(asked.starts_at), data["at"])

    if submit(
        request,
        form,
        lambda data: requests.accept(
            asked,
            request.user,
            starts_at=start(data),
            answer=data["answer"],
            override_reason=data["override_reason"],
            carer=data.get("carer"),
        ),
        _("Request accepted and the visits changed; the person's circle is told."),
    ):
        return redirect("visits:requests_waiting", request.cooperative.slug)
    return _queue_page(request, (asked.pk, "accept", form))


@cooperative_view(*COORDINATOR)
def refuse_request(request: CooperativeRequest, visit_request_id: int) -> HttpResponse:
    return _refuse_request(request, _request_of(request, visit_request_id))


@require_POST
def _refuse_request(request: CooperativeRequest, asked: VisitRequest) -> HttpResponse:
    form = forms.RefuseRequestForm(request.POST, prefix=f"refuse{asked.pk}")
    if submit(
        request,
        form,
        lambda data: requests.refuse(asked, request.user, data["reason"]),
        _("Request refused; the person's circle is told."),
    ):
        return redirect("visits:requests_waiting", request.cooperative.slug)
    return _queue_page(request, (asked.pk, "refuse", form))
