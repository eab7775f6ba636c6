"""Settings for the Healthtech Network Portal, read from the environment.

Nothing set: an embedded portal (SQLite under var/, tasks run eagerly, mail to the console).
Production sets DATABASE_URL, REDIS_URL/CELERY_BROKER_URL, DJANGO_SECRET_KEY and
DJANGO_ALLOWED_HOSTS; see .env.example.
"""

import base64
import secrets
from importlib import import_module
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from network.env import env, env_bool, env_int, env_list, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("DJANGO_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    """The key from the environment; an embedded portal keeps a generated one under var/."""
    key = env("DJANGO_SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()


def _encryption_keys() -> tuple[list[str], bool]:
    """Fernet keys for secrets at rest (network/encryption.py), and whether they came from the
    environment; an embedded portal keeps a generated one under var/, like the secret key."""
    keys = env_list("PORTAL_ENCRYPTION_KEYS")
    if keys:
        return keys, True
    key_file = VAR_DIR / "encryption_key"
    if not key_file.exists():
        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(), "utf-8")
        key_file.chmod(0o600)
    return [key_file.read_text(encoding="utf-8").strip()], False


# The first key encrypts, all of them decrypt: rotate by putting a new key first.
PORTAL_ENCRYPTION_KEYS, PORTAL_ENCRYPTION_KEYS_FROM_ENV = _encryption_keys()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_ID = 1
# The site's public address, for every link in emails and generated files (network.notifications
# .site_url). `make run` sets it from HOST and PORT; production must set an https address
# (`check --deploy`). SITE_URL is its old name, still read.
PORTAL_SITE_URL = (env("PORTAL_SITE_URL") or env("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
PORTAL_SITE_URL_FROM_ENV = bool(env("PORTAL_SITE_URL") or env("SITE_URL"))
SITE_URL = PORTAL_SITE_URL  # old name, for code not yet moved to PORTAL_SITE_URL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "simple_history",
    "network",
    "clusters",
    "matchmaking",
    "matchmaking.events",
    "matchmaking.bookings",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses a body larger than its URL accepts by Content-Length, before anything reads it.
    "network.body_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "network.slug_redirects.OldSlugRedirectMiddleware",  # slugs from before æ/ø/å were spelled out
    "network.middleware.PortalLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "network.middleware.HtmxVaryMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "clusters.middleware.StaffMfaMiddleware",
]

ROOT_URLCONF = "network.urls"
WSGI_APPLICATION = "network.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.portal",
                "clusters.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
    # SQLite builds covering indexes without their INCLUDE columns; PostgreSQL uses them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "network.redis_cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Rendered list rows and facets kept until the next write (network/page_cache.py). Only with a
# cache every process shares: the in-process one would miss another process's writes.
PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", bool(REDIS_URL))

CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or (REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Longer than the longest task, so an unacknowledged task is not handed out twice meanwhile.
# A task whose worker died unacknowledged is handed out again after this many seconds: longer
# than the longest task, or a slow task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 15 * 60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "portal")
CELERY_TIMEZONE = "Europe/Copenhagen"
# Each app keeps its periodic tasks beside the tasks themselves (<app>/schedule.py).
CELERY_BEAT_SCHEDULE = {}
for _app in ("network", "clusters", "matchmaking", "matchmaking.events", "projects"):
    CELERY_BEAT_SCHEDULE |= import_module(f"{_app}.schedule").BEAT_SCHEDULE
# Task modules besides the autodiscovered `<app>.tasks`.
CELERY_IMPORTS = [
    "network.notifications_tasks",
    "network.search.tasks",
    "network.joining.tasks",
    "matchmaking.introductions.tasks",
]

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_FORMS = {"login": "network.account_forms.LoginForm"}
# Rate limits live in the shared cache, so every gunicorn worker sees the same counters.
# Wrong passwords lock the account, not the address: five for one account in five minutes lock
# that account (checked first, so a locked account's further tries do not count against the
# address), while colleagues behind the same office address still sign in. Only a spray across
# many accounts from one address (100 failures in five minutes) locks the address, and all
# sign-in attempts from one address are capped far above what an office types. allauth's
# defaults stay for signups and password resets.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,100/5m/ip",
    "login": "200/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# TOTP and recovery-code seeds are stored encrypted with PORTAL_ENCRYPTION_KEYS.
MFA_ADAPTER = "network.adapters.MFAAdapter"
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Healthtech Network Portal")
# Network admins and cluster staff must enrol TOTP before they can work (clusters.middleware).
# Only a local demo may turn this off; the deploy check refuses it when DEBUG is off.
STAFF_MFA_REQUIRED = env_bool("PORTAL_STAFF_MFA_REQUIRED", True)
# How long a user's staff and TOTP flags stay cached (clusters.middleware). Only with Redis: a
# per-process cache could not be cleared by the process that grants a role.
STAFF_MFA_FLAGS_CACHE_SECONDS = env_int(
    "PORTAL_STAFF_MFA_FLAGS_CACHE_SECONDS", 60 if REDIS_URL else 0
)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "portal@healthtech-network.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
# Our own English date formats (day first or ISO); Danish and Norwegian use Django's.
FORMAT_MODULE_PATH = ["network.formats"]
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# DKFDS comes from npm at set-up (npm ci), never from the repository.
DKFDS_DIST = BASE_DIR / "node_modules" / "dkfds" / "dist"
STATICFILES_DIRS = [BASE_DIR / "static", ("dkfds", DKFDS_DIST)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "DJANGO_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Uploads (member files) and generated reports in a store every process shares when a bucket is
# configured (PORTAL_S3_BUCKET: AWS S3, MinIO, Ceph...; network.env.s3_storage); downloads go
# through the portal's permission checks. Without one: local disk under MEDIA_ROOT, the embedded
# default (docker-compose.yml mounts one media volume in web, worker and beat).
STORAGES["default"] = s3_storage() or STORAGES["default"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("DJANGO_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client's address for allauth's rate limits is the one the proxy saw, not the proxy's.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1

# Content-Security-Policy: only the portal's own files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Operations -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, traces_sample_rate=0.0)

# --- Portal -----------------------------------------------------------------------------------
DIRECTORY_PAGE_SIZE = env_int("DIRECTORY_PAGE_SIZE", 20)
# The network's one search (network.search): the kinds it finds, named by string like the
# apps; how often a search first brings the index up to date (seconds, shared via the cache).
SEARCH_SOURCES = [
    "network.search.sources.Organisations",
    "network.search.sources.TestSites",
    "network.search.sources.KnowledgeOffers",
    "matchmaking.search_sources.Needs",
    "projects.search_sources.Projects",
]
SEARCH_SYNC_SECONDS = env_int("PORTAL_SEARCH_SYNC_SECONDS", 10)
NETWORK_NAME = env("NETWORK_NAME", "Healthtech Network")
# Introductions: a request nobody answers expires after this many days; a reminder goes to the
# other side this many days before.
INTRODUCTION_EXPIRY_DAYS = env_int("INTRODUCTION_EXPIRY_DAYS", 14)
INTRODUCTION_REMINDER_DAYS = env_int("INTRODUCTION_REMINDER_DAYS", 3)
# Test bookings: a request the test site's people do not answer expires after this many days; a
# reminder goes to them this many days before.
BOOKING_EXPIRY_DAYS = env_int("BOOKING_EXPIRY_DAYS", 14)
BOOKING_REMINDER_DAYS = env_int("BOOKING_REMINDER_DAYS", 3)
# Dates the site proposes instead expire when the company has not accepted them after this many
# days (shorter than a request's: only a yes is wanted, and the site plans around the dates); the
# company is reminded BOOKING_REMINDER_DAYS before.
BOOKING_PROPOSAL_EXPIRY_DAYS = env_int("BOOKING_PROPOSAL_EXPIRY_DAYS", 7)
# Stale profiles (network/stale.py): owners are reminded to confirm a profile nobody has
# updated or confirmed for this many days, and it is left out of matching this many days later.
PORTAL_STALE_AFTER_DAYS = env_int("PORTAL_STALE_AFTER_DAYS", 365)
PORTAL_STALE_GRACE_DAYS = env_int("PORTAL_STALE_GRACE_DAYS", 30)
# Business registers (network/registers/) that fill a new organisation's name and address:
# Brønnøysundregistrene's open API for Norway (empty = off), the CVR distribution service of
# the Danish Business Authority for Denmark (off until a URL and its credentials are given).
PORTAL_BRREG_URL = env("PORTAL_BRREG_URL", "https://data.brreg.no/enhetsregisteret/api")
PORTAL_CVR_URL = env("PORTAL_CVR_URL")
PORTAL_CVR_USER = env("PORTAL_CVR_USER")
PORTAL_CVR_PASSWORD = env("PORTAL_CVR_PASSWORD")
PORTAL_REGISTER_TIMEOUT = env_int("PORTAL_REGISTER_TIMEOUT", 4)  # seconds, connect and read

# --- API (/api/v1/) ---------------------------------------------------------------------------
# Read-only, token-authenticated; see network/api/. The token model lives in clusters.
API_TOKEN_MODEL = "clusters.APIToken"  # noqa: S105 (a model name, not a secret)
API_RATE_LIMIT = env("API_RATE_LIMIT", "1000/hour")  # per token, unless the token sets its own
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["network.api.authentication.APITokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["network.api.permissions.HasTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["network.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "network.api.pagination.APIPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "network.api.schema.APIAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Healthtech Network Portal API",
    "DESCRIPTION": (
        "Read-only access for partners' own systems: the directory (organisations, needs, "
        "test sites, knowledge offers), a cluster's members and anonymised match statistics. "
        "Send a token from the cluster's API token page as `Authorization: Bearer <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None},
    "PATH_CONVERTER_OVERRIDES": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
}
