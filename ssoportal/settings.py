"""Settings for SSO Portal, read from the environment (12-factor) with django-environ.

Safe by default: ``DEBUG`` is off and every production hardening switch on unless
``DJANGO_DEBUG=true`` (``make run`` and the tests set it), and ``DJANGO_SECRET_KEY`` has no
default outside debugging. With no database or broker configured the portal runs on an
embedded default: a SQLite file and Celery tasks executed eagerly in-process.
``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch to PostgreSQL and Redis.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    # Development only (DJANGO_DEBUG=true): a fixed, public key so a fresh checkout runs at once.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only-key")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value kept secret (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`). For development on your own machine, "
            "set DJANGO_DEBUG=true instead, as `make run` does (in .env: see .env.development.example)."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin, its models registered by the URLconf rather than at every start-up.
    "core.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "health_check",
    # Beat's last run times in the database (ADR 9); the schedule itself is ssoportal/schedule.py.
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "access",
    "mfa",
    # Below the domain apps: it imports none of them, they record and send their e-mails through it.
    "notifications",
    "schools",
    "officers",
    "safeguarding",
    "reminders",
    "priorities",
    "searches",
    # Beside safeguarding, above schools: each school's child safeguarding statement.
    "statements",
    # Above safeguarding, officers and schools: the SSO's workspace builds on them.
    "workspace",
    # Beside the workspace: transfers of the child protection file, police attendance, challenge.
    "casework",
    "api",
    # After safeguarding: its demo data links the demo DSL and SSO logins that invitations' demo builds on.
    "invitations",
    # On top, beside api and reminders: it reads and erases the records of several domain apps.
    "retention",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the headers below: they stay cacheable.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the middleware below, so that every response from them or a view gets these headers.
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor, if any, verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Every page but those in MFA_EXEMPT_URL_NAMES waits for the second factor (mfa/).
    "mfa.middleware.MFARequiredMiddleware",
    "access.middleware.PortalRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it locks out repeated failed log-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ssoportal.urls"
WSGI_APPLICATION = "ssoportal.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# A kept connection is checked before its first use in each request or task, so the first request
# after a database restart or a dropped connection reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "safeguarding:dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: sign-in lock-out after repeated failures within the cool-off period, per username
# and address (AXES_FAILURE_LIMIT), and per address across every username (AXES_ADDRESS_FAILURE_LIMIT,
# counted by access.lockout's handler), so that trying one password on many usernames is slowed too.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "access.lockout.AddressLimitDatabaseHandler"
# A successful sign-in clears that username's failures from that address, never the address's others.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "access.lockout.client_address"

# Multi-factor authentication (django-otp, mfa/): after the password, every person enters a code
# from an authenticator app (TOTP) or a single-use recovery code before any other page. These
# pages need no second factor: the public home page, signing in and out, and the MFA steps
# themselves; nor does the council API, which takes bearer tokens only and never reads a session.
MFA_EXEMPT_URL_NAMES = ["home", "login", "logout", "admin:login", "admin:logout", "mfa:setup", "mfa:verify"]
MFA_EXEMPT_PATH_PREFIXES = ["/api/", "/static/"]
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env.str("MFA_ISSUER", default="SSO Portal")
# Each wrong code doubles the wait before the next try (factor x 1, 2, 4, 8 ... seconds), for
# authenticator codes and recovery codes separately: ten wrong codes in a row lock for 8.5 minutes.
OTP_TOTP_THROTTLE_FACTOR = env.int("MFA_THROTTLE_FACTOR", default=1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
# Nobody reads a person's authenticator key or recovery codes back, not even an administrator.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after a period of inactivity (the expiry is renewed on every request).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Concern attachments: never under MEDIA_ROOT, served only by access-checked views.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
# Only read by the file-based backend (e.g. the worker integration test captures mail there).
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
# A mail server that stops answering fails the attempt (which is retried) instead of hanging it.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="SSO Portal <no-reply@ssoportal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis: a task not acknowledged within visibility_timeout seconds (its worker died) is
# delivered again; workers sweep for such tasks every restore interval x throttle seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # A stopped or frozen broker fails a publish within seconds instead of holding a web request
    # (the change is saved first; its e-mail waits in the outbox for the sweep).
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0),
}
# Connecting to the broker (kombu's own wait, beside the socket timeouts above).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=2.0)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Periodic tasks are declared in one place: ssoportal/schedule.py.
from ssoportal.schedule import BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# Beat keeps when each job last ran in the database, not in a file inside its container: a beat
# restarted after being down runs, once, each job whose time passed meanwhile (ADR 9).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The daily reminder dispatch catches up every day since its last complete run, up to this many
# days back (reminders/services.py).
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=14)

# The outbox (notifications/): a row still pending this long after it was recorded or last tried
# is sent by the sweep (its task was never queued, or was lost); a row left "sending" this long
# (much longer than EMAIL_TIMEOUT) had a sender that stopped, and is sent again, same Message-ID.
NOTIFICATIONS_PENDING_GRACE_SECONDS = env.int("NOTIFICATIONS_PENDING_GRACE_SECONDS", default=60)
NOTIFICATIONS_SENDING_STALE_SECONDS = env.int("NOTIFICATIONS_SENDING_STALE_SECONDS", default=300)

# How long an invitation's link works (invitations/).
INVITATION_LIFETIME_DAYS = env.int("INVITATION_LIFETIME_DAYS", default=7)
# A youth service relationship with no contact logged for this many months is reminded about.
YOUTH_SERVICE_CONTACT_MONTHS = env.int("YOUTH_SERVICE_CONTACT_MONTHS", default=3)

# Absolute address of the portal, for links in e-mails sent by Celery tasks.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Cache (API throttling, ETags): local memory by default, Redis in production via CACHE_URL.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
# Requests per council API client (all its tokens together), e.g. "6000/hour".
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="6000/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "SSO Portal API",
    "DESCRIPTION": "Read API for council systems.",
    "VERSION": "1.2.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The council contract's shared responses, headers and required fields (api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.council_contract_hook",
    ],
    # Choice sets sharing a field name get stable enum names in the API schema.
    "ENUM_NAME_OVERRIDES": {
        "PostingRoleEnum": "officers.models.PostingRole",
        "DSLRoleEnum": "schools.models.DSLRole",
        "ChangeTypeEnum": "api.models.ChangeKind",
    },
}

# Production hardening: on whenever DEBUG is off, each switch overridable from the env.
BEHIND_TLS_PROXY = env.bool("DJANGO_BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# Proxies in front that each append the address they saw to X-Forwarded-For: the sign-in
# lock-out counts failures by the address the outermost of them saw (access.lockout.client_address).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Container and load-balancer health checks call /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): everything from the portal's own address, no inline script
# or style, no plugins, never framed. A map tile server (MAP_TILE_URL) is added to img-src only.
# The school maps' base tiles: a URL template such as "https://tile.example.org/{z}/{x}/{y}.png"
# and the attribution its provider asks for. Unset (the default), the maps show their markers on a
# plain background and need no network.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")


def _tile_origin(url: str) -> list[str]:
    """The tile server's origin for img-src ("{s}" subdomains as a wildcard), or nothing."""
    if not url:
        return []
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The one inline style of django-simple-history's version list (its paginator's
        # "border-top: 0"), allowed by its hash alone.
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": [SELF, *_tile_origin(MAP_TILE_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Permissions-Policy (django-permissions-policy): no page may use these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# /health/ (core.health): django-health-check checks, each by dotted path. The answer says only
# "ok" or "unavailable"; failures are logged, and `manage.py health_check health --no-http` shows them.
HEALTH_CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "core.health.CeleryBroker",
    "safeguarding.health.AttachmentStorage",
    "safeguarding.health.AttachmentDiskSpace",
]
# The attachments' file system must keep this much free (safeguarding.health.AttachmentDiskSpace).
HEALTH_MIN_FREE_MB = env.int("HEALTH_MIN_FREE_MB", default=200)

# Web processes, and the Celery worker and beat (ssoportal/celery.py applies it there too): one
# plain line per record on standard error, at DJANGO_LOG_LEVEL.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every log-in at INFO; warnings (lockouts) are what matter.
    "loggers": {"axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")}},
}
