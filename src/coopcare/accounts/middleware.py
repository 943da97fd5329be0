"""Second factor (a user who has set up TOTP enters a code before seeing any page), the
user's language, and the Content-Security-Policy header."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device

from coopcare import localise
from coopcare.accounts.models import profile_of
from coopcare.pages import remembered

LANGUAGE_KEY = "coopcare.language"

# Paths a half-logged-in user still needs: entering the code, logging out, static files, and
# the API, which answers such a session 401 in JSON itself (coopcare.api.VerifiedSessionAuth)
# rather than redirecting a program to a page.
OPEN_PREFIXES = ("/accounts/verify/", "/accounts/logout/", "/static/", "/api/")


def needs_second_factor(user) -> bool:
    """Whether ``user``, logged in with a password, still has to enter an authenticator code.

    Needs ``django_otp.middleware.OTPMiddleware`` to have run (it gives ``is_verified``)."""
    return (
        user.is_authenticated and not user.is_verified() and user_has_device(user, confirmed=True)
    )


class SecondFactorRequiredMiddleware:
    """Sends a half-logged-in user to the code page from every page but ``OPEN_PREFIXES``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(OPEN_PREFIXES) and needs_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return self.get_response(request)


class UserLanguageMiddleware:
    """Pages in the language the user chose on their account, wherever they log in from.

    Runs after LocaleMiddleware (which follows the browser, or the choice made before
    logging in) and after authentication, so the user's own choice wins. The country whose
    conventions days and money follow is the cooperative's, set when the page resolves it;
    each request starts with none, so one cooperative's never carries over to the next. The
    choice is remembered in the session (``pages.remembered``), not read on every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            language = remembered(request, LANGUAGE_KEY, lambda: profile_of(request.user).language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        with localise.in_region(""):
            return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY`` with every response that has none.

    The policy forbids inline scripts, so markup injected into a page cannot run. A middleware
    of a few lines rather than django-csp: the policy is one fixed string, with no nonces or
    per-view changes (no template has an inline script, htmx and Swagger UI load theirs from
    static files), and Django 6 brings its own CSP support to move to later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
