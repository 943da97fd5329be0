"""Home and the per-role dashboard of a cooperative (a federation's figures are in impact)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.care.models import CareStatus, CircleMember
from coopcare.cooperatives import services as cooperative_services
from coopcare.cooperatives.access import cooperative_view, cooperatives_of, federations_of
from coopcare.cooperatives.forms import FormsOfCareForm
from coopcare.cooperatives.models import Role
from coopcare.cooperatives.queries import forms_of_care_changes, this_week
from coopcare.members import queries, services
from coopcare.members.models import Member, MemberStatus
from coopcare.pages import submit
from coopcare.visits.models import Visit
from coopcare.visits.queries import carer_on_days


@login_required
def home(request):
    """Send a user with one place to go straight there; otherwise let them choose."""
    cooperatives = cooperatives_of(request.user)
    federations = federations_of(request.user)
    if len(cooperatives) == 1 and not federations:
        return redirect("dashboard", cooperatives[0].slug)
    return render(request, "home.html", {"cooperatives": cooperatives, "federations": federations})


@cooperative_view()
def dashboard(request):
    """One page per cooperative, with a section for each role the user holds."""
    cooperative = request.cooperative
    context = {}
    if request.roles & {Role.BOARD, Role.COORDINATOR}:
        members = Member.objects.filter(cooperative=cooperative)
        context["register"] = members.aggregate(
            current=Count("pk", filter=Q(status=MemberStatus.ADMITTED)),
            applicants=Count("pk", filter=Q(status=MemberStatus.APPLICANT)),
        )
        context["classes"] = queries.class_summary(cooperative)
        context["capital"] = queries.capital_totals(cooperative)
        context["applicants"] = members.filter(status=MemberStatus.APPLICANT).select_related(
            "stakeholder_class"
        )[:10]
        context["weight_problems"] = services.class_weight_problems(cooperative)
    if Role.COORDINATOR in request.roles:
        context["care"] = cooperative.people_cared_for.aggregate(
            active=Count("pk", filter=Q(status=CareStatus.ACTIVE)),
            referrals=Count("pk", filter=Q(status=CareStatus.REFERRAL)),
        )
        context["carers"] = cooperative.roles.filter(role=Role.CARER).count()
        context["visits_today"] = Visit.objects.filter(
            cooperative=cooperative, starts_at__date=timezone.localdate()
        ).count()
        context["this_week"] = this_week(cooperative)
    if Role.CARER in request.roles:
        today = timezone.localdate()
        context["my_day"] = carer_on_days(cooperative, request.user, today, today).aggregate(
            count=Count("pk"), first=Min("starts_at")
        )
    if Role.CIRCLE in request.roles:
        grants = list(
            CircleMember.objects.filter(
                user=request.user, person__cooperative=cooperative, revoked_on__isnull=True
            ).select_related("person")
        )
        context["circle_grants"] = grants
        # "Who is coming this week" only for the people whose visits they were granted: with
        # none, not even its heading.
        context["circle_grants_with_visits"] = [g for g in grants if g.may_see_visits]
    own = Member.objects.filter(cooperative=cooperative, user=request.user).first()
    if own is not None:
        context["own_member"] = own
        context["own_balance"] = services.share_balance(own)
        context["own_paid_up"] = services.is_paid_up(own)
    return render(request, "cooperatives/dashboard.html", context)


@cooperative_view(Role.BOARD, Role.COORDINATOR)
def forms_of_care(request):
    """The forms of care the cooperative runs, what each means, and who changed them when."""
    # Every box left empty is a choice too (all switched off), not an unsent form.
    data = request.POST if request.method == "POST" else None
    form = FormsOfCareForm(data, cooperative=request.cooperative)
    if submit(
        request,
        form,
        lambda data: cooperative_services.choose_forms_of_care(
            request.cooperative, by=request.user, **data
        ),
        _("Saved."),
    ):
        return redirect("forms_of_care", request.cooperative.slug)
    return render(
        request,
        "cooperatives/forms_of_care.html",
        {"form": form, "changes": forms_of_care_changes(request.cooperative)[:50]},
    )
