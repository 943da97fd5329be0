"""The Italian electronic invoice (FatturaPA) of a document, checked as the exchange system
(SDI) would check it.

* ``build(document)`` takes a ``model.Document`` (plain, immutable data) and returns an
  ``EInvoice``: the file name (``IT`` + the supplier's fiscal code + ``_`` + progressive +
  ``.xml``) and the XML bytes, FPA12 for a public administration and FPR12 for anyone else.
* Nothing invalid comes out: ``build`` raises ``EInvoiceRefused`` listing every problem,
  first the checks the SDI makes that a schema cannot (``rules``, each with the SDI's rejection
  code, such as ``00423`` for a line total that is not quantity times price), then the official
  schema 1.2.3 (``schema``), read from the copy in this package, never from the network.
* The summary per VAT rate, the document's total and the stamp duty are computed here from
  the lines; a line's total comes rounded from the caller, once.

This package is pure Python: it never imports Django or a coopcare app. The billing app turns
its records into a ``Document`` and words the problems' codes for people.
"""

from coopcare.einvoice import rules
from coopcare.einvoice.model import Document, EInvoice, EInvoiceRefused
from coopcare.einvoice.schema import schema_problems
from coopcare.einvoice.writer import render

__all__ = ["EInvoice", "EInvoiceRefused", "build"]


def build(document: Document) -> EInvoice:
    """The document's electronic invoice, or ``EInvoiceRefused`` with every problem found."""
    problems = rules.problems(document)
    if problems:
        raise EInvoiceRefused(problems)
    summaries = rules.summaries(document)
    stamp_duty = rules.stamp_duty(document)
    xml = render(document, summaries, stamp_duty, rules.total(summaries))
    problems = schema_problems(xml)
    if problems:
        raise EInvoiceRefused(problems)
    return EInvoice(
        filename=rules.filename(document),
        xml=xml,
        summaries=summaries,
        stamp_duty=stamp_duty,
    )
