"""Pages of family caregivers' support: the caregivers, each one's record (needs, consent,
support plans, respite visits, gatherings), and the support groups and training sessions with
who is enrolled and who came. Every read of a caregiver's record is logged."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import submit
from coopcare.respite import access, forms, queries, services
from coopcare.respite.models import Gathering


@cooperative_view(form="runs_respite")
def caregivers(request):
    """The caregivers the user may see: every one for a coordinator."""
    found = access.caregivers_visible_to(request.user, request.cooperative, request.roles)
    return render(
        request,
        "respite/caregivers.html",
        {
            "caregivers": found.select_related("cares_for"),
            "is_coordinator": Role.COORDINATOR in request.roles,
        },
    )


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def new_caregiver(request):
    form = forms.CaregiverForm(request.cooperative, request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.register_caregiver(request.cooperative, by=request.user, **data),
            _("Saved."),
        )
        if done:
            return redirect("respite:caregiver", request.cooperative.slug, done.result.pk)
        return render(request, "respite/new_caregiver.html", {"form": form}, status=400)
    return render(request, "respite/new_caregiver.html", {"form": form})


def _caregiver_page(request, caregiver, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    is_coordinator = Role.COORDINATOR in request.roles
    context = {
        "caregiver": caregiver,
        "is_coordinator": is_coordinator,
        "plans": caregiver.plans.all(),
        "respite_visits": queries.respite_visits(caregiver),
        "enrolments": caregiver.enrolments.select_related("gathering"),
    }
    if is_coordinator:
        context["plan_form"] = bound.get("plan") or forms.SupportPlanForm(prefix="plan")
        context["end_form"] = bound.get("end") or forms.EndSupportForm(prefix="end")
    access.log_read(request.user, caregiver)
    return render(request, "respite/caregiver.html", context, status=status)


@cooperative_view(form="runs_respite")
def caregiver(request, caregiver_id: int):
    found = access.visible_caregiver(request.user, request.cooperative, request.roles, caregiver_id)
    return _caregiver_page(request, found)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def support_plan(request, caregiver_id: int):
    found = access.visible_caregiver(request.user, request.cooperative, request.roles, caregiver_id)
    return _support_plan(request, found)


@require_POST
def _support_plan(request, found):
    form = forms.SupportPlanForm(request.POST, prefix="plan")
    call = lambda data: services.new_support_plan(found, by=request.user, **data)  # noqa: E731
    if submit(request, form, call, _("Saved.")):
        return redirect("respite:caregiver", request.cooperative.slug, found.pk)
    return _caregiver_page(request, found, {"plan": form}, status=400)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def end_support(request, caregiver_id: int):
    found = access.visible_caregiver(request.user, request.cooperative, request.roles, caregiver_id)
    return _end_support(request, found)


@require_POST
def _end_support(request, found):
    form = forms.EndSupportForm(request.POST, prefix="end")
    call = lambda data: services.end_support(found, **data)  # noqa: E731
    if submit(request, form, call, _("Saved.")):
        return redirect("respite:caregiver", request.cooperative.slug, found.pk)
    return _caregiver_page(request, found, {"end": form}, status=400)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def gatherings(request):
    """The support groups and training sessions, and the form to plan one."""
    form = forms.GatheringForm(request.cooperative, request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda data: services.plan_gathering(request.cooperative, **data),
            _("Saved."),
        )
        if done:
            return redirect("respite:gathering", request.cooperative.slug, done.result.pk)
    context = {"gatherings": queries.gatherings(request.cooperative), "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "respite/gatherings.html", context, status=status)


def _gathering_page(request, gathering, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    context = {
        "gathering": gathering,
        "enrolments": gathering.enrolments.select_related("caregiver"),
        "enrol_form": bound.get("enrol") or forms.EnrolForm(request.cooperative, prefix="enrol"),
        "attendance_form": bound.get("attendance")
        or forms.AttendanceForm(gathering, prefix="attendance"),
    }
    return render(request, "respite/gathering.html", context, status=status)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def gathering(request, gathering_id: int):
    found = get_object_or_404(Gathering, pk=gathering_id, cooperative=request.cooperative)
    return _gathering_page(request, found)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def enrol(request, gathering_id: int):
    found = get_object_or_404(Gathering, pk=gathering_id, cooperative=request.cooperative)
    return _enrol(request, found)


@require_POST
def _enrol(request, found):
    form = forms.EnrolForm(request.cooperative, request.POST, prefix="enrol")
    call = lambda data: services.enrol(found, data["caregiver"])  # noqa: E731
    if submit(request, form, call, _("Saved.")):
        return redirect("respite:gathering", request.cooperative.slug, found.pk)
    return _gathering_page(request, found, {"enrol": form}, status=400)


@cooperative_view(Role.COORDINATOR, form="runs_respite")
def attendance(request, gathering_id: int):
    found = get_object_or_404(Gathering, pk=gathering_id, cooperative=request.cooperative)
    return _attendance(request, found)


@require_POST
def _attendance(request, found):
    form = forms.AttendanceForm(found, request.POST, prefix="attendance")
    call = lambda data: services.record_attendance(  # noqa: E731
        found, {c.pk for c in data["came"]}
    )
    if submit(request, form, call, _("Saved.")):
        return redirect("respite:gathering", request.cooperative.slug, found.pk)
    return _gathering_page(request, found, {"attendance": form}, status=400)
