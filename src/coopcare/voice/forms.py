"""The forms of feedback and complaints. They check the input's shape; ``voice.rules`` and
``voice.services`` check the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopcare.bounds import bounded_formfield
from coopcare.cooperatives.forms import date_field
from coopcare.cooperatives.models import Role
from coopcare.voice.models import About, ComplaintPolicy, Outcome, Score, Step


class FeedbackForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How did the visit go?"),
        choices=Score.choices,
        coerce=int,
        # Radio inputs, drawn as five large buttons with their words (``voice/feedback.html``,
        # ``voice.css``): the keyboard moves between them and a screen reader reads each label.
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label=_("In your words (if you like)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CarerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ComplaintForm(forms.Form):
    about = forms.ChoiceField(label=_("What is it about?"), choices=About.choices)
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, cooperative, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        carers = cooperative.roles.filter(role=Role.CARER).values("user")
        self.fields["carer"] = CarerField(
            queryset=get_user_model().objects.filter(pk__in=carers),
            label=_("Which carer"),
            required=False,
            empty_label=_("(not a carer)"),
        )
        self.order_fields(["about", "carer", "description"])
        if on_behalf:
            # A coordinator writes down a complaint made by phone or in person.
            self.fields["complainant_name"] = forms.CharField(
                label=_("Who complains"), max_length=200
            )
            self.fields["received_on"] = date_field(_("Received on"))


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Step.choices)
    on = date_field(pgettext_lazy("the day a complaint's step was taken", "On"))
    text = forms.CharField(
        label=_("What it says"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("(none)")), *Outcome.choices],
        help_text=_("For an answer, and for the board's decision on an appeal."),
    )

    def __init__(self, steps, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, Step(s).label) for s in steps]


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ComplaintPolicy
        formfield_callback = bounded_formfield
        fields = ["acknowledge_working_days", "answer_working_days", "appeal_working_days"]


class RegisterFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any")), *Step.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("any")), *Outcome.choices]
    )
    about = forms.ChoiceField(
        label=_("About"), required=False, choices=[("", _("any")), *About.choices]
    )
    year = forms.IntegerField(
        label=_("Year received"), required=False, min_value=2000, max_value=2100
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
