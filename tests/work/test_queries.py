"""Which contracts are in force and which qualifications are valid on a day, and who works for
the cooperative: each rule has one definition, and every app asks it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coopcare.cooperatives.models import Role
from coopcare.rostering.planning import carers_of
from coopcare.work import queries
from coopcare.work.models import Contract, ContractKind, Qualification
from tests import factories

NEW_YEAR = date(2026, 1, 1)
END_OF_JANUARY = date(2026, 1, 31)


def _contract(coop, carer, starts_on, ends_on=None) -> Contract:
    kind = ContractKind.FIXED_TERM if ends_on else ContractKind.PERMANENT
    return Contract.objects.create(
        cooperative=coop,
        carer=carer,
        kind=kind,
        weekly_hours=Decimal(30),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def _qualification(coop, carer, obtained_on, expires_on=None) -> Qualification:
    return Qualification.objects.create(
        cooperative=coop,
        carer=carer,
        name="Manual handling",
        skills="hoist",
        obtained_on=obtained_on,
        expires_on=expires_on,
    )


@pytest.fixture
def carers(coop):
    return [
        factories.user_with_role(coop, Role.CARER, username=name, first_name=name.title())
        for name in ("ana", "ben", "carla")
    ]


# -- contracts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (NEW_YEAR - timedelta(days=1), False),
        (NEW_YEAR, True),  # its first day
        (date(2026, 1, 15), True),
        (END_OF_JANUARY, True),  # its last day
        (END_OF_JANUARY + timedelta(days=1), False),
    ],
)
def test_a_contract_is_in_force_from_its_first_day_to_its_last_both_included(
    coop, carers, day, in_force
):
    # A contract is in force on a day if it started on or before it and has not ended before
    # it: ``ends_on`` is the contract's last day (``contracts.end_contract`` ends it "on" it).
    january = _contract(coop, carers[0], NEW_YEAR, END_OF_JANUARY)
    assert list(Contract.objects.in_force(day)) == ([january] if in_force else [])
    assert january.covers(day) is in_force  # the same rule for one contract in hand


def test_an_open_ended_contract_is_in_force_from_its_start_on(coop, carers):
    permanent = _contract(coop, carers[0], NEW_YEAR)
    assert not Contract.objects.in_force(NEW_YEAR - timedelta(days=1)).exists()
    assert list(Contract.objects.in_force(NEW_YEAR)) == [permanent]
    assert list(Contract.objects.in_force(date(2040, 6, 1))) == [permanent]


def test_the_contract_in_force_is_the_one_of_that_day_when_one_replaced_another(coop, carers):
    # Contracts are not rewritten: a change is a new contract, and the one it replaces ends
    # the day before.
    old = _contract(coop, carers[0], NEW_YEAR, END_OF_JANUARY)
    new = _contract(coop, carers[0], END_OF_JANUARY + timedelta(days=1))
    assert queries.contract_on(coop, carers[0], END_OF_JANUARY) == old
    assert queries.contract_on(coop, carers[0], END_OF_JANUARY + timedelta(days=1)) == new
    assert queries.contract_on(coop, carers[0], NEW_YEAR - timedelta(days=1)) is None


def test_contracts_overlapping_a_period_are_in_force_on_at_least_one_of_its_days(coop, carers):
    ana, ben, carla = carers
    ends_the_first_day = _contract(coop, ana, date(2025, 6, 1), date(2026, 3, 1))
    starts_the_last_day = _contract(coop, ben, date(2026, 3, 7))
    _contract(coop, carla, date(2025, 1, 1), date(2026, 2, 28))  # ended the day before
    _contract(coop, carla, date(2026, 3, 8))  # starts the day after
    march_week = Contract.objects.overlapping(date(2026, 3, 1), date(2026, 3, 7))
    assert set(march_week) == {ends_the_first_day, starts_the_last_day}
    # With no last day, the period has no end: every contract not ended before it.
    assert set(Contract.objects.overlapping(date(2026, 3, 1), None)) == (
        set(Contract.objects.all()) - {Contract.objects.get(carer=carla, ends_on__isnull=False)}
    )


def test_in_force_is_one_query_that_chains_with_other_filters(
    coop, carers, django_assert_num_queries
):
    _contract(coop, carers[0], NEW_YEAR)
    other = factories.CooperativeFactory(name="Altra", slug="altra")
    _contract(other, carers[1], NEW_YEAR)
    with django_assert_num_queries(1):
        found = list(Contract.objects.in_force(NEW_YEAR).filter(cooperative=coop))
    assert [c.carer for c in found] == [carers[0]]


# -- qualifications -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (date(2025, 12, 31), False),  # before it was obtained
        (NEW_YEAR, True),  # the day it was obtained
        (date(2026, 12, 31), True),  # the day before it expires
        (date(2027, 1, 1), False),  # the expiry day: no longer valid
    ],
)
def test_a_qualification_is_valid_from_the_day_obtained_until_the_day_before_it_expires(
    coop, carers, day, valid
):
    # As the code has always read it: valid while ``day < expires_on``, so on ``expires_on``
    # the certificate has expired (a certificate "expires on" that day).
    certificate = _qualification(coop, carers[0], NEW_YEAR, date(2027, 1, 1))
    assert list(Qualification.objects.valid_on(day)) == ([certificate] if valid else [])
    assert queries.skills_on(coop, day) == ({carers[0].pk: {"hoist"}} if valid else {})


def test_a_qualification_without_expiry_stays_valid(coop, carers):
    certificate = _qualification(coop, carers[0], NEW_YEAR)
    assert list(Qualification.objects.valid_on(date(2060, 1, 1))) == [certificate]


def test_a_renewed_certificate_is_not_listed_as_expiring(coop, carers):
    ana, ben, _carla = carers
    today = date(2026, 11, 22)
    _qualification(coop, ana, NEW_YEAR, today + timedelta(days=10))
    _qualification(coop, ana, today, today + timedelta(days=700))  # renewed
    lapsing = _qualification(coop, ben, NEW_YEAR, today + timedelta(days=10))
    assert queries.expiring(coop, today) == [lapsing]


def test_expiring_qualifications_come_soonest_first_whoever_holds_them(coop, carers):
    ana, ben, carla = carers
    today = date(2026, 11, 22)
    later = _qualification(coop, ana, NEW_YEAR, today + timedelta(days=40))
    expired = _qualification(coop, carla, NEW_YEAR, today - timedelta(days=3))
    soonest = _qualification(coop, ben, NEW_YEAR, today + timedelta(days=2))
    assert queries.expiring(coop, today) == [expired, soonest, later]


def test_a_carers_qualifications_come_soonest_to_expire_first_and_lasting_ones_last(coop, carers):
    ana, ben, _carla = carers
    lasting = _qualification(coop, ana, NEW_YEAR)
    later = _qualification(coop, ana, NEW_YEAR, date(2027, 6, 1))
    soonest = _qualification(coop, ana, NEW_YEAR, date(2026, 12, 1))
    _qualification(coop, ben, NEW_YEAR, date(2026, 11, 30))
    assert list(queries.qualifications_of(coop, ana)) == [soonest, later, lasting]


# -- who works here -------------------------------------------------------------------------


def test_the_carers_a_roster_gives_visits_to_are_the_workers_with_the_carer_role(
    coop, carers, coordinator
):
    both = factories.user_with_role(coop, Role.CARER, Role.COORDINATOR, username="dora")
    factories.user_with_role(coop, Role.BOARD, username="eva")
    assert list(carers_of(coop)) == list(queries.workers(coop, roles=(Role.CARER,)))
    assert set(carers_of(coop)) == {*carers, both}
    assert set(queries.workers(coop)) == {*carers, both, coordinator}
    assert list(queries.workers(coop)).count(both) == 1  # two roles, listed once
