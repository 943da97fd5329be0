from datetime import date

from coopcare.cooperatives.models import Role
from coopcare.demo.privacy import PrivacySeeder
from coopcare.privacy import queries
from coopcare.privacy.models import PersonalDataBreach, RightsRequest
from coopcare.visits.zones import cooperative_zone
from tests import factories

TODAY = date(2026, 11, 22)


def test_the_demo_has_requests_at_each_stage_breaches_and_an_unusual_read(
    coop, coordinator, supporter_class
):
    factories.admitted_member(supporter_class)
    people = [factories.person_cared_for(coop) for _ in range(3)]
    carers = [factories.user_with_role(coop, Role.CARER, first_name="Sara", last_name="Conti")]
    counts = PrivacySeeder(TODAY, coop, coordinator, carers).run(people)
    assert counts == {"rights_requests": 4, "breaches": 2}
    statuses = sorted(RightsRequest.objects.values_list("status", flat=True))
    assert statuses == ["answered", "answered", "answered", "received"]
    overdue = [r for r in queries.requests_of(coop) if queries.overdue(r)]
    assert [r.kind for r in overdue] == ["portability"]
    clocks = sorted(queries.authority_clock(b) for b in PersonalDataBreach.objects.all())
    assert clocks[0] == "notified"
    first, following = queries.month_span(coop, "2026-10")
    assert first.tzinfo == cooperative_zone(coop)
    assert {u.kind for u in queries.unusual_reads(coop, first, following)} >= {"night"}
