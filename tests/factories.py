"""Factories for test data. Register and ledger changes go through services, as in the app."""

import itertools
from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from coopcare.cooperatives.models import Cooperative, CooperativeRole, Federation, Role
from coopcare.cooperatives.services import grant_role
from coopcare.members import services
from coopcare.members.models import StakeholderClass, StakeholderKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Ada"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("pw")


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"Federation {n}")
    slug = factory.Sequence(lambda n: f"federation-{n}")


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Care Coop {n}")
    slug = factory.Sequence(lambda n: f"coop-{n}")
    city = "Bologna"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperativeRole

    user = factory.SubFactory(UserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)
    role = Role.COORDINATOR

    @classmethod
    def _create(cls, model_class, user, cooperative, role):
        return grant_role(cooperative, user, role)


class StakeholderClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderClass

    cooperative = factory.SubFactory(CooperativeFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    kind = StakeholderKind.SUPPORTER
    share_value = Decimal("50.00")
    min_shares = 1


def user_with_role(cooperative, *roles, **fields):
    """A user holding ``roles`` in ``cooperative``."""
    user = UserFactory(**fields)
    for role in roles:
        RoleFactory(user=user, cooperative=cooperative, role=role)
    return user


_member_numbers = itertools.count(1)


def applicant(stakeholder_class, shares=1, applied_on=date(2026, 1, 5), **fields):
    """An application recorded through the service."""
    fields.setdefault("full_name", f"Member {next(_member_numbers)}")
    return services.apply_for_membership(
        stakeholder_class.cooperative,
        stakeholder_class=stakeholder_class,
        shares=shares,
        applied_on=applied_on,
        **fields,
    )


def admitted_member(stakeholder_class, paid=None, on=date(2026, 2, 1), **fields):
    """An admitted member, by default with their shares fully paid."""
    member = applicant(stakeholder_class, **fields)
    member = services.admit(member, on)
    balance = services.share_balance(member)
    amount = balance.capital if paid is None else Decimal(paid)
    if amount:
        services.record_payment(member, amount, on)
    return member


def log_in(client, user):
    """Log ``user`` in on the test client (naming the backend, since axes' comes first)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def person_cared_for(cooperative, **fields):
    """An active person cared for, admitted through the service."""
    from coopcare.care import services as care_services

    defaults = dict(
        full_name=f"Person {next(_member_numbers)}",
        address="Via Zamboni 33",
        city="Bologna",
        latitude=Decimal("44.496"),
        longitude=Decimal("11.352"),
        status="active",
        on=date(2026, 1, 1),
    )
    return care_services.admit_person(cooperative, **(defaults | fields))


def care_plan(person, valid_from=date(2026, 3, 2), rrule="FREQ=DAILY", **task):
    """A care plan with one task (daily at 09:00 for 45 minutes unless told otherwise).

    Its visits are not planned ahead (``horizon_days=0``): tests generate the days they need.
    Planned visits it replaces are still generated again, as the service always does."""
    from datetime import time

    from coopcare.care import services as care_services

    task = {
        "title": "Morning care",
        "rrule": rrule,
        "start_time": time(9, 0),
        "duration_minutes": 45,
    } | task
    return care_services.new_care_plan(
        person, valid_from=valid_from, goals="Stay safely at home", tasks=[task], horizon_days=0
    )


def visit(person, carers=(), day=date(2026, 11, 20), **task):
    """One visit of ``person`` on ``day`` (from a one-task plan), rostered to ``carers``."""
    from coopcare.visits.services import generate_visits, set_carers

    if not person.plans.exists():
        care_plan(person, valid_from=day, **task)
    generate_visits(person, day, day)
    planned = person.visits.get(starts_at__date=day)
    set_carers(planned, carers)
    return planned


def recorded_visit(planned, carer, **check_out):
    """A visit checked in on time and out 40 minutes later, every step done."""
    from datetime import timedelta
    from uuid import uuid4

    from coopcare.visits import services as visit_services

    at = planned.starts_at
    now = planned.ends_at + timedelta(minutes=5)
    visit_services.check_in(planned, carer, client_id=uuid4(), at=at, now=now)
    steps = [{"step": s, "done": True} for s in planned.task.step_list]
    fields = {"steps": steps} | check_out
    return visit_services.check_out(
        planned, carer, client_id=uuid4(), at=at + timedelta(minutes=40), now=now, **fields
    ).record


def door_facts(person, by, **access):
    """Type 2 diabetes, a DNACPR decision with its form on the fridge, and a key safe (code
    1234 unless ``access`` says otherwise), recorded through the service."""
    from coopcare.care import services as care_services

    return care_services.set_door_facts(
        person,
        by,
        conditions=[{"name": "Type 2 diabetes", "notes": "Hypos: sweets in the kitchen"}],
        decisions=[
            {"kind": "dnacpr", "made_on": date(2025, 6, 1), "kept_where": "Form on the fridge"}
        ],
        access={"key_safe_code": "1234", "entry": "Key safe left of the door"} | access,
    )


def time_exchange(giver, receiver, hours=Decimal("1.5"), done_on=date(2026, 11, 20)):
    """``giver`` offers a lift, ``receiver`` takes it up and confirms ``hours`` on ``done_on``,
    through the services (the cooperative switched to time credits first)."""
    from coopcare.timecredits import services as credits

    cooperative = giver.cooperative
    if not cooperative.runs_time_credits:
        cooperative.runs_time_credits = True
        cooperative.save(update_fields=["runs_time_credits"])
    offer = credits.post(cooperative, giver, direction="offer", kind="lift", words="To the clinic")
    credits.accept(offer, receiver)
    credits.confirm(offer, receiver, hours=Decimal(hours), done_on=done_on)
    offer.refresh_from_db()
    return offer
