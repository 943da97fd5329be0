"""The carer's and the family's pages at phone widths (360 and 390 CSS pixels), in English and
in Arabic (right to left), laid out by Chromium: nothing wider than the screen, and the carer's
roster short enough to scroll through."""

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.cooperatives.models import Role
from coopcare.visits.services import add_carer, generate_visits
from coopcare.work.models import Timesheet
from coopcare.work.queries import last_pay_period
from coopcare.work.services import pay, timesheets
from tests import factories
from tests.work.conftest import contract, worked

WIDTHS = (360, 390)
# Long names and titles, as real ones are, so that a cell that cannot wrap shows.
PERSON = "Maria Giuseppina Abbondanzieri-Santangelo"
TASK = "Morning care: wash, dress and breakfast"


@pytest.fixture
def carers_fortnight(coop, coordinator):
    """A carer with a paid month behind them and two weeks of visits ahead, three a day, of a
    person whose relative follows them in the person's circle."""
    carer = factories.user_with_role(
        coop, Role.CARER, username="carla", first_name="Carla", last_name="Bianchi-Ferraris"
    )
    family = factories.user_with_role(coop, Role.CIRCLE, username="anna", first_name="Anna")
    person = factories.person_cared_for(coop, full_name=PERSON)
    today = timezone.localdate()
    start, end = last_pay_period(today)
    contract(coop, carer, starts_on=start - timedelta(days=30))
    plan = care_services.new_care_plan(
        person,
        valid_from=start - timedelta(days=1),
        goals="Stay safely at home",
        tasks=[
            {"title": TASK, "rrule": "FREQ=DAILY", "start_time": at, "duration_minutes": 45}
            for at in (time(8), time(12, 30), time(18))
        ],
        horizon_days=0,
    )
    earlier = factories.person_cared_for(coop)
    factories.care_plan(earlier, valid_from=start - timedelta(days=1))
    for day in (start + timedelta(days=1), start + timedelta(days=2)):
        worked(carer, earlier, day, 8, 9)
    timesheets.build_timesheets(coop, start, end)
    timesheets.approve(coop, Timesheet.objects.filter(cooperative=coop), coordinator)
    pay.run_pay(coop, start, end, coordinator)
    generate_visits(person, today, today + timedelta(days=13))
    for visit in person.visits.filter(plan=plan, starts_at__date__gte=today):
        add_carer(visit, carer)
    care_services.add_to_circle(
        person,
        user=family,
        full_name="Anna Abbondanzieri",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        may_see_notes=True,
        may_see_care_plan=True,
        granted_by=PERSON,
        granted_on=date(2026, 1, 1),
    )
    return carer, family, person


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def tables_scrolled_sideways(page) -> list[int]:
    """How many CSS pixels each table is wider than its box, for those that are: a table
    that fits the page only by scrolling sideways in its own box."""
    return page.evaluate(
        "[...document.querySelectorAll('.table-wrap')]"
        ".map(w => w.scrollWidth - w.clientWidth).filter(d => d > 0)"
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_fit_a_phone_screen(open_as, coop, carers_fortnight, language):
    carer, family, person = carers_fortnight
    pages = [
        (carer, reverse("visits:today", args=[coop.slug])),
        (carer, reverse("work:mine", args=[coop.slug])),
        (carer, reverse("rostering:mine", args=[coop.slug])),
        (family, reverse("care:circle", args=[coop.slug, person.pk])),
    ]
    for user, path in pages:
        for width in WIDTHS:
            page = open_as(user, width, language)
            assert page.goto(path).status == 200
            direction = page.evaluate("document.documentElement.dir")
            assert direction == ("rtl" if language == "ar" else "ltr")
            # The stylesheet was served and applied, so the layout measured is the real one.
            assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
            assert overflow(page) == 0, f"{path} is wider than {width} px in {language}"
            assert tables_scrolled_sideways(page) == [], f"{path} at {width} px in {language}"
            page.close()


def test_the_roster_shows_today_and_tomorrow_and_folds_the_days_after(
    open_as, coop, carers_fortnight
):
    carer, _, _ = carers_fortnight
    page = open_as(carer, 360)
    page.goto(reverse("rostering:mine", args=[coop.slug]))
    days = page.locator("details.day")
    assert days.count() >= 13  # today (if a visit is still to come) and the twelve or so after
    opened = page.locator("details.day[open]").count()
    assert 1 <= opened <= 2
    # Three visits a day for two weeks fit in a few screens, not forty.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, f"My roster is {height} px tall"
    page.locator("details.day:not([open]) > summary").first.click()
    assert page.locator("details.day[open]").count() == opened + 1
