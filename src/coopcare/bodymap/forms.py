"""The body map's forms: a new mark (placed by a tap, or by its region without JavaScript) and
a follow-up. They check the input's shape; ``bodymap.rules`` checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.bodymap.models import Category, FollowUpStatus, MarkKind
from coopcare.bodymap.outline import HEIGHT, PLACES, WIDTH, Region, Side
from coopcare.visits.models import Visit


class RegionSelect(forms.Select):
    """The list of regions, each option carrying where it lies on each side, so that a tap on
    the drawing can choose the nearest region (``bodymap.js``)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        place = PLACES.get(str(value))
        for side in Side.values:
            point = place.on(side) if place else None
            if point is not None:
                option["attrs"][f"data-{side}"] = f"{point[0]},{point[1]}"
        return option


def _size(label):
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=4, decimal_places=1
    )


class _ShowsHiddenErrors(forms.Form):
    """A form whose hidden fields' errors (a point or a visit that does not fit) are shown
    with the form's own errors, as the page does not show hidden fields."""

    def full_clean(self):
        super().full_clean()
        for field in self.hidden_fields():
            for message in self.errors.get(field.name, []):
                self.add_error(None, f"{field.label}: {message}")


class MarkForm(_ShowsHiddenErrors):
    side = forms.ChoiceField(
        label=_("Side of the body"), choices=Side.choices, widget=forms.RadioSelect
    )
    region = forms.ChoiceField(label=_("Where"), choices=Region.choices, widget=RegionSelect)
    kind = forms.ChoiceField(label=_("What"), choices=MarkKind.choices)
    category = forms.ChoiceField(
        label=_("Category (pressure ulcer only)"),
        choices=[("", "—"), *Category.choices],
        required=False,
        help_text=_("International classification of NPIAP and EPUAP."),
    )
    length_cm = _size(_("Length (cm)"))
    width_cm = _size(_("Width (cm)"))
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What it looks like, and what you did about it."),
    )
    # Set by a tap on the drawing; without JavaScript the region places the mark.
    x = forms.IntegerField(
        label=_("Point across the drawing"),
        required=False,
        min_value=0,
        max_value=WIDTH,
        widget=forms.HiddenInput,
    )
    y = forms.IntegerField(
        label=_("Point down the drawing"),
        required=False,
        min_value=0,
        max_value=HEIGHT,
        widget=forms.HiddenInput,
    )
    visit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Visit.objects.none(),
        label=_("Visit"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = Visit.objects.filter(person=person)


class FollowUpForm(_ShowsHiddenErrors):
    status = forms.ChoiceField(
        label=_("How it is now"), choices=FollowUpStatus.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    length_cm = _size(_("Length now (cm)"))
    width_cm = _size(_("Width now (cm)"))
    visit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Visit.objects.none(),
        label=_("Visit"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = Visit.objects.filter(person=person)
