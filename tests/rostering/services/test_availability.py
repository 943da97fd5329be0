"""Rostering's actions: a carer removes usual hours, and days away that are still to come."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coopcare.rostering import rules
from coopcare.rostering.models import Absence, Availability
from coopcare.rostering.services import availability
from tests import factories


def test_only_days_away_that_start_after_today_may_be_removed():
    today = date(2026, 11, 22)
    assert rules.absence_removal_problems(today + timedelta(days=1), today) == []
    assert rules.absence_removal_problems(today, today)
    assert rules.absence_removal_problems(today - timedelta(days=3), today)


def away(coop, carer, first: date, last: date) -> Absence:
    return Absence.objects.create(
        cooperative=coop, carer=carer, kind="leave", first_day=first, last_day=last
    )


def test_removing_days_away_that_have_begun_is_refused(coop, ana):
    today = date(2026, 11, 22)
    begun = away(coop, ana, today, today + timedelta(days=2))
    with pytest.raises(ValidationError, match="have begun"):
        availability.remove_absence(begun, today=today)
    assert Absence.objects.filter(pk=begun.pk).exists()
    availability.remove_absence(begun, today=today - timedelta(days=1))
    assert not Absence.objects.filter(pk=begun.pk).exists()


def test_a_carer_removes_hours_and_days_to_come_on_their_page(client, coop, ana, ben):
    today = timezone.localdate()
    slot = availability.add_slot(coop, ana, 2, time(8), time(13))
    to_come = away(coop, ana, today + timedelta(days=1), today + timedelta(days=2))
    begun = away(coop, ana, today, today)
    colleagues = away(coop, ben, today + timedelta(days=1), today + timedelta(days=1))
    page = reverse("rostering:my_availability", args=[coop.slug])
    factories.log_in(client, ana)
    html = client.get(page).content.decode()
    assert f'name="remove_absence" value="{to_come.pk}"' in html
    assert f'name="remove_absence" value="{begun.pk}"' not in html

    assert client.post(page, {"remove_slot": slot.pk}).status_code == 302
    assert not Availability.objects.filter(carer=ana).exists()
    client.post(page, {"remove_absence": to_come.pk})
    assert not Absence.objects.filter(pk=to_come.pk).exists()
    # Days already begun, and a colleague's, stay.
    refused = client.post(page, {"remove_absence": begun.pk}, follow=True).content.decode()
    assert "These days away have begun; ask a coordinator to change them." in refused
    client.post(page, {"remove_absence": colleagues.pk})
    client.post(page, {"remove_absence": "not a number"})
    assert set(Absence.objects.values_list("pk", flat=True)) == {begun.pk, colleagues.pk}
