"""Document pages: the cooperative's documents, a person's, a carer's, one document with its
versions, downloads, and the coordinators' list of carers' documents that expire."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopcare.cooperatives.access import cooperative_view
from coopcare.cooperatives.models import Role
from coopcare.documents import access, forms, queries, rules, services
from coopcare.documents.models import Owner
from coopcare.pages import over_upload_limit, submit

CARE_ROLES = (Role.COORDINATOR, Role.CARER)


def _listing(request, *, owner, documents, heading, person=None, carer=None):
    """A list of documents with its upload form (for those who may add one); on a valid
    upload, the service keeps the document and the page is shown again."""
    kinds = access.addable_kinds(request.user, request.roles, owner=owner, carer=carer)
    form, status = None, 200
    if request.method == "POST":
        if not kinds:
            raise PermissionDenied
        # A kind the user may not upload (a carer's background check) is not among the
        # choices, so the form refuses it.
        form = forms.UploadForm(owner, kinds, request.POST, request.FILES)
        limited = over_upload_limit(request, form)
        if not limited and submit(
            request,
            form,
            lambda data: services.upload(
                request.cooperative, person=person, carer=carer, by=request.user, **data
            ),
            _("Document kept."),
        ):
            return redirect(request.path)
        status = 429 if limited else 400
    today = timezone.localdate()
    return render(
        request,
        "documents/list.html",
        {
            "heading": heading,
            "person": person,
            "carer": carer,
            "rows": [
                (d, rules.expiry_status(d.current.expires_on if d.current else None, today))
                for d in documents
            ],
            "form": (form or forms.UploadForm(owner, kinds)) if kinds else None,
        },
        status=status,
    )


@cooperative_view()
def cooperative_documents(request):
    """The cooperative's own documents (statutes, minutes...) the user's roles may read."""
    kinds = access.readable_cooperative_kinds(request.roles)
    if not kinds:
        raise PermissionDenied
    return _listing(
        request,
        owner=Owner.COOPERATIVE,
        documents=queries.cooperative_documents(request.cooperative, kinds),
        heading=_("Documents of the cooperative"),
    )


@cooperative_view(*CARE_ROLES)
def person_documents(request, person_id: int):
    """The documents kept on a person, for those who may see the person now (logged)."""
    person = access.visible_person(request.user, request.cooperative, request.roles, person_id)
    access.log_list(request.user, person)
    return _listing(
        request,
        owner=Owner.PERSON,
        documents=queries.person_documents(request.cooperative, person),
        heading=_("Documents of %(name)s") % {"name": person.full_name},
        person=person,
    )


@cooperative_view(*CARE_ROLES)
def carer_documents(request, user_id: int):
    """A carer's documents, for the carer themself and the coordinators."""
    carer = access.visible_carer(request.user, request.cooperative, request.roles, user_id)
    return _listing(
        request,
        owner=Owner.CARER,
        documents=queries.carer_documents(request.cooperative, carer),
        heading=_("Documents of %(name)s") % {"name": carer.get_full_name() or carer.username},
        carer=carer,
    )


def _document_page(request, document, replace_form=None, delete_form=None, status=200):
    may_replace = access.may_replace(request.user, request.roles, document)
    may_delete = access.may_delete(request.roles, document)
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "status": rules.expiry_status(
                document.current.expires_on if document.current else None, timezone.localdate()
            ),
            "replace_form": (replace_form or forms.ReplaceForm(document)) if may_replace else None,
            "delete_form": (delete_form or forms.DeleteForm()) if may_delete else None,
            "back": _back(request, document),
        },
        status=status,
    )


def _back(request, document) -> str:
    slug = request.cooperative.slug
    if document.owner == Owner.PERSON:
        return reverse("documents:person", args=[slug, document.person_id])
    if document.owner == Owner.CARER:
        return reverse("documents:carer", args=[slug, document.carer_id])
    return reverse("documents:cooperative", args=[slug])


@cooperative_view()
def document(request, document_id: int):
    """One document with its versions, and the forms to replace or delete it."""
    found = access.visible_document(request.user, request.cooperative, request.roles, document_id)
    access.log_document(request.user, found)
    return _document_page(request, found)


@cooperative_view()
def replace(request, document_id: int):
    """Upload a new version of a document. The document is looked up before the method is
    checked, so that another cooperative's is 404 whatever the method."""
    found = access.visible_document(request.user, request.cooperative, request.roles, document_id)
    return _replace(request, found)


@require_POST
def _replace(request, found):
    if not access.may_replace(request.user, request.roles, found):
        raise PermissionDenied
    form = forms.ReplaceForm(found, request.POST, request.FILES)
    limited = over_upload_limit(request, form)
    if not limited and submit(
        request,
        form,
        lambda data: services.replace(found, by=request.user, **data),
        _("New version kept; the older ones stay."),
    ):
        return redirect("documents:document", request.cooperative.slug, found.pk)
    access.log_document(request.user, found)
    return _document_page(request, found, replace_form=form, status=429 if limited else 400)


@cooperative_view(Role.COORDINATOR)
def delete(request, document_id: int):
    """Delete a document's files, with the reason; the record that it existed stays."""
    found = access.visible_document(request.user, request.cooperative, request.roles, document_id)
    return _delete(request, found)


@require_POST
def _delete(request, found):
    form = forms.DeleteForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.delete(found, reason=data["reason"], by=request.user),
        _("Document deleted."),
    ):
        return redirect("documents:document", request.cooperative.slug, found.pk)
    access.log_document(request.user, found)
    return _document_page(request, found, delete_form=form, status=400)


@cooperative_view()
def download(request, document_id: int, version: int):
    """The file of one version, for those who may see the document (logged on a person)."""
    found = access.visible_document(request.user, request.cooperative, request.roles, document_id)
    return access.download(request.user, found, version)


@cooperative_view(Role.COORDINATOR)
def expiring(request):
    """Carers' certificates and background checks that have expired or expire soon."""
    return render(
        request,
        "documents/expiring.html",
        {
            "rows": queries.expiring(request.cooperative, timezone.localdate()),
            "notice_days": rules.EXPIRY_NOTICE.days,
        },
    )
