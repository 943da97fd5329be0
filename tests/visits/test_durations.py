"""A visit record keeps its duration, check-out less check-in, whichever way it is saved: the
database adds up the time of care from it (the hours of care, the hours budgets).

Checked through every service that writes a record (check-in, check-out, a reason given, a
record accepted, confirmed by phone), a save of its times alone, and the migration that gave
the records checked out before it their duration.
"""

import importlib
from datetime import timedelta
from uuid import uuid4

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import VisitRecord
from tests import factories

NAME = "0010_record_duration"
migration = importlib.import_module(f"coopcare.visits.migrations.{NAME}")


def _planned(coop):
    person = factories.person_cared_for(coop)
    carer = factories.user_with_role(coop, Role.CARER)
    return factories.visit(person, [carer]), carer


def test_every_service_that_writes_a_record_keeps_its_duration(coop, coordinator):
    planned, carer = _planned(coop)
    at, now = planned.starts_at, planned.ends_at + timedelta(minutes=5)
    record = services.check_in(planned, carer, client_id=uuid4(), at=at, now=now).record
    assert VisitRecord.objects.get(pk=record.pk).duration is None
    steps = [{"step": s, "done": True} for s in planned.task.step_list]
    # Far too short, so implausible until accepted; stored exactly, to the second.
    out = at + timedelta(minutes=4, seconds=29)
    services.check_out(planned, carer, client_id=uuid4(), at=out, now=now, steps=steps)
    stored = VisitRecord.objects.get(pk=record.pk)
    assert stored.duration == timedelta(minutes=4, seconds=29)
    assert stored.minutes == 4
    services.explain_record(stored, carer, "The person sent me away at the door.")
    services.accept_record(VisitRecord.objects.get(pk=record.pk), coordinator)
    services.confirm_by_phone(VisitRecord.objects.get(pk=record.pk), coordinator)
    assert VisitRecord.objects.get(pk=record.pk).duration == timedelta(minutes=4, seconds=29)


def test_a_record_saved_with_new_times_gets_their_duration(coop):
    planned, carer = _planned(coop)
    record = factories.recorded_visit(planned, carer)
    assert record.duration == timedelta(minutes=40)
    record.checked_out_at = record.checked_in_at + timedelta(minutes=55)
    record.save(update_fields=["checked_out_at"])
    assert VisitRecord.objects.get(pk=record.pk).duration == timedelta(minutes=55)


def test_the_migration_gives_records_checked_out_before_it_their_duration(coop):
    planned, carer = _planned(coop)
    done = factories.recorded_visit(planned, carer)
    other, other_carer = _planned(coop)
    begun = services.check_in(
        other, other_carer, client_id=uuid4(), at=other.starts_at, now=other.starts_at
    ).record
    # As the records were before the migration: no duration stored.
    VisitRecord.objects.update(duration=None)
    apps = MigrationLoader(connection).project_state(("visits", NAME)).apps
    migration.fill_durations(apps, None)
    assert VisitRecord.objects.get(pk=done.pk).duration == timedelta(minutes=40)
    assert VisitRecord.objects.get(pk=begun.pk).duration is None
