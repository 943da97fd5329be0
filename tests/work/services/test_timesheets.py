"""Timesheets are built from visit records, corrected and approved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care.services import edit_person
from coopcare.work import queries
from coopcare.work.models import (
    Timesheet,
)
from coopcare.work.services import timesheets
from tests.work.conftest import local, worked

TUESDAY = date(2026, 11, 3)


# -- timesheets -----------------------------------------------------------------------------


def test_a_timesheet_holds_visits_travel_between_them_and_waiting(coop, carer, people):
    near, far = people
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, far, TUESDAY, 9.5, 10.5)
    worked(carer, near, TUESDAY, 14, 15)  # after a long gap: a break, the carer's own time
    built = timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    assert built.built == 1
    sheet = Timesheet.objects.get(carer=carer, day=TUESDAY)
    kinds = [entry.kind for entry in sheet.entries.all()]
    assert kinds == ["visit", "travel", "waiting", "visit", "travel", "break", "visit"]
    travel, waiting = sheet.entries.all()[1], sheet.entries.all()[2]
    assert 4 <= travel.minutes <= 8 and travel.km > Decimal("2")
    assert travel.minutes + waiting.minutes == 30
    figures = queries.summary(sheet.entries.all())
    assert figures["minutes"]["visit"] == 180
    assert figures["span"] == 7 * 60


def test_travel_to_or_from_a_home_not_placed_is_unknown_and_left_out(
    coop, carer, coordinator, people
):
    # No place to measure from: no travel entry and no km; the gap is waiting, as if the
    # carer had not moved (the timesheet can be corrected by hand).
    near, far = people
    edit_person(far, coordinator, latitude=None, longitude=None)
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, far, TUESDAY, 9.25, 10)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    sheet = Timesheet.objects.get(carer=carer, day=TUESDAY)
    assert [entry.kind for entry in sheet.entries.all()] == ["visit", "waiting", "visit"]


def test_rebuilding_keeps_approved_and_corrected_timesheets(coop, carer, coordinator, people):
    near = people[0]
    worked(carer, near, TUESDAY, 8, 9)
    worked(carer, near, TUESDAY + timedelta(days=1), 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY + timedelta(days=1))
    first, second = Timesheet.objects.order_by("day")
    entry = first.entries.get()
    timesheets.correct_entry(
        entry,
        local(TUESDAY, 7.75),
        local(TUESDAY, 9),
        "Started early: the person had a fall",
        coordinator,
    )
    timesheets.approve(coop, [second], coordinator)
    assert timesheets.build_timesheets(coop, TUESDAY, TUESDAY + timedelta(days=1)).kept == 2
    entry.refresh_from_db()
    assert entry.minutes == 75 and entry.original_starts_at == local(TUESDAY, 8)
    assert entry.corrected_by == coordinator


def test_an_approved_timesheet_cannot_be_corrected(coop, carer, coordinator, people):
    worked(carer, people[0], TUESDAY, 8, 9)
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    sheet = Timesheet.objects.get()
    entry = sheet.entries.get()
    with pytest.raises(ValidationError, match="Say why"):
        timesheets.correct_entry(entry, local(TUESDAY, 8), local(TUESDAY, 10), " ", coordinator)
    timesheets.approve(coop, [sheet], coordinator)
    with pytest.raises(ValidationError, match="approved"):
        timesheets.correct_entry(
            entry, local(TUESDAY, 8), local(TUESDAY, 10), "Longer", coordinator
        )
    entry.refresh_from_db()
    assert entry.minutes == 60 and not entry.corrected


def test_a_gap_across_the_spring_change_is_as_long_as_it_really_was(coop, carer, people):
    # From 01:30 to 03:20 on 29 March 2026 is 50 minutes (02:00 CET became 03:00 CEST):
    # travel and then waiting (up to 60 minutes by default), not an unpaid break of 102.
    near, far = people
    night = date(2026, 3, 29)
    worked(carer, near, night, 0.5, 1.5)
    late = worked(carer, far, night, 3 + 1 / 3, 4)
    assert timezone.localtime(late.checked_in_at).strftime("%H:%M %Z") == "03:20 CEST"
    timesheets.build_timesheets(coop, night, night)
    entries = list(Timesheet.objects.get().entries.all())
    assert [e.kind for e in entries] == ["visit", "travel", "waiting", "visit"]
    assert entries[1].minutes + entries[2].minutes == 50
