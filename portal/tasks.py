"""The daily purge of personal data, the worker's heartbeat and Wagtail's scheduled publishing,
run by the django-tasks worker without a cron job."""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from . import retention


def next_run(now=None):
    """The next PURGE_HOUR o'clock, local time."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=settings.PURGE_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def _schedule_once(periodic, run_after):
    """Enqueue the periodic task unless a run of it is already waiting; its result or None.

    Needs a backend that can defer (the database backend of production); with the immediate
    backend of development and tests nothing is scheduled.
    """
    from django_tasks_db.models import DBTaskResult

    if not periodic.get_backend().supports_defer:
        return None
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=periodic.module_path
    )
    if waiting.exists():
        return None
    return periodic.using(run_after=run_after).enqueue()


def schedule_purge(now=None):
    """Tomorrow's purge (by hand with the immediate backend: `purge_personal_data`)."""
    return _schedule_once(purge_personal_data, next_run(now))


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
    """The worker's next heartbeat; without a worker (the immediate backend) /health/ reports
    its check as not applicable."""
    return _schedule_once(heartbeat, run_after)


@task()
def heartbeat():
    from .models import WorkerHeartbeat

    now = timezone.now()
    schedule_heartbeat(run_after=now + HEARTBEAT_INTERVAL)
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": now})


PUBLISH_INTERVAL = datetime.timedelta(minutes=1)


def schedule_publishing(run_after=None):
    """The next run of Wagtail's `publish_scheduled`, which Wagtail leaves to a cron job; with
    the immediate backend nothing is scheduled (run the command by hand)."""
    return _schedule_once(publish_scheduled_pages, run_after)


@task()
def publish_scheduled_pages():
    """Publish the revisions whose go-live time has come and unpublish the pages that expired."""
    schedule_publishing(run_after=timezone.now() + PUBLISH_INTERVAL)
    call_command("publish_scheduled", stdout=io.StringIO())
