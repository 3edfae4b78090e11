"""The daily purge of personal data and the worker's heartbeat, run by the django-tasks worker
without a cron job."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import retention


def next_run(now=None):
    """The next PURGE_HOUR o'clock, local time."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=settings.PURGE_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def schedule_purge(now=None):
    """Enqueue tomorrow's purge unless one is already waiting; returns its result or None.

    Needs a backend that can defer (the database backend of production); with the immediate
    backend of development and tests nothing is scheduled: run `purge_personal_data` by hand.
    """
    from django_tasks_db.models import DBTaskResult

    backend = purge_personal_data.get_backend()
    if not backend.supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=purge_personal_data.module_path
    )
    if waiting.exists():
        return None
    return purge_personal_data.using(run_after=next_run(now)).enqueue()


@task()
def purge_personal_data():
    # Schedule the next run first, so that a rule that fails does not end the daily chain.
    schedule_purge()
    counts = {}
    for rule, count, _warned in retention.purge():
        counts[rule.model] = counts.get(rule.model, 0) + count
    return counts


HEARTBEAT_INTERVAL = datetime.timedelta(minutes=1)


def schedule_heartbeat(run_after=None):
    """Enqueue the worker's heartbeat unless one is already waiting; returns its result or None.

    Like `schedule_purge`, only with a backend that can defer: with the immediate backend of
    development and tests there is no worker, and /health/ reports its check as not applicable.
    """
    from django_tasks_db.models import DBTaskResult

    backend = heartbeat.get_backend()
    if not backend.supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=heartbeat.module_path
    )
    if waiting.exists():
        return None
    return heartbeat.using(run_after=run_after).enqueue()


@task()
def heartbeat():
    from .models import WorkerHeartbeat

    now = timezone.now()
    schedule_heartbeat(run_after=now + HEARTBEAT_INTERVAL)
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": now})
