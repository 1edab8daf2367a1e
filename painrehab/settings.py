"""Settings for painrehab, read top to bottom.

Development defaults are safe and local. Production is switched on with
PAINREHAB_PRODUCTION=1 and then every secret must come from the environment.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import TypedDict

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_required(name: str, hint: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {hint}")
    return value


PRODUCTION = env_bool("PAINREHAB_PRODUCTION")

if PRODUCTION:
    SECRET_KEY = env_required(
        "PAINREHAB_SECRET_KEY", "a long random string, e.g. from `openssl rand -hex 50`"
    )
    ALLOWED_HOSTS = env_required(
        "PAINREHAB_ALLOWED_HOSTS", "comma-separated host names this server answers to"
    ).split(",")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get(
        "PAINREHAB_SECRET_KEY", "dev-only-not-secret-" + "x" * 40
    )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    DEBUG = env_bool("PAINREHAB_DEBUG", default=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "painrehab.core",
    "painrehab.accounts",
    "painrehab.audit",
    "painrehab.patients",
    "painrehab.pathway",
    "painrehab.documents",
    "painrehab.programmes",
    "painrehab.questionnaires",
    "painrehab.analytics",
    "painrehab.interop",
    "painrehab.outbox",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "painrehab.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "painrehab.core.middleware.ClientAddressMiddleware",
    "painrehab.core.middleware.NoStoreMiddleware",
    "painrehab.core.middleware.StripNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "painrehab.core.locale.SwedishFirstLocaleMiddleware",
    "painrehab.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "painrehab.audit.context.AuditContextMiddleware",
    "painrehab.accounts.middleware.SecondFactorMiddleware",
    "painrehab.accounts.middleware.SessionTimeoutMiddleware",
    "painrehab.accounts.middleware.CurrentUnitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Static files from the app server itself (WhiteNoise) whenever DEBUG is off:
# in production and in the demo (`make demo` runs collectstatic first, then
# serves with DEBUG off). With DEBUG on, runserver serves them itself.
if PRODUCTION or not DEBUG:
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
WHITENOISE_USE_FINDERS = not PRODUCTION  # the demo: edited files show at once

ROOT_URLCONF = "painrehab.urls"
WSGI_APPLICATION = "painrehab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "painrehab" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "painrehab.accounts.context_processors.current_unit",
            ],
        },
    },
]

# Database: SQLite by default; PostgreSQL when PAINREHAB_DB_HOST (or a URL-less
# set of PG variables) is given, as in production and in the PG test run.
if os.environ.get("PAINREHAB_DB_HOST"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ["PAINREHAB_DB_HOST"],
            "PORT": os.environ.get("PAINREHAB_DB_PORT", "5432"),
            "NAME": os.environ.get("PAINREHAB_DB_NAME", "painrehab"),
            "USER": os.environ.get("PAINREHAB_DB_USER", "postgres"),
            "PASSWORD": os.environ.get("PAINREHAB_DB_PASSWORD", ""),
            "CONN_MAX_AGE": env_int("PAINREHAB_DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("PAINREHAB_SQLITE_PATH", BASE_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # A profession, role or unit name with digits: painrehab/accounts/README.md.
    {"NAME": "painrehab.accounts.passwords.GuessableWordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Swedish first, English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "painrehab" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "painrehab" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Sessions: staff are logged out after 30 idle minutes and 10 hours at most.
SESSION_COOKIE_AGE = env_int("PAINREHAB_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("PAINREHAB_SESSION_ABSOLUTE_SECONDS", 10 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The reverse proxies in front of the application (addresses or networks,
# comma-separated). Only a connection from one of them may say, in
# X-Forwarded-For, which client it forwards; see core.middleware.
TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("PAINREHAB_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]

# Login lockout: by user name and address together, with a cool-off, so that
# one mistyping colleague cannot lock out a whole ward behind one address.
AXES_FAILURE_LIMIT = env_int("PAINREHAB_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PAINREHAB_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Across all addresses, per account (accounts/lockout.py): after this many
# failures since the last login, within the window, each further attempt waits
# a delay that starts at one minute and doubles with each failure, up to the
# cap; the right password is refused too until the delay has passed.
PAINREHAB_ACCOUNT_FAILURE_LIMIT = env_int("PAINREHAB_ACCOUNT_FAILURE_LIMIT", 10)
PAINREHAB_ACCOUNT_FAILURE_WINDOW = timedelta(
    hours=env_int("PAINREHAB_ACCOUNT_FAILURE_WINDOW_HOURS", 24)
)
PAINREHAB_ACCOUNT_DELAY_FIRST = timedelta(minutes=1)
PAINREHAB_ACCOUNT_DELAY_MAX = timedelta(
    minutes=env_int("PAINREHAB_ACCOUNT_DELAY_MAX_MINUTES", 60)
)

# A second factor (TOTP, accounts/second_factor.py) for password logins:
# always in production, switchable elsewhere (off in development, the demo and
# the tests, which turn it on where they test it). Single sign-on logins are
# not asked: the identity provider is the strong authentication there.
PAINREHAB_REQUIRE_2FA = PRODUCTION or env_bool("PAINREHAB_REQUIRE_2FA")
PAINREHAB_2FA_STEP_SECONDS = 5 * 60  # between the password and the code
OTP_TOTP_ISSUER = "painrehab"

# Staff single sign-on with OpenID Connect (SITHS through the region's
# identity provider); painrehab.accounts.sso. Off unless PAINREHAB_OIDC_CLIENT_ID
# is set; then the issuer, its endpoints and the client secret are required.
# Users are matched by HSA-id (the claim named by PAINREHAB_OIDC_HSA_CLAIM) and
# never created: accounts and memberships are given in the application.
OIDC_ENABLED = bool(os.environ.get("PAINREHAB_OIDC_CLIENT_ID"))
IDENTITY_PROVIDER_FORM_TARGETS: list[str] = []
if OIDC_ENABLED:
    _sso_hint = "the region's identity provider for staff single sign-on (see README)"
    OIDC_ISSUER = env_required("PAINREHAB_OIDC_ISSUER", _sso_hint)
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_required(
        "PAINREHAB_OIDC_AUTHORIZATION_ENDPOINT", _sso_hint
    )
    OIDC_OP_TOKEN_ENDPOINT = env_required("PAINREHAB_OIDC_TOKEN_ENDPOINT", _sso_hint)
    OIDC_OP_USER_ENDPOINT = os.environ.get("PAINREHAB_OIDC_USERINFO_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = env_required("PAINREHAB_OIDC_JWKS_ENDPOINT", _sso_hint)
    OIDC_OP_END_SESSION_ENDPOINT = os.environ.get(
        "PAINREHAB_OIDC_END_SESSION_ENDPOINT", ""
    )
    OIDC_RP_CLIENT_ID = os.environ["PAINREHAB_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = env_required("PAINREHAB_OIDC_CLIENT_SECRET", _sso_hint)
    OIDC_RP_SCOPES = os.environ.get("PAINREHAB_OIDC_SCOPES", "openid profile")
    OIDC_HSA_CLAIM = os.environ.get("PAINREHAB_OIDC_HSA_CLAIM", "hsa_id")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_USE_PKCE = True
    OIDC_CREATE_USER = False
    OIDC_STORE_ID_TOKEN = True  # the hint for the provider's end_session
    OIDC_TIMEOUT = 10
    OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
    AUTHENTICATION_BACKENDS.append("painrehab.accounts.sso.StaffOidcBackend")
    if OIDC_OP_END_SESSION_ENDPOINT:
        IDENTITY_PROVIDER_FORM_TARGETS.append(OIDC_OP_END_SESSION_ENDPOINT)

# Patients' e-ID (BankID, Freja) through an OpenID Connect broker, as a second
# factor of the questionnaire link; painrehab.questionnaires.eid. Off unless
# PAINREHAB_EID_CLIENT_ID is set. The personnummer claim must name the link's
# patient.
EID_ENABLED = bool(os.environ.get("PAINREHAB_EID_CLIENT_ID"))
if EID_ENABLED:
    _eid_hint = "the e-ID broker for patients' questionnaire links (see README)"
    EID_ISSUER = env_required("PAINREHAB_EID_ISSUER", _eid_hint)
    EID_AUTHORIZATION_ENDPOINT = env_required(
        "PAINREHAB_EID_AUTHORIZATION_ENDPOINT", _eid_hint
    )
    EID_TOKEN_ENDPOINT = env_required("PAINREHAB_EID_TOKEN_ENDPOINT", _eid_hint)
    EID_JWKS_ENDPOINT = env_required("PAINREHAB_EID_JWKS_ENDPOINT", _eid_hint)
    EID_CLIENT_ID = os.environ["PAINREHAB_EID_CLIENT_ID"]
    EID_CLIENT_SECRET = env_required("PAINREHAB_EID_CLIENT_SECRET", _eid_hint)
    EID_SCOPES = os.environ.get("PAINREHAB_EID_SCOPES", "openid")
    EID_PERSONNUMMER_CLAIM = os.environ.get(
        "PAINREHAB_EID_PERSONNUMMER_CLAIM",
        "https://id.oidc.se/claim/personalIdentityNumber",
    )
    IDENTITY_PROVIDER_FORM_TARGETS.append(EID_AUTHORIZATION_ENDPOINT)

# Content-Security-Policy: only our own scripts and styles, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# A form may lead to the identity providers: the staff logout to the region's
# end_session, the patient's e-ID button to the broker.
for _endpoint in IDENTITY_PROVIDER_FORM_TARGETS:
    _origin = "/".join(_endpoint.split("/", 3)[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("PAINREHAB_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("PAINREHAB_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Patient data and tokens never reach logs: see painrehab.core.logging.
# Every handler carries the scrub filter: the root's, Django's own loggers
# (whose default handlers would otherwise print "Not Found: /f/<token>/") and
# runserver's request log. gunicorn's logs: see gunicorn.conf.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "painrehab.core.logging.ScrubSecretsFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["scrub"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

# The outbox (painrehab/outbox): background tasks in the database, run by
# `manage.py db_worker` (several workers on PostgreSQL).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_HOST = os.environ.get("PAINREHAB_SMTP_HOST", "localhost")  # the region's relay
EMAIL_PORT = env_int("PAINREHAB_SMTP_PORT", 25)
EMAIL_USE_TLS = env_bool("PAINREHAB_SMTP_STARTTLS")
EMAIL_HOST_USER = os.environ.get("PAINREHAB_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PAINREHAB_SMTP_PASSWORD", "")
EMAIL_TIMEOUT = 20
# Outside production and without a relay named, nothing leaves the machine:
# e-mail is written to files and SMS to a log under this folder (the demo).
PAINREHAB_OUTBOX_SINK_DIR = Path(
    os.environ.get("PAINREHAB_OUTBOX_SINK_DIR", BASE_DIR / "tmp" / "outbox")
)
_REAL_CHANNELS = PRODUCTION or bool(os.environ.get("PAINREHAB_SMTP_HOST"))
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if _REAL_CHANNELS
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = PAINREHAB_OUTBOX_SINK_DIR / "mail"
# The address patients open the forms at (in notices by SMS and e-mail).
PAINREHAB_PUBLIC_URL = os.environ.get("PAINREHAB_PUBLIC_URL", "http://127.0.0.1:8000")
PAINREHAB_OUTBOX_FROM_EMAIL = os.environ.get(
    "PAINREHAB_OUTBOX_FROM_EMAIL", "no-reply@painrehab.invalid"
)


class SmsSettings(TypedDict):
    """PAINREHAB_SMS: the SMS provider's address, account, sender and callback."""

    URL: str
    USER: str
    PASSWORD: str
    SENDER: str
    TIMEOUT: float
    CALLBACK_SECRET: str


PAINREHAB_SMS: SmsSettings = {
    "URL": os.environ.get("PAINREHAB_SMS_URL", "https://api.46elks.com"),
    "USER": os.environ.get("PAINREHAB_SMS_USER", ""),
    "PASSWORD": os.environ.get("PAINREHAB_SMS_PASSWORD", ""),
    "SENDER": os.environ.get("PAINREHAB_SMS_SENDER", "Smartrehab"),
    "TIMEOUT": 20,
    # A long random string: the provider's delivery reports come to a URL
    # holding it (/utskick/sms-leverans/<secret>/); unset, none are asked for.
    "CALLBACK_SECRET": os.environ.get("PAINREHAB_SMS_CALLBACK_SECRET", ""),
}
PAINREHAB_OUTBOX_CHANNELS = {
    "email": "painrehab.outbox.channels.EmailChannel",
    # 46elks once its credentials are given (always in production), else a
    # log file on this machine.
    "sms": os.environ.get(
        "PAINREHAB_SMS_PROVIDER",
        "painrehab.outbox.channels.ElksSms"
        if PRODUCTION or PAINREHAB_SMS["USER"]
        else "painrehab.outbox.channels.LocalSmsLog",
    ),
    "mailbox": os.environ.get(
        "PAINREHAB_MAILBOX_OPERATOR", "painrehab.outbox.channels.NoMailboxOperator"
    ),
}

# The read-only JSON API (painrehab/interop/api): its views set their own
# authentication (integration token or staff session) and unit scoping.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "painrehab API",
    "DESCRIPTION": "Read-only JSON API, scoped to the caller's care unit.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "PREPROCESSING_HOOKS": ["painrehab.interop.api.schema.only_api_endpoints"],
    "COMPONENT_SPLIT_REQUEST": True,
}
