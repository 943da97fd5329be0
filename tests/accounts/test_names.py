"""People are named and chosen by name, not by login."""

import pytest
from django.contrib.auth import get_user_model

from coopcare.accounts.names import PersonChoiceField, display_name
from coopcare.care.forms import CircleForm
from coopcare.cooperatives.models import Role
from tests import factories


def test_a_name_is_the_full_name_else_the_login():
    User = get_user_model()
    assert display_name(User(username="cura-carer41", first_name="Zoe", last_name="Abate")) == (
        "Zoe Abate"
    )
    assert display_name(User(username="cura-carer41")) == "cura-carer41"


@pytest.mark.django_db
def test_a_choice_of_people_shows_names_sorted_with_a_box_to_find_one(coop):
    for username, first, last in [
        ("cura-carer41", "Zoe", "Abate"),
        ("cura-carer02", "Anna", "Rossi"),
        ("cura-carer17", "Bruno", "Conti"),
    ]:
        factories.user_with_role(
            coop, Role.CARER, username=username, first_name=first, last_name=last
        )
    field = PersonChoiceField(queryset=get_user_model().objects.all())
    labels = [label for value, label in field.choices if value]
    assert labels == ["Zoe Abate", "Bruno Conti", "Anna Rossi"]
    html = field.widget.render("carer", None, {"id": "id_carer"})
    assert 'data-choose="id_carer"' in html and "coopcare/choose.js" in html
    assert html.index("<input") < html.index("<select")


@pytest.mark.django_db
def test_the_circle_login_is_chosen_by_name(coop):
    person = factories.person_cared_for(coop)
    factories.user_with_role(
        coop, Role.CIRCLE, username="cura-circle9", first_name="Lia", last_name="Bassi"
    )
    factories.user_with_role(coop, Role.CARER, username="cura-carer1", first_name="Not")
    form = CircleForm(person=person)
    labels = [label for value, label in form.fields["user"].choices if value]
    assert labels == ["Lia Bassi"]
    assert form.fields["user"].required is False
