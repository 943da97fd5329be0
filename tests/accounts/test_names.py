"""People are named and chosen by name, not by login."""

import pytest
from django.contrib.auth import get_user_model

from coopcare.accounts.names import PeopleChoiceField, PersonChoiceField, display_name
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


@pytest.fixture
def carers(coop):
    """Three carers whose logins sort otherwise than their surnames."""
    for username, first, last in [
        ("cura-carer41", "Zoe", "Abate"),
        ("cura-carer02", "Anna", "Rossi"),
        ("cura-carer17", "Bruno", "Conti"),
    ]:
        factories.user_with_role(
            coop, Role.CARER, username=username, first_name=first, last_name=last
        )
    return get_user_model().objects.filter(username__startswith="cura-carer")


def _forms_choosing_carers(coop, carers):
    from coopcare.billing.forms import PayerForm
    from coopcare.care.forms import PersonEditForm
    from coopcare.care.models import CareTask
    from coopcare.risks.forms import ReviewForm
    from coopcare.rostering.forms import AddVisitForm, MoveVisitForm
    from coopcare.voice.forms import ComplaintForm

    person = factories.person_cared_for(coop)
    edit = PersonEditForm(cooperative=coop)
    return {
        "a one-off visit's carers": AddVisitForm(tasks=CareTask.objects.none(), carers=carers)[
            "carers"
        ],
        "a moved visit's carers": MoveVisitForm(carers=carers)["carers"],
        "the person's preferred carers": edit["preferred_carers"],
        "the person's refused carers": edit["refused_carers"],
        "a payer's login": PayerForm(coop)["user"],
        "who took part in a review": ReviewForm(person)["carers"],
        "the carer a complaint is about": ComplaintForm(coop)["carer"],
    }


@pytest.mark.django_db
def test_every_choice_of_carers_shows_their_names_sorted_never_their_logins(coop, carers):
    for what, bound in _forms_choosing_carers(coop, carers).items():
        labels = [label for value, label in bound.field.choices if value]
        assert labels == ["Zoe Abate", "Bruno Conti", "Anna Rossi"], what
        html = str(bound)
        assert "cura-carer" not in html, what


@pytest.mark.django_db
def test_a_choice_of_several_people_keeps_what_is_chosen_and_has_a_box_to_find_a_name(carers):
    field = PeopleChoiceField(queryset=carers, required=False)
    html = field.widget.render("carers", None, {"id": "id_carers"})
    assert 'data-choose="id_carers"' in html and "multiple" in html
    chosen = field.clean([str(carers.get(last_name="Conti").pk)])
    assert [display_name(u) for u in chosen] == ["Bruno Conti"]
