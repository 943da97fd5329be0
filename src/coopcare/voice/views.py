"""The pages of feedback and complaints: a circle member's page (recent visits to give
feedback on, their complaints), the feedback page of a visit, the coordinators' feedback per
person and per carer (and a carer's own shared feedback), a complaint filed, followed and
taken through its steps, and the register of complaints with its CSV; the yearly satisfaction
survey: answered by those it asks, opened, closed, taken by phone and read by the office and
the board."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit
from coopcare.voice import access, forms, queries, rules, services
from coopcare.voice.models import Audience, Complaint, Survey


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


def _survey(request, survey_id: int) -> Survey:
    """The cooperative's survey; 404 otherwise, and for another cooperative's."""
    return get_object_or_404(queries.surveys(request.cooperative), pk=survey_id)


def _is_open(survey: Survey, today) -> bool:
    return rules.survey_open(survey.closes_on, survey.closed, today)


@cooperative_view(*access.SURVEY_OFFICE)
def surveys(request):
    """The cooperative's satisfaction surveys, the latest first, for the office and the
    board."""
    today = queries.today(request.cooperative)
    context = {
        "rows": [(s, _is_open(s, today)) for s in queries.surveys(request.cooperative)],
        "may_open": Role.COORDINATOR in request.roles,
    }
    return render(request, "voice/surveys.html", context)


@cooperative_view(Role.COORDINATOR)
def open_survey(request):
    """Open this year's satisfaction survey of the circle, the carers or both."""
    cooperative = request.cooperative
    today = queries.today(cooperative)
    initial = {"year": today.year, "closes_on": today + timedelta(days=30), "anonymous": True}
    form = forms.SurveyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        opened = _submit_on_fields(
            request,
            form,
            lambda data: services.open_survey(cooperative, by=request.user, today=today, **data),
            _("The survey is open: those it asks see it on their home page."),
        )
        if opened is not None:
            return redirect("voice:survey", cooperative.slug, opened.pk)
        status = 400
    built_in = [
        (label, rules.default_survey_questions(audience)) for audience, label in Audience.choices
    ]
    context = {"form": form, "built_in": built_in, "open_question": rules.SURVEY_OPEN_QUESTION}
    return render(request, "voice/survey_open.html", context, status=status)


def _submit_on_fields(request, form, call, done):
    """As ``pages.submit``, but each broken rule of the service is shown on the field it is
    about (the form's ``FIELD_OF_CODE``), where a screen reader reads it with the field.
    Returns what the service returned, or None when nothing was done."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ValidationError as error:
        for problem in error.error_list:
            form.add_error(form.FIELD_OF_CODE.get(problem.code), problem)
        return None
    messages.success(request, done)
    return result


@cooperative_view(*access.SURVEY_OFFICE)
def survey_results(request, survey_id: int):
    """A survey's results: how many of each side answered, the scores given to each question
    (per side when it asks both) and the answers to its open question, all held back under 5
    answers."""
    survey = _survey(request, survey_id)
    by_side = []
    if survey.audience == Audience.BOTH:
        by_side = [
            (Audience(side).label, queries.survey_results(survey, side))
            for side in queries.sides_of(survey)
        ]
    context = {
        "survey": survey,
        "is_open": _is_open(survey, queries.today(request.cooperative)),
        "turnout": queries.survey_turnout(survey),
        "results": queries.survey_results(survey),
        "by_side": by_side,
        "words": queries.survey_words(survey),
        "smallest": queries.smallest_shown(),
        "is_coordinator": Role.COORDINATOR in request.roles,
    }
    return render(request, "voice/survey_results.html", context)


@cooperative_view(Role.COORDINATOR)
def close_survey(request, survey_id: int):
    """Close the survey now, before its closing day."""
    return _close(request, _survey(request, survey_id))


@require_POST
def _close(request, survey: Survey):
    press(
        request,
        lambda: services.close_survey(survey, today=queries.today(request.cooperative)),
        _("The survey is closed: it takes no more answers."),
    )
    return redirect("voice:survey", request.cooperative.slug, survey.pk)


@cooperative_view(Role.COORDINATOR)
def phone_answer(request, survey_id: int):
    """Enter the answers someone without a login gave on the telephone; they are marked as
    taken by phone and linked to no one."""
    survey = _survey(request, survey_id)
    form = forms.SurveyAnswerForm(survey, request.POST or None, phone=True)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda _data: services.record_phone_answer(
                survey, today=queries.today(request.cooperative), **form.answer()
            ),
            _("The answers taken by phone are recorded. You may enter the next ones."),
        ):
            return redirect("voice:phone_answer", request.cooperative.slug, survey.pk)
        status = 400
    context = {
        "survey": survey,
        "form": form,
        "is_open": _is_open(survey, queries.today(request.cooperative)),
    }
    return render(request, "voice/survey_phone.html", context, status=status)


def _asked(request, survey_id: int) -> Survey:
    """A survey that asks the reader; 404 otherwise."""
    survey = _survey(request, survey_id)
    if not queries.asks(survey, request.roles):
        raise Http404
    return survey


@cooperative_view(Role.CIRCLE, Role.CARER)
def answer_survey(request, survey_id: int):
    """Answer the survey, once, on one short page; refused once answered or closed."""
    survey = _asked(request, survey_id)
    refused = None
    if queries.has_answered(survey, request.user):
        refused = _("You have already answered this survey. Thank you.")
    elif not _is_open(survey, queries.today(request.cooperative)):
        refused = _("This survey has closed.")
    if refused:
        status = 200 if request.method == "GET" else 400
        context = {"survey": survey, "refused": refused}
        return render(request, "voice/survey_refused.html", context, status=status)
    form = forms.SurveyAnswerForm(survey, request.POST or None)
    status = 200
    if request.method == "POST":
        if submit(
            request,
            form,
            lambda _data: services.answer_survey(
                survey,
                request.user,
                request.roles,
                today=queries.today(request.cooperative),
                **form.answer(),
            ),
            None,
        ):
            return redirect("voice:survey_thanks", request.cooperative.slug, survey.pk)
        status = 400
    context = {"survey": survey, "form": form, "smallest": queries.smallest_shown()}
    return render(request, "voice/survey_answer.html", context, status=status)


@cooperative_view(Role.CIRCLE, Role.CARER)
def survey_thanks(request, survey_id: int):
    """The thanks once the survey is answered."""
    survey = _asked(request, survey_id)
    if not queries.has_answered(survey, request.user):
        return redirect("voice:answer_survey", request.cooperative.slug, survey.pk)
    return render(request, "voice/survey_thanks.html", {"survey": survey})
