"""Log in, passwords (change, reset by email), the account's own choices (language), second
factor (TOTP) and API tokens."""

from base64 import b32encode

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from coopcare.accounts.forms import CodeForm, PasswordResetForm, ProfileForm, TokenForm
from coopcare.accounts.middleware import LANGUAGE_KEY
from coopcare.accounts.models import ApiToken, profile_of
from coopcare.accounts.ratelimit import address_of, login_failures_by_address
from coopcare.pages import forget


def _too_many_attempts(request):
    """The lockout page, for an address with too many failed logins or reset requests."""
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser wipe what it kept of the site: the offline copies of
    the carer's day (Cache Storage, the service worker), the queue of what was done offline
    (IndexedDB) and any other storage. Where a browser ignores Clear-Site-Data, the login page
    it lands on wipes them with a script (``?logged_out=1``)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response

    def get_default_redirect_url(self):
        return f"{resolve_url(settings.LOGOUT_REDIRECT_URL)}?logged_out=1"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        """Wrong credentials; or, if the address is over its limit, the lockout page."""
        if getattr(self.request, "coopcare_address_limited", False):
            return _too_many_attempts(self.request)
        return super().form_invalid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password (old one first); the session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email.

    The answer is the same whether or not an account uses the address (Django sends mail only
    to active accounts with a usable password). Requests count against the address's limit
    of failed logins: each is an attempt to get into an account without its password, and
    the limit keeps anyone from flooding a mailbox with links."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if login_failures_by_address.hit(address_of(self.request)) is not None:
            return _too_many_attempts(self.request)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the email: choose a new password (the link works once, for
    ``PASSWORD_RESET_TIMEOUT``). The user then logs in, second factor included."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they hold the mailbox may log in again at once, wherever they are.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _safe_next(request, default: str = "home") -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def _code_error(device: TOTPDevice, code: str) -> str | None:
    """Why ``code`` does not verify on ``device`` (None if it does). Failures are throttled."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return _("Too many wrong codes in a row. Wait a little and try again.")
    if device.verify_token(code):
        return None
    return _("That code is not right, or has expired. Try the one your app shows now.")


@login_required
def verify(request):
    """Second step of login for users with an authenticator app."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if request.user.is_verified() or device is None:
        return redirect(_safe_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        error = _code_error(device, form.cleaned_data["code"])
        if error is None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", error)
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def two_factor(request):
    """Set up, or turn off, a TOTP second factor."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = CodeForm(request.POST or None)
    if confirmed:
        if form.is_valid():
            error = _code_error(confirmed, form.cleaned_data["code"])
            if error is None:
                TOTPDevice.objects.filter(user=request.user).delete()
                messages.success(request, _("Two-step login is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", error)
        return render(request, "accounts/two_factor.html", {"form": form, "enabled": True})

    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    if form.is_valid():
        error = _code_error(device, form.cleaned_data["code"])
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-step login is on. You will be asked for a code."))
            return redirect("accounts:two_factor")
        form.add_error("code", error)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enabled": False,
            # segno renders the SVG from our own otpauth URL: no user input reaches it.
            "qr_svg": mark_safe(qr_svg),  # noqa: S308
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@login_required
def tokens(request):
    """List, make and revoke the user's API tokens."""
    form = TokenForm(request.POST or None)
    new_token = None
    if form.is_valid():
        _token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user, revoked_at__isnull=True)
    token.revoke()
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
def account(request):
    """The user's language (for every page and email) and optional gender."""
    form = ProfileForm(request.POST or None, instance=profile_of(request.user))
    if form.is_valid():
        profile = form.save()
        forget(request, LANGUAGE_KEY)
        language = profile.language or translation.get_language_from_request(request)
        translation.activate(language)
        messages.success(request, _("Your choices are saved."))
        response = redirect("accounts:account")
        # Also remembered in the browser, so the login page speaks it after logging out.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response
    return render(request, "accounts/account.html", {"form": form})
