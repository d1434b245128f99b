"""Qingling settings: everything comes from the environment, with safe defaults.

* SQLite file by default; ``DATABASE_URL=postgres://…`` switches to PostgreSQL.
* ``QINGLING_DEV=1`` (set by ``make run`` and the test suite only) enables DEBUG and an
  insecure development secret key. Anywhere else ``SECRET_KEY`` must be set.
* ``DATABASE_REPLICA_URL`` adds a read replica that statistics, exports and the board use.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEV = env_bool("QINGLING_DEV")
DEBUG = DEV and env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEV:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or QINGLING_DEV=1 for local development only)."
        )
    SECRET_KEY = "dev-insecure-qingling-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEV else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # expiring, digest-only API tokens (core.api_auth)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_q",
    # Domain apps, in dependency order.
    "core",
    "regions",
    "accounts",
    "enterprises",
    "standards",
    "hazards",
    "supervision",
    "inspections",
    "enforcement",
    "tips",
    "obligations",
    "risks",
    "campaigns",
    "documents",
    "accidents",
    "assessment",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.RequestIdMiddleware",
    "core.middleware.FileMissingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A NUL character in the path or the query is a 400 before any view compares it with a column
    # (after CSP and the session, so the 400 page carries the site's headers and the user's name).
    "core.middleware.NulRefusalMiddleware",
    # Every view needs a login unless marked login_not_required (public tip pages, healthz, login, DRF).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After an administrator's password reset, pages lead to 修改密码 until it is changed.
    "accounts.password_change.PasswordChangeRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.qingling",
            ],
            "builtins": ["core.templatetags.dates"],  # |day and |moment on every page (core/templatetags/dates.py)
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + str(BASE_DIR / os.environ.get("SQLITE_NAME", "db.sqlite3")),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server, commands and tests share the file. The page cache is
    # 32 MB a connection (SQLite's default 2 MB), filled only as pages are read: a 5,000-row ledger
    # import writes two dozen indexes whose pages did not fit (its hazard insert 0.35 → 0.23 s, B3).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;",
    }
    # Opening the file costs ~25–50 ms (WAL set-up, a checkpoint when the last connection closes):
    # served by gunicorn, each worker keeps its connection (CONN_MAX_AGE, 60 s outside development);
    # the dev server (a thread per request) and the tests open one per request as before.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0" if DEV else "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
else:
    # short OLTP queries: PostgreSQL's JIT compiled mis-estimated page queries for 80–300 ms (B1 lane,
    # issue 15) and never paid back on these pages; PG_JIT=1 turns it back on
    if not env_bool("PG_JIT"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Django's backend whose per-request health check looks at the socket before it sends SELECT 1
    # (core/postgresql/base.py: no round trip while the connection is open and quiet)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "core.postgresql"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3" and env_bool("DATABASE_POOL"):
    # psycopg 3 connection pool (Django ≥ 5.1); pooling replaces persistent connections.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# API throttle counters (core.api_security) must be shared by every worker process, or each limit is
# multiplied by the number of gunicorn workers: files on the host by default (no database write per
# request), Redis when several hosts serve the API (THROTTLE_REDIS_URL). A test worker (pytest-xdist)
# gets its own directory so one worker clearing its counters does not touch another's.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        # diskcache: one SQLite file (WAL) every worker process on the host opens — a counter read and
        # written in ~0.1 ms of CPU, against ~0.3 ms for a file per key written through a temporary
        # file and a rename (Django's FileBasedCache). A busy file is waited for up to
        # DATABASE_TIMEOUT; entries expire with the throttle's window; size_limit bounds the file.
        # (core.throttle_cache: the connection is kept between requests)
        "BACKEND": "core.throttle_cache.ThrottleCache",
        "LOCATION": os.environ.get("THROTTLE_CACHE_DIR", str(BASE_DIR / "var" / "throttle"))
        + (f"-{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else ""),
        "SHARDS": 1,
        "DATABASE_TIMEOUT": 1.0,
        "OPTIONS": {"size_limit": 64 * 2**20},
    },
}
if os.environ.get("THROTTLE_REDIS_URL"):
    CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["THROTTLE_REDIS_URL"]}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttles (accounts/throttle.py, docs/security.md): password failures counted in a sliding
# window; past a limit the login form asks for a captcha (per user name, per client address) —
# never a hard lock of a user name; only an address is refused outright, after many more failures.
LOGIN_THROTTLE_WINDOW_MINUTES = int(os.environ.get("LOGIN_THROTTLE_WINDOW_MINUTES", "15"))
LOGIN_CAPTCHA_USER_FAILURES = int(os.environ.get("LOGIN_CAPTCHA_USER_FAILURES", "5"))
LOGIN_CAPTCHA_ADDRESS_FAILURES = int(os.environ.get("LOGIN_CAPTCHA_ADDRESS_FAILURES", "10"))
LOGIN_BLOCK_ADDRESS_FAILURES = int(os.environ.get("LOGIN_BLOCK_ADDRESS_FAILURES", "100"))
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"  # Chinese page instead of Django's English one

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]  # dates on pages as the tables write them: 2026-12-16 (config/formats)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEV
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Evidence and documents are private: never served by URL, only through scoped views.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-public/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# Spreadsheet intake limits, checked before any parser runs (core/intake.py, docs/security.md).
SPREADSHEET_LIMITS = {
    "max_bytes": int(os.environ.get("SPREADSHEET_MAX_BYTES", str(10 * 1024 * 1024))),
    "max_entries": 200,                    # zip parts of an xlsx
    "max_uncompressed": 100 * 1024 * 1024,  # all parts together
    "max_entry": 80 * 1024 * 1024,         # any one part
    "max_ratio": 100,                      # uncompressed / compressed
    "max_shared_strings": 20 * 1024 * 1024,
    "max_rows": int(os.environ.get("SPREADSHEET_MAX_ROWS", "60000")),
    "max_columns": 200,
    "max_cells": 2_000_000,
}

# Key for whistle-blower identities (Fernet, urlsafe base64, 32 bytes). Required in production.
TIP_IDENTITY_KEY = os.environ.get("TIP_IDENTITY_KEY", "")
if not TIP_IDENTITY_KEY and DEV:
    TIP_IDENTITY_KEY = "ZGV2LW9ubHktcWluZ2xpbmctdGlwLWtleS0wMDAwMDA="

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEV else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qingling@localhost")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "core.sms.ConsoleSmsBackend")
# The address users open the platform at (e.g. https://yinhuan.example.gov.cn): e-mails end with a
# link to what they are about (core.notifications.email_body); unset = no link (the server cannot
# know its public address behind a proxy). ``make run`` sets the development server's.
QINGLING_SITE_URL = os.environ.get("QINGLING_SITE_URL", "").rstrip("/")
# Reminder SMS (deadlines, digests: core.notifications.DEFERRABLE_SMS_KINDS) wait out the night,
# local time "HH:MM-HH:MM"; empty = send at any hour. E-mail and in-app are never held.
QINGLING_SMS_QUIET_HOURS = os.environ.get("QINGLING_SMS_QUIET_HOURS", "22:00-07:00")

# Public tip form: requests per address per hour; upload limits; salt of stored address hashes.
TIP_RATE_LIMIT_PER_HOUR = int(os.environ.get("TIP_RATE_LIMIT_PER_HOUR", "10"))
# Number of reverse proxies in front of the app that append to X-Forwarded-For (docs/operations.md).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TIP_PHOTO_MAX_BYTES = int(os.environ.get("TIP_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
TIP_VIDEO_MAX_BYTES = int(os.environ.get("TIP_VIDEO_MAX_BYTES", str(50 * 1024 * 1024)))
TIP_MAX_FILES = int(os.environ.get("TIP_MAX_FILES", "6"))
TIP_IP_SALT = os.environ.get("TIP_IP_SALT", "") or SECRET_KEY

# django-filter: a list's filter box left blank shows every row — "全部", not "---------" (the
# forms' boxes start on "请选择": core.forms.install_choose_label)
FILTERS_EMPTY_CHOICE_LABEL = "全部"

REST_FRAMEWORK = {
    # Token first: an unauthenticated call is 401 with WWW-Authenticate (not 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api_security.TokenAuthentication",
        "core.api_security.SessionAuthentication",
    ],
    # JSON only; upload endpoints declare MultiPartParser themselves. Unparseable body → 400.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api_security.UserThrottle", "core.api_security.AnonThrottle",
                                 "core.api_security.AddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
        "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
        "address": os.environ.get("API_THROTTLE_ADDRESS", "3000/min"),
        "token": os.environ.get("API_THROTTLE_TOKEN", "20/min"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["core.api_filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.KnownTotalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.SchemaWithAppTags",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# GET /api/v1/hazards/export/: up to this many filtered rows answer the xlsx at once (200); more
# rows answer 202 with an export job (/api/v1/jobs/{id}/), the page's export job kind.
API_EXPORT_SYNC_MAX_ROWS = int(os.environ.get("API_EXPORT_SYNC_MAX_ROWS", "2000"))
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "12"))),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "清零 Qingling API",
    "DESCRIPTION": "重大事故隐患排查整治平台 REST API (scoped to the caller's region and sectors).",
    "VERSION": "1.24.0",  # = core.api_schema.API_VERSION (docs/api.md: versioning)
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api_schema.postprocess"],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have fields named status / level / channel with different choices.
    "ENUM_NAME_OVERRIDES": {
        "OutboxChannelEnum": "core.models.OutboxMessage.Channel",
        "TransferOutcomeEnum": "enforcement.models.TransferOutcome.Outcome",  # a decision's answer and its input
        "HazardGradeEnum": "hazards.models.Hazard.Grade",
        "AccidentGradeEnum": "accidents.models.GRADE_CHOICES",
        "OutboxStatusEnum": "core.models.OutboxMessage.Status",
        "RegionLevelEnum": "regions.models.Region.Level",
        "EnterpriseStatusEnum": "enterprises.models.Enterprise.Status",
        "StandardStatusEnum": "standards.models.Standard.Status",
        "HazardChannelEnum": "hazards.models.Hazard.Channel",
        "HazardStatusEnum": "hazards.models.Hazard.Status",
        "ExtensionStatusEnum": "hazards.models.ExtensionRequest.Status",
        "ListingLevelEnum": "supervision.models.Listing.Level",
        "ListingStatusEnum": "supervision.models.Listing.Status",
        "InspectionRecordStatusEnum": "inspections.models.Record.Status",
        "DecisionStatusEnum": "enforcement.models.Decision.Status",
        "CreditListingStatusEnum": "enforcement.models.CreditListing.Status",
        "CreditRepairStatusEnum": "enforcement.models.CreditRepair.Status",
        "TipChannelEnum": "tips.models.Tip.Channel",
        "TipStatusEnum": "tips.models.Tip.Status",
        "RewardStatusEnum": "tips.models.Reward.Status",
        "RiskLevelEnum": "risks.models.Level",
        "AttachmentKindEnum": "hazards.models.Attachment.Kind",
        "TipResultEnum": "tips.models.Tip.Result",
        "InspectionLineResultEnum": "inspections.models.RecordItem.Result",
        "JobStatusEnum": "jobs.models.Job.Status",  # the job and the assessment set's computation
    },
}

# Django's database sessions, read with one hand-written statement (core/sessions.py: the same row and
# expiry test; compiling the ORM query per request cost more than running it).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own (vendored) static files — no
# inline scripts or handlers; styles allow inline attributes (Bootstrap markup, htmx indicators).
# /api/docs/ (Swagger UI bootstraps with an inline script) is excluded; it is staff-only tooling.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if not DEV:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # "django" listed clears the console handler Django adds to it for DEBUG: its records (a 404's
    # warning) reach the root's console once, not twice
    "loggers": {"django": {"level": "INFO"}, "django.db.backends": {"level": "WARNING"}},
}

# Task queue (django-q2, see docs/architecture.md "Background jobs"): the broker is the project's
# own database by default; QUEUE_REDIS_URL switches it to Redis for a province-size deployment.
QINGLING_JOB_TIMEOUT = int(os.environ.get("QINGLING_JOB_TIMEOUT", "3600"))
# A document converted to PDF (LibreOffice) in the request: longer is a 503 "try again", never a 500.
QINGLING_PDF_TIMEOUT_SECONDS = int(os.environ.get("QINGLING_PDF_TIMEOUT_SECONDS", "120"))
Q_CLUSTER = {
    "name": "qingling",
    "label": "后台任务队列",
    "orm": "default",
    "workers": int(os.environ.get("QINGLING_WORKERS", "2")),
    "timeout": QINGLING_JOB_TIMEOUT,           # a task running longer is killed (its Job then fails with the reason)
    "retry": QINGLING_JOB_TIMEOUT + 60,        # an unacknowledged task is delivered again after this
    "max_attempts": 5,
    "ack_failures": True,
    "catch_up": False,                         # a missed daily pass runs once, not once per missed day
    "save_limit": 500,
    # an empty queue is read again after this many seconds (one indexed query by the cluster's
    # pusher): the longest a queued job waits for an idle worker; 1 s kept each of an officer's
    # uploads (dry run, then 正式导入) waiting up to a second more (B3)
    "poll": float(os.environ.get("QINGLING_QUEUE_POLL", "0.2")),
}
if os.environ.get("QUEUE_REDIS_URL"):
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = os.environ["QUEUE_REDIS_URL"]
# Run jobs inside the request that submits them (tests, single-process demos).
QINGLING_JOBS_INLINE = env_bool("QINGLING_JOBS_INLINE")
# a running job beats every quarter of this (jobs.progress.Heartbeat): silent this long = its worker is gone
QINGLING_JOB_STALE_SECONDS = int(os.environ.get("QINGLING_JOB_STALE_SECONDS", "180"))
# finished jobs' result files (exports, document batches, error lists) are deleted after this many days
QINGLING_JOB_RESULT_DAYS = int(os.environ.get("QINGLING_JOB_RESULT_DAYS", "30"))
QINGLING_JOB_RETRY_BASE_SECONDS = int(os.environ.get("QINGLING_JOB_RETRY_BASE_SECONDS", "30"))
# a long job that works in shares (the campaign board backfill) goes back to the end of the queue after this long
QINGLING_JOB_SHARE_SECONDS = float(os.environ.get("QINGLING_JOB_SHARE_SECONDS", "60"))
