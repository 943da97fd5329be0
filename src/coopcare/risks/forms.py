"""Forms of the risk and review pages. They check the input's shape; the services check the
rules (the scoring, the review dates)."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PeopleChoiceField
from coopcare.bounds import DayField
from coopcare.care import services as care_services
from coopcare.care.models import CareTask
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.cooperatives.models import Role
from coopcare.risks import rules
from coopcare.risks.scales import SCALES, Band, Kind

RATING_CHOICES = [
    ("", _("not rated")),
    ("-2", _("-2: much less than expected")),
    ("-1", _("-1: somewhat less than expected")),
    ("0", _("0: as expected")),
    ("1", _("+1: somewhat more than expected")),
    ("2", _("+2: much more than expected")),
]


def _choices(form: forms.Form, name: str) -> forms.ModelMultipleChoiceField:
    return cast(forms.ModelMultipleChoiceField, form.fields[name])


def _next_review_field() -> forms.DateField:
    return DayField(
        label=_("Next review"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the usual interval (a year unless the cooperative says)."),
    )


class AssessmentForm(forms.Form):
    """A new version of an assessment on one scale: its items (or, for a scale coopcare does
    not reproduce, its total and band), the carers and equipment for moving and handling."""

    def __init__(self, scale_key: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale_key = scale_key
        scale = SCALES[scale_key]
        self.fields["assessed_on"] = date_field(_("Assessed on"))
        if scale.items is None:
            self.fields["total"] = forms.IntegerField(
                label=_("Total"), min_value=scale.lowest, max_value=scale.highest
            )
            self.fields["band"] = forms.ChoiceField(label=_("Band"), choices=Band.choices)
        else:
            for key, item in scale.items.items():
                self.fields[f"item_{key}"] = forms.ChoiceField(
                    label=item.label,
                    choices=[(value, option.text) for value, option in item.options.items()],
                    widget=forms.RadioSelect,
                )
        if scale.kind == Kind.MOVING_HANDLING:
            self.fields["carers_needed"] = forms.TypedChoiceField(
                label=_("Carers needed for transfers"),
                choices=[(n, str(n)) for n in rules.CARERS_NEEDED],
                coerce=int,
            )
            self.fields["equipment"] = forms.CharField(
                label=_("Equipment"),
                max_length=200,
                required=False,
                help_text=_("For example: hoist, slide sheet, standing aid."),
            )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        self.fields["next_review_on"] = _next_review_field()

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.assess`` takes it."""
        data = dict(self.cleaned_data)
        answers = {
            name.removeprefix("item_"): data.pop(name)
            for name in list(data)
            if name.startswith("item_")
        }
        return data | {
            "answers": answers,
            "scale": self.scale_key,
            "kind": SCALES[self.scale_key].kind,
        }


class GoalForm(forms.Form):
    """A goal of the person, in their own words."""

    words = forms.CharField(
        label=_("In their own words"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    set_on = date_field(_("Set on"))


class ReviewForm(forms.Form):
    """A review of the person's care, with a rating of each of their goals."""

    held_on = date_field(_("Held on"))
    person_took_part = forms.BooleanField(
        label=_("The person took part"), required=False, initial=True
    )
    circle: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("From the circle"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    carers: forms.ModelMultipleChoiceField = PeopleChoiceField(
        label=_("Carers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    others = forms.CharField(label=_("Others who took part"), max_length=300, required=False)
    changes = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "circle").queryset = person.circle.filter(revoked_on__isnull=True)
        _choices(self, "carers").queryset = get_user_model().objects.filter(
            cooperative_roles__cooperative=person.cooperative,
            cooperative_roles__role=Role.CARER,
        )
        self.goals = list(person.goals.all())
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Goal: %(words)s") % {"words": goal.words},
                choices=RATING_CHOICES,
                required=False,
            )
        self.fields["next_review_on"] = _next_review_field()

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.record_review`` takes it."""
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "person_took_part": data["person_took_part"],
            "circle_ids": [c.pk for c in data["circle"]],
            "carer_ids": [c.pk for c in data["carers"]],
            "others": data["others"],
            "changes": data["changes"],
            "next_review_on": data["next_review_on"],
            "ratings": {
                goal.pk: int(data[f"goal_{goal.pk}"])
                for goal in self.goals
                if data.get(f"goal_{goal.pk}") not in (None, "")
            },
        }


class DoubleHandedForm(forms.Form):
    """The tasks of the current care plan that move the person, to be done by two carers."""

    valid_from = date_field(_("From"))
    tasks: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Tasks that move the person"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = care_services.current_plan(person, timezone.localdate())
        tasks = plan.tasks.filter(double_handed=False) if plan else CareTask.objects.none()
        _choices(self, "tasks").queryset = tasks


def task_choices(form: DoubleHandedForm):
    """The tasks a double-handed form offers (none when the plan has no single-handed task)."""
    return _choices(form, "tasks").queryset
