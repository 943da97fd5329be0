"""The checks on a file and a document, with worked examples."""

from datetime import date

import pytest

from coopcare.documents import rules
from tests.documents import files


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (files.PDF, rules.PDF),
        (files.PNG, rules.PNG),
        (files.JPEG, rules.JPEG),
        (files.odt(), rules.ODT),
        (files.HTML, None),
        (files.EXE, None),
        (b"", None),
    ],
)
def test_the_type_is_read_from_the_content(content, expected):
    assert rules.file_type(content[: rules.HEAD_BYTES]) == expected


def test_a_docx_is_known_by_its_parts_and_another_zip_is_not():
    head = files.docx()[: rules.HEAD_BYTES]
    assert rules.file_type(head, ["[Content_Types].xml", "word/document.xml"]) == rules.DOCX
    assert rules.file_type(files.plain_zip()[: rules.HEAD_BYTES], ["notes.txt"]) is None


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


def test_size_limits_and_names_that_lie():
    ok = {"name": "plan.pdf", "found": rules.PDF, "limit": 100}
    assert rules.upload_problems(size=100, **ok) == []
    assert codes(rules.upload_problems(size=101, **ok)) == ["file_too_large"]
    assert codes(rules.upload_problems(size=0, name="plan.pdf", found=None, limit=100)) == [
        "file_empty"
    ]
    assert codes(rules.upload_problems(size=5, name="x.pdf", found=None, limit=100)) == [
        "file_type_not_allowed"
    ]
    # A PNG named .pdf: the content decides, and the name must agree with it.
    assert codes(rules.upload_problems(size=5, name="x.pdf", found=rules.PNG, limit=100)) == [
        "file_name_mismatch"
    ]
    assert rules.upload_problems(size=5, name="SCAN.JPEG", found=rules.JPEG, limit=100) == []


def test_kinds_belong_to_their_owner_and_only_some_expire():
    assert rules.document_problems(owner="person", kind="consent_form", expires_on=None) == []
    assert codes(rules.document_problems(owner="person", kind="minutes", expires_on=None)) == [
        "kind_not_for_owner"
    ]
    assert codes(
        rules.document_problems(owner="carer", kind="background_check", expires_on=None)
    ) == ["expiry_missing"]
    assert codes(
        rules.document_problems(owner="cooperative", kind="statutes", expires_on=date(2030, 1, 1))
    ) == ["expiry_not_applicable"]
    assert (
        rules.document_problems(owner="carer", kind="certificate", expires_on=date(2030, 1, 1))
        == []
    )


def test_a_document_has_expired_on_its_expiry_day():
    today = date(2026, 12, 1)
    assert rules.expiry_status(None, today) == ""
    assert rules.expiry_status(date(2026, 12, 1), today) == "expired"
    assert rules.expiry_status(date(2026, 12, 2), today) == "expiring"
    assert rules.expiry_status(date(2027, 1, 30), today) == "expiring"  # 60 days on
    assert rules.expiry_status(date(2027, 1, 31), today) == "valid"
