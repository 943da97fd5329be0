"""The retention page: who sees it, a period set with its reason, a hold placed and released,
a run made now and its report shown; a bad form saves nothing."""

import pytest

from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.models import Role
from coopcare.retention.models import LegalHold, RetentionPeriod, RetentionRun
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_board_reads_the_page_and_a_carer_may_not(client, coop, board_user, carer):
    factories.log_in(client, board_user)
    page = client.get(f"/c/{coop.slug}/retention/")
    assert page.status_code == 200
    assert "Ley 41/2002" not in page.content.decode()  # an Italian cooperative's defaults
    assert "Libro unico del lavoro" in page.content.decode()
    factories.log_in(client, carer)
    assert client.get(f"/c/{coop.slug}/retention/").status_code == 403


def test_a_period_is_set_with_its_reason_and_a_bad_one_saves_nothing(client, coop, coordinator):
    factories.log_in(client, coordinator)
    url = f"/c/{coop.slug}/retention/periods/"
    bad = client.post(url, {"kind": "messages", "years": 3, "reason": "   "})
    assert bad.status_code == 400
    assert not RetentionPeriod.objects.exists()
    done = client.post(url, {"kind": "messages", "years": 3, "reason": "The DPO's advice."})
    assert done.status_code == 302
    period = RetentionPeriod.objects.get(cooperative=coop)
    assert (period.kind, period.years, period.set_by) == ("messages", 3, coordinator)
    assert "The DPO&#x27;s advice." in client.get(f"/c/{coop.slug}/retention/").content.decode()


def test_a_hold_is_placed_and_released(client, coop, coordinator):
    person = factories.person_cared_for(coop)
    factories.log_in(client, coordinator)
    placed = client.post(
        f"/c/{coop.slug}/retention/holds/", {"person": person.pk, "reason": "complaint", "note": ""}
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get(person=person)
    assert client.post(f"/c/{coop.slug}/retention/holds/{hold.pk}/release/").status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == coordinator


def test_a_run_now_is_reported_on_the_page(client, coop, coordinator, past):
    free, _held = past
    factories.log_in(client, coordinator)
    assert client.post(f"/c/{coop.slug}/retention/run/").status_code == 302
    run = RetentionRun.objects.get(cooperative=coop)
    assert run.run_by == coordinator
    assert PersonCaredFor.objects.get(pk=free.pk).full_name == "#1"
    page = client.get(f"/c/{coop.slug}/retention/").content.decode()
    assert "Kept by a hold" in page


def test_the_board_may_not_run_retention(client, coop, board_user):
    factories.log_in(client, board_user)
    assert client.post(f"/c/{coop.slug}/retention/run/").status_code == 403
    assert not RetentionRun.objects.exists()


def test_another_role_in_the_cooperative_is_not_enough(client, coop):
    member = factories.user_with_role(coop, Role.CIRCLE, username="family")
    factories.log_in(client, member)
    assert client.get(f"/c/{coop.slug}/retention/").status_code == 403
