"""Logins and roles: the one way a cooperative gives someone a role."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.cooperatives.services import add_login, grant_role
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_login_has_the_role_and_no_password_anyone_knows():
    coop = CooperativeFactory()
    user = add_login(
        coop,
        email=" Rosa.Bianchi@Example.org ",
        first_name="Rosa",
        last_name="Bianchi",
        role=Role.CARER,
    )
    assert user.username == user.email == "rosa.bianchi@example.org"
    assert not user.has_usable_password()
    assert list(CooperativeRole.objects.filter(user=user).values_list("cooperative", "role")) == [
        (coop.pk, Role.CARER)
    ]


def test_an_email_that_is_already_a_login_is_refused_and_nothing_is_written():
    UserFactory(username="someone", email="taken@example.org")
    coop = CooperativeFactory()
    with pytest.raises(ValidationError) as refused:
        add_login(coop, email="TAKEN@example.org", first_name="A", last_name="B", role=Role.CARER)
    assert refused.value.error_list[0].code == "login_elsewhere"
    assert get_user_model().objects.count() == 1
    assert not CooperativeRole.objects.filter(cooperative=coop).exists()


def test_granting_a_role_twice_changes_nothing():
    coop, user = CooperativeFactory(), UserFactory()
    first = grant_role(coop, user, Role.BOARD)
    assert grant_role(coop, user, Role.BOARD) == first
    assert CooperativeRole.objects.filter(user=user).count() == 1
