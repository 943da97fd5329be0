"""An assembly run end to end through the pages, as the board and the members use them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coopcare.cooperatives.models import Role
from coopcare.governance.models import Assembly, Ballot, Motion, QuestionStatus, VoterRoll
from coopcare.governance.services.assemblies import call_assembly, open_session
from coopcare.governance.services.proxies import live_proxies
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.statutes import statutes_of
from coopcare.governance.services.voting import open_vote
from tests import factories
from tests.governance.conftest import at, online_window


@pytest.fixture
def secretary(coop, members):
    """A board member who is also a worker member."""
    member = members["Workers"][0]
    factories.RoleFactory(user=member.user, cooperative=coop, role=Role.BOARD)
    return member


def url(coop, path):
    return f"/c/{coop.slug}/{path}"


def test_calling_an_assembly_with_short_notice_shows_the_rule(client, coop, secretary):
    factories.log_in(client, secretary.user)
    soon = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url(coop, "assemblies/new/"),
        {"kind": "ordinary", "title": "AGM", "starts_at": soon, "place": "Hall"},
    )
    assert response.status_code == 200
    assert "15 days&#x27; notice" in response.content.decode()
    assert not Assembly.objects.exists()


def test_an_assembly_run_end_to_end(client, coop, members, secretary):
    factories.log_in(client, secretary.user)
    later = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url(coop, "assemblies/new/"),
        {
            "kind": "ordinary",
            "title": "AGM 2026",
            "starts_at": later,
            "place": "Sala civica",
            "online_link": "https://meet.example.org/agm",
            "agenda": "Accounts\nRoster policy",
        },
    )
    assembly = Assembly.objects.get()
    assert response.status_code == 302 and assembly.agenda.count() == 2
    assembly_url = url(coop, f"assemblies/{assembly.pk}/")
    # A member who cannot come gives a proxy before the session.
    giver, holder = members["Supporters"][0], members["Supporters"][1]
    factories.log_in(client, giver.user)
    client.post(assembly_url + "proxy/", {"holder": holder.pk})
    assert assembly.proxies.get().holder == holder

    factories.log_in(client, secretary.user)
    client.post(assembly_url + "open/")
    for member in [*members["Workers"], holder]:
        response = client.post(assembly_url + "attend/", {"member": member.pk, "mode": "in_person"})
        assert response.status_code == 302
    # A member joins online by themselves.
    factories.log_in(client, members["People cared for"][0].user)
    client.post(assembly_url + "here-online/")
    quorum = client.get(assembly_url + "quorum/").content.decode()
    assert "Quorum reached" in quorum and "hx-trigger" in quorum

    factories.log_in(client, secretary.user)
    response = client.post(
        url(coop, "motions/new/"),
        {
            "title": "Approve the accounts",
            "text": "The assembly approves the 2025 accounts.",
            "assembly": assembly.pk,
            "majority": "simple",
            "base": "cast",
            "min_days_member": 0,
        },
    )
    motion = Motion.objects.get()
    motion_url = url(coop, f"motions/{motion.pk}/")
    client.post(motion_url + "open/")

    # The proxy holder sees two ballots: their own and the giver's.
    factories.log_in(client, holder.user)
    page = client.get(motion_url).content.decode()
    assert page.count("Cast this ballot") == 2
    response = client.post(
        motion_url + "vote/", {f"v{holder.pk}-voter": holder.pk, f"v{holder.pk}-choice": "for"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Note your tracker now" in page and page.count("Cast this ballot") == 1
    client.post(
        motion_url + "vote/", {f"v{giver.pk}-voter": giver.pk, f"v{giver.pk}-choice": "against"}
    )
    assert VoterRoll.objects.get(member=giver).cast_by == holder
    # A second vote is not offered, and a forged one is refused.
    response = client.post(
        motion_url + "vote/",
        {f"v{holder.pk}-voter": holder.pk, f"v{holder.pk}-choice": "for"},
        follow=True,
    )
    assert "There is no ballot left" in response.content.decode()
    assert VoterRoll.objects.count() == 2

    for member in members["Workers"]:
        factories.log_in(client, member.user)
        client.post(
            motion_url + "vote/", {f"v{member.pk}-voter": member.pk, f"v{member.pk}-choice": "for"}
        )

    factories.log_in(client, secretary.user)
    client.post(assembly_url + "close/")
    motion.refresh_from_db()
    assert motion.status == QuestionStatus.CLOSED and motion.passed
    page = client.get(motion_url).content.decode()
    assert "Passed" in page and "Published ballots" in page and "Supporters" in page
    assembly.refresh_from_db()
    assert "Approve the accounts" in assembly.minutes
    client.post(
        assembly_url + "minutes/", {"minutes": assembly.minutes + "\nApproved by the chair."}
    )
    factories.log_in(client, members["People cared for"][1].user)
    assert "Approved by the chair." in client.get(assembly_url).content.decode()


def test_secret_ranked_election_and_tracker_check(client, coop, members, secretary):
    factories.log_in(client, secretary.user)
    opens, closes = online_window()
    candidates = members["Workers"][:3]
    response = client.post(
        url(coop, "elections/new/"),
        {
            "title": "Board 2026",
            "method": "stv",
            "seats": 2,
            "secret": "on",
            "candidates": [m.pk for m in candidates],
            "opens_at": timezone.localtime(opens).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": timezone.localtime(closes).strftime("%Y-%m-%dT%H:%M"),
            "min_days_member": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()
    election = open_vote(coop_election(coop))
    election_url = url(coop, f"elections/{election.pk}/")
    voter = members["Supporters"][2]
    ids = [c.pk for c in election.candidates.order_by("pk")]
    factories.log_in(client, voter.user)
    prefix = f"v{voter.pk}"
    duplicate = {
        f"{prefix}-voter": voter.pk,
        f"{prefix}-rank_{ids[0]}": 1,
        f"{prefix}-rank_{ids[1]}": 1,
    }
    response = client.post(election_url + "vote/", duplicate)
    assert response.status_code == 400 and "one candidate only" in response.content.decode()
    ranked = {
        f"{prefix}-voter": voter.pk,
        f"{prefix}-rank_{ids[2]}": 1,
        f"{prefix}-rank_{ids[0]}": 2,
    }
    response = client.post(election_url + "vote/", ranked)
    assert response.status_code == 200
    ballot = Ballot.objects.get()
    assert ballot.ranking == [ids[2], ids[0]]
    assert ballot.tracker in response.content.decode()
    assert ballot.tracker not in client.get(election_url).content.decode()
    factories.log_in(client, secretary.user)
    client.post(election_url + "close/")
    factories.log_in(client, voter.user)
    assert ballot.tracker in client.get(election_url).content.decode()
    check = client.get(
        url(coop, "votes/trackers/"), {"code": ballot.tracker.lower()}
    ).content.decode()
    assert f"1. {candidates[2].full_name} · 2. {candidates[0].full_name}" in check


def coop_election(coop):
    from coopcare.governance.models import Election

    return Election.objects.get(cooperative=coop)


def test_the_votes_page_shows_open_votes_and_why_one_cannot_vote(client, coop, classes, members):
    opens, closes = online_window()
    motion = open_vote(
        propose_motion(coop, title="Sunday visits", text="…", opens_at=opens, closes_at=closes)
    )
    unpaid = factories.admitted_member(classes["Workers"], paid=0, user=factories.UserFactory())
    factories.log_in(client, unpaid.user)
    assert "Sunday visits" in client.get(url(coop, "votes/")).content.decode()
    page = client.get(url(coop, f"motions/{motion.pk}/")).content.decode()
    assert "still owed" in page and "Cast this ballot" not in page


def test_online_attendance_without_an_online_meeting_is_refused_on_the_page(
    client, coop, assembly, members, secretary
):
    assembly_url = url(coop, f"assemblies/{assembly.pk}/")
    member = members["People cared for"][0]
    factories.log_in(client, member.user)
    page = client.post(assembly_url + "here-online/", follow=True).content.decode()
    assert "This assembly has no online meeting." in page
    # The board's attendance form applies the same rule.
    factories.log_in(client, secretary.user)
    response = client.post(assembly_url + "attend/", {"member": member.pk, "mode": "online"})
    assert response.status_code == 400
    assert "This assembly has no online meeting." in response.content.decode()
    assert not assembly.attendance.exists()


def test_a_member_withdraws_their_proxy_until_the_assembly_opens(client, coop, members):
    called = call_assembly(
        coop,
        kind="ordinary",
        title="AGM",
        starts_at=at(20),
        called_on=date(2026, 4, 1),
        place="Sala civica",
    )
    assembly_url = url(coop, f"assemblies/{called.pk}/")
    withdraw_url = assembly_url + "proxy/withdraw/"
    giver, holder = members["Supporters"][0], members["Supporters"][1]
    factories.log_in(client, giver.user)
    client.post(assembly_url + "proxy/", {"holder": holder.pk})
    proxy = called.proxies.get()
    assert "Withdraw my proxy" in client.get(assembly_url).content.decode()
    assert client.get(withdraw_url).status_code == 405
    # The holder has given no proxy of their own to withdraw.
    factories.log_in(client, holder.user)
    assert "Withdraw my proxy" not in client.get(assembly_url).content.decode()
    assert client.post(withdraw_url).status_code == 404

    factories.log_in(client, giver.user)
    page = client.post(withdraw_url, follow=True).content.decode()
    assert "Proxy withdrawn." in page and "Withdraw my proxy" not in page
    proxy.refresh_from_db()
    assert proxy.lapsed_at is not None and not live_proxies(called).exists()

    # Given again, it can no longer be withdrawn once the session is open.
    client.post(assembly_url + "proxy/", {"holder": holder.pk})
    open_session(called, at(20))
    assert "Withdraw my proxy" not in client.get(assembly_url).content.decode()
    page = client.post(withdraw_url, follow=True).content.decode()
    assert "A proxy can be withdrawn only before the assembly opens." in page
    assert live_proxies(called).get().holder == holder


def test_members_cannot_run_the_board_s_actions(client, coop, members):
    member = members["Supporters"][0]
    factories.log_in(client, member.user)
    assert client.get(url(coop, "assemblies/new/")).status_code == 403
    opens, closes = online_window()
    motion = propose_motion(coop, title="X", text="X", opens_at=opens, closes_at=closes)
    assert client.post(url(coop, f"motions/{motion.pk}/open/")).status_code == 403
    motion.refresh_from_db()
    assert motion.status == QuestionStatus.DRAFT


def test_carers_who_are_not_members_do_not_see_votes(client, coop):
    carer = factories.user_with_role(coop, Role.CARER)
    factories.log_in(client, carer)
    assert client.get(url(coop, "votes/")).status_code == 403


def test_the_board_sets_the_statutes_and_members_read_them(client, coop, members, secretary):
    factories.log_in(client, secretary.user)
    form = {
        "notice_days_ordinary": 8,
        "notice_days_extraordinary": 15,
        "notice_days_board": 2,
        "quorum_ordinary": "20",
        "quorum_extraordinary": "50",
        "quorum_board": "50",
        "quorum_online": "10",
        "proxies_per_holder": 5,
        "paid_up_to_vote": "on",
        "secret_class_minimum": 3,
        "ranked_method": "meek",
    }
    assert client.post(url(coop, "statutes/"), form).status_code == 302
    statutes = statutes_of(coop)
    assert statutes.proxies_per_holder == 5 and statutes.ranked_method == "meek"
    assert statutes.secret_class_minimum == 3 and not statutes.abstaining_class_is_absent
    response = client.post(url(coop, "statutes/"), form | {"quorum_online": "120"})
    assert response.status_code == 200 and "less than or equal to 100" in response.content.decode()
    assert statutes_of(coop).quorum_online == 10
    factories.log_in(client, members["Supporters"][0].user)
    assert "Proxies one member may hold" in client.get(url(coop, "statutes/")).content.decode()
    assert client.post(url(coop, "statutes/"), form).status_code == 403
