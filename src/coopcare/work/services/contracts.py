"""Contracts, qualifications, training and the cooperative's working-time rules."""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import date, timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.shared.days import day_span
from coopcare.visits.models import VisitRecord
from coopcare.work import rules
from coopcare.work.models import (
    CarerHome,
    Contract,
    ContractKind,
    PayRules,
    Qualification,
    Training,
    WorkRules,
)

WORKER_ROLES = (Role.CARER, Role.COORDINATOR)
EXPIRING_WITHIN_DAYS = 60


def between_days(field: str, start: date, end: date) -> dict:
    """Lookups for a datetime ``field`` falling on local days ``start`` to ``end``. Plain
    comparisons use the index, where ``__date`` computes a date for every row. The days are
    those of the active time zone (as ``timezone.localdate`` reads them)."""
    first, after = day_span(start, end, timezone.get_current_timezone())
    return {f"{field}__gte": first, f"{field}__lt": after}


def records_between(cooperative: Cooperative, start: date, end: date) -> QuerySet:
    """The cooperative's visit records checked in on local days ``start`` to ``end``.

    Found through the cooperative's people cared for (a small table) rather than a join on
    visits, which PostgreSQL may scan once per record before it has statistics.
    """
    people = PersonCaredFor.objects.filter(cooperative=cooperative).values("pk")
    return VisitRecord.objects.filter(
        person__in=people, **between_days("checked_in_at", start, end)
    )


def pay_rules_on(cooperative: Cooperative, day: date) -> PayRules:
    """The pay rules in force on ``day``: the latest version from that day or before; the
    defaults (unsaved) for a cooperative that never set any."""
    in_force = PayRules.objects.filter(cooperative=cooperative, effective_from__lte=day)
    try:
        return in_force.latest()
    except PayRules.DoesNotExist:
        return PayRules(cooperative=cooperative, effective_from=day)


def pay_rules_lookup(cooperative: Cooperative) -> Callable[[date], PayRules]:
    """``pay_rules_on`` for one cooperative, asking the database once (at the first day looked
    up) for all its versions, however many days are looked up: a cooperative has few."""

    @cache
    def versions() -> list[PayRules]:
        # Oldest first, in the order of ``get_latest_by`` (ties by id).
        return list(
            PayRules.objects.filter(cooperative=cooperative).order_by(
                "effective_from", "recorded_at", "pk"
            )
        )

    @cache
    def on(day: date) -> PayRules:
        in_force = [v for v in versions() if v.effective_from <= day]
        return in_force[-1] if in_force else PayRules(cooperative=cooperative, effective_from=day)

    return on


def work_rules_of(cooperative: Cooperative) -> WorkRules:
    """The cooperative's working-time rules, made from its country's defaults the first time."""
    found, _created = WorkRules.objects.get_or_create(
        cooperative=cooperative, defaults=rules.limits_for(cooperative.country)
    )
    return found


def workers(cooperative: Cooperative, roles: Collection[str] = WORKER_ROLES) -> QuerySet:
    """The users who work for the cooperative in one of ``roles`` (carers and coordinators
    unless told), by name."""
    return (
        get_user_model()
        .objects.filter(
            cooperative_roles__cooperative=cooperative, cooperative_roles__role__in=roles
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _check_worker(cooperative: Cooperative, user) -> None:
    if not workers(cooperative).filter(pk=user.pk).exists():
        raise ValidationError(
            _("%(name)s does not work for this cooperative.") % {"name": user}, code="not_a_worker"
        )


def contracts_by_carer(
    cooperative: Cooperative, first: date, last: date, carer_ids: Collection[int] | None = None
) -> defaultdict[int, list[Contract]]:
    """The contracts of the cooperative's workers (of ``carer_ids``, or all) in force on at
    least one day of ``first``..``last``, in one query: carer id → contracts, the latest
    start first."""
    found: defaultdict[int, list[Contract]] = defaultdict(list)
    in_force = Contract.objects.overlapping(first, last).filter(cooperative=cooperative)
    if carer_ids is not None:
        in_force = in_force.filter(carer_id__in=list(carer_ids))
    for contract in in_force.order_by("-starts_on"):
        found[contract.carer_id].append(contract)
    return found


def contract_in(contracts: Iterable[Contract], day: date) -> Contract | None:
    """Of one carer's contracts already loaded (``contracts_by_carer``), the one in force on
    ``day``, as ``contract_on`` finds it in the database."""
    return next((c for c in contracts if c.covers(day)), None)


def contract_on(cooperative: Cooperative, carer, day: date) -> Contract | None:
    """The carer's contract in force on ``day``, if any."""
    return Contract.objects.in_force(day).filter(cooperative=cooperative, carer=carer).first()


def contract_problems(fields: dict, work_rules: WorkRules) -> list[ValidationError]:
    """What is wrong with a contract's terms, each problem with its code."""
    problems = []
    kind, hours = fields["kind"], fields["weekly_hours"]
    if kind == ContractKind.ZERO_HOURS:
        if not work_rules.allows_zero_hours:
            problems.append(
                ValidationError(
                    _(
                        "Zero-hours contracts are not allowed in this cooperative; "
                        "offer guaranteed hours instead."
                    ),
                    code="zero_hours_not_allowed",
                )
            )
        elif hours:
            problems.append(
                ValidationError(
                    _("A zero-hours contract has no contracted hours."),
                    code="zero_hours_with_hours",
                )
            )
    elif not hours:
        problems.append(
            ValidationError(_("Give the contracted hours a week."), code="weekly_hours_missing")
        )
    if kind == ContractKind.FIXED_TERM and not fields.get("ends_on"):
        problems.append(
            ValidationError(_("A fixed-term contract needs an end date."), code="end_date_missing")
        )
    if fields.get("ends_on") and fields["ends_on"] < fields["starts_on"]:
        problems.append(
            ValidationError(
                _("The contract cannot end before it starts."), code="contract_ends_before_start"
            )
        )
    return problems


@transaction.atomic
def start_contract(
    cooperative: Cooperative, carer, fields: dict, by=None, replace_current: bool = False
) -> Contract:
    """Record a new contract. With ``replace_current``, the open-ended contract it follows
    ends the day before; any other overlap is refused, so history is never rewritten."""
    _check_worker(cooperative, carer)
    problems = contract_problems(fields, work_rules_of(cooperative))
    if problems:
        raise ValidationError(problems)
    mine = Contract.objects.select_for_update().filter(cooperative=cooperative, carer=carer)
    starts_on, ends_on = fields["starts_on"], fields.get("ends_on")
    current = mine.filter(ends_on__isnull=True, starts_on__lt=starts_on).first()
    if replace_current and current:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    clash = mine.overlapping(starts_on, ends_on or None).first()
    if clash:
        raise ValidationError(
            _(
                "This contract overlaps the %(kind)s contract from %(start)s; end that one first "
                "or start this one after it."
            )
            % {"kind": clash.get_kind_display(), "start": date_format(clash.starts_on)},
            code="contract_overlaps",
        )
    return Contract.objects.create(cooperative=cooperative, carer=carer, recorded_by=by, **fields)


def end_contract(contract: Contract, on: date) -> Contract:
    """End a contract on ``on`` (its last day)."""
    if on < contract.starts_on:
        raise ValidationError(
            _("The contract cannot end before it starts."), code="contract_ends_before_start"
        )
    if contract.ends_on and contract.ends_on < on:
        raise ValidationError(
            _("The contract already ended on %(day)s.") % {"day": date_format(contract.ends_on)},
            code="contract_already_ended",
        )
    contract.ends_on = on
    contract.save(update_fields=["ends_on"])
    return contract


def add_qualification(cooperative: Cooperative, carer, fields: dict) -> Qualification:
    """Record a certificate a carer holds."""
    _check_worker(cooperative, carer)
    if fields.get("expires_on") and fields["expires_on"] <= fields["obtained_on"]:
        raise ValidationError(
            _("A certificate expires after it was obtained."),
            code="certificate_expires_before_obtained",
        )
    qualification = Qualification(cooperative=cooperative, carer=carer, **fields)
    if not qualification.skill_list():
        raise ValidationError(
            _("Name at least one skill the certificate qualifies for."), code="skills_missing"
        )
    qualification.skills = ", ".join(qualification.skill_list())
    qualification.save()
    return qualification


def record_training(cooperative: Cooperative, carer, fields: dict) -> Training:
    """Record training a carer took."""
    _check_worker(cooperative, carer)
    qualification = fields.get("qualification")
    if qualification and qualification.carer_id != carer.pk:
        raise ValidationError(
            _("That qualification belongs to someone else."),
            code="qualification_of_someone_else",
        )
    return Training.objects.create(cooperative=cooperative, carer=carer, **fields)


@transaction.atomic
def set_home(cooperative: Cooperative, carer, fields: dict) -> CarerHome:
    """Record (or change) where the carer's working days start and end, as the carer gives
    it: ``latitude``, ``longitude`` and an optional ``address``. Journeys from and to it are
    then working time (CJEU C-266/14 *Tyco*) and the planner starts and ends their days there.
    """
    _check_worker(cooperative, carer)
    home = CarerHome.objects.select_for_update().filter(
        cooperative=cooperative, carer=carer
    ).first() or CarerHome(cooperative=cooperative, carer=carer)
    home.address = fields.get("address", "").strip()
    home.latitude, home.longitude = fields["latitude"], fields["longitude"]
    home.full_clean()
    home.save()
    return home


def forget_home(cooperative: Cooperative, carer) -> bool:
    """Delete the carer's home place (the carer takes it back); whether there was one.
    Timesheets already built keep the journeys they counted."""
    deleted, _by_model = CarerHome.objects.filter(cooperative=cooperative, carer=carer).delete()
    return bool(deleted)


def skills_on(cooperative: Cooperative, day: date) -> dict[int, set[str]]:
    """Each worker's skills on ``day``, from the qualifications valid then (by user id)."""
    valid = Qualification.objects.valid_on(day).filter(cooperative=cooperative)
    skills: dict[int, set[str]] = {}
    for qualification in valid:
        skills.setdefault(qualification.carer_id, set()).update(qualification.skill_list())
    return skills


def qualified_for(cooperative: Cooperative, needed: list[str], day: date) -> list[int]:
    """The ids of workers qualified on ``day`` for every skill in ``needed``."""
    if not needed:
        return list(workers(cooperative).values_list("pk", flat=True))
    return [carer for carer, skills in skills_on(cooperative, day).items() if set(needed) <= skills]


def expiring(cooperative: Cooperative, today: date, within_days: int = EXPIRING_WITHIN_DAYS):
    """Qualifications that expire within ``within_days`` (or expired in the last month) and
    were not renewed by a later certificate of the same name."""
    soon = Qualification.objects.filter(
        cooperative=cooperative,
        expires_on__gte=today - timedelta(days=30),
        expires_on__lte=today + timedelta(days=within_days),
    ).select_related("carer")
    valid_then = Qualification.objects.valid_on(today + timedelta(days=within_days))
    renewed = {(q.carer_id, q.name) for q in valid_then.filter(cooperative=cooperative)}
    return [q for q in soon if (q.carer_id, q.name) not in renewed]
