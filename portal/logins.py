"""Staff logins: the password length rule, and django-axes as the portal runs it, keeping failed
logins only as long as the lockout needs them.

INSTALLED_APPS names `AxesConfig` rather than "axes", so the retention rules of axes' tables are
registered with the app itself (axes is no project app with a `retention` module of its own).
"""

import datetime

from axes.apps import AppConfig
from django.contrib.auth import password_validation
from django.utils.translation import ngettext

from portal.retention import RetentionRule, register

# Axes' logs of successful and of every failed login are off (settings); should anyone turn
# them on, the purge keeps them this long, as axes' own `axes_reset_logs` does by default.
LOG_RETENTION_DAYS = 30


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, refusing in the portal's catalogues: Django 5.2 changed the refusal's msgid, and
    its own nb and nn catalogues still translate only the old one."""

    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )


def _delete(queryset, now):
    return queryset.delete()[0]


def register_retention_rules():
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    def attempts_past_the_cool_off(now):
        # Axes itself deletes them only when somebody next logs in.
        return AccessAttempt.objects.filter(attempt_time__lt=now - get_cool_off())

    def old(model):
        return lambda now: model.objects.filter(
            attempt_time__lt=now - datetime.timedelta(days=LOG_RETENTION_DAYS)
        )

    register(
        RetentionRule(
            model="axes.AccessAttempt",
            description="failed logins past the cool-off (AXES_COOLOFF_TIME)",
            due=attempts_past_the_cool_off,
            anonymise=_delete,
            action="deleted",
        )
    )
    for model in (AccessLog, AccessFailureLog):
        register(
            RetentionRule(
                model=model._meta.label,
                description=f"login logs (turned off), after {LOG_RETENTION_DAYS} days",
                due=old(model),
                anonymise=_delete,
                action="deleted",
            )
        )


class AxesConfig(AppConfig):
    def ready(self):
        super().ready()
        register_retention_rules()
