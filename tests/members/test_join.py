"""Applying to become a member on the cooperative's public page: no login, the statutes'
shares, consent, a rate limit per address, a trap for robots, one cooperative at a time; the
board then admits or rejects the application."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError

from coopcare.accounts import ratelimit
from coopcare.cooperatives.models import Role
from coopcare.members import rules, services
from coopcare.members.models import Member, MemberStatus
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_counters(monkeypatch):
    """The rate limit counts in the cache, which outlives a test; its clock stands still."""
    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_class(coop):
    return factories.StakeholderClassFactory(
        cooperative=coop,
        name="Families",
        share_value=Decimal("25.00"),
        min_shares=2,
        open_to_applications=True,
    )


def form(open_class, **changes):
    return {
        "full_name": "Giulia Neri",
        "email": "giulia@example.org",
        "phone": "+39 051 000000",
        "address": "Via Zamboni 3, Bologna",
        "stakeholder_class": open_class.pk,
        "shares": 2,
        "consented": "on",
        "website": "",
    } | changes


def test_a_person_applies_and_the_board_and_they_are_told(
    client, coop, open_class, board_user, django_capture_on_commit_callbacks
):
    page = client.get("/c/cura/join/")
    assert page.status_code == 200 and "Families" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/c/cura/join/", form(open_class))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    member = Member.objects.get()
    assert (member.status, member.full_name, member.phone, member.address) == (
        MemberStatus.APPLICANT,
        "Giulia Neri",
        "+39 051 000000",
        "Via Zamboni 3, Bologna",
    )
    assert member.consented_at is not None
    assert services.share_balance(member).capital == Decimal("50.00")
    to_applicant, to_board = sorted(mail.outbox, key=lambda m: m.to != ["giulia@example.org"])
    assert to_applicant.subject == "Your application to Cura Insieme"
    assert "2 shares, 50.00 EUR" in to_applicant.body
    assert to_board.to == [board_user.email]
    assert f"/c/cura/members/{member.pk}/" in to_board.body
    assert "Via Zamboni" not in to_board.body and "+39" not in to_board.body


def test_the_board_admits_an_application_from_the_page(client, coop, open_class, board_user):
    client.post("/c/cura/join/", form(open_class))
    member = Member.objects.get()
    factories.log_in(client, board_user)
    detail = client.get(f"/c/cura/members/{member.pk}/").content.decode()
    assert "Via Zamboni 3" in detail and "agreed to the privacy notice" in detail
    response = client.post(
        f"/c/cura/members/{member.pk}/admit/", {"admit-on": "2026-11-23", "admit-reason": ""}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.ADMITTED and member.number == 1


def test_the_board_rejects_an_application(coop, open_class):
    member = services.apply_from_outside(
        coop, **_service_fields(open_class), consented=True, language="en"
    )
    services.reject(member, date(2026, 11, 23), "Outside our area")
    member.refresh_from_db()
    assert member.status == MemberStatus.REJECTED


def _service_fields(open_class, **changes):
    return {
        "full_name": "Giulia Neri",
        "email": "giulia@example.org",
        "phone": "",
        "address": "",
        "stakeholder_class": open_class,
        "shares": 2,
    } | changes


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"shares": 1}, "too_few_shares"),
        ({"shares": 4_000_000}, "capital_above_register_limit"),
        ({"consented": False}, "consent_missing"),
    ],
)
def test_applications_outside_the_statutes_are_refused(coop, open_class, changes, code):
    fields = _service_fields(open_class) | {"consented": True} | changes
    with pytest.raises(ValidationError) as refused:
        services.apply_from_outside(coop, language="en", **fields)
    assert [e.code for e in refused.value.error_list] == [code]
    assert not Member.objects.exists()


def test_a_class_closed_to_applications_is_refused(coop, open_class, supporter_class):
    fields = _service_fields(open_class, stakeholder_class=supporter_class, shares=1)
    with pytest.raises(ValidationError) as refused:
        services.apply_from_outside(coop, language="en", consented=True, **fields)
    assert [e.code for e in refused.value.error_list] == ["class_not_open"]


def test_the_rules_of_a_public_application():
    assert (
        rules.public_application_problems(
            open_to_applications=True,
            shares=3,
            min_shares=2,
            share_value=Decimal("25"),
            consented=True,
        )
        == []
    )
    problems = rules.public_application_problems(
        open_to_applications=False, shares=1, min_shares=2, share_value=Decimal(25), consented=False
    )
    assert [p.code for p in problems] == ["class_not_open", "too_few_shares", "consent_missing"]


def test_the_page_shows_a_broken_rule_and_saves_nothing(client, coop, open_class):
    response = client.post("/c/cura/join/", form(open_class, shares=1, consented=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "at least 2 shares" in page and "Agree to the privacy notice" in page
    assert not Member.objects.exists()


def test_the_page_offers_only_classes_open_to_applications(
    client, coop, open_class, supporter_class
):
    response = client.post(
        "/c/cura/join/", form(open_class, stakeholder_class=supporter_class.pk, shares=1)
    )
    assert response.status_code == 400
    assert not Member.objects.exists()


def test_a_robot_filling_the_trap_is_thanked_and_nothing_is_saved(
    client, coop, open_class, board_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/c/cura/join/", form(open_class, website="http://spam.example"))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not Member.objects.exists() and mail.outbox == []


def test_applications_from_one_address_are_limited(client, coop, open_class, settings):
    settings.MEMBERSHIP_APPLICATIONS_PER_ADDRESS = "2/h"
    for n in range(2):
        client.post("/c/cura/join/", form(open_class, email=f"p{n}@example.org"))
    response = client.post("/c/cura/join/", form(open_class, email="p3@example.org"))
    assert response.status_code == 429
    assert Member.objects.count() == 2
    elsewhere = client.post(
        "/c/cura/join/", form(open_class, email="p4@example.org"), REMOTE_ADDR="203.0.113.9"
    )
    assert elsewhere.status_code == 200 and Member.objects.count() == 3


def test_each_cooperative_takes_applications_to_its_own_classes(client, coop, open_class):
    other = factories.CooperativeFactory(slug="altra")
    response = client.post("/c/altra/join/", form(open_class))
    assert response.status_code == 400  # no class of its own is open: nothing is saved
    assert not Member.objects.exists()
    assert "Families" not in client.get("/c/altra/join/").content.decode()
    with pytest.raises(ValidationError) as refused:
        services.apply_from_outside(
            other, language="en", consented=True, **_service_fields(open_class)
        )
    assert refused.value.code == "class_of_another_cooperative"
    assert client.get("/c/nowhere/join/").status_code == 404


def test_the_privacy_notice_is_public(client, coop):
    response = client.get("/c/cura/join/privacy/")
    assert response.status_code == 200 and "Cura Insieme" in response.content.decode()


def test_a_logged_in_user_of_another_role_applies_like_anyone(client, coop, open_class):
    factories.log_in(client, factories.user_with_role(coop, Role.CARER))
    assert client.post("/c/cura/join/", form(open_class)).status_code == 200
    assert Member.objects.get().user is None
