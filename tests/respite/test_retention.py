from datetime import UTC, date, datetime

from coopcare.respite import access, services
from coopcare.respite.models import Caregiver, CaregiverRead, Enrolment, SupportPlan
from coopcare.retention import queries
from coopcare.retention.rules import Kind
from coopcare.retention.services import run_retention
from tests.respite.conftest import caregiver
from tests.respite.test_services import group


def test_a_caregiver_is_anonymised_once_the_period_from_the_end_of_support_is_over(
    coop, coordinator
):
    gone = caregiver(coop, notes="Back pain", since=date(2010, 1, 4))
    services.new_support_plan(
        gone, valid_from=date(2010, 2, 1), goals="Evenings off", respite_hours_a_month=12
    )
    services.end_support(gone, date(2011, 6, 30))
    current = caregiver(coop, full_name="Marco Rossi")
    meeting = group(coop, coordinator)
    services.enrol(meeting, current)

    report = run_retention(coop, today=date(2026, 11, 20))

    gone.refresh_from_db()
    assert (gone.full_name, gone.notes, gone.cares_for_whom) == ("", "", "")
    assert SupportPlan.objects.get(caregiver=gone).goals == ""
    assert Caregiver.objects.get(pk=current.pk).full_name == "Marco Rossi"
    assert Enrolment.objects.filter(caregiver=current).exists()
    assert report.counts["care_records"]["done"] >= 1


def test_the_reads_of_a_caregivers_record_go_when_the_read_logs_period_is_over(coop, coordinator):
    # Read logs are kept for their own period from the day of each read, whatever record was
    # read: the caregiver's record stays, the log of its reads goes.
    current = caregiver(coop)
    access.log_read(coordinator, current)
    read_on = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    CaregiverRead.objects.filter(caregiver=current).update(at=read_on)
    years = next(p for p in queries.periods(coop) if p.kind == Kind.READ_LOGS).years

    run_retention(coop, today=date(2026 + years, 3, 2))
    assert CaregiverRead.objects.filter(caregiver=current, record="record").exists()

    report = run_retention(coop, today=date(2026 + years, 3, 3))
    assert report.counts[Kind.READ_LOGS]["done"] == 1
    assert not CaregiverRead.objects.filter(caregiver=current).exists()
    assert Caregiver.objects.get(pk=current.pk).full_name == "Lucia Bianchi"
