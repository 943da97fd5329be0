"""The person's confirmation code cannot be guessed: wrong codes are recorded (even though the
check-out they came with is refused), limited per visit and per carer within an hour, answered
with stable codes by the API, and listed for the coordinators."""

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.care import services as care_services
from coopcare.care.models import Verification
from coopcare.cooperatives.models import Role
from coopcare.visits import services
from coopcare.visits.models import StepOutcome, VisitRecord, WrongConfirmationCode
from coopcare.visits.rules import WRONG_CODES_PER_CARER, WRONG_CODES_PER_VISIT
from coopcare.visits.services import add_carer
from tests import factories
from tests.visits.test_api import call, url

STEPS = [{"step": "Morning care", "done": True}]


@pytest.fixture
def carer(coop):
    return factories.user_with_role(coop, Role.CARER, first_name="Ana", last_name="Pop")


def checked_in_visit(coop, carer, name="Rosa Bianchi"):
    """A visit on 20 November 2026 at 09:00 (45 minutes) its carer checked in to on time."""
    visit = factories.visit(factories.person_cared_for(coop, full_name=name), [carer])
    services.check_in(visit, carer, client_id=uuid4(), at=visit.starts_at, now=visit.starts_at)
    return visit


def not_the_code(person) -> str:
    return f"{(int(person.confirmation_code) + 1) % 10**6:06d}"


def leave(visit, carer, now, **kw):
    """Check out at 09:40 as uploaded at ``now``."""
    at = visit.starts_at + timedelta(minutes=40)
    return services.check_out(visit, carer, client_id=uuid4(), at=at, steps=STEPS, now=now, **kw)


def refused(visit, carer, now, code) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        leave(visit, carer, now, code=code)
    return raised.value


def codes_of(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def test_after_five_wrong_codes_even_the_right_one_is_refused_until_the_hour_passes(coop, carer):
    visit = checked_in_visit(coop, carer)
    person = visit.person
    first = visit.starts_at + timedelta(minutes=41)
    for n in range(WRONG_CODES_PER_VISIT):
        error = refused(visit, carer, first + timedelta(minutes=n), not_the_code(person))
        assert codes_of(error) == {"wrong_confirmation_code"}
        assert "That is not the person's confirmation code." in error.messages[0]
    assert "That was the last try" in error.messages[0]

    # The sixth code, within the hour, is not even compared: the right one is refused too.
    error = refused(visit, carer, first + timedelta(minutes=10), person.confirmation_code)
    assert codes_of(error) == {"too_many_wrong_codes"}
    assert error.messages[0].startswith("Too many wrong codes: confirm by tapping with the person")
    assert "even the right one, are refused until" in error.messages[0]
    # Refused codes are not compared, so they are not counted as wrong ones either.
    assert WrongConfirmationCode.objects.count() == WRONG_CODES_PER_VISIT
    assert VisitRecord.objects.get().checked_out_at is None

    # An hour after the first wrong code, only four are within the hour: codes are taken again.
    record = leave(visit, carer, first + timedelta(hours=1), code=person.confirmation_code).record
    assert record.verified_how == "code"


def test_past_the_limit_the_person_can_still_tap_to_confirm(coop, carer):
    visit = checked_in_visit(coop, carer)
    now = visit.starts_at + timedelta(minutes=41)
    for _ in range(WRONG_CODES_PER_VISIT):
        refused(visit, carer, now, not_the_code(visit.person))
    error = refused(visit, carer, now, visit.person.confirmation_code)
    assert codes_of(error) == {"too_many_wrong_codes"}
    assert leave(visit, carer, now, tapped=True).record.verified_how == "tap"


def test_a_carer_cannot_spread_guesses_over_several_visits(coop, carer):
    """Four wrong codes on each of two visits and two on a third: ten by one carer within the
    hour, so the third visit refuses codes though it saw only two wrong ones itself."""
    visits = [checked_in_visit(coop, carer, name) for name in ("Rosa", "Lino", "Ida")]
    now = visits[0].starts_at + timedelta(minutes=41)
    for visit, tries in zip(visits, (4, 4, 2), strict=True):
        for _ in range(tries):
            error = refused(visit, carer, now, not_the_code(visit.person))
            assert codes_of(error) == {"wrong_confirmation_code"}
    assert WrongConfirmationCode.objects.filter(carer=carer).count() == WRONG_CODES_PER_CARER
    third = visits[2]
    error = refused(third, carer, now, third.person.confirmation_code)
    assert codes_of(error) == {"too_many_wrong_codes"}

    # Another carer on the same visit is not held back by the first carer's guesses.
    other = factories.user_with_role(coop, Role.CARER)
    add_carer(third, other)
    services.check_in(third, other, client_id=uuid4(), at=third.starts_at, now=third.starts_at)
    assert leave(third, other, now, code=third.person.confirmation_code).record.verified_how == (
        "code"
    )


@pytest.mark.django_db(transaction=True)
def test_a_wrong_code_stays_recorded_although_the_check_out_is_rolled_back(coop, carer):
    """Committed for real (no test transaction around it): the check-out writes nothing, the
    wrong code is kept, and so counts towards the limit."""
    visit = checked_in_visit(coop, carer)
    now = visit.starts_at + timedelta(minutes=41)
    refused(visit, carer, now, not_the_code(visit.person))
    [wrong] = WrongConfirmationCode.objects.all()
    assert (wrong.visit, wrong.carer, wrong.at) == (visit, carer, now)
    record = VisitRecord.objects.get()
    assert record.checked_out_at is None and record.check_out_id is None
    assert not StepOutcome.objects.exists()


def test_a_resent_check_out_is_not_checked_against_a_renewed_code(coop, carer, coordinator):
    """A phone that lost the answer sends its check-out again; the code it carries was right
    when first sent, and a resend is never a wrong code."""
    visit = checked_in_visit(coop, carer)
    now, client_id = visit.starts_at + timedelta(minutes=41), uuid4()
    first = services.check_out(
        visit,
        carer,
        client_id=client_id,
        at=visit.starts_at + timedelta(minutes=40),
        steps=STEPS,
        code=visit.person.confirmation_code,
        now=now,
    )
    old_code = visit.person.confirmation_code
    care_services.renew_confirmation_code(visit.person, coordinator)
    again = services.check_out(
        visit,
        carer,
        client_id=client_id,
        at=visit.starts_at + timedelta(minutes=40),
        steps=STEPS,
        code=old_code,
        now=now,
    )
    assert (again.record.pk, again.created) == (first.record.pk, False)
    assert not WrongConfirmationCode.objects.exists()


def test_codes_are_counted_only_where_the_person_chose_confirmation(coop, carer):
    """A person who chose phone calls has no code to guess: one sent anyway is ignored, as it
    always was, and not counted; with confirmation chosen, the same wrong code counts."""
    by_phone = factories.person_cared_for(coop)
    care_services.choose_verification(by_phone, Verification.PHONE)
    visit = factories.visit(by_phone, [carer])
    services.check_in(visit, carer, client_id=uuid4(), at=visit.starts_at, now=visit.starts_at)
    now = visit.starts_at + timedelta(minutes=41)
    assert leave(visit, carer, now, code=not_the_code(by_phone)).record.verified_how == ""
    assert not WrongConfirmationCode.objects.exists()

    confirming = checked_in_visit(coop, carer)
    refused(confirming, carer, now, not_the_code(confirming.person))
    assert WrongConfirmationCode.objects.get().visit == confirming


# -- the API ---------------------------------------------------------------------------------


def test_the_api_answers_400_with_the_wrong_code_then_too_many(client, coop, carer):
    began = timezone.localtime() - timedelta(hours=1)
    person = factories.person_cared_for(coop)
    visit = factories.visit(
        person,
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps="Wash",
    )
    now = timezone.now()
    call(client, carer, url(visit, "check-in"), {"client_id": str(uuid4()), "at": now.isoformat()})

    def check_out(code):
        body = {
            "client_id": str(uuid4()),
            "at": (now + timedelta(seconds=30)).isoformat(),
            "steps": [{"step": "Wash", "done": True}],
            "code": code,
        }
        return call(client, carer, url(visit, "check-out"), body)

    for _ in range(WRONG_CODES_PER_VISIT):
        response = check_out(not_the_code(person))
        assert response.status_code == 400
        assert response.json()["code"] == "wrong_confirmation_code"
    response = check_out(person.confirmation_code)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_many_wrong_codes"
    assert body["detail"].startswith("Too many wrong codes")
    assert WrongConfirmationCode.objects.count() == WRONG_CODES_PER_VISIT
    assert VisitRecord.objects.get().checked_out_at is None


# -- the pages -------------------------------------------------------------------------------


def test_the_check_out_form_shows_the_refusal(client, coop, carer):
    began = timezone.localtime() - timedelta(minutes=30)
    visit = factories.visit(
        factories.person_cared_for(coop),
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
        steps="Wash",
    )
    services.check_in(visit, carer, client_id=uuid4(), at=visit.starts_at)
    factories.log_in(client, carer)
    prefix = f"v{visit.pk}"
    response = client.post(
        f"/c/cura/visits/{visit.pk}/check-out/",
        {
            f"{prefix}-client_id": str(uuid4()),
            f"{prefix}-done_0": "on",
            f"{prefix}-code": not_the_code(visit.person),
        },
    )
    assert response.status_code == 400
    assert "That is not the person&#x27;s confirmation code." in response.content.decode()
    assert WrongConfirmationCode.objects.filter(visit=visit, carer=carer).count() == 1


def test_the_follow_up_page_lists_wrong_codes_of_the_last_two_weeks(client, coop, carer):
    coordinator = factories.user_with_role(coop, Role.COORDINATOR)
    began = timezone.localtime() - timedelta(hours=2)
    visit = factories.visit(
        factories.person_cared_for(coop, full_name="Rosa Bianchi"),
        [carer],
        day=began.date(),
        start_time=began.time().replace(second=0, microsecond=0),
    )
    services.check_in(visit, carer, client_id=uuid4(), at=visit.starts_at)
    last = timezone.now()
    for now in (last - timedelta(minutes=2), last):
        refused(visit, carer, now, not_the_code(visit.person))
    over_two_weeks_ago = timezone.localdate() - timedelta(days=15)
    older = factories.visit(
        factories.person_cared_for(coop, full_name="Ida Neri"), [carer], day=over_two_weeks_ago
    )
    services.check_in(older, carer, client_id=uuid4(), at=older.starts_at, now=older.starts_at)
    refused(older, carer, older.starts_at + timedelta(minutes=41), not_the_code(older.person))
    assert WrongConfirmationCode.objects.filter(visit=older).count() == 1

    factories.log_in(client, coordinator)
    page = client.get("/c/cura/visits/follow-up/")
    assert page.status_code == 200
    [row] = page.context["wrong_codes"]
    assert (row["visit_id"], row["tries"], row["last_at"]) == (visit.pk, 2, last)
    html = page.content.decode()
    assert "Wrong confirmation codes" in html
    assert "Rosa Bianchi" in html and "Ana Pop" in html
    assert "Ida Neri" not in html
    assert f"/c/cura/people/{visit.person_id}/" in html
