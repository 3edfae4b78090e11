"""Pages scheduled to go live (or to expire) are published by the worker by itself, a minute
apart, without a cron job (portal.tasks.publish_scheduled_pages)."""

import datetime

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from nyheiter.models import NewsPage
from portal import tasks
from tests.factories import NewsPageFactory
from tests.portal.test_retention import DATABASE_TASKS

pytestmark = pytest.mark.django_db


def test_a_scheduled_article_goes_live_and_an_expired_one_goes_offline(client, news_index):
    article = NewsPageFactory(parent=news_index, title="Planlagd nyheit", live=False)
    revision = article.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(1))
    revision.publish()  # in the past already, as when its time has come since
    expiring = NewsPage.objects.live().filter(locale=news_index.locale).first()
    NewsPage.objects.filter(pk=expiring.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    future = NewsPageFactory(parent=news_index, title="Seinare nyheit", live=False)
    future.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(days=1))

    tasks.publish_scheduled_pages.call()

    assert NewsPage.objects.get(pk=article.pk).live
    assert not NewsPage.objects.get(pk=expiring.pk).live
    assert not NewsPage.objects.get(pk=future.pk).live
    assert "Planlagd nyheit" in client.get(news_index.url).text


def test_publishing_chains_itself_a_minute_later_from_migrate():
    with override_settings(TASKS=DATABASE_TASKS):
        emit_post_migrate_signal(0, False, "default")  # as every deploy's migrate does
        path = "portal.tasks.publish_scheduled_pages"
        (started,) = DBTaskResult.objects.filter(task_path=path)
        assert tasks.schedule_publishing() is None  # one is waiting: no second

        DBTaskResult.objects.filter(pk=started.pk).update(status="RUNNING")
        tasks.publish_scheduled_pages.call()
        (following,) = DBTaskResult.objects.filter(task_path=path, status="READY")
        assert following.run_after > timezone.now() + datetime.timedelta(seconds=50)


def test_nothing_is_scheduled_where_tasks_run_at_once():
    assert tasks.schedule_publishing() is None
    assert not DBTaskResult.objects.exists()
