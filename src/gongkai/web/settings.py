"""Django settings: an embedded default (SQLite and files in one data directory) that needs no setup,
and production through environment variables (`DATABASE_URL`, `CELERY_BROKER_URL`, `GONGKAI_SECRET_KEY`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR") or Path.home() / ".local" / "share" / "gongkai").expanduser()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _owner_only(path: Path, mode: int) -> None:
    """The database (with its sessions), the secret key and the stored originals are for this account alone."""
    try:
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(mode)
    except OSError:  # not ours to change (a shared folder): the deployment decides
        pass


_owner_only(DATA_DIR, 0o700)


def _secret_key() -> str:
    # Generated once per data directory so sessions survive restarts without anyone choosing a key.
    given = os.environ.get("GONGKAI_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("GONGKAI_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files instead of a CDN
    "gongkai.web.center",
    "gongkai.web.ledger",  # 依申请公开台账
    "gongkai.web.authoring",  # 年报编写与报送
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from any WSGI server, no web server needed
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongkai.web.center.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.web.center.middleware.PrivateSiteMiddleware",
    "gongkai.web.center.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.web.center.middleware.ContentSecurityPolicyMiddleware",
    "gongkai.web.center.middleware.JobRecoveryMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

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
                "gongkai.web.center.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    for _suffix in ("", "-wal", "-shm", "-journal"):  # SQLite gives new journals the database's own mode
        _owner_only(Path(f"{DATABASES['default']['NAME']}{_suffix}"), 0o600)
    # Several requests and the in-process worker write to one file. IMMEDIATE takes the write lock when a
    # transaction starts, so a second writer waits (up to `timeout`) instead of failing at once with "database
    # is locked" when it tries to upgrade a read lock; WAL lets pages be read while a report is written.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE", init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The covering index on cells (path, report) INCLUDE (value) is for PostgreSQL; SQLite keeps the key columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "center:login"
LOGIN_REDIRECT_URL = "center:home"
LOGOUT_REDIRECT_URL = "center:home"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# GONGKAI_STATIC_ROOT: collected static files outside the (owner-only) data directory, e.g. for nginx to serve.
STATIC_ROOT = Path(os.environ.get("GONGKAI_STATIC_ROOT") or DATA_DIR / "static").expanduser()
# WhiteNoise looks there too (after a collectstatic). A folder this account may not create (a worker's, say) is
# left to the web server's account; WhiteNoise warns if it is still missing.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # site.css and the vendored htmx / ECharts
# Served straight from the package (no collectstatic step for the embedded default); STATIC_ROOT is used
# as well when a deployment runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "media/"  # never served directly: originals are shown only as escaped text
FILE_UPLOAD_PERMISSIONS = 0o600  # stored originals and staged uploads: owner only
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Where originals and staged uploads are kept: `local` (MEDIA_ROOT, the embedded default), `database` or `s3`.
# Celery workers on other machines need `database` or `s3` (see gongkai.web.center.storage and docs/deploy.md).
GONGKAI_STORAGE = (os.environ.get("GONGKAI_STORAGE") or "local").strip().lower()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if GONGKAI_STORAGE == "database":
    STORAGES["default"] = {"BACKEND": "gongkai.web.center.storage.DatabaseStorage"}
elif GONGKAI_STORAGE == "s3":
    if not os.environ.get("GONGKAI_S3_BUCKET"):
        raise ImproperlyConfigured("GONGKAI_STORAGE=s3 需要设置 GONGKAI_S3_BUCKET（GONGKAI_S3_BUCKET is required）")
    _endpoint = os.environ.get("GONGKAI_S3_ENDPOINT_URL") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",  # django-storages: pip install 'gongkai[s3]'
        "OPTIONS": {
            "bucket_name": os.environ["GONGKAI_S3_BUCKET"],
            "endpoint_url": _endpoint,
            # Unset keys: boto3's own chain (AWS_ACCESS_KEY_ID…, ~/.aws, an instance role).
            "access_key": os.environ.get("GONGKAI_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("GONGKAI_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("GONGKAI_S3_REGION") or None,
            "location": os.environ.get("GONGKAI_S3_PREFIX", ""),
            # MinIO, Ceph and most self-hosted stores want path-style addresses (bucket in the path, not the host).
            "addressing_style": os.environ.get("GONGKAI_S3_ADDRESSING_STYLE") or ("path" if _endpoint else None),
            "signature_version": "s3v4",
            "file_overwrite": False,  # as on disk: a second file of the same name gets a name of its own
            "default_acl": None,  # the bucket's own policy (private): originals are never linked to directly
            "querystring_auth": True,
        },
    }
elif GONGKAI_STORAGE != "local":
    raise ImproperlyConfigured(
        f"GONGKAI_STORAGE 只能是 local、database 或 s3，而不是 {GONGKAI_STORAGE!r}"
        f"（GONGKAI_STORAGE must be local, database or s3, not {GONGKAI_STORAGE!r}）"
    )

# Uploads: Django's own limits guard memory; GONGKAI_MAX_UPLOAD_MB is the per-file refusal threshold.
GONGKAI_MAX_UPLOAD_BYTES = int(float(os.environ.get("GONGKAI_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
GONGKAI_MAX_ZIP_FILES = int(os.environ.get("GONGKAI_MAX_ZIP_FILES", "500"))
GONGKAI_MAX_ZIP_BYTES = int(float(os.environ.get("GONGKAI_MAX_ZIP_MB", "200")) * 1024 * 1024)
# All files of one upload together: they are read into memory to be staged (the web server should refuse
# larger bodies before Django sees them, e.g. nginx client_max_body_size).
GONGKAI_MAX_REQUEST_BYTES = int(float(os.environ.get("GONGKAI_MAX_REQUEST_MB", "200")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# Reading without an account (the embedded default); writing always needs an editor or admin account.
GONGKAI_PUBLIC_READ = _flag("GONGKAI_PUBLIC_READ", True)
# Ingest jobs: inline in the request (tests), else a Celery worker (with a broker) or a background thread.
GONGKAI_JOBS_INLINE = _flag("GONGKAI_JOBS_INLINE")

# Login throttling: this many failures per username or address locks logins for the window.
GONGKAI_LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
GONGKAI_LOGIN_WINDOW_SECONDS = int(os.environ.get("GONGKAI_LOGIN_WINDOW_SECONDS", "900"))
# Per client address, much higher than per account: an office behind one NAT address shares this counter.
GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS", "100"))
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed: the throttle counts the client behind.
GONGKAI_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in GONGKAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"GONGKAI_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("GONGKAI_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["GONGKAI_CACHE_URL"],
    }

# Celery: with a broker, jobs go to workers; without one (the embedded default) they run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# One queue name per deployment: two sites (or two test runs) sharing a Redis server never take each other's jobs.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GONGKAI_CELERY_QUEUE", "gongkai")
# A job's message is acknowledged only once the job has run, and given back when the worker process dies; one
# message at a time per worker process. What survives any process dying is the job's lease in the database:
# a holder renews it while it runs, and once it has run out (GONGKAI_JOB_LEASE_SECONDS) the job is queued again
# by whichever process sweeps first (workers and web processes, every GONGKAI_JOB_SWEEP_SECONDS).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
GONGKAI_JOB_LEASE_SECONDS = int(os.environ.get("GONGKAI_JOB_LEASE_SECONDS", "60"))
GONGKAI_JOB_SWEEP_SECONDS = int(os.environ.get("GONGKAI_JOB_SWEEP_SECONDS", "30"))
# Exports of a set: up to GONGKAI_EXPORT_BACKGROUND_OVER reports are written while the request waits; more run as
# an export job (a file in the storage, kept GONGKAI_EXPORT_KEEP_DAYS days); over GONGKAI_EXPORT_MAX_REPORTS the
# export is refused and the user narrows the filter.
GONGKAI_EXPORT_BACKGROUND_OVER = int(os.environ.get("GONGKAI_EXPORT_BACKGROUND_OVER", "200"))
GONGKAI_EXPORT_MAX_REPORTS = int(os.environ.get("GONGKAI_EXPORT_MAX_REPORTS", "5000"))
GONGKAI_EXPORT_KEEP_DAYS = float(os.environ.get("GONGKAI_EXPORT_KEEP_DAYS", "7"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "gongkai.web.center.views.errors.csrf_failure"
SESSION_COOKIE_SECURE = _flag("GONGKAI_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if SESSION_COOKIE_SECURE:
    # An HTTPS deployment: browsers keep to HTTPS for a year, and the TLS-terminating proxy (nginx, Caddy) says
    # the request came over HTTPS in X-Forwarded-Proto. The proxy must set that header, overwriting the client's.
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTML pages load scripts, styles and images from this site only (all front-end files are served here, no CDN);
# style attributes stay allowed (templates and Swagger UI use them), inline scripts and eval do not.
GONGKAI_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "gongkai.web.logs.StderrHandler"}},
    "loggers": {
        "gongkai": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
        # Server errors (the 500 page says they are recorded): Django only mails them to ADMINS by default.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
