"""Forms of the import pages, and of the carer's login, which no other app has a form for."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coopcare.imports.rules import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the request's language, not once when the module is imported.
        self.fields["file"].help_text = gettext("At most %(size)s MB.") % {
            "size": MAX_BYTES // (1024 * 1024)
        }


class CarerLoginForm(forms.Form):
    """A carer's login as the import creates it: their email is their username."""

    email = forms.EmailField(label=_("Email"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
