"""Risk and review pages: a person's risk assessments, goals and reviews with their charts, and
the coordinators' list of reviews due and overdue."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import submit
from coopcare.risks import access, charts, forms, queries, services
from coopcare.risks.models import RiskAssessment
from coopcare.risks.scales import SCALES, Kind, scales_for

READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)


def _page(request, person, bound: dict | None = None, status: int = 200):
    """The person's risks page; ``bound`` holds a posted form with its errors, by name."""
    bound = bound or {}
    is_coordinator = Role.COORDINATOR in request.roles
    current = queries.current_assessments(person)
    rtl = get_language_bidi()
    history = queries.score_history(person)
    goals = queries.goal_history(person)
    context = {
        "person": person,
        "is_coordinator": is_coordinator,
        "current": current,
        "versions": person.risk_assessments.select_related("assessor").order_by("kind", "-version"),
        "scores_chart": charts.lines_svg(
            {str(SCALES[key].name): points for key, points in history.items()}, rtl=rtl
        ),
        "goals": goals,
        "goals_chart": charts.lines_svg(
            {goal.words[:40]: points for goal, points in goals if points}, rtl=rtl
        ),
        "reviews": person.reviews.select_related("recorded_by").prefetch_related(
            "circle", "carers", "ratings__goal"
        ),
        "plan_due": queries.plan_review_due(person),
        "today": timezone.localdate(),
    }
    if is_coordinator:
        context["assessment_forms"] = [
            (
                Kind(kind).label,
                [
                    (key, SCALES[key], bound.get(key) or forms.AssessmentForm(key, prefix=key))
                    for key in scales_for(kind)
                ],
            )
            for kind in Kind.values
        ]
        context["goal_form"] = bound.get("goal") or forms.GoalForm(prefix="goal")
        context["review_form"] = bound.get("review") or forms.ReviewForm(person, prefix="review")
        handling = next((a for a in current if a.kind == Kind.MOVING_HANDLING), None)
        if handling is not None and handling.carers_needed == 2:
            form = bound.get("double") or forms.DoubleHandedForm(person, prefix="double")
            if forms.task_choices(form).exists() or form.is_bound:
                context["double_handed"] = (handling, form)
    return render(request, "risks/person.html", context, status=status)


@cooperative_view(*READERS)
def person_risks(request, person_id: int):
    """A person's risk assessments, goals and reviews (a read of their care record, logged)."""
    person = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    access.log_read(request.user, person)
    return _page(request, person)


def _coordinators_person(request, person_id: int):
    return get_object_or_404(request.cooperative.people_cared_for.all(), pk=person_id)


@cooperative_view(Role.COORDINATOR)
def assess(request, person_id: int, scale: str):
    """Record a new version of one of the person's risk assessments, signed by the user."""
    person = _coordinators_person(request, person_id)
    if scale not in SCALES:
        raise Http404
    return _assess(request, person, scale)


@require_POST
def _assess(request, person, scale: str):
    form = forms.AssessmentForm(scale, request.POST, prefix=scale)
    if submit(
        request,
        form,
        lambda _data: services.assess(person, by=request.user, **form.service_arguments()),
        _("Assessment signed and recorded."),
    ):
        return redirect("risks:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, {scale: form}, status=400)


@cooperative_view(Role.COORDINATOR)
def goal(request, person_id: int):
    """Record a goal of the person, in their own words."""
    return _goal(request, _coordinators_person(request, person_id))


@require_POST
def _goal(request, person):
    form = forms.GoalForm(request.POST, prefix="goal")
    if submit(
        request,
        form,
        lambda data: services.set_goal(person, by=request.user, **data),
        _("Goal recorded."),
    ):
        return redirect("risks:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, {"goal": form}, status=400)


@cooperative_view(Role.COORDINATOR)
def review(request, person_id: int):
    """Record a review of the person's care."""
    return _review(request, _coordinators_person(request, person_id))


@require_POST
def _review(request, person):
    form = forms.ReviewForm(person, request.POST, prefix="review")
    if submit(
        request,
        form,
        lambda _data: services.record_review(person, by=request.user, **form.service_arguments()),
        _("Review recorded."),
    ):
        return redirect("risks:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, {"review": form}, status=400)


@cooperative_view(Role.COORDINATOR)
def double_handed(request, assessment_id: int):
    """Make the chosen tasks of the person's care plan double-handed, as the moving and
    handling assessment says."""
    assessment = get_object_or_404(
        RiskAssessment.objects.select_related("person"),
        pk=assessment_id,
        person__cooperative=request.cooperative,
    )
    return _double_handed(request, assessment)


@require_POST
def _double_handed(request, assessment):
    person = assessment.person
    form = forms.DoubleHandedForm(person, request.POST, prefix="double")
    if submit(
        request,
        form,
        lambda data: services.make_visits_double_handed(
            assessment,
            task_ids=[t.pk for t in data["tasks"]],
            valid_from=data["valid_from"],
            by=request.user,
        ),
        lambda plan: (
            _("Care plan version %(version)s: those visits now take two carers.")
            % {"version": plan.version}
        ),
    ):
        return redirect("risks:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, {"double": form}, status=400)


@cooperative_view(Role.COORDINATOR)
def due(request):
    """The reviews due in the coming weeks and those overdue, the most overdue first."""
    rows = queries.people_due(request.cooperative, timezone.localdate())
    access.log_due(request.user, rows)
    return render(request, "risks/due.html", {"rows": rows, "within": queries.DUE_SOON_DAYS})
