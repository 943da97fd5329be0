from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopcare.kept import Refused
from coopcare.privacy import queries, services
from coopcare.privacy.models import PersonalDataBreach, RequestStep, Restriction, RightsRequest
from coopcare.retention import services as retention
from coopcare.retention.models import Anonymised
from tests import factories


def request_about(coop, coordinator, kind="access", received_on=date(2026, 11, 2), **subject):
    return services.receive_request(
        coop,
        kind=kind,
        by=coordinator,
        requester_name="Giulia Neri",
        received_on=received_on,
        **subject,
    )


def test_a_request_is_due_a_month_after_receipt_and_its_steps_are_kept(coop, coordinator, person):
    made = request_about(coop, coordinator, person=person)
    assert made.due_on == date(2026, 12, 2)
    services.extend_request(made, by=coordinator, reason="Records in the archive.")
    made.refresh_from_db()
    assert (made.status, made.due_on) == ("extended", date(2027, 2, 2))
    services.answer_request(made, by=coordinator, answer="The data is attached.")
    made.refresh_from_db()
    assert (made.status, made.answered_by) == ("answered", coordinator)
    assert list(made.steps.values_list("step", flat=True)) == ["received", "extended", "answered"]
    with pytest.raises(Refused):
        made.steps.first().delete()


def test_a_request_names_one_subject_and_is_not_received_in_the_future(
    coop, coordinator, person, carer
):
    with pytest.raises(ValidationError) as broken:
        request_about(coop, coordinator, person=person, carer=carer)
    assert broken.value.code == "one_subject_required"
    with pytest.raises(ValidationError) as broken:
        request_about(
            coop, coordinator, person=person, received_on=timezone.localdate() + timedelta(1)
        )
    assert broken.value.code == "received_in_future"
    assert not RightsRequest.objects.exists()


def test_an_answered_request_is_closed(coop, coordinator, person):
    made = request_about(coop, coordinator, kind="objection", person=person)
    services.answer_request(made, by=coordinator, answer="We stopped the survey calls.")
    with pytest.raises(ValidationError) as broken:
        services.answer_request(made, by=coordinator, answer="Again")
    assert [e.code for e in broken.value.error_list] == ["request_closed"]
    assert RequestStep.objects.count() == 2


def test_an_erasure_answered_erases_through_retention(coop, coordinator, person):
    made = request_about(coop, coordinator, kind="erasure", person=person)
    services.answer_request(made, by=coordinator, answer="Erased but invoices.")
    person.refresh_from_db()
    anonymised = Anonymised.objects.get(person=person)
    assert anonymised.why.endswith("Erased but invoices.") and person.address == ""
    assert person.full_name != "Giulia Neri"


def test_an_erasure_of_a_held_person_is_refused_and_leaves_the_request_open(
    coop, coordinator, person
):
    retention.place_hold(coop, person, "dispute", "Claim from the family", by=coordinator)
    made = request_about(coop, coordinator, kind="erasure", person=person)
    with pytest.raises(ValidationError) as broken:
        services.answer_request(made, by=coordinator, answer="Erased.")
    assert broken.value.code == "person_on_hold"
    made.refresh_from_db()
    assert made.status == "received"
    assert not Anonymised.objects.filter(person=person).exists()


def test_an_erasure_refused_erases_nothing(coop, coordinator, person, monkeypatch):
    monkeypatch.setattr(services, "erase_person", pytest.fail)
    made = request_about(coop, coordinator, kind="erasure", person=person)
    services.answer_request(
        made,
        by=coordinator,
        answer="The records are under a legal hold.",
        refused=True,
        refusal_reason="legal_hold",
    )
    made.refresh_from_db()
    assert (made.status, made.refusal_reason) == ("refused", "legal_hold")


def test_a_carers_erasure_is_refused_as_payroll(coop, coordinator, carer, monkeypatch):
    monkeypatch.setattr(services, "erase_person", pytest.fail)
    made = request_about(coop, coordinator, kind="erasure", carer=carer)
    with pytest.raises(ValidationError) as broken:
        services.answer_request(made, by=coordinator, answer="Done.")
    assert broken.value.code == "kept_by_law"
    services.answer_request(
        made,
        by=coordinator,
        answer="Payslips are kept 10 years.",
        refused=True,
        refusal_reason="payroll",
    )
    assert RightsRequest.objects.get().status == "refused"


def test_a_restriction_restricts_until_lifted(coop, coordinator, person):
    made = request_about(coop, coordinator, kind="restriction", person=person)
    services.answer_request(made, by=coordinator, answer="Restricted while you check the data.")
    restriction = queries.restricted(person)
    assert restriction is not None and restriction.request == made
    services.lift_restriction(restriction, by=coordinator)
    assert queries.restricted(person) is None
    with pytest.raises(ValidationError) as broken:
        services.lift_restriction(restriction, by=coordinator)
    assert broken.value.code == "restriction_lifted"
    assert Restriction.objects.count() == 1


def test_a_breach_is_notified_late_only_with_reasons(coop, coordinator):
    aware = timezone.now() - timedelta(days=5)
    breach = services.record_breach(
        coop,
        by=coordinator,
        aware_at=aware,
        nature="A carer's phone was stolen.",
        people_categories="people cared for",
        people_count=12,
        record_categories="day pages",
        record_count=30,
        consequences="Addresses and care tasks seen by a stranger.",
        measures="The login was closed and the copies are wiped at the next signal.",
    )
    assert queries.authority_clock(breach) == "overdue"
    late = aware + timedelta(hours=80)
    with pytest.raises(ValidationError) as broken:
        services.notify_authority(breach, notified_at=late, reference="GPDP-1")
    assert [e.code for e in broken.value.error_list] == ["delay_reason_required"]
    services.notify_authority(
        breach, notified_at=late, reference="GPDP-1", delay_reason="Found over a weekend."
    )
    services.tell_people(breach, told_at=late)
    breach.refresh_from_db()
    assert queries.authority_clock(breach) == "notified"
    assert breach.people_told_at == late
    assert PersonalDataBreach.objects.count() == 1


def test_a_breach_is_not_known_in_the_future(coop, coordinator):
    with pytest.raises(ValidationError) as broken:
        services.record_breach(
            coop,
            by=coordinator,
            aware_at=timezone.now() + timedelta(hours=1),
            nature="x",
            people_categories="x",
            people_count=1,
            record_categories="x",
            record_count=1,
            consequences="x",
            measures="x",
        )
    assert broken.value.code == "aware_in_future"
    assert not PersonalDataBreach.objects.exists()


def test_the_member_export_holds_the_register_entry(coop, coordinator, supporter_class):
    member = factories.admitted_member(supporter_class, full_name="Luca Verdi")
    made = request_about(coop, coordinator, kind="portability", member=member)
    data = queries.subject_data(made)
    assert data["format"] == queries.EXPORT_FORMAT
    assert data["member"]["full_name"] == "Luca Verdi"
    assert data["share_entries"]
