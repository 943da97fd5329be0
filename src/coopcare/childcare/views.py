"""The childcare pages: the centre (rooms, children, refusals at the door), a child's record,
the door tablet where children are signed in and out, a room now with its ratio, the
ratios in force, a child's observations (on the child's page, a guardian's shared ones
only), and parents' fees (schedules, subsidies, a month's run; a child's terms and fees on
the child's page, for the office and the child's guardians)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coopcare.childcare import access, forms, queries, services
from coopcare.childcare.models import (
    AuthorisedAdult,
    Child,
    ChildConsent,
    Observation,
    Room,
    Shift,
)
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit

OFFICE = (Role.COORDINATOR,)
SAVED = _("Saved.")


def _centre(request: CooperativeRequest, status: int = 200, **given) -> HttpResponse:
    cooperative = request.cooperative
    today = timezone.localdate()
    children = access.children_visible_to(request.user, cooperative, request.roles)
    staff = access.is_staff(request.roles)
    return render(
        request,
        "childcare/centre.html",
        {
            "staff": staff,
            "office": Role.COORDINATOR in request.roles,
            "rooms": [queries.room_now(room) for room in queries.rooms(cooperative)]
            if staff
            else [],
            "children": children.select_related("room"),
            "refusals": queries.refusals(cooperative, timezone.now() - timedelta(days=7))
            if staff
            else [],
            "today": today,
            "room_form": given.get("room_form") or forms.RoomForm(),
            "child_form": given.get("child_form") or forms.ChildForm(cooperative=cooperative),
        },
        status=status,
    )


@cooperative_view(*access.FAMILY_AND_STAFF, form=access.FORM)
def centre(request: CooperativeRequest) -> HttpResponse:
    """The centre: its rooms now, the children (a guardian's own only), the refusals."""
    return _centre(request)


@cooperative_view(*OFFICE, form=access.FORM)
@require_POST
def add_room(request: CooperativeRequest) -> HttpResponse:
    form = forms.RoomForm(request.POST)
    if submit(request, form, lambda d: services.add_room(request.cooperative, **d), SAVED):
        return redirect("childcare:centre", request.cooperative.slug)
    return _centre(request, 400, room_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
@require_POST
def enrol(request: CooperativeRequest) -> HttpResponse:
    form = forms.ChildForm(request.POST, cooperative=request.cooperative)
    outcome = submit(request, form, lambda d: services.enrol(request.cooperative, **d), SAVED)
    if outcome:
        return redirect("childcare:child", request.cooperative.slug, outcome.result.pk)
    return _centre(request, 400, child_form=form)


def _child_page(request: CooperativeRequest, child: Child, status: int = 200, **given):
    staff = access.is_staff(request.roles)
    access.log_read(request.user, child, "child")
    observations = list(access.observations_visible_to(child, request.roles))
    if observations:
        access.log_read(request.user, child, "observations")
    return render(
        request,
        "childcare/child.html",
        {
            "child": child,
            "staff": staff,
            "office": Role.COORDINATOR in request.roles,
            "guardians": child.guardians.all(),
            "adults": child.adults.order_by("withdrawn_at", "full_name"),
            "consents": child.consents.select_related("given_by"),
            "attendance": child.attendances.select_related("brought_by", "collected_by")[:20],
            "refusals": child.refusals.all()[:10] if staff else [],
            "guardian_form": given.get("guardian_form") or forms.GuardianForm(),
            "adult_form": given.get("adult_form") or forms.AdultForm(),
            "consent_form": given.get("consent_form") or forms.ConsentForm(child=child),
            "observations": observations,
            "observation_form": given.get("observation_form")
            or forms.ObservationForm(initial={"observed_on": timezone.localdate()}),
            # Fees are the office's and the family's business, not the room's.
            "fees": queries.child_fees(child)
            if set(request.roles) & {Role.COORDINATOR, Role.CIRCLE}
            else None,
            "fee_terms_form": given.get("fee_terms_form") or forms.FeeTermsForm(child=child),
        },
        status=status,
    )


def _visible(request: CooperativeRequest, child_id: int) -> Child:
    return access.visible_child(request.user, request.cooperative, request.roles, child_id)


@cooperative_view(*access.FAMILY_AND_STAFF, form=access.FORM)
def child(request: CooperativeRequest, child_id: int) -> HttpResponse:
    """A child's record: health and allergies (the read logged), guardians, who may collect
    them, consents and their recent days."""
    return _child_page(request, _visible(request, child_id))


@cooperative_view(*OFFICE, form=access.FORM)
def add_guardian(request: CooperativeRequest, child_id: int) -> HttpResponse:
    return _add_guardian(request, _visible(request, child_id))


@require_POST
def _add_guardian(request: CooperativeRequest, found: Child) -> HttpResponse:
    form = forms.GuardianForm(request.POST)
    if submit(request, form, lambda d: services.add_guardian(found, by=request.user, **d), SAVED):
        return redirect("childcare:child", request.cooperative.slug, found.pk)
    return _child_page(request, found, 400, guardian_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
def add_adult(request: CooperativeRequest, child_id: int) -> HttpResponse:
    return _add_adult(request, _visible(request, child_id))


@require_POST
def _add_adult(request: CooperativeRequest, found: Child) -> HttpResponse:
    form = forms.AdultForm(request.POST)
    if submit(
        request, form, lambda d: services.authorise_adult(found, by=request.user, **d), SAVED
    ):
        return redirect("childcare:child", request.cooperative.slug, found.pk)
    return _child_page(request, found, 400, adult_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
def withdraw_adult(request: CooperativeRequest, adult_id: int) -> HttpResponse:
    adult = get_object_or_404(AuthorisedAdult, pk=adult_id, child__cooperative=request.cooperative)
    return _withdraw_adult(request, adult)


@require_POST
def _withdraw_adult(request: CooperativeRequest, adult: AuthorisedAdult) -> HttpResponse:
    press(request, lambda: services.withdraw_adult(adult, by=request.user), SAVED)
    return redirect("childcare:child", request.cooperative.slug, adult.child_id)


@cooperative_view(*OFFICE, form=access.FORM)
def give_consent(request: CooperativeRequest, child_id: int) -> HttpResponse:
    return _give_consent(request, _visible(request, child_id))


@require_POST
def _give_consent(request: CooperativeRequest, found: Child) -> HttpResponse:
    form = forms.ConsentForm(request.POST, child=found)
    if submit(
        request,
        form,
        lambda d: services.give_consent(
            found, kind=d["kind"], guardian=d["given_by"], given_on=d["given_on"], by=request.user
        ),
        SAVED,
    ):
        return redirect("childcare:child", request.cooperative.slug, found.pk)
    return _child_page(request, found, 400, consent_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
def withdraw_consent(request: CooperativeRequest, consent_id: int) -> HttpResponse:
    consent = get_object_or_404(ChildConsent, pk=consent_id, child__cooperative=request.cooperative)
    return _withdraw_consent(request, consent)


@require_POST
def _withdraw_consent(request: CooperativeRequest, consent: ChildConsent) -> HttpResponse:
    press(
        request,
        lambda: services.withdraw_consent(consent, on=timezone.localdate(), by=request.user),
        SAVED,
    )
    return redirect("childcare:child", request.cooperative.slug, consent.child_id)


@cooperative_view(*access.STAFF, form=access.FORM)
def observe(request: CooperativeRequest, child_id: int) -> HttpResponse:
    """A worker records an observation of the child, shared with the guardians or not."""
    return _observe(request, _visible(request, child_id))


@require_POST
def _observe(request: CooperativeRequest, found: Child) -> HttpResponse:
    form = forms.ObservationForm(request.POST)
    if submit(request, form, lambda d: services.observe(found, by=request.user, **d), SAVED):
        return redirect("childcare:child", request.cooperative.slug, found.pk)
    return _child_page(request, found, 400, observation_form=form)


@cooperative_view(*access.STAFF, form=access.FORM)
def share_observation(request: CooperativeRequest, observation_id: int) -> HttpResponse:
    observation = get_object_or_404(Observation, pk=observation_id, cooperative=request.cooperative)
    return _share_observation(request, observation)


@require_POST
def _share_observation(request: CooperativeRequest, observation: Observation) -> HttpResponse:
    press(request, lambda: services.share_observation(observation, by=request.user), SAVED)
    return redirect("childcare:child", request.cooperative.slug, observation.child_id)


@cooperative_view(*access.STAFF, form=access.FORM)
def door(request: CooperativeRequest) -> HttpResponse:
    """The door tablet: every child enrolled today, in or out, a tap away."""
    today = timezone.localdate()
    days = {a.child_id: a for a in queries.attendance_on(request.cooperative, today)}
    children = [(c, days.get(c.pk)) for c in queries.enrolled(request.cooperative, today)]
    return render(request, "childcare/door.html", {"children": children})


def _door_child_page(request: CooperativeRequest, found: Child, status: int = 200, **given):
    today = timezone.localdate()
    return render(
        request,
        "childcare/door_child.html",
        {
            "child": found,
            "attendance": found.attendances.filter(day=today).first(),
            "adults": queries.authorised(found),
            "someone_else_form": given.get("someone_else_form") or forms.SomeoneElseForm(),
        },
        status=status,
    )


@cooperative_view(*access.STAFF, form=access.FORM)
def door_child(request: CooperativeRequest, child_id: int) -> HttpResponse:
    """One child at the door: the adults on their list, to sign them in or out."""
    return _door_child_page(request, _visible(request, child_id))


@cooperative_view(*access.STAFF, form=access.FORM)
def sign(request: CooperativeRequest, child_id: int, direction: str) -> HttpResponse:
    found = _visible(request, child_id)
    if direction not in ("in", "out"):
        raise Http404
    return _sign(request, found, direction)


@require_POST
def _sign(request: CooperativeRequest, found: Child, direction: str) -> HttpResponse:
    adult = AuthorisedAdult.objects.filter(
        pk=request.POST.get("adult") or 0, child__cooperative=request.cooperative
    ).first()
    if direction == "in" and adult is not None:
        done = press(
            request,
            lambda: services.sign_in(found, adult=adult, by=request.user),
            _("Signed in."),
        )
    elif direction == "out":
        form = forms.SomeoneElseForm(request.POST)
        name = form.cleaned_data["person_name"] if form.is_valid() else ""
        if adult is None and not name:
            return _door_child_page(request, found, 400, someone_else_form=form)
        done = press(
            request,
            lambda: services.sign_out(found, adult=adult, person_name=name, by=request.user),
            _("Signed out."),
        )
    else:
        raise Http404
    if done:
        return redirect("childcare:door", request.cooperative.slug)
    return _door_child_page(request, found, 400)


def _room(request: CooperativeRequest, room_id: int) -> Room:
    return get_object_or_404(Room, pk=room_id, cooperative=request.cooperative)


def _room_page(request: CooperativeRequest, room: Room, status: int = 200, **given):
    return render(
        request,
        "childcare/room.html",
        {
            "now": queries.room_now(room),
            "office": Role.COORDINATOR in request.roles,
            "shifts": room.shifts.filter(starts_at__date=timezone.localdate()).select_related(
                "worker"
            ),
            "shift_form": given.get("shift_form")
            or forms.ShiftForm(cooperative=request.cooperative),
        },
        status=status,
    )


@cooperative_view(*access.STAFF, form=access.FORM)
def room(request: CooperativeRequest, room_id: int) -> HttpResponse:
    """A room now: children present, staff on shift, the ratio, and today's shifts."""
    return _room_page(request, _room(request, room_id))


@cooperative_view(*access.STAFF, form=access.FORM)
def room_now(request: CooperativeRequest, room_id: int) -> HttpResponse:
    """The part of the room's page that htmx asks for again every 30 seconds."""
    now = queries.room_now(_room(request, room_id))
    return render(request, "childcare/_room_now.html", {"now": now})


@cooperative_view(*OFFICE, form=access.FORM)
def add_shift(request: CooperativeRequest, room_id: int) -> HttpResponse:
    return _add_shift(request, _room(request, room_id))


@require_POST
def _add_shift(request: CooperativeRequest, found: Room) -> HttpResponse:
    form = forms.ShiftForm(request.POST, cooperative=request.cooperative)
    if submit(request, form, lambda d: services.roster(found, **d), SAVED):
        return redirect("childcare:room", request.cooperative.slug, found.pk)
    return _room_page(request, found, 400, shift_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
def remove_shift(request: CooperativeRequest, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=shift_id, cooperative=request.cooperative)
    return _remove_shift(request, shift)


@require_POST
def _remove_shift(request: CooperativeRequest, shift: Shift) -> HttpResponse:
    press(request, lambda: services.remove_shift(shift), SAVED)
    return redirect("childcare:room", request.cooperative.slug, shift.room_id)


def _ratios_page(request: CooperativeRequest, status: int = 200, form=None) -> HttpResponse:
    return render(
        request,
        "childcare/ratios.html",
        {
            "ratios": queries.ratios(request.cooperative),
            "history": queries.ratio_history(request.cooperative)[:20],
            "office": Role.COORDINATOR in request.roles,
            "form": form or forms.RatioForm(),
        },
        status=status,
    )


@cooperative_view(*access.STAFF, form=access.FORM)
def ratios(request: CooperativeRequest) -> HttpResponse:
    """The ratios in force, with their sources, and those the cooperative set before."""
    if request.method == "POST":
        if Role.COORDINATOR not in request.roles:
            raise PermissionDenied
        form = forms.RatioForm(request.POST)
        if submit(
            request,
            form,
            lambda d: services.set_ratio(request.cooperative, by=request.user, **d),
            SAVED,
        ):
            return redirect("childcare:ratios", request.cooperative.slug)
        return _ratios_page(request, 400, form)
    return _ratios_page(request)


def _fees_page(request: CooperativeRequest, status: int = 200, **given) -> HttpResponse:
    cooperative = request.cooperative
    month_form = forms.FeeMonthForm(request.GET or None)
    month = (
        month_form.cleaned_data["month"]
        if month_form.is_bound and month_form.is_valid()
        else services.last_month_ended()
    )
    preview = services.preview_fees(cooperative, month)
    return render(
        request,
        "childcare/fees.html",
        {
            "schedules": queries.fee_schedules(cooperative),
            "subsidies": queries.subsidies(cooperative),
            "preview": preview,
            "charges": queries.month_charges(cooperative, preview.month),
            "month_form": month_form
            if month_form.is_bound
            else forms.FeeMonthForm(initial={"month": preview.month}),
            "schedule_form": given.get("schedule_form") or forms.FeeScheduleForm(),
            "subsidy_form": given.get("subsidy_form") or forms.SubsidyForm(cooperative=cooperative),
        },
        status=status,
    )


@cooperative_view(*OFFICE, form=access.FORM)
def fees(request: CooperativeRequest) -> HttpResponse:
    """Parents' fees: the fee schedules and their bands, the subsidies, and a month's fees,
    what a run would bill (and why it could not) and what was billed, with its invoices."""
    return _fees_page(request)


@cooperative_view(*OFFICE, form=access.FORM)
@require_POST
def add_fee_schedule(request: CooperativeRequest) -> HttpResponse:
    form = forms.FeeScheduleForm(request.POST)
    if submit(
        request,
        form,
        lambda d: services.add_fee_schedule(request.cooperative, by=request.user, **d),
        SAVED,
    ):
        return redirect("childcare:fees", request.cooperative.slug)
    return _fees_page(request, 400, schedule_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
@require_POST
def add_subsidy(request: CooperativeRequest) -> HttpResponse:
    form = forms.SubsidyForm(request.POST, cooperative=request.cooperative)
    if submit(
        request,
        form,
        lambda d: services.add_subsidy(request.cooperative, by=request.user, **d),
        SAVED,
    ):
        return redirect("childcare:fees", request.cooperative.slug)
    return _fees_page(request, 400, subsidy_form=form)


@cooperative_view(*OFFICE, form=access.FORM)
@require_POST
def run_fees(request: CooperativeRequest) -> HttpResponse:
    form = forms.FeeMonthForm(request.POST)
    if not form.is_valid():
        return _fees_page(request, 400)
    month = form.cleaned_data["month"]
    press(
        request,
        lambda: services.run_fees(request.cooperative, month, by=request.user),
        _("The month's fees are billed as draft invoices."),
    )
    url = reverse("childcare:fees", args=[request.cooperative.slug])
    return redirect(f"{url}?month={month:%Y-%m-%d}")


@cooperative_view(*OFFICE, form=access.FORM)
def set_fee_terms(request: CooperativeRequest, child_id: int) -> HttpResponse:
    return _set_fee_terms(request, _visible(request, child_id))


@require_POST
def _set_fee_terms(request: CooperativeRequest, found: Child) -> HttpResponse:
    form = forms.FeeTermsForm(request.POST, child=found)
    if submit(request, form, lambda d: services.set_fee_terms(found, by=request.user, **d), SAVED):
        return redirect("childcare:child", request.cooperative.slug, found.pk)
    return _child_page(request, found, 400, fee_terms_form=form)
