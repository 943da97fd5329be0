"""The time credit pages: a member's balance, the board, an exchange, the coordinators'
balances and reversals; none of them where the cooperative does not exchange time credits."""

from decimal import Decimal

import pytest

from coopcare.timecredits.models import CreditEntry, EntryKind, Exchange, ExchangeStatus, Terms
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_member_posts_on_the_board_and_another_takes_it_up_and_confirms(
    client, coop, anna, bruno
):
    factories.log_in(client, anna.user)
    board = f"/c/{coop.slug}/time-credits/board/"
    assert (
        client.post(board, {"direction": "offer", "kind": "lift", "words": ""}).status_code == 400
    )
    response = client.post(board, {"direction": "offer", "kind": "lift", "words": "To the clinic"})
    assert response.status_code == 302
    lift = Exchange.objects.get()
    page = f"/c/{coop.slug}/time-credits/exchanges/{lift.pk}/"
    factories.log_in(client, bruno.user)
    assert "To the clinic" in client.get(board).content.decode()
    assert client.post(page, {"action": "accept"}).status_code == 302
    response = client.post(page, {"action": "confirm", "hours": "1.1", "done_on": "2026-11-20"})
    assert response.status_code == 400
    assert "hours" in response.context["form"].errors
    assert not CreditEntry.objects.exists()
    response = client.post(page, {"action": "confirm", "hours": "1.5", "done_on": "2026-11-20"})
    assert response.status_code == 302
    assert Exchange.objects.get().status == ExchangeStatus.DONE
    mine = client.get(f"/c/{coop.slug}/time-credits/")
    assert mine.status_code == 200
    assert mine.context["balance"] == Decimal("-1.5")


def test_the_coordinator_sets_the_terms_and_reverses_an_exchange(
    client, coop, coordinator, anna, bruno
):
    lift = factories.time_exchange(anna, bruno)
    factories.log_in(client, coordinator)
    balances = f"/c/{coop.slug}/time-credits/balances/"
    page = client.get(balances)
    assert page.status_code == 200
    assert {m.full_name: m.balance for m in page.context["members"]} == {
        "Anna Bianchi": Decimal("1.5"),
        "Bruno Verdi": Decimal("-1.5"),
    }
    terms = {"most_hours": "4", "overdraft": "5", "welcome_hours": "1"}
    assert client.post(balances, terms).status_code == 302
    assert Terms.objects.get(cooperative=coop).welcome_hours == 1
    given = lift.entries.get(kind=EntryKind.GIVEN)
    reversal = f"/c/{coop.slug}/time-credits/entries/{given.pk}/reversal/"
    assert client.get(reversal).status_code == 200
    assert client.post(reversal, {"reason": ""}).status_code == 400
    assert client.post(reversal, {"reason": "Entered twice"}).status_code == 302
    assert CreditEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 2


def test_members_do_not_reach_the_coordinators_pages(client, coop, anna):
    factories.log_in(client, anna.user)
    assert client.get(f"/c/{coop.slug}/time-credits/balances/").status_code == 403


def test_no_pages_where_the_cooperative_does_not_exchange_time_credits(client, coop, anna):
    coop.runs_time_credits = False
    coop.save()
    factories.log_in(client, anna.user)
    assert client.get(f"/c/{coop.slug}/time-credits/").status_code == 404
    assert client.get(f"/c/{coop.slug}/time-credits/board/").status_code == 404
