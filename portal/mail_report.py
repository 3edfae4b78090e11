"""The staff's report of email that did not go: tasks trying again after an outage of the mail
server and those that failed for good (portal.mail), newest first.

It shows no personal data, so that nobody learns another centre's citizens or another provider's
participants from it: the task, the ids it was given, the attempts and the error with every
address taken out, never the traceback. Only superusers and groups given the permission to view
task results see it.
"""

from django.conf import settings
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .mail import DEFERRED, NOT_SENT, error_of

PERMISSION = f"{DBTaskResult._meta.app_label}.view_{DBTaskResult._meta.model_name}"


def _failed(result):
    return result.status == TaskResultStatus.FAILED


def _local(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _attempts(result):
    attempts = len(result.worker_ids)
    limit = max(len(settings.EMAIL_RETRY_DELAYS) + 1, attempts)
    return _("%(attempts)d of %(limit)d") % {"attempts": attempts, "limit": limit}


class UnsentEmailReport(ReportView):
    page_title = _("Unsent email")
    header_icon = "mail"
    index_url_name = "unsent_email"
    index_results_url_name = "unsent_email_results"
    model = DBTaskResult
    permission_policy = ModelPermissionPolicy(DBTaskResult)
    permission_required = "view"
    no_results_message = _("No email is waiting for another attempt, and none has failed.")
    columns = [
        Column(
            "state",
            label=_("Status"),
            accessor=lambda r: _("Failed") if _failed(r) else _("Trying again"),
        ),
        Column("task", label=_("Email task"), accessor=lambda r: r.task_path.rpartition(".")[2]),
        Column(
            "ids",
            label=_("Ids"),
            accessor=lambda r: ", ".join(str(arg) for arg in r.args_kwargs["args"]),
        ),
        Column("attempts", label=_("Attempts"), accessor=_attempts),
        Column("last_attempt", label=_("Last attempt"), accessor=lambda r: _local(r.started_at)),
        Column(
            "next_attempt",
            label=_("Next attempt"),
            accessor=lambda r: "" if _failed(r) else _local(r.run_after),
        ),
        Column("error", label=_("Error"), accessor=lambda r: error_of(r.traceback)),
    ]

    def get_queryset(self):
        # A retry that succeeds clears the error, so what is left has not been sent.
        return (
            DBTaskResult.objects.filter(exception_class_path__in=(DEFERRED, NOT_SENT))
            .exclude(status=TaskResultStatus.SUCCESSFUL)
            .order_by("-started_at", "-enqueued_at")
        )


def urls():
    return [
        path("reports/unsent-email/", UnsentEmailReport.as_view(), name="unsent_email"),
        path(
            "reports/unsent-email/results/",
            UnsentEmailReport.as_view(results_only=True),
            name="unsent_email_results",
        ),
    ]
