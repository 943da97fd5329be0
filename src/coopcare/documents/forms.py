"""Forms of the document pages. They check the input's shape; the services check the rules
(the file's type and size among them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import DayField
from coopcare.documents import rules
from coopcare.documents.models import Kind


class UploadForm(forms.Form):
    """A new document kept on ``owner``: its kind (among ``kinds``, the owner's the user may
    upload), title, file, expiry."""

    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, ODT or DOCX."))
    expires_on = DayField(
        label=_("Expires on"),
        required=False,
        help_text=_("Certificates and background checks only."),
    )

    def __init__(self, owner: str, kinds: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds depend on the owner and the user; the field comes first, as people read it.
        choices = [(kind, Kind(kind).label) for kind in kinds]
        self.fields = {"kind": forms.ChoiceField(label=_("Kind"), choices=choices)} | self.fields
        if not set(kinds) & set(rules.EXPIRING_KINDS):
            del self.fields["expires_on"]


class ReplaceForm(forms.Form):
    """A new version of a document; the older ones are kept."""

    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, ODT or DOCX."))
    expires_on = DayField(label=_("Expires on"), required=False)

    def __init__(self, document, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if document.kind not in rules.EXPIRING_KINDS:
            del self.fields["expires_on"]


class DeleteForm(forms.Form):
    """Why a coordinator deletes a document: kept with the record that it existed."""

    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))
