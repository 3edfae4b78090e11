"""/health/: the database, the shared cache and the django-tasks worker, for monitoring.

django-health-check runs the checks; this adds the two the portal needs. No personal data, and
cheap: one SELECT 1, one key written to and read from the cache, one row read.
"""

import dataclasses
import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from health_check import Cache, Database, HealthCheck
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView

from . import shared_cache, tasks
from .models import WorkerHeartbeat


@dataclasses.dataclass
class SharedCache(Cache):
    """django-health-check's cache check, which production's fail-soft cache would answer as an
    empty cache when Redis is down (a miss, not an error): whether Redis answered is asked of
    `shared_cache` after the probe, so the outage is named for what it is."""

    async def run(self):
        failure = None
        try:
            await super().run()
        except HealthCheckException as error:
            failure = error
        if not shared_cache.available():
            raise ServiceUnavailable("Redis does not answer; pages are served uncached")
        if failure:
            raise failure


@dataclasses.dataclass
class Worker(HealthCheck):
    """The worker's last heartbeat (portal.tasks.heartbeat) is at most WORKER_HEARTBEAT_MAX_AGE
    seconds old; not applicable with a backend that cannot defer, which has no worker."""

    applicable: bool = dataclasses.field(default=True, init=False, repr=False)

    async def run(self):
        if not tasks.heartbeat.get_backend().supports_defer:
            self.applicable = False
            return
        # In the request's thread, on its database connection.
        beat_at = await sync_to_async(_last_heartbeat)()
        if beat_at is None:
            raise ServiceUnavailable("No heartbeat from the worker yet")
        age = timezone.now() - beat_at
        if age > datetime.timedelta(seconds=settings.WORKER_HEARTBEAT_MAX_AGE):
            raise ServiceUnavailable(f"Last heartbeat {age.total_seconds():.0f} s ago")

    def pretty_status(self):
        return "OK" if self.applicable else "not applicable"


def _last_heartbeat():
    return WorkerHeartbeat.objects.filter(pk=1).values_list("beat_at", flat=True).first()


class HealthView(HealthCheckView):
    """503 when a check fails (the package answers 500, which reads as a bug of the portal)."""

    checks = (Database, SharedCache, Worker)

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code == 500:
            response.status_code = 503
        return response

    # The package writes "OK" for every check without an error; the worker's can be "not
    # applicable" (its HTML page still says OK).
    def render_to_response_json(self, status):
        return JsonResponse({repr(r.check): _status(r) for r in self.results}, status=status)

    def render_to_response_text(self, status):
        lines = "".join(f"{r.check!r}: {_status(r)}\n" for r in self.results)
        return HttpResponse(lines, content_type="text/plain; charset=utf-8", status=status)


def _status(result):
    return str(result.error) if result.error else result.check.pretty_status()
