"""The demo's conversation: the family login's relative, the office and a carer have written,
one message needs action, and the family login may write to the carers at once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Relationship
from coopcare.conversations.models import Message, NeedsAction, Side
from coopcare.cooperatives.models import Role
from coopcare.demo.conversations import ConversationSeeder
from tests import factories


@pytest.mark.django_db
def test_the_family_login_has_a_conversation_and_may_write_to_the_carers(
    client, coop, coordinator, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    person = factories.person_cared_for(coop)
    carer = factories.user_with_role(coop, Role.CARER, username="carer")
    factories.care_plan(person, valid_from=today - timedelta(days=30))
    factories.recorded_visit(factories.visit(person, [carer], day=today - timedelta(days=2)), carer)
    family = factories.user_with_role(coop, Role.CIRCLE, username="family")
    care_services.add_to_circle(
        person,
        user=family,
        full_name="Family",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        granted_by=person.full_name,
        granted_on=date(2026, 1, 1),
    )
    assert ConversationSeeder(today, coop, coordinator).run() == {"messages": 4}
    sides = list(Message.objects.values_list("side", flat=True))
    assert sides == [Side.CIRCLE, Side.OFFICE, Side.CARER, Side.CIRCLE]
    flag = NeedsAction.objects.get()
    assert flag.message.author == family and flag.done_at is None

    factories.log_in(client, family)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/c/{coop.slug}/conversations/{person.pk}/", {"text": "See you on Thursday"}
        )
    assert response.status_code == 302
    assert Message.objects.last().author == family
    factories.log_in(client, carer)
    thread = client.get(f"/c/{coop.slug}/conversations/{person.pk}/").content.decode()
    assert "See you on Thursday" in thread
