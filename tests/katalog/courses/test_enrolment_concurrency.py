"""Capacity is never exceeded by concurrent enrolments: threads, each on its own connection, on
the committed test database (tests/live_db.py restores the demo afterwards)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from katalog.courses import services
from katalog.courses.models import CoursePage, CourseSession, Enrolment, EnrolmentState
from tests.live_db import _django_db_helper  # noqa: F401 (committed data, restored after)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the database's write lock at BEGIN IMMEDIATE, so every transaction is "
    "serialised: the session's row lock and its timeout exist only on PostgreSQL",
)


def concurrently(work, items):
    """Run work(item) for every item, each in a thread of its own, all released at once;
    returns the results (or exceptions) in order."""
    barrier = threading.Barrier(len(items))
    results = [None] * len(items)

    def run(index, item):
        try:
            barrier.wait()
            results[index] = work(item)
        except Exception as error:  # noqa: BLE001 (reported by the test)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def enrol_number(session):
    def work(n):
        return services.enrol(
            session, name=f"Deltakar {n}", email=f"deltakar{n}@example.no", language="nn"
        )

    return work


def demo_session(capacity):
    """A demo session without enrolments (nb, with its nn copy), at the given capacity."""
    page = CoursePage.objects.get(locale__language_code="nb", slug="ledelse-i-kommunen-grunnkurs")
    source = page.sessions.get(sort_order=0)
    services.set_capacity(source, capacity)
    return source


def in_state(session, state):
    return Enrolment.objects.filter(session=session, state=state)


def seat_counters(session):
    return list(
        CourseSession.objects.filter(translation_key=session.translation_key)
        .order_by("locale__language_code")
        .values_list("seats_taken", flat=True)
    )


def positions(session):
    return sorted(services.waiting_position(e) for e in in_state(session, EnrolmentState.WAITING))


@postgresql_only
def test_negative_control_without_the_lock_concurrent_enrolments_overbook(monkeypatch):
    """The test below can fail: with the lock switched off and a pause between the count and
    the write, concurrent clients all see the same free seats."""
    session = demo_session(capacity=10)
    monkeypatch.setattr(services, "lock_session", lambda pk: None)
    count = services.seats_held

    def slow_count(session):
        held = count(session)
        time.sleep(0.3)
        return held

    monkeypatch.setattr(services, "seats_held", slow_count)
    results = concurrently(enrol_number(session), range(20))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert in_state(session, EnrolmentState.CONFIRMED).count() > 10


@postgresql_only
def test_64_concurrent_clients_on_10_seats_give_10_confirmed_and_54_waiting():
    session = demo_session(capacity=10)
    results = concurrently(enrol_number(session), range(64))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert in_state(session, EnrolmentState.CONFIRMED).count() == 10
    assert in_state(session, EnrolmentState.WAITING).count() == 54
    assert positions(session) == list(range(1, 55))
    assert seat_counters(session) == [10, 10]

    # Five cancel at once: exactly five are promoted, the first five waiting, each once.
    first_waiting = list(services.waiting_list(session)[:5])
    leaving = list(in_state(session, EnrolmentState.CONFIRMED)[:5])
    promoted = concurrently(services.cancel, leaving)
    assert [r for r in promoted if isinstance(r, Exception)] == []
    assert sorted(e.pk for batch in promoted for e in batch) == sorted(e.pk for e in first_waiting)
    assert in_state(session, EnrolmentState.CONFIRMED).count() == 10
    assert positions(session) == list(range(1, 50))
    assert seat_counters(session) == [10, 10]


@postgresql_only
def test_a_lock_held_too_long_asks_the_visitor_to_try_again():
    session = demo_session(capacity=10)
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock(_):
        with transaction.atomic():
            services.lock_session(session.pk)
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=concurrently, args=(hold_the_lock, [None]))
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        with override_settings(ENROLMENT_LOCK_TIMEOUT_MS=200), pytest.raises(services.SessionBusy):
            enrol_number(session)(1)
        assert time.monotonic() - started < 2
    finally:
        release.set()
        holder.join()
    assert not Enrolment.objects.filter(session=session).exists()
    assert enrol_number(session)(1).state == EnrolmentState.CONFIRMED


def test_concurrent_enrolments_fill_3_seats_and_queue_the_rest_on_either_database():
    session = demo_session(capacity=3)
    results = concurrently(enrol_number(session), range(8))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert in_state(session, EnrolmentState.CONFIRMED).count() == 3
    assert positions(session) == [1, 2, 3, 4, 5]
    assert seat_counters(session) == [3, 3]
    promoted = concurrently(services.cancel, list(in_state(session, EnrolmentState.CONFIRMED)[:2]))
    assert sum(len(batch) for batch in promoted) == 2
    assert in_state(session, EnrolmentState.CONFIRMED).count() == 3
    assert positions(session) == [1, 2, 3]
