"""Member register and share ledger pages: who may do what, and errors that change nothing."""

from datetime import date
from decimal import Decimal

from coopcare.cooperatives.models import Role
from coopcare.members import services
from coopcare.members.models import Member, MemberStatus, ShareEntry
from tests import factories


def test_board_records_an_application_then_admits(board_client, coop, supporter_class):
    response = board_client.post(
        f"/c/{coop.slug}/members/apply/",
        {
            "full_name": "Rosa Bianchi",
            "email": "rosa@example.org",
            "stakeholder_class": supporter_class.pk,
            "shares": 2,
            "first_payment": "50.00",
            "applied_on": "2026-03-01",
        },
    )
    member = Member.objects.get(full_name="Rosa Bianchi")
    assert response.status_code == 302 and response.url == f"/c/{coop.slug}/members/{member.pk}/"
    assert services.share_balance(member).unpaid == Decimal(50)

    response = board_client.post(
        f"/c/{coop.slug}/members/{member.pk}/admit/", {"admit-on": "2026-03-10"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.ADMITTED and member.number == 1
    page = board_client.get(f"/c/{coop.slug}/members/{member.pk}/")
    assert b"Rosa Bianchi" in page.content and b"admitted by the board" in page.content


def test_overpayment_shows_the_rule_and_writes_nothing(board_client, coop, supporter_class):
    member = factories.admitted_member(supporter_class, paid=40)
    before = ShareEntry.objects.count()
    response = board_client.post(
        f"/c/{coop.slug}/members/{member.pk}/pay/",
        {"pay-amount": "25.00", "pay-on": "2026-03-01", "pay-reference": "cash"},
    )
    assert response.status_code == 400
    assert "above the 50.00 subscribed" in response.content.decode()
    assert ShareEntry.objects.count() == before


def test_invalid_form_input_is_reported(board_client, coop, supporter_class):
    member = factories.admitted_member(supporter_class)
    response = board_client.post(
        f"/c/{coop.slug}/members/{member.pk}/pay/", {"pay-amount": "-5", "pay-on": "not a date"}
    )
    assert response.status_code == 400
    assert b"Enter a valid date" in response.content


def test_second_membership_through_the_form_is_refused(board_client, coop, supporter_class):
    factories.applicant(supporter_class, email="rosa@example.org")
    response = board_client.post(
        f"/c/{coop.slug}/members/apply/",
        {
            "full_name": "Rosa again",
            "email": "Rosa@Example.org",
            "stakeholder_class": supporter_class.pk,
            "shares": 1,
            "first_payment": "0",
            "applied_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert b"already on the register" in response.content
    assert Member.objects.count() == 1


def test_coordinator_may_record_payments_but_not_admit(client, coop, supporter_class, coordinator):
    factories.log_in(client, coordinator)
    member = factories.applicant(supporter_class)
    response = client.post(f"/c/{coop.slug}/members/{member.pk}/admit/", {"admit-on": "2026-03-01"})
    assert response.status_code == 403
    response = client.post(
        f"/c/{coop.slug}/members/{member.pk}/pay/", {"pay-amount": "50", "pay-on": "2026-03-01"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.APPLICANT
    assert services.share_balance(member).paid == Decimal(50)


def test_a_member_sees_only_their_own_entry(client, coop, supporter_class):
    user = factories.UserFactory()
    mine = factories.admitted_member(supporter_class, user=user)
    other = factories.admitted_member(supporter_class)
    factories.log_in(client, user)
    own_view = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert f'href="/c/{coop.slug}/members/{mine.pk}/"' in own_view
    assert f"/members/{other.pk}/" not in own_view
    assert client.get(f"/c/{coop.slug}/members/{mine.pk}/").status_code == 200
    assert client.get(f"/c/{coop.slug}/members/{other.pk}/").status_code == 404
    assert client.get(f"/c/{coop.slug}/members/").status_code == 403
    assert client.get(f"/c/{coop.slug}/shares/").status_code == 403


def test_a_carer_who_is_not_a_member_has_no_register_access(client, coop, supporter_class):
    member = factories.admitted_member(supporter_class)
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.get(f"/c/{coop.slug}/").status_code == 200
    assert client.get(f"/c/{coop.slug}/members/{member.pk}/").status_code == 403


def test_register_search_with_htmx_returns_the_table(board_client, coop, supporter_class):
    factories.admitted_member(supporter_class, full_name="Oksana Kovalenko")
    factories.admitted_member(supporter_class, full_name="Marco Rossi")
    response = board_client.get(f"/c/{coop.slug}/members/?q=oksa", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Oksana Kovalenko" in body and "Marco Rossi" not in body
    assert "<html" not in body


def test_ledger_page_shows_totals(board_client, coop, supporter_class):
    factories.admitted_member(supporter_class, shares=2, paid=60)
    response = board_client.get(f"/c/{coop.slug}/shares/")
    assert response.context["totals"] == {
        "shares": 2,
        "capital": Decimal("100.00"),
        "paid": Decimal("60.00"),
        "unpaid": Decimal("40.00"),
    }


def test_board_sets_class_weights_only_within_scic_bounds(
    board_client, coop, supporter_class, worker_class
):
    def post(weights):
        data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
        for i, (cls, weight) in enumerate(
            zip([supporter_class, worker_class], weights, strict=True)
        ):
            data |= {
                f"form-{i}-id": cls.pk,
                f"form-{i}-vote_weight": weight,
                f"form-{i}-vote_weight_cap": "",
                f"form-{i}-min_shares": cls.min_shares,
                f"form-{i}-share_value": cls.share_value,
                f"form-{i}-probation_days": cls.probation_days,
            }
        return board_client.post(f"/c/{coop.slug}/classes/", data)

    response = post(["70", "30"])
    assert response.status_code == 200
    assert "the statutes allow 10 % to 50 %" in response.content.decode()
    supporter_class.refresh_from_db()
    assert supporter_class.vote_weight is None
    assert post(["50", "50"]).status_code == 302
    supporter_class.refresh_from_db()
    assert supporter_class.vote_weight == Decimal(50)


def test_coordinator_sees_classes_but_cannot_change_them(
    client, coop, coordinator, supporter_class
):
    factories.log_in(client, coordinator)
    assert client.get(f"/c/{coop.slug}/classes/").status_code == 200
    assert client.post(f"/c/{coop.slug}/classes/", {}).status_code == 403


def test_redeem_twice_through_the_page_is_refused(board_client, coop, supporter_class):
    member = factories.admitted_member(supporter_class)
    services.resign(member, date(2026, 3, 1))
    url = f"/c/{coop.slug}/members/{member.pk}/redeem/"
    assert board_client.post(url, {"redeem-on": "2026-03-15"}).status_code == 302
    response = board_client.post(url, {"redeem-on": "2026-03-16"})
    assert response.status_code == 400 and b"already been redeemed" in response.content
    assert member.share_entries.filter(kind="redemption").count() == 1


def test_member_page_offers_only_the_next_steps_for_their_status(
    board_client, coop, supporter_class
):
    waiting = factories.applicant(supporter_class)

    def offered(member):
        context = board_client.get(f"/c/{coop.slug}/members/{member.pk}/").context
        return [name for name, _title, _form in context["action_forms"]]

    forms = offered(waiting)
    assert list(forms)[:2] == ["admit", "reject"] and "redeem" not in forms
    member = factories.admitted_member(supporter_class)
    forms = offered(member)
    assert "admit" not in forms and "resign" in forms
    services.resign(member, date(2026, 3, 1))
    forms = offered(member)
    assert list(forms) == ["redeem"]
