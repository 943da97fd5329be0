"""The migration to the carers' rows of visits (``VisitCarer``) keeps the table Django made for
the plain many-to-many and fills each row's start from its visit, in plain SQL that SQLite and
PostgreSQL both run; the next gives each row its person and whether the person knew the
carer."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coopcare.cooperatives.models import Role
from coopcare.visits.models import Visit, VisitCarer, VisitStatus
from tests import factories
from tests.visits.rows import misknown

BEFORE = [("visits", "0010_record_duration")]
AFTER = [("visits", "0011_visit_carers_by_start")]
KNOWN = [("visits", "0012_carers_known_to_the_person")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_rows_of_the_plain_many_to_many_get_their_visit_s_start():
    coop = factories.CooperativeFactory()
    ana = factories.user_with_role(coop, Role.CARER, username="ana")
    ben = factories.user_with_role(coop, Role.CARER, username="ben")
    person = factories.person_cared_for(coop, full_name="Rosa")
    early = factories.visit(person, [ana], start_time=time(8, 0))
    try:
        old = _migrate(BEFORE)
        # Rostered as before: a row of the plain many-to-many, with no start.
        old.get_model("visits", "Visit").carers.through.objects.create(
            visit_id=early.pk, user_id=ben.pk
        )
        new = _migrate(AFTER)
        rows = new.get_model("visits", "VisitCarer").objects.filter(visit_id=early.pk)
        assert [(r.carer_id, r.starts_at) for r in rows.order_by("carer__username")] == [
            (ana.pk, early.starts_at),
            (ben.pk, early.starts_at),
        ]
    finally:
        _migrate(_leaf())


@pytest.mark.django_db(transaction=True)
def test_the_rows_get_their_person_and_whether_the_person_knew_the_carer():
    coop = factories.CooperativeFactory()
    ana = factories.user_with_role(coop, Role.CARER, username="ana")
    rosa = factories.person_cared_for(coop, full_name="Rosa")
    first = factories.visit(rosa, [ana], start_time=time(8, 0))
    day = first.starts_at.date()
    # A cancelled visit between does not make Ana known eleven weeks on.
    cancelled, eleven, twelve = (
        factories.visit(rosa, [ana], day=day + timedelta(weeks=n)) for n in (10, 11, 12)
    )
    Visit.objects.filter(pk=cancelled.pk).update(status=VisitStatus.CANCELLED)
    try:
        _migrate(AFTER)
        _migrate(KNOWN)
        rows = VisitCarer.objects.filter(person=rosa).order_by("starts_at")
        assert [(r.visit_id, r.known) for r in rows] == [
            (first.pk, False),
            (cancelled.pk, False),
            (eleven.pk, False),
            (twelve.pk, True),
        ]
        assert not misknown()
    finally:
        _migrate(_leaf())
