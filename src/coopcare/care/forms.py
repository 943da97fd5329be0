"""Forms for people cared for. The rules are in services.py."""

import base64
import binascii

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coopcare.accounts.names import PeopleChoiceField, PersonChoiceField
from coopcare.bounds import DayField, bounded_formfield
from coopcare.care import queries, rules, scales, services
from coopcare.care.models import (
    AdvanceDecision,
    Capacity,
    CareStatus,
    CareTask,
    CircleMember,
    Condition,
    ConsentKind,
    Domain,
    DoorAccess,
    PersonCaredFor,
    ServiceType,
    Verification,
)
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.cooperatives.models import Role
from coopcare.visits.models import BreakKind


class PersonEditForm(forms.ModelForm):
    """The person's record as a coordinator edits it after admission (``EDITABLE_FIELDS``
    of ``care.services``). It only checks the input: the service saves and keeps the
    history, so the form is never saved itself."""

    class Meta:
        formfield_callback = bounded_formfield
        model = PersonCaredFor
        fields = list(services.EDITABLE_FIELDS)
        field_classes = {"preferred_carers": PeopleChoiceField, "refused_carers": PeopleChoiceField}
        widgets = {"date_of_birth": DateInput, "preferences": forms.Textarea({"rows": 2})}
        help_texts = {
            "latitude": _(
                "In decimal degrees, for example 44.494887 (a map app shows it). Left empty "
                "with the longitude, the home is still to place: the person cannot be rostered "
                "until it is placed."
            ),
            "longitude": _("In decimal degrees, for example 11.342616."),
        }

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        carers = queries.carers_of(cooperative)
        self.fields["preferred_carers"].queryset = carers
        self.fields["refused_carers"].queryset = carers

    def clean(self):
        data = super().clean()
        given = {name: data.get(name) is not None for name in ("latitude", "longitude")}
        if (
            len(set(given.values())) == 2
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            missing = "latitude" if not given["latitude"] else "longitude"
            self.add_error(
                missing,
                forms.ValidationError(
                    _(
                        "Give both the latitude and the longitude, or neither to place the home "
                        "later."
                    ),
                    code="coordinates_incomplete",
                ),
            )
        both = set(data.get("preferred_carers") or []) & set(data.get("refused_carers") or [])
        if both:
            raise forms.ValidationError(
                _("A carer cannot be both preferred and refused."),
                code="carer_preferred_and_refused",
            )
        return data


class PersonForm(PersonEditForm):
    """A new person: the record, their status at admission and its date."""

    on = date_field(_("Referred or admitted on"))

    class Meta(PersonEditForm.Meta):
        fields = [*services.EDITABLE_FIELDS, "status"]

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, cooperative=cooperative, **kwargs)
        self.fields["status"].choices = [
            (CareStatus.REFERRAL, CareStatus.REFERRAL.label),
            (CareStatus.ACTIVE, CareStatus.ACTIVE.label),
        ]


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    given_by = forms.CharField(
        label=_("Given by"), help_text=_("The person, or their legal representative.")
    )
    capacity = forms.ChoiceField(label=_("In the capacity of"), choices=Capacity.choices)
    on = date_field(_("Given on"))


class WithdrawConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    on = date_field(_("Withdrawn on"))


class VerificationForm(forms.Form):
    method = forms.ChoiceField(label=_("Visits are verified by"), choices=Verification.choices)


class CircleForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = CircleMember
        fields = [
            "full_name",
            "relationship",
            "phone",
            "user",
            "may_see_visits",
            "may_see_notes",
            "may_see_care_plan",
            "may_choose_carers",
            "may_message",
            "granted_by",
            "granted_on",
        ]
        widgets = {"granted_on": DateInput}

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        self.fields["user"] = PersonChoiceField(
            label=user.label,
            help_text=user.help_text,
            required=False,
            queryset=get_user_model().objects.filter(
                cooperative_roles__cooperative_id=person.cooperative_id,
                cooperative_roles__role=Role.CIRCLE,
            ),
        )


class RevokeCircleForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Circle member"), queryset=CircleMember.objects.none())
    on = date_field(_("Revoked on"))

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = person.circle.filter(revoked_on__isnull=True)


def _answer_choices(item: scales.Item) -> list[tuple[str, str]]:
    """The item's published answers, each with its points, after a blank "not chosen"."""
    return [("", "—")] + [
        (
            key,
            ngettext("%(answer)s (%(points)s point)", "%(answer)s (%(points)s points)", o.points)
            % {"answer": o.text, "points": o.points},
        )
        for key, o in item.options.items()
    ]


class AssessmentForm(forms.Form):
    """A needs assessment; with a standard scale, one of its answers for each of its items."""

    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    on = date_field(_("Assessed on"))
    scale = forms.ChoiceField(
        label=_("Standard scale"),
        required=False,
        choices=[("", _("none (notes only)"))]
        + [(key, scale.name) for key, scale in scales.SCALES.items()],
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One choice per item of every scale; only the chosen scale's answers are kept.
        for key, scale in scales.SCALES.items():
            for item_key, item in scale.items.items():
                self.fields[f"{key}__{item_key}"] = forms.ChoiceField(
                    label=_("%(scale)s: %(item)s") % {"scale": scale.name, "item": item.label},
                    choices=_answer_choices(item),
                    required=False,
                )

    def clean(self):
        data = super().clean()
        chosen = data.get("scale")
        answered = {
            key: [item for item in scale.items if data.get(f"{key}__{item}")]
            for key, scale in scales.SCALES.items()
        }
        for key, items in answered.items():
            if items and key != chosen:
                # Answers for a scale that is not the one chosen would be silently dropped.
                self.add_error(
                    "scale",
                    _("Answers were given for %(scale)s: choose it as the scale, or clear them.")
                    % {"scale": scales.SCALES[key].name},
                )
        if not chosen:
            data["items"] = {}
            return data
        for item in scales.SCALES[chosen].items:
            if not data.get(f"{chosen}__{item}"):
                # A missing item is unknown, not 0: the scale is scored only when complete.
                self.add_error(
                    f"{chosen}__{item}",
                    _("Choose the answer that describes the person; every item is needed."),
                )
        data["items"] = {item: data.get(f"{chosen}__{item}") for item in answered[chosen]}
        return data


class PlanForm(forms.Form):
    valid_from = date_field(_("Applies from"))
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea({"rows": 3}))


class TaskForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = CareTask
        fields = [
            "title",
            "instructions",
            "steps",
            "rrule",
            "start_time",
            "duration_minutes",
            "skills",
            "double_handed",
            "service_type",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "instructions": forms.TextInput,
            "steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form that leaves the service type out (an older client, an import) keeps the
        # model's default rather than failing, and an empty extra task form stays unchanged
        # (with an initial value, Django would take it as a task half filled in).
        self.fields["service_type"].required = False
        self.fields["service_type"].initial = None

    def clean_service_type(self) -> str:
        return self.cleaned_data["service_type"] or ServiceType.PERSONAL_CARE


TaskFormSet = forms.formset_factory(TaskForm, extra=3, min_num=1, validate_min=True)


DATA_URL_PREFIX = "data:image/png;base64,"


class SignatureForm(forms.Form):
    """Who signs, in which capacity, and the signature: drawn on the screen (sent as a PNG
    data URL by ``signature.js``) or, without a drawing, the full name typed and confirmed.
    ``shown`` is the SHA-256 of what the page showed, so a change in between is refused."""

    signer_name = forms.CharField(label=_("Name of the person who signs"), max_length=200)
    capacity = forms.ChoiceField(
        label=_("Signs as"), choices=Capacity.choices, initial=Capacity.SELF
    )
    drawing = forms.CharField(required=False, widget=forms.HiddenInput)
    typed_name = forms.CharField(
        label=_("Or type the full name as the signature"), max_length=200, required=False
    )
    confirmed = forms.BooleanField(
        label=_("I confirm that this typed name is my signature of what is shown above."),
        required=False,
    )
    shown = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_drawing(self) -> bytes | None:
        """The drawing's PNG bytes, or None when nothing was drawn."""
        value = self.cleaned_data.get("drawing") or ""
        if not value:
            return None
        # The base64 of the largest drawing kept, with room for the prefix.
        if len(value) > rules.SIGNATURE_MAX_BYTES * 4 // 3 + 100:
            raise forms.ValidationError(
                _("The drawn signature is too large."), code="signature_too_large"
            )
        if not value.startswith(DATA_URL_PREFIX):
            raise forms.ValidationError(
                _("The drawn signature is not a PNG image."), code="not_png"
            )
        try:
            return base64.b64decode(value[len(DATA_URL_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(
                _("The drawn signature is not a PNG image."), code="not_png"
            ) from None


class ConsentSignatureForm(SignatureForm):
    on = date_field(_("Given on"))


class CareStatusForm(forms.Form):
    """A change of care status on the person's page; a pause or the end of care cancels
    visits, resuming plans them again (``rostering.services.care_status``)."""

    status = forms.ChoiceField(label=_("New status"), choices=CareStatus.choices)
    on = date_field(_("From"))
    kind = forms.ChoiceField(
        label=_("Kind of pause"),
        choices=[(k.value, k.label) for k in (BreakKind.PAUSE, BreakKind.HOSPITAL)],
        initial=BreakKind.PAUSE,
        required=False,
    )
    until = DayField(
        label=_("Last day of the pause"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for a pause until care resumes."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ConditionForm(forms.ModelForm):
    """One health condition; a row left empty is no condition."""

    class Meta:
        formfield_callback = bounded_formfield
        model = Condition
        fields = ["name", "notes"]


class AdvanceDecisionForm(forms.ModelForm):
    """One advance decision; a row left empty is no decision."""

    class Meta:
        formfield_callback = bounded_formfield
        model = AdvanceDecision
        fields = ["kind", "made_on", "kept_where", "notes", "current"]
        widgets = {"made_on": DateInput}


class DoorAccessForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = DoorAccess
        fields = list(services.DOOR_ACCESS_FIELDS)
        widgets = {
            "key_safe_code": forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
            "entry": forms.Textarea({"rows": 2}),
            "emergency_contacts": forms.Textarea({"rows": 2}),
        }


ConditionFormSet = forms.formset_factory(ConditionForm, extra=2, can_delete=True)
AdvanceDecisionFormSet = forms.formset_factory(AdvanceDecisionForm, extra=1, can_delete=True)


def kept_rows(formset: forms.BaseFormSet) -> list[dict]:
    """The rows of a valid formset that are kept: filled in and not marked to delete."""
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
