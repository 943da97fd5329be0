"""Home and the per-role dashboard of a cooperative (a federation's figures are in impact)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from coopcare.care.models import CareStatus, CircleMember
from coopcare.cooperatives.access import cooperative_view, cooperatives_of, federations_of
from coopcare.cooperatives.models import Role
from coopcare.cooperatives.queries import this_week
from coopcare.members import queries, services
from coopcare.members.models import Member, MemberStatus
from coopcare.visits.models import Visit


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
        context["my_day"] = Visit.objects.filter(
            cooperative=cooperative, carers=request.user, starts_at__date=timezone.localdate()
        ).aggregate(count=Count("pk"), first=Min("starts_at"))
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
