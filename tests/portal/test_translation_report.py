"""The translation status report lists every live bokmål page with its nynorsk twin's state."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nyheiter.models import NewsPage
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/translations/"


def rows(client, **params):
    response = client.get(REPORT, {"export": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames[0] == "Bokmålsside", reader.fieldnames  # the admin speaks bokmål
    return {row["Bokmålsside"]: row["Nynorsk"] for row in reader}


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return client


def test_every_twin_state_is_reported_and_filterable(editor, news_index, nn):
    untranslated = NewsPageFactory(parent=news_index, title="Berre på bokmål")
    changed = NewsPage.objects.get(locale=news_index.locale, slug="lederkurs-var")
    changed.save_revision().publish()  # after its twin was
    twin_offline = NewsPage.objects.get(locale=news_index.locale, slug="realkompetanse-fagbrev")
    twin_offline.get_translation(nn).unpublish()

    found = rows(editor)
    assert found[untranslated.title] == "Ingen nynorskside"
    assert found[changed.title] == "Bokmål endret siden"
    assert found[twin_offline.title] == "Nynorsk ikke publisert"
    assert found["Ny e-læring om klart språk for ansatte"] == "Oppdatert"
    assert list(rows(editor, twin_status="missing")) == [untranslated.title]

    page = editor.get(REPORT, {"twin_status": "out-of-date"})
    assert page.status_code == 200
    assert changed.title in page.text and untranslated.title not in page.text


def test_report_costs_the_same_queries_with_more_pages(editor, news_index):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert editor.get(REPORT).status_code == 200
        return len(context)

    editor.get(REPORT)
    before = count()
    for number in range(10):
        NewsPageFactory(parent=news_index, title=f"Meir nytt {number}")
    editor.get(REPORT)
    assert count() == before


def test_staff_without_the_permission_to_translate_do_not_get_it(client, django_user_model):
    user = django_user_model.objects.create_user("kursansvarleg", "k@example.no", "pw")
    group = Group.objects.create(name="Berre admin")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    client.force_login(user)
    assert client.get(REPORT).status_code == 302
    assert REPORT not in client.get("/admin/").text
