"""Two back-office users recording the last instalment at the same moment: one succeeds."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coopcare.members import services
from tests import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks between real connections (PostgreSQL; CI runs it)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_exceed_the_subscription(supporter_class):
    member = factories.admitted_member(supporter_class, paid=20)
    barrier = threading.Barrier(4)
    outcomes = []

    def pay():
        try:
            barrier.wait()
            services.record_payment(member, Decimal(30), date(2026, 3, 1))
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused", "refused", "refused"]
    assert services.share_balance(member).paid == Decimal(50)
