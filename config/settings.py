"""Allmende settings, configured through environment variables.

Development (`make run`) needs none of them: SQLite, the in-memory channel
layer and console e-mail. Production sets at least SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL and REDIS_URL; see docs/deployment.md.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def development_secret_key(path: Path) -> str:
    """The key of this development checkout: made at random on first start and kept in
    `path` (readable by its owner only), so that every checkout has its own key and
    sessions survive a restart. Created under another name and linked into place, so two
    processes starting at once agree on one key and never read a half-written file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its key counts
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it, a new key is made on start.")
    return key


# A real key from the environment; only a development server (DEBUG) may make its own.
# Every other start without one stops here, so that nothing is ever signed with a key
# that someone else knows.
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY to at least 50 random characters (docs/deployment.md); "
            "only a development server (DEBUG=1) makes its own."
        )
    SECRET_KEY = development_secret_key(
        Path(env("SECRET_KEY_FILE", str(BASE_DIR / "var" / "secret_key")))
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    # Allmende
    "cms",
    "participation.consultations",
    "participation.gate",
    "participation.contributions",
    "participation.comments",
    "participation.polls",
    "participation.results",
    "participation.proposals",
    "participation.notifications",
    "participation.guard",
    "participation.moderation",
    "participation.live",
    "participation.api",
    "cooperative.accounts",
    "cooperative.organisations",
    "cooperative.audit",
    "cooperative.membership",
    "cooperative.governance",
    "cooperative.mandates",
    "frontend",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Infrastructure
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "frontend.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: the chain above runs in one thread per request under ASGI, instead of a
    # thread trip per hook of every Django middleware (config/middleware.py).
    "config.middleware.SyncBoundary",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "participation.notifications.context_processors.notifications",
            ],
        },
    },
]

# Database: SQLite by default, anything dj-database-url understands otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A SQLite connection is a file handle: keep it per thread instead of opening it (and
    # running the pragmas) again for every request.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "600"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif env_bool("DATABASE_POOL", False):
    # Per process: the request thread, the worker threads of offloaded views (cores + 4)
    # and the live layer's database turns share it (docs/deployment.md).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(env("DATABASE_POOL_SIZE", "10")),
        "timeout": 10,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Live layer: Redis when configured (several daphne processes), else in-process.
REDIS_URL = env("REDIS_URL")
# Keeps several instances on one Redis apart: channel layer, cache and presence counts.
REDIS_PREFIX = env("REDIS_PREFIX", "allmende")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": REDIS_PREFIX},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

COMMENT_EDIT_WINDOW_MINUTES = int(env("COMMENT_EDIT_WINDOW_MINUTES", "15"))
# Worker threads per process for write views that wait on the database side by side
# (participation/offload.py); each holds one pooled connection while it works.
OFFLOAD_THREADS = int(env("OFFLOAD_THREADS", "8"))
# Live poll results: at most this many updates per poll and second (0 = one per vote).
POLL_LIVE_UPDATES_PER_SECOND = float(env("POLL_LIVE_UPDATES_PER_SECOND", "4"))
# Stored live events (for a reconnecting reader's catch-up) are deleted after this many
# hours; a reader who missed more than is kept reloads. Pruning is asked for by the live
# path at most once per LIVE_EVENT_PRUNE_INTERVAL_MINUTES (0: only `manage.py
# live_events_prune`, e.g. from cron).
LIVE_EVENT_RETENTION_HOURS = float(env("LIVE_EVENT_RETENTION_HOURS", "48"))
LIVE_EVENT_PRUNE_INTERVAL_MINUTES = float(env("LIVE_EVENT_PRUNE_INTERVAL_MINUTES", "60"))

# Client addresses (cooperative/network.py, docs/deployment.md): the reverse proxies in
# front of daphne, as addresses or networks (and "unix" for a proxy on a unix socket).
# Only when the direct peer is one of them is X-Forwarded-For read, from the right; empty
# means no proxy: the peer is the client and the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        if _proxy.lower() != "unix":
            ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is neither an address, a network nor 'unix'."
        ) from None
# Open WebSockets per client address (an IPv6 client: per /64) and daphne process; more
# are closed with code 4429. 0 = no limit. docs/deployment.md says why 100.
LIVE_MAX_SOCKETS_PER_ADDRESS = int(env("LIVE_MAX_SOCKETS_PER_ADDRESS", "100"))

# Cooperative: supporting members a motion needs before the board can put it to the vote.
GOVERNANCE_MOTION_SUPPORTERS = int(env("GOVERNANCE_MOTION_SUPPORTERS", "3"))
# Secret ballots: results per member group are published only if every group that voted
# has at least this many voters and no single vote can be inferred from its count
# (cooperative/governance/majority.py, group_count_disclosable; docs/architecture.md).
GOVERNANCE_SECRET_GROUP_MIN_VOTERS = int(env("GOVERNANCE_SECRET_GROUP_MIN_VOTERS", "5"))

# Moderation (docs/moderation.md): counted notices after which a contribution is hidden
# until a moderator looks at it (counted: one per account and network address, from
# accounts with a verified e-mail address that were at least
# MODERATION_AUTO_HIDE_ACCOUNT_DAYS old when they gave the notice; anonymous notices and
# young accounts reach the queue but never hide anything, official statements are never
# hidden automatically); the appeal window in months (DSA Art. 20: at least six);
# notices per reporter and per IP: RATE_LIMITS["notice"] below.
MODERATION_AUTO_HIDE_REPORTS = int(env("MODERATION_AUTO_HIDE_REPORTS", "5"))
MODERATION_AUTO_HIDE_ACCOUNT_DAYS = int(env("MODERATION_AUTO_HIDE_ACCOUNT_DAYS", "30"))
MODERATION_APPEAL_MONTHS = int(env("MODERATION_APPEAL_MONTHS", "6"))

# Rate limits of every write (participation/contributions/ratelimit.py), per person and
# per client address, in the notation of the `limits` library: "5/minute;60/hour" (empty:
# no limit). One budget per action whatever the way in (web form, htmx, API). Each can be
# set with RATE_LIMIT_<ACTION>_PERSON and RATE_LIMIT_<ACTION>_ADDRESS.
_RATE_LIMIT_DEFAULTS = {
    "comment": ("5/minute;60/hour", "30/minute"),
    "reaction": ("60/minute", ""),
    "proposal": ("3/minute;20/hour", "20/minute"),
    "support": ("30/minute", ""),
    "vote": ("30/minute", "120/minute"),
    # Notices (DSA Art. 16); their address is counted by a keyed hash, never stored as is.
    "notice": (
        f"{env('MODERATION_REPORTS_PER_HOUR_USER', '20')}/hour",
        f"{env('MODERATION_REPORTS_PER_HOUR_IP', '40')}/hour",
    ),
    # Messages with the accessibility statement's feedback form (BITV 2.0 § 7), mostly
    # anonymous: the address limit is what keeps a flood out of the operator's mailbox.
    "accessibility_feedback": ("5/hour", "20/hour"),
}
RATE_LIMITS = {
    action: {
        "person": env(f"RATE_LIMIT_{action.upper()}_PERSON", person),
        "address": env(f"RATE_LIMIT_{action.upper()}_ADDRESS", address),
    }
    for action, (person, address) in _RATE_LIMIT_DEFAULTS.items()
}

# Background work: django-tasks with the database backend; tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Shitstorm guard (docs/moderation-guard.md explains each default). A surge: in the last
# GUARD_WINDOW_MINUTES a consultation had at least GUARD_MIN_EVENTS contributions (or
# GUARD_MIN_REPORTS notices) and GUARD_SURGE_FACTOR times its own rate over the
# GUARD_BASELINE_HOURS before, the rate counted as at least GUARD_BASELINE_FLOOR_PER_HOUR.
# Calm mode: one contribution per person per GUARD_SLOW_MODE_MINUTES, accounts younger
# than GUARD_YOUNG_ACCOUNT_DAYS pre-moderated. A consultation may override the factor,
# the minimum and both calm-mode values.
GUARD_WINDOW_MINUTES = int(env("GUARD_WINDOW_MINUTES", "10"))
GUARD_BASELINE_HOURS = int(env("GUARD_BASELINE_HOURS", "72"))
GUARD_BASELINE_FLOOR_PER_HOUR = float(env("GUARD_BASELINE_FLOOR_PER_HOUR", "3"))
GUARD_SURGE_FACTOR = float(env("GUARD_SURGE_FACTOR", "5"))
GUARD_MIN_EVENTS = int(env("GUARD_MIN_EVENTS", "15"))
GUARD_MIN_REPORTS = int(env("GUARD_MIN_REPORTS", "5"))
GUARD_CHECK_INTERVAL_SECONDS = int(env("GUARD_CHECK_INTERVAL_SECONDS", "30"))
GUARD_ALERT_COOLDOWN_MINUTES = int(env("GUARD_ALERT_COOLDOWN_MINUTES", "60"))
GUARD_SLOW_MODE_MINUTES = int(env("GUARD_SLOW_MODE_MINUTES", "5"))
GUARD_YOUNG_ACCOUNT_DAYS = int(env("GUARD_YOUNG_ACCOUNT_DAYS", "7"))

AUTH_USER_MODEL = "cooperative_accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, loading the signed-in person without compiling the query
    "cooperative.accounts.backends.ModelBackend",
    "cooperative.accounts.backends.AuthenticationBackend",
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
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail login, verified addresses, pseudonymous display names.
ACCOUNT_ADAPTER = "cooperative.accounts.adapter.AccountAdapter"
# Messages and mails name people by their pseudonym; the username is internal only.
ACCOUNT_USER_DISPLAY = "cooperative.accounts.adapter.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cooperative.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Allmende] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Allmende")
# A code of the step before or after is accepted too (RFC 6238 5.2 recommends one step for
# the delay between reading a code and its arrival): a code typed as it changes, or a
# server under load, would otherwise refuse a correct code. Each code counts once.
MFA_TOTP_TOLERANCE = 1

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Allmende <noreply@allmende.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: German first, English too.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["config.formats"]  # English times on the 24-hour clock
# locale_overrides holds formal ("Sie") German for allauth; makemessages writes to the first path.
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale", BASE_DIR / "frontend" / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Allmende"
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Addresses in ASCII, umlauts spelled out (ä → ae, ß → ss: cooperative/slugs.py), never
# percent-encoded; a slug typed with umlauts is spelled out on saving.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No autosave in the page editor: under four-eyes approval every half-second save of the
# reviewer's form became a revision of its own, and a form that no longer validated (an
# empty paragraph, see frontend/blocks.py) paused it with a warning in the middle of an
# approval. Editors save with "Entwurf speichern"; the approval saves what it approves.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german",
    }
}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# One login for the whole site: the admin (through /admin/login/, config/urls.py) and
# private pages send people to allauth's login (second factor, rate limits, lockout,
# verified addresses); Wagtail's own login and password reset are never reached, and its
# forms for changing one's password or e-mail address are off: both change only through
# allauth, which confirms a new address before it counts.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Documents always through Wagtail's serve view, which asks the collection's privacy; never
# by their file's address (the proxy refuses /media/documents/, docs/deployment.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Videos and their captions (WebVTT) for the sign-language page (cms.SignLanguagePage).
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "txt", "mp4", "webm", "vtt"]
# Played in the page (<video>, <track>) rather than offered for download only.
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf", "video/mp4", "video/webm", "text/vtt"]
# The admin asks no other host: no Gravatar pictures (they send a hash of each user's
# e-mail address to gravatar.com), no check for new Wagtail releases from the dashboard.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
TAGGIT_CASE_INSENSITIVE = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The open interface authenticates by token (participation/api/base.py), Wagtail's
    # admin API by session. Not DRF's default HTTP Basic: a password check on every
    # request, outside allauth's rate limits and second factor.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # DRF's parsers, with JSON never nested deeper than a limit: a 400 that says so, not a
    # 500 (Wagtail's admin API too; the open interface takes JSON only).
    "DEFAULT_PARSER_CLASSES": [
        "participation.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}


def openapi_public_endpoints(endpoints: list) -> list:
    """drf-spectacular hook: the OpenAPI schema describes Allmende's open interfaces only.

    Wagtail's admin API (under /admin/) is internal, needs an editor session and cannot be
    described without a request; it does not belong in the published schema.
    """
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith("/admin/")]


SPECTACULAR_SETTINGS = {
    "PREPROCESSING_HOOKS": ["config.settings.openapi_public_endpoints"],
    "TITLE": "Allmende API",
    "DESCRIPTION": "Public content of the platform, and the back channel (see docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the platform itself (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Open data (DCAT-AP.de): the licence of every distribution ("dl-by-de/2.0" or
# "cc-by/4.0"), the contributor id GovData assigned, the platform's publisher.
OPEN_DATA_LICENCE = env("OPEN_DATA_LICENCE", "dl-by-de/2.0")
OPEN_DATA_CONTRIBUTOR_ID = env("OPEN_DATA_CONTRIBUTOR_ID")
OPEN_DATA_PUBLISHER = env("OPEN_DATA_PUBLISHER", "Allmende eG")

# Where people report a vulnerability of this instance (/.well-known/security.txt, RFC 9116):
# mailto:, https: or tel: URIs, comma-separated; and the disclosure policy's address, if any.
SECURITY_CONTACT = env_list("SECURITY_CONTACT")
SECURITY_POLICY_URL = env("SECURITY_POLICY_URL")

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database and are read through the cache (Redis in production):
# every signed-in request reads its session, and most never write it.
SESSION_ENGINE = "cooperative.accounts.sessions"  # cached_db, read from prebuilt SQL
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "config.logging.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
