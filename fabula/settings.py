"""Fabula's one settings file.

Everything an operator may change comes from environment variables (documented in the README);
everything else is decided here. SQLite in WAL mode is the embedded default; set
DATABASE_URL=postgres://... for a big site.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from fabula.lib.csp import style_hashes
from fabula.lib.storage import storages_setting

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("FABULA_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Commands, tests and the development server may run on a key from the source tree; the WSGI
# and ASGI entry points (production servers) refuse to start on it (see fabula/wsgi.py).
INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "fabula.conf",
    "fabula.audit",
    "fabula.jobs",
    "fabula.accounts",
    "fabula.notifications",
    "fabula.taxonomy",
    "fabula.stories",
    "fabula.community",
    "fabula.collections",
    "fabula.news",
    "fabula.moderation",
    "fabula.search",
    "fabula.importers",
    "fabula.formats",
    "fabula.api",
    "fabula.legacy",
    "ninja",  # its own copy of Swagger UI for /api/v1/docs (no CDN)
]

MIDDLEWARE = [
    "fabula.legacy.middleware.AbsoluteFormRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # An ETag on every page, and 304 for a browser or proxy that already holds it: outermost
    # but for the above, so that it hashes the page as sent.
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "fabula.lib.querystrings.NulFreeQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a member's own language comes before the browser's.
    "fabula.lib.languages.LanguageMiddleware",
    "fabula.lib.limits.RateLimitMiddleware",
    # After authentication (members are never counted), before any page is built.
    "fabula.lib.scraper_gate.ScraperGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After sessions and messages, before any view reads the form (CSRF's check does).
    "fabula.conf.limits.RequestSizeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fabula.conf.errors.MethodNotAllowedPage",
]
# A refused form gets a page of the site that says what to do (fabula/conf/errors.py).
CSRF_FAILURE_VIEW = "fabula.conf.errors.csrf_failure"

ROOT_URLCONF = "fabula.urls"
WSGI_APPLICATION = "fabula.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fabula.conf.context_processors.site",
                "fabula.community.context_processors.alerts",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default: the SQLite file lives in the data folder, made on first use.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'fabula.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE makes a writing transaction take
    # the write lock up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FABULA_TEST_SQLITE", "")}
# PostgreSQL read replicas (streaming copies of the primary): reads that may be a moment old go
# there, writes and a writer's next reads to the primary (fabula/lib/replicas.py).
REPLICA_URLS = [u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",")]
for _number, _url in enumerate(filter(None, REPLICA_URLS), start=1):
    DATABASES[f"replica{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "TEST": {"MIRROR": "default"},  # tests see one database
    }
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["fabula.lib.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "fabula.lib.replicas.ReplicaMiddleware",
    )
# How long a browser that wrote reads only from the primary: longer than replicas lag.
REPLICA_PIN_SECONDS = int(os.environ.get("FABULA_REPLICA_PIN_SECONDS", "10"))
# Behind PgBouncer in transaction mode a connection's session is not the same from one
# transaction to the next: no server-side cursors, no prepared statements.
if env_bool("FABULA_PGBOUNCER", False):
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True
            _database.setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's own backend with failed log-ins slowed down (docs/decisions.md, "Log-in defence").
AUTHENTICATION_BACKENDS = ["fabula.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "fabula.accounts.hashers.OwaspArgon2PasswordHasher",  # argon2id, m=19 MiB, t=2, p=1
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Imported eFiction members' MD5 hashes: upgraded to argon2 at their first login.
    "fabula.accounts.hashers.EfictionMD5PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

REDIS_URL = os.environ.get("REDIS_URL", "")
# "default" holds guest pages and other things worth keeping a while: Redis shared by every
# worker, or each worker's own memory bounded in bytes (FABULA_CACHE_MB). "limits" holds the
# rate limiter's counters (lib/ratelimit.py) apart from the pages, so no flood of pages can push
# a login counter out (docs/decisions.md).
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "fabula.lib.resilient_redis.ResilientRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "fabula.lib.boundedcache.BoundedMemoryCache",
            "OPTIONS": {
                "MAX_BYTES": int(os.environ.get("FABULA_CACHE_MB", "24")) * 2**20,
                "MAX_ENTRIES": 1_000_000,  # the bytes are the bound
            },
        }
    ),
    # On PostgreSQL the counts are rows of the database cache, shared by every worker and node.
    # On SQLite (one machine) a count written on every search and form would queue behind the
    # site's own writes for SQLite's one write lock, so each worker counts in memory of its own,
    # apart from the pages all the same (docs/decisions.md).
    "limits": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "fabula_limits",
            "TIMEOUT": 24 * 3600,
            # Past this many rows the expired counts are deleted, and only if that is not enough
            # a tenth of the others (a flood of 100,000 addresses within the hour).
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
        }
        if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fabula-limits",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
        }
    ),
}
# Multiplies every rate limit of lib/limits.py (a load test, or readers behind few addresses).
FABULA_LIMITS_SCALE = float(os.environ.get("FABULA_LIMITS_SCALE", "1"))
# How many proxies of the site's own stand between readers and the web nodes (a balancer, a
# proxy cache), each adding to X-Forwarded-For: 0 trusts no such header (lib/ratelimit.py).
PROXY_COUNT = int(os.environ.get("FABULA_PROXY_COUNT", "0") or 0)
# How long an anonymous reader's page may be served from the cache of another worker after
# the story changed. The worker that made the change forgets its copy at once.
PAGE_CACHE_SECONDS = int(os.environ.get("FABULA_PAGE_CACHE_SECONDS", "60"))
# Background jobs (emails, ...) run on Django's task framework (django-tasks): "inline" runs them
# in the request's process after the commit; "queue" keeps them for `fabula worker`, which also
# releases and announces scheduled chapters: in Redis (RQ, django-tasks-rq) when REDIS_URL is
# set, else in the database. With RQ the database queue stays too, as "database": a job goes
# there while Redis is away, and the worker runs both (fabula/jobs/runner.py).
TASK_BACKENDS = {
    "inline": "django_tasks.backends.immediate.ImmediateBackend",
    "queue": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
FABULA_JOBS = os.environ.get("FABULA_JOBS", "inline")
if FABULA_JOBS not in ("inline", "queue"):
    raise ImproperlyConfigured(f"FABULA_JOBS is 'inline' or 'queue', not {FABULA_JOBS!r}.")
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": TASK_BACKENDS[FABULA_JOBS]}}
if FABULA_JOBS == "queue" and REDIS_URL:
    TASKS = {
        "default": {"BACKEND": TASK_BACKENDS["rq"], "QUEUES": ["default"]},
        "database": {"BACKEND": TASK_BACKENDS["queue"]},
    }
    INSTALLED_APPS.append("django_rq")
    # Fail fast, as the cache does: an enqueue waits at most a quarter second for a lost Redis.
    _fast = "socket_timeout=0.25&socket_connect_timeout=0.25"
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL + ("&" if "?" in REDIS_URL else "?") + _fast},
    }
# Read counts are gathered in memory and written in one statement this often.
READ_FLUSH_SECONDS = float(os.environ.get("FABULA_READ_FLUSH_SECONDS", "10"))

SESSION_ENGINE = (
    "django.contrib.sessions.backends.signed_cookies"
    if env_bool("FABULA_COOKIE_SESSIONS", False)
    else "django.contrib.sessions.backends.cached_db"
)
# HTTPS=1 says the site is served over HTTPS, by a proxy that sets X-Forwarded-Proto (and
# strips a client's own): cookies go over HTTPS only and browsers are told to use nothing else
# (HSTS). Each can be set on its own too (README, Configuration).
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# The scraper gate (fabula/lib/scrapers.py): how many pages a minute a guest may fetch before the
# proof-of-work challenge (0: no budget), and how hard the first challenge is (zero bits).
SCRAPER_PAGES_PER_MINUTE = int(os.environ.get("FABULA_SCRAPER_PAGES_PER_MINUTE", "120"))
SCRAPER_DIFFICULTY = int(os.environ.get("FABULA_SCRAPER_DIFFICULTY", "14"))

# Content-Security-Policy (django-csp): everything from the site itself. No inline script runs
# anywhere; images come only from the site, so a remote image in a story is never fetched and
# no reader's address reaches a third party (docs/decisions.md); the fixed <style> blocks of
# a few templates are allowed by hash (fabula/lib/csp.py). Browsers report violations to
# /csp-report/, which logs them.
CSP_REPORT_URL = "/csp-report/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF],
        "style-src": [
            SELF,
            *style_hashes(
                [
                    *(PACKAGE_DIR / "templates").rglob("*.html"),
                    Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html",
                ]
            ),
        ],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": CSP_REPORT_URL,
    }
}

LANGUAGE_CODE = "en"
# The interface's languages (a story's own language is Story.language, apart from these). A
# browser's Accept-Language chooses among them, then the footer's switcher (a cookie for a guest)
# or a member's preference (fabula/lib/languages.py). Adding one: README, "Languages".
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The stylesheet and scripts live in fabula/static/, and `fabula` itself is not an app: name it.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("FABULA_MEDIA_DIR", DATA_DIR / "media"))
# Uploads and built downloads: on this machine's disk, or in one object store shared by every
# web node (FABULA_STORAGE_URL=s3://bucket/prefix?endpoint_url=…; see fabula/lib/storage.py).
STORAGES = storages_setting(DATA_DIR, os.environ.get("FABULA_STORAGE_URL", ""))
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fabula@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
