"""Forms of the time credit pages. They check the input's shape; the services check the rules
(quarter-hours, the maximum, the overdraft)."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from coopcare.cooperatives.forms import date_field
from coopcare.timecredits.models import Direction, HelpKind


def _hours(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(999),
        max_digits=5,
        decimal_places=2,
        step_size=Decimal("0.25"),
    )


class PostForm(forms.Form):
    direction = forms.ChoiceField(label=capfirst(_("offer or request")), choices=Direction.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=HelpKind.choices)
    words = forms.CharField(label=_("What"), max_length=200)


class ConfirmForm(forms.Form):
    hours = _hours(_("Hours"))
    done_on = date_field(capfirst(_("done on")))


class TermsForm(forms.Form):
    most_hours = _hours(_("most hours in one exchange"))
    overdraft = _hours(_("hours a member may owe"))
    welcome_hours = _hours(_("welcome grant in hours"))


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
