import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "kompetanseportalen.example.no",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_TIMEOUT": "10",
    "WAGTAILADMIN_BASE_URL": "https://kompetanseportalen.example.no",
}


# The browser tests allow Django's ORM inside Playwright's event loop; production must not.
NOT_INHERITED = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXY_COUNT"}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("proxies", [{}, {"TRUSTED_PROXY_COUNT": "1"}])
def test_production_settings_pass_check_deploy(proxies):
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, **proxies)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_TIMEOUT", "WAGTAILADMIN_BASE_URL"]
)
def test_production_refuses_to_start_without_a_required_variable(name):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the {name} environment variable" in result.stderr


def test_production_uses_redis_cache_and_database_tasks():
    code = (
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND']);print(s.TASKS['default']['BACKEND'])"
    )
    result = manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout
    assert "django_tasks_db.DatabaseBackend" in result.stdout


def production_setting(expression, **env):
    code = f"from django.conf import settings as s; print(repr({expression}))"
    result = manage("shell", "-c", code, **{**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "header"),
    [
        ({}, "None"),
        ({"TRUSTED_PROXY_COUNT": "0"}, "None"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ],
)
def test_production_trusts_the_forwarded_scheme_only_from_a_declared_proxy(env, header):
    assert production_setting("s.SECURE_PROXY_SSL_HEADER", **env) == header


def test_production_reads_the_email_timeout_and_the_admin_base_url():
    setting = "(s.EMAIL_TIMEOUT, s.WAGTAILADMIN_BASE_URL)"
    assert production_setting(setting, EMAIL_TIMEOUT="7") == (
        "(7, 'https://kompetanseportalen.example.no')"
    )


@pytest.mark.parametrize(("env", "timeout"), [({}, "0.25"), ({"REDIS_TIMEOUT": "0.5"}, "0.5")])
def test_production_cache_fails_soft_within_the_redis_timeout(env, timeout):
    setting = "(s.CACHES['default']['BACKEND'], s.CACHES['default']['OPTIONS'])"
    assert production_setting(setting, **env) == (
        "('portal.shared_cache.FailSoftRedisCache', "
        f"{{'socket_connect_timeout': {timeout}, 'socket_timeout': {timeout}}})"
    )
