"""Data protection's pages: rights requests and their answers, a person's access history
and requests (for coordinators, and for the circle granted the care plan), the records of
processing, the breach register and the month's unusual reads."""

import json

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coopcare.care import access as care_access
from coopcare.childcare import access as childcare_access
from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.pages import press, submit
from coopcare.privacy import access, forms, processing, queries, rules, services


def _requests_page(request: CooperativeRequest, form=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    rows = [(r, queries.overdue(r, today)) for r in queries.requests_of(request.cooperative)]
    if form is None and Role.COORDINATOR in request.roles:
        form = forms.RequestForm(request.cooperative)
    context = {"rows": rows, "form": form}
    return render(request, "privacy/requests.html", context, status=status)


@cooperative_view(*access.OFFICE)
def requests(request: CooperativeRequest) -> HttpResponse:
    """The rights requests, open ones first by due date (so the overdue at the top)."""
    return _requests_page(request)


@cooperative_view(*access.HANDLERS)
@require_POST
def receive(request: CooperativeRequest) -> HttpResponse:
    """Record a request made by phone, letter or in person."""
    form = forms.RequestForm(request.cooperative, request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.receive_request(request.cooperative, by=request.user, **data),
        _("Request recorded."),
    )
    if outcome:
        return redirect("privacy:request", request.cooperative.slug, outcome.result.pk)
    return _requests_page(request, form=form, status=400)


def _request_page(request, found, extend=None, answer=None, status=200) -> HttpResponse:
    handler = Role.COORDINATOR in request.roles and found.open
    context = {
        "found": found,
        "subject": queries.subject_name(found),
        "overdue": queries.overdue(found),
        "steps": found.steps.select_related("by"),
        "extend": (extend or forms.ExtendForm())
        if handler and not found.extension_reason
        else None,
        "answer": (answer or forms.AnswerForm()) if handler else None,
        "exportable": found.kind in ("access", "portability"),
    }
    return render(request, "privacy/request.html", context, status=status)


@cooperative_view(*access.OFFICE)
def rights_request(request: CooperativeRequest, rights_request_id: int) -> HttpResponse:
    """A request, its deadline, its steps and, for a coordinator, the forms to answer it."""
    return _request_page(request, access.visible_request(request.cooperative, rights_request_id))


@cooperative_view(*access.HANDLERS)
def extend(request: CooperativeRequest, rights_request_id: int) -> HttpResponse:
    """Take two further months to answer (art. 12(3))."""
    found = access.visible_request(request.cooperative, rights_request_id)
    if request.method != "POST":
        # Looked up first: another cooperative's record is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    form = forms.ExtendForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.extend_request(found, by=request.user, **data),
        _("The request is extended by two months."),
    ):
        return redirect("privacy:request", request.cooperative.slug, found.pk)
    return _request_page(request, found, extend=form, status=400)


@cooperative_view(*access.HANDLERS)
def answer(request: CooperativeRequest, rights_request_id: int) -> HttpResponse:
    """Answer the request, or refuse it with its reason."""
    found = access.visible_request(request.cooperative, rights_request_id)
    if request.method != "POST":
        # Looked up first: another cooperative's record is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    form = forms.AnswerForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.answer_request(found, by=request.user, **data),
        _("Answer recorded."),
    ):
        return redirect("privacy:request", request.cooperative.slug, found.pk)
    return _request_page(request, found, answer=form, status=400)


def export_response(user, found) -> HttpResponse:
    """The answer to access or portability as a JSON download."""
    data = access.answer_data(user, found)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="data-request-{found.pk}.json"'
    return response


@cooperative_view(*access.HANDLERS)
def export(request: CooperativeRequest, rights_request_id: int) -> HttpResponse:
    """The data a request of access or portability is answered with, as JSON."""
    return export_response(
        request.user, access.visible_request(request.cooperative, rights_request_id)
    )


def _history(request, person) -> dict:
    care_access.log_read(request.user, person, access.READ_LOG)
    page = Paginator(
        queries.reads_of(request.cooperative, person), queries.READS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return {
        "person": person,
        "page": page,
        "lines": queries.read_lines(request.cooperative, page.object_list),
        "requests": access.requests_about(request.cooperative, person),
        "restriction": queries.restricted(person),
    }


@cooperative_view(Role.COORDINATOR)
def person(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """A person's data protection: who read their records, their requests, a restriction."""
    found = care_access.visible_person(request, person_id)
    return render(request, "privacy/person.html", _history(request, found))


@cooperative_view(Role.COORDINATOR)
def lift(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """Lift the restriction on a person's records."""
    found = care_access.visible_person(request, person_id)
    if request.method != "POST":
        # Looked up first: another cooperative's record is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    restriction = queries.restricted(found)
    if restriction is None:
        return redirect("privacy:person", request.cooperative.slug, found.pk)
    press(
        request,
        lambda: services.lift_restriction(restriction, by=request.user),
        _("The restriction is lifted."),
    )
    return redirect("privacy:person", request.cooperative.slug, found.pk)


@cooperative_view(Role.CIRCLE)
def circle(request: CooperativeRequest, person_id: int) -> HttpResponse:
    """For the circle granted the care plan: who read the person's records, the requests
    made for them, and a new request."""
    grant = access.history_grant(request.user, request.cooperative, person_id)
    form = forms.CircleRequestForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.receive_request(
            request.cooperative,
            by=request.user,
            person=grant.person,
            requester_name=grant.full_name,
            received_on=timezone.localdate(),
            **data,
        ),
        _("Your request is sent. The cooperative answers within one month."),
    ):
        return redirect("privacy:circle", request.cooperative.slug, grant.person.pk)
    context = _history(request, grant.person) | {"form": form}
    return render(request, "privacy/circle.html", context, status=400 if form.errors else 200)


@cooperative_view(Role.CIRCLE, form=childcare_access.FORM)
def child(request: CooperativeRequest, child_id: int) -> HttpResponse:
    """For a child's guardian: who read the child's records, the requests made for the
    child, and a new request, which the guardian makes on the child's behalf (GDPR art. 8)."""
    guardian, found = access.guardian_of(request.user, request.cooperative, child_id)
    form = forms.CircleRequestForm(request.POST or None)
    if request.method == "POST" and submit(
        request,
        form,
        lambda data: services.receive_request(
            request.cooperative,
            by=request.user,
            child=found,
            requester_name=guardian.full_name,
            received_on=timezone.localdate(),
            **data,
        ),
        _("Your request is sent. The cooperative answers within one month."),
    ):
        return redirect("privacy:child", request.cooperative.slug, found.pk)
    childcare_access.log_read(request.user, found, access.READ_LOG)
    page = Paginator(
        queries.reads_of_child(request.cooperative, found), queries.READS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "child": found,
        "page": page,
        "lines": queries.read_lines(request.cooperative, page.object_list),
        "requests": queries.requests_of(request.cooperative).filter(child=found),
        "form": form,
    }
    return render(request, "privacy/child.html", context, status=400 if form.errors else 200)


@cooperative_view(*access.OFFICE)
def processing_page(request: CooperativeRequest) -> HttpResponse:
    """The records of processing activities (art. 30)."""
    return render(request, "privacy/processing.html", {"rows": processing.rows()})


@cooperative_view(*access.OFFICE)
def processing_csv(request: CooperativeRequest) -> HttpResponse:
    """The records of processing as CSV."""
    response = HttpResponse(
        processing.as_csv(processing.rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="records-of-processing.csv"'
    return response


@cooperative_view(*access.OFFICE)
def processing_json(request: CooperativeRequest) -> HttpResponse:
    """The records of processing as JSON."""
    response = HttpResponse(
        json.dumps(processing.rows(), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="records-of-processing.json"'
    return response


def _breaches_page(request, form=None, status=200) -> HttpResponse:
    now = timezone.now()
    rows = [
        (b, queries.authority_clock(b, now), rules.authority_deadline(b.aware_at))
        for b in queries.breaches_of(request.cooperative)
    ]
    if form is None and Role.COORDINATOR in request.roles:
        form = forms.BreachForm()
    return render(request, "privacy/breaches.html", {"rows": rows, "form": form}, status=status)


@cooperative_view(*access.OFFICE)
def breaches(request: CooperativeRequest) -> HttpResponse:
    """The register of personal data breaches, with the 72 hours' clock."""
    return _breaches_page(request)


@cooperative_view(*access.HANDLERS)
@require_POST
def record_breach(request: CooperativeRequest) -> HttpResponse:
    """Record a breach."""
    form = forms.BreachForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda data: services.record_breach(request.cooperative, by=request.user, **data),
        _("Breach recorded. The supervisory authority must be told within 72 hours."),
    )
    if outcome:
        return redirect("privacy:breach", request.cooperative.slug, outcome.result.pk)
    return _breaches_page(request, form=form, status=400)


def _breach_page(request, found, notice=None, told=None, status=200) -> HttpResponse:
    handler = Role.COORDINATOR in request.roles
    context = {
        "found": found,
        "clock": queries.authority_clock(found),
        "deadline": rules.authority_deadline(found.aware_at),
        "notice": (notice or forms.NoticeForm()) if handler else None,
        "told": (told or forms.PeopleToldForm()) if handler else None,
    }
    return render(request, "privacy/breach.html", context, status=status)


@cooperative_view(*access.OFFICE)
def breach(request: CooperativeRequest, breach_id: int) -> HttpResponse:
    """A breach, where its clock stands, and the notices."""
    return _breach_page(request, access.visible_breach(request.cooperative, breach_id))


@cooperative_view(*access.HANDLERS)
def notify_authority(request: CooperativeRequest, breach_id: int) -> HttpResponse:
    """Record the notice to the supervisory authority, or why none is needed."""
    found = access.visible_breach(request.cooperative, breach_id)
    if request.method != "POST":
        # Looked up first: another cooperative's record is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    form = forms.NoticeForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.notify_authority(found, **data),
        _("Notice to the authority recorded."),
    ):
        return redirect("privacy:breach", request.cooperative.slug, found.pk)
    return _breach_page(request, found, notice=form, status=400)


@cooperative_view(*access.HANDLERS)
def tell_people(request: CooperativeRequest, breach_id: int) -> HttpResponse:
    """Record when the people were told, or why not."""
    found = access.visible_breach(request.cooperative, breach_id)
    if request.method != "POST":
        # Looked up first: another cooperative's record is a 404 whatever the method.
        return HttpResponseNotAllowed(["POST"])
    form = forms.PeopleToldForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.tell_people(found, **data),
        _("Recorded."),
    ):
        return redirect("privacy:breach", request.cooperative.slug, found.pk)
    return _breach_page(request, found, told=form, status=400)


@cooperative_view(Role.COORDINATOR)
def unusual(request: CooperativeRequest) -> HttpResponse:
    """The month's unusual reads of care records."""
    first, following = queries.month_span(request.cooperative, request.GET.get("month"))
    context = {
        "first": first,
        "month": first.strftime("%Y-%m"),
        "found": queries.unusual_reads(request.cooperative, first, following),
    }
    return render(request, "privacy/unusual.html", context)
