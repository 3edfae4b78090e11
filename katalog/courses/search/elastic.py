"""The catalogue on Elasticsearch (selected when ELASTICSEARCH_URL is set), via elasticsearch-dsl.

One document per session and locale. Its `text` holds the course in *both* written standards, so a
nynorsk query finds the bokmål session and the reverse, with Elasticsearch's `norwegian` analyzer.
Facet counts are filter aggregations: each counts with every active filter but its own, all in the
one request that also returns the page of hits (filters go in `post_filter`).

While Elasticsearch is down or hanging (past ELASTICSEARCH_TIMEOUT), `search` raises Unavailable
and the catalogue answers from the database search (`search_sessions`), which gives the same
results; after a failure this process leaves the server alone for RETRY_SECONDS. One warning is
logged when an outage starts and one when the server answers again, not one per request (as
`portal.shared_cache` does for Redis).
"""

import datetime
import logging
import time

import elasticsearch
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from elasticsearch import ApiError, TransportError
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import A, Boolean, Date, Document, Integer, Keyword, Q, Search, Text
from elasticsearch_dsl import connections as es_connections
from wagtail.models import Page as WagtailPage

from ..models import CoursePage, CourseSession
from ..services import enrolment_conditions
from .common import (
    FACET_NAMES,
    CatalogueResult,
    Unavailable,
    day_start,
    load_sessions,
)

INDEX = "kompetanseportalen-sessions"
# Deep pages cost Elasticsearch from + size per request; one shard of sessions bears this many.
MAX_RESULT_WINDOW = 200_000
logger = logging.getLogger(__name__)
FACET_SIZES = {"municipality": 500, "category": 100, "audience": 100, "mode": 10}
RETRY_SECONDS = 10
# Answers of a server that is there but cannot search now (overloaded, no shard available).
UNAVAILABLE_STATUSES = {429, 502, 503, 504}

_retry_at = None  # time.monotonic() before which, in an outage, the server is not asked again
_connected = None  # the (URL, timeout) the default connection was made for


class SessionDocument(Document):
    session_id = Integer()
    key = Keyword()
    course = Keyword()
    locale = Keyword()
    text = Text(analyzer="norwegian")
    municipality = Keyword()
    category = Keyword()
    audience = Keyword(multi=True)
    mode = Keyword()
    start = Date()
    enrolment_deadline = Date()
    status = Keyword()
    online = Boolean()
    free_seats = Integer()

    class Index:
        name = INDEX
        settings = {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "max_result_window": MAX_RESULT_WINDOW,
        }


def connect():
    """The default connection, made once per URL and timeout: requests reuse its sockets."""
    global _connected
    wanted = (settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_TIMEOUT)
    if _connected != wanted:
        url, timeout = wanted
        # No retries: with one server a retry asks the one that just failed (and logs a
        # traceback each time), while the catalogue can answer from the database at once.
        es_connections.create_connection(
            alias="default", hosts=[url], request_timeout=timeout, max_retries=0
        )
        _connected = wanted


@receiver(setting_changed)
def _reset(setting, **kwargs):
    """Another server (a test's) is asked afresh."""
    global _connected, _retry_at
    if setting in ("ELASTICSEARCH_URL", "ELASTICSEARCH_TIMEOUT"):
        _connected = _retry_at = None


def course_texts(pages):
    """translation_key -> the text of every locale's version of the course."""
    texts = {}
    for page in pages:
        parts = [page.title, page.intro, page.provider.name, page.learning_outcomes]
        parts += [str(block.value) for block in page.body]
        texts.setdefault(page.translation_key, []).append(" ".join(p for p in parts if p))
    return {key: "\n".join(values) for key, values in texts.items()}


def session_document(session, text):
    page = session.page
    return SessionDocument(
        meta={"id": f"{session.locale.language_code}-{session.translation_key}"},
        session_id=session.pk,
        key=str(session.translation_key),
        course=str(page.translation_key),
        locale=session.locale.language_code,
        text=text,
        municipality=session.municipality.number if session.municipality else None,
        category=page.category.slug if page.category else None,
        audience=[a.slug for a in page.audiences.all()],
        mode=page.mode,
        start=session.start,
        enrolment_deadline=session.enrolment_deadline,
        status=session.status,
        online=session.online,
        free_seats=session.free_seats,
    )


def indexed_sessions():
    """The sessions the index holds: those of live courses without a view restriction."""
    return CourseSession.objects.filter(page__in=CoursePage.objects.live().public())


def documents(batch_size=500, course_keys=None, session_keys=None):
    """Every indexed session (or these courses', or these sessions' in every locale), with its
    course's text in both standards."""
    pages = (
        CoursePage.objects.live()
        .select_related("category", "provider")
        .prefetch_related("audiences")
    )
    sessions = indexed_sessions()
    if course_keys is not None:
        pages = pages.filter(translation_key__in=course_keys)
        sessions = sessions.filter(page__translation_key__in=course_keys)
    if session_keys is not None:
        sessions = sessions.filter(translation_key__in=session_keys)
        courses = CourseSession.objects.filter(translation_key__in=session_keys)
        pages = pages.filter(translation_key__in=courses.values("page__translation_key"))
    texts = course_texts(pages)
    sessions = (
        sessions.select_related("page__category", "municipality", "locale")
        .prefetch_related("page__audiences")
        .order_by("pk")
    )
    for session in sessions.iterator(chunk_size=batch_size):
        yield session_document(session, texts.get(session.page.translation_key, ""))


def rebuild(progress=None):
    """Recreate the index and bulk-load every session; returns the number of documents."""
    connect()
    index = SessionDocument._index
    index.delete(ignore_unavailable=True)
    SessionDocument.init()
    count = 0
    for ok, _item in bulk_actions(progress):
        count += ok
    index.refresh()
    return count


def reindex_courses(course_keys):
    """Replace the documents of these courses (all their locales)."""
    connect()
    keys = [str(key) for key in course_keys]
    SessionDocument.search().filter("terms", course=keys).delete()
    bulk_actions(course_keys=keys)
    SessionDocument._index.refresh()


def reindex_sessions(session_keys):
    """Replace the documents of these sessions (every locale's copy): their free seats."""
    connect()
    bulk_actions(session_keys=[str(key) for key in session_keys])


def reindex_seats(sender, translation_keys, **kwargs):
    """`services.seats_changed`, sent once an enrolment's seats are committed.

    The enrolment stands whatever the index does: a search server that is down leaves these
    free-seat numbers stale until the next change or `index_catalogue`, and is logged.
    """
    if not translation_keys:
        return
    try:
        reindex_sessions(translation_keys)
    except (ApiError, TransportError, BulkIndexError):
        logger.exception("Free seats of %d sessions not reindexed", len(translation_keys))


def reindex_published(sender, instance, **kwargs):
    """A course published or unpublished: its documents are replaced once that is committed."""
    if settings.ELASTICSEARCH_URL and isinstance(instance.specific, CoursePage):
        key = instance.translation_key
        transaction.on_commit(lambda: reindex_courses([key]))


def reindex_restricted(sender, instance, **kwargs):
    """A view restriction added or removed takes the courses at or below its page out or in."""
    if not settings.ELASTICSEARCH_URL:
        return
    page = WagtailPage.objects.filter(pk=instance.page_id).first()  # None if being deleted
    courses = CoursePage.objects.descendant_of(page, inclusive=True) if page else []
    keys = {course.translation_key for course in courses}
    if keys:
        transaction.on_commit(lambda: reindex_courses(keys))


def bulk_actions(progress=None, course_keys=None, session_keys=None):
    def actions():
        for document in documents(course_keys=course_keys, session_keys=session_keys):
            if progress:
                progress.update()
            yield document.to_dict(include_meta=True)

    return bulk(es_connections.get_connection(), actions(), stats_only=False, raise_on_error=True)


def filter_clauses(filters, now):
    """name -> the query clause of each active filter."""
    clauses = {}
    for name in FACET_NAMES:
        value = getattr(filters, name)
        if value:
            clauses[name] = Q("term", **{name: value})
    dates = {}
    if filters.start:
        dates["gte"] = day_start(filters.start)
    if filters.end:
        dates["lt"] = day_start(filters.end + datetime.timedelta(days=1))
    if dates:
        clauses["dates"] = Q("range", start=dates)
    if filters.available:
        clauses["available"] = available_clause(now)
    return clauses


def available_clause(now):
    """The enrolment rule of the courses' services, as an Elasticsearch filter."""
    return Q(
        "bool",
        filter=[
            Q("term", **{field: value})
            if lookup == "exact"
            else Q("range", **{field: {lookup: value}})
            for field, lookup, value in enrolment_conditions(now)
        ],
    )


def build_search(filters, language, now, offset, limit, facets=True):
    """The whole request: hits for one page, and (optionally) every facet's counts."""
    must = [Q("match", text={"query": filters.q, "operator": "and"})] if filters.q else []
    base = [Q("term", locale=language), Q("range", start={"gte": now})]
    clauses = filter_clauses(filters, now)
    search = (
        Search(index=INDEX)
        .query(Q("bool", must=must, filter=base))
        .sort("start", "session_id")
        .extra(track_total_hits=True, from_=offset, size=limit)
        .source(["session_id"])
    )
    if clauses:
        search = search.post_filter(Q("bool", filter=list(clauses.values())))
    if facets:
        for name in (*FACET_NAMES, "available"):
            others = [clause for key, clause in clauses.items() if key != name]
            if name == "available":
                others.append(available_clause(now))
            aggregation = A("filter", Q("bool", filter=others))
            if name != "available":
                aggregation.bucket("options", "terms", field=name, size=FACET_SIZES[name])
            search.aggs.bucket(name, aggregation)
    return search


def facets_from(response):
    facets = {
        name: {b.key: b.doc_count for b in response.aggregations[name].options.buckets}
        for name in FACET_NAMES
    }
    facets["available"] = {"1": response.aggregations["available"].doc_count}
    return facets


def unavailable(error):
    """Whether error says the server is down, hanging or overloaded (not that our request is
    wrong)."""
    if isinstance(error, ApiError):
        return error.meta.status in UNAVAILABLE_STATUSES
    return isinstance(error, elasticsearch.ConnectionError | elasticsearch.ConnectionTimeout)


def search(filters, locale, page_number=1, per_page=20, facets=True):
    """The same contract as katalog.courses.search.database.search; Unavailable while the server
    is down, hanging or overloaded."""
    global _retry_at
    if _retry_at is not None and time.monotonic() < _retry_at:
        raise Unavailable
    try:
        result = search_server(filters, locale, page_number, per_page, facets)
    except (ApiError, TransportError) as error:
        if not unavailable(error):
            raise
        if _retry_at is None:
            logger.warning(
                "Elasticsearch is unavailable (%s): the catalogue searches the database, "
                "retrying every %s s.",
                error,
                RETRY_SECONDS,
            )
        _retry_at = time.monotonic() + RETRY_SECONDS
        raise Unavailable from error
    if _retry_at is not None:
        _retry_at = None
        logger.warning("Elasticsearch answers again: the catalogue searches it.")
    return result


def search_server(filters, locale, page_number, per_page, facets):
    connect()
    now = timezone.now()
    language = locale.language_code

    def run(number):
        offset = (number - 1) * per_page
        return build_search(filters, language, now, offset, per_page, facets).execute()

    try:
        number = max(int(page_number or 1), 1)
    except (TypeError, ValueError):
        number = 1
    # Past the window Elasticsearch refuses the request; no catalogue page lies there.
    number = min(number, MAX_RESULT_WINDOW // per_page)
    response = run(number)
    paginator = Paginator(range(response.hits.total.value), per_page)
    if number > paginator.num_pages:
        number = paginator.num_pages
        response = run(number)
    sessions = load_sessions([hit.session_id for hit in response], locale)
    page = Page(sessions, number, paginator)
    return CatalogueResult(page=page, facets=facets_from(response) if facets else {})
