"""Forms for the member register and the share ledger. Rules live in rules.py/services.py."""

from decimal import Decimal
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.bounds import LARGEST_AMOUNT, LARGEST_COUNT, DayField, bounded_formfield
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.members import rules
from coopcare.members.models import Member, MemberStatus, ReturnReason, StakeholderClass
from coopcare.members.queries import class_summary


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("Where notices of assemblies are posted to a member without email."),
    )
    stakeholder_class = forms.ModelChoiceField(
        label=_("Stakeholder class"), queryset=StakeholderClass.objects.none()
    )
    shares = forms.IntegerField(
        label=_("Shares subscribed"), min_value=1, max_value=LARGEST_COUNT, initial=1
    )
    first_payment = forms.DecimalField(
        label=_("Paid now"), min_value=Decimal(0), decimal_places=2, initial=Decimal(0)
    )
    applied_on = date_field(_("Applied on"))
    works_since = DayField(
        label=_("Works for the cooperative since"),
        required=False,
        widget=DateInput,
        help_text=_("For worker members, whose probation counts from the start of work."),
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_class"].queryset = cooperative.stakeholder_classes.all()


class PublicApplicationForm(forms.Form):
    """An application made by the applicant on the cooperative's public page.

    ``website`` is a trap for robots: the page hides it from people, so a form that fills it
    in was not filled in by a person."""

    HONEYPOT = "website"

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    stakeholder_class = forms.ModelChoiceField(
        label=_("I wish to join as"), queryset=StakeholderClass.objects.none()
    )
    shares = forms.IntegerField(
        label=_("Shares subscribed"), min_value=1, max_value=LARGEST_COUNT, initial=1
    )
    consented = forms.BooleanField(
        label=_(
            "I agree that the cooperative keeps and uses these details to consider my "
            "application and, if I am admitted, on its member register."
        ),
        required=False,
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        classes = cooperative.stakeholder_classes.filter(open_to_applications=True)
        cast(forms.ModelChoiceField, self.fields["stakeholder_class"]).queryset = classes

    def is_robot(self) -> bool:
        """Whether the hidden trap field was filled in."""
        return bool(self.data.get(self.HONEYPOT))


class DatedForm(forms.Form):
    on = date_field()
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))


class ReasonRequiredForm(DatedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({"rows": 2}))


class ClassChangeForm(DatedForm):
    new_class = forms.ModelChoiceField(
        label=_("New stakeholder class"), queryset=StakeholderClass.objects.none()
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        new_class = cast(forms.ModelChoiceField, self.fields["new_class"])
        new_class.queryset = member.cooperative.stakeholder_classes.exclude(
            pk=member.stakeholder_class_id
        )


class SubscriptionForm(forms.Form):
    shares = forms.IntegerField(label=_("Shares"), min_value=1, max_value=LARGEST_COUNT, initial=1)
    on = date_field()


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_value=LARGEST_AMOUNT,
        decimal_places=2,
    )
    on = date_field()
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class TransferForm(forms.Form):
    receiver = forms.ModelChoiceField(label=_("To member"), queryset=Member.objects.none())
    shares = forms.IntegerField(label=_("Shares"), min_value=1, max_value=LARGEST_COUNT, initial=1)
    on = date_field()

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["receiver"]).queryset = Member.objects.filter(
            cooperative_id=member.cooperative_id, status=MemberStatus.ADMITTED
        ).exclude(pk=member.pk)


class RedemptionForm(forms.Form):
    on = date_field()
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class ClassWeightForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = StakeholderClass
        fields = [
            "vote_weight",
            "vote_weight_cap",
            "min_shares",
            "share_value",
            "probation_days",
            "open_to_applications",
        ]


class BaseClassWeightFormSet(forms.BaseModelFormSet):
    """All of a cooperative's classes at once, since their weights are checked together."""

    def __init__(self, *args, cooperative, **kwargs):
        self.cooperative = cooperative
        super().__init__(*args, queryset=class_summary(cooperative), **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        problems = rules.class_weight_problems(
            [
                rules.ClassWeight(
                    form.instance.name,
                    form.cleaned_data["vote_weight"],
                    form.cleaned_data["vote_weight_cap"],
                )
                for form in self.forms
            ],
            self.cooperative.class_weight_min,
            self.cooperative.class_weight_max,
        )
        if problems:
            raise forms.ValidationError(problems)


ClassWeightFormSet = forms.modelformset_factory(
    StakeholderClass,
    form=ClassWeightForm,
    formset=BaseClassWeightFormSet,
    extra=0,
    can_delete=False,
)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *MemberStatus.choices]
    )
    stakeholder_class = forms.ModelChoiceField(
        label=_("Stakeholder class"),
        required=False,
        queryset=StakeholderClass.objects.none(),
        empty_label=_("All"),
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_class"].queryset = cooperative.stakeholder_classes.all()


class InstalmentPlanForm(forms.Form):
    count = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=60, initial=3)
    first_due = date_field(_("First due on"))
    months_apart = forms.IntegerField(label=_("Months apart"), min_value=1, max_value=12, initial=1)


class MandateForm(forms.Form):
    debtor_name = forms.CharField(label=_("Account holder"), max_length=70)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        help_text=_("Needed only for an account outside the European Economic Area."),
    )
    signed_on = date_field(_("Signed on"))
    reference = forms.CharField(
        label=_("Mandate reference"),
        max_length=35,
        required=False,
        help_text=_("Left empty, coopcare makes one."),
    )


class CreditorForm(forms.Form):
    name = forms.CharField(label=_("Creditor name"), max_length=70)
    identifier = forms.CharField(label=_("SEPA creditor identifier"), max_length=35)
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=11,
        required=False,
        help_text=_("Left empty, it is found from the IBAN where the bank is known."),
    )


class CollectionForm(forms.Form):
    due_up_to = date_field(_("Instalments due up to"))
    collection_date = date_field(_("Requested collection date"))


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason the bank gave"), choices=ReturnReason.choices)


class ConfirmForm(forms.Form):
    on = date_field(_("Collected on"))


class CertificateForm(forms.Form):
    on = DayField(label=_("As of"), widget=DateInput)
