"""Pages to import spreadsheets: the kinds, an upload with its preview, and the import.

The previewed file is kept in the user's session (at most ``rules.MAX_BYTES``) until it is
imported, and the import form names its digest, so that what is imported is the file that was
previewed, never one uploaded since in another tab.
"""

import base64
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.imports import files, rules, services
from coopcare.imports.forms import UploadForm
from coopcare.imports.services.common import Kind
from coopcare.pages import over_upload_limit

ROLES = services.ROLES


def _kind(request, kind: str) -> Kind:
    found = services.KINDS.get(kind)
    if found is None:
        raise Http404
    if not set(found.roles) & request.roles:
        raise PermissionDenied
    return found


def _session_key(request, kind: Kind) -> str:
    return f"import:{request.cooperative.pk}:{kind.key}"


@cooperative_view(*ROLES)
def kinds(request):
    """The kinds of import this user may run."""
    return render(request, "imports/kinds.html", {"kinds": services.kinds_for(request.roles)})


@cooperative_view(*ROLES)
def upload(request, kind: str):
    """The kind's columns and templates and an upload form; a file uploaded is previewed."""
    found = _kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"kind": found, "form": form}
    if form.is_bound and over_upload_limit(request, form):
        return render(request, "imports/upload.html", context, status=429)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        content = uploaded.read(rules.MAX_BYTES + 1)
        try:
            report = services.preview(
                request.cooperative, found, uploaded.name, content, request.user
            )
        except ValidationError as problem:
            for message in problem.messages:
                form.add_error("file", message)
        else:
            digest = hashlib.sha256(content).hexdigest()
            request.session[_session_key(request, found)] = {
                "name": uploaded.name,
                "content": base64.b64encode(content).decode(),
                "digest": digest,
            }
            context.update(report=report, digest=digest)
            return render(request, "imports/preview.html", context)
    return render(request, "imports/upload.html", context)


@cooperative_view(*ROLES)
def run(request, kind: str):
    """Import the file previewed: all its rows, or none if any has an error."""
    # The kind is looked up before the method is checked: an unknown one is a 404 whatever
    # the method.
    return _run(request, _kind(request, kind))


@require_POST
def _run(request, found):
    kept = request.session.get(_session_key(request, found))
    if not kept or kept["digest"] != request.POST.get("digest"):
        messages.error(request, _("Upload the file again: its preview is no longer at hand."))
        return redirect("imports:upload", request.cooperative.slug, found.key)
    content = base64.b64decode(kept["content"])
    report = services.run_import(request.cooperative, found, kept["name"], content, request.user)
    if report.written:
        del request.session[_session_key(request, found)]
        messages.success(request, _("The file is imported."))
    else:
        messages.error(request, services.not_written_message(report))
    return render(
        request,
        "imports/preview.html",
        {"kind": found, "report": report, "digest": kept["digest"]},
    )


@cooperative_view(*ROLES)
def template(request, kind: str, file_format: str):
    """The kind's template file, CSV or XLSX."""
    return files.template_response(_kind(request, kind), file_format)
