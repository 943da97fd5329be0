"""Questions put to the vote: motions (with amendments and the effect a motion carries)
and elections (with their candidates and the seats reserved per class), at an assembly or
online."""

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from coopcare.billing.models import Tariff, TariffVersion
from coopcare.billing.services import VERSION_FIELDS, checked_tariff_version
from coopcare.cooperatives.models import Cooperative
from coopcare.governance import rules
from coopcare.governance.models import (
    Assembly,
    AssemblyStatus,
    Candidate,
    EffectKind,
    Election,
    Motion,
    QuestionStatus,
    SeatReservation,
)
from coopcare.governance.services._common import _own, _refuse
from coopcare.members.models import Member, MemberStatus, StakeholderClass
from coopcare.rostering.models import RosterPolicy
from coopcare.work.models import PayRules
from coopcare.work.queries import pay_rules_on
from coopcare.work.services.pay import checked_pay_rules

# The prices a motion adopting a tariff version carries: all but the day, the effect's.
TARIFF_PRICES = tuple(name for name in VERSION_FIELDS if name != "valid_from")
# The rules a motion adopting pay rules carries: all but the day and the summary, the motion's.
PAY_RULES = (
    "base_rate",
    "minimum_wage",
    "unsocial_premium",
    "unsocial_from",
    "unsocial_until",
    "weekend_premium",
    "holiday_premium",
    "waiting_paid",
    "waiting_max_minutes",
    "mileage_rate",
)


def _check_effect(
    cooperative: Cooperative, kind: str, effect: dict, effect_from: date | None
) -> dict:
    """The effect's content, checked: a roster policy needs each weight as a number ≥ 0; a
    tariff's new prices (those left out as its latest prices have them) and new pay rules
    (those left out as in force then) are checked as the office's are, from the effect's date
    (or today)."""
    if kind == EffectKind.TARIFF_VERSION:
        return _check_tariff_effect(cooperative, effect, effect_from)
    if kind == EffectKind.PAY_RULES:
        return _check_pay_effect(cooperative, effect, effect_from)
    if kind != EffectKind.ROSTER_POLICY:
        return {}
    problems, weights = [], {}
    for name in RosterPolicy.WEIGHTS:
        try:
            value = Decimal(str(effect.get(name, "")))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite() or value < 0:
            problems.append(
                ValidationError(
                    _("The roster policy needs a weight of 0 or more for %(name)s.")
                    % {"name": name},
                    code="policy_weight_invalid",
                )
            )
        else:
            weights[name] = str(value)
    _refuse(problems)
    return weights


def effect_fields(model: type[Model], names: Sequence[str], effect: dict) -> dict:
    """The values an effect carries for ``names``, as fields of ``model`` (read back from the
    motion's stored text); an unreadable value refuses them with its field's name."""
    fields, problems = {}, []
    for name in names:
        if effect.get(name) is None:
            continue  # left as the caller has it
        field = cast(Field, model._meta.get_field(name))
        try:
            fields[name] = field.to_python(effect[name])
        # A time field's parser lets a TypeError or ValueError through for odd JSON values.
        except (ValidationError, TypeError, ValueError):
            problems.append(
                ValidationError(
                    _("The motion's effect needs a valid value for %(field)s.")
                    % {"field": field.verbose_name},
                    code="effect_price_invalid",
                )
            )
    _refuse(problems)
    return fields


def _stored(version: Model, names: Sequence[str]) -> dict:
    """Each value as the checked version has it, as text in the motion's JSON."""
    values = {}
    for name in names:
        value = getattr(version, name)
        values[name] = value if isinstance(value, bool | int) else str(value)
    return values


def _check_tariff_effect(cooperative: Cooperative, effect: dict, effect_from: date | None) -> dict:
    try:
        tariff = Tariff.objects.get(cooperative=cooperative, pk=int(effect.get("tariff") or 0))
    except (Tariff.DoesNotExist, TypeError, ValueError, OverflowError):
        raise ValidationError(
            _("Name one of the cooperative's tariffs whose prices the motion adopts."),
            code="effect_tariff_unknown",
        ) from None
    # A price the motion leaves out stays as the tariff's latest prices have it.
    latest = tariff.versions.order_by("-valid_from").first()
    kept = {name: getattr(latest, name) for name in TARIFF_PRICES} if latest else {}
    fields = kept | effect_fields(TariffVersion, TARIFF_PRICES, effect)
    version = checked_tariff_version(
        tariff, fields | {"valid_from": effect_from or timezone.localdate()}
    )
    return {"tariff": tariff.pk} | _stored(version, TARIFF_PRICES)


def _check_pay_effect(cooperative: Cooperative, effect: dict, effect_from: date | None) -> dict:
    day = effect_from or timezone.localdate()
    # A rule the motion leaves out stays as the pay rules in force on its day have it.
    current = pay_rules_on(cooperative, day)
    fields = {name: getattr(current, name) for name in PAY_RULES}
    fields |= effect_fields(PayRules, PAY_RULES, effect)
    return _stored(checked_pay_rules(cooperative, fields | {"effective_from": day}), PAY_RULES)


def _question_fields(cooperative, assembly, opens_at, closes_at) -> None:
    if assembly is not None:
        _own(cooperative, assembly)
        if assembly.status == AssemblyStatus.CLOSED:
            raise ValidationError(_("This assembly is closed."), code="assembly_closed")
        return
    if opens_at is None or closes_at is None:
        raise ValidationError(
            _("An online vote needs the time voting opens and the time it closes."),
            code="voting_window_missing",
        )
    if closes_at <= opens_at:
        raise ValidationError(
            _("Voting must close after it opens."), code="voting_closes_before_opening"
        )


@transaction.atomic
def propose_motion(
    cooperative: Cooperative,
    *,
    title: str,
    text: str,
    assembly: Assembly | None = None,
    majority: str = "simple",
    base: str = "cast",
    secret: bool = False,
    classes: Sequence[StakeholderClass] = (),
    min_days_member: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    effect_kind: str = "",
    effect: dict | None = None,
    effect_from: date | None = None,
    amends: Motion | None = None,
    created_by=None,
) -> Motion:
    """Put a motion (or an amendment to one) on an assembly's agenda or to an online vote."""
    if amends is not None:
        if amends.status != QuestionStatus.DRAFT:
            raise ValidationError(
                _("Amendments are made before the motion is put to the vote."),
                code="motion_already_put",
            )
        assembly, opens_at, closes_at = amends.assembly, amends.opens_at, amends.closes_at
    _question_fields(cooperative, assembly, opens_at, closes_at)
    _own(cooperative, *classes)
    motion = Motion.objects.create(
        cooperative=cooperative,
        assembly=assembly,
        title=title,
        text=text,
        majority=majority,
        base=base,
        secret=secret,
        min_days_member=min_days_member,
        opens_at=opens_at,
        closes_at=closes_at,
        effect_kind=effect_kind,
        effect=_check_effect(cooperative, effect_kind, effect or {}, effect_from),
        effect_from=effect_from,
        amends=amends,
        position=(assembly.motions.count() + 1) if assembly else 0,
        created_by=created_by,
    )
    motion.classes.set(classes)
    return motion


@transaction.atomic
def call_election(
    cooperative: Cooperative,
    *,
    title: str,
    method: str,
    seats: int,
    candidates: list[Member],
    assembly: Assembly | None = None,
    secret: bool = True,
    reserved: dict[StakeholderClass, int] | None = None,
    classes: Sequence[StakeholderClass] = (),
    min_days_member: int = 0,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    created_by=None,
) -> Election:
    """An election with its candidates (admitted members) and any seats reserved per class."""
    _question_fields(cooperative, assembly, opens_at, closes_at)
    reserved = {cls: n for cls, n in (reserved or {}).items() if n}
    _own(cooperative, *classes, *reserved)
    problems = []
    if seats < 1:
        problems.append(ValidationError(_("An election fills at least one seat."), code="no_seats"))
    if len(set(candidates)) < seats:
        problems.append(
            ValidationError(
                _("%(seats)s seats need at least as many candidates (now %(n)s).")
                % {"seats": seats, "n": len(set(candidates))},
                code="too_few_candidates",
            )
        )
    for member in candidates:
        _own(cooperative, member)
        if member.status != MemberStatus.ADMITTED:
            problems.append(
                ValidationError(
                    _("%(name)s is not an admitted member and cannot stand.") % {"name": member},
                    code="candidate_not_admitted",
                )
            )
    if method == "irv" and seats != 1:
        problems.append(
            ValidationError(
                _("Instant-runoff fills one seat; use the single transferable vote for more."),
                code="irv_one_seat",
            )
        )
    standing = Counter(m.stakeholder_class.name for m in set(candidates))
    problems += rules.reservation_problems(
        seats, {c.name: n for c, n in reserved.items()}, standing
    )
    _refuse(problems)
    election = Election.objects.create(
        cooperative=cooperative,
        assembly=assembly,
        title=title,
        method=method,
        seats=seats,
        secret=secret,
        min_days_member=min_days_member,
        opens_at=opens_at,
        closes_at=closes_at,
        position=(assembly.elections.count() + 1) if assembly else 0,
        created_by=created_by,
    )
    election.classes.set(classes)
    for member in dict.fromkeys(candidates):
        Candidate.objects.create(election=election, member=member)
    for cls, n in reserved.items():
        SeatReservation.objects.create(election=election, stakeholder_class=cls, seats=n)
    return election
