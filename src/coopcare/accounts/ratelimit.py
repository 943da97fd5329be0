"""Rate limits: failed logins per address, API requests per user and per address, and files
uploaded per user.

django-axes locks one account after repeated failures, but only from the address that failed
(``AXES_LOCKOUT_PARAMETERS``), so a stranger cannot lock a coordinator out from elsewhere. That
alone would let one address try a common password against every account ("password
spraying"), so failures are also counted per address, across usernames, with a higher limit: a
shared office network survives its carers' typos, a sprayer is stopped after a few dozen tries.

The API is limited per user (whatever token or session they use) and per address, through
django-ninja's throttle hook, which answers 429 with ``Retry-After``.

Counters are fixed windows in Django's cache: one integer per key and window, incremented
atomically where the cache backend can. A fixed window lets a client send up to twice the limit
across a window's edge, which is fine for limits meant to stop floods and guessing, not to
meter. django-ninja's own ``SimpleRateThrottle`` was not used because it keeps each request's
state on the throttle object, which all threads of a process share, and stores a list of
timestamps per client.

The limits read their rate from settings on every use, so they can be changed in tests with
``override_settings``. With Django's default in-memory cache each server process counts on its
own; ``CACHE_DIR`` gives all processes of one machine a shared cache.
"""

import hashlib
import ipaddress
import math
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.dispatch import receiver
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` events every ``seconds``."""

    count: int
    seconds: int


def clock() -> float:
    """Seconds since the epoch: the windows' clock (tests hold it still, away from an edge)."""
    return time.time()


def parse_rate(text: str) -> Rate:
    """Read a rate written as ``count/period``: ``600/m``, ``20/15m``, ``1000/day``."""
    match = _RATE.match(text.lower())
    if not match or match.group(3) not in _UNITS:
        raise ImproperlyConfigured(
            f"A rate looks like 600/m, 20/15m or 1000/day (units s, m, h, d), not {text!r}."
        )
    count, multiplier, unit = match.groups()
    return Rate(int(count), int(multiplier or 1) * _UNITS[unit])


def client_ip(request) -> str | None:
    """The address the request came from, or None if it has none (a login made in code).

    Behind a reverse proxy (``COOPCARE_BEHIND_PROXY``) every connection comes from the proxy,
    so the client is the last address the proxy appended to ``X-Forwarded-For``; earlier
    entries are whatever the client claimed and cannot be trusted. Used by django-axes
    (``AXES_CLIENT_IP_CALLABLE``, which stores it in an IP address column, so nothing but an
    address is returned) and by the limits here, so all agree on who is asking."""
    found = request.META.get("REMOTE_ADDR")
    if settings.COOPCARE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            found = hops[-1]
    try:
        return str(ipaddress.ip_address(found)) if found else None
    except ValueError:
        return None


def address_of(request) -> str:
    """The identity the per-address limits count under: the address, or one shared name for
    requests without one."""
    return client_ip(request) or "no-address"


class Limit:
    """A fixed-window counter per identity, with its rate in the setting ``setting``."""

    def __init__(self, scope: str, setting: str):
        self.scope = scope
        self.setting = setting

    @property
    def rate(self) -> Rate:
        return parse_rate(getattr(settings, self.setting))

    def _key(self, ident: str, now: float) -> tuple[str, float]:
        """The cache key of ``ident``'s current window, and the seconds that window has left."""
        rate = self.rate
        window = int(now // rate.seconds)
        # Identities are hashed so that addresses and user ids never sit in cache keys as such.
        digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
        return f"coopcare:limit:{self.scope}:{digest}:{window}", (window + 1) * rate.seconds - now

    def count(self, ident: str) -> int:
        """How many events ``ident`` has had in the current window."""
        key, _left = self._key(ident, clock())
        return cache.get(key, 0)

    def exceeded(self, ident: str) -> bool:
        """Whether ``ident`` has used up the current window (without counting a new event)."""
        return self.count(ident) >= self.rate.count

    def hit(self, ident: str) -> float | None:
        """Count one event for ``ident``; the seconds to wait if it went over the limit."""
        key, left = self._key(ident, clock())
        # add() only creates the key; incr() is atomic on the backends that support it.
        cache.add(key, 0, timeout=int(left) + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr(): a new window has begun
            cache.add(key, 1, timeout=int(left) + 1)
            used = 1
        return left if used > self.rate.count else None


@checks.register(checks.Tags.security)
def check_rates(app_configs, **kwargs):
    """A rate that cannot be read is reported at start-up, not at the first login."""
    problems = []
    for setting in (
        "LOGIN_FAILURES_PER_ADDRESS",
        "API_RATE_LIMIT",
        "API_RATE_LIMIT_PER_ADDRESS",
        "UPLOAD_RATE_LIMIT",
    ):
        try:
            parse_rate(getattr(settings, setting))
        except ImproperlyConfigured as exc:
            problems.append(checks.Error(f"{setting}: {exc}", id="coopcare.E001"))
    return problems


login_failures_by_address = Limit("login-address", "LOGIN_FAILURES_PER_ADDRESS")
api_requests_by_address = Limit("api-address", "API_RATE_LIMIT_PER_ADDRESS")
api_requests_by_user = Limit("api-user", "API_RATE_LIMIT")
uploads_by_user = Limit("upload-user", "UPLOAD_RATE_LIMIT")


def upload_wait(user) -> float | None:
    """Count a file uploaded by ``user`` (a document, a spreadsheet to import, on a page or
    through the API); the seconds to wait when it goes over ``UPLOAD_RATE_LIMIT``."""
    return uploads_by_user.hit(str(user.pk))


def refuse_upload_flood(user) -> None:
    """For the API: count a file uploaded by ``user``, and answer 429 with ``Retry-After``
    (ninja's ``Throttled``) when it goes over ``UPLOAD_RATE_LIMIT``."""
    wait = upload_wait(user)
    if wait is not None:
        raise Throttled(wait=math.ceil(wait))


# --- Logins -------------------------------------------------------------------------------


class AddressLimitBackend:
    """Refuses every login attempt from an address with too many recent failures.

    Listed in ``AUTHENTICATION_BACKENDS`` after axes and before the model backend, so it
    guards every password form (the site's and the admin's). Raising ``PermissionDenied``
    stops ``authenticate()`` before any password is checked; the login view sees the mark
    left on the request and shows the lockout page."""

    def authenticate(self, request, **credentials):
        """Stop here if the request's address is over its limit; otherwise let others try."""
        if request is not None and login_failures_by_address.exceeded(address_of(request)):
            # The mark, not a message, tells the login view why: nobody reads this exception.
            request.coopcare_address_limited = True
            raise PermissionDenied
        # No ``get_user``: this backend logs nobody in, and Django's ``force_login`` takes the
        # first backend that has one to restore the user from the session later.
        return None


@receiver(user_login_failed, dispatch_uid="coopcare-login-failures-by-address")
def count_failed_login(sender, credentials, request=None, **kwargs):
    """Count a failed login against its address (attempts already refused are not counted,
    so a limit runs out when its window does, not later)."""
    if request is not None and not getattr(request, "coopcare_address_limited", False):
        login_failures_by_address.hit(address_of(request))


# --- API ----------------------------------------------------------------------------------


class _LimitThrottle(BaseThrottle):
    """A django-ninja throttle backed by a ``Limit``.

    ninja asks ``allow_request()`` then, for a refusal, ``wait()`` on the same object from the
    same thread; the wait is kept per thread because one throttle serves all requests."""

    limit: Limit

    def __init__(self):
        self._local = threading.local()

    def ident(self, request) -> str | None:
        """Whom the request is counted against (None: not counted)."""
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        """Count the request; False when it goes over the limit."""
        ident = self.ident(request)
        self._local.wait = self.limit.hit(ident) if ident is not None else None
        return self._local.wait is None

    def wait(self) -> float | None:
        """Seconds until the window that refused the last request of this thread ends."""
        return getattr(self._local, "wait", None)


class AddressThrottle(_LimitThrottle):
    """API requests per client address, whoever they authenticate as."""

    limit = api_requests_by_address

    def ident(self, request) -> str:
        return address_of(request)


class UserThrottle(_LimitThrottle):
    """API requests per user, over all their tokens and their session."""

    limit = api_requests_by_user

    def ident(self, request) -> str | None:
        user = getattr(request, "auth", None)
        return str(user.pk) if user is not None else None
