"""Production: secrets and hosts have no defaults, so a misconfigured server refuses to start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


def required(name):
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(",")
required("DATABASE_URL")
# Every worker must share one cache: the rate limit counts in it, and the cached content
# (switcher, menu, footer, taxonomies, course list) is replaced there when an editor publishes.
required("REDIS_URL")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_TIMEOUT = int(required("EMAIL_TIMEOUT"))
# The links in the admin's email (password reset, notifications) must name the real site.
WAGTAILADMIN_BASE_URL = required("WAGTAILADMIN_BASE_URL")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Only a declared proxy's word on the scheme counts: without one, anyone could send the header.
if TRUSTED_PROXY_COUNT > 0:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
