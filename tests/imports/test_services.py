"""Each kind of import through its preview then its import; re-importing changes nothing; one
bad row and nothing is written."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coopcare.care.models import CareRecordRead, PersonCaredFor, StatusChange
from coopcare.cooperatives.models import CooperativeRole, Role
from coopcare.imports import services
from coopcare.members.models import Member, MemberStatus, ShareEntry
from coopcare.members.services import share_balance
from coopcare.rostering.models import Availability
from coopcare.work.models import Contract, Qualification
from tests import factories
from tests.imports.conftest import csv_bytes, xlsx_bytes


def _outcomes(report):
    return [row.outcome for row in report.rows]


def test_people_preview_writes_nothing_then_import_admits_them(coop, coordinator, people_rows):
    kind = services.KINDS["people"]
    content = csv_bytes(people_rows)
    report = services.preview(coop, kind, "people.csv", content, coordinator)
    assert _outcomes(report) == ["create", "create"] and not report.written
    assert not PersonCaredFor.objects.exists()

    report = services.run_import(coop, kind, "people.csv", content, coordinator)
    assert report.written
    anna = PersonCaredFor.objects.get(full_name="Anna Rossi")
    assert (anna.funding, anna.status, anna.latitude) == ("private", "active", Decimal("44.496"))
    # Through the admission service: the status history starts with the admission.
    assert StatusChange.objects.get(person=anna).recorded_by == coordinator
    bruno = PersonCaredFor.objects.get(full_name="Bruno Neri")
    assert (bruno.funding, bruno.status) == ("public_body", "referral")


def test_people_imported_again_are_unchanged_and_their_reads_logged(coop, coordinator, people_rows):
    kind = services.KINDS["people"]
    content = xlsx_bytes(people_rows)
    services.run_import(coop, kind, "people.xlsx", content, coordinator)
    report = services.run_import(coop, kind, "people.xlsx", content, coordinator)
    assert _outcomes(report) == ["unchanged", "unchanged"]
    assert PersonCaredFor.objects.count() == 2
    assert CareRecordRead.objects.filter(user=coordinator, record="import").count() == 2


def test_a_person_recorded_with_other_details_is_an_error_naming_the_column(
    coop, coordinator, people_rows
):
    kind = services.KINDS["people"]
    services.run_import(coop, kind, "p.csv", csv_bytes(people_rows), coordinator)
    people_rows[1][3] = "Imola"
    report = services.preview(coop, kind, "p.csv", csv_bytes(people_rows), coordinator)
    problem = report.rows[0].problems[0]
    assert (report.rows[0].outcome, problem.code) == ("error", "person_differs")
    assert "city" in problem.message


def test_one_bad_row_and_nothing_is_written(coop, coordinator, people_rows):
    people_rows[2][4] = "north"  # latitude
    report = services.run_import(
        coop, services.KINDS["people"], "p.csv", csv_bytes(people_rows), coordinator
    )
    assert not report.written and _outcomes(report) == ["create", "error"]
    problem = report.rows[1].problems[0]
    assert (problem.column, problem.label) == ("latitude", "Latitude")
    assert not PersonCaredFor.objects.exists()


def test_a_person_without_coordinates_is_admitted_with_the_home_to_place(
    coop, coordinator, people_rows
):
    people_rows[1][4] = people_rows[1][5] = ""
    kind = services.KINDS["people"]
    content = csv_bytes(people_rows)
    report = services.preview(coop, kind, "p.csv", content, coordinator)
    assert _outcomes(report) == ["create", "create"] and not report.written
    assert "place" in report.rows[0].note and report.rows[1].note == ""
    assert not PersonCaredFor.objects.exists()

    report = services.run_import(coop, kind, "p.csv", content, coordinator)
    assert report.written
    anna = PersonCaredFor.objects.get(full_name="Anna Rossi")
    assert (anna.latitude, anna.longitude, anna.placed) == (None, None, False)
    assert PersonCaredFor.objects.get(full_name="Bruno Neri").placed


def test_a_person_with_one_coordinate_only_is_an_error_on_the_missing_one(
    coop, coordinator, people_rows
):
    people_rows[1][5] = ""
    report = services.preview(
        coop, services.KINDS["people"], "p.csv", csv_bytes(people_rows), coordinator
    )
    problem = report.rows[0].problems[0]
    assert (problem.column, problem.code) == ("longitude", "coordinates_incomplete")


def test_carers_get_a_login_their_contracts_and_certificates(coop, coordinator, carer_rows):
    kind = services.KINDS["carers"]
    content = csv_bytes(carer_rows, delimiter=";", bom=True)
    report = services.run_import(coop, kind, "carers.csv", content, coordinator)
    assert _outcomes(report) == ["create", "update", "create"], report.rows
    lucia = CooperativeRole.objects.get(role=Role.CARER, user__email="lucia@example.org").user
    assert not lucia.has_usable_password()
    assert Contract.objects.get(carer=lucia).weekly_hours == 30
    assert set(Qualification.objects.filter(carer=lucia).values_list("name", flat=True)) == {
        "OSS",
        "First aid",
    }
    again = services.run_import(coop, kind, "carers.csv", content, coordinator)
    assert _outcomes(again) == ["unchanged"] * 3
    assert Contract.objects.count() == 2 and Qualification.objects.count() == 2


def test_a_login_of_someone_outside_the_cooperative_is_not_made_a_carer(
    coop, coordinator, carer_rows
):
    factories.UserFactory(email="marco@example.org")
    report = services.preview(
        coop, services.KINDS["carers"], "c.csv", csv_bytes(carer_rows), coordinator
    )
    assert report.rows[2].problems[0].code == "login_elsewhere"


def test_a_contract_breaking_the_rules_is_refused_by_the_service(coop, coordinator, carer_rows):
    carer_rows[3][3:5] = ["fixed_term", "20"]  # no end date
    report = services.run_import(
        coop, services.KINDS["carers"], "c.csv", csv_bytes(carer_rows), coordinator
    )
    assert report.rows[2].problems[0].code == "end_date_missing"
    assert not Contract.objects.exists()


def test_availability_of_carers(coop, coordinator):
    carer = factories.user_with_role(coop, Role.CARER, email="lucia@example.org")
    rows = [
        ["email", "weekday", "starts", "ends"],
        ["lucia@example.org", "1", "08:00", "12:00"],
        ["LUCIA@example.org", "friday", "14:00", "18:00"],
    ]
    kind = services.KINDS["availability"]
    report = services.run_import(coop, kind, "a.xlsx", xlsx_bytes(rows), coordinator)
    assert _outcomes(report) == ["create", "create"]
    assert set(Availability.objects.filter(carer=carer).values_list("weekday", "starts")) == {
        (0, time(8)),
        (4, time(14)),
    }
    again = services.run_import(coop, kind, "a.xlsx", xlsx_bytes(rows), coordinator)
    assert _outcomes(again) == ["unchanged", "unchanged"]


def test_availability_refuses_overlaps_unknown_carers_and_days(coop, coordinator):
    factories.user_with_role(coop, Role.CARER, email="lucia@example.org")
    rows = [
        ["email", "weekday", "starts", "ends"],
        ["lucia@example.org", "mon", "08:00", "12:00"],
        ["lucia@example.org", "mon", "11:00", "13:00"],
        ["nobody@example.org", "mon", "08:00", "12:00"],
        ["lucia@example.org", "someday", "08:00", "12:00"],
    ]
    report = services.run_import(
        coop, services.KINDS["availability"], "a.csv", csv_bytes(rows), coordinator
    )
    codes = [row.problems[0].code if row.problems else None for row in report.rows]
    assert codes == [None, "slot_overlaps", "unknown_carer", "unknown_weekday"]
    assert not Availability.objects.exists()


def test_members_apply_are_admitted_and_change_class(
    coop, board_user, worker_class, supporter_class
):
    rows = [
        [
            "email",
            "full_name",
            "stakeholder_class",
            "shares",
            "first_payment",
            "applied_on",
            "admitted_on",
        ],
        ["ada@example.org", "Ada Lovelace", "supporters", "2", "100", "2025-01-10", "2025-02-01"],
        ["", "Carlo Rossi", "Supporters", "1", "", "2025-03-01", ""],
    ]
    kind = services.KINDS["members"]
    report = services.run_import(coop, kind, "m.csv", csv_bytes(rows), board_user)
    assert _outcomes(report) == ["create", "create"]
    ada = Member.objects.get(email="ada@example.org")
    assert (ada.status, ada.number) == (MemberStatus.ADMITTED, 1)
    assert share_balance(ada).paid == Decimal("100")
    assert Member.objects.get(full_name="Carlo Rossi").status == MemberStatus.APPLICANT

    assert _outcomes(services.run_import(coop, kind, "m.csv", csv_bytes(rows), board_user)) == [
        "unchanged",
        "unchanged",
    ]
    rows[2][6] = "2025-04-01"
    report = services.run_import(coop, kind, "m.csv", csv_bytes(rows), board_user)
    assert _outcomes(report) == ["unchanged", "update"], report.rows
    rows[2][2] = "Workers"
    report = services.run_import(coop, kind, "m.csv", csv_bytes(rows), board_user)
    assert _outcomes(report) == ["unchanged", "update"], report.rows
    carlo = Member.objects.get(full_name="Carlo Rossi")
    assert (carlo.stakeholder_class, carlo.status) == (worker_class, MemberStatus.ADMITTED)


def test_a_member_of_an_unknown_class_is_an_error(coop, board_user, supporter_class):
    rows = [
        ["full_name", "stakeholder_class", "shares", "applied_on"],
        ["Ada Lovelace", "Investors", "1", "2025-01-10"],
    ]
    report = services.preview(coop, services.KINDS["members"], "m.csv", csv_bytes(rows), board_user)
    assert report.rows[0].problems[0].code == "unknown_stakeholder_class"


def test_share_history_matches_equal_entries_one_for_one(coop, board_user, supporter_class):
    member = factories.applicant(supporter_class, shares=2, email="ada@example.org")
    rows = [
        ["email", "kind", "on", "shares", "amount", "reference"],
        ["ada@example.org", "subscription", "2026-01-05", "2", "", ""],  # made on applying
        ["ada@example.org", "payment", "2026-01-20", "", "25", "bank"],
        ["ada@example.org", "payment", "2026-01-20", "", "25", "bank"],
        ["ada@example.org", "subscription", "2026-02-01", "1", "", ""],
    ]
    kind = services.KINDS["shares"]
    report = services.run_import(coop, kind, "s.csv", csv_bytes(rows), board_user)
    assert _outcomes(report) == ["unchanged", "create", "create", "create"]
    assert share_balance(member).shares == 3 and share_balance(member).paid == Decimal("50")
    report = services.run_import(coop, kind, "s.csv", csv_bytes(rows), board_user)
    assert _outcomes(report) == ["unchanged"] * 4
    assert ShareEntry.objects.filter(member=member).count() == 4


def test_an_overpayment_is_refused_by_the_ledger_rules(coop, board_user, supporter_class):
    factories.applicant(supporter_class, shares=1, email="ada@example.org")
    rows = [["email", "kind", "on", "amount"], ["ada@example.org", "payment", "2026-01-20", "999"]]
    report = services.run_import(
        coop, services.KINDS["shares"], "s.csv", csv_bytes(rows), board_user
    )
    assert not report.written and report.rows[0].outcome == "error"
    assert not ShareEntry.objects.filter(kind="payment").exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("people.pdf", b"%PDF-1.4", "import_file_type"),
        ("people.csv", "full_name;address\nJosé;Rua\n".encode("latin-1"), "import_bad_encoding"),
        ("people.xlsx", b"PK\x03\x04 not a workbook", "import_unreadable"),
        ("people.csv", b"", "import_empty"),
        ("people.csv", b"full_name,city\nAnna,Bologna\n", "import_columns_missing"),
    ],
)
def test_a_file_that_cannot_be_taken_is_refused_with_its_code(
    coop, coordinator, name, content, code
):
    with pytest.raises(ValidationError) as refused:
        services.preview(coop, services.KINDS["people"], name, content, coordinator)
    assert code in {e.code for e in refused.value.error_list}
