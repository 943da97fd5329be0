"""Forms of the governance pages. They parse input; the rules live in ``services``."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.billing.models import Tariff, TariffVersion
from coopcare.bounds import bounded_formfield
from coopcare.governance.models import (
    AssemblyKind,
    AssemblyStatus,
    AttendanceMode,
    Choice,
    EffectKind,
    ElectionMethod,
    Majority,
    MajorityBase,
    Statutes,
)
from coopcare.governance.services.questions import PAY_RULES, TARIFF_PRICES
from coopcare.members.models import Member, MemberStatus
from coopcare.rostering.models import RosterPolicy
from coopcare.work.models import PayRules


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


def _when(label, required=False):
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput)


def _members(cooperative):
    return Member.objects.filter(
        cooperative=cooperative, status=MemberStatus.ADMITTED
    ).select_related("stakeholder_class")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.full_name} · {member.stakeholder_class}"


class AssemblyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssemblyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = _when(_("Starts at"), required=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Link to join online"), required=False, assume_scheme="https"
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One item per line."),
    )

    def clean_agenda(self):
        return [line for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class AttendanceForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    mode = forms.ChoiceField(label=_("Present"), choices=AttendanceMode.choices)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members(cooperative)


class ProxyForm(forms.Form):
    holder = MemberChoiceField(
        label=_("Member who will vote for me"), queryset=Member.objects.none()
    )

    def __init__(self, *args, cooperative, giver=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = _members(cooperative)
        if giver is not None:
            members = members.exclude(pk=giver.pk)
        self.fields["holder"].queryset = members


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    details = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 20}))


class _QuestionForm(forms.Form):
    """Fields every question put to the vote has."""

    title = forms.CharField(label=_("Title"), max_length=200)
    assembly: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assembly"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for an online vote between assemblies, with the window below."),
    )
    opens_at = _when(_("Voting opens (online vote)"))
    closes_at = _when(_("Voting closes (online vote)"))
    classes: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Stakeholder classes that vote"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every class."),
    )
    min_days_member = forms.IntegerField(
        label=_("Days of membership needed to vote"), min_value=0, initial=0
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assembly"].queryset = cooperative.assemblies.exclude(
            status=AssemblyStatus.CLOSED
        )
        self.fields["classes"].queryset = cooperative.stakeholder_classes.all()


class MotionForm(_QuestionForm):
    text = forms.CharField(label=_("Text of the motion"), widget=forms.Textarea(attrs={"rows": 6}))
    majority = forms.ChoiceField(label=_("Majority needed"), choices=Majority.choices)
    base = forms.ChoiceField(label=_("Counted"), choices=MajorityBase.choices)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    effect_kind = forms.ChoiceField(
        label=_("Effect when passed"), choices=EffectKind.choices, required=False
    )
    effect_from = forms.DateField(
        label=_("Effect from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: from the day it passes."),
    )

    field_order = ["title", "text", "assembly", "opens_at", "closes_at", "majority", "base"]

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, cooperative=cooperative, **kwargs)
        self.fields["effect_tariff"] = forms.ModelChoiceField(
            label=_("New prices: tariff"),
            queryset=Tariff.objects.filter(cooperative=cooperative).order_by("name"),
            required=False,
        )
        # The new prices and pay rules, as on the tariff's and the pay page; the motion's
        # effect date is their first day.
        for prefix, model, names, label, empty in (
            (
                "tariff",
                TariffVersion,
                TARIFF_PRICES,
                _("New prices: %(field)s"),
                _("Empty: as the tariff's latest prices have it."),
            ),
            (
                "pay",
                PayRules,
                PAY_RULES,
                _("New pay rules: %(field)s"),
                _("Empty: as the pay rules in force then have it."),
            ),
        ):
            for name, field in forms.fields_for_model(
                model, fields=names, formfield_callback=bounded_formfield
            ).items():
                field.required, field.initial, field.help_text = False, None, empty
                field.label = label % {"field": field.label}
                if isinstance(field, forms.TimeField):
                    field.widget = forms.TimeInput(attrs={"type": "time"})
                self.fields[f"{prefix}_{name}"] = field
        defaults = RosterPolicy()
        for name in RosterPolicy.WEIGHTS:
            model_field = RosterPolicy._meta.get_field(name)
            self.fields[f"weight_{name}"] = forms.DecimalField(
                label=_("Roster policy: %(weight)s") % {"weight": model_field.verbose_name},
                min_value=0,
                required=False,
                initial=getattr(defaults, name),
            )

    def clean(self):
        data = super().clean()
        data["effect"] = {name: data.pop(f"weight_{name}", None) for name in RosterPolicy.WEIGHTS}
        tariff = data.pop("effect_tariff", None)
        prices = {name: data.pop(f"tariff_{name}", None) for name in TARIFF_PRICES}
        pay = {name: data.pop(f"pay_{name}", None) for name in PAY_RULES}
        if data.get("effect_kind") == EffectKind.TARIFF_VERSION:
            data["effect"] = {"tariff": tariff.pk if tariff else None} | prices
        if data.get("effect_kind") == EffectKind.PAY_RULES:
            data["effect"] = pay
        if data.get("effect_kind") == EffectKind.ROSTER_POLICY:
            missing = [n for n, v in data["effect"].items() if v is None]
            if missing:
                raise forms.ValidationError(
                    _("Give every weight of the roster policy the motion adopts."),
                    code="policy_weights_missing",
                )
        return data


class AmendmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Amended text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The whole text of the motion as the amendment would make it."),
    )


class ElectionForm(_QuestionForm):
    method = forms.ChoiceField(label=_("Method"), choices=ElectionMethod.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, initial=1)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)
    candidates: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["title", "method", "seats", "candidates", "assembly", "opens_at", "closes_at"]

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, cooperative=cooperative, **kwargs)
        self.fields["candidates"].queryset = _members(cooperative)
        self.fields["candidates"].label_from_instance = lambda m: (
            f"{m.full_name} · {m.stakeholder_class}"
        )
        self.classes = list(cooperative.stakeholder_classes.all())
        for cls in self.classes:
            self.fields[f"reserved_{cls.pk}"] = forms.IntegerField(
                label=_("Seats reserved for %(cls)s") % {"cls": cls},
                min_value=0,
                required=False,
            )

    def clean(self):
        data = super().clean()
        data["reserved"] = {cls: data.pop(f"reserved_{cls.pk}", None) or 0 for cls in self.classes}
        return data


class MotionVoteForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )


class ElectionVoteForm(forms.Form):
    """One form for the three ballot shapes: a name, ticks, or ranks."""

    voter = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = election.method
        self.candidates = list(election.candidates.select_related("member"))
        choices = [(c.pk, c.member.full_name) for c in self.candidates]
        if self.method == ElectionMethod.PLURALITY:
            self.fields["candidate"] = forms.TypedChoiceField(
                label=_("Your vote"), choices=choices, coerce=int, widget=forms.RadioSelect
            )
        elif self.method == ElectionMethod.APPROVAL:
            self.fields["candidates"] = forms.TypedMultipleChoiceField(
                label=_("Tick every candidate you support"),
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            ranks = [("", "—")] + [(n, str(n)) for n in range(1, len(choices) + 1)]
            for c in self.candidates:
                self.fields[f"rank_{c.pk}"] = forms.TypedChoiceField(
                    label=c.member.full_name,
                    choices=ranks,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    help_text=_("1 for your first choice; leave out anyone you would not rank."),
                )

    def clean(self):
        """Adds ``ranking``: the ballot as candidate ids (the one named, those ticked, or by
        rank)."""
        data = super().clean()
        if self.method == ElectionMethod.PLURALITY:
            data["ranking"] = [data["candidate"]] if data.get("candidate") else []
        elif self.method == ElectionMethod.APPROVAL:
            data["ranking"] = list(data.get("candidates", []))
        else:
            ranked = [
                (data[f"rank_{c.pk}"], c.pk) for c in self.candidates if data.get(f"rank_{c.pk}")
            ]
            ranks = [rank for rank, _pk in ranked]
            if len(set(ranks)) != len(ranks):
                raise forms.ValidationError(
                    _("Give each rank to one candidate only."), code="rank_repeated"
                )
            data["ranking"] = [pk for _rank, pk in sorted(ranked)]
        return data


class TrackerForm(forms.Form):
    code = forms.CharField(label=_("Tracker"), max_length=20)


class StatutesForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Statutes
        fields = [
            "notice_days_ordinary",
            "notice_days_extraordinary",
            "notice_days_board",
            "quorum_ordinary",
            "quorum_extraordinary",
            "quorum_board",
            "quorum_online",
            "quorum_per_class",
            "proxies_per_holder",
            "paid_up_to_vote",
            "abstaining_class_is_absent",
            "secret_class_minimum",
            "ranked_method",
        ]


class LotForm(forms.Form):
    """The outcome of the lot the board drew physically: the candidate it chose."""

    chosen = forms.TypedChoiceField(label=_("The lot chose"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, among: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["chosen"]).choices = among
