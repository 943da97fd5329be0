"""The share certificate (``members.pdf``), in English and in Arabic."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import translation
from pypdf import PdfReader

from coopcare.members import pdf, services
from tests import factories


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_certificate_states_the_shares_as_of_its_day(coop, supporter_class):
    member = factories.admitted_member(
        supporter_class, paid=Decimal(50), shares=4, full_name="Anna Rossi"
    )
    services.record_payment(member, Decimal(50), date(2026, 6, 1))
    on = date(2026, 3, 1)
    text = _text(pdf.certificate(member, services.share_balance(member, on), on))
    assert "Share certificate" in text and "Cura Insieme" in text and "Anna Rossi" in text
    assert "Supporters" in text and "The president" in text and "The secretary" in text
    assert "€200.00" in text and "€50.00" in text and "€150.00" in text


def test_the_certificate_reads_in_arabic(coop, supporter_class):
    """In Arabic the paper runs right to left, and its dates and money are Arabic (its
    labels follow the Arabic catalog)."""
    member = factories.admitted_member(supporter_class, full_name="Anna Rossi")
    with translation.override("ar"):
        content = pdf.certificate(member, services.share_balance(member), date(2026, 3, 1))
    reader = PdfReader(BytesIO(content))
    text = _text(content)
    assert "Anna Rossi" in text
    assert "مارس" in text  # March, in the date the certificate is issued on
    assert reader.trailer["/Root"]["/Lang"] == "ar"
