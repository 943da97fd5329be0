"""Cover for days away: the proposal repairs the published day with the planner, keeps every
other visit with its carers unless nothing else covers, and changes nothing until accepted;
accepting some changes goes through the published roster's checks and tells the carers and the
person's circle after the commit."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from coopcare.accounts.models import profile_of
from coopcare.care import services as care_services
from coopcare.cooperatives.models import Role
from coopcare.rostering.models import AbsenceKind, RosterChange
from coopcare.rostering.services import cover
from coopcare.visits.services import set_carers
from tests import factories
from tests.rostering.conftest import away, carer_with, published_with, visits_on

SECONDS = 1
LIMIT = 50  # solutions per search: the same proposal every run


def person_at(coop, name, latitude, longitude, start=time(9, 0), skills="personal"):
    person = factories.person_cared_for(
        coop, full_name=name, latitude=Decimal(latitude), longitude=Decimal(longitude)
    )
    factories.care_plan(person, valid_from=date(2026, 1, 1), start_time=start, skills=skills)
    return person


@pytest.fixture
def cleo(coop):
    return carer_with(coop, "cleo", skills="personal, hoist")


@pytest.fixture
def homes(coop, day):
    """Rosa needs a hoist at 9:00; Marco at 9:00 and Lia at 11:00 need personal care only."""
    rosa = person_at(coop, "Rosa", "44.4940", "11.3430", skills="personal, hoist")
    marco = person_at(coop, "Marco", "44.5060", "11.3600")
    lia = person_at(coop, "Lia", "44.5000", "11.3500", start=time(11, 0))
    return {p.full_name: visits_on(p, day) for p in (rosa, marco, lia)}


def carers(visit):
    return set(visit.carers.all())


def test_cover_keeps_qualifications_and_leaves_the_rest_of_the_day_as_it_is(
    coop, coordinator, ana, ben, cleo, homes, day
):
    rosa, marco, lia = homes["Rosa"], homes["Marco"], homes["Lia"]
    published_with(coop, coordinator, day, {rosa: [ana], marco: [ben], lia: [ben]})
    absence = away(coop, ana, day)
    proposal = cover.propose(absence, coordinator, SECONDS, LIMIT)
    change = proposal.changes.get()
    assert change.visit == rosa and change.covers
    assert list(change.carers.all()) == [cleo]  # the one other carer with a hoist
    assert change.had == [ana.pk]
    # Nothing changes until a coordinator accepts.
    assert carers(rosa) == {ana} and carers(marco) == {ben} and carers(lia) == {ben}


def test_a_refused_carer_is_never_proposed_and_no_cover_says_why(
    coop, coordinator, ana, ben, cleo, homes, day
):
    rosa = homes["Rosa"]
    rosa.person.refused_carers.add(cleo)
    published_with(coop, coordinator, day, {rosa: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    change = proposal.changes.get()
    assert not change.carers.exists()
    assert change.reasons == [["all_refused", {}]]


def test_a_carer_away_or_outside_their_hours_is_not_proposed(
    coop, coordinator, ana, ben, cleo, homes, day
):
    rosa = homes["Rosa"]
    published_with(coop, coordinator, day, {rosa: [ana]})
    away(coop, cleo, day, AbsenceKind.LEAVE)
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    change = proposal.changes.get()
    assert not change.carers.exists()
    assert change.reasons == [["no_skills", {"skills": "hoist, personal"}]]


def test_a_carer_over_the_weeks_hours_is_not_proposed(coop, coordinator, ana, ben, homes, day):
    marco = homes["Marco"]
    tired = carer_with(coop, "tired", max_average_weekly_hours=Decimal("0.5"))
    published_with(coop, coordinator, day, {marco: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    assert list(proposal.changes.get().carers.all()) == [ben]
    assert tired not in proposal.changes.get().carers.all()


def test_a_second_pass_moves_another_visit_when_nothing_else_covers(
    coop, coordinator, ana, ben, cleo, homes, day
):
    rosa, marco = homes["Rosa"], homes["Marco"]
    # Cleo, the only other carer with a hoist, is with Marco at 9:00; Ben is free but has none.
    published_with(coop, coordinator, day, {rosa: [ana], marco: [cleo]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    changes = {c.visit: c for c in proposal.changes.all()}
    assert list(changes[rosa].carers.all()) == [cleo] and changes[rosa].covers
    assert list(changes[marco].carers.all()) == [ben] and not changes[marco].covers
    assert changes[marco].had == [cleo.pk]
    done = cover.accept(
        proposal, [c.pk for c in changes.values()], coordinator, "Ben knows the street"
    )
    assert len(done.changed) == 2
    assert carers(rosa) == {cleo} and carers(marco) == {ben}


def test_accepting_some_changes_only_those_visits_and_tells_carers_and_circle_after_commit(
    coop, coordinator, ana, ben, homes, day, django_capture_on_commit_callbacks
):
    marco, lia = homes["Marco"], homes["Lia"]
    daughter = factories.user_with_role(
        coop, Role.CIRCLE, username="daughter", email="daughter@example.org"
    )
    care_services.add_to_circle(
        marco.person,
        user=daughter,
        full_name="Daughter",
        relationship="family",
        may_see_visits=True,
        granted_by="Marco",
        granted_on=date(2026, 1, 1),
    )
    roster = published_with(coop, coordinator, day, {marco: [ana], lia: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    for_marco = proposal.changes.get(visit=marco)
    assert list(for_marco.carers.all()) == [ben]
    with django_capture_on_commit_callbacks(execute=True):
        done = cover.accept(proposal, [for_marco.pk], coordinator, "covering a sick colleague")
    assert carers(marco) == {ben} and carers(lia) == {ana}  # only the chosen change
    assert roster.assignments.get(visit=marco).carer == ben
    assert set(RosterChange.objects.filter(visit=marco).values_list("carer", "kind")) == {
        (ben.pk, "added"),
        (ana.pk, "removed"),
    }
    for_marco.refresh_from_db()
    assert for_marco.accepted_by == coordinator and for_marco.told == 1
    assert done.circle_told == 1 and not done.to_phone
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {"ana@example.org", "ben@example.org", "daughter@example.org"}
    told = to["daughter@example.org"].body
    assert "Ben will come" in told and "9:00" in told
    assert "Marco" not in told and "Test" not in told  # no name, no surname of the carer
    proposal.changes.get(visit=lia)  # still there to accept later
    with pytest.raises(ValidationError) as refused:
        cover.accept(proposal, [for_marco.pk], coordinator)
    assert refused.value.error_list[0].code == "nothing_chosen"


def test_each_carer_gets_one_message_listing_all_their_changes(
    coop, coordinator, ana, ben, homes, day, django_capture_on_commit_callbacks
):
    marco, lia = homes["Marco"], homes["Lia"]
    profile = profile_of(ben)
    profile.language = "it"
    profile.save()
    published_with(coop, coordinator, day, {marco: [ana], lia: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    chosen = [c.pk for c in proposal.changes.all()]
    assert {tuple(c.carers.all()) for c in proposal.changes.all()} == {(ben,)}
    with django_capture_on_commit_callbacks(execute=True):
        done = cover.accept(proposal, chosen, coordinator, "covering a sick colleague")
        assert not mail.outbox  # nothing before the commit
    assert done.carers_told == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    to = {m.to[0]: m for m in mail.outbox}
    for message in mail.outbox:
        assert "9:00" in message.body and "11:00" in message.body  # both visits, one message
        assert "Marco" not in message.body and "Lia" not in message.body  # times only
    with translation.override("it"):
        assert to["ben@example.org"].subject == str(_("Changes to your visits"))
    assert to["ana@example.org"].subject == "Changes to your visits"


def test_without_a_circle_to_email_the_coordinator_phones(coop, coordinator, ana, ben, homes, day):
    marco = homes["Marco"]
    published_with(coop, coordinator, day, {marco: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    done = cover.accept(proposal, [proposal.changes.get().pk], coordinator, "sick colleague")
    assert [c.visit for c in done.to_phone] == [marco]


def test_soft_rules_need_a_reason_and_nothing_is_written_without_it(
    coop, coordinator, ana, ben, homes, day
):
    marco = homes["Marco"]
    published_with(coop, coordinator, day, {marco: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    change = proposal.changes.get()
    with pytest.raises(ValidationError) as refused:
        cover.accept(proposal, [change.pk], coordinator)
    codes = {e.code for e in refused.value.error_list}
    assert "carer_not_known" in codes and "override_reason_missing" in codes
    change.refresh_from_db()
    assert change.accepted_at is None and carers(marco) == {ana}


def test_a_change_whose_visit_changed_since_is_refused(
    coop, coordinator, ana, ben, cleo, homes, day
):
    marco = homes["Marco"]
    roster = published_with(coop, coordinator, day, {marco: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    roster.assignments.filter(visit=marco).update(carer=cleo)
    set_carers(marco, [cleo])
    with pytest.raises(ValidationError) as refused:
        cover.accept(proposal, [proposal.changes.get().pk], coordinator, "x")
    assert refused.value.error_list[0].code == "cover_out_of_date"


def test_accepting_no_cover_leaves_the_visit_open(coop, coordinator, ana, homes, day):
    rosa = homes["Rosa"]
    roster = published_with(coop, coordinator, day, {rosa: [ana]})
    proposal = cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    change = proposal.changes.get()
    assert not change.carers.exists()
    cover.accept(proposal, [change.pk], coordinator)
    assert not rosa.carers.exists() and roster.unplaced.filter(visit=rosa).exists()


def test_days_away_with_no_published_visit_have_nothing_to_cover(coop, coordinator, ana, day):
    with pytest.raises(ValidationError) as refused:
        cover.propose(away(coop, ana, day), coordinator, SECONDS, LIMIT)
    assert refused.value.error_list[0].code == "nothing_to_cover"


def test_a_carer_reports_sick_until_a_day(coop, ana, day):
    absence = cover.report_sick(coop, ana, day, "fever")
    assert absence.kind == AbsenceKind.SICKNESS and absence.last_day == day
    with pytest.raises(ValidationError) as refused:
        cover.report_sick(coop, ana, day)
    assert refused.value.error_list[0].code == "absence_overlaps"
