"""The member's view of their cooperative (``members/me/`` and ``GET .../members/me``): the
votes open to them, the assemblies they are called to, their shares, their patronage refunds
and the last social report, only ever their own."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from coopcare import localise
from coopcare.accounts.models import ApiToken, Profile
from coopcare.cooperatives.models import Role
from coopcare.governance.services.assemblies import call_assembly
from coopcare.governance.services.proxies import give_proxy
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.statutes import statutes_of
from coopcare.governance.services.voting import cast_vote, open_vote
from coopcare.members import queries, services
from coopcare.members.models import Member, MemberStatus, StakeholderKind
from coopcare.work.models import Timesheet
from coopcare.work.services import surplus, timesheets
from tests import factories
from tests.work.conftest import worked

TUESDAY = date(2026, 11, 3)


@pytest.fixture
def rosa(coop, supporter_class):
    """A supporter paying 4 shares of 50: 50 paid, 150 in three monthly instalments."""
    user = factories.UserFactory(username="rosa")
    member = factories.admitted_member(
        supporter_class, user=user, full_name="Rosa Bianchi", paid=Decimal(50), shares=4
    )
    services.plan_instalments(member, 3, date(2027, 1, 1))
    return member


@pytest.fixture
def marco(coop, supporter_class):
    """Another member, whose records Rosa must never see."""
    return factories.admitted_member(
        supporter_class, user=factories.UserFactory(username="marco"), full_name="Marco Verdi"
    )


@pytest.fixture
def votes_while_paying(coop):
    """Statutes that let members vote while they pay their shares in instalments."""
    statutes = statutes_of(coop)
    statutes.paid_up_to_vote = False
    statutes.save()
    return statutes


@pytest.fixture
def open_motion(coop):
    """An online vote open since yesterday, for five more days."""
    now = timezone.now()
    return open_vote(
        propose_motion(
            coop,
            title="Join the equipment consortium",
            text="Share hoists with the federation.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=5),
        ),
        now - timedelta(days=1),
    )


@pytest.fixture
def assembly(coop):
    """An ordinary assembly in a month, its notice sent to every member entitled."""
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=30), time(18))
    )
    return call_assembly(
        coop,
        kind="ordinary",
        title="Spring assembly",
        starts_at=starts,
        called_on=timezone.localdate(),
        place="Sala Borsa",
        agenda=["Accounts", "Night care"],
    )


def test_a_member_sees_their_own_view_and_nothing_of_another(
    client, coop, rosa, marco, votes_while_paying, open_motion, assembly
):
    give_proxy(assembly, marco, rosa)
    factories.log_in(client, rosa.user)
    page = client.get(f"/c/{coop.slug}/members/me/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rosa Bianchi" in html and "You hold 4 shares of" in html
    assert "Still to pay: 150,00\xa0€." in html
    assert html.count("on Monday, 1 February 2027") == 1  # the second of three instalments
    assert f"/c/{coop.slug}/members/{rosa.pk}/certificate.pdf" in html
    assert "Spring assembly" in html and "Sala Borsa" in html and "Night care" in html
    # Marco gave Rosa his proxy: she may read that, and nothing else of his.
    assert "Marco Verdi asked you to vote for them." in html
    assert f"/members/{marco.pk}/" not in html
    assert "You also vote for" not in html  # an online vote takes no proxies

    _token, raw = ApiToken.issue(rosa.user, "test")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/members/me", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert answer["member_id"] == rosa.pk and answer["full_name"] == "Rosa Bianchi"
    assert answer["shares"]["shares"] == 4 and answer["shares"]["unpaid"] == "150.00"
    assert [i["due_on"] for i in answer["shares"]["instalments_due"]] == [
        "2027-01-01",
        "2027-02-01",
        "2027-03-01",
    ]
    assert [v["id"] for v in answer["votes"]] == [open_motion.pk]
    assert answer["votes"][0]["voting_for"] == [rosa.pk]
    [called] = answer["assemblies"]
    assert called["agenda"] == ["Accounts", "Night care"]
    assert called["proxy_holder_id"] is None and called["proxies_held_from"] == ["Marco Verdi"]

    # Marco's own view shows his proxy to Rosa, his shares, never Rosa's.
    mine = queries.overview(coop, marco)
    assert mine.assemblies[0].proxy_given.holder == rosa
    assert mine.shares.balance.shares == 1 and not mine.shares.instalments_due


def test_a_member_with_an_open_ballot_is_offered_the_vote_until_they_cast_it(
    client, coop, rosa, open_motion
):
    # Paid up: by default the statutes let only paid-up members vote.
    services.record_payment(rosa, Decimal(150), date(2026, 3, 1))
    factories.log_in(client, rosa.user)
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert "Join the equipment consortium" in html and "Vote now" in html
    assert f'href="/c/{coop.slug}/motions/{open_motion.pk}/"' in html
    assert "Nobody will see how you voted." not in html  # an open (named) vote

    cast_vote(open_motion, rosa, choice="for")
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert "You have voted. Thank you." in html and "Vote now" not in html


def test_the_members_dashboard_puts_the_open_vote_and_the_assembly_first(
    client, coop, rosa, votes_while_paying, open_motion, assembly
):
    # Rosa is also on the board: her own share statement and the register come after what
    # she must act on, in the plain large type of "My cooperative".
    factories.RoleFactory(user=rosa.user, cooperative=coop, role=Role.BOARD)
    factories.log_in(client, rosa.user)
    html = client.get(f"/c/{coop.slug}/").content.decode()
    vote = html.index("Join the equipment consortium")
    assert html.index("Votes open to you now") < vote < html.index("Spring assembly")
    assert html.index("Spring assembly") < html.index("My membership")
    assert html.index("Spring assembly") < html.index("The cooperative")
    assert f'href="/c/{coop.slug}/motions/{open_motion.pk}/"' in html and "Vote now" in html
    assert '<div class="plain">' in html[:vote]


def test_a_members_dashboard_with_nothing_to_act_on_leaves_the_section_out(client, coop, rosa):
    factories.log_in(client, rosa.user)
    html = client.get(f"/c/{coop.slug}/").content.decode()
    assert "Votes open to you now" not in html and "Assemblies you are called to" not in html
    assert "My membership" in html


def test_a_member_not_paid_up_is_not_offered_a_vote_they_may_not_cast(
    client, coop, rosa, open_motion
):
    factories.log_in(client, rosa.user)
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert "Join the equipment consortium" not in html
    assert "There is nothing to vote on at the moment." in html


def test_a_member_with_no_shares_reads_a_plain_sentence(client, coop, supporter_class):
    # The register may hold a member whose shares are not recorded yet (entered by the
    # administration before the share history is imported); the services always subscribe at
    # least one share, so the row is written directly.
    user = factories.UserFactory()
    Member.objects.create(
        cooperative=coop,
        user=user,
        full_name="Lina Moretti",
        stakeholder_class=supporter_class,
        status=MemberStatus.ADMITTED,
        applied_on=date(2026, 1, 5),
        admitted_on=date(2026, 2, 1),
    )
    factories.log_in(client, user)
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert "You hold no shares." in html
    assert "certificate.pdf" not in html
    assert "You are not called to any assembly at the moment." in html
    assert "Members of the class Supporters do not receive it." in html
    # Admitted in 2026: there is no whole year to report on yet.
    assert "first social report comes after its first whole year" in html


def test_a_worker_member_reads_their_patronage_refund_and_not_a_colleagues(
    client, coop, coordinator
):
    workers = factories.StakeholderClassFactory(
        cooperative=coop, name="Workers", kind=StakeholderKind.WORKER
    )
    carla = factories.user_with_role(coop, Role.CARER, username="carla")
    gino = factories.user_with_role(coop, Role.CARER, username="gino")
    for user in (carla, gino):
        factories.admitted_member(
            workers, user=user, applied_on=date(2025, 1, 5), on=date(2025, 1, 10)
        )
    person = factories.person_cared_for(coop)
    factories.care_plan(person, valid_from=date(2026, 1, 1))
    worked(carla, person, TUESDAY, 8, 11)  # 3 hours
    worked(gino, person, TUESDAY, 12, 13)  # 1 hour
    timesheets.build_timesheets(coop, TUESDAY, TUESDAY)
    timesheets.approve(coop, Timesheet.objects.all(), coordinator)
    allocation = surplus.allocate_surplus(
        coop,
        {
            "starts_on": date(2026, 1, 1),
            "ends_on": date(2026, 12, 31),
            "surplus": Decimal("1000.00"),
            "reserve_percent": Decimal(30),
            "mutual_fund_percent": Decimal(3),
            "refund_percent": Decimal(100),
        },
        coordinator,
    )
    # c.c. art. 2545-sexies, as work.rules.split_surplus applies it: 1000 less 30 % and 3 %
    # leaves 670.00 for refunds, shared by hours: 3 of 4 hours is 502.50, 1 of 4 is 167.50.
    factories.log_in(client, carla)
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert "You receive 502,50\xa0€." in html and "You worked 3 hrs of the 4 hrs worked" in html
    assert "167,50\xa0€" not in html
    assert f"/c/{coop.slug}/work/surplus/{allocation.pk}/" in html
    # Members since 2025: last year's social report is theirs to read.
    year = timezone.localdate().year - 1
    assert f"/c/{coop.slug}/impact/report/{year}/report.pdf" in html


def test_the_page_in_arabic_runs_right_to_left(client, coop, rosa, votes_while_paying, assembly):
    Profile.objects.create(user=rosa.user, language="ar")
    factories.log_in(client, rosa.user)
    html = client.get(f"/c/{coop.slug}/members/me/").content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    # The days are written out in Arabic, the weekday and the month named: an instalment
    # due on Friday 1 January 2027.
    assert "الجمعة، 1 يناير 2027" in html
    with translation.override("ar"):
        assert localise.moment_in_words(assembly.starts_at) in html


def test_only_a_member_has_a_view_of_their_own(client, coop, coordinator, supporter_class):
    factories.log_in(client, coordinator)
    assert client.get(f"/c/{coop.slug}/members/me/").status_code == 403
    _token, raw = ApiToken.issue(coordinator, "test")
    answer = client.get(
        f"/api/cooperatives/{coop.slug}/members/me", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
