"""Enrolment through the courses room's services: seats, the waiting list and every transition."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from katalog.courses import services
from katalog.courses.models import (
    SEAT_STATES,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    Enrolment,
    EnrolmentState,
)
from katalog.places.models import Municipality
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

State = EnrolmentState


def new_session(nb, capacity=3, **fields):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"])
    return CourseSessionFactory(page=page, capacity=capacity, **fields)


def enrol(session, n, **fields):
    return services.enrol(
        session, name=f"Deltakar {n}", email=f"deltakar{n}@example.no", language="nn", **fields
    )


def demo_session(nb, nn):
    """A demo session without enrolments, in nb with its nn copy."""
    page = CoursePage.objects.get(locale=nb, slug="ledelse-i-kommunen-grunnkurs")
    source = page.sessions.get(sort_order=0)
    return source, CourseSession.objects.get(translation_key=source.translation_key, locale=nn)


def seats(session):
    return CourseSession.objects.get(pk=session.pk).seats_taken


def states(session):
    return list(Enrolment.objects.filter(session=session).values_list("state", flat=True))


# Seats and the waiting list


def test_enrolment_takes_a_seat_on_both_copies_of_the_session(nb, nn):
    source, twin = demo_session(nb, nn)
    assert (seats(source), seats(twin)) == (0, 0)
    enrolment = enrol(twin, 1)  # enrolled from the nynorsk page
    assert enrolment.session == source
    assert enrolment.state == State.CONFIRMED
    assert (seats(source), seats(twin)) == (1, 1)


def test_full_session_puts_next_enrolment_on_waiting_list(nb):
    session = new_session(nb, capacity=2)
    first, second, third, fourth = (enrol(session, n) for n in range(4))
    assert [e.state for e in (first, second, third, fourth)] == [State.CONFIRMED] * 2 + [
        State.WAITING
    ] * 2
    assert seats(session) == 2
    assert [services.waiting_position(e) for e in (first, third, fourth)] == [None, 1, 2]
    assert services.availability(CourseSession.objects.get(pk=session.pk)) == "full"


def test_waiting_list_is_first_come_first_served_by_time_then_id(nb):
    session = new_session(nb, capacity=1)
    enrol(session, 0)
    now = timezone.now()
    later = enrol(session, 1, now=now + datetime.timedelta(seconds=5))
    tie_a = enrol(session, 2, now=now)
    tie_b = enrol(session, 3, now=now)
    assert [services.waiting_position(e) for e in (tie_a, tie_b, later)] == [1, 2, 3]


def test_same_email_cannot_enrol_twice_in_any_case(nb):
    session = new_session(nb)
    first = services.enrol(session, name="Kari", email="Kari@Example.no", language="nb")
    with pytest.raises(services.AlreadyEnrolled) as refused:
        services.enrol(session, name="Kari", email=" kari@example.NO ", language="nb")
    assert refused.value.enrolment == first
    assert Enrolment.objects.filter(session=session).count() == 1
    assert seats(session) == 1


def test_email_on_the_waiting_list_cannot_enrol_again(nb):
    session = new_session(nb, capacity=1)
    enrol(session, 0)
    waiting = enrol(session, 1)
    with pytest.raises(services.AlreadyEnrolled):
        enrol(session, 1)
    assert services.waiting_position(waiting) == 1


def test_the_database_refuses_a_second_active_enrolment_of_one_email(nb):
    """The constraint holds even where the service's check is bypassed."""
    session = new_session(nb)
    fields = {"session": session, "name": "K", "language": "nb", "state": State.CONFIRMED}
    Enrolment.objects.create(email="kari@example.no", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(email="KARI@example.no", **fields)
    # A cancelled enrolment holds nothing: the same email may come back.
    Enrolment.objects.create(email="kari@example.no", **{**fields, "state": State.CANCELLED})


def test_cancelled_email_can_enrol_again_at_the_back_of_the_queue(nb):
    session = new_session(nb, capacity=1)
    first = enrol(session, 0)
    waiting = enrol(session, 1)
    services.leave_waiting_list(waiting)
    again = enrol(session, 1)
    assert again.pk != waiting.pk
    assert services.waiting_position(again) == 1
    assert first.state == State.CONFIRMED


def test_enrolment_closes_at_the_deadline(nb):
    session = new_session(nb)
    with pytest.raises(services.EnrolmentClosed) as closed:
        enrol(session, 1, now=session.enrolment_deadline + datetime.timedelta(seconds=1))
    assert closed.value.reason == "closed"
    assert enrol(session, 2, now=session.enrolment_deadline).state == State.CONFIRMED
    assert Enrolment.objects.filter(session=session).count() == 1


def test_cancelled_session_takes_no_enrolment(nb):
    session = new_session(nb, status="cancelled")
    with pytest.raises(services.EnrolmentClosed) as closed:
        enrol(session, 1)
    assert closed.value.reason == "cancelled"
    assert not Enrolment.objects.filter(session=session).exists()


# Cancelling, leaving and promotion


def test_cancelling_a_seat_promotes_the_first_waiting_and_tells_them(
    nb, django_capture_on_commit_callbacks
):
    session = new_session(nb, capacity=2)
    confirmed = enrol(session, 0)
    enrol(session, 1)
    first_waiting, second_waiting = enrol(session, 2), enrol(session, 3)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(confirmed)
    assert promoted == [first_waiting]
    assert confirmed.state == State.CANCELLED
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert (first_waiting.state, second_waiting.state) == (State.CONFIRMED, State.WAITING)
    assert services.waiting_position(second_waiting) == 1
    assert seats(session) == 2
    (message,) = mail.outbox
    assert message.to == ["deltakar2@example.no"]
    assert session.page.title in message.subject
    assert "Du har fått plass" in message.subject  # nynorsk, the participant's standard


def test_promotion_email_is_in_bokmal_for_a_bokmal_participant(
    nb, django_capture_on_commit_callbacks
):
    session = new_session(nb, capacity=1)
    confirmed = enrol(session, 0)
    services.enrol(session, name="Ola", email="ola@example.no", language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(confirmed)
    (message,) = mail.outbox
    assert message.subject.startswith("Du har fått plass")
    assert "ikke lenger på ventelisten" in message.body


def test_cancelling_without_a_waiting_list_frees_the_seat(nb):
    session = new_session(nb, capacity=2)
    enrolment = enrol(session, 0)
    assert services.cancel(enrolment) == []
    assert seats(session) == 0
    assert services.availability(CourseSession.objects.get(pk=session.pk)) == "open"


def test_leaving_the_waiting_list_moves_the_others_up_and_frees_no_seat(nb):
    session = new_session(nb, capacity=1)
    enrol(session, 0)
    first, second = enrol(session, 1), enrol(session, 2)
    assert services.leave_waiting_list(first) == []
    assert first.state == State.CANCELLED
    second.refresh_from_db()
    assert services.waiting_position(second) == 1
    assert seats(session) == 1


def test_only_someone_waiting_can_leave_the_waiting_list(nb):
    session = new_session(nb)
    confirmed = enrol(session, 0)
    with pytest.raises(services.StateTransitionError):
        services.leave_waiting_list(confirmed)
    confirmed.refresh_from_db()
    assert confirmed.state == State.CONFIRMED


# Every transition

ALL = list(State)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_every_transition_is_allowed_or_refused_as_the_table_says(nb, current, target):
    session = new_session(nb, capacity=5)
    enrolment = Enrolment.objects.create(
        session=session, state=current, name="K", email="k@example.no", language="nb"
    )
    services.recount_seats([session.translation_key])
    allowed = target in services.TRANSITIONS[current]
    if allowed:
        services.change_state(enrolment, target)
    else:
        with pytest.raises(services.StateTransitionError):
            services.change_state(enrolment, target)
    enrolment.refresh_from_db()
    assert enrolment.state == (target if allowed else current)
    assert seats(session) == (1 if enrolment.state in SEAT_STATES else 0)


def test_the_table_names_every_state_and_cancelled_is_final():
    assert set(services.TRANSITIONS) == set(State)
    assert services.TRANSITIONS[State.CANCELLED] == set()
    assert all(target in State for targets in services.TRANSITIONS.values() for target in targets)


def test_promotion_by_hand_needs_a_free_seat(nb):
    session = new_session(nb, capacity=1)
    enrol(session, 0)
    waiting = enrol(session, 1)
    with pytest.raises(services.StateTransitionError, match="ingen ledige plasser"):
        services.change_state(waiting, State.CONFIRMED)
    assert seats(session) == 1


def test_an_anonymised_enrolment_changes_no_more(nb):
    session = new_session(nb)
    enrolment = enrol(session, 0)
    Enrolment.objects.filter(pk=enrolment.pk).update(anonymised_at=timezone.now())
    with pytest.raises(services.StateTransitionError):
        services.change_state(enrolment, State.ATTENDED)


def test_attendance_keeps_the_seat_it_had(nb):
    session = new_session(nb, capacity=1)
    enrolment = enrol(session, 0)
    enrol(session, 1)
    assert services.change_state(enrolment, State.NO_SHOW) == []
    assert services.change_state(enrolment, State.ATTENDED) == []
    assert seats(session) == 1
    assert states(session) == [State.ATTENDED, State.WAITING]


# Capacity


def test_capacity_cannot_go_below_the_seats_held(nb):
    session = new_session(nb, capacity=3)
    for n in range(3):
        enrol(session, n)
    with pytest.raises(services.CapacityError):
        services.set_capacity(session, 2)
    assert CourseSession.objects.get(pk=session.pk).capacity == 3


def test_raising_capacity_promotes_from_the_waiting_list_in_order(nb, nn):
    source, twin = demo_session(nb, nn)
    services.set_capacity(source, 1)
    enrolments = [enrol(source, n) for n in range(4)]
    promoted = services.set_capacity(twin, 3)
    assert promoted == enrolments[1:3]
    assert [CourseSession.objects.get(pk=s.pk).capacity for s in (source, twin)] == [3, 3]
    assert (seats(source), seats(twin)) == (3, 3)
    enrolments[3].refresh_from_db()
    assert services.waiting_position(enrolments[3]) == 1


def test_lowering_capacity_to_the_seats_held_is_allowed(nb):
    session = new_session(nb, capacity=5)
    enrol(session, 0)
    enrol(session, 1)
    assert services.set_capacity(session, 2) == []
    assert enrol(session, 2).state == State.WAITING


# The counter stays true


def test_publishing_an_old_revision_keeps_the_live_seat_count(nb, nn):
    source, twin = demo_session(nb, nn)
    page = source.page
    old_revision = page.latest_revision
    enrol(source, 0)
    enrol(source, 1)
    assert seats(twin) == 2
    old_revision.publish()
    assert (seats(source), seats(twin)) == (2, 2)
    # The revision did hold the stale count: this is what the recount repairs.
    (stale,) = [s for s in old_revision.as_object().sessions.all() if s.id == source.id]
    assert stale.seats_taken == 0


def test_publishing_a_raised_capacity_promotes(nb):
    session = new_session(nb, capacity=1)
    enrol(session, 0)
    waiting = enrol(session, 1)
    page = CoursePage.objects.get(pk=session.page_id)
    sessions = list(page.sessions.all())
    for child in sessions:
        child.capacity = 2
    page.sessions = sessions
    page.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.state == State.CONFIRMED
    assert seats(session) == 2


def test_every_demo_session_counts_exactly_its_enrolments(nb):
    counted = {
        key: Enrolment.objects.filter(session__translation_key=key, state__in=SEAT_STATES).count()
        for key in CourseSession.objects.values_list("translation_key", flat=True)
    }
    taken = dict(CourseSession.objects.values_list("translation_key", "seats_taken"))
    assert taken == counted
    # Every copy agrees, and the demo does fill sessions: some full, with a waiting list.
    for key, count in counted.items():
        assert set(
            CourseSession.objects.filter(translation_key=key).values_list("seats_taken", flat=True)
        ) == {count}
    full = [s for s in CourseSession.objects.filter(locale=nb) if s.capacity == s.seats_taken]
    assert len(full) >= 10
    assert all(services.waiting_list(s).count() == 3 for s in full)
    assert sum(counted.values()) > 200


def test_seeding_the_demo_again_adds_no_enrolment(nb):
    before = Enrolment.objects.count()
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert Enrolment.objects.count() == before


# The page form


def test_str_carries_no_personal_data(nb):
    session = new_session(nb)
    enrolment = enrol(session, 7, phone="99 99 99 99")
    assert str(enrolment) == f"Påmelding {enrolment.pk} – {session.page.title}"
    assert "Deltakar" not in str(enrolment)


def test_retention_anonymises_participants_months_after_the_session(nb):
    ended = new_session(
        nb,
        start=timezone.now() - datetime.timedelta(days=400),
        enrolment_deadline=timezone.now() - datetime.timedelta(days=410),
    )
    recent = new_session(
        nb,
        start=timezone.now() - datetime.timedelta(days=300),
        enrolment_deadline=timezone.now() - datetime.timedelta(days=310),
    )
    bergen = Municipality.objects.get(number="4601")
    fields = {"language": "nb", "employer": bergen, "phone": "1", "special_needs": "Glutenfri"}
    old = Enrolment.objects.create(session=ended, name="A", email="a@example.no", **fields)
    kept = Enrolment.objects.create(session=recent, name="B", email="b@example.no", **fields)
    with override_settings(ENROLMENT_RETENTION_MONTHS=12):
        call_command("purge_personal_data", stdout=io.StringIO())
    old.refresh_from_db()
    kept.refresh_from_db()
    assert (old.name, old.email, old.phone, old.special_needs) == ("", "", "", "")
    assert old.anonymised_at is not None
    assert (old.state, old.employer, old.session) == (State.CONFIRMED, bergen, ended)
    assert (kept.name, kept.email, kept.anonymised_at) == ("B", "b@example.no", None)
    with override_settings(ENROLMENT_RETENTION_MONTHS=6):
        call_command("purge_personal_data", stdout=io.StringIO())
    kept.refresh_from_db()
    assert kept.email == ""
    # Counts stay: both rows are still there, holding their seats.
    assert Enrolment.objects.filter(session__in=[ended, recent], state__in=SEAT_STATES).count() == 2


# The course page's admin form


def edit_course(admin_client, session, **changes):
    """Publish the course page of `session` from the admin, its one session changed."""
    page = CoursePage.objects.get(pk=session.page_id)
    when = {
        name: timezone.localtime(getattr(session, name)).strftime("%Y-%m-%d %H:%M")
        for name in ("start", "end", "enrolment_deadline")
    }
    data = {
        "title": page.title,
        "slug": page.slug,
        "intro": page.intro,
        "category": page.category_id,
        "audiences": list(page.audiences.values_list("pk", flat=True)),
        "mode": page.mode,
        "provider": page.provider_id,
        "price": page.price,
        "body-count": "0",
        "learning_outcomes": rich_text(""),
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "1",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-id": session.pk,
        "sessions-0-ORDER": "1",
        "sessions-0-venue_name": session.venue_name,
        "sessions-0-municipality": session.municipality_id,
        "sessions-0-capacity": session.capacity,
        "sessions-0-status": session.status,
        "action-publish": "publish",
        **{f"sessions-0-{name}": value for name, value in when.items()},
        **{f"sessions-0-{name}": value for name, value in changes.items()},
    }
    return admin_client.post(f"/admin/pages/{page.pk}/edit/", data)


def test_the_admin_form_publishes_a_course_with_its_session(admin_client, nb):
    """The control for the refusals below: the same form data, unchanged, publishes."""
    session = new_session(nb, capacity=3)
    enrol(session, 0)
    response = edit_course(admin_client, session, capacity="4")
    assert response.status_code == 302
    assert CourseSession.objects.get(pk=session.pk).capacity == 4
    assert seats(session) == 1


def test_removing_a_session_with_enrolments_is_a_form_error(admin_client, nb):
    session = new_session(nb)
    enrol(session, 0)
    response = edit_course(admin_client, session, DELETE="1")
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "har påmeldinger og kan ikke fjernes" in str(errors)
    assert CourseSession.objects.filter(pk=session.pk).exists()


def test_a_session_without_enrolments_can_be_removed(admin_client, nb):
    session = new_session(nb)
    response = edit_course(admin_client, session, DELETE="1")
    assert response.status_code == 302
    assert not CourseSession.objects.filter(pk=session.pk).exists()


def test_the_admin_form_refuses_a_capacity_below_the_seats_held(admin_client, nb):
    session = new_session(nb, capacity=3)
    enrol(session, 0)
    enrol(session, 1)
    response = edit_course(admin_client, session, capacity="1")
    assert response.status_code == 200
    assert CourseSession.objects.get(pk=session.pk).capacity == 3
    assert "2 deltakere har plass" in response.text
