"""The governance API: board actions, votes with receipts, clear refusals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.accounts.models import ApiToken
from coopcare.cooperatives.models import Role
from coopcare.governance.models import Assembly, Ballot, VoterRoll
from coopcare.governance.services.assemblies import call_assembly, open_session
from coopcare.governance.services.proxies import give_proxy, live_proxies
from tests import factories
from tests.governance.conftest import at, online_window


def bearer(user):
    _token, raw = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def board(coop, members):
    member = members["Workers"][0]
    factories.RoleFactory(user=member.user, cooperative=coop, role=Role.BOARD)
    return bearer(member.user)


def post(client, path, body, auth):
    return client.post(
        f"/api/cooperatives/cura/{path}", body, content_type="application/json", **auth
    )


def test_an_online_motion_through_the_api(client, coop, members, board):
    opens, closes = online_window()
    response = post(
        client,
        "motions",
        {
            "title": "Sunday visits",
            "text": "…",
            "opens_at": opens.isoformat(),
            "closes_at": closes.isoformat(),
            "secret": True,
        },
        board,
    )
    assert response.status_code == 201, response.content
    motion_id = response.json()["id"]
    assert post(client, f"motions/{motion_id}/open", {}, board).status_code == 200
    voter = bearer(members["People cared for"][0].user)
    response = post(client, f"motions/{motion_id}/votes", {"choice": "for"}, voter)
    assert response.status_code == 201
    tracker = response.json()["tracker"]
    again = post(client, f"motions/{motion_id}/votes", {"choice": "against"}, voter)
    assert again.status_code == 400 and "already voted" in again.json()["detail"]
    bad = post(
        client,
        f"motions/{motion_id}/votes",
        {"choice": "maybe"},
        bearer(members["Workers"][1].user),
    )
    assert bad.status_code == 400 and "for, against, or abstain" in bad.json()["detail"]
    assert VoterRoll.objects.count() == Ballot.objects.count() == 1
    # Before the close, no ballot is shown, even to the one who holds its tracker.
    assert client.get(f"/api/cooperatives/cura/trackers/{tracker}", **voter).status_code == 404
    closed = post(client, f"motions/{motion_id}/close", {}, board).json()
    assert closed["status"] == "closed" and closed["result"]["totals"]["for"] == 1
    assert not closed["passed"]  # 1 of 10 voted: under the 25 % online turnout
    # One class alone cannot hold 100 % within the 10-50 % band: the result says so.
    assert closed["result"]["effective_weights"] == {"People cared for": "100.0"}
    assert closed["result"]["weights_lawful"] is False
    check = client.get(f"/api/cooperatives/cura/trackers/{tracker}", **voter)
    assert check.json()["ballot"] == "for" and check.json()["question"] == "Sunday visits"
    # One supporter voted: their class is shown merged, or the roll would give the vote away.
    assert check.json()["stakeholder_class"].startswith("classes merged")


def test_a_member_cannot_act_as_the_board(client, coop, members):
    member = bearer(members["Supporters"][0].user)
    opens, closes = online_window()
    response = post(
        client,
        "motions",
        {"title": "X", "text": "X", "opens_at": opens.isoformat(), "closes_at": closes.isoformat()},
        member,
    )
    assert response.status_code == 403 and "detail" in response.json()


def test_an_assembly_with_short_notice_is_refused(client, coop, board):
    soon = (timezone.now() + timedelta(days=2)).isoformat()
    response = post(
        client,
        "assemblies",
        {"kind": "ordinary", "title": "AGM", "starts_at": soon, "place": "Hall"},
        board,
    )
    assert response.status_code == 400 and "notice" in response.json()["detail"]
    assert not Assembly.objects.exists()


def test_an_election_and_proxies_through_the_api(client, coop, members, board):
    later = (timezone.now() + timedelta(days=20)).isoformat()
    assembly = post(
        client,
        "assemblies",
        {
            "kind": "ordinary",
            "title": "AGM",
            "starts_at": later,
            "place": "Hall",
            "agenda": ["Board"],
        },
        board,
    ).json()
    giver, holder = members["Supporters"][:2]
    response = post(
        client,
        f"assemblies/{assembly['id']}/proxies",
        {"holder_member_id": holder.pk},
        bearer(giver.user),
    )
    assert response.status_code == 201 and response.json()["holder_id"] == holder.pk
    detail = client.get(f"/api/cooperatives/cura/assemblies/{assembly['id']}", **board).json()
    assert detail["agenda"] == ["Board"] and detail["quorum"]["met"] is False

    opens, closes = online_window()
    candidates = [m.pk for m in members["Workers"][:3]]
    election = post(
        client,
        "elections",
        {
            "title": "Board",
            "method": "approval",
            "seats": 2,
            "candidate_member_ids": candidates,
            "opens_at": opens.isoformat(),
            "closes_at": closes.isoformat(),
        },
        board,
    ).json()
    post(client, f"elections/{election['id']}/open", {}, board)
    ids = [c["id"] for c in election["candidates"]]
    for member in [*members["Workers"], *members["People cared for"]]:
        response = post(
            client, f"elections/{election['id']}/votes", {"ranking": ids[:2]}, bearer(member.user)
        )
        assert response.status_code == 201
    bad = post(
        client,
        f"elections/{election['id']}/votes",
        {"ranking": [999]},
        bearer(members["Supporters"][2].user),
    )
    assert bad.status_code == 400
    result = post(client, f"elections/{election['id']}/close", {}, board).json()["result"]
    assert result["valid"] and len(result["elected"]) == 2


def test_an_online_link_that_is_not_a_web_address_is_refused(client, coop, board):
    """Stored XSS: ``javascript:alert(document.domain)`` was accepted through the API and
    rendered as a link for every member."""
    for link in ("javascript:alert(document.domain)", "data:text/html,hi", "ftp://x.org/a"):
        body = {
            "kind": "ordinary",
            "title": "Spring assembly",
            "starts_at": "2027-03-01T18:00:00+01:00",
            "online_link": link,
        }
        response = post(client, "assemblies", body, board)
        assert response.status_code == 400, link
        assert "https://" in response.json()["detail"]
    assert not Assembly.objects.exists()


def test_a_link_stored_before_links_were_checked_is_not_rendered(coop):
    assembly = Assembly(cooperative=coop, online_link="javascript:alert(1)")
    assert assembly.join_link == ""
    assert Assembly(cooperative=coop, online_link="https://meet.example.org/a").join_link


def test_online_attendance_needs_the_assembly_s_online_meeting(client, assembly, members, board):
    """The page refused it and the API recorded it: the rule now lives in the service."""
    member = members["Supporters"][0]
    path = f"assemblies/{assembly.pk}/attendance"
    online = {"member_id": member.pk, "mode": "online"}
    refused = post(client, path, online, board)
    assert refused.status_code == 400
    assert refused.json()["code"] == "no_online_meeting"
    assert refused.json()["detail"] == "This assembly has no online meeting."
    assert not assembly.attendance.exists()
    assembly.online_link = "https://meet.example.org/agm"
    assembly.save(update_fields=["online_link"])
    assert post(client, path, online, board).status_code == 201
    assert assembly.attendance.get().mode == "online"


def test_a_broken_rule_answers_its_own_code(client, coop, members, board):
    """A refusal names its failure in ``code``, so a client need not read the (translated)
    ``detail``: voting twice, a vote that is neither for, against nor abstain, and an online
    link that is not a web address."""
    opens, closes = online_window()
    body = {"title": "Sunday visits", "text": "…", "opens_at": opens.isoformat()}
    response = post(client, "motions", body | {"closes_at": closes.isoformat()}, board)
    motion_id = response.json()["id"]
    assert post(client, f"motions/{motion_id}/open", {}, board).status_code == 200
    voter = bearer(members["People cared for"][0].user)
    assert post(client, f"motions/{motion_id}/votes", {"choice": "for"}, voter).status_code == 201
    again = post(client, f"motions/{motion_id}/votes", {"choice": "against"}, voter)
    assert again.status_code == 400
    assert again.json()["code"] == "already_voted"
    assert again.json()["errors"] == [again.json()["detail"]]
    other = bearer(members["Workers"][1].user)
    bad = post(client, f"motions/{motion_id}/votes", {"choice": "maybe"}, other)
    assert bad.status_code == 400 and bad.json()["code"] == "choice_invalid"
    assembly = {
        "kind": "ordinary",
        "title": "Spring assembly",
        "starts_at": "2027-03-01T18:00:00+01:00",
        "online_link": "javascript:alert(document.domain)",
    }
    response = post(client, "assemblies", assembly, board)
    assert response.status_code == 400
    assert response.json()["code"] == "link_not_web_address"


def test_a_member_withdraws_their_proxy_through_the_api_until_the_assembly_opens(
    client, coop, members
):
    called = call_assembly(
        coop,
        kind="ordinary",
        title="AGM",
        starts_at=at(20),
        called_on=date(2026, 4, 1),
        place="Sala civica",
    )
    path = f"assemblies/{called.pk}/proxies/withdraw"
    giver, holder = members["Supporters"][0], members["Supporters"][1]
    proxy = give_proxy(called, giver, holder)
    # The holder has given no proxy of their own to withdraw.
    refused = post(client, path, {}, bearer(holder.user))
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"

    response = post(client, path, {}, bearer(giver.user))
    assert response.status_code == 200, response.content
    assert response.json() == {"id": proxy.pk, "giver_id": giver.pk, "holder_id": holder.pk}
    proxy.refresh_from_db()
    assert proxy.lapsed_at is not None and not live_proxies(called).exists()
    # Withdrawn, there is no proxy left to withdraw.
    assert post(client, path, {}, bearer(giver.user)).json()["code"] == "not_found"

    # Given again, it can no longer be withdrawn once the session is open.
    give_proxy(called, giver, holder)
    open_session(called, at(20))
    refused = post(client, path, {}, bearer(giver.user))
    assert refused.status_code == 400 and refused.json()["code"] == "assembly_already_opened"
    assert live_proxies(called).get().holder == holder


def test_a_proxy_of_another_cooperative_cannot_be_withdrawn_through_the_api(client, coop, members):
    called = call_assembly(
        coop,
        kind="ordinary",
        title="AGM",
        starts_at=at(20),
        called_on=date(2026, 4, 1),
        place="Sala civica",
    )
    giver, holder = members["Supporters"][0], members["Supporters"][1]
    give_proxy(called, giver, holder)
    other = factories.CooperativeFactory(slug="other")
    outsider = bearer(factories.user_with_role(other, Role.BOARD))
    path = f"assemblies/{called.pk}/proxies/withdraw"
    through_other = client.post(
        f"/api/cooperatives/other/{path}", {}, content_type="application/json", **outsider
    )
    assert through_other.status_code == 404 and through_other.json()["code"] == "not_found"
    assert post(client, path, {}, outsider).status_code == 404
    assert live_proxies(called).exists()


def test_notices_through_the_api(client, coop, members, board):
    later = timezone.now() + timedelta(days=30)
    response = post(
        client,
        "assemblies",
        {"kind": "ordinary", "title": "AGM", "starts_at": later.isoformat(), "place": "Hall"},
        board,
    )
    assert response.status_code == 201, response.content
    assembly_id = response.json()["id"]
    sent = client.get(f"/api/cooperatives/cura/assemblies/{assembly_id}/notices", **board)
    assert sent.status_code == 200
    # The members of the fixture have no email address: each is to be sent a letter.
    assert {(n["member_name"], n["channel"], n["amendment"]) for n in sent.json()} == {
        (m.full_name, "post", 0) for group in members.values() for m in group
    }
    again = post(client, f"assemblies/{assembly_id}/notices", {}, board)
    assert again.status_code == 400 and again.json()["code"] == "notice_already_sent"
    unchanged = post(client, f"assemblies/{assembly_id}/notices", {"amended": True}, board)
    assert unchanged.status_code == 400 and unchanged.json()["code"] == "agenda_unchanged"
    member = bearer(members["Supporters"][0].user)
    called = client.get("/api/cooperatives/cura/called-assemblies", **member)
    assert [a["title"] for a in called.json()] == ["AGM"]
    forbidden = client.get(f"/api/cooperatives/cura/assemblies/{assembly_id}/notices", **member)
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
