"""Forms of the impact pages."""

from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.impact.federation import ReportingPeriod, reporting_periods


def _label(period: ReportingPeriod) -> str:
    year, _sep, quarter = period.key.partition("-Q")
    if not quarter:
        return str(_("year %(year)s") % {"year": year})
    return str(_("quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year})


class ReportingPeriodForm(forms.Form):
    """One of the fixed reporting periods a federation analyst may choose (never dates of
    their own: see ``impact.federation``)."""

    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.key: p for p in reporting_periods(today)}
        period = cast(forms.ChoiceField, self.fields["period"])
        period.choices = [(key, _label(p)) for key, p in self.periods.items()]

    def chosen(self) -> ReportingPeriod:
        """The period asked for, or the latest that has ended."""
        if self.is_bound and self.is_valid():
            return self.periods[self.cleaned_data["period"]]
        return next(iter(self.periods.values()))
