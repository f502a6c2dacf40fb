"""Settings for the focused-visit letters portal.

One file, read from the environment. The defaults are safe for a developer's machine:
SQLite in var/, debug off unless DJANGO_DEBUG=1, and only localhost allowed.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The fallback key is for local use only: with DJANGO_DEBUG=0 the portal refuses to
# start without DJANGO_SECRET_KEY (accounts.checks, run by manage.py and config.wsgi).
SECRET_KEY_SET = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-only-focused-visit-letters"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # The public register's full-text search (SearchVectorField, GinIndex) on PostgreSQL.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_fsm",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    # The portal's apps, lowest layer first: imports point up this list, never down
    # (import-linter's contracts in pyproject.toml).
    "govuk",
    "jobs",
    "audit",
    "autosave",
    "accounts",
    "inspections",
    "letters",
]

# Prometheus metrics at /metrics, only when a token is set, and only to its bearer
# (config/metrics.py; gunicorn's multiprocess mode in config/gunicorn.conf.py).
METRICS_TOKEN = os.environ.get("DJANGO_METRICS_TOKEN", "")

MIDDLEWARE = [
    # Each request's id, for its log lines and its response (config/request_id.py).
    "config.request_id.RequestIdMiddleware",
    # The load balancer's /healthz and /readyz, and /metrics, answered here: before the
    # HTTPS redirect and the Host check (probes come over HTTP, by address), and without
    # a session, a cookie or a user (config/health.py).
    "config.health.ProbeMiddleware",
    *(["config.metrics.MetricsMiddleware"] if METRICS_TOKEN else []),
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, and the request's session offers the user's version token read with it
    # (accounts.sessions).
    "accounts.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Drops a form's kept text once it is saved, and keeps the text of a form posted
    # after the session ended, for the next sign-in: it must see the redirect that
    # SessionLifetimeMiddleware answers an ended session with (autosave.middleware).
    "autosave.middleware.AutosaveMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # request.user as the user itself, not lazy: every page needs it (accounts.middleware).
    "accounts.middleware.ResolvedUserMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Templates from templates/ and each app's templates/. In production each is read and
# compiled once a process (the cached loader, named here rather than left to Django's
# default); with DJANGO_DEBUG=1, read afresh on every render, so an edit shows at once.
TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "letters.navigation.navigation",
            ],
            "loaders": (
                TEMPLATE_LOADERS
                if DEBUG
                else [("django.template.loaders.cached.Loader", TEMPLATE_LOADERS)]
            ),
        },
    },
]

# SQLite when DATABASE_URL is unset, so a newcomer needs no server;
# PostgreSQL (the database that counts) when it points there.
# portal.sqlite3, not db.sqlite3: the migrations began again when the apps were split
# (accounts, audit, inspections, letters), and a database made before would not migrate.
DEFAULT_SQLITE = BASE_DIR / "var" / "portal.sqlite3"
if "DATABASE_URL" not in os.environ:
    # SQLite makes its file but not its folder, which a fresh checkout lacks.
    DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DEFAULT_SQLITE}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: readers do not wait for a writer, and a commit costs no fsync
    # of the whole database. IMMEDIATE takes the write lock at the start of a
    # transaction, so two writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# The visit list's query runs as a prepared statement on PostgreSQL, planned once a
# connection (letters.selectors). 0 behind a pooler that shares one database session
# among several clients (PgBouncer in transaction mode), where it would be lost.
DB_PREPARED_STATEMENTS = os.environ.get("DJANGO_DB_PREPARED_STATEMENTS", "1") != "0"
# Django's backends, but for flush, which must pass the triggers that keep the audit log
# and published versions unchanged (audit/backends, audit/immutability.py).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "audit.backends.postgresql",
    "django.db.backends.sqlite3": "audit.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds what every app server must share: the sign-in throttle's counts
# (accounts.throttle), the audit's collapsing of refused requests (audit.services) and,
# with Redis, the sessions. REDIS_URL (e.g. redis://redis.internal:6379/0) makes it Redis,
# one for every worker and server; without it each process keeps its own in memory, which
# is right for a developer's one process and for the tests, and wrong for several workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # Keeps the portal's keys apart from others' on a shared Redis.
        "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "letters"),
    }
}
if REDIS_URL:
    CACHES["default"] |= {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that stops answering fails a request in seconds, not a worker's timeout.
        "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
    }
# The signed-in user (with roles, Inspector record, authority) is kept in the cache for
# this long, and used only while their version token in the database is unchanged: any
# change to them counts from the next request (accounts.user_cache). 0: read every time.
USER_CACHE_SECONDS = int(os.environ.get("DJANGO_USER_CACHE_SECONDS", "600"))

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Passwords: at least 12 characters, not a common one, no composition rules (above).
# Sign-in: at most 10 failures per account in 5 minutes, then the account is locked
# for 5 minutes (django-axes), whoever makes the attempts.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = [
    # axes.W006 asks for lock-out by IP address as well. The policy is per account:
    # inspectors and authorities sign in from offices behind shared addresses, where
    # an IP-wide lock-out after 10 mistakes would shut out everyone in the building,
    # and counting by account cannot be dodged by changing user agent or cookies.
    "axes.W006",
]
AXES_RESET_ON_SUCCESS = True
# And per address: at most this many failed sign-ins an hour from one address, then
# its sign-ins are refused unchecked until the hour is out (accounts.throttle). Far above
# what an office sharing one address makes by mistyping.
SIGN_IN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "100"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Sessions end after 30 minutes idle and 12 hours in all
# (accounts.middleware.SessionLifetimeMiddleware keeps both limits, to the minute). The
# idle clock moves on, and the session is written again, at most once every
# SESSION_REFRESH_SECONDS, not on every request. With Redis the sessions live in the
# cache with the database behind them; without it, in the database alone: a cache in
# each process's memory would keep a signed-out session alive in the other workers.
# The stores are Django's, on a table that keeps the user's id beside the session, so the
# session and the user's version token are read in one query (accounts.sessions).
SESSION_ENGINE = "accounts.sessions.cached_db" if REDIS_URL else "accounts.sessions.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
# A signed-in page warns this long before the session would end idle, and offers to
# stay signed in (static/portal/timeout.js).
SESSION_WARNING_SECONDS = int(os.environ.get("SESSION_WARNING_SECONDS", "120"))
# The most a form's kept, unsaved text may hold (autosave): above the longest a letter
# form takes (a pasted section of 250,000 characters).
AUTOSAVE_MAX_BYTES = int(os.environ.get("AUTOSAVE_MAX_BYTES", str(1_000_000)))
# Time-based one-time passwords for QA managers and administrators (django-otp).
OTP_TOTP_ISSUER = "Ofsted focused-visit letters"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "letters:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# A web address without a scheme in a footnote ("www.gov.uk/ofsted") links over HTTPS,
# Django's default from 2028 on.
URLIZE_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Stored files (published PDFs, imported originals, office logos) live in MEDIA_ROOT on
# this machine, unless DJANGO_S3_BUCKET names an S3 bucket that every app server shares.
# Its objects are private: the portal reads them through the storage API and sends them
# from its own views (which check access, audit, and verify the SHA-256), and any URL to
# the bucket is signed and expires (querystring_auth).
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            # An S3-compatible server's address; AWS's own when unset.
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            # "path" for servers that do not answer at bucket.host; boto3 chooses if unset.
            "addressing_style": os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,
            # Files go under this prefix, for a bucket shared with something else.
            "location": os.environ.get("DJANGO_S3_PREFIX", "").strip("/"),
            # No ACL on upload: objects are private, as the bucket is (and a bucket with
            # ACLs disabled, AWS's default, would refuse any other).
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    # Without keys, boto3 finds its own: the environment, a profile, the instance's role.
    if os.environ.get("DJANGO_S3_ACCESS_KEY_ID"):
        STORAGES["default"]["OPTIONS"] |= {
            "access_key": os.environ["DJANGO_S3_ACCESS_KEY_ID"],
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY", ""),
        }
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Served over HTTPS unless this is a developer's machine (DJANGO_DEBUG=1) or
# DJANGO_HTTPS=0 says otherwise. With it, `manage.py check --deploy` has nothing to say.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("DJANGO_BEHIND_PROXY"):
    # The TLS-terminating proxy says how the request reached it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Mail goes by SMTP when DJANGO_EMAIL_HOST names a server, to the console otherwise (a
# developer's machine); DJANGO_EMAIL_BACKEND names another backend. With DJANGO_DEBUG=0
# the portal refuses to start with a console or other development backend.
EMAIL_BACKEND_PATH = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("DJANGO_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "letters@localhost")
# The portal's own address, which the links in its e-mails start with
# (letters.notifications), e.g. https://letters.example.gov.uk. A developer's machine has
# the development server's; with DJANGO_DEBUG=0 the portal refuses to start without it
# (accounts.checks).
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL") or ("http://127.0.0.1:8000" if DEBUG else "")

# Refused requests are audited, but a repeat (same user, same page) within this many
# seconds is not written again, and one user's refusals are written at most this many a
# minute: nobody can flood the append-only log (audit.services.record_refusal).
AUDIT_REFUSAL_REPEAT_SECONDS = int(os.environ.get("AUDIT_REFUSAL_REPEAT_SECONDS", "600"))
AUDIT_REFUSALS_PER_MINUTE = int(os.environ.get("AUDIT_REFUSALS_PER_MINUTE", "30"))

# A PDF larger than this is not imported: no published letter comes near it.
IMPORT_MAX_PDF_BYTES = int(os.environ.get("IMPORT_MAX_PDF_BYTES", str(20 * 1024 * 1024)))
# A Word document uploaded into a visit's letter: larger than this is refused before it
# is read, and so is one whose parts unpack to more than the second figure (a zip bomb).
IMPORT_MAX_DOCX_BYTES = int(os.environ.get("IMPORT_MAX_DOCX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_DOCX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_DOCX_UNPACKED_BYTES", str(50 * 1024 * 1024))
)

# Background work (printing for publication and large drafts, e-mail) runs on Django's
# tasks framework, stored in the database (django-tasks-db): `manage.py run_worker` runs
# it (`make run` starts one beside the web server). DJANGO_TASKS_BACKEND=immediate runs
# each task at once in the process that asks (no worker; for tests and one-off scripts).
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("DJANGO_TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A failed task whose failure may pass runs again after this many seconds, doubled each
# time, up to this many runs in all; a running task whose worker has not beaten for this
# long is taken to be lost with its worker and queued again (jobs.services).
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "3"))
TASK_RETRY_SECONDS = int(os.environ.get("TASK_RETRY_SECONDS", "10"))
TASK_HEARTBEAT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_SECONDS", "5"))
TASK_WORKER_LOST_SECONDS = float(os.environ.get("TASK_WORKER_LOST_SECONDS", "30"))
# A draft with more characters than this prints on the worker, not while the page waits.
DRAFT_PDF_BACKGROUND_CHARACTERS = int(os.environ.get("DRAFT_PDF_BACKGROUND_CHARACTERS", "40000"))

# The letter's journey after approval, in working days (inspections.calendar): the local
# authority's window for factual-accuracy comments, and the target for publication after
# the last day on site (letters.factual_accuracy, letters.publication.schedule).
FACTUAL_ACCURACY_WORKING_DAYS = int(os.environ.get("FACTUAL_ACCURACY_WORKING_DAYS", "5"))
PUBLICATION_TARGET_WORKING_DAYS = int(os.environ.get("PUBLICATION_TARGET_WORKING_DAYS", "21"))
# The targets before that (letters.deadlines): the letter submitted for quality assurance
# this many working days after the last day on site, and the QA decision this many after
# submission; a deadline with this many working days left or fewer is "due soon".
LETTER_DRAFT_WORKING_DAYS = int(os.environ.get("LETTER_DRAFT_WORKING_DAYS", "10"))
QA_DECISION_WORKING_DAYS = int(os.environ.get("QA_DECISION_WORKING_DAYS", "5"))
DEADLINE_DUE_SOON_WORKING_DAYS = int(os.environ.get("DEADLINE_DUE_SOON_WORKING_DAYS", "2"))
# The deadline columns of lists count with the publication pauses as each process read
# them at most this many seconds ago (inspections.calendar.working_days_for_lists); a
# pause saved in a process counts there at once. 0: read them for every list. A letter's
# own timeline, the calendar feeds, reminders and publication always read them afresh.
LIST_CALENDAR_SECONDS = int(os.environ.get("DJANGO_LIST_CALENDAR_SECONDS", "60"))
# The priority-action follow-up (letters.follow_up): the authority's early draft and its
# action plan are due these many working days after the Department for Education is told;
# a plan larger than ACTION_PLAN_MAX_BYTES is refused; send_reminders e-mails this many
# working days before each due date (and on the day, if nothing has come).
ACTION_PLAN_EARLY_DRAFT_WORKING_DAYS = int(
    os.environ.get("ACTION_PLAN_EARLY_DRAFT_WORKING_DAYS", "20")
)
ACTION_PLAN_WORKING_DAYS = int(os.environ.get("ACTION_PLAN_WORKING_DAYS", "70"))
ACTION_PLAN_MAX_BYTES = int(os.environ.get("ACTION_PLAN_MAX_BYTES", str(10 * 1024 * 1024)))
REMINDER_WORKING_DAYS_BEFORE = int(os.environ.get("REMINDER_WORKING_DAYS_BEFORE", "5"))

# Every PDF prints in a child process, stopped with an error when it takes longer than
# this or needs this much more memory (letters.rendering.pdf). A real letter takes about a
# second and 100 MB; only a letter built to tie up the server comes near either.
LETTER_RENDER_TIMEOUT_SECONDS = int(os.environ.get("LETTER_RENDER_TIMEOUT_SECONDS", "60"))
LETTER_RENDER_MEMORY_MB = int(os.environ.get("LETTER_RENDER_MEMORY_MB", "768"))

# One JSON object a line (python-json-logger) for the log collector, unless
# DJANGO_LOG_FORMAT=text, which a developer's machine (DJANGO_DEBUG=1) has by default. Each
# line carries the request's id (config/request_id.py; "-" outside a request).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT") or ("text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, in UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own lines go to the root's handler alone (its default console handler
        # would print each of them a second time, unformatted, under DEBUG).
        "django": {"handlers": [], "level": "INFO"},
        # WeasyPrint reports every CSS property it ignores; only problems matter here.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # django-axes reports every sign-in at INFO; the audit log already records them.
        "axes": {"level": "WARNING"},
    },
}
