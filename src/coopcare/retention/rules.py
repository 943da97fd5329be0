"""How long each kind of record is kept, by the cooperative's country, and when a record's
period is over. Pure: no database.

Each default names its source. Where the law sets no period for a home care service, or the
source could not be confirmed, the default says so ("to be confirmed by the cooperative's
DPO") and the cooperative sets its own (``services.set_period``), with its reason."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """A kind of record with a retention period of its own, and what the period counts from."""

    CARE_RECORDS = "care_records", _("care records")
    VISIT_RECORDS = "visit_records", _("visit records")
    MEDICATION = "medication", _("medication charts")
    INCIDENTS = "incidents", _("incidents")
    TIMESHEETS = "timesheets", _("timesheets")
    PAYSLIPS = "payslips", _("payslips")
    BALLOTS = "ballots", _("ballots and voter rolls")
    MESSAGES = "messages", _("messages")
    READ_LOGS = "read_logs", _("read logs")
    CHILDCARE_RECORDS = "childcare_records", _("childcare records")


# What each kind's period is counted from: the event, as people read it.
COUNTED_FROM = {
    Kind.CARE_RECORDS: _("the end of care"),
    Kind.VISIT_RECORDS: _("the visit's day"),
    Kind.MEDICATION: _("the dose's day"),
    Kind.INCIDENTS: _("the day the incident was closed"),
    Kind.TIMESHEETS: _("the timesheet's day"),
    Kind.PAYSLIPS: _("the end of the pay period"),
    Kind.BALLOTS: _("the vote's close"),
    Kind.MESSAGES: _("the day the message was sent"),
    Kind.READ_LOGS: _("the day of the read"),
    Kind.CHILDCARE_RECORDS: _("the child's last day at the centre"),
}

MIN_YEARS = 1
MAX_YEARS = 100


@dataclass(frozen=True)
class Default:
    """A default period in whole years, and where it comes from."""

    years: int
    source: str


TO_CONFIRM = "to be confirmed by the cooperative's DPO"

# Sources, by country. Periods are minimums the law sets for keeping, or the authority's
# guidance on how long is necessary (GDPR art. 5(1)(e)); a record is anonymised once it is over.
DEFAULTS: dict[str, dict[str, Default]] = {
    "IT": {
        Kind.CARE_RECORDS: Default(
            10,
            "Codice civile art. 2946 (ordinary limitation of ten years for claims, which a "
            "care record may be evidence in); the clinical record of hospitals is kept without "
            "limit (Circolare Ministero della Sanità 19 dicembre 1986 n. 900.2/2.7/190), which "
            f"does not reach home care: {TO_CONFIRM}",
        ),
        Kind.VISIT_RECORDS: Default(
            10, f"As the care record (Codice civile art. 2946); {TO_CONFIRM}"
        ),
        Kind.MEDICATION: Default(10, f"As the care record (Codice civile art. 2946); {TO_CONFIRM}"),
        Kind.INCIDENTS: Default(10, f"As the care record (Codice civile art. 2946); {TO_CONFIRM}"),
        Kind.TIMESHEETS: Default(
            5,
            "Libro unico del lavoro: kept five years from the last entry (D.L. 112/2008 art. 39, "
            "conv. L. 133/2008; D.M. 9 luglio 2008 art. 6)",
        ),
        Kind.PAYSLIPS: Default(
            5,
            "Codice civile art. 2948 n. 4 (wages are claimed within five years) and D.M. 9 luglio "
            f"2008 art. 6 (libro unico del lavoro, five years from the last entry); {TO_CONFIRM}",
        ),
        Kind.BALLOTS: Default(
            3,
            "Codice civile art. 2379 (applied to cooperatives by art. 2516 and 2519): a "
            "decision may be challenged as void within three years; who took part in an "
            f"assembly stays in its minutes (art. 2375); {TO_CONFIRM}",
        ),
        Kind.MESSAGES: Default(
            2, f"No period in law; the care record holds what matters. {TO_CONFIRM}"
        ),
        Kind.READ_LOGS: Default(
            2,
            "Garante privacy, Linee guida in materia di dossier sanitario, 4 giugno 2015, "
            "par. 7: the log of accesses is kept at least 24 months",
        ),
        Kind.CHILDCARE_RECORDS: Default(
            10,
            "As the care record (Codice civile art. 2946: ten years for claims on the contract "
            "with the parents); no national period for a nursery's records, which the regions "
            f"regulate; {TO_CONFIRM}",
        ),
    },
    "ES": {
        Kind.CARE_RECORDS: Default(
            5,
            "Ley 41/2002 art. 17.1: clinical documentation kept at least five years from the "
            "discharge of each episode of care",
        ),
        Kind.VISIT_RECORDS: Default(5, "As the care record (Ley 41/2002 art. 17.1)"),
        Kind.MEDICATION: Default(5, "As the care record (Ley 41/2002 art. 17.1)"),
        Kind.INCIDENTS: Default(5, "As the care record (Ley 41/2002 art. 17.1)"),
        Kind.TIMESHEETS: Default(
            4,
            "Real Decreto Legislativo 5/2000 (LISOS) art. 21: social security and labour "
            "documents kept four years; Ley 58/2003 (LGT) art. 66: tax limitation four years",
        ),
        Kind.PAYSLIPS: Default(
            4,
            "Real Decreto Legislativo 5/2000 (LISOS) art. 21: wage and social security documents "
            "kept four years; Ley 58/2003 (LGT) art. 66: tax limitation four years",
        ),
        Kind.BALLOTS: Default(
            2,
            "Ley 27/1999 de Cooperativas art. 31: a void decision of the general assembly may "
            "be challenged within one year; one more year covers a challenge under way; "
            f"{TO_CONFIRM}",
        ),
        Kind.MESSAGES: Default(
            2, f"No period in law; the care record holds what matters. {TO_CONFIRM}"
        ),
        Kind.READ_LOGS: Default(2, f"No period in law for a home care service; {TO_CONFIRM}"),
        Kind.CHILDCARE_RECORDS: Default(
            5,
            "Código civil art. 1964.2: personal actions with no period of their own, such as "
            "claims on the contract with the parents, prescribe in five years; no period in law "
            f"for the records of an escuela infantil; {TO_CONFIRM}",
        ),
    },
    "FR": {
        Kind.CARE_RECORDS: Default(
            5,
            "CNIL délibération n° 2023-095 du 14 septembre 2023 (social and medico-social "
            "services of CASF art. L. 312-1, home help services included): two years in active "
            "use from the last contact, then intermediate archive within the limitation period "
            f"(Code civil art. 2224, five years). Code de la santé publique art. R. 1112-7 "
            f"(twenty years) is for health establishments, not home help; {TO_CONFIRM}",
        ),
        Kind.VISIT_RECORDS: Default(
            5, f"As the care record (CNIL délibération 2023-095); {TO_CONFIRM}"
        ),
        Kind.MEDICATION: Default(
            5, f"As the care record (CNIL délibération 2023-095); {TO_CONFIRM}"
        ),
        Kind.INCIDENTS: Default(
            5, f"As the care record (CNIL délibération 2023-095); {TO_CONFIRM}"
        ),
        Kind.TIMESHEETS: Default(
            5,
            "Code du travail art. L. 3243-4 (a copy of payslips kept five years) and "
            "art. D. 3171-16 (working time records kept one year, shorter: the longer applies)",
        ),
        Kind.PAYSLIPS: Default(
            5, "Code du travail art. L. 3243-4: the employer keeps a copy of payslips five years"
        ),
        Kind.BALLOTS: Default(
            3,
            "Code civil art. 1844-14: the nullity of a company's decisions is claimed within "
            f"three years; {TO_CONFIRM}",
        ),
        Kind.MESSAGES: Default(
            2, "CNIL délibération 2023-095: two years in active use from the last contact"
        ),
        Kind.READ_LOGS: Default(1, f"CNIL guidance on logging: six months to a year; {TO_CONFIRM}"),
        Kind.CHILDCARE_RECORDS: Default(
            5,
            "Code civil art. 2224: claims on the contract with the parents prescribe in five "
            f"years; no period in law for a crèche's records; {TO_CONFIRM}",
        ),
    },
    "GB": {
        Kind.CARE_RECORDS: Default(
            8,
            "Records Management Code of Practice for Health and Social Care 2023 (England), "
            "Appendix II: adult social care records, eight years after the end of care or death",
        ),
        Kind.VISIT_RECORDS: Default(
            8, "As the care record (Records Management Code of Practice 2023)"
        ),
        Kind.MEDICATION: Default(
            8, "As the care record (Records Management Code of Practice 2023)"
        ),
        Kind.INCIDENTS: Default(
            10,
            "Records Management Code of Practice 2023, Appendix II: incidents, ten years from "
            f"the incident's closure (serious incidents 20 years); {TO_CONFIRM}",
        ),
        Kind.TIMESHEETS: Default(
            3,
            "HMRC, PAYE and payroll for employers: records kept three years from the end of the "
            "tax year they relate to (Income Tax (PAYE) Regulations 2003, reg. 97)",
        ),
        Kind.PAYSLIPS: Default(
            4,
            "HMRC, PAYE and payroll for employers: records kept three years from the end of the "
            "tax year they relate to (Income Tax (PAYE) Regulations 2003, reg. 97); counted here "
            "from the pay period's end, so one year more covers the rest of its tax year; "
            f"{TO_CONFIRM}",
        ),
        Kind.BALLOTS: Default(
            6,
            "Limitation Act 1980 s. 5 (six years for a claim on the society's rules, which "
            "bind its members as a contract: Co-operative and Community Benefit Societies Act "
            f"2014 s. 15); {TO_CONFIRM}",
        ),
        Kind.MESSAGES: Default(
            2, f"No period in law; the care record holds what matters. {TO_CONFIRM}"
        ),
        Kind.READ_LOGS: Default(2, f"No period in law for a care provider; {TO_CONFIRM}"),
        Kind.CHILDCARE_RECORDS: Default(
            3,
            "Statutory framework for the early years foundation stage (Childcare Act 2006 "
            "s. 39), section 3, information and records: records of individual children are "
            'kept "for a reasonable period of time after they have left the provision", '
            "which the provider decides; three years is the usual practice, not the law; a "
            "child's injury may be claimed until they are 21 (Limitation Act 1980 ss. 11 and "
            f"28); {TO_CONFIRM}",
        ),
    },
}

FALLBACK = "IT"


def default_period(country: str, kind: str) -> Default:
    """The default period of ``kind`` for a cooperative in ``country`` (ISO 3166 code).

    Source: ``DEFAULTS`` above, each with its own. A country not listed gets the Italian
    default, saying so: its law was not researched, and the cooperative must set its own."""
    defaults = DEFAULTS.get(country.upper())
    if defaults is not None:
        return defaults[kind]
    taken = DEFAULTS[FALLBACK][kind]
    return Default(
        taken.years,
        f"No defaults researched for {country.upper() or 'this country'}: the Italian default "
        f"is used until the cooperative sets its own ({taken.source})",
    )


def cutoff(today: date, years: int) -> date:
    """The day before which a record's event must lie for its period to be over: ``today``
    less ``years`` whole years (29 February becomes 28 February in a common year).

    Source: a period in years runs to the same day of the last year (Codice civile art. 2963;
    Code civil art. 2229; Código civil art. 5): an event on the cutoff day is kept one more day.
    """
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def period_problems(years: int, reason: str) -> list[ValidationError]:
    """What is wrong with a period the cooperative sets: its length, and that it says why."""
    problems = []
    if not MIN_YEARS <= years <= MAX_YEARS:
        problems.append(
            ValidationError(
                _("A retention period is from %(low)s to %(high)s years."),
                code="period_out_of_range",
                params={"low": MIN_YEARS, "high": MAX_YEARS},
            )
        )
    if not reason.strip():
        problems.append(
            ValidationError(
                _("Say why the period changes (the law, the DPO's advice)."),
                code="period_reason_missing",
            )
        )
    return problems


class ChildErasure(models.TextChoices):
    """What a guardian's request to erase their child's records can do on a given day."""

    # The child still comes to the centre: nothing is erased.
    STILL_ATTENDING = "still_attending"
    # The child has left, within the childcare records' period: the register is kept.
    REGISTER_KEPT = "register_kept"
    # The period is over: everything that says who the child was goes.
    ALL = "all"


def child_erasure(today: date, last_day: date | None, years: int) -> ChildErasure:
    """What erasing a child's records may reach ``today``, the child's last day at the centre
    being ``last_day`` (None while no last day is set) and the cooperative's period of
    childcare records ``years``.

    Source: GDPR art. 17(1)(a): the right to erasure applies once the data "are no longer
    necessary in relation to the purposes for which they were collected"; while the child
    still comes to the centre, their record (health notes, allergies, who may collect them)
    is what keeps them safe there, under the contract with the parents (art. 6(1)(b)), so
    nothing is erased (``still_attending``) until the last day is past. Art. 17(3)(b): the
    right does not apply "to the extent that processing is necessary for compliance with a
    legal obligation which requires processing by Union or Member State law to which the
    controller is subject". Childcare law requires the register of which children attended
    and when, and who brought and collected them (in England the EYFS statutory framework,
    section 3, "a daily record of the names of the children being cared for on the premises,
    their hours of attendance"), kept after the child left for the period of
    ``DEFAULTS[country][Kind.CHILDCARE_RECORDS]`` (or the cooperative's own): within it, the
    attendance, the refusals at the door, the consents and the child's name and date of birth
    they need are kept and the rest erased (``register_kept``); once it is over, as
    ``cutoff`` counts it, everything that says who the child was goes (``all``).
    """
    if last_day is None or last_day >= today:
        return ChildErasure.STILL_ATTENDING
    if last_day < cutoff(today, years):
        return ChildErasure.ALL
    return ChildErasure.REGISTER_KEPT


def register_kept_until(last_day: date | None, years: int) -> date | None:
    """The last day a child's register is kept: ``years`` after their last day at the
    centre, the day ``cutoff`` still keeps it (the same sources as ``child_erasure``); None
    while the child has no last day."""
    if last_day is None:
        return None
    try:
        return last_day.replace(year=last_day.year + years)
    except ValueError:  # 29 February, in a common year
        return last_day.replace(year=last_day.year + years, day=28)
