"""Rules of membership and share capital, as pure functions that return what is wrong.

Each rule cites where it comes from. They take plain values so that they can be tested and
reused (by forms, the API and later the governance app) without a database. Each problem is a
``ValidationError`` with its own ``code``, returned, not raised: the service raises them
together, and the API answers a single problem with its code.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from coopcare import localise

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
                        % {"days": probation_days, "date": localise.day(eligible)},
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


def split_instalments(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` instalments to the cent, equal but for the last, which takes
    what rounding left over, so that they add up to ``total`` exactly.

    Source: c.c. art. 2521(3) n. 4 (the deed records each member's capital subscribed and the
    payments made, so shares may be subscribed before they are paid) and art. 2531 (a member
    who does not pay the shares subscribed may be excluded): the statutes and the board set
    when the rest is paid.
    """
    part = (total / count).quantize(CENT, rounding="ROUND_DOWN")
    return [part] * (count - 1) + [total - part * (count - 1)]


def instalment_problems(unpaid: Decimal, planned: Decimal, count: int) -> list[ValidationError]:
    """Instalments cover capital subscribed and not paid yet, and not planned already."""
    if count < 1:
        return [ValidationError(_("Plan at least one instalment."), code="no_instalments")]
    if unpaid - planned <= 0:
        return [
            ValidationError(
                _(
                    "Nothing is left to pay in instalments: %(unpaid)s is owed, %(planned)s "
                    "is planned already."
                )
                % {"unpaid": cents(unpaid), "planned": cents(planned)},
                code="nothing_to_plan",
            )
        ]
    if (unpaid - planned) / count < CENT:
        return [
            ValidationError(
                _("%(left)s cannot be paid in %(count)s instalments of a cent or more.")
                % {"left": cents(unpaid - planned), "count": count},
                code="nothing_to_plan",
            )
        ]
    return []


# SEPA direct debit.

# The countries of the European Economic Area. A debit from an account in a SEPA country
# outside it (the United Kingdom, Switzerland, Monaco, San Marino...) needs the BIC of the
# debtor's bank and the debtor's address (EPC SDD Core Rulebook, since its 2020 version 1.0:
# attributes AT-13 and AT-09).
# fmt: off
EEA = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on
# The characters the EPC lets through in identifiers such as a mandate reference (EPC
# Implementation Guidelines, "SEPA character set"), with the leading and double "/" it
# refuses.
_SEPA_REFERENCE = re.compile(r"[A-Za-z0-9+?/\-:().,' ]{1,35}")


def iban_format_problems(iban: str) -> list[ValidationError]:
    """An IBAN whose structure for its country and check digits are right (an account
    payments are made to, anywhere IBANs are used).

    Source: ISO 13616-1: the IBAN is the country code, two check digits and the national
    account number (BBAN); moved to the end, letters replaced by numbers (A = 10 ... Z = 35),
    the whole number mod 97 is 1 (ISO 7064 MOD 97-10). The check and each country's length
    and structure are schwifty's.
    """
    try:
        IBAN(iban)
    except SchwiftyException as error:
        return [
            ValidationError(
                _("%(iban)s is not a valid IBAN (%(why)s).") % {"iban": iban, "why": error},
                code="iban_invalid",
            )
        ]
    return []


def iban_problems(iban: str) -> list[ValidationError]:
    """An IBAN that ``iban_format_problems`` passes, of an account in the SEPA area (only
    those can be debited by a SEPA direct debit; the area is schwifty's)."""
    problems = iban_format_problems(iban)
    if problems:
        return problems
    parsed = IBAN(iban)
    if not parsed.in_sepa_zone:
        return [
            ValidationError(
                _("%(country)s is not in the SEPA area: its accounts cannot be debited here.")
                % {"country": parsed.country_code},
                code="iban_outside_sepa",
            )
        ]
    return []


def bic_problems(bic: str) -> list[ValidationError]:
    """A BIC of 8 or 11 characters as ISO 9362 lays it out (bank, country, place, branch)."""
    try:
        BIC(bic)
    except SchwiftyException as error:
        return [
            ValidationError(
                _("%(bic)s is not a valid BIC (%(why)s).") % {"bic": bic, "why": error},
                code="bic_invalid",
            )
        ]
    return []


def compact(code: str) -> str:
    """An IBAN, BIC or creditor identifier as the files want it: no spaces, upper case."""
    return "".join(code.split()).upper()


def bic_for(iban: str) -> str:
    """The BIC of the bank of an IBAN where schwifty's bank registry knows it, else ''."""
    bic = IBAN(iban).bic
    return str(bic) if bic else ""


def mandate_problems(*, iban: str, bic: str, address: str, reference: str) -> list[ValidationError]:
    """A mandate's account in the SEPA area, its BIC and the debtor's address where the
    debtor's country is outside the EEA, and a reference in the SEPA character set.

    Sources: ISO 13616 (the IBAN, ``iban_problems``); EPC SDD Core Rulebook (the BIC of the
    debtor's bank has been optional since February 2016 for debits within the EEA, and is
    required with the debtor's address for a debtor in a SEPA country outside it; the
    mandate reference, AT-01, is up to 35 characters of the SEPA character set).
    """
    problems = iban_problems(iban)
    if bic:
        problems += bic_problems(bic)
    if not problems and IBAN(iban).country_code not in EEA:
        if not bic:
            problems.append(
                ValidationError(
                    _("An account outside the European Economic Area needs its bank's BIC."),
                    code="bic_missing",
                )
            )
        if not address.strip():
            problems.append(
                ValidationError(
                    _(
                        "An account outside the European Economic Area needs the member's "
                        "postal address on the register."
                    ),
                    code="address_missing",
                )
            )
    if not _SEPA_REFERENCE.fullmatch(reference) or reference.startswith("/") or "//" in reference:
        problems.append(
            ValidationError(
                _(
                    "A mandate reference is 1 to 35 letters, digits, spaces and + ? / - : ( ) . "
                    ", ' and neither starts with / nor holds //."
                ),
                code="mandate_reference_invalid",
            )
        )
    return problems


def _mod97(digits: str) -> int:
    return int("".join(str(int(c, 36)) for c in digits)) % 97


def creditor_id_problems(identifier: str) -> list[ValidationError]:
    """A SEPA creditor identifier: country code, two check digits, a three-character creditor
    business code, then the national identifier; the check digits are those of ISO 7064
    MOD 97-10 over the national identifier followed by the country code and "00", letters
    as numbers (A = 10 ... Z = 35), the business code left out.

    Source: EPC262-08, Creditor Identifier Overview. Example: DE98ZZZ09999999999:
    "09999999999" + "DE00" → 09999999999131400 mod 97 = 0, and 98 - 0 = 98.
    """
    code = compact(identifier)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}", code) or 98 - _mod97(
        code[7:] + code[:2] + "00"
    ) != int(code[2:4]):
        return [
            ValidationError(
                _("%(id)s is not a valid SEPA creditor identifier.") % {"id": identifier},
                code="creditor_id_invalid",
            )
        ]
    return []


def _target_closed(day: date) -> bool:
    return day.weekday() >= 5 or day in holidays.financial_holidays("ECB", years=day.year)


def earliest_collection(made_on: date) -> date:
    """The first day a collection made on ``made_on`` may be due: two TARGET business days
    later, itself a TARGET business day.

    Source: EPC SDD Core Rulebook (since version 9.0, November 2016): the creditor's bank
    presents every collection, first or recurrent, to the debtor's bank at the latest one
    inter-bank business day before the due date (D-1); the file reaches the creditor's bank a
    business day before that, so D-2 from the day it is made. Inter-bank business days are
    TARGET2's (closed at weekends, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26
    December: the ECB's calendar in the ``holidays`` library).
    """
    day, open_days = made_on, 0
    while open_days < 2 or _target_closed(day):
        day += timedelta(days=1)
        if not _target_closed(day):
            open_days += 1
    return day


def collection_date_problems(made_on: date, collection_date: date) -> list[ValidationError]:
    """A collection is due on a TARGET business day no earlier than ``earliest_collection``."""
    earliest = earliest_collection(made_on)
    if collection_date < earliest or _target_closed(collection_date):
        return [
            ValidationError(
                _("A collection made today can be due on a bank business day from %(date)s.")
                % {"date": localise.day(earliest)},
                code="collection_date_too_soon",
            )
        ]
    return []


def sequence_type(collected_before: bool) -> str:
    """FRST for the first debit under a mandate, RCUR after one was collected.

    Source: EPC SDD Core Rulebook since version 9.0 (November 2016): a first collection may
    also be sent as recurrent, FRST is no longer required; coopcare still marks the first one,
    which every bank accepts, and one that was returned stays first.
    """
    return "RCUR" if collected_before else "FRST"
