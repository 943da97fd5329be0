"""The demo's childcare centre: rooms by age, about forty children each with a guardian on
their list, a month of days at the door with absences, the workers rostered, one refusal, and
observations shared with the parents who consented, and the two demo logins seeing what
they should."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from coopcare.childcare import access
from coopcare.childcare.models import (
    Attendance,
    Child,
    ChildConsent,
    Observation,
    RefusedCollection,
    Room,
    Shift,
)
from coopcare.cooperatives.access import roles_of
from coopcare.cooperatives.models import Federation, Role
from coopcare.demo.childcare import ChildcareSeeder
from coopcare.demo.seed import Seeder

pytestmark = pytest.mark.django_db


def test_the_demo_centre_is_realistic():
    today = timezone.localdate()
    seeder = Seeder(1, today)
    federation = Federation.objects.create(name="F", slug="f")
    rng = random.Random(1)  # noqa: S311 - demo data, not a secret
    centre, counts = ChildcareSeeder(rng, today, seeder).run(federation)
    assert centre.runs_childcare and not centre.runs_home_care
    assert Room.objects.filter(cooperative=centre).count() == 4
    children = Child.objects.filter(cooperative=centre)
    assert 35 <= children.count() <= 45 and counts["children"] == children.count()
    assert all(c.adults.filter(guardian__isnull=False).exists() for c in children)
    month_ago = today - timedelta(days=28)
    days = Attendance.objects.filter(cooperative=centre, day__lt=month_ago + timedelta(days=28))
    weekdays = len({a.day for a in days})
    # Most children come most days, never all of them every day.
    assert 0.7 * weekdays * children.count() < days.count() < weekdays * children.count()
    assert not days.filter(day__lt=today, signed_out_at__isnull=True).exists()
    assert Shift.objects.filter(cooperative=centre, starts_at__date=today).exists() == (
        today.weekday() < 5
    )
    assert RefusedCollection.objects.get(cooperative=centre).person_name == "Luca (uncle)"
    guardian = seeder.User.objects.get(username="guardian")
    roles = roles_of(guardian, centre)
    assert Role.CIRCLE in roles and Role.MEMBER in roles
    assert access.children_visible_to(guardian, centre, roles).count() == 2
    assert Role.COORDINATOR in roles_of(seeder.User.objects.get(username="childcare"), centre)
    observations = Observation.objects.filter(cooperative=centre)
    assert observations.count() == counts["observations"] >= 2 * children.count()
    shared = observations.filter(shared_at__isnull=False)
    consented = {
        c.child_id for c in ChildConsent.objects.filter(kind="observations", child__in=children)
    }
    assert shared.exists() and {o.child_id for o in shared} <= consented
    mancini = access.children_visible_to(guardian, centre, roles)
    assert all(access.observations_visible_to(child, roles).count() == 3 for child in mancini)


def test_the_demo_centre_bills_last_months_fees():
    """Every child has fee terms; last month is billed once for each child enrolled in it,
    the families' invoices and the Comune's issued, the Comune's with its FatturaPA file; the
    guardian login pays her two children's fees."""
    from coopcare.billing.models import Invoice
    from coopcare.childcare.models import FeeCharge, FeeTerms

    today = timezone.localdate()
    seeder = Seeder(1, today)
    federation = Federation.objects.create(name="F", slug="f")
    rng = random.Random(1)  # noqa: S311 - demo data, not a secret
    centre, counts = ChildcareSeeder(rng, today, seeder).run(federation)
    children = Child.objects.filter(cooperative=centre)
    assert all(FeeTerms.objects.filter(child=c).exists() for c in children)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    charges = FeeCharge.objects.filter(cooperative=centre, month=last_month)
    assert counts["fees_billed"] == charges.count() >= 30
    assert charges.filter(income_declared=False).exists()
    assert charges.filter(subsidised__gt=0).exists() and charges.filter(subsidised=0).exists()
    invoices = Invoice.objects.filter(cooperative=centre)
    assert not invoices.filter(status="draft").exists()
    comune = invoices.get(payer__name="Comune di Bologna")
    assert comune.einvoice_name and comune.lines.count() == charges.filter(subsidised__gt=0).count()
    mancini = charges.filter(line__invoice__payer__user__username="guardian")
    assert mancini.count() == 2
