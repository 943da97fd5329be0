"""A phone resending the same check-in on several connections at once still makes one record."""

import threading
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection

from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import VisitRecord
from tests import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks between real connections (PostgreSQL; CI runs it)",
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_resends_of_one_check_in_make_one_record(coop):
    carer = factories.user_with_role(coop, Role.CARER)
    visit = factories.visit(factories.person_cared_for(coop), [carer])
    client_id, at = uuid4(), visit.starts_at + timedelta(minutes=3)
    barrier = threading.Barrier(4)
    outcomes = []

    def send():
        try:
            barrier.wait()
            recorded = services.check_in(
                visit, carer, client_id=client_id, at=at, now=visit.ends_at
            )
            outcomes.append((recorded.record.pk, recorded.created))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert VisitRecord.objects.count() == 1
    assert len({pk for pk, _created in outcomes}) == 1
    assert sorted(created for _pk, created in outcomes) == [False, False, False, True]
