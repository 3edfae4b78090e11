"""Settings shared by every environment; values that differ come from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "katalog.places",
    "katalog.courses",
    "katalog.guidance",
    "nyheiter",
    "handbook",
    "elearning",
    "sitesearch",
    "forum",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
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
    "django_tasks",
    "django_tasks_db",
    "health_check",
    # django-axes, with the portal's retention rules for its tables (portal.logins).
    "portal.logins.AxesConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The project's form renderer finds Django's widget templates through the app loader.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: a kept page is served without reading one (portal.page_cache).
    "portal.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.CachedRoutingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it answers a locked-out login with the lockout page (portal.views.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL selects PostgreSQL (production) or anything else.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The catalogue's covering index INCLUDEs columns only PostgreSQL keeps; SQLite builds the
    # same index on its key columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # Every transaction takes the write lock when it begins, so two enrolments cannot both read
    # the seat count before either writes (overbooking), nor fail upgrading a read lock
    # ("database is locked"); a writer waits up to 20 s for the one before it.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds to connect to Redis and to wait for an answer: a hung Redis then costs one request a
# fraction of a second, after which pages are served without the cache (portal.shared_cache).
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.25"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.shared_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Anonymous public pages are served whole from the cache for up to this many seconds (0: never),
# and purged by any change an editor saves (portal.page_cache).
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "300"))
# A caching proxy or CDN in front, which Wagtail sends an HTTP PURGE for every page published.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
WAGTAILFRONTENDCACHE = (
    {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    }
    if FRONTEND_CACHE_URL
    else {}
)
# Each page's own URL only: Wagtail would otherwise swap /nb/ for /nn/ in the path, but the
# nynorsk twin has slugs of its own and is purged when it is published.
WAGTAILFRONTENDCACHE_LANGUAGES = []

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "portal.logins.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff logins (README: Staff logins). django-axes counts failed logins on the Wagtail login and
# on password-protected pages (portal.views.authenticate_with_password) per username (or page)
# together with the client's address, so nobody can lock a staff member out from another
# network; the address is the one behind TRUSTED_PROXY_COUNT proxies, an IPv6 client's /64.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_TIME", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.clients.lockout_address"
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Each attempt while locked out starts the cool-off again, so the lockout page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# Keep only what the lockout needs: no log of successful logins or of every failure, and no
# user agent or address in the log lines (the failed attempts themselves are deleted after the
# cool-off, portal.logins).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# A working day: a session ends after 8 hours without a request, since every request renews it.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Internationalisation: two written standards of Norwegian, for the interface and the content.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
# The admin's only time zone: go-live and expiry times are typed and shown in Oslo time, and no
# editor's account can choose another (README: Editors and workflow).
WAGTAIL_USER_TIME_ZONES = ["Europe/Oslo"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", NODE_MODULES / "@digdir/designsystemet-css/dist/src"),
    ("vendor/designsystemet-theme", NODE_MODULES / "@digdir/designsystemet-theme/brand"),
    ("vendor/inter", NODE_MODULES / "@fontsource-variable/inter"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

WAGTAIL_SITE_NAME = "Kompetanseportalen"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Norwegian stemming: "kursene" finds "kurs", "lederne" finds "leder".
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "norwegian"
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Seconds the catalogue waits for Elasticsearch before it answers from the database instead.
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2"))
# The module whose `search()` answers the catalogue (katalog/courses/search/).
CATALOGUE_SEARCH_BACKEND = "katalog.courses.search." + (
    "elastic" if ELASTICSEARCH_URL else "database"
)
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Non-text fields (dates, numbers, page links) stay the same in nb and nn; text is translated.
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
# The localize editor's "Translate with Apertium" (portal/apertium.py): Debian's apertium and
# apertium-nno-nob on this server. Without them the button is not offered (can_translate is
# False) and `manage.py check` says how to install them. PAIRS: language pair to Apertium mode
# (nob-nno_e writes the e-infinitive, as the glossary does).
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
    "CLASS": "portal.apertium.ApertiumTranslator",
    "OPTIONS": {"PAIRS": {"nb:nn": "nob-nno_e", "nn:nb": "nno-nob"}, "COMMAND": "apertium"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# Seconds before a hanging mail server gives up, so a task or request never waits for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Kompetanseportalen <ikkje-svar@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Minutes to wait before each new attempt at an email the mail server did not take; after the
# last, the email is shown as failed (portal.mail). Empty: no retries.
EMAIL_RETRY_DELAYS = [int(minutes) for minutes in env_list("EMAIL_RETRY_DELAYS", "1,5,30,120")]

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Public pages run without inline script or style; Wagtail's admin needs more and is left out.
CONTENT_SECURITY_POLICY = {
    # /health/'s status page (django-health-check's template) has an inline style.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/health/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Abuse limits and retention of the guidance door (katalog.guidance).
# Behind N reverse proxies that each append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N; with 0
# the header is ignored, since anyone can send it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# (posts, seconds): guidance requests one client address (an IPv6 client's /64) may send.
GUIDANCE_REQUEST_RATE_LIMIT = (int(os.environ.get("GUIDANCE_REQUEST_RATE_LIMIT", "5")), 3600)
# Receipts (posts, seconds) to one email address, and receipts per hour in all: the form must not
# become a way to send the network's mail to anyone.
GUIDANCE_RECEIPT_LIMIT_PER_ADDRESS = (
    int(os.environ.get("GUIDANCE_RECEIPT_LIMIT_PER_ADDRESS", "3")),
    86400,
)
GUIDANCE_RECEIPT_LIMIT_PER_HOUR = int(os.environ.get("GUIDANCE_RECEIPT_LIMIT_PER_HOUR", "200"))
# The newsletter (nyheiter): subscriptions (posts, seconds) per client address, confirmation
# emails (posts, seconds) per address and per hour in all; days an unconfirmed address and its
# link are kept; days an unsubscribed address is kept before it is anonymised; how far back the
# first digest reaches.
NEWSLETTER_SUBSCRIBE_RATE_LIMIT = (
    int(os.environ.get("NEWSLETTER_SUBSCRIBE_RATE_LIMIT", "5")),
    3600,
)
NEWSLETTER_CONFIRMATION_LIMIT_PER_ADDRESS = (
    int(os.environ.get("NEWSLETTER_CONFIRMATION_LIMIT_PER_ADDRESS", "3")),
    86400,
)
NEWSLETTER_CONFIRMATION_LIMIT_PER_HOUR = int(
    os.environ.get("NEWSLETTER_CONFIRMATION_LIMIT_PER_HOUR", "200")
)
NEWSLETTER_PENDING_DAYS = int(os.environ.get("NEWSLETTER_PENDING_DAYS", "3"))
NEWSLETTER_UNSUBSCRIBED_DAYS = int(os.environ.get("NEWSLETTER_UNSUBSCRIBED_DAYS", "0"))
NEWSLETTER_FIRST_DIGEST_DAYS = int(os.environ.get("NEWSLETTER_FIRST_DIGEST_DAYS", "30"))
# Closed guidance requests are anonymised this many days after they were closed; requests nobody
# closed, this many days after their last status change, with the centre's staff warned the
# given number of days before.
GUIDANCE_REQUEST_RETENTION_DAYS = int(os.environ.get("GUIDANCE_REQUEST_RETENTION_DAYS", "90"))
GUIDANCE_REQUEST_OPEN_DAYS = int(os.environ.get("GUIDANCE_REQUEST_OPEN_DAYS", "180"))
GUIDANCE_REQUEST_EXPIRY_WARNING_DAYS = int(
    os.environ.get("GUIDANCE_REQUEST_EXPIRY_WARNING_DAYS", "14")
)

# Participants are anonymised this many months after their session ended (portal.retention).
ENROLMENT_RETENTION_MONTHS = int(os.environ.get("ENROLMENT_RETENTION_MONTHS", "12"))
# Enrolment posts (and requests to resend a link) one client (IPv6: its /64) may make an hour.
ENROLMENT_RATE_LIMIT = (int(os.environ.get("ENROLMENT_RATE_LIMIT", "10")), 3600)
# How long (milliseconds) an enrolment waits on PostgreSQL for another one's lock on the session
# before the visitor is asked to try again.
ENROLMENT_LOCK_TIMEOUT_MS = int(os.environ.get("ENROLMENT_LOCK_TIMEOUT_MS", "3000"))
# How long a free seat is held for a request awaiting the line manager's approval (never past
# the session's start); the days before the start the reminder is sent; the hours after the end
# the evaluation request is sent to those who attended.
ENROLMENT_APPROVAL_HOLD_DAYS = int(os.environ.get("ENROLMENT_APPROVAL_HOLD_DAYS", "5"))
ENROLMENT_REMINDER_DAYS = int(os.environ.get("ENROLMENT_REMINDER_DAYS", "3"))
ENROLMENT_EVALUATION_DELAY_HOURS = int(os.environ.get("ENROLMENT_EVALUATION_DELAY_HOURS", "24"))

# Retention of the framework's own stores (portal.retention) and the hour of the daily purge.
TASK_RESULT_RETENTION_DAYS = int(os.environ.get("TASK_RESULT_RETENTION_DAYS", "7"))
PURGE_HOUR = int(os.environ.get("PURGE_HOUR", "3"))
# /health/ reports the worker failing when its last heartbeat (every minute) is older than this
# many seconds (portal.health).
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("WORKER_HEARTBEAT_MAX_AGE", "300"))
