"""Rules of membership and share capital, as pure functions that return what is wrong.

Each rule cites where it comes from. They take plain values so that they can be tested and
reused (by forms, the API and later the governance app) without a database. Each problem is a
``ValidationError`` with its own ``code``, returned, not raised: the service raises them
together, and the API answers a single problem with its code.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """Money to the cent, whatever the database's sums return (SQLite drops trailing zeros)."""
    return Decimal(value).quantize(CENT)


@dataclass(frozen=True)
class ShareBalance:
    """A member's share capital, derived from the ledger."""

    shares: int = 0
    capital: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)

    @property
    def unpaid(self) -> Decimal:
        return self.capital - self.paid


def is_paid_up(balance: ShareBalance, min_shares: int) -> bool:
    """Paid-up: holds the shares the class requires and owes nothing on them.

    Source: cooperative statutes commonly grant voting rights to members whose subscribed
    shares are fully paid (e.g. CHCA: a $1,000 worker share paid in instalments).
    """
    return balance.shares >= min_shares and balance.capital > 0 and balance.unpaid <= 0


# One member's subscribed capital at the most. The ledger's columns hold 12 digits (ten
# before the cent); capping each member two digits lower keeps the whole cooperative's sum,
# shown on the ledger page, inside them too.
MOST_CAPITAL_PER_MEMBER = Decimal("99999999.99")


def capital_problems(capital_after: Decimal) -> list[ValidationError]:
    """No more capital for one member than the register can hold."""
    if capital_after > MOST_CAPITAL_PER_MEMBER:
        return [
            ValidationError(
                _(
                    "This would bring the member's capital to %(capital)s, above %(most)s, the "
                    "most the register holds for one member."
                )
                % {"capital": cents(capital_after), "most": MOST_CAPITAL_PER_MEMBER},
                code="capital_above_register_limit",
            )
        ]
    return []


def subscription_problems(
    shares: int, share_value: Decimal, balance: ShareBalance = ShareBalance()
) -> list[ValidationError]:
    """At least one share, and no more than the register can hold for one member."""
    if shares < 1:
        return [ValidationError(_("Subscribe at least one share."), code="no_shares_subscribed")]
    return capital_problems(balance.capital + shares * share_value)


def public_application_problems(
    *,
    open_to_applications: bool,
    shares: int,
    min_shares: int,
    share_value: Decimal,
    consented: bool,
) -> list[ValidationError]:
    """An application made on the cooperative's public page: to a class open to applications,
    for at least the shares the class requires and no more capital than the register holds
    for one member, with the applicant's consent to the processing of their data.

    Sources: the statutes' shares per class (``StakeholderClass.min_shares``), which an
    applicant from outside subscribes in full, since nobody from the office has agreed
    instalments of a smaller subscription with them; GDPR art. 7(1): the cooperative must
    be able to show that the applicant consented, so the consent is asked and recorded.
    """
    problems = []
    if not open_to_applications:
        problems.append(
            ValidationError(
                _("This stakeholder class does not take applications here."),
                code="class_not_open",
            )
        )
    if shares < min_shares:
        problems.append(
            ValidationError(
                _("The applicant must subscribe at least %(min)s shares (now %(held)s).")
                % {"min": min_shares, "held": shares},
                code="too_few_shares",
            )
        )
    else:
        problems += subscription_problems(shares, share_value)
    if not consented:
        problems.append(
            ValidationError(
                _("Agree to the privacy notice to apply: we need your details to consider it."),
                code="consent_missing",
            )
        )
    return problems


def payment_problems(balance: ShareBalance, amount: Decimal) -> list[ValidationError]:
    """A payment must be positive and may not bring paid-up capital above what was subscribed."""
    if amount <= 0:
        return [
            ValidationError(_("A payment must be more than zero."), code="payment_not_positive")
        ]
    if balance.paid + amount > balance.capital:
        return [
            ValidationError(
                _(
                    "This payment of %(amount)s would bring paid-up capital to %(total)s, "
                    "above the %(capital)s subscribed. At most %(left)s is still owed."
                )
                % {
                    "amount": cents(amount),
                    "total": balance.paid + amount,
                    "capital": balance.capital,
                    "left": balance.unpaid,
                },
                code="payment_above_capital",
            )
        ]
    return []


def transfer_problems(
    sender: ShareBalance,
    sender_min_shares: int,
    shares: int,
    same_member: bool,
    receiver_admitted: bool,
) -> list[ValidationError]:
    """Shares pass only between members, fully paid, and the sender keeps the shares their class
    requires (a member who leaves has their shares redeemed instead)."""
    problems = []
    if same_member:
        problems.append(
            ValidationError(
                _("A member cannot transfer shares to themselves."), code="transfer_to_self"
            )
        )
    if not receiver_admitted:
        problems.append(
            ValidationError(
                _("Shares can only be transferred to an admitted member."),
                code="receiver_not_admitted",
            )
        )
    if shares < 1:
        problems.append(
            ValidationError(_("Transfer at least one share."), code="no_shares_transferred")
        )
    elif shares > sender.shares:
        problems.append(
            ValidationError(
                _("The member holds %(held)s shares and cannot transfer %(shares)s.")
                % {"held": sender.shares, "shares": shares},
                code="more_shares_than_held",
            )
        )
    elif sender.unpaid > 0:
        problems.append(
            ValidationError(
                _("Only fully paid shares can be transferred."), code="shares_not_paid_up"
            )
        )
    elif sender.shares - shares < sender_min_shares:
        problems.append(
            ValidationError(
                _(
                    "The member must keep at least %(min)s shares; to leave, they resign "
                    "and their shares are redeemed."
                )
                % {"min": sender_min_shares},
                code="below_class_minimum",
            )
        )
    return problems


def redemption_problems(has_left: bool, balance: ShareBalance) -> list[ValidationError]:
    """Capital is paid back once, after the member has left (resigned or excluded)."""
    if not has_left:
        return [
            ValidationError(
                _("Shares are redeemed only when a member leaves; record the resignation first."),
                code="member_has_not_left",
            )
        ]
    if balance.shares == 0 and balance.capital == 0 and balance.paid == 0:
        return [
            ValidationError(
                _("This member's shares have already been redeemed."), code="already_redeemed"
            )
        ]
    return []


def admission_problems(
    *,
    is_applicant: bool,
    subscribed_shares: int,
    min_shares: int,
    probation_days: int,
    works_since: date | None,
    admitted_on: date,
) -> list[ValidationError]:
    """An applicant is admitted once they have subscribed the class's shares and, for classes
    with probation (worker membership), have worked for the cooperative long enough."""
    if not is_applicant:
        return [ValidationError(_("Only an applicant can be admitted."), code="not_an_applicant")]
    problems = []
    if subscribed_shares < min_shares:
        problems.append(
            ValidationError(
                _("The applicant must subscribe at least %(min)s shares (now %(held)s).")
                % {"min": min_shares, "held": subscribed_shares},
                code="too_few_shares",
            )
        )
    if probation_days:
        if works_since is None:
            problems.append(
                ValidationError(
                    _("This class has a probation period: record when the applicant started work."),
                    code="work_start_unknown",
                )
            )
        else:
            eligible = works_since + timedelta(days=probation_days)
            if admitted_on < eligible:
                problems.append(
                    ValidationError(
                        _(
                            "Worker membership follows a probation of %(days)s days: "
                            "this applicant can be admitted from %(date)s."
                        )
                        % {"days": probation_days, "date": date_format(eligible)},
                        code="probation_not_over",
                    )
                )
    return problems


def _percent(value: Decimal) -> str:
    """50.00 → "50", 12.50 → "12.5"."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class ClassWeight:
    name: str
    weight: Decimal | None
    cap: Decimal | None


def class_weight_problems(
    classes: Iterable[ClassWeight], minimum: Decimal, maximum: Decimal
) -> list[ValidationError]:
    """Weighted stakeholder classes: each between ``minimum`` and ``maximum`` percent of the
    vote, none above its own cap, together 100 %.

    Source: French SCIC law, loi n° 47-1775 art. 19 octies: when associates are grouped in
    colleges, each college holds at least 10 % and at most 50 % of the votes. Equal Care Co-op's
    rules cap investor members at 10 %.
    """
    classes = list(classes)
    weighted = [(c, c.weight) for c in classes if c.weight is not None]
    if not weighted:
        return []
    problems = []
    if len(weighted) != len(classes):
        problems.append(
            ValidationError(
                _("Either every stakeholder class has a weight or none has; missing: %(names)s.")
                % {"names": ", ".join(c.name for c in classes if c.weight is None)},
                code="class_weight_missing",
            )
        )
    for c, weight in weighted:
        if not minimum <= weight <= maximum:
            problems.append(
                ValidationError(
                    _("%(name)s weighs %(weight)s %%; the statutes allow %(min)s %% to %(max)s %%.")
                    % {
                        "name": c.name,
                        "weight": _percent(weight),
                        "min": _percent(minimum),
                        "max": _percent(maximum),
                    },
                    code="class_weight_out_of_bounds",
                )
            )
        if c.cap is not None and weight > c.cap:
            problems.append(
                ValidationError(
                    _("%(name)s weighs %(weight)s %%, above its cap of %(cap)s %%.")
                    % {"name": c.name, "weight": _percent(weight), "cap": _percent(c.cap)},
                    code="class_weight_above_cap",
                )
            )
    total = sum((weight for _c, weight in weighted), Decimal(0))
    if total != 100:
        problems.append(
            ValidationError(
                _("The class weights add up to %(total)s %%; they must add up to 100 %%.")
                % {"total": _percent(total)},
                code="class_weights_not_100",
            )
        )
    return problems
