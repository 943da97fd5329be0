"""Pages and API of instalments, mandates, collections and certificates: who sees what."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from coopcare.accounts.models import ApiToken
from coopcare.members import services
from coopcare.members.models import Collection, ShareEntry
from tests import factories
from tests.members.conftest import IBAN_ES


def _member_client(client, coop, supporter_class):
    """A member with a login, their mandate and instalments, logged in."""
    user = factories.UserFactory(username="anna")
    member = factories.admitted_member(supporter_class, paid=Decimal(50), shares=4, user=user)
    services.plan_instalments(member, 3, date(2026, 12, 1))
    services.sign_mandate(member, debtor_name="Anna", iban=IBAN_ES, signed_on=date(2026, 11, 2))
    return factories.log_in(client, user), member


def test_a_member_sees_their_mandate_masked_and_no_one_elses(client, coop, supporter_class):
    client, member = _member_client(client, coop, supporter_class)
    other = factories.admitted_member(supporter_class)
    page = client.get(reverse("members:detail", args=[coop.slug, member.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "ES•• •••• 1332" in text and IBAN_ES not in text
    assert client.get(reverse("members:detail", args=[coop.slug, other.pk])).status_code == 404
    assert client.get(reverse("members:certificate", args=[coop.slug, other.pk])).status_code == 404
    assert client.get(reverse("members:collections", args=[coop.slug])).status_code == 403


def test_a_member_downloads_their_own_certificate(client, coop, supporter_class):
    client, member = _member_client(client, coop, supporter_class)
    answer = client.get(
        reverse("members:certificate", args=[coop.slug, member.pk]), {"on": "2026-03-01"}
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    bad = client.get(reverse("members:certificate", args=[coop.slug, member.pk]), {"on": "x"})
    assert bad.status_code == 400


def test_the_office_sees_the_whole_iban(board_client, coop, supporter_class):
    member = factories.admitted_member(supporter_class)
    services.sign_mandate(member, debtor_name="X", iban=IBAN_ES, signed_on=date(2026, 11, 2))
    page = board_client.get(reverse("members:detail", args=[coop.slug, member.pk]))
    assert IBAN_ES in page.content.decode()


def test_a_refused_collection_lists_the_reasons_on_the_page(
    board_client, coop, creditor, supporter_class
):
    member = factories.admitted_member(supporter_class, paid=0, full_name="Bruno Neri")
    services.plan_instalments(member, 1, date(2026, 1, 1))
    answer = board_client.post(
        reverse("members:collections", args=[coop.slug]),
        {"make": "1", "due_up_to": "2030-01-01", "collection_date": "2030-01-04"},
    )
    assert answer.status_code == 400
    assert "Bruno Neri has no direct debit mandate in force." in answer.content.decode()
    assert not Collection.objects.exists()


def test_the_office_makes_downloads_and_confirms_a_collection(
    board_client, coop, creditor, paying_member
):
    made = board_client.post(
        reverse("members:collections", args=[coop.slug]),
        {"make": "1", "due_up_to": "2030-01-01", "collection_date": "2030-01-04"},
    )
    collection = Collection.objects.get()
    assert made.status_code == 302
    xml = board_client.get(reverse("members:collection_file", args=[coop.slug, collection.pk]))
    assert (
        xml["Content-Type"] == "application/xml" and collection.message_id in xml.content.decode()
    )
    debit = collection.debits.first()
    board_client.post(
        reverse("members:return_debit", args=[coop.slug, collection.pk, debit.pk]),
        {"reason": "AM04"},
    )
    before = ShareEntry.objects.count()
    board_client.post(
        reverse("members:collection", args=[coop.slug, collection.pk]), {"on": "2030-01-04"}
    )
    assert ShareEntry.objects.count() == before + 2  # three instalments, one returned


def test_the_api_masks_the_iban_for_the_member_and_refuses_with_codes(
    client, coop, supporter_class, board_user
):
    _client, member = _member_client(client, coop, supporter_class)
    _token, raw = ApiToken.issue(member.user, "test")
    url = f"/api/cooperatives/{coop.slug}/members/{member.pk}/mandates"
    answer = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200 and answer.json()[0]["iban"] == "ES•• •••• 1332"
    _token, office = ApiToken.issue(board_user, "test")
    refused = client.post(
        f"/api/cooperatives/{coop.slug}/collections",
        {"due_up_to": "2030-01-01", "collection_date": "2030-01-04"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {office}",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "creditor_missing"
    bad = client.post(
        url,
        {"debtor_name": "X", "iban": "IT61X0542811101000000123456", "signed_on": "2026-11-02"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {office}",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "iban_invalid"
