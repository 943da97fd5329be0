"""The demo's time credits: months of exchanges between members of the main cooperative, one
reversed, a few still open, the ledger adding up and no member past the overdraft."""

import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from coopcare.demo.timecredits import TimeCreditSeeder
from coopcare.members.models import StakeholderKind
from coopcare.timecredits import services
from coopcare.timecredits.models import CreditEntry, EntryKind, Exchange, ExchangeStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_exchanges_months_of_help_within_the_terms(coop, coordinator, supporter_class):
    families = factories.StakeholderClassFactory(cooperative=coop, kind=StakeholderKind.FAMILY)
    members = [factories.admitted_member(supporter_class) for _ in range(4)]
    members += [factories.admitted_member(families) for _ in range(4)]
    today = timezone.localdate()
    rng = random.Random("test")  # noqa: S311 - test data, not a secret
    counts = TimeCreditSeeder(rng, today, coop, coordinator).run()
    coop.refresh_from_db()
    assert coop.runs_time_credits
    assert counts == {"time_credit_exchanges": 40}
    assert Exchange.objects.filter(status=ExchangeStatus.DONE).count() == 36
    assert Exchange.objects.filter(status=ExchangeStatus.OPEN).count() == 3
    assert Exchange.objects.filter(status=ExchangeStatus.ACCEPTED).count() == 1
    assert CreditEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 2
    assert CreditEntry.objects.aggregate(total=Sum("hours"))["total"] == 0
    assert min(services.balance(m) for m in members) >= -10
    days = CreditEntry.objects.exclude(kind=EntryKind.REVERSAL).values_list("on", flat=True)
    assert (today - min(days)).days > 90 and max(days) < today
    assert services.terms_of(coop).welcome_hours == 2
