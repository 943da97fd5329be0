"""Form pieces shared by the apps."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import DayField
from coopcare.cooperatives.models import FORMS_OF_CARE, form_label


class DateInput(forms.DateInput):
    input_type = "date"


def date_field(label=None, **kwargs) -> forms.DateField:
    """A date field (the browser's date picker) that defaults to today, between 1900 and
    2100."""
    return DayField(
        label=label or _("Date"), initial=timezone.localdate, widget=DateInput, **kwargs
    )


class FormsOfCareForm(forms.Form):
    """The forms of care the cooperative runs, each a box with what running it means."""

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        for name, explanation in FORMS_OF_CARE.items():
            self.fields[name] = forms.BooleanField(
                label=form_label(name),
                help_text=explanation,
                required=False,
                initial=getattr(cooperative, name),
            )
