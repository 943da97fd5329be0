"""Childcare records past their period: counted from the child's last day at the centre, the
child, the adults who collected them and those refused at the door lose their names, the
guardians no other child keeps lose theirs, the reads of the record go; the days of
attendance and the consents stay for the centre's figures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from coopcare.care.services import add_to_circle
from coopcare.childcare import access, services
from coopcare.childcare.models import (
    Attendance,
    AuthorisedAdult,
    Child,
    ChildConsent,
    ChildRecordRead,
    Guardian,
    Observation,
    RefusedCollection,
)
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.retention import rules
from coopcare.retention import services as retention
from coopcare.retention.rules import Kind
from tests import factories
from tests.childcare import conftest as childcare

LONDON = ZoneInfo("Europe/London")
LAST_DAY = date(2026, 7, 31)

pytestmark = pytest.mark.django_db
# The childcare tests' centre in England: Amira (with her mother Hana) and Leo.
centre = childcare.centre


def test_england_leaves_the_period_to_the_provider_after_the_child_has_left():
    # EYFS statutory framework, section 3: records relating to individual children are kept
    # "for a reasonable period of time after they have left the provision". Counted from a
    # last day of 31 July 2026, the default of three years keeps the record on 31 July 2029
    # and lets it go the day after.
    default = rules.default_period("GB", Kind.CHILDCARE_RECORDS)
    assert "reasonable period of time after they have left the provision" in default.source
    assert rules.TO_CONFIRM in default.source
    assert not rules.cutoff(date(2029, 7, 31), default.years) > LAST_DAY
    assert rules.cutoff(date(2029, 8, 1), default.years) > LAST_DAY


@pytest.fixture
def mia(centre):
    """Amira's sister Mia, who left on 31 July 2026: her mother Hana is Amira's too; her father
    Karim only hers. She came on 1 July, brought and collected by Hana; a stranger was
    refused at the door; her record was read; photos were consented to."""
    mia = services.enrol(
        centre.coop,
        full_name="Mia Patel",
        born_on=date(2023, 9, 14),
        enrolled_on=date(2025, 9, 1),
        leaves_on=LAST_DAY,
        room=centre.twos,
        health_notes="Asthma: inhaler in her bag",
        allergies="Eggs",
    )
    services.add_guardian(mia, guardian=centre.hana, by=centre.coordinator)
    karim = services.add_guardian(
        mia, full_name="Karim Patel", phone="+44 7700 900456", by=centre.coordinator
    )
    services.give_consent(
        mia, kind="photos", guardian=karim, given_on=date(2025, 9, 1), by=centre.coordinator
    )
    hana = mia.adults.get(guardian=centre.hana)
    services.sign_in(
        mia, adult=hana, by=centre.worker, at=datetime(2026, 7, 1, 8, 30, tzinfo=LONDON)
    )
    with pytest.raises(ValidationError, match="not authorised"):
        services.sign_out(
            mia,
            adult=None,
            person_name="Dave Smith",
            by=centre.worker,
            at=datetime(2026, 7, 1, 16, 0, tzinfo=LONDON),
        )
    services.sign_out(
        mia, adult=hana, by=centre.worker, at=datetime(2026, 7, 1, 16, 30, tzinfo=LONDON)
    )
    services.observe(
        mia,
        observed_on=date(2026, 7, 1),
        area="communication",
        text="Sang a song",
        by=centre.worker,
    )
    access.log_read(centre.coordinator, mia, "health")
    return mia


def test_within_its_period_a_childs_record_is_kept_whole(centre, mia):
    report = retention.run_retention(centre.coop, today=date(2029, 7, 31))

    assert report.counts[Kind.CHILDCARE_RECORDS] == {"done": 0, "held": 0}
    mia.refresh_from_db()
    assert (mia.full_name, mia.allergies) == ("Mia Patel", "Eggs")
    assert ChildRecordRead.objects.filter(child=mia).exists()
    assert Observation.objects.filter(child=mia).exists()


def test_past_its_period_a_child_is_anonymised_and_the_attendance_kept(centre, mia):
    kept = Attendance.objects.filter(child=mia).values("day", "room", "signed_in_at").get()

    report = retention.run_retention(centre.coop, today=date(2029, 8, 1))

    assert report.counts[Kind.CHILDCARE_RECORDS] == {"done": 1, "held": 0}
    mia.refresh_from_db()
    assert (mia.full_name, mia.health_notes, mia.allergies) == ("", "", "")
    assert mia.born_on == date(2023, 9, 1)
    assert set(AuthorisedAdult.objects.filter(child=mia).values_list("full_name", flat=True)) == {
        ""
    }
    assert RefusedCollection.objects.get(child=mia).person_name == ""
    assert not ChildRecordRead.objects.filter(child=mia).exists()
    assert not Observation.objects.filter(child=mia).exists()
    karim = Guardian.objects.get(children=mia, user__isnull=True, phone="")
    assert karim.full_name == ""
    # Hana is Amira's mother too, and Amira is still at the centre.
    centre.hana.refresh_from_db()
    assert (centre.hana.full_name, centre.hana.user) == ("Hana Patel", centre.hana_user)
    assert Attendance.objects.filter(child=mia).values("day", "room", "signed_in_at").get() == kept
    assert ChildConsent.objects.filter(child=mia, kind="photos").exists()
    # Amira and Leo, still at the centre, keep everything.
    assert Child.objects.filter(full_name__in=["Amira Patel", "Leo Brown"]).count() == 2
    assert AuthorisedAdult.objects.get(pk=centre.omar.pk).full_name == "Omar Patel"

    again = retention.run_retention(centre.coop, today=date(2029, 8, 2))
    assert again.counts[Kind.CHILDCARE_RECORDS] == {"done": 0, "held": 0}


def test_a_dry_run_counts_the_child_and_changes_nothing(centre, mia):
    report = retention.run_retention(centre.coop, today=date(2029, 8, 1), dry_run=True)

    assert report.counts[Kind.CHILDCARE_RECORDS] == {"done": 1, "held": 0}
    mia.refresh_from_db()
    assert mia.full_name == "Mia Patel"
    assert Guardian.objects.filter(full_name="Karim Patel").exists()


def test_another_cooperatives_children_are_left_alone(centre, mia):
    other = factories.CooperativeFactory(country="GB", runs_childcare=True)

    report = retention.run_retention(other, today=date(2029, 8, 1))

    assert report.counts[Kind.CHILDCARE_RECORDS] == {"done": 0, "held": 0}
    mia.refresh_from_db()
    assert mia.full_name == "Mia Patel"


def test_a_guardian_forgotten_loses_the_circle_role_their_login_had(centre, mia):
    karim_user = factories.UserFactory(username="karim")
    karim = Guardian.objects.get(children=mia, full_name="Karim Patel")
    karim.user = karim_user
    karim.save(update_fields=["user"])
    CooperativeRole.objects.create(user=karim_user, cooperative=centre.coop, role=Role.CIRCLE)

    retention.run_retention(centre.coop, today=date(2029, 8, 1))

    assert not CooperativeRole.objects.filter(user=karim_user, cooperative=centre.coop).exists()
    assert not access.children_visible_to(karim_user, centre.coop, {Role.CIRCLE}).exists()
    # Hana is still Amira's guardian: her login keeps its role.
    assert CooperativeRole.objects.filter(
        user=centre.hana_user, cooperative=centre.coop, role=Role.CIRCLE
    ).exists()


def test_a_guardian_forgotten_keeps_the_role_while_in_a_persons_circle(centre, mia):
    karim_user = factories.UserFactory(username="karim")
    Guardian.objects.filter(children=mia, full_name="Karim Patel").update(user=karim_user)
    CooperativeRole.objects.create(user=karim_user, cooperative=centre.coop, role=Role.CIRCLE)
    grandmother = factories.person_cared_for(centre.coop)
    add_to_circle(
        grandmother,
        user=karim_user,
        full_name="Karim Patel",
        relationship="family",
        granted_on=date(2026, 1, 5),
    )

    retention.run_retention(centre.coop, today=date(2029, 8, 1))

    assert CooperativeRole.objects.filter(
        user=karim_user, cooperative=centre.coop, role=Role.CIRCLE
    ).exists()
