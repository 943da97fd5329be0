"""Records kept as written (``coopcare.kept``): which models are, and that a row is inserted
once and never overwritten, changed or deleted, whichever way it is tried. Each app's tests
try it on their own records (the share ledger, a record's history, signatures, assessments,
risk assessments, medicine versions, doses and stock entries)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from coopcare.kept import KeptAsWritten, Refused, blank_past_retention
from coopcare.members.models import ShareEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_records_kept_as_written():
    kept = {model._meta.label for model in apps.get_models() if issubclass(model, KeptAsWritten)}
    assert kept == {
        "members.ShareEntry",
        "care.PersonChange",
        "care.Assessment",
        "care.Signature",
        "risks.RiskAssessment",
        "medication.MedicineVersion",
        "medication.DoseRecord",
        "medication.StockEntry",
        "bodymap.Mark",
        "bodymap.FollowUp",
        "billing.Payment",
        "billing.PaymentWithdrawal",
        "voice.ComplaintStep",
        "conversations.Message",
        "rostering.CalendarDetail",
        "privacy.RequestStep",
        "timecredits.CreditEntry",
        "cooperatives.FormOfCareChange",
    }


def test_a_new_row_given_an_existing_rows_id_does_not_overwrite_it(supporter_class):
    member = factories.admitted_member(supporter_class)
    entry = member.share_entries.first()
    forged = ShareEntry(
        pk=entry.pk,
        cooperative=entry.cooperative,
        member=member,
        kind=entry.kind,
        on=entry.on,
        paid=Decimal(0),
    )
    # Inserted, not updated: the primary key refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    assert ShareEntry.objects.get(pk=entry.pk).paid == entry.paid


def test_the_refusal_is_one_coded_error_in_the_models_words(supporter_class):
    member = factories.admitted_member(supporter_class)
    with pytest.raises(Refused) as refused:
        member.share_entries.first().delete()
    assert refused.value.code == "kept_as_written"
    assert refused.value.messages == ["Share ledger entries cannot be changed; record a new entry."]


def test_only_retention_goes_past_the_guard_and_only_to_blank():
    # The one exception (GDPR art. 5(1)(e): records past their retention period) is for
    # coopcare.retention alone; any other caller would weaken the guarantee for its records.
    source = Path(__file__).resolve().parent.parent / "src" / "coopcare"
    callers = {
        path.relative_to(source).parts[0]
        for path in source.rglob("*.py")
        if "blank_past_retention(" in path.read_text(encoding="utf-8")
    }
    assert callers == {"kept.py", "retention"}
    with pytest.raises(ValueError):
        blank_past_retention(ShareEntry.objects.all(), paid=Decimal(0))


def test_retention_blanks_a_kept_row_but_keeps_it(supporter_class):
    member = factories.admitted_member(supporter_class)
    entries = member.share_entries.all()
    assert blank_past_retention(entries, reference="") == entries.count()
    assert member.share_entries.filter(reference="").count() == entries.count()
