import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coopcare.accounts.models import Profile, profile_of
from coopcare.bounds import bounded_formfield


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app."""

    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: payroll export script."),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        formfield_callback = bounded_formfield
        model = Profile
        fields = ["language", "gender", "desired_weekly_hours"]


def _same_email(a: str, b: str) -> bool:
    # As Django compares them: case-folded after compatibility normalisation.
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, writing each email in the language its recipient chose.

    Django sends no link to a login without a usable password; coopcare does, because a login
    a cooperative makes (``cooperatives.services.add_login``: an imported carer) has none
    until its owner chooses one here. Inactive logins still get nothing."""

    def get_users(self, email):
        """The active logins with ``email``, whether or not they have a password yet."""
        user_model = get_user_model()
        field = user_model.get_email_field_name()
        found = user_model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in found if _same_email(email, getattr(user, field)))

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Send one reset email, in the user's language (else the page's)."""
        language = profile_of(context["user"]).language or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
