"""The records of processing (GDPR art. 30) are complete: every model that holds personal
data belongs to an activity, and every activity names real models."""

from django.apps import apps

from coopcare.privacy import processing
from coopcare.retention.rules import Kind


def registered() -> set[str]:
    return {label.lower() for a in processing.ACTIVITIES for label in a.models}


def test_every_model_with_personal_data_has_an_entry():
    missing = sorted(
        m._meta.label
        for m in apps.get_models()
        if processing.holds_personal_data(m) and m._meta.label_lower not in registered()
    )
    assert not missing, (
        "Models holding personal data with no entry in privacy/processing.py's ACTIVITIES "
        f"(add each to the activity it serves, or a new one): {missing}"
    )


def test_every_entry_names_a_model():
    for activity in processing.ACTIVITIES:
        assert processing.activity_models(activity), activity.key  # LookupError if not


def test_the_detection_finds_what_it_should():
    """A walk that found nothing would pass vacuously: it finds people, logins, free text and
    names, and leaves alone a model of settings with none of them."""
    get = apps.get_model
    for label in (
        "care.PersonCaredFor",
        "auth.User",
        "members.Mandate",
        "sessions.Session",
        "care.CareTask",
        "billing.InvoicingDetails",
    ):
        assert processing.holds_personal_data(get(label)), label
    for label in ("work.WorkRules", "contenttypes.ContentType", "cooperatives.Cooperative"):
        assert not processing.holds_personal_data(get(label)), label


def test_the_register_exports_as_csv():
    rows = processing.rows()
    text = processing.as_csv(rows)
    assert text.splitlines()[0].startswith("activity,purpose,legal_basis")
    assert len(rows) == len(processing.ACTIVITIES)


def test_childcare_and_household_records_are_kept_for_a_period_retention_runs():
    """Their activities name retention's own kinds, so the register says how long each is
    kept and the retention run is what ends it; a household's payroll is its own activity,
    the cooperative keeping it as the household's intermediary, not the carers' employer."""
    by_key = {a.key: a for a in processing.ACTIVITIES}
    assert by_key["childcare"].retention == Kind.CHILDCARE_RECORDS
    household = by_key["household_employment"]
    assert household.retention == Kind.PAYSLIPS
    assert "household.HouseholdPayslip" in household.models
    assert not any(label.startswith("household.") for label in by_key["employment"].models)


def test_childcare_door_and_observations_are_activities_of_their_own():
    """Children's records, the door's sign-in and sign-out and the observations of
    development are three activities, each with its legal basis and the childcare records'
    retention; a family caregiver's support is kept as care records are, from the end of the
    support, and the reads of their record as read logs; a child's, with the child's."""
    by_key = {a.key: a for a in processing.ACTIVITIES}
    assert "childcare.Attendance" in by_key["childcare_door"].models
    assert "6(1)(c)" in str(by_key["childcare_door"].legal_basis)
    assert "childcare.Observation" in by_key["childcare_observations"].models
    assert "6(1)(a)" in str(by_key["childcare_observations"].legal_basis)
    for key in ("childcare", "childcare_door", "childcare_observations"):
        assert by_key[key].retention == Kind.CHILDCARE_RECORDS, key
    assert by_key["caregivers"].retention == Kind.CARE_RECORDS
    assert "respite.SupportPlan" in by_key["caregivers"].models
    assert {"care.CareRecordRead", "respite.CaregiverRead"} <= set(by_key["read_log"].models)
    assert by_key["read_log"].retention == Kind.READ_LOGS
    assert "childcare.ChildRecordRead" in by_key["childcare"].models


def test_a_model_pointing_at_a_child_a_guardian_or_a_caregiver_holds_personal_data():
    """A row about a child, a guardian or a family caregiver is about a person, even with no
    name or free text of its own (a fee billed to a guardian, a place on a waiting list)."""
    assert {"childcare.child", "childcare.guardian", "respite.caregiver"} <= set(processing.PEOPLE)
    assert processing.holds_personal_data(apps.get_model("respite.Enrolment"))
