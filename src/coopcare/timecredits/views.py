"""Time credit pages: a member's balance and history, the board of offers and requests, an
exchange (taken up, withdrawn, its hours confirmed), and the coordinators' balances, terms and
reversals. A cooperative that does not exchange time credits has none of these pages (404)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.members.models import Member
from coopcare.pages import press, submit
from coopcare.timecredits import forms, queries, services
from coopcare.timecredits.models import CreditEntry, Exchange, ExchangeStatus

COORDINATOR = (Role.COORDINATOR,)


def _member(request) -> Member:
    member = queries.member_of(request.cooperative, request.user)
    if member is None:
        raise Http404
    return member


@cooperative_view(Role.MEMBER, form="runs_time_credits")
def mine(request):
    """The member's balance, their ledger entries and the exchanges they are part of."""
    member = _member(request)
    return render(
        request,
        "timecredits/mine.html",
        {
            "member": member,
            "balance": services.balance(member),
            "entries": queries.history(member),
            "exchanges": queries.mine(request.cooperative, member),
        },
    )


@cooperative_view(Role.MEMBER, form="runs_time_credits")
def board(request):
    """The open offers and requests; a member posts one."""
    member = _member(request)
    form = forms.PostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def post(data):
            return services.post(request.cooperative, member, by=request.user, **data)

        if submit(request, form, post, _("Saved.")):
            return redirect("timecredits:board", request.cooperative.slug)
    return render(
        request,
        "timecredits/board.html",
        {"member": member, "form": form, "exchanges": queries.board(request.cooperative)},
        status=400 if form.errors else 200,
    )


@cooperative_view(Role.MEMBER, form="runs_time_credits")
def exchange(request, exchange_id: int):
    """One exchange: a member takes it up, its poster withdraws it, its receiver confirms the
    hours once the help is done."""
    member = _member(request)
    found = get_object_or_404(
        Exchange.objects.select_related("posted_by", "taken_by"),
        pk=exchange_id,
        cooperative=request.cooperative,
    )
    form = forms.ConfirmForm()
    if request.method == "POST":
        action = request.POST.get("action")
        done = None
        if action == "accept":
            done = press(
                request, lambda: services.accept(found, member, by=request.user), _("Saved.")
            )
        elif action == "withdraw":
            done = press(request, lambda: services.withdraw(found, member), _("Saved."))
        elif action == "confirm":
            form = forms.ConfirmForm(request.POST)

            def confirm(data):
                return services.confirm(found, member, by=request.user, **data)

            done = submit(request, form, confirm, _("Saved."))
        if done:
            return redirect("timecredits:exchange", request.cooperative.slug, found.pk)
        found.refresh_from_db()
    receiver = found.receiver
    return render(
        request,
        "timecredits/exchange.html",
        {
            "exchange": found,
            "member": member,
            "may_accept": found.status == ExchangeStatus.OPEN and found.posted_by_id != member.pk,
            "may_withdraw": found.status == ExchangeStatus.OPEN and found.posted_by_id == member.pk,
            "may_confirm": found.status == ExchangeStatus.ACCEPTED
            and receiver is not None
            and receiver.pk == member.pk,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@cooperative_view(*COORDINATOR, form="runs_time_credits")
def balances(request):
    """Every member's balance and the whole ledger, newest first, with the cooperative's
    terms; coordinators set the terms and reverse entries from here."""
    terms = services.terms_of(request.cooperative)
    initial = {f: getattr(terms, f) for f in ("most_hours", "overdraft", "welcome_hours")}
    form = forms.TermsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":

        def change(data):
            return services.set_terms(request.cooperative, by=request.user, **data)

        if submit(request, form, change, _("Saved.")):
            return redirect("timecredits:balances", request.cooperative.slug)
    page = Paginator(queries.ledger(request.cooperative), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "timecredits/balances.html",
        {"members": queries.balances(request.cooperative), "page": page, "form": form},
        status=400 if form.errors else 200,
    )


@cooperative_view(*COORDINATOR, form="runs_time_credits")
def reversal(request, credit_id: int):
    """Reverse a ledger entry and the entry recorded with it, with the reason."""
    entry = get_object_or_404(
        CreditEntry.objects.select_related("member", "exchange"),
        pk=credit_id,
        cooperative=request.cooperative,
    )
    form = forms.ReversalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def reverse(data):
            return services.reverse(entry, data["reason"], by=request.user)

        if submit(request, form, reverse, _("Saved.")):
            return redirect("timecredits:balances", request.cooperative.slug)
    group = CreditEntry.objects.filter(link=entry.link).select_related("member")
    return render(
        request,
        "timecredits/reversal.html",
        {"entry": entry, "group": group, "form": form},
        status=400 if form.errors else 200,
    )
