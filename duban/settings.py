"""Django settings for duban.

Everything a deployment changes comes from environment variables (see docs/deployment.md);
secrets are created under var/ on first start and never committed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from duban.core.storage import read_or_create_secret, sqlite_database, var_dir

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = var_dir(BASE_DIR)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DUBAN_SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret.key")
DEBUG = env_bool("DUBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("DUBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DUBAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "duban.core",
    "duban.org",
    "duban.accounts",
    "duban.audit",
    "duban.jobs",
    "duban.notifications",
    "duban.attachments",
    "duban.sheets",
    "duban.indicators",
    "duban.tasks",
    "duban.projects",
    "duban.investment",
    "duban.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "duban.audit.context.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.i18n.ChosenLanguageMiddleware",  # zh-hans unless the person chose English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "duban.accounts.middleware.SessionSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "duban.urls"
WSGI_APPLICATION = "duban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "duban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "duban.core.context_processors.shell",
            ],
            "builtins": ["duban.core.templatetags.duban_format"],
        },
    }
]

# Storage: SQLite under var/ unless DATABASE_URL names another database (PostgreSQL).
DATABASES: dict[str, Any]
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "duban.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with Chinese messages (duban/accounts/validators.py says why), then ours.
    {"NAME": "duban.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "duban.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "duban.accounts.validators.CommonPasswordValidator"},
    {"NAME": "duban.accounts.validators.NumericPasswordValidator"},
    {"NAME": "duban.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "duban.accounts.validators.NoUsernameValidator"},
    {"NAME": "duban.accounts.validators.PasswordHistoryValidator"},
]

# Login security (MLPS 2.0 level 3 baseline); every figure can be tuned by a deployment.
DUBAN_SECURITY: dict[str, Any] = {
    "MAX_FAILED_LOGINS": int(os.environ.get("DUBAN_MAX_FAILED_LOGINS", "5")),
    "LOCKOUT_MINUTES": int(os.environ.get("DUBAN_LOCKOUT_MINUTES", "30")),
    "PASSWORD_MAX_AGE_DAYS": int(os.environ.get("DUBAN_PASSWORD_MAX_AGE_DAYS", "90")),
    "PASSWORD_HISTORY": 5,
    "IDLE_TIMEOUT_MINUTES": int(os.environ.get("DUBAN_IDLE_TIMEOUT_MINUTES", "30")),
    "SESSION_MAX_HOURS": int(os.environ.get("DUBAN_SESSION_MAX_HOURS", "12")),
    "API_TOKEN_HOURS": int(os.environ.get("DUBAN_API_TOKEN_HOURS", "12")),
    # Roles that must use a second factor; the three administrators always do.
    "OTP_REQUIRED_ROLES": env_list("DUBAN_OTP_REQUIRED_ROLES", "system_admin,security_admin,audit_admin"),
}
# Status lights (duban.core.lights, docs/status-lights.md): thresholds a deployment may tune.
DUBAN_LIGHTS: dict[str, Any] = {
    "yellow_working_days": 3,  # a deadline within this many working days is yellow
    "yellow_lag_percent": 10,  # behind the time-progress line by up to this many points: yellow; more: red
}
SESSION_COOKIE_AGE = DUBAN_SECURITY["SESSION_MAX_HOURS"] * 3600
SESSION_ENGINE = "duban.accounts.session_store"  # sessions carry their user id (see accounts.sessions)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DUBAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "duban.core.views.csrf_failure"
OTP_TOTP_ISSUER = "duban 督办"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("DUBAN_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DUBAN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DUBAN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DUBAN_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DUBAN_BEHIND_PROXY", False) else None
)
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Limits on what a request may carry (oversized JSON and forms are refused early).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "duban" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project-wide CSS/JS/vendor files live in duban/static, which belongs to no app.
STATICFILES_DIRS = [BASE_DIR / "duban" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "files"  # outside the web root; served only through permission-checked views

# Spreadsheet import/export limits (docs/sheets.md).
DUBAN_SHEETS = {
    "MAX_UPLOAD_MB": int(os.environ.get("DUBAN_SHEETS_MAX_UPLOAD_MB", "20")),
    "MAX_ROWS": int(os.environ.get("DUBAN_SHEETS_MAX_ROWS", "100000")),
    "BACKGROUND_ROWS": int(os.environ.get("DUBAN_SHEETS_BACKGROUND_ROWS", "2000")),
}
# Attachments (docs/attachments.md): the largest file one may upload, in MB.
DUBAN_ATTACHMENT_MAX_MB = int(os.environ.get("DUBAN_ATTACHMENT_MAX_MB", "20"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

EMAIL_HOST = os.environ.get("DUBAN_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("DUBAN_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DUBAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DUBAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DUBAN_SMTP_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DUBAN_MAIL_FROM", "duban@localhost")

# Audit chain key: kept outside the database so that someone who can write the database
# cannot forge the chain.
DUBAN_AUDIT_KEY_FILE = Path(os.environ.get("DUBAN_AUDIT_KEY_FILE", VAR_DIR / "audit.key"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUBAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
