"""Member register and share ledger pages, and the public page where people apply to become
members. Views parse, check access, call a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.accounts.ratelimit import Limit, address_of
from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.members import forms, pdf, queries, rules, services
from coopcare.members.models import Collection, Debit, Member, MemberStatus
from coopcare.notify import to_member
from coopcare.pages import Action, offered, perform, press, submit

BACK_OFFICE = (Role.BOARD, Role.COORDINATOR)
# Applications sent from one address on the public page, whatever the cooperative: enough for
# a family applying together, too few for a flood.
applications_by_address = Limit("membership-applications", "MEMBERSHIP_APPLICATIONS_PER_ADDRESS")


@cooperative_view(*BACK_OFFICE)
def register(request):
    """The member register, searchable; htmx requests get just the table."""
    filters = forms.RegisterFilterForm(request.GET or None, cooperative=request.cooperative)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    members = queries.search_register(request.cooperative, **criteria)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    template = "members/_register_table.html" if request.htmx else "members/register.html"
    return render(request, template, {"filters": filters, "page": page})


def _public_cooperative(coop: str) -> Cooperative:
    return get_object_or_404(Cooperative, slug=coop)


def join(request, coop: str):
    """The public page where a person applies to become a member: no login. A robot that
    fills the hidden trap field is thanked and nothing is saved; an address that applied too
    often is asked to wait."""
    cooperative = _public_cooperative(coop)
    form = forms.PublicApplicationForm(request.POST or None, cooperative=cooperative)
    context = {"cooperative": cooperative, "form": form}
    if request.method != "POST":
        return render(request, "members/join.html", context)
    if applications_by_address.hit(address_of(request)) is not None:
        messages.error(request, _("Too many applications from your connection. Try again later."))
        return render(request, "members/join.html", context, status=429)
    if form.is_robot():
        return render(request, "members/joined.html", context)
    if submit(
        request,
        form,
        lambda data: services.apply_from_outside(
            cooperative,
            language=get_language(),
            site_url=request.build_absolute_uri("/").rstrip("/"),
            **{k: v for k, v in data.items() if k != form.HONEYPOT},
        ),
        None,
    ):
        return render(request, "members/joined.html", context)
    return render(request, "members/join.html", context, status=400)


def join_privacy(request, coop: str):
    """The privacy notice of the application page: what is kept, why, and for how long."""
    cooperative = _public_cooperative(coop)
    return render(request, "members/join_privacy.html", {"cooperative": cooperative})


@cooperative_view(*BACK_OFFICE)
def apply(request):
    """Record a membership application with its subscription and first payment."""
    form = forms.ApplicationForm(request.POST or None, cooperative=request.cooperative)
    if applied := submit(
        request,
        form,
        lambda data: services.apply_for_membership(
            request.cooperative, recorded_by=request.user, **data
        ),
        lambda member: _("Application recorded for %(name)s.") % {"name": member},
    ):
        return redirect("members:detail", request.cooperative.slug, applied.result.pk)
    return render(request, "members/apply.html", {"form": form})


def _member_for(request, member_id: int) -> Member:
    """The member, if this user may see them: back office sees all, a member sees themselves."""
    member = get_object_or_404(
        Member.objects.select_related("stakeholder_class", "cooperative"),
        pk=member_id,
        cooperative=request.cooperative,
    )
    if not request.roles & set(BACK_OFFICE) and member.user_id != request.user.pk:
        raise Http404
    return member


ACTIONS = {
    "admit": Action(
        forms.DatedForm,
        lambda m, d, by: services.admit(m, d["on"], by, d["reason"]),
        (Role.BOARD,),
        gettext_lazy("Admit (board decision)"),
        gettext_lazy("Admitted."),
    ),
    "reject": Action(
        forms.ReasonRequiredForm,
        lambda m, d, by: services.reject(m, d["on"], d["reason"], by),
        (Role.BOARD,),
        gettext_lazy("Reject the application"),
        gettext_lazy("Application rejected."),
    ),
    "change-class": Action(
        forms.ClassChangeForm,
        lambda m, d, by: services.change_class(m, d["new_class"], d["on"], d["reason"], by),
        BACK_OFFICE,
        gettext_lazy("Change stakeholder class"),
        gettext_lazy("Stakeholder class changed."),
        needs_subject="member",
    ),
    "resign": Action(
        forms.DatedForm,
        lambda m, d, by: services.resign(m, d["on"], d["reason"], by),
        BACK_OFFICE,
        gettext_lazy("Resignation"),
        gettext_lazy("Resignation recorded."),
    ),
    "exclude": Action(
        forms.ReasonRequiredForm,
        lambda m, d, by: services.exclude(m, d["on"], d["reason"], by),
        (Role.BOARD,),
        gettext_lazy("Exclusion"),
        gettext_lazy("Exclusion recorded."),
    ),
    "subscribe": Action(
        forms.SubscriptionForm,
        lambda m, d, by: services.subscribe(m, d["shares"], d["on"], by),
        BACK_OFFICE,
        gettext_lazy("Subscribe more shares"),
        gettext_lazy("Subscription recorded."),
    ),
    "pay": Action(
        forms.PaymentForm,
        lambda m, d, by: services.record_payment(m, d["amount"], d["on"], d["reference"], by),
        BACK_OFFICE,
        gettext_lazy("Payment received"),
        gettext_lazy("Payment recorded."),
    ),
    "transfer": Action(
        forms.TransferForm,
        lambda m, d, by: services.transfer_shares(m, d["receiver"], d["shares"], d["on"], by),
        (Role.BOARD,),
        gettext_lazy("Transfer shares to another member"),
        gettext_lazy("Transfer recorded."),
        needs_subject="member",
    ),
    "instalments": Action(
        forms.InstalmentPlanForm,
        lambda m, d, by: services.plan_instalments(
            m, d["count"], d["first_due"], d["months_apart"], by
        ),
        BACK_OFFICE,
        gettext_lazy("Pay the rest in instalments"),
        gettext_lazy("Instalments planned."),
    ),
    "mandate": Action(
        forms.MandateForm,
        lambda m, d, by: services.sign_mandate(m, recorded_by=by, **d),
        BACK_OFFICE,
        gettext_lazy("Direct debit mandate signed"),
        gettext_lazy("Mandate recorded."),
    ),
    "revoke-mandate": Action(
        forms.DatedForm,
        lambda m, d, by: services.revoke_mandate(m, d["on"]),
        BACK_OFFICE,
        gettext_lazy("Direct debit mandate revoked"),
        gettext_lazy("Mandate revoked."),
    ),
    "redeem": Action(
        forms.RedemptionForm,
        lambda m, d, by: services.redeem(m, d["on"], d["reference"], by),
        (Role.BOARD,),
        gettext_lazy("Redeem shares (pay back on exit)"),
        gettext_lazy("Redemption recorded."),
    ),
}
# What can happen next to a register entry, by its status (offered in this order).
NEXT_ACTIONS: dict[str, list[str]] = {
    MemberStatus.APPLICANT: [
        "admit",
        "reject",
        "pay",
        "subscribe",
        "instalments",
        "mandate",
        "revoke-mandate",
        "change-class",
    ],
    MemberStatus.ADMITTED: [
        "pay",
        "subscribe",
        "instalments",
        "mandate",
        "revoke-mandate",
        "transfer",
        "change-class",
        "resign",
        "exclude",
    ],
    MemberStatus.REJECTED: ["redeem"],
    MemberStatus.RESIGNED: ["redeem"],
    MemberStatus.EXCLUDED: ["redeem"],
}


def _detail_context(request, member: Member, bound: dict | None = None) -> dict:
    action_forms = offered(request, ACTIONS, NEXT_ACTIONS[member.status], member, bound)
    return {
        "member": member,
        "balance": services.share_balance(member),
        "paid_up": services.is_paid_up(member),
        "events": member.events.select_related("from_class", "to_class", "recorded_by"),
        "entries": member.share_entries.all(),
        "action_forms": action_forms,
        "instalments": queries.instalments(member),
        "mandate": queries.mandate_in_force(member),
        # The whole IBAN only for the office, which collects; the member reads it masked.
        "sees_iban": bool(request.roles & set(BACK_OFFICE)),
        "certificate_form": forms.CertificateForm(initial={"on": timezone.localdate()}),
    }


@cooperative_view(*BACK_OFFICE, Role.MEMBER)
def detail(request, member_id: int):
    """A member's register entry, history, share ledger and the actions open to this user."""
    member = _member_for(request, member_id)
    return render(request, "members/detail.html", _detail_context(request, member))


@cooperative_view(*BACK_OFFICE, Role.MEMBER)
def certificate(request, member_id: int):
    """The member's share certificate as a PDF, in the member's language, as the ledger
    stood on the day asked (today by default): for the member themself and the office."""
    member = _member_for(request, member_id)
    form = forms.CertificateForm(request.GET or {"on": timezone.localdate()})
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("Give the day of the certificate as a date, such as 2026-03-01."),
            content_type="text/plain; charset=utf-8",
        )
    on = form.cleaned_data["on"]
    with translation.override(to_member(member).language):
        content = pdf.certificate(member, services.share_balance(member, on), on)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="share-certificate-{member.pk}-{on}.pdf"'
    )
    return response


@cooperative_view(*BACK_OFFICE)
def act(request, member_id: int, action: str):
    """Carry out one register or ledger action; on a broken rule, show the page with the error."""
    member = _member_for(request, member_id)
    if action not in ACTIONS:
        raise Http404
    return _act(request, member, action)


@require_POST
def _act(request, member: Member, action: str):
    done, form = perform(request, ACTIONS[action], action, member)
    if done:
        return redirect("members:detail", request.cooperative.slug, member.pk)
    member.refresh_from_db()
    context = _detail_context(request, member, bound={action: form})
    return render(request, "members/detail.html", context, status=400)


@cooperative_view(Role.MEMBER)
def me(request):
    """The member's view of their cooperative, on one page in large type: the votes open to
    them, the assemblies they are called to, their shares, their patronage refunds and the
    cooperative's last social report. Only their own records."""
    member = get_object_or_404(
        Member.objects.select_related("stakeholder_class"),
        cooperative=request.cooperative,
        user=request.user,
    )
    overview = queries.overview(request.cooperative, member)
    return render(request, "members/me.html", {"overview": overview})


@cooperative_view(*BACK_OFFICE)
def ledger(request):
    """The whole share capital ledger, newest first, with the cooperative's totals."""
    page = Paginator(queries.ledger(request.cooperative).reverse(), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/ledger.html",
        {"page": page, "totals": queries.capital_totals(request.cooperative)},
    )


@cooperative_view(*BACK_OFFICE)
def classes(request):
    """Stakeholder classes with their share terms and vote weights; the board edits them."""
    cooperative = request.cooperative
    editable = Role.BOARD in request.roles
    if request.method == "POST" and not editable:
        raise PermissionDenied
    formset = forms.ClassWeightFormSet(
        request.POST if request.method == "POST" else None, cooperative=cooperative
    )
    if formset.is_bound and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("Stakeholder classes saved."))
        return redirect("members:classes", cooperative.slug)
    return render(
        request,
        "members/classes.html",
        {
            "formset": formset,
            "editable": editable,
            "problems": services.class_weight_problems(cooperative),
        },
    )


# Collections by SEPA direct debit: the office's pages.


@cooperative_view(*BACK_OFFICE)
def collections(request):
    """The cooperative's collections, the instalments due, and the forms to make a
    collection and to record the creditor identifier."""
    cooperative = request.cooperative
    creditor = getattr(cooperative, "sepa_creditor", None)
    earliest = rules.earliest_collection(timezone.localdate())
    form = forms.CollectionForm(
        request.POST if "make" in request.POST else None,
        initial={"due_up_to": earliest, "collection_date": earliest},
    )
    creditor_form = forms.CreditorForm(
        request.POST if "creditor" in request.POST else None,
        initial={
            "name": creditor.name,
            "identifier": creditor.identifier,
            "iban": creditor.iban,
            "bic": creditor.bic,
        }
        if creditor
        else {"name": cooperative.name},
    )
    if request.method == "POST":
        if "make" in request.POST and (
            made := submit(
                request,
                form,
                lambda data: services.make_collection(cooperative, made_by=request.user, **data),
                _("Collection made: download its file for the bank."),
            )
        ):
            return redirect("members:collection", cooperative.slug, made.result.pk)
        if "creditor" in request.POST and submit(
            request,
            creditor_form,
            lambda data: services.set_creditor(cooperative, **data),
            _("Creditor identifier saved."),
        ):
            return redirect("members:collections", cooperative.slug)
    due_up_to = form.cleaned_data["due_up_to"] if form.is_bound and form.is_valid() else earliest
    context = {
        "creditor": creditor,
        "form": form,
        "creditor_form": creditor_form,
        "collections": queries.collections(cooperative),
        "due": services.instalments_due(cooperative, due_up_to),
        "due_up_to": due_up_to,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "members/collections.html", context, status=status)


def _collection(request, collection_id: int) -> Collection:
    return get_object_or_404(Collection, pk=collection_id, cooperative=request.cooperative)


@cooperative_view(*BACK_OFFICE)
def collection(request, collection_id: int):
    """One collection: its debits, marking one returned, and confirming the rest collected."""
    found = _collection(request, collection_id)
    confirm = forms.ConfirmForm(request.POST or None, initial={"on": found.collection_date})
    if request.method == "POST" and submit(
        request,
        confirm,
        lambda data: services.confirm_collection(found, data["on"], request.user),
        _("Collection confirmed: the payments are in the share ledger."),
    ):
        return redirect("members:collection", request.cooperative.slug, found.pk)
    return render(
        request,
        "members/collection.html",
        {
            "collection": found,
            "debits": found.debits.select_related("instalment__member", "mandate"),
            "confirm": confirm,
            "return_form": forms.ReturnForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@cooperative_view(*BACK_OFFICE)
def return_debit(request, collection_id: int, debit_id: int):
    """Mark one debit returned or rejected by the bank, with its reason."""
    found = _collection(request, collection_id)
    return _return(request, get_object_or_404(Debit, pk=debit_id, collection=found))


@require_POST
def _return(request, debit: Debit):
    found = debit.collection
    form = forms.ReturnForm(request.POST)
    if form.is_valid():
        press(
            request,
            lambda: services.return_debit(debit, form.cleaned_data["reason"]),
            _("Debit marked returned; its instalment is open again."),
        )
    else:
        messages.error(request, _("Choose the reason the bank gave."))
    return redirect("members:collection", request.cooperative.slug, found.pk)


@cooperative_view(*BACK_OFFICE)
def collection_file(request, collection_id: int):
    """The collection's pain.008 file, as made, for the bank."""
    found = _collection(request, collection_id)
    response = HttpResponse(found.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.message_id}.xml"'
    return response
