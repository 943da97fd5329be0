"""Who may see what: every view and API call resolves the cooperative through here.

A user who holds no role in a cooperative is told it does not exist (404), so that one
cooperative's users cannot even learn which objects another cooperative has.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from coopcare import localise
from coopcare.cooperatives.models import FORMS_OF_CARE, Cooperative, FederationAnalyst, Role


def roles_of(user, cooperative: Cooperative) -> frozenset[str]:
    """The roles ``user`` holds in ``cooperative``.

    ``member`` comes from the member register (an admitted member), not from a grant, so the
    register stays the single source of who is a member.
    """
    if not user.is_authenticated:
        return frozenset()
    from coopcare.members.models import Member, MemberStatus

    roles = set(
        user.cooperative_roles.filter(cooperative=cooperative).values_list("role", flat=True)
    )
    if Member.objects.filter(
        cooperative=cooperative, user=user, status=MemberStatus.ADMITTED
    ).exists():
        roles.add(Role.MEMBER)
    return frozenset(roles)


def cooperatives_of(user) -> list[Cooperative]:
    """The cooperatives in which ``user`` holds a role or is an admitted member."""
    from coopcare.members.models import Member, MemberStatus

    # Two subqueries, not two joins: joined, each cooperative's roles multiply with its members
    # before DISTINCT (2,000 carers x 3,000 members took half a second on every page).
    has_role = Q(pk__in=user.cooperative_roles.values("cooperative"))
    is_member = Q(
        pk__in=Member.objects.filter(user=user, status=MemberStatus.ADMITTED).values("cooperative")
    )
    return list(Cooperative.objects.filter(has_role | is_member))


def resolve_cooperative(
    user, slug: str, allowed: Iterable[str] = (), form: str | None = None
) -> tuple[Cooperative, frozenset[str]]:
    """The cooperative named ``slug`` and the user's roles in it.

    Raises Http404 when the user has no role there (or it does not exist), or when ``form``
    names a form of care (a flag of ``FORMS_OF_CARE``) the cooperative does not run;
    PermissionDenied when ``allowed`` is given and the user holds none of those roles. The rest
    of the request
    writes days and money with the conventions of the cooperative's country
    (``localise.set_region``).
    """
    cooperative = Cooperative.objects.filter(slug=slug).first()
    roles = roles_of(user, cooperative) if cooperative is not None else frozenset()
    if cooperative is None or not roles:
        raise Http404(_("No such cooperative."))
    if form is not None and not getattr(cooperative, form):
        raise Http404(_("This cooperative does not run this form of care."))
    if allowed and not roles & set(allowed):
        raise PermissionDenied
    localise.set_region(cooperative.country)
    return cooperative, roles


class CooperativeRequest(HttpRequest):
    """A request to a page of one cooperative, as ``cooperative_view`` hands it to the view."""

    cooperative: Cooperative
    roles: frozenset[str]
    # ``cooperative_view`` lets only a logged-in user through.
    user: User
    # Set by django-htmx's middleware.
    htmx: HtmxDetails


def cooperative_view(*allowed: str, form: str | None = None) -> Callable:
    """Decorate a view taking ``coop`` (a slug): sets ``request.cooperative`` and ``request.roles``.

    With ``allowed`` roles, other users of the cooperative get 403. With ``form`` (a flag of
    ``FORMS_OF_CARE``), a cooperative that does not run that form of care answers 404.
    """
    if form is not None and form not in FORMS_OF_CARE:
        raise ValueError(f"{form!r} is not a form of care")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request: CooperativeRequest, coop: str, *args, **kwargs):
            request.cooperative, request.roles = resolve_cooperative(
                request.user, coop, allowed, form
            )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def federations_of(user):
    """The federations whose aggregated figures ``user`` may see."""
    if not user.is_authenticated:
        return []
    return [grant.federation for grant in FederationAnalyst.objects.filter(user=user)]
