"""Instalments, mandates and collections by SEPA direct debit (``members.services``)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.core.exceptions import ValidationError

from coopcare.members import services
from coopcare.members.models import Collection, Debit, DebitStatus, Instalment, Mandate, ShareEntry
from tests import factories
from tests.members.conftest import IBAN_ES

MADE_ON = date(2026, 11, 23)  # a Monday
DUE = date(2026, 11, 25)  # two TARGET business days later
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"


def _codes(error: ValidationError) -> set[str | None]:
    return {e.code for e in error.error_list}


def test_instalments_split_what_is_owed_to_the_cent(paying_member):
    amounts = [(i.due_on, i.amount) for i in paying_member.instalments.all()]
    assert amounts == [
        (date(2026, 12, 1), Decimal("50.00")),
        (date(2027, 1, 1), Decimal("50.00")),
        (date(2027, 2, 1), Decimal("50.00")),
    ]
    with pytest.raises(ValidationError) as refused:
        services.plan_instalments(paying_member, 2, date(2027, 3, 1))
    assert _codes(refused.value) == {"nothing_to_plan"}


def test_a_new_mandate_ends_the_one_in_force(paying_member):
    services.sign_mandate(
        paying_member,
        debtor_name="Anna Rossi",
        iban="IT60 X054 2811 1010 0000 0123 456",
        signed_on=date(2026, 11, 10),
    )
    first, second = paying_member.mandates.order_by("pk")
    assert first.revoked_on == date(2026, 11, 10) and second.revoked_on is None
    assert second.iban == "IT60X0542811101000000123456"
    assert first.reference != second.reference


def test_a_mandate_on_a_bad_iban_is_refused(paying_member):
    with pytest.raises(ValidationError) as refused:
        services.sign_mandate(
            paying_member,
            debtor_name="X",
            iban="IT61X0542811101000000123456",
            signed_on=date(2026, 11, 10),
        )
    assert _codes(refused.value) == {"iban_invalid"}
    assert paying_member.mandates.count() == 1


def test_a_uk_account_needs_its_bic_and_the_members_address(supporter_class):
    member = factories.admitted_member(supporter_class)
    with pytest.raises(ValidationError) as refused:
        services.sign_mandate(
            member, debtor_name="X", iban="GB29NWBK60161331926819", signed_on=date(2026, 11, 2)
        )
    assert _codes(refused.value) == {"bic_missing", "address_missing"}


def test_a_collection_is_a_pain008_file_valid_against_its_schema(
    coop, creditor, paying_member, board_user
):
    collection = services.make_collection(
        coop, due_up_to=date(2026, 12, 31), collection_date=DUE, made_by=board_user, today=MADE_ON
    )
    debit = collection.debits.get()
    assert (debit.amount, debit.sequence, debit.mandate.iban) == (Decimal(50), "FRST", IBAN_ES)
    schema = xmlschema.XMLSchema(XSD)
    schema.validate(collection.xml)
    document = schema.to_dict(collection.xml)["CstmrDrctDbtInitn"]
    assert document["GrpHdr"]["MsgId"] == collection.message_id
    batch = document["PmtInf"][0]
    assert (batch["ReqdColltnDt"], batch["PmtTpInf"]["SeqTp"]) == ("2026-11-25", "FRST")
    assert batch["CdtrSchmeId"]["Id"]["PrvtId"]["Othr"][0]["Id"] == "IT66ZZZA1B2C3D4E5F6G7H8"
    line = batch["DrctDbtTxInf"][0]
    assert line["DrctDbtTx"]["MndtRltdInf"]["MndtId"] == debit.mandate.reference
    assert line["InstdAmt"] == {"@Ccy": "EUR", "$": Decimal("50.00")}


def test_a_collection_with_a_member_without_mandate_writes_nothing(
    coop, creditor, paying_member, supporter_class
):
    other = factories.admitted_member(supporter_class, paid=0, full_name="Bruno Neri")
    services.plan_instalments(other, 1, date(2026, 12, 1))
    with pytest.raises(ValidationError) as refused:
        services.make_collection(
            coop, due_up_to=date(2026, 12, 31), collection_date=DUE, today=MADE_ON
        )
    assert _codes(refused.value) == {"mandate_missing"}
    assert "Bruno Neri" in str(refused.value)
    assert not Collection.objects.exists() and not Debit.objects.exists()


def test_a_collection_due_too_soon_or_without_creditor_is_refused(coop, paying_member):
    with pytest.raises(ValidationError) as refused:
        services.make_collection(
            coop, due_up_to=date(2026, 12, 31), collection_date=date(2026, 11, 24), today=MADE_ON
        )
    assert _codes(refused.value) == {"collection_date_too_soon", "creditor_missing"}
    assert not Collection.objects.exists()


def test_only_collected_debits_reach_the_ledger(coop, creditor, paying_member, supporter_class):
    other = factories.admitted_member(supporter_class, paid=0, full_name="Bruno Neri")
    services.plan_instalments(other, 1, date(2026, 12, 1))
    services.sign_mandate(
        other, debtor_name="Bruno Neri", iban="FR1420041010050500013M02606", signed_on=MADE_ON
    )
    collection = services.make_collection(
        coop, due_up_to=date(2026, 12, 1), collection_date=DUE, today=MADE_ON
    )
    returned = collection.debits.get(instalment__member=other)
    services.return_debit(returned, "AM04")
    before = ShareEntry.objects.count()
    services.confirm_collection(collection, date(2026, 11, 25))
    assert ShareEntry.objects.count() == before + 1
    assert services.share_balance(paying_member).paid == Decimal(100)
    assert services.share_balance(other).paid == Decimal(0)
    returned.refresh_from_db()
    assert (returned.status, returned.return_reason, returned.payment) == (
        DebitStatus.RETURNED,
        "AM04",
        None,
    )
    with pytest.raises(ValidationError) as refused:
        services.confirm_collection(collection, date(2026, 11, 26))
    assert _codes(refused.value) == {"collection_already_confirmed"}
    # The returned instalment is due again, the collected one is not; the next debit under
    # a mandate already collected is recurrent.
    later = services.make_collection(
        coop,
        due_up_to=date(2027, 1, 1),
        collection_date=date(2026, 12, 2),
        today=date(2026, 11, 27),
    )
    sequences = {
        (d.instalment.member_id, d.instalment.due_on): d.sequence for d in later.debits.all()
    }
    assert sequences == {
        (other.pk, date(2026, 12, 1)): "FRST",
        (paying_member.pk, date(2027, 1, 1)): "RCUR",
    }


def test_a_revoked_mandate_collects_nothing(coop, creditor, paying_member):
    services.revoke_mandate(paying_member, date(2026, 11, 20))
    with pytest.raises(ValidationError) as refused:
        services.make_collection(
            coop, due_up_to=date(2026, 12, 31), collection_date=DUE, today=MADE_ON
        )
    assert _codes(refused.value) == {"mandate_missing"}
    assert Instalment.objects.count() == 3 and Mandate.objects.count() == 1
