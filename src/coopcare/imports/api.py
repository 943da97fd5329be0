"""API: import a spreadsheet (CSV or XLSX) of one kind, as a multipart upload named ``file``.

``preview`` answers what each row would do and writes nothing; ``import`` writes every row in
one transaction, or, if any row has an error, nothing: 400 ``import_rows_invalid`` with the
rows. A file that cannot be taken (its type, size, encoding, row count or columns) is 400 with
the code of ``imports.rules``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from coopcare.accounts.ratelimit import refuse_upload_flood
from coopcare.cooperatives.access import resolve_cooperative
from coopcare.imports import rules, services
from coopcare.imports.services.common import Kind

router = Router(tags=["imports"])

# The upload is optional in the schema and checked in ``_read`` (see there).
FILE_PARAMETER = File(None, description="The CSV or XLSX file.")
KIND_PARAMETER = Path(..., description="What the file holds: " + ", ".join(services.KINDS) + ".")


class ProblemOut(Schema):
    column: str
    label: str
    message: str
    code: str


class RowOut(Schema):
    line: int
    key: str
    outcome: str
    note: str = Field(description="What the row leaves to do, such as a home still to place.")
    problems: list[ProblemOut]


class ReportOut(Schema):
    kind: str
    written: bool
    counts: dict[str, int]
    rows: list[RowOut]


class RowsRefusedOut(Schema):
    detail: str
    code: str
    errors: list[str] = []
    rows: list[RowOut] = []


def _report(report: services.Report) -> dict:
    return {
        "kind": report.kind.key,
        "written": report.written,
        "counts": report.counts(),
        "rows": report.rows,
    }


def _read(request, coop: str, kind: str, file: UploadedFile | None):
    """The cooperative, the kind (if the user's roles allow it), the file's name and bytes.

    The cooperative is resolved first, so that a user of another cooperative learns nothing
    (404) whatever else the request holds; the file is checked here rather than by the
    schema for the same reason."""
    cooperative, roles = resolve_cooperative(request.auth, coop, services.ROLES)
    found: Kind | None = services.KINDS.get(kind)
    if found is None:
        raise Http404
    if not set(found.roles) & roles:
        raise PermissionDenied
    if file is None:
        raise ValidationError(
            _("Send the file as the multipart field “file”."), code="import_file_missing"
        )
    refuse_upload_flood(request.auth)
    # One byte past the limit is enough for rules.read_table to refuse the file.
    return cooperative, found, file.name or "", file.read(rules.MAX_BYTES + 1)


@router.post(
    "/{coop}/imports/{kind}/preview",
    response=ReportOut,
    summary="Preview an import: each row's outcome, nothing written",
)
def preview(
    request, coop: str, kind: str = KIND_PARAMETER, file: UploadedFile | None = FILE_PARAMETER
):
    cooperative, found, name, content = _read(request, coop, kind, file)
    report = services.preview(cooperative, found, name, content, request.auth, via="api")
    return _report(report)


@router.post(
    "/{coop}/imports/{kind}",
    response={200: ReportOut, 400: RowsRefusedOut},
    summary="Import a file: every row in one transaction, or none if any has an error",
)
def run_import(
    request, coop: str, kind: str = KIND_PARAMETER, file: UploadedFile | None = FILE_PARAMETER
):
    cooperative, found, name, content = _read(request, coop, kind, file)
    report = services.run_import(cooperative, found, name, content, request.auth, via="api")
    if not report.written:
        message = services.not_written_message(report)
        return Status(
            400,
            {
                "detail": message,
                "code": "import_rows_invalid",
                "errors": [
                    f"{row.line}: {problem.message}"
                    for row in report.rows
                    for problem in row.problems
                ],
                "rows": report.rows,
            },
        )
    return _report(report)
