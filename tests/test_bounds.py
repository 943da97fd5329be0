"""Bounds at the edge: what a form or the API accepts as a date, a time or a number."""

from datetime import date

import pytest
from django import forms

from coopcare.bounds import DayField, MomentField
from coopcare.cooperatives.models import Role
from coopcare.work.forms import ContractForm, WorkRulesForm
from tests import factories


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_a_day_outside_1900_to_2100_is_refused(typed):
    field = DayField()
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert [e.code for e in refused.value.error_list] == ["out_of_range"]
    assert field.clean("2026-11-22") == date(2026, 11, 22)


def test_a_moment_outside_1900_to_2100_is_refused():
    with pytest.raises(forms.ValidationError):
        MomentField().clean("9999-12-31 23:59")


def test_model_forms_bound_their_dates_and_integers(db):
    contract = ContractForm()
    assert isinstance(contract.fields["starts_on"], DayField)
    rules = WorkRulesForm()
    # The column's range on this database (2³¹ − 1 on PostgreSQL, 2⁶³ − 1 on SQLite).
    assert rules.fields["reference_weeks"].max_value is not None
    too_many = {"reference_weeks": str(2**64)}
    assert "reference_weeks" in WorkRulesForm(too_many).errors


def test_the_impact_page_refuses_a_period_no_one_keeps_records_for(client, coop):
    """``?starts_on=0001-01-01&ends_on=9999-12-31`` answered 500: now a form error, and the
    page shows the year so far."""
    factories.log_in(client, factories.user_with_role(coop, Role.COORDINATOR))
    asked = {"starts_on": "0001-01-01", "ends_on": "9999-12-31"}
    page = client.get(f"/c/{coop.slug}/impact/", asked)
    assert page.status_code == 200
    assert page.context["form"].errors
