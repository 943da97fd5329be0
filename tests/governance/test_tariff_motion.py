"""A motion adopts a tariff's new prices: checked when proposed as the office's prices are,
written from its effect date when it passes, and, if the office recorded later prices while
the vote was open, recorded as not applied, with the coordinators and the board told, without
ever stopping the vote from closing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from coopcare.billing import services as billing
from coopcare.billing.models import TariffVersion
from coopcare.cooperatives.models import Role
from coopcare.governance.forms import MotionForm
from coopcare.governance.models import Decision
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.voting import cast_vote, close_due_votes, open_vote
from tests import factories
from tests.billing.conftest import PRICES, tariff
from tests.governance.conftest import online_window


@pytest.fixture
def care(coop):
    """Personal care at 22.00 an hour on weekdays since 1 January 2026, and its coordinator."""
    coordinator = factories.user_with_role(
        coop, Role.COORDINATOR, username="co", email="co@example.org"
    )
    return tariff(coop, coordinator), coordinator


def _motion(coop, care_tariff, effect=None, effect_from=date(2027, 1, 1)):
    opens, closes = online_window()
    return propose_motion(
        coop,
        title="Fair prices for personal care",
        text="From 2027 personal care costs 24.50 an hour on weekdays and 29.00 on Sundays.",
        opens_at=opens,
        closes_at=closes,
        effect_kind="tariff_version",
        effect={"tariff": care_tariff.pk, "weekday_rate": "24.50", "sunday_rate": "29.00"}
        if effect is None
        else effect,
        effect_from=effect_from,
    )


def _pass(motion, members, closes_at):
    open_vote(motion)
    for member in [*members["Workers"], *members["People cared for"], *members["Supporters"]]:
        cast_vote(motion, member, choice="for")
    assert close_due_votes(closes_at) == 1
    motion.refresh_from_db()
    assert motion.passed


def test_a_passed_motion_adopts_the_tariff_prices_it_carries_from_its_date(
    client, coop, members, care
):
    care_tariff, _ = care
    motion = _motion(coop, care_tariff)
    # The prices it leaves out are the tariff's latest ones.
    assert motion.effect["weekday_rate"] == "24.50"
    assert motion.effect["night_rate"] == str(PRICES["night_rate"])
    assert motion.effect["minimum_minutes"] == 60
    _pass(motion, members, motion.closes_at)
    decision = Decision.objects.get(motion=motion)
    version = decision.tariff_version
    assert (version.tariff, version.valid_from) == (care_tariff, date(2027, 1, 1))
    assert (version.weekday_rate, version.sunday_rate) == (Decimal("24.50"), Decimal("29.00"))
    assert (version.night_rate, version.rounding_minutes) == (PRICES["night_rate"], 15)
    assert decision.effective_from == date(2027, 1, 1) and decision.not_applied == ""
    factories.log_in(client, factories.user_with_role(coop, Role.BOARD))
    page = client.get(f"/c/{coop.slug}/motions/{motion.pk}/").content.decode()
    assert "It adopted new prices for the tariff Personal care." in page


@pytest.mark.parametrize(
    ("effect", "effect_from", "code"),
    [
        ({"tariff": 999999, "weekday_rate": "24"}, date(2027, 1, 1), "effect_tariff_unknown"),
        ({"weekday_rate": "24"}, date(2027, 1, 1), "effect_tariff_unknown"),
        (None, date(2026, 1, 1), "tariff_version_not_after_latest"),
        ("bad rate", date(2027, 1, 1), "effect_price_invalid"),
    ],
)
def test_a_motion_whose_prices_the_office_could_not_record_is_refused_when_proposed(
    coop, care, effect, effect_from, code
):
    care_tariff, _ = care
    if effect == "bad rate":
        effect = {"tariff": care_tariff.pk, "weekday_rate": "a lot"}
    with pytest.raises(ValidationError) as refused:
        _motion(coop, care_tariff, effect, effect_from)
    assert code in [e.code for e in refused.value.error_list]


def test_prices_out_of_bounds_are_refused_as_on_the_tariff_page(coop, care):
    care_tariff, _ = care
    with pytest.raises(ValidationError) as refused:
        _motion(coop, care_tariff, {"tariff": care_tariff.pk, "rounding_minutes": 0})
    assert "rounding_minutes" in refused.value.message_dict


def test_a_tariff_of_another_cooperative_is_unknown(coop, care):
    other = factories.CooperativeFactory(slug="altra")
    theirs = tariff(other, factories.user_with_role(other, Role.COORDINATOR))
    with pytest.raises(ValidationError) as refused:
        _motion(coop, theirs)
    assert [e.code for e in refused.value.error_list] == ["effect_tariff_unknown"]


def test_later_prices_recorded_while_the_vote_was_open_stay_and_the_office_is_told(
    client, coop, members, care, django_capture_on_commit_callbacks
):
    """Prices are never changed on days already priced (the office's later version may be
    billed): the vote still closes, the decision says why its prices were not written, and the
    coordinators and the board are told."""
    care_tariff, coordinator = care
    motion = _motion(coop, care_tariff)
    billing.adopt_tariff_version(
        care_tariff, PRICES | {"valid_from": date(2027, 2, 1)}, by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        _pass(motion, members, motion.closes_at)
    decision = Decision.objects.get(motion=motion)
    assert decision.tariff_version is None
    assert decision.not_applied.startswith("New prices start after the latest version")
    assert list(
        TariffVersion.objects.filter(tariff=care_tariff).values_list("valid_from", flat=True)
    ) == [date(2027, 2, 1), date(2026, 1, 1)]
    [email] = [m for m in mail.outbox if m.to == ["co@example.org"]]
    assert email.subject == "A decision could not be applied: Fair prices for personal care"
    assert "New prices start after the latest version" in email.body
    board = factories.user_with_role(coop, Role.BOARD)
    factories.log_in(client, board)
    page = client.get(f"/c/{coop.slug}/motions/{motion.pk}/").content.decode()
    assert "Its effect could not be applied" in page
    assert "New prices start after the latest version" in page


def test_the_motion_form_carries_the_tariff_and_the_prices_given(coop, care):
    care_tariff, _ = care
    opens, closes = online_window()
    form = MotionForm(
        {
            "title": "Fair prices",
            "text": "…",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "majority": "simple",
            "base": "cast",
            "min_days_member": 0,
            "effect_kind": "tariff_version",
            "effect_tariff": care_tariff.pk,
            "tariff_weekday_rate": "24.50",
        },
        cooperative=coop,
    )
    assert form.is_valid(), form.errors
    effect = form.cleaned_data["effect"]
    assert effect["tariff"] == care_tariff.pk
    assert effect["weekday_rate"] == Decimal("24.50") and effect["sunday_rate"] is None
