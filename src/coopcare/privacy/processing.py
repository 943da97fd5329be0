"""The records of processing activities (GDPR art. 30(1)): what coopcare processes, for what
purpose, on what legal basis, about whom, who sees it, how long it is kept and who else
receives it. Each activity names the models that hold its data, so the page and its exports
are generated from the models themselves, and ``tests/privacy/test_processing.py`` fails
when a model holding personal data (``holds_personal_data``) belongs to no activity, or an
activity names a model that does not exist.

Retention is named by a key (``retention``) of the retention periods, which the retention
app defines; this register only names them.
"""

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.models import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a str, or a lazily translated one

# The models whose rows are people: a field pointing at one holds personal data.
PEOPLE = (
    "care.personcaredfor",
    "members.member",
    "childcare.child",
    "childcare.guardian",
    "respite.caregiver",
)
# Fields that hold a person's identity or contact by their name alone.
IDENTIFYING = frozenset(
    {"username", "first_name", "last_name", "email", "phone", "address", "date_of_birth", "iban"}
)
# Fields ending in "_name" that name a thing, not a person.
NOT_A_PERSON = frozenset({"queue_name", "backend_name"})

# Who may receive data beyond the cooperative's own roles: the processors the installation
# uses (docs/deploy.md).
EMAIL = _("the installation's email provider (notices name no care data)")
PUSH = _("the browsers' push services (a notice's subject only)")
NONE: "tuple[StrOrPromise, ...]" = ()


def holds_personal_data(model: type[models.Model]) -> bool:
    """Whether ``model`` holds personal data: a field pointing at a login, a person cared for
    or a member; a field identifying someone by its name (``IDENTIFYING``, or a person's
    name ending in ``_name``); or free text (a ``TextField``), where anyone may write about
    anyone."""
    people = {settings.AUTH_USER_MODEL.lower(), *PEOPLE}
    for f in [*model._meta.fields, *model._meta.many_to_many]:
        related = f.related_model
        if f.is_relation and related is not None and not isinstance(related, str):
            if related._meta.label_lower in people:
                return True
            continue
        if isinstance(f, models.TextField):
            return True
        if f.name in IDENTIFYING or (f.name.endswith("_name") and f.name not in NOT_A_PERSON):
            return True
    # A login, a person cared for and a member are themselves people.
    return model._meta.label_lower in people


@dataclass(frozen=True)
class Activity:
    """One processing activity as art. 30(1) lists it."""

    key: str
    name: "StrOrPromise"
    purpose: "StrOrPromise"
    # Art. 6(1) and, for health data and other special categories, art. 9(2).
    legal_basis: "StrOrPromise"
    special_categories: "StrOrPromise"
    subjects: "StrOrPromise"
    data: "StrOrPromise"
    # The roles that see it in coopcare (cooperatives.Role values).
    roles: tuple[str, ...]
    retention: str
    models: tuple[str, ...]
    transfers: "tuple[StrOrPromise, ...]" = field(default=NONE)


NO_SPECIAL = _("none")
HEALTH = _("art. 9(2)(h): health and social care, under professional secrecy (art. 9(3))")

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        key="care_record",
        name=_("Care records of the people cared for"),
        purpose=_(
            "Planning and giving care at home: the record, assessments, care plans, "
            "conditions, medication, risks, the body map, the circle and its grants, "
            "consents and signatures."
        ),
        legal_basis=_("art. 6(1)(b) the contract of care; art. 6(1)(c) health and social care law"),
        special_categories=HEALTH,
        subjects=_("people cared for; their circle"),
        data=_(
            "identity, contact, home and access, health, care needs, medication, "
            "preferences, relatives' names and contacts"
        ),
        roles=(Role.COORDINATOR, Role.CARER, Role.CIRCLE),
        retention="care_records",
        models=(
            "care.PersonCaredFor",
            "care.StatusChange",
            "care.Consent",
            "care.CircleMember",
            "care.PersonChange",
            "care.Assessment",
            "care.CarePlan",
            "care.CareTask",
            "care.Signature",
            "care.Condition",
            "care.AdvanceDecision",
            "care.DoorAccess",
            "medication.Allergy",
            "medication.Medicine",
            "medication.MedicineVersion",
            "medication.DoseRecord",
            "medication.StockTracking",
            "medication.StockEntry",
            "risks.RiskAssessment",
            "risks.DoubleHanding",
            "risks.Goal",
            "risks.Review",
            "risks.GoalRating",
            "bodymap.Mark",
            "bodymap.FollowUp",
        ),
    ),
    Activity(
        key="caregivers",
        name=_("Family caregivers supported"),
        purpose=_(
            "Supporting family caregivers in their own right: their needs, support plans, "
            "respite visits, support groups and training, and who came."
        ),
        legal_basis=_("art. 6(1)(a) the caregiver's consent"),
        special_categories=_("art. 9(2)(a): the caregiver's explicit consent"),
        subjects=_("family caregivers; the workers who lead their groups and training"),
        data=_(
            "identity, contact, who they care for and how much, what they ask for, notes "
            "that may tell of their health, attendance"
        ),
        roles=(Role.COORDINATOR, Role.CARER),
        retention="care_records",
        models=(
            "respite.Caregiver",
            "respite.SupportPlan",
            "respite.Gathering",
            "respite.Enrolment",
        ),
    ),
    Activity(
        key="visits",
        name=_("Visits and what was done at them"),
        purpose=_(
            "Carrying out and verifying the visits: check-in and check-out, the steps "
            "done, notes, incidents, handover notes, breaks and cancellations, requests "
            "about visits."
        ),
        legal_basis=_(
            "art. 6(1)(b) the contract of care; art. 6(1)(c) the commissioners' "
            "verification of care given"
        ),
        special_categories=HEALTH,
        subjects=_("people cared for; carers; their circle"),
        data=_("times and places of visits, what was done, notes and incidents"),
        roles=(Role.COORDINATOR, Role.CARER, Role.CIRCLE),
        retention="visit_records",
        models=(
            "visits.Visit",
            "visits.VisitCarer",
            "visits.CareBreak",
            "visits.Cancellation",
            "visits.VisitRecord",
            "visits.StepOutcome",
            "visits.Incident",
            "visits.WrongConfirmationCode",
            "visits.HandoverNote",
            "visits.HandoverAcknowledgement",
            "visits.VisitRequest",
        ),
        transfers=(EMAIL, PUSH),
    ),
    Activity(
        key="childcare",
        name=_("Children at a childcare centre"),
        purpose=_(
            "Looking after children at the centre: enrolment, parents and guardians, who "
            "may collect each child, consents, staff in rooms and the child-to-staff ratios."
        ),
        legal_basis=_(
            "art. 6(1)(b) the contract with the parents; art. 6(1)(c) childcare law (in "
            "England, the EYFS statutory framework, section 3: information about each child "
            "and their parents); the parents act for a child under the age of digital consent "
            "(art. 8, recital 38)"
        ),
        special_categories=HEALTH,
        subjects=_("children; their parents, guardians and the adults who collect them; staff"),
        data=_(
            "identity, date of birth, health notes and allergies, guardians' contacts, the "
            "adults who may collect a child and how staff recognise them, consents, reads of "
            "the record"
        ),
        roles=(Role.COORDINATOR, Role.CARER, Role.CIRCLE),
        retention="childcare_records",
        models=(
            "childcare.Child",
            "childcare.Guardian",
            "childcare.AuthorisedAdult",
            "childcare.ChildConsent",
            "childcare.Shift",
            "childcare.RatioSetting",
            "childcare.ChildRecordRead",
        ),
    ),
    Activity(
        key="childcare_door",
        name=_("Signing children in and out at the centre's door"),
        purpose=_(
            "Knowing which children are in the centre and handing each only to an adult "
            "authorised to collect them: the day's sign-in and sign-out, and who was refused."
        ),
        legal_basis=_(
            "art. 6(1)(c) childcare law (in England, the EYFS statutory framework, section 3: "
            "a daily record of the children cared for and their hours of attendance); art. "
            "6(1)(d) the child's vital interests (handed only to an authorised adult)"
        ),
        special_categories=NO_SPECIAL,
        subjects=_("children; the adults who bring and collect them; those refused; staff"),
        data=_("who brought and collected a child and when, who was refused at the door"),
        roles=(Role.COORDINATOR, Role.CARER),
        retention="childcare_records",
        models=("childcare.Attendance", "childcare.RefusedCollection"),
    ),
    Activity(
        key="childcare_observations",
        name=_("Observations of children's development"),
        purpose=_(
            "Following each child's development and learning, and sharing it with the "
            "guardians who consented."
        ),
        legal_basis=_(
            "art. 6(1)(c) childcare law (in England, the EYFS statutory framework, section 2: "
            "assessment); sharing with the guardians, art. 6(1)(a) their consent"
        ),
        special_categories=HEALTH,
        subjects=_("children; staff; their guardians"),
        data=_("what a worker saw of a child's development, in an area of learning"),
        roles=(Role.COORDINATOR, Role.CARER, Role.CIRCLE),
        retention="childcare_records",
        models=("childcare.Observation",),
    ),
    Activity(
        key="read_log",
        name=_("The log of reads and edits of care records and of caregivers' records"),
        purpose=_(
            "Security of processing and accountability: who read or changed whose "
            "record, shown to the person and reviewed by the coordinators."
        ),
        legal_basis=_("art. 6(1)(c) arts 5(2) and 32 GDPR"),
        special_categories=HEALTH,
        subjects=_("people cared for, family caregivers; everyone who reads their records"),
        data=_("who read or changed which record, when and through what"),
        roles=(Role.COORDINATOR, Role.CIRCLE),
        retention="read_logs",
        models=("care.CareRecordRead", "care.CareRecordEdit", "respite.CaregiverRead"),
    ),
    Activity(
        key="messages",
        name=_("Conversations about a person's care"),
        purpose=_("Messages between the office, the person's circle and their carers."),
        legal_basis=_("art. 6(1)(b) the contract of care"),
        special_categories=HEALTH,
        subjects=_("people cared for; their circle; carers; coordinators"),
        data=_("messages and who read them"),
        roles=(Role.COORDINATOR, Role.CARER, Role.CIRCLE),
        retention="messages",
        models=(
            "conversations.Conversation",
            "conversations.Message",
            "conversations.NeedsAction",
            "conversations.Reader",
        ),
        transfers=(EMAIL, PUSH),
    ),
    Activity(
        key="voice",
        name=_("Feedback, complaints and satisfaction surveys"),
        purpose=_(
            "Hearing the people cared for and their circle, handling complaints, "
            "measuring satisfaction."
        ),
        legal_basis=_(
            "art. 6(1)(c) complaint handling required by the care regulations; "
            "art. 6(1)(f) improving the service (surveys)"
        ),
        special_categories=HEALTH,
        subjects=_("people cared for; their circle; carers"),
        data=_("scores, words, complaints and their steps; that someone answered a survey"),
        roles=(Role.COORDINATOR, Role.BOARD, Role.CIRCLE, Role.CARER),
        retention="complaints",
        models=(
            "voice.Feedback",
            "voice.Complaint",
            "voice.ComplaintStep",
            "voice.Survey",
            "voice.SurveyAnswer",
            "voice.SurveyAnswered",
        ),
        transfers=(EMAIL,),
    ),
    Activity(
        key="documents",
        name=_("Documents kept on a person, a carer or the cooperative"),
        purpose=_("Keeping the files a record needs: referrals, certificates, statutes."),
        legal_basis=_("art. 6(1)(b) the contract of care or of employment; art. 6(1)(c)"),
        special_categories=_("art. 9(2)(h) for a person's health documents"),
        subjects=_("people cared for; carers"),
        data=_("the files and their names"),
        roles=(Role.COORDINATOR, Role.CARER, Role.MEMBER, Role.BOARD),
        retention="documents",
        models=("documents.Document", "documents.DocumentVersion"),
    ),
    Activity(
        key="rostering",
        name=_("Rosters, availability and absences"),
        purpose=_(
            "Planning who visits whom, within working-time law and the carers' availability."
        ),
        legal_basis=_("art. 6(1)(b) the employment contract; art. 6(1)(c) working-time law"),
        special_categories=_("art. 9(2)(b) sickness absences (employment law)"),
        subjects=_("carers"),
        data=_("availability, absences, assignments, requests, calendar feeds"),
        roles=(Role.COORDINATOR, Role.CARER),
        retention="roster",
        models=(
            "rostering.RosterPolicy",
            "rostering.Availability",
            "rostering.Absence",
            "rostering.RosterRun",
            "rostering.Roster",
            "rostering.Assignment",
            "rostering.RosterChange",
            "rostering.RosterRequest",
            "rostering.CalendarFeed",
            "rostering.CalendarDetail",
            "rostering.CoverProposal",
            "rostering.CoverChange",
        ),
        transfers=(EMAIL, PUSH),
    ),
    Activity(
        key="employment",
        name=_("Employment and pay of carers"),
        purpose=_(
            "Contracts, qualifications and training, the home place for travel time, "
            "the carer's photo, timesheets, pay and the surplus shared out."
        ),
        legal_basis=_(
            "art. 6(1)(b) the employment contract; art. 6(1)(c) payroll, tax and "
            "social security law; art. 6(1)(a) the photo, shown only with consent"
        ),
        special_categories=NO_SPECIAL,
        subjects=_("carers; worker members"),
        data=_("contracts, certificates, home address, photo, hours worked, pay"),
        roles=(Role.COORDINATOR, Role.BOARD, Role.CARER),
        retention="payslips",
        models=(
            "work.CarerHome",
            "work.CarerPhoto",
            "work.Contract",
            "work.Qualification",
            "work.Training",
            "work.Timesheet",
            "work.TimesheetEntry",
            "work.PayRules",
            "work.PayRun",
            "work.Payslip",
            "work.SurplusAllocation",
            "work.PatronageRefund",
        ),
    ),
    Activity(
        key="household_employment",
        name=_("Household employment, the cooperative as intermediary"),
        purpose=_(
            "Keeping, for a household that employs a carer, the employer's details, the "
            "contract in its name and each month's payslip with the contributions it owes."
        ),
        legal_basis=_(
            "art. 6(1)(b) the employment contract; art. 6(1)(c) payroll, tax and "
            "social security law"
        ),
        special_categories=_(
            "art. 9(2)(b) the household's duties in social security law: the payslips show "
            "that someone is cared for at home"
        ),
        subjects=_("household employers; the carers they employ"),
        data=_(
            "the employer's name, tax id, Social Security account and address; the "
            "contract's days and rate; hours worked, pay and contributions"
        ),
        roles=(Role.COORDINATOR,),
        retention="payslips",
        models=(
            "household.Employer",
            "household.HouseholdContract",
            "household.HouseholdPayslip",
        ),
    ),
    Activity(
        key="members",
        name=_("The member register and share capital"),
        purpose=_(
            "Keeping the register of members and their shares, collecting shares by direct debit."
        ),
        legal_basis=_(
            "art. 6(1)(c) cooperative law (the register of members); art. 6(1)(b) membership"
        ),
        special_categories=NO_SPECIAL,
        subjects=_("members; applicants"),
        data=_("identity, contact, class, shares, payments, bank mandates"),
        roles=(Role.BOARD, Role.COORDINATOR, Role.MEMBER),
        retention="member_register",
        models=(
            "members.StakeholderClass",
            "members.Member",
            "members.MemberEvent",
            "members.ShareEntry",
            "members.Instalment",
            "members.SepaCreditor",
            "members.Mandate",
            "members.Collection",
            "members.Debit",
        ),
        transfers=(EMAIL, _("the cooperative's bank (SEPA direct debits)")),
    ),
    Activity(
        key="governance",
        name=_("General meetings and votes"),
        purpose=_(
            "Calling assemblies, attendance and proxies, motions, elections and "
            "secret ballots, minutes."
        ),
        legal_basis=_("art. 6(1)(c) cooperative law and the statutes"),
        special_categories=NO_SPECIAL,
        subjects=_("members"),
        data=_(
            "notices, attendance, proxies, candidacies, who voted (never how, in a secret ballot)"
        ),
        roles=(Role.BOARD, Role.MEMBER),
        retention="ballots",
        models=(
            "governance.Assembly",
            "governance.AgendaItem",
            "governance.AssemblyNotice",
            "governance.Attendance",
            "governance.Proxy",
            "governance.Motion",
            "governance.Election",
            "governance.Candidate",
            "governance.VoterRoll",
            "governance.VoteReminder",
            "governance.Decision",
            "governance.Lot",
        ),
        transfers=(EMAIL, PUSH),
    ),
    Activity(
        key="billing",
        name=_("Billing for care"),
        purpose=_("Agreements with payers, invoices for the visits given, payments."),
        legal_basis=_("art. 6(1)(b) the contract of care; art. 6(1)(c) tax and invoicing law"),
        special_categories=_("art. 9(2)(h): an invoice shows that a person received care"),
        subjects=_("people cared for; payers"),
        data=_("payers' names and addresses, the care invoiced, payments"),
        roles=(Role.COORDINATOR, Role.BOARD, Role.CIRCLE),
        retention="invoices",
        models=(
            "billing.Payer",
            "billing.Tariff",
            "billing.TariffVersion",
            "billing.Agreement",
            "billing.InvoiceRun",
            "billing.Invoice",
            "billing.InvoiceLine",
            "billing.InvoicingDetails",
            "billing.Payment",
            "billing.PaymentWithdrawal",
        ),
        transfers=(_("the tax authority's exchange system (electronic invoices)"),),
    ),
    Activity(
        key="childcare_fees",
        name=_("Parents' fees of the childcare centre"),
        purpose=_(
            "Reckoning each child's monthly fee by the household's declared income, the "
            "subsidies public bodies pay towards it, and billing both."
        ),
        legal_basis=_("art. 6(1)(b) the contract of childcare; art. 6(1)(c) tax and invoicing law"),
        special_categories=NO_SPECIAL,
        subjects=_("children; their parents and guardians"),
        data=_("the household's declared income and its date, full or part time, the fees billed"),
        roles=(Role.COORDINATOR, Role.CIRCLE),
        retention="invoices",
        models=(
            "childcare.FeeSchedule",
            "childcare.FeeBand",
            "childcare.Subsidy",
            "childcare.FeeTerms",
            "childcare.FeeCharge",
            "childcare.SubsidyCharge",
        ),
        transfers=(_("the tax authority's exchange system (electronic invoices)"),),
    ),
    Activity(
        key="accounts",
        name=_("Logins, roles and security"),
        purpose=_(
            "Letting people log in with the roles they hold, second factors, API "
            "tokens, blocking password guessing, the administration's log."
        ),
        legal_basis=_(
            "art. 6(1)(b) the service the person uses; art. 6(1)(f) and art. 32 security"
        ),
        special_categories=NO_SPECIAL,
        subjects=_("everyone with a login"),
        data=_("name, email, login, language, roles, failed logins and their addresses"),
        roles=(Role.COORDINATOR, Role.BOARD),
        retention="account",
        models=(
            "auth.User",
            "accounts.ApiToken",
            "accounts.Profile",
            "cooperatives.CooperativeRole",
            "cooperatives.FederationAnalyst",
            # Who switched a form of care on or off: a login, kept as the cooperative's history.
            "cooperatives.FormOfCareChange",
            "sessions.Session",
            "otp_totp.TOTPDevice",
            "axes.AccessAttempt",
            "axes.AccessLog",
            "axes.AccessFailureLog",
            "admin.LogEntry",
        ),
        transfers=(EMAIL,),
    ),
    Activity(
        key="push",
        name=_("Notices by web push"),
        purpose=_("Telling people on their devices what they chose to be told."),
        legal_basis=_("art. 6(1)(a) consent: the person turns push on for a browser"),
        special_categories=NO_SPECIAL,
        subjects=_("everyone with a login who turns push on"),
        data=_("a browser's push address and keys, the topics chosen"),
        roles=(),
        retention="push_subscription",
        models=("push.PushSubscription", "push.PushTopics"),
        transfers=(PUSH,),
    ),
    Activity(
        key="tasks",
        name=_("Background work"),
        purpose=_("Running long work (rosters, notices) outside the page that asked for it."),
        legal_basis=_("art. 6(1)(f) running the service"),
        special_categories=NO_SPECIAL,
        subjects=_("whoever the work is about (by record number only)"),
        data=_("record numbers, and the error when a task failed"),
        roles=(),
        retention="task_result",
        models=("django_tasks_database.DBTaskResult",),
    ),
    Activity(
        key="data_protection",
        name=_("Rights requests, restrictions and breaches"),
        purpose=_(
            "Answering people's requests under their rights, restricting processing, "
            "documenting personal data breaches."
        ),
        legal_basis=_("art. 6(1)(c) GDPR arts 12 to 21, 33 and 34"),
        special_categories=_("art. 9(2)(f) and (g) where a breach involves health data"),
        subjects=_("people cared for; carers; members; anyone a breach touched"),
        data=_("who asked what and the answer; what a breach involved"),
        roles=(Role.COORDINATOR, Role.BOARD, Role.CIRCLE),
        retention="data_protection",
        models=(
            "privacy.RightsRequest",
            "privacy.RequestStep",
            "privacy.Restriction",
            "privacy.PersonalDataBreach",
        ),
    ),
    Activity(
        key="retention",
        name=_("Retention, legal holds and erasure"),
        purpose=_(
            "Keeping records only as long as the law says, keeping what a legal hold protects, "
            "and showing what each retention run anonymised or deleted."
        ),
        legal_basis=_("art. 6(1)(c) GDPR art. 5(1)(e) and art. 17"),
        special_categories=_("art. 9(2)(f) where a hold protects health data for a claim"),
        subjects=_("people cared for whose records are held or anonymised"),
        data=_("who is held and why, who set a period and why, what a run counted"),
        roles=(Role.COORDINATOR, Role.BOARD),
        retention="data_protection",
        models=(
            "retention.RetentionPeriod",
            "retention.LegalHold",
            "retention.Anonymised",
            "retention.RetentionRun",
        ),
    ),
    Activity(
        key="time_credits",
        name=_("Time credits"),
        purpose=_(
            "Members offering and asking for informal help among themselves, and the ledger "
            "of the hours given and received."
        ),
        legal_basis=_("art. 6(1)(b) membership"),
        special_categories=NO_SPECIAL,
        subjects=_("members"),
        # The offers' few words say what help is wanted (a lift, shopping), never why.
        data=_("offers and requests of help, who took them up, hours given and received"),
        roles=(Role.MEMBER, Role.COORDINATOR),
        # Kept with the member register, like the share ledger it follows.
        retention="member_register",
        models=("timecredits.Terms", "timecredits.Exchange", "timecredits.CreditEntry"),
    ),
)


def activity_models(activity: Activity) -> list[type[models.Model]]:
    """The models of ``activity``; LookupError for a name that is no model."""
    return [apps.get_model(label) for label in activity.models]


def rows() -> list[dict[str, Any]]:
    """Each activity as one row of plain, translated text: the page, the CSV and the JSON."""
    role_names = dict(Role.choices)
    return [
        {
            "activity": str(a.name),
            "purpose": str(a.purpose),
            "legal_basis": str(a.legal_basis),
            "special_categories": str(a.special_categories),
            "data_subjects": str(a.subjects),
            "personal_data": str(a.data),
            "who_sees_it": [str(role_names[r]) for r in a.roles],
            "retention": a.retention,
            "transfers": [str(t) for t in a.transfers],
            "records": [str(m._meta.verbose_name_plural) for m in activity_models(a)],
        }
        for a in ACTIVITIES
    ]


def as_csv(lines: list[dict[str, Any]]) -> str:
    """The register as CSV, lists joined by "; "."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(lines[0]) if lines else [])
    writer.writeheader()
    for line in lines:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in line.items()})
    return out.getvalue()
