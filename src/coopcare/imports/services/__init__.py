"""Importing a spreadsheet: a preview that writes nothing, then the import in one transaction.

Both enter every row the same way, through the owning app's forms and services (one module
per kind: ``people``, ``carers``, ``availability``, ``members``, ``shares``), inside one
transaction: each row in a savepoint of its own, so that a refused row leaves nothing behind
and the next rows see what the earlier ones wrote. The preview then rolls everything back; the
import keeps it only if no row had an error. So the preview says exactly what the import will
do, and a file imported twice changes nothing the second time: each row is matched by its
natural key (``Kind.matched_by``) and an equal record is left unchanged.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from coopcare.care.access import log_reads
from coopcare.cooperatives.models import Cooperative, Role
from coopcare.imports import rules
from coopcare.imports.services import availability, carers, members, people, shares
from coopcare.imports.services.common import Context, Kind, Outcome

# Who may import anything at all; each kind narrows it (``Kind.roles``).
ROLES = (Role.COORDINATOR, Role.BOARD)
KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (people.KIND, carers.KIND, availability.KIND, members.KIND, shares.KIND)
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row: the column concerned (its key, or empty for the row as a
    whole) and its label, a message in the reader's language and a stable code."""

    column: str
    label: str
    message: str
    code: str


@dataclass
class RowResult:
    line: int
    key: str
    outcome: str
    problems: list[Problem] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    """Every row of a file with its outcome; ``written`` once an import kept them."""

    kind: Kind
    rows: list[RowResult]
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return any(r.outcome == Outcome.ERROR for r in self.rows)

    def counts(self) -> dict[str, int]:
        """How many rows have each outcome (every outcome named, zeros included)."""
        return {o.value: sum(r.outcome == o for r in self.rows) for o in Outcome}


def kinds_for(roles) -> list[Kind]:
    """The kinds of import a user with ``roles`` may run."""
    return [kind for kind in KINDS.values() if set(kind.roles) & set(roles)]


def _problems(kind: Kind, error: ValidationError) -> list[Problem]:
    def label(key: str) -> str:
        column = kind.column(key)
        return str(column.label) if column else ""

    if hasattr(error, "error_dict"):
        return [
            Problem(column, label(column), message, e.code or "invalid")
            for column, errors in error.error_dict.items()
            for e in errors
            for message in e.messages
        ]
    return [
        Problem("", "", message, e.code or "rule_broken")
        for e in error.error_list
        for message in e.messages
    ]


def _enter_all(
    cooperative: Cooperative, kind: Kind, name: str, content: bytes, by, keep: bool, via: str
) -> Report:
    table = rules.read_table(name, content)
    problems = rules.column_problems(table.headers, kind.columns)
    if problems:
        raise ValidationError(problems)
    context = Context(cooperative=cooperative, by=by, today=timezone.localdate())
    results = []
    with transaction.atomic():
        for line, row in table.rows:
            context.note = ""
            try:
                with transaction.atomic():
                    outcome, key = kind.enter(context, row)
                results.append(RowResult(line, key, outcome, note=context.note))
            except ValidationError as error:
                key = " ".join(row.get(k, "") for k in kind.matched_by.split("+")).strip()
                results.append(RowResult(line, key, Outcome.ERROR, _problems(kind, error)))
        report = Report(kind, results)
        report.written = keep and not report.has_errors
        if not report.written:
            transaction.set_rollback(True)
    if context.people_read:
        # Matching a row to a person already recorded reads their record: logged, after the
        # rollback of a preview so that the log is kept.
        log_reads(by, context.people_read, "import", via=via)
    return report


def preview(
    cooperative: Cooperative, kind: Kind, name: str, content: bytes, by, via: str = "web"
) -> Report:
    """What importing the file would do, row by row; writes nothing (but the log of the care
    records its rows were matched to, read ``via`` the pages or the API).

    Raises ValidationError (with its code) when the file itself cannot be taken: its type,
    size, encoding, row count, or columns (see ``imports.rules``)."""
    return _enter_all(cooperative, kind, name, content, by, keep=False, via=via)


def run_import(
    cooperative: Cooperative, kind: Kind, name: str, content: bytes, by, via: str = "web"
) -> Report:
    """Import the file: every row, in one transaction, or nothing if any row has an error
    (then ``written`` is false and the rows say why). Raises as ``preview`` does."""
    return _enter_all(cooperative, kind, name, content, by, keep=True, via=via)


def not_written_message(report: Report) -> str:
    """What the pages and the API say when an import wrote nothing because of its rows."""
    errors = report.counts()[Outcome.ERROR]
    return ngettext(
        "Nothing was imported: %(count)s row has errors. Correct it and upload the file again.",
        "Nothing was imported: %(count)s rows have errors. Correct them and upload the file again.",
        errors,
    ) % {"count": errors}
