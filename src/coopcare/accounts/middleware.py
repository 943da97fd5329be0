"""Second factor: a user who has set up TOTP must enter a code before seeing any page."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_otp import user_has_device

from coopcare.accounts.models import profile_of

# Paths a half-logged-in user still needs: entering the code, logging out, static files, and
# the API (which authenticates with tokens, not sessions).
OPEN_PREFIXES = ("/accounts/verify/", "/accounts/logout/", "/static/", "/api/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and user_has_device(user, confirmed=True)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:verify')}?{query}")
        return self.get_response(request)


class UserLanguageMiddleware:
    """Pages in the language the user chose on their account, wherever they log in from.

    Runs after LocaleMiddleware (which follows the browser, or the choice made before
    logging in) and after authentication, so the user's own choice wins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            language = profile_of(request.user).language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
