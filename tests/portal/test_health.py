"""/health/ reports the database, the shared cache and the worker's heartbeat (portal.health)."""

import datetime
import time

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import tasks
from portal.models import WorkerHeartbeat
from tests.portal.test_fail_soft import STOPPED, hanging_redis  # noqa: F401 (a fixture)
from tests.portal.test_retention import DATABASE_TASKS

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
DATABASE = "Database(alias='default')"
CACHE = "SharedCache(alias='default')"
WORKER = "Worker()"


def test_all_healthy_answers_200_in_json(client):
    response = client.get("/health/", **JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # With the immediate backend of development and tests there is no worker to check.
    assert response.json() == {DATABASE: "OK", CACHE: "OK", WORKER: "not applicable"}
    assert "no-cache" in response["Cache-Control"]


def test_format_json_and_the_html_page_need_no_language_prefix(client):
    assert client.get("/health/?format=json").json()[DATABASE] == "OK"
    response = client.get("/health/")
    assert response.status_code == 200
    assert "Database" in response.text


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_check_fails_with_a_stale_heartbeat_and_passes_after_the_heartbeat(client):
    WorkerHeartbeat.objects.create(beat_at=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/health/", **JSON)
    assert response.status_code == 503
    assert response.json()[WORKER].startswith("Unavailable: Last heartbeat 60")
    assert response.json()[DATABASE] == "OK"

    tasks.heartbeat.call()
    response = client.get("/health/", **JSON)
    assert response.status_code == 200
    assert response.json()[WORKER] == "OK"


@override_settings(TASKS=DATABASE_TASKS, WORKER_HEARTBEAT_MAX_AGE=60)
def test_the_worker_check_fails_without_any_heartbeat_and_follows_the_setting(client):
    assert client.get("/health/", **JSON).json()[WORKER] == (
        "Unavailable: No heartbeat from the worker yet"
    )
    WorkerHeartbeat.objects.create(beat_at=timezone.now() - datetime.timedelta(seconds=90))
    assert client.get("/health/", **JSON).status_code == 503


def test_the_heartbeat_chains_itself_a_minute_later_from_migrate():
    with override_settings(TASKS=DATABASE_TASKS):
        emit_post_migrate_signal(0, False, "default")  # as every deploy's migrate does
        (started,) = DBTaskResult.objects.filter(task_path="portal.tasks.heartbeat")
        assert tasks.schedule_heartbeat() is None  # one is waiting: no second

        DBTaskResult.objects.filter(pk=started.pk).update(status="RUNNING")
        tasks.heartbeat.call()
        (following,) = DBTaskResult.objects.filter(task_path=started.task_path, status="READY")
        now = timezone.now()
        assert following.run_after > now + datetime.timedelta(seconds=50)
        assert WorkerHeartbeat.objects.get().beat_at > now - datetime.timedelta(seconds=5)


def test_no_heartbeat_is_scheduled_where_tasks_run_at_once():
    assert tasks.schedule_heartbeat() is None
    tasks.heartbeat.call()
    assert not DBTaskResult.objects.exists()


@override_settings(CACHES=STOPPED)
def test_with_redis_stopped_the_endpoint_answers_503_with_the_cache_failing(client):
    started = time.monotonic()
    for _ in range(2):  # the second within the fail-soft pause, when Redis is not even tried
        response = client.get("/health/", **JSON)
        assert response.status_code == 503
        assert response.json() == {
            DATABASE: "OK",
            CACHE: "Unavailable: Redis does not answer; pages are served uncached",
            WORKER: "not applicable",
        }
    assert time.monotonic() - started < 3


@pytest.mark.usefixtures("hanging_redis")
def test_with_redis_hanging_the_endpoint_answers_503_within_the_timeout(client):
    started = time.monotonic()
    response = client.get("/health/", **JSON)
    assert response.status_code == 503
    assert response.json()[CACHE].startswith("Unavailable: Redis does not answer")
    assert time.monotonic() - started < 3
