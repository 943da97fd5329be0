"""The demo's billing: each cooperative's invoicing details (its VAT number, registered office
and bank account), its municipality (with its office code for FatturaPA),
the region's care voucher scheme and families as payers; an hourly tariff for personal care
and one for childcare, each with last year's prices and this year's; and an agreement for
every active person. Adults are paid for by the municipality with a co-payment by income band
(the family's share), by the voucher scheme, or privately by their family; children by their
family. The public payers authorise monthly hours; one person's planned visits this month go
beyond theirs, so the overrun shows on the budgets page and the roster before it is planned.

Everything goes through ``billing.services`` and ``billing.invoicing``."""

import math
import random
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.utils import timezone
from schwifty import IBAN
from stdnum import luhn

from coopcare.billing import rules, services
from coopcare.billing.invoicing import set_invoicing_details
from coopcare.billing.models import Beyond, PayerKind
from coopcare.care.models import ServiceType

# Italy: social and home care by social cooperatives at 5 % VAT (DPR 633/1972, Tabella A,
# parte II-bis, n. 1).
VAT_NOTE = "IVA 5% - DPR 633/1972, Tabella A, parte II-bis, n. 1"
# The co-payment by ISEE band (DPCM 159/2013), as municipalities publish them.
BANDS = [(Decimal(8000), Decimal(0)), (Decimal(15000), Decimal(20)), (None, Decimal(40))]
PERSONAL = {
    "weekday_rate": Decimal("22.50"),
    "sunday_rate": Decimal("27.00"),
    "night_rate": Decimal("26.00"),
    "holiday_rate": Decimal("29.50"),
    "night_starts": time(22),
    "night_ends": time(6),
    "double_handed_factor": Decimal("1.80"),
    "minimum_minutes": 30,
    "rounding_minutes": 15,
    "rounding": "up",
}
CHILDCARE = PERSONAL | {
    "weekday_rate": Decimal("20.00"),
    "sunday_rate": Decimal("24.00"),
    "night_rate": Decimal("24.00"),
    "holiday_rate": Decimal("26.00"),
    "minimum_minutes": 60,
}


@dataclass(frozen=True)
class Town:
    """What the demo's invoices say of a town: its province's two letters and the province's
    code in the VAT numbers registered there (ISTAT), the town hall's address as the
    electronic invoice reads it, and where the cooperative has its registered office."""

    province: str
    tax_office: str
    town_hall: str
    office_street: str
    office_number: str
    office_postcode: str


TOWNS = {
    "Bologna": Town(
        "BO", "037", "Piazza Maggiore 6, 40124 Bologna BO", "Via del Pratello", "41", "40122"
    ),
    "Modena": Town(
        "MO", "036", "Piazza Grande 16, 41121 Modena MO", "Via Ganaceto", "113", "41121"
    ),
    "Reggio Emilia": Town(
        "RE", "035", "Piazza Prampolini 1, 42121 Reggio Emilia RE", "Via Roma", "27", "42121"
    ),
}
# BPER Banca (ABI 05387) and one of its branches (CAB 02400): the cooperatives' bank.
BANK_CODE = "0538702400"


def tax_number(rng: random.Random, office: str) -> str:
    """An Italian VAT number (partita IVA, also a company's fiscal code) registered in the
    province ``office``: seven digits of the company, the office's three and a check digit by
    the Luhn formula (DM 23 December 1976), e.g. 0123271037 checked by 4."""
    digits = f"{rng.randrange(10**7):07d}{office}"
    return digits + luhn.calc_check_digit(digits)


# This year's prices: last year's raised by the consumer price index, as agreements let.
RAISE = Decimal("1.017")


def _raised(prices: dict) -> dict:
    return prices | {
        name: (value * RAISE).quantize(Decimal("0.01"))
        for name, value in prices.items()
        if name.endswith("_rate")
    }


class BillingSeeder:
    def __init__(self, rng: random.Random, today: date, cooperative, coordinator, city: str):
        self.rng = rng
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator
        self.city = city

    def run(self, people) -> dict[str, int]:
        coop, by = self.cooperative, self.coordinator
        town = TOWNS[self.city]
        vat_number = tax_number(self.rng, town.tax_office)
        set_invoicing_details(
            coop,
            {
                "vat_number": vat_number,
                "fiscal_code": vat_number,
                "street": town.office_street,
                "street_number": town.office_number,
                "postcode": town.office_postcode,
                "town": self.city,
                "province": town.province,
                "iban": str(
                    IBAN.generate(
                        "IT", bank_code=BANK_CODE, account_code=f"{self.rng.randrange(10**12):012d}"
                    )
                ),
                # A social cooperative is a third-sector entity (art. 82 c. 5 D.Lgs. 117/2017).
                "stamp_duty_exempt": True,
            },
        )
        last_year, this_year = date(self.today.year - 1, 1, 1), date(self.today.year, 1, 1)
        tariffs = {}
        for service, name, prices in (
            (ServiceType.PERSONAL_CARE, "Assistenza domiciliare alla persona", PERSONAL),
            (ServiceType.CHILDCARE, "Sostegno educativo domiciliare", CHILDCARE),
            (ServiceType.SITTING, "Sollievo al caregiver familiare", PERSONAL),
        ):
            tariff = services.add_tariff(
                coop,
                {
                    "name": name,
                    "service_type": service,
                    "unit": "hour",
                    "vat_rate": Decimal(5),
                    "vat_note": VAT_NOTE,
                },
                prices | {"valid_from": last_year},
                by=by,
            )
            services.adopt_tariff_version(tariff, _raised(prices) | {"valid_from": this_year}, by)
            tariffs[service] = tariff
        comune = services.add_payer(
            coop,
            {
                "kind": PayerKind.PUBLIC_BODY,
                "name": f"Comune di {self.city}",
                "address": town.town_hall,
                "fiscal_code": tax_number(self.rng, town.tax_office),
                "office_code": "".join(
                    self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6)
                ),
                "language": "it",
                "payment_days": 60,
            },
        )
        voucher = services.add_payer(
            coop,
            {
                "kind": PayerKind.VOUCHER,
                "name": "Assegno di cura – Regione Emilia-Romagna",
                "address": "Viale Aldo Moro 52, 40127 Bologna BO",
                "language": "it",
                "shows_carer": True,
                "payment_days": 30,
            },
        )
        counts = {"payers": 2, "agreements": 0}
        over_shown = False
        for index, person in enumerate(people):
            plan = person.plans.order_by("valid_from").first()
            if plan is None:
                continue
            services_used = {t.service_type for p in person.plans.all() for t in p.tasks.all()}
            child = ServiceType.CHILDCARE in services_used
            surname = person.full_name.split(" ", 1)[-1]
            relative = person.circle.filter(user__isnull=False).first()
            family = services.add_payer(
                coop,
                {
                    "kind": PayerKind.FAMILY,
                    "name": f"{person.full_name} (famiglia {surname})",
                    "address": f"{person.address}, {person.postcode} {person.city} {town.province}",
                    "language": "it",
                    "payment_days": 15,
                    "user": relative.user if relative else None,
                },
            )
            counts["payers"] += 1
            # An agreement runs from the start of the care plan, or from last year's first
            # day, when the tariffs have their first prices.
            start = max(plan.valid_from, last_year)
            service = ServiceType.CHILDCARE if child else ServiceType.PERSONAL_CARE
            tariff = tariffs[service]
            # The caregiver's afternoons off are paid with the rest of the person's care.
            sitting = ServiceType.SITTING in services_used
            paid = [tariff, tariffs[ServiceType.SITTING]] if sitting else [tariff]
            kind = "family" if child else ("public", "voucher", "public", "family")[index % 4]
            if kind == "family":
                services.agree(person, family, {"valid_from": start}, tariffs=paid, by=by)
            else:
                past, coming = self._month_minutes(person, tariff)
                over = kind == "public" and not over_shown and coming >= 4 * 60
                # A budget a little above this month's care; one person's between what was
                # done and what is planned, so that only the visits still to come go over.
                hours = (
                    math.floor((past + coming / 2) / 60)
                    if over
                    else math.ceil((past + coming) / 60) + 4
                )
                over_shown = over_shown or over
                fields = {
                    "valid_from": start,
                    "reference": f"PAI {self.today.year - 1}/{100 + index}",
                    "late_cancellation_hours": 24,
                    "late_cancellation_percent": Decimal(50),
                }
                if kind == "public":
                    fields["income"] = Decimal(self.rng.randrange(6000, 24000, 500))
                services.agree(
                    person,
                    comune if kind == "public" else voucher,
                    fields,
                    tariffs=paid,
                    co_payer=family if kind == "public" else None,
                    bands=BANDS if kind == "public" else [],
                    budgets=[(service, "month", Decimal(hours))],
                    by=by,
                )
            counts["agreements"] += 1
        services.set_budget_policy(coop, Beyond.WARN)
        return counts

    def _month_minutes(self, person, tariff) -> tuple[int, int]:
        """The billed minutes of the person's visits this month, as the budget counts them:
        before today, and from today on."""
        first, last = rules.period_days(self.today, "month")
        version = tariff.version_on(self.today)
        terms = rules.Terms.of(version)
        visits = person.visits.filter(
            starts_at__date__gte=first,
            starts_at__date__lte=last,
            task__service_type=tariff.service_type,
        ).exclude(status="cancelled")
        minutes = [
            (
                timezone.localdate(visit.starts_at) < self.today,
                rules.billable_minutes(terms, visit.minutes),
            )
            for visit in visits
        ]
        return (
            sum(m for before, m in minutes if before),
            sum(m for before, m in minutes if not before),
        )
