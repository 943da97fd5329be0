"""Qualifications give skills while they are valid; training is recorded."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from coopcare.work import queries
from coopcare.work.services import qualifications

# -- qualifications -------------------------------------------------------------------------


def test_skills_come_from_valid_qualifications(coop, carer):
    qualifications.add_qualification(
        coop,
        carer,
        {
            "name": "Moving and handling",
            "skills": "hoist, personal",
            "obtained_on": date(2025, 1, 1),
            "expires_on": date(2026, 12, 1),
        },
    )
    assert queries.skills_on(coop, date(2026, 11, 30))[carer.pk] == {"hoist", "personal"}
    assert carer.pk not in queries.skills_on(coop, date(2026, 12, 1))
    assert queries.qualified_for(coop, ["hoist"], date(2026, 11, 30)) == [carer.pk]
    assert queries.qualified_for(coop, ["hoist", "meds"], date(2026, 11, 30)) == []


def test_expiring_soon_unless_renewed(coop, carer):
    fields = {"name": "First aid", "skills": "first_aid", "obtained_on": date(2024, 1, 1)}
    qualifications.add_qualification(coop, carer, fields | {"expires_on": date(2026, 12, 20)})
    assert [q.name for q in queries.expiring(coop, date(2026, 11, 22))] == ["First aid"]
    qualifications.add_qualification(
        coop, carer, fields | {"obtained_on": date(2026, 11, 10), "expires_on": date(2029, 11, 10)}
    )
    assert queries.expiring(coop, date(2026, 11, 22)) == []


def test_a_qualification_with_no_skill_is_refused(coop, carer):
    with pytest.raises(ValidationError, match="at least one skill"):
        qualifications.add_qualification(
            coop, carer, {"name": "Course", "skills": " , ", "obtained_on": date(2026, 1, 1)}
        )
