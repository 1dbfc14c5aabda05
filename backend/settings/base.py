"""Settings shared by every variant. Everything that differs per deployment comes from the
environment through one typed reader (django-environ). Secrets have no default here: the demo
and test variants set theirs before importing this module."""

from datetime import timedelta
from pathlib import Path

import environ

from backend.api_version import API_VERSION
from backend.database import timeout_options

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # django.contrib.admin with a second factor and logged logins (docs/adr/0010).
    "accounts.admin_config.OTPAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Our apps, lowest layer first (docs/architecture.md): start-up subscribers register in
    # this order, so it is also the order they run in.
    "audit",
    "accounts",
    "signals",
    "initiatives",
    "notifications",
    "outcomes",
    "privacy",
    "workspace",
    # The metrics (docs/adr/0045): reads the apps' selectors, the top layer.
    "operations",
]

MIDDLEWARE = [
    # First: every answer is counted per route and timed through the whole stack (ADR 45).
    "operations.metrics.RequestMetricsMiddleware",
    "backend.request_context.RequestIdMiddleware",
    # API-Version on every /api/ answer, errors and 503s included (docs/adr/0043).
    "backend.api_version.ApiVersionMiddleware",
    # Every /api/ and workspace answer may hold personal data: no-store.
    "backend.cache_control.NoStoreApiMiddleware",
    "backend.api_errors.ApiErrorMiddleware",  # every /api/ error is JSON in the one shape
    # A lost or busy database is a JSON 503 with Retry-After on every route (docs/adr/0025).
    "backend.database_errors.DatabaseErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A frozen database: stalled requests cut, new ones 503 at once (docs/adr/0036).
    "backend.database_watchdog.DatabaseWatchdogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "backend.api_errors.CommonMiddleware",  # no slash redirects for API writes
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() for the admin
    # The workspace's strict Content-Security-Policy (docs/adr/0027).
    "workspace.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Timeouts on every PostgreSQL connection (docs/adr/0025): no request waits on a slow statement,
# a held lock or a forgotten transaction for longer than these. 0 switches one off. Celery
# workers run longer statements (retention, sweeps): backend.database.use_worker_timeouts
# applies WORKER_DATABASE_STATEMENT_TIMEOUT_SECONDS when a worker starts. A long migration can
# run with DATABASE_STATEMENT_TIMEOUT_SECONDS=0.
DATABASE_STATEMENT_TIMEOUT_SECONDS = env.float("DATABASE_STATEMENT_TIMEOUT_SECONDS", default=15)
DATABASE_LOCK_TIMEOUT_SECONDS = env.float("DATABASE_LOCK_TIMEOUT_SECONDS", default=5)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = env.float(
    "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS", default=30
)
WORKER_DATABASE_STATEMENT_TIMEOUT_SECONDS = env.float(
    "WORKER_DATABASE_STATEMENT_TIMEOUT_SECONDS", default=40
)
# JIT compilation off: the application's statements are short, and a plan over a large table
# can pass jit_above_cost and spend longer compiling than running (docs/adr/0029).
DATABASE_JIT = env.bool("DATABASE_JIT", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = timeout_options(
        statement=DATABASE_STATEMENT_TIMEOUT_SECONDS,
        lock=DATABASE_LOCK_TIMEOUT_SECONDS,
        idle_in_transaction=DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS,
    ) + ("" if DATABASE_JIT else " -c jit=off")
# Client-side timeouts (docs/adr/0036): the server-side ones above need a server that runs.
# libpq gives up a connect after DATABASE_CONNECT_TIMEOUT_SECONDS (2 at least); keepalives and
# tcp_user_timeout notice a host that is gone (unacknowledged data for 15 s ends the
# connection). A server that is frozen still acknowledges everything: for that the watchdog
# (backend/database_watchdog.py) cuts requests stalled DATABASE_STALL_SECONDS when a probe on a
# fresh connection gets no answer within DATABASE_PROBE_TIMEOUT_SECONDS.
DATABASE_CONNECT_TIMEOUT_SECONDS = env.int("DATABASE_CONNECT_TIMEOUT_SECONDS", default=3)
DATABASE_STALL_SECONDS = env.float("DATABASE_STALL_SECONDS", default=1.5)
DATABASE_PROBE_TIMEOUT_SECONDS = env.float("DATABASE_PROBE_TIMEOUT_SECONDS", default=1.0)
DATABASE_PROBE_INTERVAL_SECONDS = env.float("DATABASE_PROBE_INTERVAL_SECONDS", default=1.0)
DATABASE_WATCHDOG_TICK_SECONDS = env.float("DATABASE_WATCHDOG_TICK_SECONDS", default=0.25)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"].update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT_SECONDS,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": 15_000,
        }
    )
# What a 503 for a lost or busy database tells the client to wait (backend/database_errors.py).
DATABASE_RETRY_AFTER_SECONDS = env.int("DATABASE_RETRY_AFTER_SECONDS", default=5)

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "buurtsignaal",
        # Throttle counters live here and fail open (backend/throttling.py): a hung Redis may
        # cost a request this long per cache call, never the request itself.
        "OPTIONS": {
            "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT_SECONDS", default=0.5),
            "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT_SECONDS", default=0.5),
        },
    },
    # Worker heartbeats for /readyz (backend/worker_health.py): short timeouts, so a hung Redis
    # costs a probe or a beat a second at most.
    "health": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "buurtsignaal-health",
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Roles and permissions in one query, left where ModelBackend looks (docs/adr/0029).
    "accounts.backends.RolesAndPermissions",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Our own translations (the workspace, forms, messages), compiled and committed (docs/adr/0027).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# How many reverse proxies in front of us add X-Forwarded-For; 0 means trust none. The one
# source of client addresses is backend.request_context.client_address, which reads this: the access
# log, the throttles (backend.throttling) and the login lockout (AXES_CLIENT_IP_CALLABLE).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The only two ways in (docs/adr/0015): a JWT bound to a live login session, or a Django
    # session with a verified second factor. DRF's password-only SessionAuthentication is not.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.SessionBoundJWTAuthentication",
        "accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "backend.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "backend.exception_handler.handle_exception",
    # JSON only, with depth and size limits; one cursor pagination base (docs/adr/0017).
    "DEFAULT_PARSER_CLASSES": ["backend.parsers.JSONParser"],
    # Rates per scope of backend.throttling.ScopedThrottle, the only throttle class in use:
    # per client address before login, per user after (docs/adr/0018).
    "DEFAULT_THROTTLE_RATES": {
        "login": env.str("LOGIN_THROTTLE_RATE", default="10/min"),
        "refresh": env.str("REFRESH_THROTTLE_RATE", default="30/min"),
        "signal_create": env.str("SIGNAL_CREATE_THROTTLE_RATE", default="30/hour"),
        "device_register": env.str("DEVICE_REGISTER_THROTTLE_RATE", default="30/hour"),
        "export": env.str("EXPORT_THROTTLE_RATE", default="20/hour"),
        "break_glass": env.str("BREAK_GLASS_THROTTLE_RATE", default="10/day"),
    },
    # Only for DRF's own throttles, should one ever be used: no trust in X-Forwarded-For beyond
    # our proxies (DRF's default, None, believes the header as sent).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # JSON only: the browsable API answered errors under /api/ as HTML (docs/adr/0017).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Buurtsignaal API",
    "DESCRIPTION": "Consented signals from contact professions, routed to neighbourhood teams.",
    # The full semantic version, declared once in backend.api_version (docs/api-changelog.md).
    "VERSION": API_VERSION,
    "CONTACT": {"name": "Buurtsignaal, functioneel beheer"},
    # NL API Design Rules (docs/adr/0043): the server carries the major version and the paths
    # are relative to it (`/signals`, `/openapi.json`). Relative, so the document is right on
    # every host that serves it (demo, test, production behind TLS).
    "SERVERS": [{"url": "/api/v1", "description": "This server, version 1 of the API."}],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs pages are public documents, the same for everyone (SERVE_PUBLIC):
    # they read no credentials, so a revoked or MFA-step token gets them like anyone else rather
    # than a refusal in YAML or HTML (docs/adr/0017, amendment).
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One tag per area; backend.schema.TAG_RULES puts each path in one of them.
    "TAGS": [
        {"name": "api", "description": "This API's own OpenAPI document."},
        {"name": "auth", "description": "Log in (password, second factor), tokens, your profile."},
        {"name": "signals", "description": "Submit consented signals and follow their status."},
        {"name": "queue", "description": "The team queue and the work on one signal."},
        {
            "name": "initiatives",
            "description": "The local initiatives catalogue, suggestions and referrals.",
        },
        {
            "name": "devices",
            "description": "App installations that receive push notifications; quiet hours.",
        },
        {
            "name": "outcomes",
            "description": "The loneliness scale as data, and a signal's measurements with it.",
        },
        {
            "name": "stats",
            "description": "Anonymous figures for the network, small cells suppressed; CSV, SVG.",
        },
        {"name": "audit", "description": "Privacy officer: the access log, break-glass openings."},
        {"name": "privacy", "description": "Privacy officer: data-subject rights and registers."},
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "backend.schema.fresh_examples",
        "backend.schema.nl_api_rules",
    ],
    # Unique enum names where another app has a field of the same name (e.g. signal outcome).
    "ENUM_NAME_OVERRIDES": {
        "AccessLogActionEnum": "audit.models.Action",
        "AccessLogOutcomeEnum": "audit.models.AccessOutcome",
        "AccessLogPurposeEnum": "audit.models.Purpose",
        "ReferralStepEnum": "initiatives.models.ReferralStep",
    },
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,  # the login service sends user_logged_in, which updates it
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "ALGORITHM": "HS256",
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "sub",
}

# --- Login lockout (django-axes) ------------------------------------------------------------
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.services.lockout.login_username_from_credentials"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# A page in the browser, the JSON error in the API (docs/adr/0035).
AXES_LOCKOUT_CALLABLE = "workspace.views_login.lockout_response"
# The lockout counts per address as the access log and the throttles see it (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "backend.request_context.client_address"
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user row

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"notifications.tasks.*": {"queue": "notifications"}}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A broker error on a channel, such as Redis at maxmemory refusing an acknowledgement
# (OutOfMemoryError), restarts the worker's consumer instead of ending the worker.
CELERY_BROKER_CHANNEL_ERROR_RETRY = True
# Unacknowledged tasks of a worker that died (SIGKILL, lost container) are handed out again
# after this long; the other workers look every 10 s. No task may run or wait for a countdown
# this long (TASK_RETRY_BACKOFF_MAX_SECONDS); longer waits live in the database.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=45)
TASK_RETRY_BACKOFF_MAX_SECONDS = 30
# Every broker socket gives up after this long, connecting and reading alike: a hung Redis
# (stopped, half-open TCP) cannot hold a web request or a worker (docs/adr/0019).
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT_SECONDS", default=2.0)
# Publishing gives up fast when the broker is down or hung (the request still succeeds and a
# sweeper re-enqueues from the database); the worker's own reconnect policy is separate.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# After a publish gave up, this process leaves publishing to the sweepers for this long, so a
# hung broker costs one request the socket timeout, not every request.
BROKER_PUBLISH_PAUSE_SECONDS = env.float("BROKER_PUBLISH_PAUSE_SECONDS", default=5.0)
# The outbox sweepers' cadence (docs/adr/0006, 0019).
SWEEPER_INTERVAL_SECONDS = env.float("SWEEPER_INTERVAL_SECONDS", default=30)
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-unrouted-signals": {
        "task": "signals.sweep_unrouted_signals",
        "schedule": SWEEPER_INTERVAL_SECONDS,
    },
    "escalate-overdue-signals": {"task": "signals.escalate_overdue_signals", "schedule": 300.0},
    "requeue-pending-notifications": {
        "task": "notifications.tasks.notifications_requeue",
        "schedule": SWEEPER_INTERVAL_SECONDS,
    },
    "prune-unseen-devices": {"task": "notifications.tasks.devices_prune", "schedule": 86400.0},
    "requeue-pending-emails": {
        "task": "notifications.tasks.email_notices_requeue",
        "schedule": SWEEPER_INTERVAL_SECONDS,
    },
    # One-time codes e-mailed to their holders (docs/adr/0034).
    "requeue-unsent-credential-codes": {
        "task": "accounts.tasks.credential_codes_requeue",
        "schedule": SWEEPER_INTERVAL_SECONDS,
    },
    # Idempotent per person, team and day: a beat restart cannot send a digest twice.
    "send-team-digests": {"task": "notifications.tasks.team_digests_send", "schedule": 3600.0},
    "expire-break-glass-grants": {"task": "signals.expire_break_glass_grants", "schedule": 900.0},
    "enforce-retention": {"task": "privacy.tasks.enforce_retention", "schedule": 3600.0},
    # Releases each month's figures once it ended; a released month is never recomputed.
    "release-figures": {"task": "outcomes.release_figures", "schedule": 3600.0},
    "seal-access-log": {
        "task": "audit.seal_access_log",
        "schedule": env.float("ACCESS_LOG_SEAL_INTERVAL_SECONDS", default=10),
    },
}
CELERY_TIMEZONE = TIME_ZONE

# --- Health: readiness and worker heartbeats (docs/adr/0019) --------------------------------
READINESS_TIMEOUT_SECONDS = env.float("READINESS_TIMEOUT_SECONDS", default=2.0)
WORKER_QUEUES = [CELERY_TASK_DEFAULT_QUEUE, "notifications"]
WORKER_HEARTBEAT_SECONDS = 10
# A queue whose last beat is older than this is reported stale (compose's healthcheck agrees).
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=60)
# Touched on every beat when set; the container healthcheck reads its age.
WORKER_HEARTBEAT_FILE = env.str("WORKER_HEARTBEAT_FILE", default="")

# --- Logging: JSON lines with the request id ------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "backend.request_context.RequestIdLogFilter"}},
    "formatters": {
        "json": {"()": "backend.json_logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Buurtsignaal -------------------------------------------------------------------------

# Loaders run in order by `manage.py load_demo_data`. The demo accounts share a published
# password and TOTP secret, so the loader refuses unless the settings variant allows it: only
# backend.settings.demo and backend.settings.test do (a constant, not an environment switch).
DEMO_DATA_LOADERS = [
    "accounts.demo.load",
    "signals.demo.load",
    "initiatives.demo.load",
    "outcomes.demo.load",
]
DEMO_DATA_ALLOWED = False

# Signals: how long an unrouted signal may wait before the sweeper re-enqueues it, and how far
# ahead the next follow-up review of a contacted signal lies.
ROUTING_GRACE_SECONDS = env.int("ROUTING_GRACE_SECONDS", default=60)
FOLLOW_UP_REVIEW_DAYS = env.int("FOLLOW_UP_REVIEW_DAYS", default=14)
# Catalogue entries nobody verified for this many days are flagged to admins (initiatives).
INITIATIVE_VERIFY_AFTER_DAYS = env.int("INITIATIVE_VERIFY_AFTER_DAYS", default=180)
# Outcomes (docs/adr/0030): the follow-up measurement falls due this many months after the
# baseline unless the team names a date; the anonymous figures show no count under the
# threshold (never below 5: the floor is the code's, not the environment's).
OUTCOME_FOLLOW_UP_MONTHS = env.int("OUTCOME_FOLLOW_UP_MONTHS", default=3)
STATS_SUPPRESSION_THRESHOLD = env.int("STATS_SUPPRESSION_THRESHOLD", default=10)
# How long a break-glass opening lets a team member outside the signal's team read it.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=8)

# Push notifications: "console" logs the (PII-free) payload instead of sending; production
# settings require an explicit choice. FCM reads a service-account key file.
PUSH_GATEWAY = env.str("PUSH_GATEWAY", default="console")
FIREBASE_CREDENTIALS_FILE = env.str("FIREBASE_CREDENTIALS_FILE", default="")
PUSH_MAX_ATTEMPTS = env.int("PUSH_MAX_ATTEMPTS", default=5)
DEVICE_PRUNE_DAYS = env.int("DEVICE_PRUNE_DAYS", default=30)
# Active devices per user; registering one more deactivates the least recently seen (one
# signal fans out to at most this many pushes per team member).
DEVICE_MAX_ACTIVE_PER_USER = env.int("DEVICE_MAX_ACTIVE_PER_USER", default=10)
# A pending push untouched this long while due has lost its task (broker down at commit), and
# a push claimed for sending this long ago has lost its worker (the lease): the sweeper
# dispatches either again. Longer than the visibility timeout plus a send, so the broker's own
# redelivery (which takes back its claims at once) comes first.
PUSH_REQUEUE_STALE_SECONDS = env.int("PUSH_REQUEUE_STALE_SECONDS", default=90)

# --- Privacy: access log, second factor, encryption at rest ---------------------------------
# Fernet keys for encrypted fields, comma-separated, newest first. No default: the demo and
# test settings set a fixed non-secret one; `check --deploy` fails without (audit.E001).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
# --- Operations ---------------------------------------------------------------------------
# The bearer token a Prometheus scraper sends to /metrics (docs/adr/0045). Empty: the endpoint
# answers 404. Request counters add up across gunicorn's workers when PROMETHEUS_MULTIPROC_DIR
# (read by prometheus-client from the environment, not here) names a directory.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
ACCESS_LOG_EXPORT_MAX_ROWS = env.int("ACCESS_LOG_EXPORT_MAX_ROWS", default=100_000)
# Access-log rows are sealed (numbered, hash-chained) by a beat task, off the request path
# (docs/adr/0025). The verifier reports a row still unsealed after this long as a failure.
ACCESS_LOG_SEAL_MAX_AGE_SECONDS = env.int("ACCESS_LOG_SEAL_MAX_AGE_SECONDS", default=300)
ACCESS_LOG_SEAL_MAX_ROWS_PER_RUN = env.int("ACCESS_LOG_SEAL_MAX_ROWS_PER_RUN", default=20_000)
# verify_access_log reads the chain in keyset pages of this many rows (bounded memory and no
# temporary file, docs/adr/0047).
ACCESS_LOG_VERIFY_PAGE_SIZE = env.int("ACCESS_LOG_VERIFY_PAGE_SIZE", default=2000)
# Data-subject rights and registers (docs/adr/0013). Periods per end status are the
# RetentionPolicy rows (admin); the hourly beat task erases at most this many signals per run.
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
PRIVACY_CONTROLLER_NAME = env.str("PRIVACY_CONTROLLER_NAME", default="")
PRIVACY_CONTROLLER_CONTACT = env.str("PRIVACY_CONTROLLER_CONTACT", default="")
PRIVACY_DPO_CONTACT = env.str("PRIVACY_DPO_CONTACT", default="")
# The lawful basis of each processing activity: defaults in privacy/lawful_bases.py, a TOML file
# overrides the articles and laws cited per activity (docs/adr/0033; checked: privacy.E001).
PRIVACY_LAWFUL_BASES_FILE = env.str("PRIVACY_LAWFUL_BASES_FILE", default="")
# TOTP for every role beyond submitting signals (docs/adr/0010-second-factor.md).
MFA_EXEMPT_FIELD_WORKERS = env.bool("MFA_EXEMPT_FIELD_WORKERS", default=True)
MFA_TOKEN_MAX_AGE = env.int("MFA_TOKEN_MAX_AGE_SECONDS", default=300)
MFA_ENROLMENT_TOKEN_MAX_AGE = env.int("MFA_ENROLMENT_TOKEN_MAX_AGE_SECONDS", default=900)
# A login session ends this long after login however often it is refreshed (docs/adr/0015).
LOGIN_SESSION_MAX_DAYS = env.int("LOGIN_SESSION_MAX_DAYS", default=30)
# A current login session is cached in Redis this long at most (accounts.session_cache): every
# way a session ends drops it at once; this bounds a change made past the services and the
# models (raw SQL). docs/adr/0047.
AUTH_SESSION_CACHE_SECONDS = env.int("AUTH_SESSION_CACHE_SECONDS", default=300)
# How long the one-time code from an admin's credential reset (or a new account) stays usable
# for setting a password (docs/adr/0016).
CREDENTIAL_RESET_HOURS = env.int("CREDENTIAL_RESET_HOURS", default=72)
OTP_TOTP_ISSUER = "Buurtsignaal"
# Sign-in with an organisation's OpenID Provider (docs/adr/0046; README "Connecting a
# municipality's identity provider"): JSON, provider name -> {"label", "issuer", "client_id",
# "client_secret", "domains": [...], "mfa_acr": [...], "mfa_amr": [...], "app_client_ids": [...]}.
OIDC_PROVIDERS = env.json("OIDC_PROVIDERS", default={})
# Roles (group names, accounts.roles) that may not log in with a local password: they sign in
# with their organisation's provider only.
LOCAL_PASSWORD_DISABLED_ROLES = env.list("LOCAL_PASSWORD_DISABLED_ROLES", default=[])

# --- The team workspace (docs/adr/0027) and e-mail (docs/adr/0028) --------------------------
LOGIN_URL = "/werkruimte/inloggen/"
# A browser session (the workspace's login and the admin's alike) ends this long after login (a
# working day; logging out ends it sooner), however often it is used (docs/adr/0035).
BROWSER_SESSION_HOURS = env.int("BROWSER_SESSION_HOURS", default=10)
# Any other session (none is opened elsewhere) lasts no longer either.
SESSION_COOKIE_AGE = BROWSER_SESSION_HOURS * 3600
# Where e-mails link to: the workspace as the team reaches it.
WORKSPACE_BASE_URL = env.str("WORKSPACE_BASE_URL", default="http://localhost:8000")
# E-mail: EMAIL_URL (django-environ), e.g. smtp+tls://user:password@smtp.example.org:587;
# the console by default for the demo and the tests (it prints the PII-free e-mails).
# Production requires both EMAIL_URL and DEFAULT_FROM_EMAIL (backend/settings/production.py).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Buurtsignaal <noreply@localhost>")
# E-mail delivery (docs/adr/0036). One SMTP connect or exchange gives up after this long (Django
# waits for ever by default), so a hung relay cannot hold a claim past its lease.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT_SECONDS", default=10)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
# A send task stops taking new e-mails after this long and hands the rest to a fresh task: a
# task must end well within the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT), or the
# broker hands it out a second time while it is still sending.
EMAIL_TASK_BUDGET_SECONDS = env.float("EMAIL_TASK_BUDGET_SECONDS", default=20)
# A pending e-mail untouched this long has lost its task (or its send failed and waits for the
# next attempt), and one claimed this long ago has lost its worker (the lease): the sweeper
# dispatches either again. Longer than the visibility timeout plus one send, as for pushes.
EMAIL_REQUEUE_STALE_SECONDS = env.int("EMAIL_REQUEUE_STALE_SECONDS", default=120)
