"""Billing fixtures: a cooperative's coordinator, a person cared for, a municipality and a
family payer, and an hourly personal care tariff, all made through the services."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from coopcare.billing import invoicing, services
from coopcare.cooperatives.models import Role
from coopcare.visits.services import confirm_by_phone, generate_visits, set_carers
from coopcare.work.models import Timesheet
from coopcare.work.services.timesheets import approve, build_timesheets
from tests import factories

PRICES = {
    "valid_from": date(2026, 1, 1),
    "weekday_rate": Decimal("22.00"),
    "sunday_rate": Decimal("27.00"),
    "night_rate": Decimal("25.00"),
    "holiday_rate": Decimal("30.00"),
    "night_starts": time(22),
    "night_ends": time(6),
    "double_handed_factor": Decimal("1.80"),
    "minimum_minutes": 60,
    "rounding_minutes": 15,
    "rounding": "up",
}


def tariff(cooperative, by, service_type="personal_care", name="Personal care", **prices):
    """An hourly tariff with its first prices (``PRICES``, changed by ``prices``)."""
    return services.add_tariff(
        cooperative,
        {"name": name, "service_type": service_type, "unit": "hour"},
        PRICES | prices,
        by=by,
    )


def payer(cooperative, name="Comune di Bologna", kind="public_body", **fields):
    return services.add_payer(cooperative, {"kind": kind, "name": name} | fields)


@pytest.fixture
def billing(db):
    coop = factories.CooperativeFactory(slug="cura", country="IT")
    coordinator = factories.user_with_role(coop, Role.COORDINATOR, username="co")
    person = factories.person_cared_for(coop, full_name="Anna Rossi")
    comune = payer(
        coop,
        office_code="UF1234",
        fiscal_code="01232710374",
        vat_number="01232710374",
        address="Piazza Maggiore 6, 40124 Bologna BO",
    )
    invoicing.set_invoicing_details(
        coop,
        {
            "vat_number": "07654320378",
            "fiscal_code": "07654320378",
            "street": "Via dell'Indipendenza",
            "street_number": "12",
            "postcode": "40121",
            "town": "Bologna",
            "province": "BO",
            "iban": "IT60X0542811101000000123456",
        },
    )
    family = payer(coop, name="Marco Rossi", kind="family")
    care = tariff(coop, coordinator)
    return {
        "coop": coop,
        "coordinator": coordinator,
        "person": person,
        "comune": comune,
        "family": family,
        "tariff": care,
    }


MONDAY = date(2026, 11, 2)


def week_of_visits(billing, co_payment="20"):
    """Anna's daily 09:00 visits from Monday 2 November 2026, paid by the municipality with
    the family paying 20 %."""
    person = billing["person"]
    factories.care_plan(person, valid_from=MONDAY)
    services.agree(
        person,
        billing["comune"],
        {
            "valid_from": date(2026, 11, 1),
            "co_payment_percent": Decimal(co_payment),
            "late_cancellation_hours": 24,
            "late_cancellation_percent": Decimal(50),
        },
        tariffs=[billing["tariff"]],
        co_payer=billing["family"],
        by=billing["coordinator"],
    )
    generate_visits(person, MONDAY, MONDAY + timedelta(days=1))
    return list(person.visits.order_by("starts_at"))


def done(billing, visit, *, approved=True):
    """The visit recorded (40 minutes), confirmed by phone and, unless told, its timesheet
    approved."""
    carer = factories.user_with_role(
        billing["coop"], Role.CARER, first_name="Lucia", last_name="Bianchi"
    )
    set_carers(visit, [carer])
    record = factories.recorded_visit(visit, carer)
    confirm_by_phone(record, billing["coordinator"], now=visit.ends_at + timedelta(hours=1))
    day = visit.starts_at.date()
    build_timesheets(billing["coop"], day, day)
    if approved:
        approve(billing["coop"], Timesheet.objects.filter(carer=carer), billing["coordinator"])
    return record
