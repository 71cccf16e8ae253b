"""Settings for the test suite: production settings with fast hashing and plain static storage.

DATABASE_URL picks PostgreSQL exactly as in production; the suite must pass on both.
"""

from duban.settings import *  # noqa: F403
from duban.settings import PASSWORD_HASHERS, STORAGES

# Argon2 is deliberately slow; tests that check hashing ask for it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
