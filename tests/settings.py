"""Settings for the test suite: production settings with fast hashing and plain static storage.

DATABASE_URL picks PostgreSQL exactly as in production; the suite must pass on both.
"""

from duban.settings import *  # noqa: F403
from duban.settings import DUBAN_SECURITY, PASSWORD_HASHERS, STORAGES

# Argon2 is deliberately slow; tests that check hashing ask for it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Pages of other modules are tested with force_login; the second factor has its own tests in
# duban/accounts/tests, which turn it back on with override_settings.
DUBAN_SECURITY = {**DUBAN_SECURITY, "OTP_REQUIRED_ROLES": []}
# WhiteNoise scans STATIC_ROOT at start-up; the suite serves static files from the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
