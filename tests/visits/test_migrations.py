"""The migration to the carers' rows of visits (``VisitCarer``) keeps the table Django made for
the plain many-to-many and fills each row's start from its visit, in plain SQL that SQLite and
PostgreSQL both run."""

from datetime import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coopcare.cooperatives.models import Role
from coopcare.visits.models import VisitCarer
from tests import factories

BEFORE = [("visits", "0010_record_duration")]
AFTER = [("visits", "0011_visit_carers_by_start")]


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
        _migrate(AFTER)
        rows = VisitCarer.objects.filter(visit=early).order_by("carer__username")
        assert [(r.carer, r.starts_at) for r in rows] == [
            (ana, early.starts_at),
            (ben, early.starts_at),
        ]
    finally:
        _migrate(_leaf())
