"""Email tasks that outlast an outage of the mail server.

django-tasks has no retries: a task that raises stays failed. A task made with `email_task`
turns whatever stopped its email into one of two exceptions: `EmailDeferred` when the mail
server could not be reached, hung up, timed out or answered "not now" (any OSError, which
smtplib's errors, ConnectionError and socket timeouts all are), `EmailNotSent` when trying
again cannot help (every recipient refused with a 5xx reply, or a fault in the task itself).
When an attempt ends deferred in the database backend's worker, the same task result goes back
to READY with `run_after` at the next of EMAIL_RETRY_DELAYS (minutes); after the last it stays
FAILED. So each email is one task result, and its attempts are django-tasks' own count (one
worker id per run), which the staff's report reads (portal.mail_report). The immediate backend
of development cannot wait: there the failure is logged and the task ends failed, untried again.

A retry runs the same task with the same arguments (ids only), so a task sends one email, or
claims what it sends first (katalog.courses.tasks._claim): one that sent to some and failed on
the next would send the first ones the same email again. An email the server took just before
the connection broke cannot be told from one it did not take; that one may arrive twice.

The exception's message, which the report shows, is the cause's class and the server's reply
with every address taken out; the traceback (kept TASK_RESULT_RETENTION_DAYS, portal.retention)
may name the recipient and is shown nowhere.
"""

import datetime
import functools
import logging
import re
import smtplib

from django.conf import settings
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.signals import task_finished
from django_tasks.utils import get_module_path

logger = logging.getLogger(__name__)

ADDRESS = re.compile(r"[^\s<>()\[\]{}'\",;:]+@[^\s<>()\[\]{}'\",;:]+")


class EmailNotSent(Exception):
    """The email did not go, and trying again would not help."""


class EmailDeferred(EmailNotSent):
    """The email did not go this time; the worker tries again after the next delay."""


NOT_SENT = get_module_path(EmailNotSent)
DEFERRED = get_module_path(EmailDeferred)


def _reply(text):
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def describe(exc):
    """The cause's class and what the mail server said, without an address. A fault in the task
    is named by its class only: its message could hold anything."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_reply(text)}" for code, text in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_reply(exc.smtp_error)}"
    elif isinstance(exc, OSError):
        detail = str(exc)
    else:
        detail = ""
    detail = " ".join(ADDRESS.sub("…", detail).split())[:300]
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def refused_for_good(exc):
    """Every recipient refused with a permanent (5xx) reply: the address will not start to work."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _text in exc.recipients.values()
    )


def email_task(function):
    """A django-tasks task, like `@task()`, whose email is tried again after an outage."""

    @functools.wraps(function)
    def send(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OSError as exc:
            error = EmailNotSent if refused_for_good(exc) else EmailDeferred
            raise error(describe(exc)) from exc
        except Exception as exc:
            raise EmailNotSent(describe(exc)) from exc

    return task()(send)


def error_of(traceback):
    """The message of an EmailNotSent from the traceback django-tasks stored: its last line."""
    return traceback.strip().rpartition("\n")[2].partition(": ")[2]


@receiver(task_finished)
def try_again_later(sender, task_result, **kwargs):
    """Queue a deferred email's task result again, for after the next delay (module doc)."""
    if task_result.status != TaskResultStatus.FAILED or not sender.supports_defer:
        return
    if task_result.errors[-1].exception_class_path != DEFERRED:
        return
    from django_tasks_db.models import DBTaskResult

    attempts, delays = task_result.attempts, settings.EMAIL_RETRY_DELAYS
    if attempts > len(delays):
        logger.warning(
            "Email task %s %s failed for good after %d attempts",
            task_result.task.name,
            task_result.id,
            attempts,
        )
        return
    run_after = timezone.now() + datetime.timedelta(minutes=delays[attempts - 1])
    try:
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=run_after, finished_at=None
        )
    except DatabaseError:
        # The worker sends this signal while it handles the task's failure: raising here would
        # stop the worker. The email then stays failed, and shows as such.
        logger.exception("Email task %s could not be queued again", task_result.id)
        return
    logger.warning(
        "Email task %s %s not sent (attempt %d of %d); next attempt at %s",
        task_result.task.name,
        task_result.id,
        attempts,
        len(delays) + 1,
        run_after.isoformat(),
    )
