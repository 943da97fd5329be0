"""The carers of a visit are rows that carry the visit's start (``VisitCarer.starts_at``), so
that a carer's visits of a span are found by the index on (carer, start). The copy is written
with the row and follows the visit whenever its start changes, whichever way it is saved.

Each row also says whether the person knew the carer (``VisitCarer.known``): the carer had
visited them, on a visit not cancelled, in the 8 weeks before. It is worked out again whenever
a carer is put on or taken off a visit, a visit moves, is cancelled or deleted, and it always
equals the definition worked out here row by row (``misknown``)."""

from datetime import time, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.visits.models import KNOWN_WEEKS, Visit, VisitCarer, VisitStatus
from coopcare.visits.queries import carer_between, carer_on_days
from coopcare.visits.services import add_carer, set_carers
from tests import factories
from tests.visits.rows import drifted, misknown


@pytest.fixture
def ana(coop):
    return factories.user_with_role(coop, Role.CARER, username="ana")


@pytest.fixture
def ben(coop):
    return factories.user_with_role(coop, Role.CARER, username="ben")


@pytest.fixture
def visit(coop, ana, day):
    person = factories.person_cared_for(coop, full_name="Rosa")
    return factories.visit(person, [ana], day=day, start_time=time(9, 0))


@pytest.fixture
def day():
    return timezone.localdate() + timedelta(days=3)


def test_setting_and_adding_carers_copies_the_start(visit, ana, ben):
    add_carer(visit, ben)
    assert {(r.carer, r.starts_at) for r in visit.carer_rows.all()} == {
        (ana, visit.starts_at),
        (ben, visit.starts_at),
    }
    set_carers(visit, [ben])
    assert [(r.carer, r.starts_at) for r in visit.carer_rows.all()] == [(ben, visit.starts_at)]


def test_a_visit_saved_at_another_time_takes_its_rows_along(visit, ben):
    add_carer(visit, ben)
    visit.starts_at += timedelta(hours=2)
    visit.ends_at += timedelta(hours=2)
    visit.save()
    assert not drifted().exists()
    assert set(visit.carer_rows.values_list("starts_at", flat=True)) == {visit.starts_at}


def test_a_visit_read_again_and_moved_takes_its_rows_along(visit):
    again = Visit.objects.get(pk=visit.pk)
    again.starts_at -= timedelta(minutes=30)
    again.save(update_fields=["starts_at"])
    assert not drifted().exists()


def test_a_visit_saved_without_a_move_writes_no_row(visit, django_assert_num_queries):
    again = Visit.objects.get(pk=visit.pk)
    again.status_reason = "rang the bell twice"
    with django_assert_num_queries(1):
        again.save()


def test_visits_moved_together_take_their_rows_along(visit, coop, ben, day):
    other = factories.visit(
        factories.person_cared_for(coop, full_name="Marco"), [ben], day=day, start_time=time(10)
    )
    Visit.objects.filter(pk__in=[visit.pk, other.pk]).update(
        starts_at=F("starts_at") + timedelta(days=1)
    )
    assert not drifted().exists()
    visit.refresh_from_db()
    other.refresh_from_db()
    visit.starts_at += timedelta(hours=1)
    other.starts_at += timedelta(hours=3)
    Visit.objects.bulk_update([visit, other], ["starts_at"])
    assert not drifted().exists()
    assert VisitCarer.objects.get(visit=other).starts_at == other.starts_at


def test_a_carers_visits_are_found_by_their_rows(visit, coop, ana, ben, day):
    add_carer(visit, ben)
    starts = visit.starts_at
    assert list(carer_between(coop, ana, starts, starts + timedelta(minutes=1))) == [visit]
    # The end of the span is left out.
    assert not carer_between(coop, ana, starts - timedelta(hours=1), starts).exists()
    assert list(carer_on_days(coop, ben, day, day)) == [visit]
    assert not carer_on_days(coop, ben, day + timedelta(days=1), day + timedelta(days=1)).exists()
    elsewhere = factories.CooperativeFactory()
    assert not carer_on_days(elsewhere, ana, day, day).exists()


def test_a_carer_is_known_from_their_next_visit_within_eight_weeks(visit, coop, ana, ben, day):
    rosa = visit.person
    week = factories.visit(rosa, [ana], day=day + timedelta(days=7))
    add_carer(week, ben)
    far = factories.visit(rosa, [ana], day=day + timedelta(weeks=KNOWN_WEEKS, days=8))
    known = {(r.visit_id, r.carer.username): r.known for r in VisitCarer.objects.all()}
    assert known == {
        (visit.pk, "ana"): False,
        (week.pk, "ana"): True,
        (week.pk, "ben"): False,
        (far.pk, "ana"): False,
    }
    assert not misknown()


def test_taking_carers_off_moving_cancelling_and_deleting_work_known_out_again(
    visit, coop, ana, ben, day
):
    rosa = visit.person
    later = [factories.visit(rosa, [ana], day=day + timedelta(days=n)) for n in (7, 14, 60)]
    assert [r.known for r in VisitCarer.objects.order_by("starts_at")] == [False, True, True, True]
    set_carers(visit, [ben])
    assert not misknown()
    visit.refresh_from_db()
    visit.status = VisitStatus.CANCELLED
    visit.save()
    assert not misknown()
    Visit.objects.filter(pk=later[0].pk).update(status=VisitStatus.CANCELLED)
    assert not misknown()
    Visit.objects.filter(pk=later[0].pk).update(status=VisitStatus.PLANNED)
    assert not misknown()
    later[1].refresh_from_db()
    later[1].status = VisitStatus.CANCELLED
    Visit.objects.bulk_update([later[1]], ["status"])
    assert not misknown()
    # A move of the middle visit two months on leaves the last without a visit before it.
    Visit.objects.filter(pk=later[0].pk).update(starts_at=F("starts_at") + timedelta(weeks=9))
    assert not misknown()
    later[2].delete()
    Visit.objects.filter(pk=later[0].pk).delete()
    assert not misknown()
    assert VisitCarer.objects.filter(visit__person=rosa).count() == 2
