"""The pages of feedback and complaints: a circle member's page (recent visits to give
feedback on, their complaints), the feedback page of a visit, the coordinators' feedback per
person and per carer (and a carer's own shared feedback), a complaint filed, followed and
taken through its steps, and the register of complaints with its CSV."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit
from coopcare.voice import access, forms, queries, services
from coopcare.voice.models import Complaint


@cooperative_view(Role.CIRCLE)
def circle(request, person_id: int):
    """A circle member's page of the person: the visits of the last two weeks to give
    feedback on (when their grant shows the visits), and the complaints they filed."""
    grant = access.grant_of(request.user, request.cooperative, person_id)
    person = grant.person
    access.log_read(request.user, person, access.FEEDBACK_RECORD)
    context = {
        "person": person,
        "visits": queries.visits_for_feedback(person, request.user)
        if grant.may_see_visits
        else None,
        "complaints": access.complaints_visible_to(
            request.user, request.cooperative, request.roles
        ).filter(person=person),
    }
    return render(request, "voice/circle.html", context)


@cooperative_view(Role.CIRCLE)
def give_feedback(request, visit_id: int):
    """Give feedback on a visit (or change today's)."""
    visit = access.feedback_visit(request.user, request.cooperative, visit_id)
    given = queries.given_by(visit, request.user)
    initial = {"score": given.score, "words": given.words} if given else {}
    form = forms.FeedbackForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda data: services.give_feedback(visit, request.user, **data),
            _("Thank you: your feedback is recorded."),
        ):
            return redirect("voice:circle", request.cooperative.slug, visit.person_id)
        status = 400
    access.log_read(request.user, visit.person, access.FEEDBACK_RECORD)
    context = {"visit": visit, "person": visit.person, "form": form, "given": given}
    return render(request, "voice/feedback.html", context, status=status)


@cooperative_view(Role.COORDINATOR)
def person_feedback(request, person_id: int):
    """Every feedback on the person's visits, with whether it is shared with the carers."""
    person, _everything = access.feedback_of_person(
        request.user, request.cooperative, request.roles, person_id
    )
    access.log_read(request.user, person, access.FEEDBACK_RECORD)
    given = queries.feedback(request.cooperative).filter(person=person)
    return render(request, "voice/person_feedback.html", {"person": person, "feedback": given})


@cooperative_view(Role.COORDINATOR, Role.CARER)
def carer_feedback(request, user_id: int):
    """The feedback on a carer's visits: all of it for a coordinator, what was shared with
    them for the carer themself."""
    shared_only = access.carer_feedback_scope(
        request.user, request.cooperative, request.roles, user_id
    )
    given = list(queries.feedback_on_carer(request.cooperative, user_id, shared_only=shared_only))
    access.log_reads(request.user, {f.person for f in given}, access.FEEDBACK_RECORD)
    context = {"feedback": given, "shared_only": shared_only, "carer_id": user_id}
    return render(request, "voice/carer_feedback.html", context)


@cooperative_view(Role.COORDINATOR)
def share(request, feedback_id: int):
    """Share the feedback with its visit's carers, or stop sharing it."""
    return _share(request, access.shareable_feedback(request.cooperative, feedback_id))


@require_POST
def _share(request, feedback):
    shared = request.POST.get("shared") == "1"
    press(
        request,
        lambda: services.share_feedback(feedback, shared),
        _("Shared with the carers.") if shared else _("No longer shared with the carers."),
    )
    return redirect("voice:person_feedback", request.cooperative.slug, feedback.person_id)


@cooperative_view(*access.FILERS)
def file_complaint(request, person_id: int):
    """File a complaint about the person's care, a carer or the office: a circle member for
    themself, a coordinator on someone's behalf."""
    person, grant = access.filing_for(request.user, request.cooperative, request.roles, person_id)
    on_behalf = grant is None
    form = forms.ComplaintForm(request.cooperative, request.POST or None, on_behalf=on_behalf)
    status = 200
    if request.method == "POST":

        def call(data):
            by_self = (
                {"complainant": request.user, "complainant_name": grant.full_name} if grant else {}
            )
            return services.file_complaint(person, by=request.user, **(data | by_self))

        outcome = submit(
            request,
            form,
            call,
            lambda c: (
                _("Complaint %(number)s received; the office will acknowledge it by %(day)s.")
                % {"number": c.number, "day": c.acknowledge_by}
            ),
        )
        if outcome:
            return redirect("voice:complaint", request.cooperative.slug, outcome.result.pk)
        status = 400
    access.log_read(request.user, person, access.COMPLAINT_RECORD)
    return render(
        request,
        "voice/file_complaint.html",
        {"person": person, "form": form, "on_behalf": on_behalf},
        status=status,
    )


def _complaint_page(request, complaint: Complaint, form=None, status: int = 200):
    steps = access.steps_open_to(request.user, request.roles, complaint)
    context = {
        "complaint": complaint,
        "row": queries.register_row(complaint, queries.today(request.cooperative)),
        "form": (form or forms.StepForm(steps)) if steps else None,
        "staff": bool({Role.COORDINATOR, Role.BOARD} & request.roles),
    }
    access.log_read(request.user, complaint.person, access.COMPLAINT_RECORD)
    return render(request, "voice/complaint.html", context, status=status)


@cooperative_view(*access.COMPLAINT_READERS)
def complaint(request, complaint_id: int):
    """A complaint with its steps, deadlines and the next step the reader may take."""
    found = access.visible_complaint(request.user, request.cooperative, request.roles, complaint_id)
    return _complaint_page(request, found)


@cooperative_view(*access.COMPLAINT_READERS)
def take_step(request, complaint_id: int):
    """Take the complaint's next step."""
    found = access.visible_complaint(request.user, request.cooperative, request.roles, complaint_id)
    return _take_step(request, found)


@require_POST
def _take_step(request, found):
    # The form offers only the steps this reader may take next.
    form = forms.StepForm(access.steps_open_to(request.user, request.roles, found), request.POST)
    if submit(
        request,
        form,
        lambda data: services.take_step(found, by=request.user, **data),
        _("Step recorded."),
    ):
        return redirect("voice:complaint", request.cooperative.slug, found.pk)
    return _complaint_page(request, found, form=form, status=400)


def _register_rows(request):
    form = forms.RegisterFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    complaints = access.complaints_visible_to(request.user, request.cooperative, request.roles)
    rows = queries.register(complaints, queries.today(request.cooperative), **filters)
    access.log_reads(request.user, {row.complaint.person for row in rows}, access.COMPLAINT_RECORD)
    return form, rows


@cooperative_view(*access.REGISTER)
def register(request):
    """The register of complaints for the board and the coordinators, filtered."""
    form, rows = _register_rows(request)
    policy = services.policy_of(request.cooperative)
    context = {
        "filter": form,
        "rows": rows,
        "policy": policy,
        "policy_form": forms.PolicyForm(initial=vars(policy))
        if Role.COORDINATOR in request.roles
        else None,
        "query": request.GET.urlencode(),
    }
    return render(request, "voice/register.html", context)


@cooperative_view(*access.REGISTER)
def register_csv(request):
    """The register, as filtered, as a CSV file."""
    _form, rows = _register_rows(request)
    response = HttpResponse(queries.register_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaints.csv"'
    return response


@cooperative_view(Role.COORDINATOR)
@require_POST
def set_policy(request):
    """Set the cooperative's complaint deadlines."""
    form = forms.PolicyForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.set_policy(request.cooperative, **data),
        _("The deadlines apply to the complaints received from now on."),
    ):
        return redirect("voice:register", request.cooperative.slug)
    form_filter, rows = _register_rows(request)
    context = {
        "filter": form_filter,
        "rows": rows,
        "policy": services.policy_of(request.cooperative),
        "policy_form": form,
        "query": "",
    }
    return render(request, "voice/register.html", context, status=400)
