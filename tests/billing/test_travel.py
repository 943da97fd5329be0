"""Invoice runs bill travel where the visit's tariff version says so: the approved travel to
the visit, read from the carers' timesheets, on a line of its own shared like the visit's
price, billed once, credited like any line, and shown in the PDF, the FatturaPA file and the
journal.

Source: the agreement (its tariff version's "travel billed" and travel rate per hour,
``billing.rules.price_visit``); which journey goes to which visit is coopcare's reading of a
timesheet (``billing.rules.travel_to_visits``)."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.billing import invoicing, journal, pdf, services
from coopcare.billing.models import InvoiceLine
from coopcare.cooperatives.models import Role
from coopcare.einvoice.schema import schema_problems
from coopcare.visits.services import confirm_by_phone, generate_visits, set_carers
from coopcare.work.models import Timesheet, TimesheetEntry
from coopcare.work.services.homes import set_home
from coopcare.work.services.timesheets import approve, build_timesheets, correct_entry
from tests import factories
from tests.billing.conftest import MONDAY, tariff, week_of_visits

ISSUED = date(2026, 12, 1)
# A few kilometres from Anna's home in Via Zamboni, so that each day has journeys.
HOME = {"latitude": Decimal("44.5200"), "longitude": Decimal("11.3000")}


def with_travel(billing, billed=True):
    """``billing`` whose personal care tariff bills travel at 18.00 an hour (or, told, does
    not bill it), for ``week_of_visits``."""
    prices = {"travel_billed": billed, "travel_rate": Decimal("18.00")}
    name = "Personal care and travel" if billed else "Personal care, travel included"
    return billing | {
        "tariff": tariff(billing["coop"], billing["coordinator"], name=name, **prices)
    }


def travelled(billing, visit, legs, *, approved=True):
    """``visit`` done (40 minutes, confirmed by phone) by a carer per entry of ``legs`` (first
    name → minutes), each coming from home: the journey on their timesheet is corrected to
    those minutes, and their timesheets are approved unless told."""
    coop, by = billing["coop"], billing["coordinator"]
    carers = [
        factories.user_with_role(coop, Role.CARER, first_name=name, last_name="Bianchi")
        for name in legs
    ]
    set_carers(visit, carers)
    for carer in carers:
        set_home(coop, carer, HOME)
        record = factories.recorded_visit(visit, carer)
        confirm_by_phone(record, by, now=visit.ends_at + timedelta(hours=1))
    day = visit.starts_at.date()
    build_timesheets(coop, day, day)
    for carer, minutes in zip(carers, legs.values(), strict=True):
        journey = TimesheetEntry.objects.get(
            timesheet__carer=carer, kind="travel", ends_at=visit.starts_at
        )
        starts = visit.starts_at - timedelta(minutes=minutes)
        correct_entry(journey, starts, visit.starts_at, "Roadworks on the ring road", by)
    if approved:
        approve(coop, Timesheet.objects.filter(carer__in=carers), by)


def test_a_run_bills_the_approved_travel_to_a_visit_shared_like_its_price(billing):
    """18.00 an hour, 20 minutes of approved travel: 18.00 x 20 / 60 = 6.00, of which the
    municipality pays 80 % (4.80) and the family 20 % (1.20). The journey home after the
    visit goes to no visit and is not billed."""
    billing = with_travel(billing)
    monday, _tuesday = week_of_visits(billing)
    travelled(billing, monday, {"Lucia": 20})
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    comune, family = (run.invoices.get(payer=billing[p]) for p in ("comune", "family"))
    # Her day has two journeys, from home and back home; only the first goes to the visit.
    assert TimesheetEntry.objects.filter(kind="travel").count() == 2
    travel = comune.lines.get(kind="travel")
    assert (travel.minutes, travel.price, travel.share_percent, travel.amount) == (
        20,
        Decimal("6.00"),
        Decimal("80.00"),
        Decimal("4.80"),
    )
    assert (travel.carers, travel.stretches, travel.visit) == ("Lucia Bianchi", [], monday)
    assert family.lines.get(kind="travel").amount == Decimal("1.20")
    # The visit's own line is as before: 60 minutes at 22.00, 80 % of it.
    assert comune.lines.get(kind="visit").amount == Decimal("17.60")
    assert comune.totals().net == Decimal("22.40")


def test_travel_is_not_billed_when_the_tariff_does_not_bill_it(billing):
    billing = with_travel(billing, billed=False)
    monday, _tuesday = week_of_visits(billing)
    travelled(billing, monday, {"Lucia": 20})
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert sorted(InvoiceLine.objects.filter(invoice__run=run).values_list("kind", flat=True)) == [
        "visit",
        "visit",
    ]


def test_travel_not_approved_refuses_the_run_with_its_visit(billing):
    """The run bills from verified, approved visit records only. A visit's journey is on the
    same timesheet as the visit, so travel not approved is a visit not approved: the run is
    refused with it, writing nothing."""
    billing = with_travel(billing)
    monday, _tuesday = week_of_visits(billing)
    travelled(billing, monday, {"Lucia": 20}, approved=False)
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    assert [e.code for e in refused.value.error_list] == ["visit_not_verified"]
    assert not InvoiceLine.objects.exists()


def test_each_carer_of_a_double_handed_visit_bills_their_own_travel(billing):
    """Two carers: the visit is 22.00 x 1.80 = 39.60 (the tariff's factor bills the second
    carer's care); travel bills each carer's own journey at the travel rate, 20 + 15 = 35
    minutes: 18.00 x 35 / 60 = 10.50, shared 8.40 and 2.10."""
    billing = with_travel(billing)
    person = billing["person"]
    factories.care_plan(person, valid_from=MONDAY, double_handed=True)
    services.agree(
        person,
        billing["comune"],
        {"valid_from": MONDAY, "co_payment_percent": Decimal(20)},
        tariffs=[billing["tariff"]],
        co_payer=billing["family"],
        by=billing["coordinator"],
    )
    generate_visits(person, MONDAY, MONDAY)
    monday = person.visits.get()
    assert monday.double_handed
    travelled(billing, monday, {"Lucia": 20, "Paola": 15})
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=billing["coordinator"])
    comune = run.invoices.get(payer=billing["comune"])
    assert comune.lines.get(kind="visit").price == Decimal("39.60")
    travel = comune.lines.get(kind="travel")
    assert (travel.minutes, travel.price, travel.amount, travel.double_handed) == (
        35,
        Decimal("10.50"),
        Decimal("8.40"),
        True,
    )
    assert travel.carers == "Lucia Bianchi, Paola Bianchi"


def test_travel_is_billed_once_and_a_credit_note_lets_it_be_billed_again_alone(billing):
    billing = with_travel(billing)
    by = billing["coordinator"]
    monday, _tuesday = week_of_visits(billing)
    travelled(billing, monday, {"Lucia": 20})
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by)
    with pytest.raises(ValidationError) as refused:
        invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by)
    assert refused.value.error_list[0].code == "nothing_to_invoice"
    comune = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by, today=ISSUED)
    travel = comune.lines.get(kind="travel")
    note = invoicing.credit(
        comune, by=by, reason="Wrong journey", lines=[travel], bill_again=True, today=ISSUED
    )
    assert [(line.kind, line.amount) for line in note.lines.all()] == [("travel", Decimal("4.80"))]
    # The visit itself stays billed: the new run bills the municipality's travel only.
    rerun = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by)
    assert [
        (line.kind, line.amount) for line in InvoiceLine.objects.filter(invoice__run=rerun)
    ] == [("travel", Decimal("4.80"))]


def test_the_travel_line_is_in_the_fatturapa_file_the_pdf_and_the_journal(billing):
    """FatturaPA 1.2.3: one DettaglioLinee per line, the travel's after its visit's, each
    exempt (N4); the file still validates against the schema. The journal credits the travel
    to the revenue account on a row of its own, and each document balances."""
    billing = with_travel(billing)
    by = billing["coordinator"]
    services.change_payer(
        billing["family"],
        {"kind": "family", "name": "Marco Rossi", "language": "ar", "shows_carer": True},
    )
    monday, _tuesday = week_of_visits(billing)
    travelled(billing, monday, {"Lucia": 20})
    run = invoicing.run_invoices(billing["coop"], MONDAY, MONDAY, by=by)
    comune = invoicing.issue(run.invoices.get(payer=billing["comune"]), by=by, today=ISSUED)
    family = invoicing.issue(run.invoices.get(payer=billing["family"]), by=by, today=ISSUED)
    xml = bytes(comune.einvoice_xml)
    assert schema_problems(xml) == []
    assert xml.count(b"<DettaglioLinee>") == 2
    assert b"<NumeroLinea>2</NumeroLinea>" in xml
    assert b"Anna Rossi: personal care, travel, 20 min</Descrizione>" in xml
    assert b"<PrezzoTotale>4.80</PrezzoTotale>" in xml
    assert b"<ImportoTotaleDocumento>22.40</ImportoTotaleDocumento>" in xml
    # In Arabic too, right to left, with the carer named as the family asks.
    for invoice in (comune, family):
        assert pdf.document(invoice).startswith(b"%PDF")
    read = list(csv.DictReader(io.StringIO(journal.csv_text(billing["coop"], ISSUED, ISSUED))))
    assert [(r["account"], r["debit"], r["credit"], r["description"]) for r in read] == [
        ("1200", "22.40", "0.00", "2026/1 total"),
        ("4000", "0.00", "17.60", "2026/1 net"),
        ("4000", "0.00", "4.80", "2026/1 travel"),
        ("1200", "5.60", "0.00", "2026/2 total"),
        ("4000", "0.00", "4.40", "2026/2 net"),
        ("4000", "0.00", "1.20", "2026/2 travel"),
    ]
