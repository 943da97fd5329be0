"""The body map page: a person's front and back outlines with the current marks, the list of
marks with their follow-ups, and the forms to add a mark or a follow-up."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.bodymap import access, forms, outline, queries, services
from coopcare.bodymap.outline import Side
from coopcare.cooperatives.access import cooperative_view
from coopcare.pages import submit


def _views(current) -> list[dict]:
    """The two views of the drawing, each with its current marks and the person's right and
    left named on the reader's side where they lie (never mirrored)."""
    return [
        {
            "side": side,
            "label": Side(side).label,
            "marks": [mark for mark in current if mark.side == side],
            # The front faces the reader: the person's right is on the reader's left.
            "reader_left": _("person's right") if side == Side.FRONT else _("person's left"),
            "reader_right": _("person's left") if side == Side.FRONT else _("person's right"),
        }
        for side in Side.values
    ]


def _visit(request, person):
    """The visit named in the address (the carer came from its card), if it is the person's."""
    visit_id = request.GET.get("visit", "")
    return person.visits.filter(pk=visit_id).first() if visit_id.isdigit() else None


def _page(request, person, mark_form=None, follow_up_forms=None, status: int = 200):
    can_add = access.may_add(request.user, request.cooperative, request.roles, person)
    marks = list(queries.marks(person))
    current = queries.current(marks)
    visit = _visit(request, person)
    initial = {"visit": visit.pk} if visit else {}
    context = {
        "person": person,
        "views": _views(current),
        "width": outline.WIDTH,
        "height": outline.HEIGHT,
        "points": outline.outline_points(),
        "can_add": can_add,
        "visit": visit,
    }
    bound = follow_up_forms or {}
    context["rows"] = [
        (
            mark,
            (
                bound.get(mark.pk)
                or forms.FollowUpForm(person, prefix=f"f{mark.pk}", initial=initial)
            )
            if can_add
            else None,
        )
        for mark in marks
    ]
    if can_add:
        context["mark_form"] = mark_form or forms.MarkForm(person, initial=initial)
    return render(request, "bodymap/person.html", context, status=status)


@cooperative_view(*access.READERS)
def person_map(request, person_id: int):
    """A person's body map (a read of their care record, logged)."""
    person = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    access.log_read(request.user, person)
    return _page(request, person)


@cooperative_view(*access.WRITERS)
def add_mark(request, person_id: int):
    """Record a mark on the person's body map; it raises an incident for the coordinators."""
    person = access.writable_person(request.user, request.cooperative, request.roles, person_id)
    return _add_mark(request, person)


@require_POST
def _add_mark(request, person):
    form = forms.MarkForm(person, request.POST)
    if submit(
        request,
        form,
        lambda data: services.add_mark(person, by=request.user, **data),
        lambda mark: (
            _("Mark %(number)s recorded; the coordinators will follow it up.")
            % {"number": mark.number}
        ),
    ):
        return redirect("bodymap:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, mark_form=form, status=400)


@cooperative_view(*access.WRITERS)
def follow_up(request, mark_id: int):
    """Record how a mark looks now."""
    mark = access.writable_mark(request.user, request.cooperative, request.roles, mark_id)
    return _follow_up(request, mark)


@require_POST
def _follow_up(request, mark):
    person = mark.person
    form = forms.FollowUpForm(person, request.POST, prefix=f"f{mark.pk}")
    if submit(
        request,
        form,
        lambda data: services.follow_up(mark, by=request.user, **data),
        _("Follow-up recorded."),
    ):
        return redirect("bodymap:person", request.cooperative.slug, person.pk)
    access.log_read(request.user, person)
    return _page(request, person, follow_up_forms={mark.pk: form}, status=400)
