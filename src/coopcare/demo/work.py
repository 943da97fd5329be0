"""Demo work: pay rules (with last summer's raise), contracts for every worker (some changed
over the years), qualifications matching the visits each carer did (a few expiring soon),
training, the home places some carers gave (in and around Bologna), the photos some carers
gave and agreed to show (drawn here: their initials on a colour, never a real person's face),
a month of timesheets approved up to last Sunday, and the pay run of those weeks.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from coopcare.accounts.models import Profile
from coopcare.pdf import FONTS
from coopcare.visits.models import VisitRecord
from coopcare.work.models import Contract, ContractKind, PayRules, Timesheet, Training
from coopcare.work.services import pay, photos, timesheets
from coopcare.work.services.contracts import start_contract
from coopcare.work.services.homes import set_home
from coopcare.work.services.qualifications import add_qualification

# Bologna's centre (Piazza Maggiore); demo homes are within about 6 km of it.
BOLOGNA = (44.4938, 11.3430)
HOME_SHARE = 0.6  # of carers who gave their home place
PHOTO_SHARE = 0.5  # of carers who gave a photo and agreed it is shown
# Soft colours behind the initials, light enough for white letters to read on none.
PHOTO_COLOURS = ("#2f6f8f", "#7a4f9a", "#2e7d5b", "#a0522d", "#8a6d1f", "#4b5d9c")

BASIC = ("OSS - Operatore socio-sanitario", "personal, meds", "Regione Emilia-Romagna", None)
HOIST = ("Movimentazione pazienti con sollevatore", "hoist", "AUSL Bologna", 3)
FIRST_AID = ("Primo soccorso BLS-D", "first_aid", "Croce Rossa Italiana", 2)


class WorkSeeder:
    def __init__(
        self, rng, today: date, cooperative, carers: list, coordinators: list, by, details
    ):
        self.rng = rng
        self.details = details
        self.today = today
        self.cooperative = cooperative
        self.carers = carers
        self.coordinators = coordinators
        self.by = by

    def run(self, history_days: int) -> dict[str, int]:
        first_day = self.today - timedelta(days=history_days)
        PayRules.objects.create(
            cooperative=self.cooperative,
            effective_from=self.today - timedelta(days=700),
            base_rate=Decimal("10.20"),
            minimum_wage=Decimal("9.00"),
            mileage_rate=Decimal("0.350"),
            summary="Rates of the national collective agreement for social cooperatives.",
            recorded_by=self.by,
        )
        PayRules.objects.create(
            cooperative=self.cooperative,
            effective_from=self.today - timedelta(days=140),
            base_rate=Decimal("10.90"),
            minimum_wage=Decimal("9.00"),
            mileage_rate=Decimal("0.350"),
            waiting_paid=Decimal(100),
            waiting_max_minutes=120,
            summary="Raise agreed by the assembly; gaps between visits up to two hours paid.",
            recorded_by=self.by,
        )
        for coordinator in self.coordinators:
            self.contract(coordinator, ContractKind.PERMANENT, Decimal(38), Decimal("13.40"))
        for index, carer in enumerate(self.carers):
            self.carer_contracts(index, carer)
        self.profiles()
        self.homes()
        self.photos()
        self.qualifications(first_day)
        built = timesheets.build_timesheets(self.cooperative, first_day, self.today)
        # Paid in four-week periods to last Sunday; the days since wait for approval.
        end = self.today - timedelta(days=self.today.weekday() + 1)
        start = max(first_day, end - timedelta(days=27))
        sheets = Timesheet.objects.filter(cooperative=self.cooperative, day__range=(start, end))
        timesheets.approve(self.cooperative, sheets, self.by)
        run = pay.run_pay(self.cooperative, start, end, self.by, today=self.today)
        return {"timesheets": built.built, "payslips": run.payslips.count()}

    def contract(self, worker, kind, hours, rate=None, starts_on=None, ends_on=None) -> Contract:
        starts_on = starts_on or self.today - timedelta(days=self.rng.randint(200, 2500))
        return start_contract(
            self.cooperative,
            worker,
            {
                "kind": kind,
                "weekly_hours": hours,
                "hourly_rate": rate,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
            by=self.by,
            replace_current=True,
        )

    def carer_contracts(self, index: int, carer) -> None:
        hours = Decimal(self.rng.choice([20, 24, 25, 30, 30, 32, 36, 38]))
        if index % 9 == 4:
            # A recent hire on a one-year fixed term.
            start = self.today - timedelta(days=self.rng.randint(60, 200))
            self.contract(
                carer, ContractKind.FIXED_TERM, hours, None, start, start + timedelta(365)
            )
        elif index % 7 == 2:
            # Guaranteed hours, by the carer's choice (studies, caring at home).
            self.contract(carer, ContractKind.GUARANTEED_HOURS, Decimal(15))
        elif index % 4 == 1:
            # Started on a fixed term, then made permanent with more hours.
            start = self.today - timedelta(days=self.rng.randint(500, 1500))
            self.contract(
                carer, ContractKind.FIXED_TERM, Decimal(20), None, start, start + timedelta(364)
            )
            self.contract(carer, ContractKind.PERMANENT, hours, None, start + timedelta(365))
        else:
            self.contract(carer, ContractKind.PERMANENT, hours)

    def profiles(self) -> None:
        """What workers said on their accounts: gender (most care workers are women; some
        say nothing) and the weekly hours they want (some part-timers want more)."""
        current = {
            c.carer_id: c.weekly_hours
            for c in Contract.objects.filter(cooperative=self.cooperative, ends_on__isnull=True)
        }
        for worker in self.coordinators + self.carers:
            gender = self.details.choices(["woman", "man", "other", ""], [78, 15, 1, 6])[0]
            hours = current.get(worker.pk)
            desired = None
            if hours is not None and self.details.random() < 0.7:
                short = hours < 30 and self.details.random() < 0.45
                desired = int(hours) + (self.details.choice([6, 8, 10, 14]) if short else 0)
            Profile.objects.update_or_create(
                user=worker, defaults={"gender": gender, "desired_weekly_hours": desired}
            )

    def homes(self) -> None:
        """Some carers give their home place, so their journeys from and to home are paid and
        the roster starts their days there; the others keep theirs to themselves. Drawn from
        a generator of its own, so that the rest of the demo is the same with or without."""
        draw = random.Random(f"homes:{self.cooperative.slug}")
        for carer in self.carers:
            if draw.random() >= HOME_SHARE:
                continue
            set_home(
                self.cooperative,
                carer,
                {
                    "latitude": Decimal(f"{BOLOGNA[0] + draw.uniform(-0.05, 0.05):.6f}"),
                    "longitude": Decimal(f"{BOLOGNA[1] + draw.uniform(-0.07, 0.07):.6f}"),
                },
            )

    def photos(self) -> None:
        """Some carers give a photo and agree that the people they serve see it; the demo's
        ``carer`` login gives none, so its page shows how to. Drawn from a generator of its
        own, so that the rest of the demo is the same with or without."""
        draw = random.Random(f"photos:{self.cooperative.slug}")
        font = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 110)
        for carer in self.carers:
            if carer.username == "carer" or draw.random() >= PHOTO_SHARE:
                continue
            image = Image.new("RGB", (256, 256), draw.choice(PHOTO_COLOURS))
            initials = f"{carer.first_name[:1]}{carer.last_name[:1]}".upper()
            ImageDraw.Draw(image).text((128, 128), initials, fill="white", font=font, anchor="mm")
            out = io.BytesIO()
            image.save(out, format="PNG")
            given = timezone.make_aware(
                datetime.combine(self.today - timedelta(days=draw.randint(10, 300)), time(18))
            )
            photos.set_photo(
                self.cooperative, carer, ContentFile(out.getvalue(), name="me.png"), now=given
            )
            photos.show_photo(self.cooperative, carer, True, now=given + timedelta(minutes=2))

    def qualifications(self, first_day: date) -> None:
        did_hoist = set(
            VisitRecord.objects.filter(
                visit__cooperative=self.cooperative, visit__task__skills__contains="hoist"
            ).values_list("carer_id", flat=True)
        )
        for index, carer in enumerate(self.carers):
            held = [BASIC, FIRST_AID] + ([HOIST] if carer.pk in did_hoist or index % 3 == 0 else [])
            for name, skills, issuer, years in held:
                obtained = first_day - timedelta(days=self.rng.randint(30, 700))
                expires = None
                if years:
                    expires = obtained + timedelta(days=365 * years)
                    if expires <= self.today:
                        # Lapsed since: renewed on the day it lapsed, as the training plan has.
                        obtained, expires = expires, expires + timedelta(days=365 * years)
                if years and index % 11 == 3 and skills == "first_aid":
                    # Due for renewal soon: shows on the coordinators' list.
                    expires = self.today + timedelta(days=self.rng.randint(5, 50))
                    obtained = expires - timedelta(days=365 * years)
                fields = {"name": name, "skills": skills, "issued_by": issuer}
                qualification = add_qualification(
                    self.cooperative,
                    carer,
                    fields | {"obtained_on": obtained, "expires_on": expires},
                )
                hours = Decimal({"hoist": 8, "first_aid": 12}.get(skills, 1000))
                Training.objects.create(
                    cooperative=self.cooperative,
                    carer=carer,
                    course=name,
                    on=obtained,
                    hours=hours,
                    provider=issuer,
                    qualification=qualification,
                )
