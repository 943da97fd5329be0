"""The demo's retention: at seed time the run anonymises the person whose care ended nine years
ago and keeps, whole, the one an open complaint and a legal hold protect."""

from datetime import date

import pytest

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.demo.retention import FORMER, RetentionSeeder
from coopcare.retention.models import LegalHold, RetentionRun
from coopcare.visits.models import VisitRecord
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_seeded_run_anonymises_the_expired_and_keeps_the_held(coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER, username="carer")
    counts = RetentionSeeder(date(2026, 11, 22), coop, coordinator, carer, "Bologna").run()
    assert counts == {"retention_anonymised": 1}

    (expired_name, _street, expired_notes), (held_name, _street2, held_notes) = FORMER
    assert not PersonCaredFor.objects.filter(full_name=expired_name).exists()
    held = PersonCaredFor.objects.get(full_name=held_name)
    assert VisitRecord.objects.get(person=held).notes == held_notes
    assert not VisitRecord.objects.filter(notes=expired_notes).exists()
    assert LegalHold.objects.get(person=held).open
    run = RetentionRun.objects.get(cooperative=coop)
    assert run.counts["care_records"] == {"done": 1, "held": 1}
