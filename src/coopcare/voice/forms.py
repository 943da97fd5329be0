"""The forms of feedback and complaints. They check the input's shape; ``voice.rules`` and
``voice.services`` check the rest."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import bounded_formfield
from coopcare.cooperatives.forms import date_field
from coopcare.cooperatives.models import Role
from coopcare.voice.models import About, Audience, ComplaintPolicy, Outcome, Score, Step
from coopcare.voice.rules import SURVEY_OPEN_QUESTION


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


class ComplaintForm(forms.Form):
    about = forms.ChoiceField(label=_("What is it about?"), choices=About.choices)
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, cooperative, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        carers = cooperative.roles.filter(role=Role.CARER).values("user")
        self.fields["carer"] = PersonChoiceField(
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


def _score_field(label) -> forms.TypedChoiceField:
    # Radio inputs drawn as five large buttons with their words, as on the feedback page.
    return forms.TypedChoiceField(
        label=label,
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the five answers.")},
    )


class SurveyForm(forms.Form):
    """A coordinator opens the yearly survey; empty questions mean the built-in ones."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    audience = forms.ChoiceField(
        label=_("Whom it asks"),
        choices=[
            (Audience.CIRCLE, Audience.CIRCLE.label),
            (Audience.CARERS, Audience.CARERS.label),
            (Audience.BOTH, _("both: the people cared for, their circle and the carers")),
        ],
        widget=forms.RadioSelect,
    )
    closes_on = date_field(_("Last day to answer"))
    anonymous = forms.BooleanField(
        label=_("Anonymous: the answers are kept without the name of who gave them"),
        required=False,
        initial=True,
    )
    questions = forms.CharField(
        label=_("Questions on the 1 to 5 scale"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question a line. Leave it empty to ask the built-in questions."),
    )
    open_question = forms.CharField(
        label=_("Open question"),
        required=False,
        max_length=300,
    )

    # The service's broken rules, each shown on the field it is about.
    FIELD_OF_CODE = {
        "survey_audience_unknown": "audience",
        "survey_already_open": "year",
        "survey_closes_in_past": "closes_on",
        "survey_question_empty": "questions",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Worded here, in the reader's language, not when the module was imported.
        self.fields["open_question"].help_text = _("Leave it empty to ask: %(question)s") % {
            "question": SURVEY_OPEN_QUESTION
        }

    def clean_questions(self) -> list[str] | None:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        return [line for line in lines if line] or None


class SurveyAnswerForm(forms.Form):
    """One score per question of the survey, then its open question; ``phone`` adds which
    side answered, when the survey asks both."""

    def __init__(self, survey, *args, phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey, self.phone = survey, phone
        if phone and survey.audience == Audience.BOTH:
            self.fields["side"] = forms.ChoiceField(
                label=_("Who answered"),
                choices=[c for c in Audience.choices if c[0] != Audience.BOTH],
                widget=forms.RadioSelect,
            )
        for index, question in enumerate(survey.questions):
            self.fields[f"q{index}"] = _score_field(question)
        self.fields["words"] = forms.CharField(
            label=survey.open_question,
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def side_field(self):
        """The bound field of who answered by phone, when the survey asks both sides."""
        return self["side"] if "side" in self.fields else None

    def scale_fields(self) -> list:
        """The bound fields of the questions on the scale, in their order."""
        return [self[f"q{index}"] for index in range(len(self.survey.questions))]

    def answer(self) -> dict:
        """The service's arguments: the scores in the questions' order, and the words."""
        data = self.cleaned_data
        answer = {
            "scores": [data[f"q{index}"] for index in range(len(self.survey.questions))],
            "words": data["words"],
        }
        if self.phone:
            answer["side"] = data.get("side", self.survey.audience)
        return answer
