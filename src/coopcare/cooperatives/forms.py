"""Form pieces shared by the apps."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import DayField


class DateInput(forms.DateInput):
    input_type = "date"


def date_field(label=None, **kwargs) -> forms.DateField:
    """A date field (the browser's date picker) that defaults to today, between 1900 and
    2100."""
    return DayField(
        label=label or _("Date"), initial=timezone.localdate, widget=DateInput, **kwargs
    )
