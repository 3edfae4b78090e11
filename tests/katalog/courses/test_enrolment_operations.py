"""The organisers' operations in the courses room's services: promote, move, attendance, cancel
a whole session; the admin (tests/katalog/courses/test_organiser_admin.py) calls these."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from katalog.courses import links, services
from katalog.courses.models import (
    CourseIndexPage,
    CourseSession,
    Enrolment,
    EnrolmentState,
    SessionStatus,
)
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

State = EnrolmentState


def course(nb, **fields):
    return CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"], **fields
    )


def enrol(session, n):
    return services.enrol(
        session, name=f"Deltakar {n}", email=f"deltakar{n}@example.no", language="nn"
    )


def held(session):
    return Enrolment.objects.filter(session=session, state__in=services.SEAT_STATES).count()


def seats(session):
    return CourseSession.objects.get(pk=session.pk).seats_taken


def test_promoting_by_hand_takes_someone_out_of_turn_and_tells_them(
    nb, django_capture_on_commit_callbacks
):
    session = CourseSessionFactory(page=course(nb), capacity=1)
    first = enrol(session, 0)
    waiting = [enrol(session, n) for n in (1, 2)]
    services.set_capacity(session, 1)
    services.cancel(first)  # the first waiting is promoted automatically
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.CONFIRMED
    CourseSession.objects.filter(pk=session.pk).update(capacity=2)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.promote(waiting[1])
    assert waiting[1].state == State.CONFIRMED
    assert [m.to for m in mail.outbox] == [["deltakar2@example.no"]]
    assert seats(session) == 2


def test_promoting_by_hand_needs_a_free_seat_and_someone_waiting(nb):
    session = CourseSessionFactory(page=course(nb), capacity=1)
    confirmed, waiting = enrol(session, 0), enrol(session, 1)
    with pytest.raises(services.StateTransitionError):
        services.promote(waiting)
    with pytest.raises(services.StateTransitionError):
        services.promote(confirmed)
    assert [e.state for e in Enrolment.objects.filter(session=session)] == [
        State.CONFIRMED,
        State.WAITING,
    ]


def test_promoting_in_a_course_that_needs_approval_asks_the_manager(
    nb, django_capture_on_commit_callbacks
):
    session = CourseSessionFactory(page=course(nb, manager_approval_required=True), capacity=1)
    services.enrol(session, name="A", email="a@example.no", language="nb", manager_email="l@x.no")
    waiting = services.enrol(
        session, name="B", email="b@example.no", language="nb", manager_email="leiar@example.no"
    )
    CourseSession.objects.filter(pk=session.pk).update(capacity=2)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.promote(waiting)
    waiting.refresh_from_db()
    assert waiting.state == State.AWAITING_APPROVAL
    assert waiting.approval_expires_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.no", "leiar@example.no"]


def test_moving_takes_a_free_seat_in_the_other_session_keeps_the_link_and_frees_the_old_one(
    nb, django_capture_on_commit_callbacks
):
    page = course(nb)
    old = CourseSessionFactory(page=page, capacity=1)
    later = timezone.now() + datetime.timedelta(days=60)
    new = CourseSessionFactory(page=page, capacity=1, start=later)
    mover = enrol(old, 0)
    waiting = enrol(old, 1)
    token = links.manage_token(mover)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.move(mover, new)
    mover.refresh_from_db()
    waiting.refresh_from_db()
    assert (mover.session_id, mover.state) == (new.pk, State.CONFIRMED)
    assert waiting.state == State.CONFIRMED  # the freed seat went to the first waiting
    assert (seats(old), seats(new)) == (1, 1)
    assert links.enrolment_for_token(token) == mover
    # Reminders follow the new start.
    reminder = later - datetime.timedelta(days=3)
    assert abs(mover.reminder_due_at - reminder) < datetime.timedelta(seconds=1)
    assert sorted(m.to[0] for m in mail.outbox) == ["deltakar0@example.no", "deltakar1@example.no"]


def test_moving_into_a_full_or_cancelled_session_or_another_course_is_refused(nb):
    page = course(nb)
    old = CourseSessionFactory(page=page, capacity=2)
    full = CourseSessionFactory(page=page, capacity=1)
    enrol(full, 9)
    cancelled = CourseSessionFactory(page=page, capacity=5, status=SessionStatus.CANCELLED)
    elsewhere = CourseSessionFactory(page=course(nb), capacity=5)
    mover = enrol(old, 0)
    for target in (full, cancelled, elsewhere, old):
        with pytest.raises(services.EnrolmentError):
            services.move(mover, target)
    mover.refresh_from_db()
    assert mover.session_id == old.pk
    assert (held(old), held(full)) == (1, 1)


def test_moving_someone_already_in_the_other_session_is_refused(nb):
    page = course(nb)
    first, second = (CourseSessionFactory(page=page, capacity=3) for _ in range(2))
    mover = enrol(first, 0)
    enrol(second, 0)
    with pytest.raises(services.EnrolmentError, match="allerede"):
        services.move(mover, second)


def test_attendance_after_the_evaluation_time_sends_the_request_at_once(
    nb, django_capture_on_commit_callbacks
):
    start = timezone.now() - datetime.timedelta(days=3)
    session = CourseSessionFactory(
        page=course(nb),
        start=start,
        end=start + datetime.timedelta(hours=6),
        enrolment_deadline=start - datetime.timedelta(days=1),
    )
    came, absent = (
        Enrolment.objects.create(session=session, name=n, email=f"{n}@example.no", language="nn")
        for n in ("kom", "borte")
    )
    Enrolment.objects.filter(session=session).update(
        evaluation_due_at=session.end + datetime.timedelta(hours=24)
    )
    for enrolment in (came, absent):
        enrolment.refresh_from_db()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_attendance(came, attended=True)
        services.mark_attendance(absent, attended=False)
    assert [m.to for m in mail.outbox] == [["kom@example.no"]]
    assert "/pamelding/evaluering/" in mail.outbox[0].body
    assert (held(session), seats(session)) == (2, 2)  # attended and no-show kept their seats


def test_cancelling_a_session_cancels_and_tells_everyone_and_drops_their_reminders(
    nb, nn, django_capture_on_commit_callbacks
):
    session = CourseSessionFactory(page=course(nb), capacity=1)
    people = [enrol(session, n) for n in range(3)]  # one seat, two waiting
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel_session(session) == 3
    assert set(Enrolment.objects.filter(session=session).values_list("state", flat=True)) == {
        State.CANCELLED
    }
    assert Enrolment.objects.filter(session=session, reminder_due_at__isnull=False).count() == 0
    assert CourseSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert seats(session) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert "avlyst" in mail.outbox[0].subject.lower()
    with pytest.raises(services.EnrolmentError):
        services.cancel_session(session)


def test_a_request_awaiting_approval_holds_its_seat_until_the_session_starts_at_the_latest(nb):
    start = timezone.now() + datetime.timedelta(days=2)
    session = CourseSessionFactory(
        page=course(nb, manager_approval_required=True),
        capacity=1,
        start=start,
        enrolment_deadline=start - datetime.timedelta(days=1),
    )
    pending = services.enrol(
        session, name="A", email="a@example.no", language="nb", manager_email="l@example.no"
    )
    assert pending.state == State.AWAITING_APPROVAL
    assert pending.approval_expires_at == CourseSession.objects.get(pk=session.pk).start
    assert services.enrol(session, name="B", email="b@example.no", language="nb").state == (
        State.WAITING
    )
    assert seats(session) == 1


@pytest.mark.parametrize(
    ("path", "kept"), [("/nb/personvern/", "måneder"), ("/nn/personvern/", "månader")]
)
def test_the_privacy_page_says_how_long_participants_are_kept(client, settings, path, kept):
    text = client.get(path).text
    assert f"{settings.ENROLMENT_RETENTION_MONTHS} {kept} etter at kurset er ferdig" in text
    assert "evaluering" in text
