"""Each role's main pages and flows in Chromium, checked by axe-core against WCAG 2.2 AA: no
serious or critical violation. Every page is checked in English and in Arabic (right to left)
at desktop width (1280 CSS pixels); each role's flow is walked at a phone's width (390) in both
languages, checking each page it reaches. The carer's check-out and a member's vote are done
with the keyboard alone and their result read back from the database. The pages of childcare,
family caregivers, household employment, time credits and the choice of forms of care are
checked the same way, the childcare door also at a tablet's width (768), where it is used."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coopcare.care import services as care_services
from coopcare.care.models import PersonCaredFor, Relationship
from coopcare.childcare import services as childcare_services
from coopcare.childcare.models import Area, Child, ConsentKind
from coopcare.conversations.models import Message, Side
from coopcare.conversations.services import send_message
from coopcare.cooperatives import services as cooperative_services
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.governance.models import Ballot, Motion
from coopcare.governance.services.questions import propose_motion
from coopcare.governance.services.voting import open_vote
from coopcare.household import services as household_services
from coopcare.household.models import Employer
from coopcare.members.models import StakeholderKind
from coopcare.respite import services as respite_services
from coopcare.respite.models import Caregiver
from coopcare.timecredits import services as timecredit_services
from coopcare.timecredits.models import Direction, HelpKind
from coopcare.visits.models import Visit, VisitRecord
from coopcare.voice import services as voice_services
from coopcare.voice.models import Feedback
from tests import factories
from tests.browser.conftest import assert_accessible

DESKTOP, TABLET, PHONE = 1280, 768, 390
LANGUAGES = ["en", "ar"]


@dataclass
class AtWork:
    """Someone in each role, and something for each to do."""

    coop: Cooperative
    coordinator: AbstractBaseUser
    board: AbstractBaseUser
    carer: AbstractBaseUser
    family: AbstractBaseUser
    member: AbstractBaseUser
    person: PersonCaredFor
    due: Visit  # the carer's visit that started ten minutes ago
    yesterday: Visit  # done, for the family's feedback
    motion: Motion

    def path(self, name: str, *args) -> str:
        return reverse(name, args=[self.coop.slug, *args])


@pytest.fixture
def at_work(coop, coordinator, board_user) -> AtWork:
    """A person cared for with a relative in their circle, a visit due now and one done
    yesterday, a conversation and a complaint; a member with an open motion to vote on."""
    carer = factories.user_with_role(
        coop, Role.CARER, username="carla", first_name="Carla", last_name="Bianchi"
    )
    family = factories.user_with_role(coop, Role.CIRCLE, username="anna", first_name="Anna")
    person = factories.person_cared_for(coop, full_name="Giuseppe Zanetti")
    started = timezone.localtime() - timedelta(minutes=10)
    today = started.date()
    care_services.new_care_plan(
        person,
        valid_from=today - timedelta(days=1),
        goals="Stay safely at home",
        tasks=[
            {
                "title": "Morning care",
                "steps": "Wash\nDress\nBreakfast",
                "rrule": "FREQ=DAILY",
                "start_time": started.time().replace(second=0, microsecond=0),
                "duration_minutes": 45,
            }
        ],
        horizon_days=0,
    )
    yesterday = factories.visit(person, [carer], day=today - timedelta(days=1))
    factories.recorded_visit(yesterday, carer)
    due = factories.visit(person, [carer], day=today)
    care_services.add_to_circle(
        person,
        user=family,
        full_name="Anna Zanetti",
        relationship=Relationship.FAMILY,
        may_see_visits=True,
        may_see_notes=True,
        may_see_care_plan=True,
        granted_by="Giuseppe Zanetti",
        granted_on=date(2026, 1, 1),
    )
    send_message(person, family, Side.CIRCLE, "Dad slept badly; could the visit be gentle?")
    voice_services.file_complaint(
        person,
        by=coordinator,
        about="care",
        description="The shower was skipped three weeks running.",
        complainant_name="Anna Zanetti",
    )
    workers = factories.StakeholderClassFactory(
        cooperative=coop, name="Workers", kind=StakeholderKind.WORKER
    )
    member = factories.admitted_member(
        workers, full_name="Marco Rossi", user=factories.UserFactory(), on=date(2025, 1, 10)
    )
    now = timezone.now()
    motion = open_vote(
        propose_motion(
            coop,
            title="Sunday visits paid at double rate",
            text="From January, Sunday visits are paid at twice the hourly rate.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
        )
    )
    return AtWork(
        coop, coordinator, board_user, carer, family, member.user, person, due, yesterday, motion
    )


def main_pages(w: AtWork) -> list[tuple[AbstractBaseUser, str]]:
    """Each role's main pages, as that role sees them."""
    return [
        (w.coordinator, w.path("dashboard")),
        (w.coordinator, w.path("rostering:home")),
        (w.coordinator, w.path("care:people")),
        (w.coordinator, w.path("care:person", w.person.pk)),
        (w.coordinator, w.path("visits:follow_up")),
        (w.carer, w.path("visits:today")),
        (w.carer, w.path("rostering:mine")),
        (w.carer, w.path("work:mine")),
        (w.family, w.path("care:circle", w.person.pk)),
        (w.family, w.path("conversations:thread", w.person.pk)),
        (w.family, w.path("voice:give_feedback", w.yesterday.pk)),
        (w.member, w.path("governance:home")),
        (w.member, w.path("governance:motion", w.motion.pk)),
        (w.member, w.path("members:me")),
        (w.board, w.path("dashboard")),
        (w.board, w.path("voice:register")),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_main_page_passes_axe_at_desktop_width(open_as, at_work, language):
    for user, path in main_pages(at_work):
        page = open_as(user, DESKTOP, language)
        assert page.goto(path).status == 200, path
        assert page.evaluate("document.documentElement.lang") == language
        assert_accessible(page)
        page.close()


@dataclass
class NewForms:
    """The same cooperative running every form of care: a room with a child whose mother has
    a login, a family caregiver, a household employing a carer and a time credits board."""

    child: Child
    guardian: AbstractBaseUser
    caregiver: Caregiver
    employer: Employer


@pytest.fixture
def new_forms(at_work) -> NewForms:
    w = at_work
    # Switched on by the board, so the forms of care page has its history to show.
    cooperative_services.choose_forms_of_care(
        w.coop,
        by=w.board,
        runs_childcare=True,
        runs_household_employment=True,
        runs_time_credits=True,
        runs_respite=True,
    )
    today = timezone.localdate()
    room = childcare_services.add_room(
        w.coop, name="Babies", from_months=0, to_months=24, capacity=9
    )
    child = childcare_services.enrol(
        w.coop,
        full_name="Amira Patel",
        born_on=today - timedelta(days=300),
        enrolled_on=today - timedelta(days=30),
        room=room,
        allergies="Peanuts",
    )
    guardian = factories.UserFactory(username="hana", first_name="Hana")
    mother = childcare_services.add_guardian(
        child, full_name="Hana Patel", phone="+44 7700 900123", user=guardian, by=w.coordinator
    )
    childcare_services.authorise_adult(
        child,
        full_name="Omar Patel",
        relation="grandfather",
        identity_note="grey beard",
        by=w.coordinator,
    )
    # Shared with the mother, who consented: her view of Amira shows it.
    childcare_services.give_consent(
        child,
        kind=ConsentKind.OBSERVATIONS,
        guardian=mother,
        given_on=today - timedelta(days=30),
        by=w.coordinator,
    )
    childcare_services.observe(
        child,
        observed_on=today,
        area=Area.values[0],
        text="Stacks three blocks.",
        by=w.coordinator,
        share=True,
    )
    caregiver = respite_services.register_caregiver(
        w.coop,
        full_name="Lucia Bianchi",
        cares_for_whom="Her mother, who has dementia",
        hours_caring_a_week=40,
        consent_given_on=today - timedelta(days=60),
        since=today - timedelta(days=60),
        asks_respite=True,
    )
    employer = household_services.add_employer(
        w.coop,
        w.person,
        {
            "name": "Paolo Zanetti",
            "tax_id": "12345678Z",
            "social_security_account": "28 1234567 42",
            "address": "Via Roma 1, Bologna",
        },
    )
    member = w.member.memberships.get(cooperative=w.coop)
    timecredit_services.post(
        w.coop, member, direction=Direction.OFFER, kind=HelpKind.LIFT, words="Lifts on Fridays"
    )
    return NewForms(child, guardian, caregiver, employer)


def new_forms_pages(w: AtWork, n: NewForms) -> list[tuple[AbstractBaseUser, str]]:
    """The main pages of childcare, family caregivers, household employment and time credits,
    and the choice of forms of care, as each role sees them."""
    return [
        (w.coordinator, w.path("childcare:centre")),
        (w.coordinator, w.path("childcare:child", n.child.pk)),
        (w.coordinator, w.path("childcare:room", n.child.room_id)),
        (w.coordinator, w.path("childcare:ratios")),
        (w.carer, w.path("childcare:door")),
        (w.carer, w.path("childcare:door_child", n.child.pk)),
        (n.guardian, w.path("childcare:centre")),
        (n.guardian, w.path("childcare:child", n.child.pk)),
        (w.coordinator, w.path("respite:caregivers")),
        (w.coordinator, w.path("respite:caregiver", n.caregiver.pk)),
        (w.coordinator, w.path("respite:gatherings")),
        (w.coordinator, w.path("household:households")),
        (w.coordinator, w.path("household:employer", n.employer.pk)),
        (w.member, w.path("timecredits:board")),
        (w.member, w.path("timecredits:mine")),
        (w.coordinator, w.path("timecredits:balances")),
        (w.board, w.path("forms_of_care")),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_new_forms_of_care_pass_axe_at_desktop_width(open_as, at_work, new_forms, language):
    for user, path in new_forms_pages(at_work, new_forms):
        page = open_as(user, DESKTOP, language)
        assert page.goto(path).status == 200, path
        assert page.evaluate("document.documentElement.lang") == language
        assert_accessible(page)
        page.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_door_at_a_tablets_width_and_a_mother_and_a_member_on_their_phones(
    open_as, at_work, new_forms, language
):
    """The door page is used on a tablet at the centre's door: the list, then one child,
    signed in by the grandfather's button. A mother reads her child's record on her phone and
    a member the time credits board on theirs."""
    w, n = at_work, new_forms
    page = open_as(w.carer, TABLET, language)
    page.goto(w.path("childcare:door"))
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f"a[href$='/door/{n.child.pk}/']").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("form[action$='/in/'] button", has_text="Omar Patel").click()
    assert_accessible(page)
    assert n.child.attendances.get().brought_by.full_name == "Omar Patel"

    page = open_as(n.guardian, PHONE, language)
    page.goto(w.path("childcare:child", n.child.pk))
    expect(page.get_by_text("Stacks three blocks.")).to_be_visible()
    assert_accessible(page)

    page = open_as(w.member, PHONE, language)
    page.goto(w.path("timecredits:board"))
    expect(page.get_by_text("Lifts on Fridays")).to_be_visible()
    assert_accessible(page)


def visit_card(page, visit: Visit):
    return page.locator(f"#visit-{visit.pk}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_roles_flow_at_phone_width(open_as, at_work, language):
    w = at_work
    # The coordinator: the dashboard, the roster, the person's page, the follow-up list.
    page = open_as(w.coordinator, PHONE, language)
    for path in (
        w.path("dashboard"),
        w.path("rostering:home"),
        w.path("care:person", w.person.pk),
        w.path("visits:follow_up"),
    ):
        assert page.goto(path).status == 200, path
        assert_accessible(page)

    # The carer: the day's visits, check in, then check out with every step done.
    page = open_as(w.carer, PHONE, language)
    page.goto(w.path("visits:today"))
    assert_accessible(page)
    with page.expect_navigation():
        visit_card(page, w.due).locator("form[action$='/check-in/'] button").click()
    page.wait_for_selector(f"#visit-{w.due.pk} form[action$='/check-out/']")
    assert_accessible(page)
    card = visit_card(page, w.due)
    for box in card.locator("input[type=checkbox][name*='done_']").all():
        box.check()
    with page.expect_navigation():
        card.locator("form[action$='/check-out/'] button[type=submit]").click()
    assert_accessible(page)
    record = VisitRecord.objects.get(visit=w.due, carer=w.carer)
    assert record.checked_in_at and record.checked_out_at

    # The family: the circle page, the conversation (writing in it), feedback on yesterday.
    page = open_as(w.family, PHONE, language)
    page.goto(w.path("care:circle", w.person.pk))
    assert_accessible(page)
    page.goto(w.path("conversations:thread", w.person.pk))
    assert_accessible(page)
    # The message is sent by htmx and the thread redrawn in place.
    page.locator("form.conversation-form textarea").fill("Thank you, he is much calmer today.")
    page.locator("form.conversation-form button[type=submit]").click()
    expect(page.get_by_text("Thank you, he is much calmer today.")).to_be_visible()
    assert_accessible(page)
    assert Message.objects.filter(text="Thank you, he is much calmer today.").count() == 1
    page.goto(w.path("voice:give_feedback", w.yesterday.pk))
    assert_accessible(page)
    page.locator("input[name=score]").last.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert_accessible(page)
    assert Feedback.objects.filter(visit=w.yesterday).count() == 1

    # The member: their votes, then a ballot cast on the motion.
    page = open_as(w.member, PHONE, language)
    page.goto(w.path("governance:home"))
    assert_accessible(page)
    page.goto(w.path("governance:motion", w.motion.pk))
    page.locator("input[type=radio][value=for]").check()
    with page.expect_navigation():
        page.locator("form[action$='/vote/'] button[type=submit]").click()
    assert_accessible(page)
    assert Ballot.objects.filter(motion=w.motion, choice="for").count() == 1

    # The board: the dashboard, then the complaints register.
    page = open_as(w.board, PHONE, language)
    for path in (w.path("dashboard"), w.path("voice:register")):
        assert page.goto(path).status == 200, path
        assert_accessible(page)


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element ``selector`` names has the focus, as a keyboard user does."""
    target = page.locator(selector)
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never took the focus after {limit} presses of Tab")


def test_the_carer_checks_in_and_out_with_the_keyboard_alone(open_as, at_work):
    w = at_work
    page = open_as(w.carer, PHONE)
    page.goto(w.path("visits:today"))
    tab_to(page, f"#visit-{w.due.pk} form[action$='/check-in/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(f"#visit-{w.due.pk} form[action$='/check-out/']")
    card = f"#visit-{w.due.pk} form[action$='/check-out/']"
    steps = page.locator(f"{card} input[type=checkbox][name*='done_']").count()
    assert steps == 3
    for index in range(steps):
        tab_to(page, f"{card} input[type=checkbox][name*='done_'] >> nth={index}")
        page.keyboard.press("Space")
    tab_to(page, f"{card} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    record = VisitRecord.objects.get(visit=w.due, carer=w.carer)
    assert record.checked_out_at is not None
    assert [outcome.done for outcome in record.outcomes.all()] == [True] * steps


def test_a_member_votes_with_the_keyboard_alone(open_as, at_work):
    w = at_work
    page = open_as(w.member, DESKTOP)
    page.goto(w.path("governance:motion", w.motion.pk))
    # Tab reaches the first choice of the radio group; the arrow keys move within it.
    tab_to(page, "form[action$='/vote/'] input[type=radio] >> nth=0")
    page.keyboard.press("Space")
    for _ in range(3):
        if page.locator("input[type=radio][value=against]").is_checked():
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, "form[action$='/vote/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Ballot.objects.filter(motion=w.motion, choice="against").count() == 1


def test_the_check_itself_fails_on_a_button_without_a_name(browser):
    """axe-core is really run: a page with a nameless button (WCAG 4.1.2) fails the check."""
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><button></button></main></html>')
    with pytest.raises(AssertionError, match=r"button-name \(critical\)"):
        assert_accessible(page)
    page.close()
