"""Settings for the test suite: coopcare's own, with a development key and fast hashing."""

import os

os.environ.setdefault("COOPCARE_INSECURE_DEV_KEY", "1")

from coopcare.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that log users in thousands of times don't need that.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are found by the finders in tests; no collectstatic directory is needed.
WHITENOISE_AUTOREFRESH = True
# Background tasks run at once, inside the request that asks for them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The test client speaks plain HTTP; the production settings' other HTTPS defaults stay on.
SECURE_SSL_REDIRECT = False
# Every test client comes from 127.0.0.1 and the cache outlives a test, so limits per address
# would add up across the suite; tests of the limits lower them with override_settings.
LOGIN_FAILURES_PER_ADDRESS = API_RATE_LIMIT = API_RATE_LIMIT_PER_ADDRESS = "1000000/m"
UPLOAD_RATE_LIMIT = "1000000/m"
# A read replica as DATABASE_REPLICA_URL adds one: in tests a second connection to the test
# database. No view reads from it unless a test names it in REPLICA_READ_VIEWS (test_replica).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READ_VIEWS = []
