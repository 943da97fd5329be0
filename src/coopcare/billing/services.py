"""Billing's actions: payers added and changed, tariffs and their versions adopted, agreements
recorded (each change a new version) with their co-payment and hours budgets, and the
cooperative's budget policy. One transaction each; a broken rule raises a coded
``ValidationError`` and writes nothing."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopcare import localise
from coopcare.billing import rules
from coopcare.billing.models import (
    PUBLIC_KINDS,
    Agreement,
    Beyond,
    BudgetPolicy,
    CoPaymentBand,
    HoursBudget,
    Payer,
    PayerKind,
    Tariff,
    TariffVersion,
)
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.access import roles_of
from coopcare.cooperatives.models import Cooperative
from coopcare.members.rules import compact

OFFICE_CODE = re.compile(r"[A-Z0-9]{6}")
PAYER_FIELDS = (
    "kind",
    "name",
    "address",
    "vat_number",
    "fiscal_code",
    "office_code",
    "language",
    "shows_carer",
    "payment_days",
    "user",
)


def _payer_problems(cooperative: Cooperative, fields: dict, payer: Payer | None):
    problems = []
    code = fields.get("office_code", "")
    if code and not OFFICE_CODE.fullmatch(code):
        problems.append(
            ValidationError(
                _("An office code (Codice Univoco Ufficio) is six capital letters or digits."),
                code="office_code_invalid",
            )
        )
    if code and fields.get("kind") not in PUBLIC_KINDS:
        problems.append(
            ValidationError(
                _("Only a public body or a health authority has an office code."),
                code="office_code_not_public",
            )
        )
    user = fields.get("user")
    if user is not None:
        if fields.get("kind") != PayerKind.FAMILY:
            problems.append(
                ValidationError(
                    _("Only a family payer is linked to a login."), code="payer_login_not_family"
                )
            )
        elif not roles_of(user, cooperative):
            problems.append(
                ValidationError(
                    _("The login of who pays must be someone of this cooperative."),
                    code="payer_login_elsewhere",
                )
            )
    others = Payer.objects.filter(cooperative=cooperative, name=fields.get("name", ""))
    if payer is not None:
        others = others.exclude(pk=payer.pk)
    if others.exists():
        problems.append(ValidationError(_("Another payer has this name."), code="payer_name_taken"))
    problems += rules.tax_number_problems(
        cooperative.country, fields.get("vat_number", ""), fields.get("fiscal_code", "")
    )
    return problems


def _compacted(cooperative: Cooperative, fields: dict) -> dict:
    """``fields`` with the office code in capitals and the tax numbers as invoices write them."""
    fields = dict(fields)
    if "office_code" in fields:
        fields["office_code"] = fields["office_code"].strip().upper()
    if "vat_number" in fields:
        fields["vat_number"] = rules.compact_vat_number(cooperative.country, fields["vat_number"])
    if "fiscal_code" in fields:
        fields["fiscal_code"] = compact(fields["fiscal_code"])
    return fields


@transaction.atomic
def add_payer(cooperative: Cooperative, fields: dict) -> Payer:
    """A new payer of the cooperative (``fields`` as in ``PAYER_FIELDS``)."""
    fields = _compacted(
        cooperative, {"office_code": ""} | {n: v for n, v in fields.items() if n in PAYER_FIELDS}
    )
    problems = _payer_problems(cooperative, fields, None)
    if problems:
        raise ValidationError(problems)
    payer = Payer(cooperative=cooperative, **fields)
    payer.full_clean()
    payer.save()
    return payer


@transaction.atomic
def change_payer(payer: Payer, fields: dict) -> Payer:
    """A payer's details changed. Invoices keep the details they were issued with, so a
    payer (unlike an agreement or a tariff) may change."""
    payer = Payer.objects.select_for_update().get(pk=payer.pk)
    fields = _compacted(payer.cooperative, {n: v for n, v in fields.items() if n in PAYER_FIELDS})
    merged = {name: getattr(payer, name) for name in PAYER_FIELDS} | fields
    problems = _payer_problems(payer.cooperative, merged, payer)
    if problems:
        raise ValidationError(problems)
    for name, value in fields.items():
        setattr(payer, name, value)
    payer.full_clean()
    payer.save()
    return payer


VERSION_FIELDS = (
    "valid_from",
    "weekday_rate",
    "sunday_rate",
    "night_rate",
    "holiday_rate",
    "night_starts",
    "night_ends",
    "double_handed_factor",
    "minimum_minutes",
    "rounding_minutes",
    "rounding",
    "travel_billed",
    "travel_rate",
)


@transaction.atomic
def add_tariff(cooperative: Cooperative, fields: dict, version: dict, by) -> Tariff:
    """A new tariff for a service type, with its first version's prices (``version``)."""
    if Tariff.objects.filter(cooperative=cooperative, name=fields.get("name", "")).exists():
        raise ValidationError(_("Another tariff has this name."), code="tariff_name_taken")
    tariff = Tariff(
        cooperative=cooperative,
        **{
            name: fields[name]
            for name in ("name", "service_type", "unit", "vat_rate", "vat_note")
            if name in fields
        },
    )
    tariff.full_clean()
    tariff.save()
    adopt_tariff_version(tariff, version, by)
    return tariff


@transaction.atomic
def adopt_tariff_version(tariff: Tariff, fields: dict, by) -> TariffVersion:
    """New prices for a tariff from ``fields["valid_from"]``. The versions before stay as they
    were; a version may not start on or before the latest one, which may already be billed."""
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    version = checked_tariff_version(tariff, fields, by)
    version.save()
    return version


def checked_tariff_version(tariff: Tariff, fields: dict, by=None) -> TariffVersion:
    """The new prices ``fields`` of ``tariff``, checked as ``adopt_tariff_version`` checks
    them and not saved (a motion that would adopt them is checked so when proposed)."""
    fields = {name: value for name, value in fields.items() if name in VERSION_FIELDS}
    latest = tariff.versions.order_by("-valid_from").first()
    if latest is not None and fields["valid_from"] <= latest.valid_from:
        raise ValidationError(
            _("New prices start after the latest version, which starts on %(day)s.")
            % {"day": localise.day(latest.valid_from)},
            code="tariff_version_not_after_latest",
        )
    version = TariffVersion(tariff=tariff, recorded_by=by, **fields)
    version.full_clean()
    return version


def _agreement_problems(
    person: PersonCaredFor, payer: Payer, fields: dict, tariffs, co_payer, bands, budgets
) -> list[ValidationError]:
    problems = []
    cooperative = person.cooperative
    valid_from, valid_until = fields["valid_from"], fields.get("valid_until")
    if valid_until is not None and valid_until < valid_from:
        problems.append(
            ValidationError(
                _("The agreement ends before it starts."), code="agreement_ends_before_start"
            )
        )
    latest = Agreement.objects.filter(person=person, payer=payer).order_by("-version").first()
    if latest is not None and valid_from <= latest.valid_from:
        problems.append(
            ValidationError(
                _("A new version starts after the current one, which starts on %(day)s.")
                % {"day": localise.day(latest.valid_from)},
                code="agreement_before_current_version",
            )
        )
    if not tariffs:
        problems.append(
            ValidationError(_("An agreement pays for at least one service."), code="no_services")
        )
    if any(t.cooperative_id != cooperative.pk for t in tariffs):
        problems.append(
            ValidationError(_("A tariff of another cooperative."), code="tariff_elsewhere")
        )
    services = [t.service_type for t in tariffs]
    if len(set(services)) < len(services):
        problems.append(
            ValidationError(
                _("An agreement has one tariff per service type."), code="two_tariffs_one_service"
            )
        )
    if any(not t.versions.filter(valid_from__lte=valid_from).exists() for t in tariffs):
        problems.append(
            ValidationError(
                _("A tariff has no prices yet on the day the agreement starts."),
                code="tariff_without_prices",
            )
        )
    percent = fields.get("co_payment_percent")
    if co_payer is None and (percent is not None or bands):
        problems.append(
            ValidationError(
                _("A co-payment needs the payer who makes it."), code="co_payer_missing"
            )
        )
    if co_payer is not None:
        if co_payer.pk == payer.pk or co_payer.cooperative_id != cooperative.pk:
            problems.append(
                ValidationError(
                    _("The co-payer is another payer of this cooperative."),
                    code="co_payer_invalid",
                )
            )
        if (percent is None) == (not bands):
            problems.append(
                ValidationError(
                    _("A co-payment is either a percentage or a table of income bands."),
                    code="co_payment_unclear",
                )
            )
    limits = [limit for limit, _percent in bands]
    if limits.count(None) > 1 or len(set(limits)) < len(limits):
        problems.append(
            ValidationError(
                _("Each income band has its own upper limit, and only one is open."),
                code="bands_overlap",
            )
        )
    for service_type, _period, _hours in budgets:
        if service_type not in services:
            problems.append(
                ValidationError(
                    _("An hours budget for a service the agreement does not pay for."),
                    code="budget_for_uncovered_service",
                )
            )
    keys = [(service_type, period) for service_type, period, _hours in budgets]
    if len(set(keys)) < len(keys):
        problems.append(
            ValidationError(
                _("One hours budget per service and period."), code="budget_given_twice"
            )
        )
    return problems


@transaction.atomic
def agree(
    person: PersonCaredFor,
    payer: Payer,
    fields: dict,
    *,
    tariffs: list[Tariff],
    by,
    co_payer: Payer | None = None,
    bands: list[tuple] = (),  # type: ignore[assignment]
    budgets: list[tuple] = (),  # type: ignore[assignment]
) -> Agreement:
    """A new version of ``payer``'s agreement for ``person``, from ``fields["valid_from"]``.

    ``fields`` has ``valid_from`` and optionally ``valid_until``, ``reference``,
    ``late_cancellation_hours``, ``late_cancellation_percent``, ``co_payment_percent`` and
    ``income``; ``bands`` are (income up to or None, percent) and ``budgets`` (service type,
    period, hours). The earlier versions stay: the one in force on a day is the latest from
    that day or before.
    """
    if payer.cooperative_id != person.cooperative_id:
        raise ValidationError(_("A payer of another cooperative."), code="payer_elsewhere")
    bands, budgets = list(bands), list(budgets)
    # Versions are numbered per person and payer; the lock keeps two at once from sharing one.
    Payer.objects.select_for_update().get(pk=payer.pk)
    problems = _agreement_problems(person, payer, fields, tariffs, co_payer, bands, budgets)
    if problems:
        raise ValidationError(problems)
    latest = Agreement.objects.filter(person=person, payer=payer).order_by("-version").first()
    agreement = Agreement(
        cooperative=person.cooperative,
        person=person,
        payer=payer,
        version=(latest.version + 1) if latest else 1,
        co_payer=co_payer,
        recorded_by=by,
        **{
            name: fields[name]
            for name in (
                "valid_from",
                "valid_until",
                "reference",
                "late_cancellation_hours",
                "late_cancellation_percent",
                "co_payment_percent",
                "income",
            )
            if name in fields
        },
    )
    agreement.full_clean()
    agreement.save()
    agreement.tariffs.set(tariffs)
    for limit, percent in bands:
        band = CoPaymentBand(agreement=agreement, income_up_to=limit, percent=percent)
        band.full_clean(exclude=["agreement"])
        band.save()
    for service_type, period, hours in budgets:
        budget = HoursBudget(
            agreement=agreement, service_type=service_type, period=period, hours=hours
        )
        budget.full_clean(exclude=["agreement"])
        budget.save()
    return agreement


@transaction.atomic
def set_budget_policy(cooperative: Cooperative, beyond: str) -> BudgetPolicy:
    """Whether planning beyond a person's hours budget is only warned of or refused."""
    policy, _created = BudgetPolicy.objects.select_for_update().get_or_create(
        cooperative=cooperative
    )
    policy.beyond = Beyond(beyond)
    policy.full_clean()
    policy.save()
    return policy
