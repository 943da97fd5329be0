"""Pages for people cared for. Every page that shows a care record logs the read."""

import copy
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, BaseFormSet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from coopcare.care import access, export, forms, queries, rules, services
from coopcare.care.models import Consent, ConsentKind, DoorAccess, PersonCaredFor, Signature
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import Action, offered, perform, submit
from coopcare.rostering.services.care_status import change_care_status
from coopcare.visits import services as visit_services

COORDINATOR = (Role.COORDINATOR,)

ACTIONS = {
    # A pause, a hospital stay or the end of care acts on visits and rosters, so the action
    # is rostering's, as on the API.
    "status": Action(
        forms.CareStatusForm,
        lambda p, d, by: change_care_status(
            p, d["status"], d["on"], by, d["reason"], d["kind"], d["until"]
        ),
        COORDINATOR,
        gettext_lazy("Change care status"),
        gettext_lazy("Status changed."),
    ),
    "consent": Action(
        forms.ConsentForm,
        lambda p, d, by: services.give_consent(
            p, d["kind"], d["given_by"], d["on"], by, capacity=d["capacity"]
        ),
        COORDINATOR,
        gettext_lazy("Record a consent"),
        gettext_lazy("Consent recorded."),
    ),
    "withdraw-consent": Action(
        forms.WithdrawConsentForm,
        lambda p, d, by: services.withdraw_consent(p, d["kind"], d["on"]),
        COORDINATOR,
        gettext_lazy("Withdraw a consent"),
        gettext_lazy("Consent withdrawn."),
    ),
    "verification": Action(
        forms.VerificationForm,
        lambda p, d, by: services.choose_verification(p, d["method"]),
        COORDINATOR,
        gettext_lazy("Visit verification chosen by the person"),
        gettext_lazy("Verification method saved."),
    ),
    "circle": Action(
        forms.CircleForm,
        lambda p, d, by: services.add_to_circle(p, **d),
        COORDINATOR,
        gettext_lazy("Add someone to the circle"),
        gettext_lazy("Added to the circle."),
        needs_subject="person",
    ),
    "revoke-circle": Action(
        forms.RevokeCircleForm,
        lambda p, d, by: services.revoke_from_circle(d["member"], d["on"]),
        COORDINATOR,
        gettext_lazy("Revoke a circle grant"),
        gettext_lazy("Grant revoked."),
        needs_subject="person",
    ),
    "assess": Action(
        forms.AssessmentForm,
        lambda p, d, by: services.record_assessment(
            p,
            domain=d["domain"],
            on=d["on"],
            assessor=by,
            scale=d["scale"],
            items=d["items"],
            notes=d["notes"],
        ),
        COORDINATOR,
        gettext_lazy("Record a needs assessment"),
        gettext_lazy("Assessment recorded."),
    ),
}
ACTION_ORDER = list(ACTIONS)


@cooperative_view(Role.COORDINATOR, Role.CARER)
def people(request: CooperativeRequest) -> HttpResponse:
    """The people this user may see now: a coordinator all, a carer those they visit."""
    visible = access.people_visible_to(request.user, request.cooperative, request.roles)
    query = request.GET.get("q", "").strip()
    if query:
        visible = visible.filter(full_name__icontains=query)
    page = Paginator(visible.order_by("full_name"), 50).get_page(request.GET.get("page"))
    template = "care/_people_table.html" if request.htmx else "care/people.html"
    return render(request, template, {"page": page, "q": query})


@cooperative_view(*COORDINATOR)
def admit(request: CooperativeRequest) -> HttpResponse:
    """Record a new person cared for."""
    form = forms.PersonForm(request.POST or None, cooperative=request.cooperative)
    if admitted := submit(
        request,
        form,
        lambda data: services.admit_person(request.cooperative, recorded_by=request.user, **data),
        lambda person: _("%(name)s is recorded.") % {"name": person},
    ):
        return redirect("care:person", request.cooperative.slug, admitted.result.pk)
    return render(request, "care/admit.html", {"form": form})


def _person_context(
    request: CooperativeRequest,
    person: PersonCaredFor,
    bound: dict[str, BaseForm] | None = None,
    plan_forms: tuple[forms.PlanForm, BaseFormSet] | None = None,
) -> dict[str, Any]:
    is_coordinator = Role.COORDINATOR in request.roles
    today = timezone.localdate()
    plan = services.current_plan(person, today) or person.plans.order_by("version").first()
    visits = person.visits.filter(starts_at__date__gte=today).prefetch_related("carers")
    if not is_coordinator:
        visits = visits.filter(carers=request.user)
    plan_form, task_formset = plan_forms or (forms.PlanForm(), forms.TaskFormSet(prefix="tasks"))
    signatures = list(queries.signatures_of(request.cooperative, person))
    signed_plans = {s.plan_id: s for s in signatures if s.plan_id}
    return {
        "person": person,
        "is_coordinator": is_coordinator,
        "plan": plan,
        "upcoming": visits[:20],
        "recent": person.visit_records.select_related("carer").prefetch_related("outcomes")[:20],
        "incidents": person.incidents.all()[:20] if is_coordinator else [],
        "statuses": person.statuses.all(),
        "consents": person.consents.all(),
        "circle": person.circle.select_related("user"),
        "assessments": person.assessments.select_related("assessor"),
        "action_forms": offered(request, ACTIONS, ACTION_ORDER, person, bound)
        if is_coordinator
        else [],
        "plan_form": plan_form,
        "task_formset": task_formset,
        "signatures": signatures,
        "plan_versions": [(p, signed_plans.get(p.pk)) for p in person.plans.all()],
        "consent_kinds": ConsentKind.choices,
        "changes": queries.changes_of(request.cooperative, person)[:50] if is_coordinator else [],
    }


@cooperative_view(Role.COORDINATOR, Role.CARER)
def person(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """A person's record: what a carer needs to give care; everything for a coordinator."""
    subject = access.visible_person(request, person_id)
    access.log_read(request.user, subject, "record")
    return render(request, "care/person.html", _person_context(request, subject))


@cooperative_view(*COORDINATOR)
def edit(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Change the person's record; each change is kept in the record's history."""
    subject = access.visible_person(request, person_id)
    # The form fills its own copy: the page keeps showing the record as saved.
    form = forms.PersonEditForm(
        request.POST or None, instance=copy.copy(subject), cooperative=request.cooperative
    )
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.edit_person(subject, request.user, **data),
        _edit_saved,
    ):
        return redirect("care:person", request.cooperative.slug, subject.pk)
    access.log_read(request.user, subject, "record")
    status = 400 if form.is_bound else 200
    return render(request, "care/edit.html", {"form": form, "person": subject}, status=status)


@cooperative_view(*COORDINATOR)
def door(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Change what carers must know at the door: health conditions, advance decisions and
    access. Each change is kept in the record's history."""
    subject = access.visible_person(request, person_id)
    facts = queries.door_facts(request.cooperative, [subject.pk], with_access=True)[subject.pk]
    data = request.POST or None
    access_form = forms.DoorAccessForm(
        data, instance=copy.copy(facts.access) or DoorAccess(person=subject)
    )
    conditions = forms.ConditionFormSet(
        data,
        prefix="conditions",
        initial=[{"name": c.name, "notes": c.notes} for c in facts.conditions],
    )
    decisions = forms.AdvanceDecisionFormSet(
        data,
        prefix="decisions",
        initial=[
            {f: getattr(d, f) for f in ("kind", "made_on", "kept_where", "notes", "current")}
            for d in facts.decisions
        ],
    )
    if (
        request.method == "POST"
        and conditions.is_valid()
        and decisions.is_valid()
        and submit(
            request,
            access_form,
            lambda fields: services.set_door_facts(
                subject,
                request.user,
                conditions=forms.kept_rows(conditions),
                decisions=forms.kept_rows(decisions),
                access=fields,
            ),
            _edit_saved,
        )
    ):
        return redirect("care:person", request.cooperative.slug, subject.pk)
    access.log_read(request.user, subject, "door")
    context = {
        "person": subject,
        "access_form": access_form,
        "conditions": conditions,
        "decisions": decisions,
    }
    return render(request, "care/door.html", context, status=400 if data else 200)


def _edit_saved(changes: list) -> str:
    if not changes:
        return _("Nothing changed.")
    count = len(changes)
    return ngettext("%(count)s change saved.", "%(count)s changes saved.", count) % {"count": count}


def _sign(
    request: CooperativeRequest,
    subject: PersonCaredFor,
    form: BaseForm,
    content: dict[str, Any],
    sign: Callable[[dict[str, Any]], Signature],
    signed: Signature | None = None,
    title: str = "",
    given: Consent | None = None,
) -> HttpResponse:
    """The signing page: exactly what is signed, then the signature; on a refusal, again with
    the reason."""
    digest = rules.snapshot(content)[1]
    if request.method == "POST" and submit(request, form, sign, _("Signed.")):
        return redirect("care:person", request.cooperative.slug, subject.pk)
    access.log_read(request.user, subject, "signing: " + content["signed"])
    context = {
        "person": subject,
        "form": form,
        "content": content,
        "digest": digest,
        "signed": signed,
        "given": given,
        "title": title,
    }
    return render(request, "care/sign.html", context, status=400 if form.is_bound else 200)


@cooperative_view(Role.COORDINATOR, Role.CARER)
def sign_plan(request: CooperativeRequest, person_id: int, version: int) -> HttpResponse:
    """The person (or someone for them) signs a version of their care plan on this screen."""
    subject = access.visible_person(request, person_id)
    plan = get_object_or_404(subject.plans, version=version)
    content = services.plan_content(plan)
    form = forms.SignatureForm(request.POST or None, initial={"shown": rules.snapshot(content)[1]})
    return _sign(
        request,
        subject,
        form,
        content,
        lambda data: services.sign_care_plan(
            plan,
            signer_name=data["signer_name"],
            capacity=data["capacity"],
            drawing=data["drawing"],
            typed_name=data["typed_name"],
            confirmed=data["confirmed"],
            shown_sha256=data["shown"],
            by=request.user,
        ),
        signed=plan.signatures.select_related("collected_by").first(),
        title=_("Care plan, version %(version)s") % {"version": plan.version},
    )


@cooperative_view(Role.COORDINATOR, Role.CARER)
def sign_consent(request: CooperativeRequest, person_id: int, kind: str) -> HttpResponse:
    """The person (or someone for them) reads a consent and signs it on this screen."""
    subject = access.visible_person(request, person_id)
    if kind not in ConsentKind.values:
        raise Http404
    content = services.consent_content(subject, kind)
    form = forms.ConsentSignatureForm(
        request.POST or None,
        initial={"shown": rules.snapshot(content)[1], "on": timezone.localdate()},
    )
    return _sign(
        request,
        subject,
        form,
        content,
        lambda data: services.sign_consent(
            subject,
            kind,
            signer_name=data["signer_name"],
            capacity=data["capacity"],
            on=data["on"],
            drawing=data["drawing"],
            typed_name=data["typed_name"],
            confirmed=data["confirmed"],
            shown_sha256=data["shown"],
            by=request.user,
        ),
        title=str(ConsentKind(kind).label).capitalize(),
        given=services.active_consent(subject, kind),
    )


@cooperative_view(*COORDINATOR)
def act(request: CooperativeRequest, person_id: int, action: str) -> HttpResponse:
    """Record one thing on a person's record; on a broken rule, show the page with the error."""
    subject = access.visible_person(request, person_id)
    if action not in ACTIONS:
        raise Http404
    return _act(request, subject, action)


@require_POST
def _act(request: CooperativeRequest, subject: PersonCaredFor, action: str) -> HttpResponse:
    done, form = perform(request, ACTIONS[action], action, subject)
    if done:
        return redirect("care:person", request.cooperative.slug, subject.pk)
    access.log_read(request.user, subject, "record")
    context = _person_context(request, subject, bound={action: form})
    return render(request, "care/person.html", context, status=400)


@cooperative_view(*COORDINATOR)
def new_plan(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Write the next version of the care plan; its visits are generated for the horizon."""
    return _new_plan(request, access.visible_person(request, person_id))


@require_POST
def _new_plan(request: CooperativeRequest, subject: PersonCaredFor) -> HttpResponse:
    plan_form = forms.PlanForm(request.POST)
    task_formset = forms.TaskFormSet(request.POST, prefix="tasks")
    if task_formset.is_valid():
        tasks = [f.cleaned_data for f in task_formset if f.cleaned_data]
        if submit(
            request,
            plan_form,
            lambda data: services.new_care_plan(subject, by=request.user, tasks=tasks, **data),
            lambda plan: (
                _("Care plan version %(version)s saved; %(count)s visits planned.")
                % {"version": plan.version, "count": plan.visits_planned}
            ),
        ):
            return redirect("care:person", request.cooperative.slug, subject.pk)
    access.log_read(request.user, subject, "record")
    context = _person_context(request, subject, plan_forms=(plan_form, task_formset))
    return render(request, "care/person.html", context, status=400)


@cooperative_view(*COORDINATOR)
def renew_code(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Give the person a new visit confirmation code, shown on the page this once.

    Rendered in answer to the POST rather than redirected with a message: a message would
    keep the code in the session or a cookie until it is read."""
    return _renew_code(request, access.visible_person(request, person_id))


@require_POST
def _renew_code(request: CooperativeRequest, subject: PersonCaredFor) -> HttpResponse:
    code = services.renew_confirmation_code(subject, request.user)
    access.log_read(request.user, subject, "record")
    context = _person_context(request, subject) | {"new_code": code}
    response = render(request, "care/person.html", context)
    # Shown once: no copy in the browser's cache or a proxy's.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@cooperative_view(*COORDINATOR)
def export_json(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Everything held about a person, as JSON (GDPR art. 15 and 20)."""
    subject = access.visible_person(request, person_id)
    access.log_read(request.user, subject, "export")
    response = HttpResponse(
        json.dumps(export.person_data(subject), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{subject.pk}.json"'
    return response


@cooperative_view(*COORDINATOR)
def export_bundle(request: CooperativeRequest, person_id: int) -> FileResponse:
    """Everything held about a person with the files it names (their documents, drawn
    signatures), as a ZIP archive (GDPR art. 15 and 20)."""
    subject = access.visible_person(request, person_id)
    access.log_read(request.user, subject, "export")
    response = FileResponse(
        export.person_bundle(subject),
        as_attachment=True,
        filename=f"person-{subject.pk}.zip",
        content_type="application/zip",
    )
    # Care records: no copy in a shared cache or the browser's.
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@cooperative_view(*COORDINATOR)
@require_POST
def generate(request: CooperativeRequest) -> HttpResponse:
    """Plan the coming weeks of visits for every active person (safe to run again)."""
    created = visit_services.generate_for_cooperative(request.cooperative, timezone.localdate())
    messages.success(request, _("%(count)s new visits planned.") % {"count": created})
    return redirect("care:people", request.cooperative.slug)


@cooperative_view(Role.CIRCLE)
def circle(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """What a circle member was granted to see of the person they support."""
    grant = access.circle_grant(request.user, request.cooperative, person_id)
    subject = grant.person
    access.log_read(request.user, subject, "circle view")
    today = timezone.localdate()
    context: dict[str, Any] = {"grant": grant, "person": subject}
    if grant.may_see_visits:
        context["upcoming"] = subject.visits.filter(starts_at__date__gte=today).prefetch_related(
            "carers"
        )[:20]
    if grant.may_see_care_plan:
        context["plan"] = services.current_plan(subject, today)
    if grant.may_see_visits or grant.may_see_notes:
        context["recent"] = (
            subject.visit_records.filter(checked_in_at__date__gte=today - timedelta(days=14))
            .select_related("carer")
            .prefetch_related("outcomes")[:30]
        )
    context["team"] = queries.team_of(subject, timezone.now())
    return render(request, "care/circle.html", context)


@cooperative_view(Role.CIRCLE)
def choose_carer(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """The circle marks one carer of the person's team as preferred, refused or neither."""
    # The grant first: a person of another cooperative is not found, whatever the method.
    grant = access.circle_grant(request.user, request.cooperative, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        carer_id = int(request.POST.get("carer", ""))
    except ValueError:
        carer_id = 0
    try:
        services.choose_carer(grant, carer_id, request.POST.get("choice", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your choice is saved. The next roster follows it."))
    return redirect("care:circle", request.cooperative.slug, person_id)
