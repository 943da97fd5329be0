from datetime import date

from coopcare.respite import services
from coopcare.respite.models import Caregiver, Enrolment, SupportPlan
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
