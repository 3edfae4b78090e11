"""The Elasticsearch path: generated index and request bodies always; a live server when set."""

import logging
import os
import re

import elasticsearch
import pytest
from django.test import override_settings
from django.utils import timezone
from elasticsearch_dsl.response import Response
from wagtail.models import PageViewRestriction

from katalog.courses import services, views
from katalog.courses.apps import connect_search_index
from katalog.courses.models import CourseIndexPage, CoursePage, CourseSession, Enrolment
from katalog.courses.search import database, elastic, search_sessions
from katalog.courses.search.common import Filters

pytestmark = pytest.mark.django_db


def clauses(body):
    return list(body["bool"]["filter"])


def test_index_uses_norwegian_analyzer_and_keywords_for_facets():
    mapping = elastic.SessionDocument._index.to_dict()
    properties = mapping["mappings"]["properties"]
    assert properties["text"] == {"type": "text", "analyzer": "norwegian"}
    for name in ("municipality", "category", "audience", "mode", "locale", "status"):
        assert properties[name] == {"type": "keyword"}
    assert properties["start"] == {"type": "date"}
    assert mapping["settings"] == {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "max_result_window": elastic.MAX_RESULT_WINDOW,
    }


def test_request_counts_each_facet_without_its_own_filter():
    now = timezone.now()
    filters = Filters(q="rettleiing", municipality="4601", category="helse", available=True)
    body = elastic.build_search(filters, "nn", now, 40, 20).to_dict()

    assert body["query"]["bool"]["must"] == [
        {"match": {"text": {"query": "rettleiing", "operator": "and"}}}
    ]
    assert {"term": {"locale": "nn"}} in body["query"]["bool"]["filter"]
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    post = clauses(body["post_filter"])
    assert {"term": {"municipality": "4601"}} in post and {"term": {"category": "helse"}} in post

    municipality = clauses(body["aggs"]["municipality"]["filter"])
    assert {"term": {"municipality": "4601"}} not in municipality
    assert {"term": {"category": "helse"}} in municipality
    assert body["aggs"]["municipality"]["aggs"]["options"]["terms"] == {
        "field": "municipality",
        "size": 500,
    }
    category = clauses(body["aggs"]["category"]["filter"])
    assert {"term": {"category": "helse"}} not in category
    assert {"term": {"municipality": "4601"}} in category
    # "available" counts free sessions under the other filters, once.
    assert len(clauses(body["aggs"]["available"]["filter"])) == 3


def test_request_without_facets_has_no_aggregations():
    body = elastic.build_search(Filters(), "nb", timezone.now(), 0, 100, facets=False).to_dict()
    assert "aggs" not in body and "post_filter" not in body


def test_documents_carry_the_course_in_both_standards(nb):
    page = CoursePage.objects.get(locale=nb, slug="veiledning-av-nyansatte")
    documents = [d for d in elastic.documents() if d.course == str(page.translation_key)]
    sessions = CourseSession.objects.filter(page__translation_key=page.translation_key)
    assert len(documents) == sessions.count() == 2 * page.sessions.count()
    for document in documents:
        assert "Veiledning av nyansatte" in document.text
        assert "Rettleiing av nytilsette" in document.text
        assert document.category == "rettleiing"
        assert set(document.audience) == {"tilsette", "leiarar"}
    session = page.sessions.first()
    document = next(d for d in documents if d.session_id == session.pk)
    assert document.meta.id == f"nb-{session.translation_key}"
    assert document.free_seats == session.free_seats
    assert document.municipality == session.municipality.number


def test_courses_behind_a_view_restriction_are_not_indexed(nb):
    page = CoursePage.objects.get(locale=nb, slug="veiledning-av-nyansatte")

    def indexed(language):
        key = str(page.translation_key)
        return [d for d in elastic.documents() if d.course == key and d.locale == language]

    assert indexed("nb")
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert indexed("nb") == []
    assert indexed("nn")  # the nynorsk twin has no restriction of its own


def test_bulk_indexing_sends_one_action_per_session(monkeypatch):
    sent = []
    monkeypatch.setattr(elastic.es_connections, "get_connection", lambda: None)
    monkeypatch.setattr(elastic, "bulk", lambda client, actions, **kw: sent.extend(actions))
    elastic.bulk_actions()
    assert len(sent) == CourseSession.objects.filter(page__live=True).count()
    assert {action["_index"] for action in sent} == {elastic.INDEX}
    assert len({action["_id"] for action in sent}) == len(sent)


def test_hits_and_aggregations_become_the_catalogue_contract(monkeypatch, nb):
    sessions = list(CourseSession.objects.filter(locale=nb).order_by("start")[:3])
    raw = {
        "hits": {
            "total": {"value": 43, "relation": "eq"},
            "hits": [{"_id": str(s.pk), "_source": {"session_id": s.pk}} for s in sessions],
        },
        "aggregations": {
            "municipality": {
                "doc_count": 9,
                "options": {"buckets": [{"key": "4601", "doc_count": 9}]},
            },
            "category": {
                "doc_count": 9,
                "options": {"buckets": [{"key": "helse", "doc_count": 4}]},
            },
            "audience": {"doc_count": 9, "options": {"buckets": []}},
            "mode": {"doc_count": 9, "options": {"buckets": [{"key": "online", "doc_count": 2}]}},
            "available": {"doc_count": 7},
        },
    }
    windows = []

    def execute(search):
        body = search.to_dict()
        windows.append(body["from"] + body["size"])
        return Response(search, raw)

    monkeypatch.setattr(elastic, "connect", lambda: None)
    monkeypatch.setattr(elastic.Search, "execute", execute)
    result = elastic.search(Filters(), nb, page_number=2, per_page=20)
    assert list(result.page.object_list) == sessions
    assert (result.page.number, result.page.paginator.num_pages) == (2, 3)
    # A page far past the end asks within the index's window, then shows the last page.
    assert elastic.search(Filters(), nb, page_number=999_999, per_page=20).page.number == 3
    assert max(windows) <= elastic.MAX_RESULT_WINDOW
    assert result.facets == {
        "municipality": {"4601": 9},
        "category": {"helse": 4},
        "audience": {},
        "mode": {"online": 2},
        "available": {"1": 7},
    }


@pytest.mark.elasticsearch
@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against",
)
@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(municipality="4601", available=True),
        Filters(category="helse", mode="classroom"),
        Filters(q="rettleiing"),
    ],
)
def test_elasticsearch_gives_the_same_results_as_the_database(nb, filters):
    with override_settings(ELASTICSEARCH_URL=os.environ["ELASTICSEARCH_URL"]):
        elastic.rebuild()
        found = elastic.search(filters, nb, 1, 200)
    expected = database.search(filters, nb, 1, 200)
    assert list(found.page.object_list) == list(expected.page.object_list)
    assert found.facets == expected.facets


@pytest.fixture
def reindexed(monkeypatch):
    """The course keys each reindex was asked for, with the index itself left alone."""
    calls = []
    monkeypatch.setattr(elastic, "reindex_courses", lambda keys: calls.append(set(keys)))
    return calls


def test_publishing_a_course_reindexes_it_once_committed(
    nb, reindexed, django_capture_on_commit_callbacks
):
    page = CoursePage.objects.get(locale=nb, slug="veiledning-av-nyansatte")
    with override_settings(ELASTICSEARCH_URL="http://search.invalid:9200"):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
            assert reindexed == []
        with django_capture_on_commit_callbacks(execute=True):
            page.unpublish()
    assert reindexed == [{page.translation_key}, {page.translation_key}]


def test_a_view_restriction_reindexes_every_course_below_it(
    nb, reindexed, django_capture_on_commit_callbacks
):
    index = CourseIndexPage.objects.get(locale=nb)
    keys = set(CoursePage.objects.child_of(index).values_list("translation_key", flat=True))
    with override_settings(ELASTICSEARCH_URL="http://search.invalid:9200"):
        with django_capture_on_commit_callbacks(execute=True):
            restriction = PageViewRestriction.objects.create(page=index, restriction_type="login")
        with django_capture_on_commit_callbacks(execute=True):
            restriction.delete()
    assert len(keys) >= 30
    assert reindexed == [keys, keys]


def test_without_elasticsearch_nothing_is_reindexed(
    nb, reindexed, django_capture_on_commit_callbacks
):
    page = CoursePage.objects.get(locale=nb, slug="veiledning-av-nyansatte")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert reindexed == []


@pytest.fixture
def follows_seats():
    """The receiver that apps.ready connects when Elasticsearch is the catalogue's backend."""
    connect_search_index(elastic.__name__)
    yield
    services.seats_changed.disconnect(dispatch_uid="courses-es-seats")


def open_session(nb):
    page = CoursePage.objects.get(locale=nb, slug="veiledning-av-nyansatte")
    sessions = page.sessions.filter(start__gte=timezone.now()).order_by("start")
    return next(s for s in sessions if services.availability(s) == "open")


def enrol(session, n=1):
    return services.enrol(session, name=f"Deltakar {n}", email=f"es{n}@example.no", language="nb")


def test_an_enrolment_sends_its_sessions_free_seats_once_committed(
    nb, monkeypatch, follows_seats, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(elastic, "connect", lambda: None)
    monkeypatch.setattr(elastic.es_connections, "get_connection", lambda: None)
    monkeypatch.setattr(elastic, "bulk", lambda client, actions, **kw: sent.extend(actions))
    session = open_session(nb)
    free = session.free_seats
    with django_capture_on_commit_callbacks(execute=True):
        enrol(session)
        assert sent == []  # nothing before the commit
    key = session.translation_key
    assert sorted(action["_id"] for action in sent) == [f"nb-{key}", f"nn-{key}"]
    assert {action["_source"]["free_seats"] for action in sent} == {free - 1}
    assert {action["_source"]["key"] for action in sent} == {str(key)}


def test_seats_reindexed_only_with_elasticsearch_as_backend(
    nb, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(elastic, "reindex_sessions", lambda keys: sent.append(keys))
    with django_capture_on_commit_callbacks(execute=True):
        enrol(open_session(nb))
    connect_search_index(database.__name__)
    with django_capture_on_commit_callbacks(execute=True):
        enrol(open_session(nb), 2)
    assert sent == []


def test_search_server_down_leaves_the_enrolment_standing(
    nb, monkeypatch, follows_seats, django_capture_on_commit_callbacks, caplog
):
    def refuse(*args, **kwargs):
        raise elasticsearch.ConnectionError("refused")

    monkeypatch.setattr(elastic, "connect", lambda: None)
    monkeypatch.setattr(elastic.es_connections, "get_connection", lambda: None)
    monkeypatch.setattr(elastic, "bulk", refuse)
    session = open_session(nb)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol(session)
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert "not reindexed" in caplog.text


@pytest.mark.elasticsearch
@pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against",
)
def test_elasticsearch_documents_follow_an_enrolment(
    nb, follows_seats, django_capture_on_commit_callbacks
):
    session = open_session(nb)
    with override_settings(ELASTICSEARCH_URL=os.environ["ELASTICSEARCH_URL"]):
        elastic.rebuild()
        with django_capture_on_commit_callbacks(execute=True):
            enrol(session)
        elastic.SessionDocument._index.refresh()
        for language in ("nb", "nn"):
            document = elastic.SessionDocument.get(id=f"{language}-{session.translation_key}")
            assert document.free_seats == session.free_seats - 1


# No server listens on port 9 (discard): connections are refused, as when Elasticsearch is down.
CLOSED_PORT = "http://127.0.0.1:9"


def shown_keys(response):
    return re.findall(r'data-session="([0-9a-f-]+)"', response.text)


def database_keys(filters, locale, per_page=20):
    page = database.search(filters, locale, 1, per_page).page
    return [str(session.translation_key) for session in page.object_list]


def test_elasticsearch_outage_falls_back_to_the_database(client, nb, caplog):
    filtered = Filters(q="rettleiing", available=True)
    expected = [database_keys(Filters(), nb), database_keys(filtered, nb)]
    feed_expected = database_keys(Filters(municipality="4601"), nb, views.FEED_PER_PAGE)
    caplog.set_level(logging.WARNING, logger=elastic.__name__)

    with override_settings(
        ELASTICSEARCH_URL=CLOSED_PORT, CATALOGUE_SEARCH_BACKEND=elastic.__name__
    ):
        pages = [
            client.get("/nb/kurs/"),
            client.get("/nb/kurs/", {"q": "rettleiing", "available": "1"}),
        ]
        feed = client.get("/api/katalog/sessions/", {"lang": "nb", "municipality": "4601"})

    assert [response.status_code for response in pages] == [200, 200]
    assert [shown_keys(response) for response in pages] == expected
    assert expected[1] and len(expected[0]) == 20
    assert feed.status_code == 200
    assert [session["id"] for session in feed.json()["results"]] == feed_expected
    # One warning for the outage, not one per request, and no traceback.
    warnings = [r for r in caplog.records if r.name == elastic.__name__]
    assert len(warnings) == 1
    assert "unavailable" in warnings[0].getMessage() and warnings[0].exc_info is None


def test_the_catalogue_asks_elasticsearch_again_after_an_outage(nb, monkeypatch, caplog):
    answers = []

    def execute(search):
        if not answers:
            answers.append("refused")
            raise elasticsearch.ConnectionError("refused")
        answers.append("found")
        return Response(search, {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}})

    monkeypatch.setattr(elastic, "connect", lambda: None)
    monkeypatch.setattr(elastic.Search, "execute", execute)
    caplog.set_level(logging.WARNING, logger=elastic.__name__)
    clock = [1000.0]
    monkeypatch.setattr(elastic.time, "monotonic", lambda: clock[0])
    with override_settings(
        ELASTICSEARCH_URL=CLOSED_PORT, CATALOGUE_SEARCH_BACKEND=elastic.__name__
    ):
        fallback = search_sessions(Filters(), nb, facets=False)
        clock[0] += elastic.RETRY_SECONDS - 1
        search_sessions(Filters(), nb, facets=False)  # within the pause: the database again
        assert answers == ["refused"]
        clock[0] += 2
        recovered = search_sessions(Filters(), nb, facets=False)
    assert answers == ["refused", "found"]
    assert fallback.page.paginator.count > 0 and recovered.page.paginator.count == 0
    messages = [r.getMessage() for r in caplog.records if r.name == elastic.__name__]
    assert len(messages) == 2 and "answers again" in messages[1]


def test_a_refused_query_is_an_error_not_an_outage(nb, monkeypatch):
    def execute(search):
        raise elasticsearch.BadRequestError("parsing_exception", FakeMeta(400), {})

    monkeypatch.setattr(elastic, "connect", lambda: None)
    monkeypatch.setattr(elastic.Search, "execute", execute)
    with override_settings(ELASTICSEARCH_URL=CLOSED_PORT):
        with pytest.raises(elasticsearch.BadRequestError):
            elastic.search(Filters(), nb)


class FakeMeta:
    def __init__(self, status):
        self.status = status


def test_an_enrolment_stands_when_elasticsearch_is_down(
    nb, follows_seats, django_capture_on_commit_callbacks, caplog
):
    session = open_session(nb)
    with override_settings(ELASTICSEARCH_URL=CLOSED_PORT):
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = enrol(session)
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert "not reindexed" in caplog.text
