"""A coordinator gives the person a new confirmation code (on the person's page or through the
API); it is shown that once, and the old code no longer confirms a visit. Carers cannot."""

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care import services
from coopcare.cooperatives.models import Role
from coopcare.visits import services as visit_services
from coopcare.visits.models import WrongConfirmationCode
from tests import factories
from tests.care.test_api import api


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER)


@pytest.fixture
def person(coop, carer):
    """A person with a visit today, so that their carer may open their record."""
    person = factories.person_cared_for(coop, full_name="Rosa Bianchi")
    factories.visit(person, [carer], day=timezone.localdate())
    return person


def shows(html: str, code: str) -> bool:
    """Whether ``code`` is on the page as a number of its own (not inside a longer one)."""
    return re.search(rf"(?<![0-9]){code}(?![0-9])", html) is not None


def code_of(person) -> str:
    person.refresh_from_db()
    return person.confirmation_code


def test_renewing_changes_the_code_and_the_old_one_no_longer_confirms(coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER)
    person = factories.person_cared_for(coop)
    old = person.confirmation_code
    new = services.renew_confirmation_code(person, coordinator)
    assert new != old and len(new) == 6 and new.isdigit()
    assert code_of(person) == new

    visit = factories.visit(person, [carer])
    visit_services.check_in(
        visit, carer, client_id=uuid4(), at=visit.starts_at, now=visit.starts_at
    )

    def leave(code):
        return visit_services.check_out(
            visit,
            carer,
            client_id=uuid4(),
            at=visit.starts_at + timedelta(minutes=40),
            steps=[{"step": s, "done": True} for s in visit.task.step_list],
            code=code,
            now=visit.starts_at + timedelta(minutes=41),
        )

    with pytest.raises(ValidationError) as refused:
        leave(old)
    assert refused.value.error_list[0].code == "wrong_confirmation_code"
    assert WrongConfirmationCode.objects.count() == 1
    assert leave(new).record.verified_how == "code"


def test_a_coordinator_makes_a_new_code_on_the_persons_page(client, coop, coordinator, person):
    factories.log_in(client, coordinator)
    old = person.confirmation_code
    page = client.get(f"/c/cura/people/{person.pk}/").content.decode()
    # The code is not on the page: it is shown only when it is made.
    assert not shows(page, old)
    assert f'action="/c/cura/people/{person.pk}/confirmation-code/"' in page

    response = client.post(f"/c/cura/people/{person.pk}/confirmation-code/")
    assert response.status_code == 200
    new = code_of(person)
    assert new != old
    html = response.content.decode()
    assert f'<code class="token">{new}</code>' in html
    assert "it will not be shown again" in html
    assert "no-store" in response["Cache-Control"]
    # Not on the page once it is drawn again.
    assert not shows(client.get(f"/c/cura/people/{person.pk}/").content.decode(), new)


def test_the_new_code_page_takes_only_a_post(client, coordinator, person):
    factories.log_in(client, coordinator)
    old = person.confirmation_code
    assert client.get(f"/c/cura/people/{person.pk}/confirmation-code/").status_code == 405
    assert code_of(person) == old


def test_only_a_coordinator_makes_a_new_code_on_the_page(client, carer, coordinator, person):
    factories.log_in(client, carer)
    old = person.confirmation_code
    page = client.get(f"/c/cura/people/{person.pk}/")
    assert page.status_code == 200
    assert "confirmation-code" not in page.content.decode()
    assert client.post(f"/c/cura/people/{person.pk}/confirmation-code/").status_code == 403
    assert code_of(person) == old
    factories.log_in(client, coordinator)
    assert client.post(f"/c/cura/people/{person.pk}/confirmation-code/").status_code == 200
    assert code_of(person) != old


def test_a_coordinator_gets_a_new_code_through_the_api(client, coordinator, person):
    old = person.confirmation_code
    response = api(client, coordinator)(f"/{person.pk}/confirmation-code", {})
    assert response.status_code == 200
    body = response.json()
    assert body == {"person_id": person.pk, "confirmation_code": code_of(person)}
    assert body["confirmation_code"] != old
    assert "no-store" in response["Cache-Control"]


def test_a_carer_cannot_get_a_new_code_through_the_api(client, carer, person):
    old = person.confirmation_code
    response = api(client, carer)(f"/{person.pk}/confirmation-code", {})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert code_of(person) == old


def test_a_person_of_another_cooperative_is_404(client, coordinator, person):
    elsewhere = factories.person_cared_for(factories.CooperativeFactory(slug="altrove"))
    old, own = elsewhere.confirmation_code, person.confirmation_code
    call = api(client, coordinator)
    response = call(f"/{elsewhere.pk}/confirmation-code", {})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert code_of(elsewhere) == old
    # The same call for a person of the coordinator's own cooperative is answered.
    assert call(f"/{person.pk}/confirmation-code", {}).status_code == 200
    assert code_of(person) != own
