"""Pages for members (phone-first: vote, give a proxy, read results and minutes) and for the
board (call assemblies, record attendance, put questions to the vote, publish minutes).

Views parse, check access, call a service, render.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import CooperativeRequest, cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.governance import forms, pdf, queries
from coopcare.governance.models import (
    RANKED_METHODS,
    Assembly,
    AssemblyStatus,
    Election,
    Motion,
    QuestionStatus,
)
from coopcare.governance.services import (
    assemblies,
    ballot_box,
    minutes,
    notices,
    proxies,
    questions,
    tallies,
    voting,
)
from coopcare.governance.services.statutes import not_entitled_because, statutes_of
from coopcare.members.models import Member
from coopcare.pages import press, submit

READERS = (Role.MEMBER, Role.BOARD)


def _board_only(request: CooperativeRequest) -> None:
    if Role.BOARD not in request.roles:
        raise PermissionDenied


@cooperative_view(*READERS)
def home(request: CooperativeRequest) -> HttpResponse:
    """Votes open now (with what this member can do), assemblies, and a tracker check."""
    cooperative = request.cooperative
    voting.close_due_votes(cooperative=cooperative)
    me = queries.member_of(request.user, cooperative)
    open_now = [
        (q, queries.ballots_for(me, q), me and queries.has_voted(q, me))
        for q in queries.questions(cooperative, QuestionStatus.OPEN)
    ]
    return render(
        request,
        "governance/home.html",
        {
            "open_now": open_now,
            "upcoming": queries.upcoming_assemblies(cooperative),
            "past": queries.assemblies(cooperative).filter(status=AssemblyStatus.CLOSED)[:10],
            "closed_votes": queries.questions(cooperative, QuestionStatus.CLOSED)[:10],
            "me": me,
            "tracker_form": forms.TrackerForm(),
        },
    )


@cooperative_view(*READERS)
def tracker(request: CooperativeRequest) -> HttpResponse:
    """Find a published ballot by its tracker, and what a tracker promises and does not."""
    form = forms.TrackerForm(request.GET or None)
    ballot = None
    if form.is_valid():
        ballot = queries.ballot_by_tracker(request.cooperative, form.cleaned_data["code"])
        if ballot is None:
            form.add_error(
                "code", _("No ballot of a closed vote of this cooperative has this tracker.")
            )
    return render(
        request,
        "governance/tracker.html",
        {
            "form": form,
            "ballot": ballot,
            "ballot_text": ballot and queries.describe(ballot),
            "shuffle_every": ballot_box.SHUFFLE_EVERY,
        },
    )


@cooperative_view(*READERS)
def statutes(request: CooperativeRequest) -> HttpResponse:
    """The governance rules of the statutes the software applies; the board edits them."""
    editable = Role.BOARD in request.roles
    if request.method == "POST" and not editable:
        raise PermissionDenied
    instance = statutes_of(request.cooperative)
    form = forms.StatutesForm(request.POST or None, instance=instance)
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("Statutes saved."))
        return redirect("governance:statutes", request.cooperative.slug)
    return render(request, "governance/statutes.html", {"form": form, "editable": editable})


@cooperative_view(Role.BOARD)
def call_assembly(request: CooperativeRequest) -> HttpResponse:
    form = forms.AssemblyForm(request.POST or None)
    if called := submit(
        request,
        form,
        lambda data: assemblies.call_assembly(
            request.cooperative,
            called_on=timezone.localdate(),
            called_by=request.user,
            site_url=_site_url(request),
            **data,
        ),
        _("Assembly called; its notice is sent to the members."),
    ):
        return redirect("governance:assembly", request.cooperative.slug, called.result.pk)
    return render(request, "governance/form.html", {"form": form, "title": _("Call an assembly")})


def _site_url(request: CooperativeRequest) -> str:
    """Where this coopcare is reached, for the links in emails."""
    return request.build_absolute_uri("/").rstrip("/")


def _assembly(request: CooperativeRequest, assembly_id: int) -> Assembly:
    return get_object_or_404(Assembly, pk=assembly_id, cooperative=request.cooperative)


def _attendance(assembly: Assembly) -> dict[str, Any]:
    classes, quorum = queries.assembly_attendance(assembly)
    return {"classes": classes, "quorum": quorum}


def _assembly_context(
    request: CooperativeRequest, assembly: Assembly, bound: dict[str, BaseForm] | None = None
) -> dict[str, Any]:
    cooperative = request.cooperative
    me = queries.member_of(request.user, cooperative)
    board = Role.BOARD in request.roles
    live = proxies.live_proxies(assembly)
    present = set(assembly.attendance.values_list("member_id", flat=True))
    context = {
        "assembly": assembly,
        "me": me,
        "board": board,
        "agenda": assembly.agenda.all(),
        **_attendance(assembly),
        "attendance": assembly.attendance.select_related("member__stakeholder_class"),
        "proxies": live if board else live.filter(giver=me) | live.filter(holder=me),
        "i_am_present": me is not None and me.pk in present,
        # The member's own proxy, which they may take back until the session opens.
        "my_proxy": live.filter(giver=me).first()
        if me is not None and assembly.status == AssemblyStatus.CALLED
        else None,
        "motions": assembly.motions.all(),
        "elections": assembly.elections.all(),
        "forms": {},
    }
    if board:
        sent = queries.notices_sent(assembly)
        context["notices"] = {
            "sent": sent,
            "latest": sent.first(),
            "by_post": queries.letters_to_post(assembly),
        }
    if board and assembly.status == AssemblyStatus.IN_SESSION:
        context["forms"]["attend"] = forms.AttendanceForm(cooperative=cooperative)
    if board and assembly.status != AssemblyStatus.CLOSED:
        context["forms"]["agenda"] = forms.AgendaItemForm()
    if me and assembly.status != AssemblyStatus.CLOSED and me.pk not in present:
        context["forms"]["proxy"] = forms.ProxyForm(cooperative=cooperative, giver=me)
    if board and assembly.status == AssemblyStatus.CLOSED and not assembly.minutes_published_at:
        context["forms"]["minutes"] = forms.MinutesForm(initial={"minutes": assembly.minutes})
    context["forms"].update(bound or {})
    return context


@cooperative_view(*READERS)
def assembly(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    found = _assembly(request, assembly_id)
    return render(request, "governance/assembly.html", _assembly_context(request, found))


@cooperative_view(*READERS)
def assembly_quorum(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The live quorum panel, polled by htmx while the assembly is in session."""
    found = _assembly(request, assembly_id)
    return render(request, "governance/_quorum.html", {"assembly": found, **_attendance(found)})


def _assembly_button(
    request: CooperativeRequest, found: Assembly, action: str, me: Member | None
) -> Callable[[], object]:
    """The service call of a button with no form, once the user may press it."""
    if action == "here-online":
        if me is None:
            raise PermissionDenied
        return lambda: assemblies.record_attendance(found, me, "online", recorded_by=request.user)
    _board_only(request)
    if action == "open":
        return lambda: assemblies.open_session(found)
    if action == "notice":
        return lambda: notices.send_notice(found, sent_by=request.user, site_url=_site_url(request))
    if action == "amended-notice":
        return lambda: notices.send_amended_notice(
            found, sent_by=request.user, site_url=_site_url(request)
        )
    return lambda: assemblies.close_session(found)


def _assembly_form(
    request: CooperativeRequest, found: Assembly, action: str, me: Member | None
) -> tuple[BaseForm, Callable[[dict[str, Any]], object]]:
    """The posted form of ``action`` and the service call it makes, once the user may act."""
    cooperative, data = request.cooperative, request.POST
    if action == "proxy":
        if me is None:
            raise PermissionDenied
        return (
            forms.ProxyForm(data, cooperative=cooperative, giver=me),
            lambda d: proxies.give_proxy(found, me, d["holder"]),
        )
    _board_only(request)
    if action == "attend":
        return (
            forms.AttendanceForm(data, cooperative=cooperative),
            lambda d: assemblies.record_attendance(
                found, d["member"], d["mode"], recorded_by=request.user
            ),
        )
    if action == "agenda":
        return (
            forms.AgendaItemForm(data),
            lambda d: assemblies.add_agenda_item(found, d["title"], d["details"]),
        )
    return (
        forms.MinutesForm(data),
        lambda d: minutes.publish_minutes(found, d["minutes"], by=request.user),
    )


BUTTONS = ("open", "close", "here-online", "notice", "amended-notice")
FORMS = ("attend", "proxy", "agenda", "minutes")
DONE = {
    "open": gettext_lazy("The assembly is in session."),
    "close": gettext_lazy("The assembly is closed; the minutes are drafted."),
    "here-online": gettext_lazy("You are recorded as present online."),
    "notice": gettext_lazy("The notice is sent to the members who had not had it."),
    "amended-notice": gettext_lazy("The amended notice is sent to the members."),
    "attend": gettext_lazy("Attendance recorded."),
    "proxy": gettext_lazy("Proxy given."),
    "agenda": gettext_lazy("Agenda item added."),
    "minutes": gettext_lazy("Minutes published."),
}


@cooperative_view(*READERS)
def assembly_act(request: CooperativeRequest, assembly_id: int, action: str) -> HttpResponse:
    """One action on an assembly: a button (a broken rule shown as a message) or a form (a
    broken rule shown on the form)."""
    return _assembly_act(request, _assembly(request, assembly_id), action)


@require_POST
def _assembly_act(request: CooperativeRequest, found: Assembly, action: str) -> HttpResponse:
    me = queries.member_of(request.user, request.cooperative)
    back = redirect("governance:assembly", request.cooperative.slug, found.pk)
    if action in BUTTONS:
        press(request, _assembly_button(request, found, action, me), DONE[action])
        return back
    if action not in FORMS:
        raise Http404
    form, call = _assembly_form(request, found, action, me)
    if submit(request, form, call, DONE[action]):
        return back
    found.refresh_from_db()
    context = _assembly_context(request, found, bound={action: form})
    return render(request, "governance/assembly.html", context, status=400)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    add_never_cache_headers(response)
    return response


@cooperative_view(Role.BOARD)
def attendance_pdf(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The attendance list to print and sign: present in person, online, and by proxy."""
    found = _assembly(request, assembly_id)
    return _pdf(pdf.attendance_list(found), f"attendance-{found.pk}.pdf")


@cooperative_view(*READERS)
def minutes_pdf(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The minutes as PDF: published ones for every member, the draft for the board."""
    found = _assembly(request, assembly_id)
    if not found.minutes or not (found.minutes_published_at or Role.BOARD in request.roles):
        raise Http404
    return _pdf(pdf.minutes(found), f"minutes-{found.pk}.pdf")


@cooperative_view(*READERS)
def proxy_form_pdf(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The proxy form to print and sign, in the member's name when they are on the register."""
    found = _assembly(request, assembly_id)
    me = queries.member_of(request.user, request.cooperative)
    return _pdf(pdf.proxy_form(found, me), f"proxy-form-{found.pk}.pdf")


@cooperative_view(Role.BOARD)
def letters_pdf(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The notice letters for the members reached by post, each with a proxy form."""
    found = _assembly(request, assembly_id)
    letters = queries.letters_to_post(found)
    if not letters:
        raise Http404
    return _pdf(pdf.letters(found, letters), f"notice-letters-{found.pk}.pdf")


@cooperative_view(*READERS)
def withdraw_proxy(request: CooperativeRequest, assembly_id: int) -> HttpResponse:
    """The member takes back the proxy they gave for this assembly. The assembly is looked up
    before the method is checked, so that another cooperative's is 404 whatever the method."""
    return _withdraw_proxy(request, _assembly(request, assembly_id))


@require_POST
def _withdraw_proxy(request: CooperativeRequest, found: Assembly) -> HttpResponse:
    me = queries.member_of(request.user, request.cooperative)
    if me is None:
        raise PermissionDenied
    proxy = get_object_or_404(proxies.live_proxies(found), giver=me)
    press(request, lambda: proxies.withdraw_proxy(proxy), _("Proxy withdrawn."))
    return redirect("governance:assembly", request.cooperative.slug, found.pk)


def _initial_assembly(request: CooperativeRequest) -> dict[str, str]:
    assembly_id = request.GET.get("assembly", "")
    return {"assembly": assembly_id} if assembly_id.isdigit() else {}


def _put_to_vote(
    request: CooperativeRequest,
    form_class: Callable[..., BaseForm],
    service: Callable[..., Motion | Election],
    title: str,
    done: str,
) -> HttpResponse:
    """The board's form for a new motion or election: parse, call ``service``, show it."""
    form = form_class(
        request.POST or None, cooperative=request.cooperative, initial=_initial_assembly(request)
    )

    def call(cleaned: dict[str, Any]) -> Motion | Election:
        # Querysets of the form become the plain lists the services take.
        data = {k: list(v) if k in ("classes", "candidates") else v for k, v in cleaned.items()}
        return service(request.cooperative, created_by=request.user, **data)

    if put := submit(request, form, call, done):
        kind = put.result._meta.model_name
        return redirect(f"governance:{kind}", request.cooperative.slug, put.result.pk)
    return render(request, "governance/form.html", {"form": form, "title": title})


@cooperative_view(Role.BOARD)
def propose_motion(request: CooperativeRequest) -> HttpResponse:
    return _put_to_vote(
        request,
        forms.MotionForm,
        questions.propose_motion,
        _("Propose a motion"),
        _("Motion proposed."),
    )


@cooperative_view(Role.BOARD)
def call_election(request: CooperativeRequest) -> HttpResponse:
    return _put_to_vote(
        request,
        forms.ElectionForm,
        questions.call_election,
        _("Call an election"),
        _("Election called."),
    )


# -- a question put to the vote: motion or election ---------------------------------------------


def _question(request: CooperativeRequest, kind: str, ids: dict[str, int]) -> Motion | Election:
    """The motion or election named in the URL (``motion_id`` or ``election_id``)."""
    # One call per model: through a mapping of the two, the checker would see only their base.
    if kind == "motion":
        return get_object_or_404(Motion, pk=ids["motion_id"], cooperative=request.cooperative)
    return get_object_or_404(Election, pk=ids["election_id"], cooperative=request.cooperative)


def _vote_form(
    question: Motion | Election, voter: Member, data: QueryDict | None = None
) -> BaseForm:
    initial = {"voter": voter.pk}
    prefix = f"v{voter.pk}"
    if isinstance(question, Motion):
        return forms.MotionVoteForm(data, initial=initial, prefix=prefix)
    return forms.ElectionVoteForm(data, initial=initial, prefix=prefix, election=question)


def _question_context(
    request: CooperativeRequest,
    question: Motion | Election,
    bound: dict[Any, BaseForm] | None = None,
) -> dict[str, Any]:
    me = queries.member_of(request.user, request.cooperative)
    kind = question._meta.model_name
    slots = queries.ballots_for(me, question)
    vote_forms = [(m, (bound or {}).get(m.pk) or _vote_form(question, m)) for m in slots]
    context: dict[str, Any] = {
        "question": question,
        "kind": kind,
        "act": f"governance:{kind}_act",
        "board": Role.BOARD in request.roles,
        "me": me,
        "vote_forms": vote_forms,
        "voted": me is not None and queries.has_voted(question, me),
        "why_not": [str(p.message) for p in not_entitled_because(question, me)] if me else [],
        "closed": question.status == QuestionStatus.CLOSED,
        "ranked_methods": RANKED_METHODS,
        "shuffle_every": ballot_box.SHUFFLE_EVERY,
        "ballots_so_far": question.roll.count() if question.status == QuestionStatus.OPEN else None,
    }
    if context["closed"]:
        context["ballots"] = queries.ballot_rows(question)
        context["roll"] = question.roll.select_related("member", "cast_by")
    if isinstance(question, Motion):
        context["amendments"] = question.amendments.all()
        if context["board"] and question.status == QuestionStatus.DRAFT and not question.amends_id:
            context["amend_form"] = (bound or {}).get("amend") or forms.AmendmentForm()
    else:
        context["candidates"] = question.candidates.select_related("member__stakeholder_class")
        context["reservations"] = question.reservations.select_related("stakeholder_class")
        context["sheet"] = queries.count_sheet(question) if context["closed"] else None
        if context["sheet"] and context["sheet"]["lot_needed"] and context["board"]:
            context["lot_form"] = (bound or {}).get("lot") or _lot_form(question)
    return context


def _lot_form(election: Election, data: QueryDict | None = None) -> forms.LotForm:
    lot = election.result["count"]["lot"]
    names = election.result["names"]
    return forms.LotForm(data, among=[(cid, names[str(cid)]) for cid in lot["among"]])


def _render_question(
    request: CooperativeRequest,
    question: Motion | Election,
    bound: dict[Any, BaseForm] | None = None,
    status: int = 200,
    trackers: Iterable[tuple[Member, str]] = (),
) -> HttpResponse:
    context = _question_context(request, question, bound)
    context["trackers"] = list(trackers)
    response = render(request, "governance/question.html", context, status=status)
    if trackers:
        # Shown once: no copy in the browser's cache or a proxy's.
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
    return response


@cooperative_view(*READERS)
def question(request: CooperativeRequest, kind: str, **ids: int) -> HttpResponse:
    voting.close_due_votes(cooperative=request.cooperative)
    return _render_question(request, _question(request, kind, ids))


@cooperative_view(*READERS)
def question_act(request: CooperativeRequest, kind: str, action: str, **ids: int) -> HttpResponse:
    """Vote, open or close voting, draw a lot, or amend; a broken rule is shown on the page."""
    found = _question(request, kind, ids)
    if action not in ("vote", "open", "close", "amend", "lot"):
        raise Http404
    return _question_act(request, found, kind, action)


@require_POST
def _question_act(
    request: CooperativeRequest, found: Motion | Election, kind: str, action: str
) -> HttpResponse:
    if action == "vote":
        return _vote(request, found)
    _board_only(request)
    if action == "open":
        press(request, lambda: voting.open_vote(found), _("Voting is open."))
    elif action == "close":
        press(request, lambda: voting.close_vote(found), _("Voting is closed and counted."))
    elif action == "lot":
        return _draw_lot(request, found)
    else:
        return _amend(request, found)
    return redirect(f"governance:{kind}", request.cooperative.slug, found.pk)


def _draw_lot(request: CooperativeRequest, found: Motion | Election) -> HttpResponse:
    if not isinstance(found, Election) or found.status != QuestionStatus.CLOSED:
        raise Http404
    back = redirect("governance:election", request.cooperative.slug, found.pk)
    # Without a lot in the count there is no lot form to read the choice with.
    if not ((found.result.get("count") or {}).get("lot") or {}).get("needed"):
        messages.error(request, _("This count is not waiting for a lot."))
        return back
    form = _lot_form(found, request.POST)
    if not form.is_valid():
        return _render_question(request, found, {"lot": form}, 400)
    chosen = get_object_or_404(found.candidates, pk=form.cleaned_data["chosen"])
    press(
        request,
        lambda: tallies.record_lot(found, chosen, request.user),
        _("The lot is recorded and the count run again."),
    )
    return back


def _amend(request: CooperativeRequest, found: Motion | Election) -> HttpResponse:
    if not isinstance(found, Motion):
        raise Http404
    form = forms.AmendmentForm(request.POST)
    if not form.is_valid():
        return _render_question(request, found, {"amend": form}, 400)
    amended = press(
        request,
        lambda: questions.propose_motion(
            request.cooperative, amends=found, created_by=request.user, **form.cleaned_data
        ),
        _("Amendment proposed."),
    )
    if amended:
        return redirect("governance:motion", request.cooperative.slug, amended.result.pk)
    return redirect("governance:motion", request.cooperative.slug, found.pk)


def _vote(request: CooperativeRequest, found: Motion | Election) -> HttpResponse:
    me = queries.member_of(request.user, request.cooperative)
    if me is None:
        raise PermissionDenied
    voter_id = request.POST.get(next((k for k in request.POST if k.endswith("-voter")), ""), "")
    voter = next((m for m in queries.ballots_for(me, found) if str(m.pk) == voter_id), None)
    if voter is None:
        messages.error(request, _("There is no ballot left for you to cast on this."))
        return redirect(f"governance:{found._meta.model_name}", request.cooperative.slug, found.pk)
    form = _vote_form(found, voter, request.POST)
    # No message once done: the tracker is shown in this response only, not in the session
    # or a message, so it is never stored next to the voter's login.
    if cast := submit(
        request,
        form,
        lambda data: voting.cast_vote(
            found,
            voter,
            by=me,
            choice=data.get("choice", ""),
            ranking=data.get("ranking", []),
        ),
        None,
    ):
        return _render_question(request, found, trackers=[(voter, cast.result.tracker)])
    return _render_question(request, found, {voter.pk: form}, 400)


@cooperative_view(*READERS)
def published_ballots(request: CooperativeRequest, kind: str, fmt: str, **ids: int) -> HttpResponse:
    """The published ballots of a closed question, for anyone to recount: CSV for motions and
    plurality or approval elections, BLT for ranked elections."""
    found = _question(request, kind, ids)
    if found.status != QuestionStatus.CLOSED:
        raise Http404(_("Ballots are published once voting closes."))
    ranked = found if isinstance(found, Election) and found.method in RANKED_METHODS else None
    if fmt != ("csv" if ranked is None else "blt"):
        raise Http404
    if ranked is not None:
        content, mime = tallies.ballots_blt(ranked), "text/plain; charset=utf-8"
    else:
        content, mime = queries.ballots_csv(found), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{found.pk}-ballots.{fmt}"'
    return response
