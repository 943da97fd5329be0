"""Settings for coopcare, read from environment variables only.

With nothing set, coopcare runs on an embedded SQLite file in the current directory, which is
what the demo and the test suite use. Set ``DATABASE_URL`` (for example
``postgres://user:pass@localhost/coopcare``) to use PostgreSQL.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from coopcare.database import sqlite_options

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("COOPCARE_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment "
            "(or set DEBUG=1 / COOPCARE_INSECURE_DEV_KEY=1 on a development machine)."
        )
    # A fixed key is acceptable only for local development and tests.
    SECRET_KEY = "coopcare-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# HTTPS. With DEBUG off, coopcare is served over HTTPS only: plain HTTP is redirected, browsers
# are told to keep to HTTPS (HSTS) and cookies are sent over HTTPS only. COOPCARE_PLAIN_HTTP=1
# turns all of that off, for an install reached over plain HTTP on a private network; passwords
# and care records then cross the network readable by anyone on it.
COOPCARE_PLAIN_HTTP = env_bool("COOPCARE_PLAIN_HTTP", False)
HTTPS_ONLY = not DEBUG and not COOPCARE_PLAIN_HTTP
# Behind one reverse proxy that terminates TLS, sets X-Forwarded-Proto and appends the client's
# address to X-Forwarded-For. Only switch it on when the proxy does both and the app cannot be
# reached around it: otherwise clients could claim to be on HTTPS, or to come from anywhere.
COOPCARE_BEHIND_PROXY = env_bool("COOPCARE_BEHIND_PROXY", False)
if COOPCARE_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading asks browsers to ship the domain as HTTPS-only, which is hard to undo: opt-in.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Django's deployment check warns while preloading is off; it is off on purpose (above).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Forbids inline script (stored markup cannot run), plugins, framing and foreign form targets.
# Inline styles stay allowed: the roster timeline positions its bars with style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "coopcare.cooperatives",
    "coopcare.accounts",
    "coopcare.members",
    "coopcare.care",
    "coopcare.visits",
    "coopcare.rostering",
    "coopcare.governance",
    "coopcare.work",
    "coopcare.impact",
    "coopcare.documents",
    "coopcare.medication",
    "coopcare.imports",
    "coopcare.risks",
    "coopcare.childcare",
    "coopcare.respite",
    "coopcare.household",
    "coopcare.billing",
    "coopcare.bodymap",
    "coopcare.voice",
    "coopcare.conversations",
    "coopcare.push",
    "coopcare.retention",
    "coopcare.privacy",
    "coopcare.timecredits",
    "coopcare.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coopcare.accounts.middleware.ContentSecurityPolicyMiddleware",
    "coopcare.api.JsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "coopcare.accounts.middleware.SecondFactorRequiredMiddleware",
    "coopcare.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A database that stays locked answers 503 with Retry-After, never 500.
    "coopcare.database.LockedDatabaseMiddleware",
    # django-axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
    # Request ids, metrics and the request's log line (coopcare.monitoring); the impact pages'
    # reads sent to the read replica (coopcare.replica).
    "coopcare.monitoring.RequestMiddleware",
    "coopcare.replica.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "coopcare.urls"
WSGI_APPLICATION = "coopcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "coopcare.cooperatives.context_processors.cooperative",
            ],
        },
    },
]

# Forms' plain widgets drawn in Python, the same HTML as Django's templates (coopcare.rendering).
FORM_RENDERER = "coopcare.rendering.WidgetRenderer"

# SQLite by default (a file in the working directory), PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{Path.cwd() / 'coopcare.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for SQLite's one write lock instead of failing (coopcare.database).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = sqlite_options()
# A read replica of PostgreSQL for the impact pages' reads (coopcare.replica, docs/deployment.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
DATABASE_ROUTERS = ["coopcare.replica.ReplicaRouter"]
REPLICA_READ_VIEWS = ["coopcare.impact."]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "coopcare.accounts.ratelimit.AddressLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A password reset link works for a day, and only once (Django's tokens change with the
# password).
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Lockout after repeated failed logins (django-axes), per account *and* address: a stranger
# elsewhere cannot lock a coordinator out, and carers sharing an office network do not lock
# each other out with their typos. Failures from one address across all accounts (trying one
# password everywhere) have their own, higher limit (coopcare.accounts.ratelimit).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "coopcare.accounts.ratelimit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Rates are "count/period" (coopcare.accounts.ratelimit.parse_rate). Failed logins and password
# reset requests from one address, all accounts together:
LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30/30m")
# API requests per user (all their tokens and their session together) and per address (an
# office network may carry several users, hence the higher default).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")
API_RATE_LIMIT_PER_ADDRESS = os.environ.get("API_RATE_LIMIT_PER_ADDRESS", "1200/m")
# Membership applications sent from one address on the cooperatives' public pages.
MEMBERSHIP_APPLICATIONS_PER_ADDRESS = os.environ.get("MEMBERSHIP_APPLICATIONS_PER_ADDRESS", "5/h")
# Files uploaded per user, documents and spreadsheets to import together, pages and API alike:
# each may be stored (up to DOCUMENT_MAX_MB) or kept in the session, so the API's limit is far
# too high for them.
UPLOAD_RATE_LIMIT = os.environ.get("UPLOAD_RATE_LIMIT", "120/h")

OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "coopcare")

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", Path.cwd() / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded documents go to the default storage: files under MEDIA_ROOT, which the web server
# must not serve (downloads go through a view that checks who may see them), or the backend
# FILE_STORAGE names as JSON, such as an S3-compatible store (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", Path.cwd() / "media"))
if os.environ.get("FILE_STORAGE"):
    STORAGES["default"] = json.loads(os.environ["FILE_STORAGE"])
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# How long a care plan or a risk assessment goes before its review is due, unless a review sets
# another date: at least yearly (England's Care and Support Statutory Guidance, para. 13.32;
# NICE NG21, section 1.3; NICE QS123, statement 5).
CARE_REVIEW_INTERVAL_DAYS = int(os.environ.get("CARE_REVIEW_INTERVAL_DAYS", "365"))
# Serve static files from the apps directly, so the demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Roster runs go to a queue in the database, worked off by `coopcare worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coopcare@localhost")
# The mail server, for the SMTP backend (password resets, rosters, vote reminders).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"

# Web push (docs/deploy.md): the installation's VAPID private key signs every push; without it
# push is off. The subject tells the push services whom to write to about this installation.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "")
# On a development machine with no key, one is made once into this file (next to the demo's
# database), so that push can be tried on localhost.
VAPID_DEVELOPMENT_KEY_FILE = (
    os.environ.get("VAPID_DEVELOPMENT_KEY_FILE", str(Path.cwd() / "vapid-development.pem"))
    if DEBUG and not VAPID_PRIVATE_KEY
    else ""
)
# The push services coopcare sends to (a host or a domain under which its hosts are): those of
# Chrome, Firefox, Safari and Edge. Coopcare posts to the address a browser gives it, so any
# other is refused rather than reached from inside the installation's network.
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,notify.windows.com",
)

# The rate limits count in the cache. Django's default keeps it in each process's memory, so
# with several server processes each counts alone; CACHE_DIR shares one among the processes of
# a machine (a directory the server may write to).
if os.environ.get("CACHE_DIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["CACHE_DIR"],
        }
    }

# Seeing it run (coopcare.monitoring): /metrics for these addresses or networks, or for a
# client sending "Authorization: Bearer METRICS_TOKEN"; with several server processes, the
# directory where each writes its counts (prometheus-client's multiprocess mode).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
# A load balancer checks the health over plain HTTP, on the machine's own network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]

# Logs: JSON lines with the request's id (LOG_FORMAT=text for plain lines), and one line for
# each request answered (coopcare.requests, at INFO). Django's lines for 4xx answers are left
# out: they write the path, which may hold a calendar's secret token.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "coopcare.monitoring.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "coopcare.monitoring.JsonLines"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "coopcare.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "django.request": {"level": "ERROR"},
    },
}
