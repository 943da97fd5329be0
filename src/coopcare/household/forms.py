"""Forms of the household pages. They parse input; the rules live in services and rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.names import PersonChoiceField
from coopcare.bounds import bounded_formfield
from coopcare.care.models import PersonCaredFor
from coopcare.cooperatives.forms import DateInput, date_field
from coopcare.household.models import Employer, HouseholdContract
from coopcare.work.queries import workers


class EmployerForm(forms.ModelForm):
    """The household employing a carer, for one of the cooperative's people cared for."""

    class Meta:
        formfield_callback = bounded_formfield
        model = Employer
        fields = ["person", "name", "tax_id", "social_security_account", "address", "large_family"]

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = PersonCaredFor.objects.filter(cooperative=cooperative)

    def _post_clean(self):
        # The service checks the numbers and the cooperative; the model would ask for it too.
        pass


class ContractForm(forms.ModelForm):
    """A contract in the household's name for one of the cooperative's carers."""

    class Meta:
        formfield_callback = bounded_formfield
        model = HouseholdContract
        fields = ["carer", "starts_on", "ends_on", "hourly_rate", "extras_prorated"]
        field_classes = {"carer": PersonChoiceField}
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def __init__(self, cooperative, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = workers(cooperative)

    def _post_clean(self):
        # The service checks the carer, the days and the minimum wage.
        pass


class PayslipForm(forms.Form):
    """The month to make a payslip for: any day of it."""

    month = date_field(_("Month"))


class EndContractForm(forms.Form):
    """The day a contract ends (its last day); the service checks it against the contract."""

    ends_on = date_field(_("Last day of the contract"))
