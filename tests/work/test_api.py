"""The work API: timesheets, pay runs with clear refusals, a worker's own pay."""

from datetime import timedelta

from django.utils import timezone

from coopcare.work import queries
from coopcare.work.models import PayRun
from tests.governance.test_api import bearer
from tests.work.conftest import contract, worked


def test_a_pay_run_through_the_api(client, coop, coordinator, carer, people):
    start, end = queries.last_pay_period(timezone.localdate())
    contract(coop, carer, starts_on=start - timedelta(days=10))
    worked(carer, people[0], start, 8, 9)
    worked(carer, people[1], start, 9.5, 11)
    staff, mine = bearer(coordinator), bearer(carer)
    period = {"starts_on": str(start), "ends_on": str(end)}

    def post(path, body, auth):
        return client.post(
            f"/api/cooperatives/cura/{path}", body, content_type="application/json", **auth
        )

    built = post("timesheets", period, staff).json()
    assert built == {"built": 1, "kept": 0, "open_records": 0, "approved": 0}
    refused = post("pay-runs", period, staff)
    assert refused.status_code == 400
    assert "not approved" in refused.json()["detail"] and not PayRun.objects.exists()
    assert post("timesheets?approve=true", period, staff).json()["approved"] == 1
    made = post("pay-runs", period, staff)
    assert made.status_code == 201
    slip = made.json()["payslips"][0]
    assert slip["username"] == "carla" and slip["span_minutes"] == 180
    assert client.get(f"/api/cooperatives/cura/pay-runs/{made.json()['id']}", **staff).json() == (
        made.json()
    )
    # The carer reads their own pay, and nobody else's.
    me = client.get("/api/cooperatives/cura/work/me", **mine).json()
    assert me["contract"]["kind"] == "permanent"
    assert me["payslips"][0]["true_hourly_pay"] == slip["true_hourly_pay"]
    assert client.get("/api/cooperatives/cura/pay-runs", **mine).status_code == 403
    assert (
        post("pay-runs", {"starts_on": str(end), "ends_on": str(start)}, staff).status_code == 400
    )


def test_a_broken_rule_answers_its_own_code(client, coop, coordinator, carer, people):
    start, end = queries.last_pay_period(timezone.localdate())
    contract(coop, carer, starts_on=start - timedelta(days=10))
    worked(carer, people[0], start, 8, 9)
    staff = bearer(coordinator)

    def post(path, body):
        return client.post(
            f"/api/cooperatives/cura/{path}", body, content_type="application/json", **staff
        )

    period = {"starts_on": str(start), "ends_on": str(end)}
    assert post("timesheets", period).status_code == 200
    refused = post("pay-runs", period)
    assert (refused.status_code, refused.json()["code"]) == (400, "timesheets_not_approved")
    today = timezone.localdate()
    refused = post("pay-runs", {"starts_on": str(start), "ends_on": str(today)})
    assert (refused.status_code, refused.json()["code"]) == (400, "period_not_over")
    refused = post("timesheets", {"starts_on": str(end), "ends_on": str(start)})
    assert (refused.status_code, refused.json()["code"]) == (400, "period_ends_before_start")
    assert not PayRun.objects.exists()
