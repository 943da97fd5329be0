from datetime import UTC, datetime, timedelta

from coopcare.care.access import log_read, log_reads
from coopcare.care.models import CareRecordRead
from coopcare.cooperatives.models import Role
from coopcare.privacy import queries
from tests import factories

# 20 November 2026 is a Friday; the factories' visit is at 09:00 Rome time, 08:00 UTC.
DAY = datetime(2026, 11, 20, tzinfo=UTC)
MONTH = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def read_at(user, person, at):
    log_read(user, person, "record")
    read = CareRecordRead.objects.latest("pk")
    CareRecordRead.objects.filter(pk=read.pk).update(at=at)


def test_a_carer_reading_someone_they_do_not_visit_is_unusual(coop, person, carer):
    factories.visit(person, carers=[carer])
    other = factories.person_cared_for(coop, full_name="Piero Blu")
    read_at(carer, person, DAY + timedelta(hours=10))  # within the visit's window
    read_at(carer, other, DAY + timedelta(hours=10))  # no visit with Piero
    read_at(carer, person, DAY + timedelta(days=3, hours=10))  # 3 days on: outside the window
    found = queries.unusual_reads(coop, *MONTH)
    assert [(u.kind, u.person) for u in found] == [
        ("outside_visits", "Giulia Neri"),
        ("outside_visits", "Piero Blu"),
    ]


def test_a_coordinator_reads_anyone_but_not_unseen_at_night(coop, coordinator, person):
    read_at(coordinator, person, DAY + timedelta(hours=10))
    read_at(coordinator, person, DAY + timedelta(hours=22))  # 23:00 in Rome
    found = queries.unusual_reads(coop, *MONTH)
    assert [(u.kind, u.at) for u in found] == [("night", DAY + timedelta(hours=22))]


def test_many_records_read_at_once_is_unusual(coop, coordinator):
    people = [factories.person_cared_for(coop) for _ in range(10)]
    log_reads(coordinator, people, "people")
    CareRecordRead.objects.update(at=DAY + timedelta(hours=9))
    found = queries.unusual_reads(coop, *MONTH)
    assert [(u.kind, u.count) for u in found] == [("many", 10)]


def test_the_access_history_names_who_read_and_their_role(coop, coordinator, person, family):
    log_read(coordinator, person, "record")
    log_read(family, person, "care plan")
    lines = queries.read_lines(coop, queries.reads_of(coop, person))
    assert [(line.who, line.roles, line.record) for line in lines] == [
        ("Anna Neri", [Role.CIRCLE], "care plan"),
        (coordinator.get_full_name() or coordinator.username, [Role.COORDINATOR], "record"),
    ]


def test_the_monthly_summary_tells_the_coordinators_and_names_no_one(
    coop, coordinator, person, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.management import call_command

    read_at(coordinator, person, DAY + timedelta(hours=22))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("unusual_reads", "--month", "2026-11")
    [email] = mail.outbox
    assert email.to == [coordinator.email]
    assert "1 unusual read" in email.body and "Giulia" not in email.body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("unusual_reads", "--month", "2026-10")  # a quiet month: no notice
    assert len(mail.outbox) == 1
