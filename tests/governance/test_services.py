"""Assemblies, proxies and votes through the services, as the pages and the API use them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from coopcare.accounts.models import Profile
from coopcare.cooperatives.models import Role
from coopcare.governance.models import (
    Assembly,
    AssemblyKind,
    Ballot,
    Decision,
    Proxy,
    QuestionStatus,
    VoteReminder,
    VoterRoll,
)
from coopcare.governance.queries import assembly_attendance
from coopcare.governance.services.assemblies import (
    call_assembly,
    close_session,
    open_session,
    record_attendance,
)
from coopcare.governance.services.minutes import publish_minutes
from coopcare.governance.services.proxies import give_proxy
from coopcare.governance.services.questions import call_election, propose_motion
from coopcare.governance.services.reminders import send_reminders
from coopcare.governance.services.statutes import entitled_members, statutes_of
from coopcare.governance.services.voting import cast_vote, close_due_votes, close_vote, open_vote
from coopcare.members.models import Member
from coopcare.rostering.models import RosterPolicy
from coopcare.rostering.policies import policy_on
from tests import factories
from tests.governance.conftest import at, attend, online_window
from tests.test_notify import REFUSED


def test_an_assembly_called_without_the_notice_is_refused(coop):
    with pytest.raises(ValidationError, match="15 days' notice"):
        call_assembly(
            coop,
            kind=AssemblyKind.ORDINARY,
            title="Too soon",
            starts_at=at(10),
            called_on=date(2026, 4, 1),
            place="Sala civica",
        )
    assert not Assembly.objects.exists()


def test_quorum_counts_members_present_and_represented(assembly, members):
    workers, people, _supporters = members.values()
    assert not assembly_attendance(assembly)[1].met
    attend(assembly, workers[0])
    give_proxy(assembly, workers[1], workers[0])
    give_proxy(assembly, people[0], workers[0])
    quorum = assembly_attendance(assembly)[1]
    # 3 of 10 present or represented; the default ordinary quorum is 25 %.
    assert quorum.met and "30.0 %" in quorum.explain()


def test_quorum_per_class_when_the_statutes_say_so(assembly, members):
    statutes = statutes_of(assembly.cooperative)
    statutes.quorum_per_class = True
    statutes.save()
    attend(assembly, *members["Workers"][:3])
    quorum = assembly_attendance(assembly)[1]
    assert not quorum.met
    assert set(quorum.classes_short) == {"People cared for", "Supporters"}


def test_proxies_beyond_the_cap_are_refused(assembly, members):
    holder, *givers = members["Workers"]
    give_proxy(assembly, givers[0], holder)
    give_proxy(assembly, givers[1], holder)
    with pytest.raises(ValidationError, match="most the statutes allow \\(2\\)"):
        give_proxy(assembly, givers[2], holder)
    assert Proxy.objects.filter(holder=holder).count() == 2


def test_a_proxy_lapses_when_its_giver_attends(assembly, members):
    holder, giver = members["Workers"][:2]
    attend(assembly, holder)
    give_proxy(assembly, giver, holder)
    motion = propose_motion(
        assembly.cooperative, title="Accounts", text="Approve", assembly=assembly
    )
    open_vote(motion, at(20, 19))
    attend(assembly, giver)
    with pytest.raises(ValidationError, match="holds no proxy"):
        cast_vote(motion, giver, by=holder, choice="for", at=at(20, 19))
    cast_vote(motion, giver, choice="against", at=at(20, 19))
    assert VoterRoll.objects.get(member=giver).cast_by == giver


def test_a_holder_may_split_the_votes_they_hold(assembly, members):
    holder, giver_a, giver_b = members["Workers"][:3]
    attend(assembly, holder)
    give_proxy(assembly, giver_a, holder)
    give_proxy(assembly, giver_b, holder)
    motion = propose_motion(
        assembly.cooperative, title="Accounts", text="Approve", assembly=assembly
    )
    open_vote(motion, at(20, 19))
    cast_vote(motion, holder, choice="for", at=at(20, 19))
    cast_vote(motion, giver_a, by=holder, choice="against", at=at(20, 19))
    cast_vote(motion, giver_b, by=holder, choice="abstain", at=at(20, 19))
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["abstain", "against", "for"]


def test_board_meetings_take_no_proxies_and_only_board_members_vote(coop, members):
    board_member = members["Workers"][0]
    factories.RoleFactory(user=board_member.user, cooperative=coop, role=Role.BOARD)
    meeting = open_session(
        call_assembly(
            coop,
            kind=AssemblyKind.BOARD,
            title="Board",
            starts_at=at(5),
            called_on=date(2026, 4, 1),
            place="Office",
        ),
        at(5),
    )
    with pytest.raises(ValidationError, match="no proxies"):
        give_proxy(meeting, members["Workers"][1], board_member)
    assert list(entitled_members(coop, meeting)) == [board_member]
    attend(meeting, board_member, members["Workers"][1])
    motion = propose_motion(coop, title="Hire", text="Hire two carers", assembly=meeting)
    open_vote(motion, at(5, 19))
    with pytest.raises(ValidationError, match="Only members of the board"):
        cast_vote(motion, members["Workers"][1], choice="for", at=at(5, 19))
    cast_vote(motion, board_member, choice="for", at=at(5, 19))
    assert close_vote(motion, at(5, 20)).passed


def test_weighted_motion_result_per_class_and_overall(assembly, members):
    """SCIC (loi 47-1775 art. 19 octies): classes weigh 50/30/20 % of the vote."""
    workers, people, supporters = members.values()
    attend(assembly, *workers, *people, *supporters)
    motion = propose_motion(
        assembly.cooperative,
        title="Accounts",
        text="Approve",
        assembly=assembly,
        majority="two_thirds",
    )
    open_vote(motion, at(20, 19))
    for member, choice in [
        *zip(workers, ["for", "for", "for", "against"], strict=True),
        *zip(people, ["for", "against", "abstain"], strict=True),
        *zip(supporters, ["for", "for", "for"], strict=True),
    ]:
        cast_vote(motion, member, choice=choice, at=at(20, 19))
    motion = close_vote(motion, at(20, 20))
    # 0.5 x 3/4 + 0.3 x 1/2 + 0.2 x 1 = 72.5 % for: passes two thirds.
    assert motion.passed and motion.result["share_for"] == "72.5"
    by_class = {c["name"]: c for c in motion.result["classes"]}
    assert by_class["Workers"]["share_for"] == "75.0"
    assert by_class["People cared for"] == by_class["People cared for"] | {
        "for": 1,
        "against": 1,
        "abstain": 1,
        "share_for": "50.0",
    }
    assert motion.result["totals"] == {"for": 7, "against": 2, "abstain": 1, "entitled": 10}
    assert "two thirds" in motion.result["rule"]


def test_a_motion_without_quorum_does_not_pass(assembly, members):
    attend(assembly, members["Workers"][0])
    motion = propose_motion(assembly.cooperative, title="X", text="X", assembly=assembly)
    open_vote(motion, at(20, 19))
    cast_vote(motion, members["Workers"][0], choice="for", at=at(20, 19))
    motion = close_vote(motion, at(20, 20))
    assert not motion.passed and not motion.result["quorum_met"]


def test_votes_refused_with_nothing_recorded(coop, classes, members):
    opens, closes = online_window()
    motion = propose_motion(coop, title="Open Sundays", text="…", opens_at=opens, closes_at=closes)
    voter = members["Workers"][0]
    with pytest.raises(ValidationError, match="not opened yet"):
        cast_vote(motion, voter, choice="for")
    open_vote(motion)
    cast_vote(motion, voter, choice="for")
    with pytest.raises(ValidationError, match="already voted"):
        cast_vote(motion, voter, choice="against")
    with pytest.raises(ValidationError, match="closed on"):
        cast_vote(motion, members["Workers"][1], choice="for", at=closes)
    applicant = factories.applicant(classes["Supporters"])
    with pytest.raises(ValidationError, match="Only admitted members"):
        cast_vote(motion, applicant, choice="for")
    unpaid = factories.admitted_member(classes["Workers"], paid=0, on=date(2025, 1, 10))
    with pytest.raises(ValidationError, match="still owed"):
        cast_vote(motion, unpaid, choice="for")
    with pytest.raises(ValidationError, match="proxies are for assemblies"):
        cast_vote(motion, members["Workers"][1], by=voter, choice="for")
    with pytest.raises(ValidationError, match="Vote for, against, or abstain"):
        cast_vote(motion, members["Workers"][1], choice="maybe")
    other = factories.admitted_member(factories.StakeholderClassFactory())
    with pytest.raises(ValidationError, match="another cooperative"):
        cast_vote(motion, other, choice="for")
    assert VoterRoll.objects.count() == Ballot.objects.count() == 1


def test_votes_in_session_are_cast_by_members_present(assembly, members):
    motion = propose_motion(assembly.cooperative, title="X", text="X", assembly=assembly)
    open_vote(motion, at(20, 19))
    with pytest.raises(ValidationError, match="members present"):
        cast_vote(motion, members["Workers"][0], choice="for", at=at(20, 19))


def test_probation_and_classes_restrict_who_votes(coop, classes, members):
    opens, closes = online_window()
    motion = propose_motion(
        coop,
        title="Workers' rota",
        text="…",
        opens_at=opens,
        closes_at=closes,
        classes=[classes["Workers"]],
        min_days_member=90,
    )
    open_vote(motion)
    with pytest.raises(ValidationError, match="This vote is for: Workers"):
        cast_vote(motion, members["Supporters"][0], choice="for")
    newcomer = factories.admitted_member(
        classes["Workers"], on=timezone.localdate() - timedelta(days=10)
    )
    with pytest.raises(ValidationError, match="after 90 days of membership"):
        cast_vote(motion, newcomer, choice="for")
    entitled = set(entitled_members(coop, None, motion))
    assert entitled == set(members["Workers"])


def test_a_passed_amendment_rewrites_the_motion(assembly, members):
    attend(assembly, *members["Workers"], *members["Supporters"])
    motion = propose_motion(
        assembly.cooperative, title="Fees", text="Fees rise 5 %", assembly=assembly
    )
    amendment = propose_motion(
        assembly.cooperative, title="Fees: 3 %", text="Fees rise 3 %", amends=motion
    )
    with pytest.raises(ValidationError, match="amendments first"):
        open_vote(motion, at(20, 19))
    open_vote(amendment, at(20, 19))
    for member in members["Workers"]:
        cast_vote(amendment, member, choice="for", at=at(20, 19))
    close_vote(amendment, at(20, 19))
    motion.refresh_from_db()
    assert motion.text == "Fees rise 3 %" and motion.original_text == "Fees rise 5 %"
    open_vote(motion, at(20, 19))


def test_a_passed_motion_adopts_a_roster_policy_from_its_date(coop, members):
    opens, closes = online_window()
    weights = {name: "1" for name in RosterPolicy.WEIGHTS} | {"continuity": "80"}
    motion = propose_motion(
        coop,
        title="More continuity",
        text="Weigh continuity of care more",
        opens_at=opens,
        closes_at=closes,
        effect_kind="roster_policy",
        effect=weights,
        effect_from=date(2027, 1, 1),
    )
    open_vote(motion)
    for member in [*members["Workers"], *members["People cared for"], *members["Supporters"]]:
        cast_vote(motion, member, choice="for")
    motion = close_vote(motion)
    assert motion.passed
    decision = Decision.objects.get(motion=motion)
    assert decision.roster_policy.continuity == Decimal("80")
    assert policy_on(coop, date(2026, 12, 31)).pk is None  # the defaults until then
    assert policy_on(coop, date(2027, 1, 1)) == decision.roster_policy


def test_a_rejected_motion_changes_nothing(coop, members):
    opens, closes = online_window()
    motion = propose_motion(
        coop,
        title="Less travel",
        text="…",
        opens_at=opens,
        closes_at=closes,
        effect_kind="roster_policy",
        effect={name: "2" for name in RosterPolicy.WEIGHTS},
    )
    open_vote(motion)
    for member in members["Workers"]:
        cast_vote(motion, member, choice="against")
    assert not close_vote(motion).passed
    assert not RosterPolicy.objects.exists() and not Decision.objects.exists()


def test_an_effect_with_a_bad_weight_is_refused(coop):
    opens, closes = online_window()
    with pytest.raises(ValidationError, match="weight of 0 or more for travel"):
        propose_motion(
            coop,
            title="X",
            text="X",
            opens_at=opens,
            closes_at=closes,
            effect_kind="roster_policy",
            effect={"travel": "-1"},
        )


def test_secret_ballot_keeps_the_roll_apart_from_the_choice(coop, members):
    opens, closes = online_window()
    motion = propose_motion(
        coop, title="X", text="X", secret=True, opens_at=opens, closes_at=closes
    )
    open_vote(motion)
    cast = cast_vote(motion, members["Workers"][0], choice="against")
    roll = VoterRoll.objects.get()
    assert roll.choice == "" and roll.ranking == []
    assert Ballot.objects.get(tracker=cast.tracker).choice == "against"


def test_open_vote_names_the_choice_on_the_roll(coop, members):
    opens, closes = online_window()
    motion = propose_motion(coop, title="X", text="X", opens_at=opens, closes_at=closes)
    open_vote(motion)
    cast_vote(motion, members["Workers"][0], choice="for")
    assert VoterRoll.objects.get().choice == "for"


def test_stv_election_with_secret_ballots(coop, members):
    opens, closes = online_window()
    workers = members["Workers"]
    election = call_election(
        coop,
        title="Board",
        method="stv",
        seats=2,
        candidates=workers[:3],
        opens_at=opens,
        closes_at=closes,
    )
    open_vote(election)
    ids = {c.member_id: c.pk for c in election.candidates.all()}
    voters = [*members["People cared for"], *members["Supporters"], *workers]
    rankings = [[0, 1], [0, 2], [0, 1], [1, 2], [1, 0], [2, 0], [0], [1], [2], [0, 2]]
    for voter, ranking in zip(voters, rankings, strict=True):
        cast_vote(election, voter, ranking=[ids[workers[i].pk] for i in ranking])
    election = close_vote(election)
    assert election.status == QuestionStatus.CLOSED
    assert election.result["valid"] and len(election.result["elected"]) == 2
    assert election.result["elected"][0] == workers[0].full_name
    assert not VoterRoll.objects.exclude(ranking=[]).exists()


def test_election_refusals(coop, classes, members):
    opens, closes = online_window()
    with pytest.raises(ValidationError, match="Instant-runoff fills one seat"):
        call_election(
            coop,
            title="B",
            method="irv",
            seats=2,
            candidates=members["Workers"][:2],
            opens_at=opens,
            closes_at=closes,
        )
    with pytest.raises(ValidationError, match="reserved for Supporters"):
        call_election(
            coop,
            title="B",
            method="approval",
            seats=2,
            candidates=members["Workers"][:2],
            reserved={classes["Supporters"]: 1},
            opens_at=opens,
            closes_at=closes,
        )
    election = call_election(
        coop,
        title="B",
        method="plurality",
        seats=1,
        candidates=members["Workers"][:2],
        opens_at=opens,
        closes_at=closes,
    )
    open_vote(election)
    with pytest.raises(ValidationError, match="one candidate"):
        cast_vote(
            election,
            members["Supporters"][0],
            ranking=list(election.candidates.values_list("pk", flat=True)),
        )
    assert not VoterRoll.objects.exists()


@pytest.fixture
def closing_vote(coop, members):
    """An online vote on "Budget" closing in 20 hours; the workers have addresses on the
    register and the first of them has voted."""
    now = timezone.now()
    motion = propose_motion(
        coop,
        title="Budget",
        text="…",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(hours=20),
    )
    open_vote(motion)
    for member in members["Workers"]:
        member.email = f"w{member.pk}@example.org"
        member.save()
    cast_vote(motion, members["Workers"][0], choice="for")
    return motion


def test_reminders_go_once_to_members_who_have_not_voted(
    closing_vote, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now) == 3
        assert send_reminders(now) == 0
    assert len(mail.outbox) == 3 and "Budget" in mail.outbox[0].subject
    assert VoteReminder.objects.count() == 3


def test_a_reminder_is_in_the_members_language(
    closing_vote, members, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=members["Workers"][1].user, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(timezone.now())
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[members["Workers"][1].email] == "Rappel : votez sur « Budget »"
    assert subjects[members["Workers"][2].email] == "Reminder: vote on “Budget”"


@override_settings(EMAIL_BACKEND="tests.test_notify.RefusingBackend")
def test_a_refused_reminder_loses_neither_the_records_nor_the_other_reminders(
    closing_vote, members, django_capture_on_commit_callbacks
):
    refused = members["Workers"][2]
    refused.email = REFUSED
    refused.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(timezone.now()) == 3
    assert len(mail.outbox) == 2 and REFUSED not in {m.to[0] for m in mail.outbox}
    # Each reminder is recorded, so nobody gets a second one on the next hourly run.
    assert VoteReminder.objects.count() == 3


def test_online_votes_close_when_their_window_ends(coop, members):
    now = timezone.now()
    motion = propose_motion(
        coop,
        title="X",
        text="X",
        opens_at=now - timedelta(days=3),
        closes_at=now - timedelta(minutes=1),
    )
    open_vote(motion)
    assert close_due_votes(now) == 1
    motion.refresh_from_db()
    assert motion.status == QuestionStatus.CLOSED and motion.passed is False


def test_minutes_are_drafted_on_close_and_published_once(assembly, members):
    attend(assembly, *members["Workers"])
    motion = propose_motion(
        assembly.cooperative, title="Accounts 2025", text="Approve", assembly=assembly
    )
    open_vote(motion, at(20, 19))
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for", at=at(20, 19))
    assembly = close_session(assembly, at(20, 21))
    assert "Accounts 2025" in assembly.minutes and "Passed." in assembly.minutes
    assert "4 members present" in assembly.minutes
    publish_minutes(assembly, assembly.minutes + "\nSigned.")
    with pytest.raises(ValidationError, match="already published"):
        publish_minutes(assembly, "Other")
    assembly.refresh_from_db()
    assert assembly.minutes.endswith("Signed.")


def test_attendance_only_in_session(coop, members):
    called = call_assembly(
        coop,
        kind=AssemblyKind.ORDINARY,
        title="AGM",
        starts_at=at(20),
        called_on=date(2026, 4, 1),
        place="Hall",
    )
    with pytest.raises(ValidationError, match="in session"):
        record_attendance(called, members["Workers"][0], "in_person")
    assert not Member.objects.filter(attendance__isnull=False).exists()


def test_the_votes_command_closes_and_reminds(coop, members, capsys):
    from django.core.management import call_command

    now = timezone.now()
    open_vote(
        propose_motion(
            coop,
            title="Old",
            text="X",
            opens_at=now - timedelta(days=9),
            closes_at=now - timedelta(days=1),
        )
    )
    call_command("votes")
    assert "Closed 1 votes; sent 0 reminders." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("votes", "--remind-within", "0")


def test_an_election_reserving_seats_for_another_cooperative_s_class_is_refused(coop, members):
    opens, closes = online_window()
    foreign = factories.StakeholderClassFactory()
    with pytest.raises(ValidationError, match="That stakeholder class belongs to another"):
        call_election(
            coop,
            title="B",
            method="approval",
            seats=1,
            candidates=members["Workers"][:2],
            reserved={foreign: 1},
            opens_at=opens,
            closes_at=closes,
        )


def test_the_result_shows_the_effective_weights_within_the_band(client, coop, classes, members):
    """SCIC (loi 47-1775 art. 19 octies): a college holds at most 50 %. Supporters do not
    vote: 50/80 would give workers 62.5 %; they hold 50 % and people cared for the rest. The
    result page and the API result show the weights used."""
    opens, closes = online_window()
    motion = open_vote(propose_motion(coop, title="X", text="X", opens_at=opens, closes_at=closes))
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for")
    for member in members["People cared for"]:
        cast_vote(motion, member, choice="against")
    motion = close_vote(motion)
    assert motion.result["effective_weights"] == {"People cared for": "50.0", "Workers": "50.0"}
    assert motion.result["share_for"] == "50.0" and not motion.passed
    factories.log_in(client, members["Supporters"][0].user)
    page = client.get(f"/c/{coop.slug}/motions/{motion.pk}/").content.decode()
    assert "Weight in this count" in page and "Workers 50.0 %" in page


def test_statutes_may_count_a_class_that_only_abstained(coop, classes, members):
    statutes = statutes_of(coop)
    statutes.abstaining_class_is_absent = False
    statutes.save()
    opens, closes = online_window()
    motion = open_vote(propose_motion(coop, title="X", text="X", opens_at=opens, closes_at=closes))
    for member in members["Workers"]:
        cast_vote(motion, member, choice="for")
    for member in members["Supporters"]:
        cast_vote(motion, member, choice="abstain")
    motion = close_vote(motion)
    # Workers 50 % all for, supporters keep 20 % with nobody for; people cared for (absent)
    # share their 30 % out: workers are at their maximum, so supporters reach 50 %.
    assert motion.result["effective_weights"] == {"Supporters": "50.0", "Workers": "50.0"}
    assert motion.result["share_for"] == "50.0" and not motion.passed
