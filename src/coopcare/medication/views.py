"""Medication pages: the people with medicines (coordinators), a person's allergies and
medicines, one medicine with its versions, the doses of a visit (carers), and the month's
medication chart as a page and a PDF, and a medicine's stock (tracked, received, counted) on
its page. Every page that shows a person's medication logs the
read."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.care.access import log_reads, people_visible_to
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.medication import access, forms, pdf, queries, services
from coopcare.medication.models import Medicine, Outcome
from coopcare.pages import submit
from coopcare.shared.days import month_end

READERS = (Role.COORDINATOR, Role.CARER, Role.CIRCLE)


@cooperative_view(Role.COORDINATOR)
def index(request):
    """The people of the cooperative who have medicines, with links to their charts, and the
    tracked medicines running low."""
    people = people_visible_to(request.user, request.cooperative, request.roles)
    low = queries.running_low(request.cooperative, people)
    # Whose medicine runs low is a read of their care record, logged as any other.
    log_reads(request.user, {s.tracking.medicine.person for s in low}, "medicine stock running low")
    return render(
        request,
        "medication/index.html",
        {
            "people": queries.people_with_medicines(request.cooperative, people),
            "running_low": low,
        },
    )


def _person_page(request, person, allergy_form=None, medicine_form=None, end_form=None, status=200):
    manage = access.may_manage(request.roles)
    allergies = list(person.allergies.select_related("ended_by"))
    context = {
        "person": person,
        "allergies": [a for a in allergies if a.ended_at is None],
        "ended_allergies": [a for a in allergies if a.ended_at is not None],
        "medicines": queries.medicines(request.cooperative, person),
        "manage": manage,
        "today": timezone.localdate(),
    }
    if manage:
        context["allergy_form"] = allergy_form or forms.AllergyForm(prefix="allergy")
        context["end_form"] = end_form or forms.EndAllergyForm(prefix="end", person=person)
        context["medicine_form"] = medicine_form or forms.MedicineForm(prefix="medicine")
    return render(request, "medication/person.html", context, status=status)


@cooperative_view(*READERS)
def person(request, person_id: int):
    """A person's allergies and medicines; coordinators add to both (logged read)."""
    subject = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    if request.method == "POST":
        if not access.may_manage(request.roles):
            raise PermissionDenied
        return _person_post(request, subject)
    access.log(request.user, subject, "medication")
    return _person_page(request, subject)


def _person_post(request, subject):
    # The ended allergy's field names the form (as "allergy-substance" does the other).
    if "end-allergy" in request.POST:
        end_form = forms.EndAllergyForm(request.POST, prefix="end", person=subject)
        if submit(
            request,
            end_form,
            lambda data: services.end_allergy(
                data["allergy"], reason=data["reason"], by=request.user
            ),
            _("Allergy ended; it stays in the record's history."),
        ):
            return redirect(request.path)
        return _person_page(request, subject, end_form=end_form, status=400)
    if "allergy-substance" in request.POST:
        form = forms.AllergyForm(request.POST, prefix="allergy")
        if submit(
            request,
            form,
            lambda data: services.add_allergy(subject, by=request.user, **data),
            _("Allergy recorded."),
        ):
            return redirect(request.path)
        return _person_page(request, subject, allergy_form=form, status=400)
    medicine_form = forms.MedicineForm(request.POST, prefix="medicine")
    if submit(
        request,
        medicine_form,
        lambda data: services.add_medicine(subject, by=request.user, **data),
        _("Medicine added."),
    ):
        return redirect(request.path)
    return _person_page(request, subject, medicine_form=medicine_form, status=400)


def _medicine_page(request, found, status=200, **bound):
    """The medicine's page: its versions, its stock when tracked, and the forms the reader
    may use (``bound`` holds a form sent back with its errors)."""
    manage = access.may_manage(request.roles)
    form = bound.get("form")
    if manage and form is None and found.current is not None:
        form = forms.MedicineForm(initial=forms.version_initial(found.current), change=True)
    tracking = getattr(found, "stock", None)
    context = {
        "medicine": found,
        "person": found.person,
        "versions": found.versions.select_related("created_by"),
        "form": form,
        "stock": queries.stock(tracking) if tracking else None,
    }
    if manage:
        context["track_form"] = bound.get("track_form") or forms.TrackStockForm(
            instance=tracking, prefix="track"
        )
    if tracking and manage:
        context["receive_form"] = bound.get("receive_form") or forms.ReceiveStockForm(
            prefix="receive"
        )
    if tracking and access.may_count(request.roles):
        context["count_form"] = bound.get("count_form") or forms.CountStockForm(prefix="count")
    return render(request, "medication/medicine.html", context, status=status)


@cooperative_view(*READERS)
def medicine(request, medicine_id: int):
    """One medicine with every version and its stock; coordinators make a new version
    (logged read)."""
    found = access.visible_medicine(request.user, request.cooperative, request.roles, medicine_id)
    if request.method == "POST":
        if not access.may_manage(request.roles):
            raise PermissionDenied
        form = forms.MedicineForm(request.POST, change=True)
        if submit(
            request,
            form,
            lambda data: services.change_medicine(found, by=request.user, **data),
            _("New version kept."),
        ):
            return redirect(request.path)
        return _medicine_page(request, found, status=400, form=form)
    access.log(request.user, found.person, f"medicine {found.pk}")
    return _medicine_page(request, found)


@cooperative_view(Role.COORDINATOR)
def track_stock(request, medicine_id: int):
    """Turn on or change the stock tracking of a medicine (coordinators)."""
    found = access.visible_medicine(request.user, request.cooperative, request.roles, medicine_id)
    return _track_stock(request, found)


# POST only once the medicine is found, so that another cooperative's medicine is a 404.
@require_POST
def _track_stock(request, found):
    form = forms.TrackStockForm(
        request.POST, prefix="track", instance=getattr(found, "stock", None)
    )
    if submit(
        request,
        form,
        lambda data: services.track_stock(found, by=request.user, **data),
        _("Stock tracking kept."),
    ):
        return redirect("medication:medicine", request.cooperative.slug, found.pk)
    return _medicine_page(request, found, status=400, track_form=form)


@cooperative_view(Role.COORDINATOR)
def receive_stock(request, medicine_id: int):
    """Record stock received into the home (coordinators)."""
    found = access.visible_medicine(request.user, request.cooperative, request.roles, medicine_id)
    return _receive_stock(request, found)


@require_POST
def _receive_stock(request, found):
    form = forms.ReceiveStockForm(request.POST, prefix="receive")
    if submit(
        request,
        form,
        lambda data: services.receive_stock(
            found,
            by=request.user,
            quantity=data["quantity"],
            supplier=data["supplier"],
            at=data["at"],
        ),
        _("Stock received recorded."),
    ):
        return redirect("medication:medicine", request.cooperative.slug, found.pk)
    return _medicine_page(request, found, status=400, receive_form=form)


@cooperative_view(Role.COORDINATOR, Role.CARER)
def count_stock(request, medicine_id: int):
    """Record a count of the stock in the home (coordinators, and carers while they may see
    the person)."""
    found = access.visible_medicine(request.user, request.cooperative, request.roles, medicine_id)
    return _count_stock(request, found)


@require_POST
def _count_stock(request, found):
    form = forms.CountStockForm(request.POST, prefix="count")
    if submit(
        request,
        form,
        lambda data: services.count_stock(
            found,
            by=request.user,
            quantity=data["quantity"],
            reason=data["reason"],
            at=data["at"],
        ),
        _("Count recorded."),
    ):
        return redirect("medication:medicine", request.cooperative.slug, found.pk)
    return _medicine_page(request, found, status=400, count_form=form)


def _visit_page(request, visit, bound=None, status=200):
    due = queries.doses_due(visit)
    return render(
        request,
        "medication/visit.html",
        {
            "visit": visit,
            "person": visit.person,
            "due": [
                (d, bound if _is_bound_for(bound, d.medicine.pk, d.due_at) else None) for d in due
            ],
            "as_needed": [
                (v, bound if _is_bound_for(bound, v.medicine_id, None) else None)
                for v in queries.as_needed(visit)
            ],
            "recorded": queries.recorded_at_visit(visit),
            "outcomes": Outcome.choices,
            "under_way": visit.records.filter(
                carer=request.user, checked_out_at__isnull=True
            ).exists(),
        },
        status=status,
    )


def _is_bound_for(form, medicine_id, due_at) -> bool:
    if form is None or not form.is_bound or not hasattr(form, "cleaned_data"):
        return False
    return (
        form.cleaned_data.get("medicine") == medicine_id
        and form.cleaned_data.get("due_at") == due_at
    )


@cooperative_view(Role.CARER, Role.COORDINATOR)
def visit(request, visit_id: int):
    """The doses of a visit: those due with their outcomes, the medicines taken as needed, and
    what was recorded; the carer records each dose here (logged read)."""
    found = access.own_visit(request.user, request.cooperative, request.roles, visit_id)
    access.visible_person(request.user, request.cooperative, request.roles, found.person_id)
    if request.method == "POST":
        return _record(request, found)
    access.log(request.user, found.person, f"doses of visit {found.pk}")
    return _visit_page(request, found)


def _record(request, visit):
    form = forms.DoseForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.record_dose(
            visit,
            get_object_or_404(Medicine, pk=data["medicine"], person=visit.person),
            by=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            due_at=data["due_at"],
        ),
        _("Dose recorded."),
    ):
        return redirect(request.path)
    return _visit_page(request, visit, bound=form, status=400)


def _month(request) -> tuple[int, int]:
    try:
        shown = date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        shown = timezone.localdate()
    return shown.year, shown.month


@cooperative_view(*READERS)
def chart(request, person_id: int):
    """The person's medication chart of a month (``?month=YYYY-MM``, this month by default)."""
    subject = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    year, month = _month(request)
    access.log(request.user, subject, f"medication chart {year}-{month:02}")
    shown = queries.chart(request.cooperative, subject, year, month)
    first = date(year, month, 1)
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = month_end(first) + timedelta(days=1)
    return render(
        request,
        "medication/chart.html",
        {
            "person": subject,
            "chart": shown,
            "first": first,
            "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"),
            "month": first.strftime("%Y-%m"),
            "codes": pdf.key(),
        },
    )


@cooperative_view(*READERS)
def chart_pdf(request, person_id: int):
    """The month's medication chart as a PDF, in the reader's language (logged read)."""
    subject = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    year, month = _month(request)
    access.log(request.user, subject, f"medication chart {year}-{month:02} pdf")
    shown = queries.chart(request.cooperative, subject, year, month)
    response = HttpResponse(pdf.render(request.cooperative, shown), content_type="application/pdf")
    name = f"medication-{subject.pk}-{year}-{month:02}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response
