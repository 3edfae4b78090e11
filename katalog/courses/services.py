"""Domain rules of the courses room: when a visitor can enrol in a session, and enrolment.

The rule is written once, as data (`ENROLMENT_OPEN`), and read three ways: against a session in
Python (the course page, the feeds, `enrol`), as a SQL condition (the database search) and as an
Elasticsearch query (`search.elastic`), so the page, the filter and the counts always agree.

Enrolment: every change of an enrolment's state goes through `change_state` (and the
operations built on it) under the session's lock, which `seat_decision` takes: on PostgreSQL a
row lock (`select_for_update`, with `ENROLMENT_LOCK_TIMEOUT_MS`), on SQLite the write lock that
every transaction takes when it begins (`transaction_mode = "IMMEDIATE"`). Under it the seats are
counted from the enrolments themselves, never from the counter, and the counter
(`CourseSession.seats_taken`, on every copy of the session) is set from that count before the
commit; `seats_changed` is sent after it (the Elasticsearch index listens).

Line-manager approval: in a course that needs it, a free seat is held for the request while the
manager decides, for ENROLMENT_APPROVAL_HOLD_DAYS at most and never past the session's start;
a request not decided by then is released (`release_expired_approval`, run by the worker at
that moment) and the seat goes to the first waiting. With no free seat the request waits on the
waiting list, and the manager is asked when it is promoted.

Scheduled email: the reminder (ENROLMENT_REMINDER_DAYS before the start) and the evaluation
request (ENROLMENT_EVALUATION_DELAY_HOURS after the end, sent if the participant attended) are
enqueued with a run-after time when the enrolment is made. The moments are kept on the
enrolment too; a task that finds another moment there (the participant or the session moved,
or the enrolment was cancelled) sends nothing, so moving reschedules and cancelling drops them.
"""

import datetime
import logging
import operator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from portal import content_cache
from portal.clients import client_ip, client_key
from portal.limits import tally, within_limit

from . import tasks
from .models import (
    ACTIVE_STATES,
    SEAT_STATES,
    CourseSession,
    Enrolment,
    EnrolmentState,
    Evaluation,
    SessionStatus,
)

logger = logging.getLogger(__name__)

NOW = object()  # stands for the moment the rule is checked at


@dataclass(frozen=True)
class Condition:
    field: str  # an attribute of CourseSession, and a field of the same name in the index
    lookup: str  # "exact", "gte" or "gt"
    value: object
    fails_as: str  # what a session is when this is the first condition it fails


# A visitor can enrol while every condition holds; checked in this order.
ENROLMENT_OPEN = (
    Condition("status", "exact", SessionStatus.OPEN, "cancelled"),
    Condition("enrolment_deadline", "gte", NOW, "closed"),
    Condition("free_seats", "gt", 0, "full"),
)

COMPARE = {"exact": operator.eq, "gte": operator.ge, "gt": operator.gt}
SQL_LOOKUPS = {"exact": Exact, "gte": GreaterThanOrEqual, "gt": GreaterThan}
# Attributes that are computed in Python and so need their SQL expression.
SQL_EXPRESSIONS = {"free_seats": F("capacity") - F("seats_taken")}


def enrolment_conditions(now=None):
    """[(field, lookup, value)] of the rule, with NOW resolved to `now`."""
    now = now or timezone.now()
    return [(c.field, c.lookup, now if c.value is NOW else c.value) for c in ENROLMENT_OPEN]


def availability(session, now=None):
    """open, full (waiting list), closed (deadline passed) or cancelled."""
    for condition, (field, lookup, value) in zip(
        ENROLMENT_OPEN, enrolment_conditions(now), strict=True
    ):
        if not COMPARE[lookup](getattr(session, field), value):
            return condition.fails_as
    return "open"


def enrollable_q(now=None):
    """The sessions a visitor can enrol in now, as a condition for querysets and aggregates."""
    return Q(
        *(
            SQL_LOOKUPS[lookup](SQL_EXPRESSIONS.get(field, F(field)), value)
            for field, lookup, value in enrolment_conditions(now)
        )
    )


# Enrolment

# Every move an enrolment can make. Waiting → confirmed is a promotion, which needs a free seat;
# attended and no-show can be corrected into each other; a cancelled enrolment stays cancelled
# (the person enrols again, at the back of the queue).
TRANSITIONS = {
    EnrolmentState.AWAITING_APPROVAL: {EnrolmentState.CONFIRMED, EnrolmentState.CANCELLED},
    EnrolmentState.CONFIRMED: {
        EnrolmentState.CANCELLED,
        EnrolmentState.ATTENDED,
        EnrolmentState.NO_SHOW,
    },
    EnrolmentState.WAITING: {
        EnrolmentState.AWAITING_APPROVAL,
        EnrolmentState.CONFIRMED,
        EnrolmentState.CANCELLED,
    },
    EnrolmentState.CANCELLED: set(),
    EnrolmentState.ATTENDED: {EnrolmentState.NO_SHOW},
    EnrolmentState.NO_SHOW: {EnrolmentState.ATTENDED},
}


class EnrolmentError(Exception):
    """Something the participant or organiser is told in words; never a 500."""


class EnrolmentClosed(EnrolmentError):
    def __init__(self, reason):
        self.reason = reason  # "closed" (deadline passed) or "cancelled", as `availability`
        super().__init__(
            _("The session is cancelled.")
            if reason == "cancelled"
            else _("The enrolment deadline has passed.")
        )


class AlreadyEnrolled(EnrolmentError):
    """The email already holds a place (or a wait for one); the view offers to resend its link."""

    def __init__(self, enrolment):
        self.enrolment = enrolment
        super().__init__(_("This email address is already enrolled in the session."))


class StateTransitionError(EnrolmentError):
    pass


class CapacityError(EnrolmentError):
    pass


class AlreadyEvaluated(EnrolmentError):
    def __init__(self):
        super().__init__(_("You have already answered the evaluation. Thank you!"))


class SessionBusy(EnrolmentError):
    """The session's lock was not free in time: the visitor is asked to try again."""

    def __init__(self):
        super().__init__(_("Many are enrolling right now. Please try again."))


def source_session(session):
    """The copy of a session that enrolments belong to: the one in the default language (the
    catalogue is written in bokmål and translated), else the first made."""
    return (
        CourseSession.objects.filter(translation_key=session.translation_key)
        .order_by(
            Case(
                When(locale__language_code=settings.LANGUAGE_CODE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "pk",
        )
        .first()
    )


def lock_session(pk):
    """Hold the session's row until the transaction ends; the one lock of the seat decision.

    On SQLite the transaction already holds the database's write lock (IMMEDIATE), and
    select_for_update does nothing.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.ENROLMENT_LOCK_TIMEOUT_MS)}")
    list(CourseSession.objects.select_for_update().filter(pk=pk).values_list("pk"))


def _is_lock_timeout(error):
    # PostgreSQL's lock_not_available; SQLite's busy timeout running out.
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "55P03" or "database is locked" in str(error)


@contextmanager
def seat_decision(session, *others):
    """A transaction holding the session's lock (and the others', taken in one order so two
    moves cannot deadlock); yields the source copy, or the copies, read under it."""
    try:
        with transaction.atomic():
            pks = [source_session(each).pk for each in (session, *others)]
            for pk in sorted(set(pks)):
                lock_session(pk)
            sources = [CourseSession.objects.select_related("page").get(pk=pk) for pk in pks]
            yield sources[0] if not others else sources
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise SessionBusy from error
        raise


def seats_held(session):
    """How many enrolments of the (source) session hold a seat, counted from the rows."""
    return Enrolment.objects.filter(session=session, state__in=SEAT_STATES).count()


# Sent after the commit of a change of seats, with the sessions' translation keys.
seats_changed = Signal()


def recount_seats(translation_keys):
    """Set `seats_taken` of every copy of these sessions from their enrolments, in one UPDATE;
    `seats_changed` follows the commit."""
    held = (
        Enrolment.objects.filter(
            session__translation_key=OuterRef("translation_key"), state__in=SEAT_STATES
        )
        .order_by()
        .values("session__translation_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    keys = list(translation_keys)
    transaction.on_commit(lambda: seats_changed.send(sender=CourseSession, translation_keys=keys))
    content_cache.changed()  # cached pages show seats
    return CourseSession.objects.filter(translation_key__in=keys).update(
        seats_taken=Coalesce(Subquery(held), 0)
    )


def settle_course(page, now=None):
    """After a course page is published: its sessions were saved from the revision, counter and
    all, which may be older than the enrolments since; a raised capacity frees seats for the
    waiting list; and a session that moved moves its reminders. Returns the enrolments promoted."""
    now = now or timezone.now()
    promoted = []
    for session in page.sessions.all():
        with seat_decision(session) as source:
            promoted += _promote(source, now)
            recount_seats([source.translation_key])
            for enrolment in Enrolment.objects.filter(session=source, state__in=ACTIVE_STATES):
                if _due_times(source, now) != (
                    enrolment.reminder_due_at,
                    enrolment.evaluation_due_at,
                ):
                    _schedule(enrolment, source, now)
    return promoted


def _set_state(enrolment, state, now):
    enrolment.state = state
    enrolment.state_changed_at = now
    enrolment.save(update_fields=["state", "state_changed_at"])


def waiting_list(session):
    """The source session's waiting list, first come first served."""
    return Enrolment.objects.filter(session=session, state=EnrolmentState.WAITING).order_by(
        "created_at", "id"
    )


def waiting_position(enrolment):
    """1 for the first on the waiting list, and so on; None when not waiting."""
    if enrolment.state != EnrolmentState.WAITING:
        return None
    ahead = waiting_list(enrolment.session_id).filter(
        Q(created_at__lt=enrolment.created_at)
        | Q(created_at=enrolment.created_at, id__lt=enrolment.id)
    )
    return ahead.count() + 1


def _needs_approval(session):
    return session.page.manager_approval_required


def _seat_state(session):
    """The state a seat is given in: awaiting the manager's approval where the course asks."""
    if _needs_approval(session):
        return EnrolmentState.AWAITING_APPROVAL
    return EnrolmentState.CONFIRMED


def _hold_for_approval(enrolment, session, now):
    """Ask the manager, and hold the seat until the hold ends."""
    hold = now + datetime.timedelta(days=settings.ENROLMENT_APPROVAL_HOLD_DAYS)
    enrolment.approval_expires_at = min(hold, session.start)
    enrolment.save(update_fields=["approval_expires_at"])
    pk, expires = enrolment.pk, enrolment.approval_expires_at
    transaction.on_commit(lambda: tasks.send_approval_request.enqueue(pk))
    _later(release_expired_approval_task, expires, pk, expires.isoformat())


def _take_seat(enrolment, session, now):
    """Put the enrolment into the session's seat state (approval asked where needed)."""
    state = _seat_state(session)
    if state == EnrolmentState.AWAITING_APPROVAL:
        _hold_for_approval(enrolment, session, now)
    _set_state(enrolment, state, now)


def _promote(session, now):
    """Give the free seats to the first on the waiting list; they are told after the commit."""
    free = session.capacity - seats_held(session)
    promoted = list(waiting_list(session)[: max(free, 0)])
    for enrolment in promoted:
        _take_seat(enrolment, session, now)
        pk = enrolment.pk
        transaction.on_commit(lambda pk=pk: tasks.send_promotion.enqueue(pk))
    return promoted


def _later(task_, when, *args):
    """Enqueue the task to run at `when`, after the commit, where the backend can wait (the
    database backend of production); the immediate backend of development cannot, and nothing
    is scheduled there."""
    if task_.get_backend().supports_defer:
        transaction.on_commit(lambda: task_.using(run_after=when).enqueue(*args))


def _due_times(session, now):
    """(reminder, evaluation request) for an enrolment in the session; no reminder when the
    start is nearer than the reminder would be."""
    reminder = session.start - datetime.timedelta(days=settings.ENROLMENT_REMINDER_DAYS)
    evaluation = session.end + datetime.timedelta(hours=settings.ENROLMENT_EVALUATION_DELAY_HOURS)
    return (reminder if reminder > now else None, evaluation)


def _schedule(enrolment, session, now):
    """Set the moments of the enrolment's reminder and evaluation request, and enqueue both; an
    earlier task for another moment then finds it changed and sends nothing."""
    enrolment.reminder_due_at, enrolment.evaluation_due_at = _due_times(session, now)
    enrolment.save(update_fields=["reminder_due_at", "evaluation_due_at"])
    _enqueue_scheduled(enrolment)


def _enqueue_scheduled(enrolment):
    pk = enrolment.pk
    if enrolment.reminder_due_at:
        due = enrolment.reminder_due_at
        _later(tasks.send_reminder, due, pk, due.isoformat())
    due = enrolment.evaluation_due_at
    _later(tasks.send_evaluation_request, due, pk, due.isoformat())


def enrol(session, *, email, now=None, **fields):
    """Enrol `email` in the session (either copy): confirmed while a seat is free, else on the
    waiting list. Raises EnrolmentClosed, AlreadyEnrolled or SessionBusy."""
    now = now or timezone.now()
    email = email.strip().lower()  # one address, whatever the case it is typed in
    with seat_decision(session) as source:
        reason = availability(source, now)
        if reason in ("closed", "cancelled"):
            raise EnrolmentClosed(reason)
        existing = Enrolment.objects.filter(
            session=source, state__in=ACTIVE_STATES, email__iexact=email
        ).first()
        if existing:
            raise AlreadyEnrolled(existing)
        free = seats_held(source) < source.capacity
        state = _seat_state(source) if free else EnrolmentState.WAITING
        try:
            # A savepoint: should the constraint catch a twin, the transaction lives on.
            with transaction.atomic():
                reminder, evaluation = _due_times(source, now)
                enrolment = Enrolment.objects.create(
                    session=source,
                    state=state,
                    email=email,
                    created_at=now,
                    state_changed_at=now,
                    reminder_due_at=reminder,
                    evaluation_due_at=evaluation,
                    **fields,
                )
        except IntegrityError:
            raise AlreadyEnrolled(
                Enrolment.objects.filter(
                    session=source, state__in=ACTIVE_STATES, email__iexact=email
                ).first()
            ) from None
        if state == EnrolmentState.AWAITING_APPROVAL:
            _hold_for_approval(enrolment, source, now)
        _enqueue_scheduled(enrolment)
        recount_seats([source.translation_key])
    return enrolment


def change_state(enrolment, state, now=None):
    """Move an enrolment to `state` if TRANSITIONS allow it; returns the enrolments promoted.

    A move into a seat needs a free one; a move out of one gives it to the first waiting, in the
    same transaction.
    """
    now = now or timezone.now()
    with seat_decision(enrolment.session) as source:
        current = Enrolment.objects.get(pk=enrolment.pk)
        promoted = _change_state(current, source, state, now)
    enrolment.state, enrolment.state_changed_at = current.state, current.state_changed_at
    return promoted


def _refuse(current, state):
    raise StateTransitionError(
        _("An enrolment that is %(current)s cannot be made %(new)s.")
        % {
            "current": current.get_state_display().lower(),
            "new": EnrolmentState(state).label.lower(),
        }
    )


def _change_state(current, source, state, now):
    """change_state under the session's lock, with `current` read under it."""
    if current.anonymised_at or state not in TRANSITIONS[EnrolmentState(current.state)]:
        _refuse(current, state)
    into_seat = state in SEAT_STATES and current.state not in SEAT_STATES
    if into_seat and seats_held(source) >= source.capacity:
        raise StateTransitionError(_("The session has no free seat."))
    out_of_seat = current.state in SEAT_STATES and state not in SEAT_STATES
    if state == EnrolmentState.CANCELLED:
        # The scheduled emails find no moment left, and send nothing.
        current.reminder_due_at = current.evaluation_due_at = current.approval_expires_at = None
        current.save(update_fields=["reminder_due_at", "evaluation_due_at", "approval_expires_at"])
    _set_state(current, state, now)
    promoted = _promote(source, now) if out_of_seat else []
    recount_seats([source.translation_key])
    return promoted


def cancel(enrolment, now=None):
    """The participant (or organiser) cancels; the seat goes to the first waiting."""
    return change_state(enrolment, EnrolmentState.CANCELLED, now)


def leave_waiting_list(enrolment, now=None):
    if enrolment.state != EnrolmentState.WAITING:
        raise StateTransitionError(_("Only someone on the waiting list can leave it."))
    return change_state(enrolment, EnrolmentState.CANCELLED, now)


def promote(enrolment, now=None):
    """The organiser gives a free seat to someone on the waiting list, out of turn; in a course
    that needs approval their manager is asked first."""
    now = now or timezone.now()
    with seat_decision(enrolment.session) as source:
        current = Enrolment.objects.get(pk=enrolment.pk)
        if current.state != EnrolmentState.WAITING or current.anonymised_at:
            _refuse(current, EnrolmentState.CONFIRMED)
        if seats_held(source) >= source.capacity:
            raise StateTransitionError(_("The session has no free seat."))
        _take_seat(current, source, now)
        recount_seats([source.translation_key])
    transaction.on_commit(lambda: tasks.send_promotion.enqueue(current.pk))
    enrolment.state = current.state
    return current


def approve(enrolment, now=None):
    """The line manager approves: the held seat becomes the participant's."""
    now = now or timezone.now()
    with seat_decision(enrolment.session) as source:
        current = Enrolment.objects.get(pk=enrolment.pk)
        if current.state != EnrolmentState.AWAITING_APPROVAL:
            _refuse(current, EnrolmentState.CONFIRMED)
        _change_state(current, source, EnrolmentState.CONFIRMED, now)
    transaction.on_commit(lambda: tasks.send_approval_decision.enqueue(current.pk))
    enrolment.state = current.state
    return current


def decline(enrolment, now=None):
    """The line manager declines: the seat goes to the first waiting; the participant is told."""
    now = now or timezone.now()
    with seat_decision(enrolment.session) as source:
        current = Enrolment.objects.get(pk=enrolment.pk)
        if current.state != EnrolmentState.AWAITING_APPROVAL:
            _refuse(current, EnrolmentState.CANCELLED)
        promoted = _change_state(current, source, EnrolmentState.CANCELLED, now)
    transaction.on_commit(lambda: tasks.send_approval_decision.enqueue(current.pk))
    enrolment.state = current.state
    return promoted


def release_expired_approval(enrolment_id, expires_at, now=None):
    """Release a request whose hold ended undecided (the worker runs this at that moment);
    returns False when it was decided meanwhile, or its hold moved."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.filter(pk=enrolment_id).select_related("session").first()
    if enrolment is None:
        return False
    with seat_decision(enrolment.session) as source:
        current = Enrolment.objects.get(pk=enrolment_id)
        if (
            current.state != EnrolmentState.AWAITING_APPROVAL
            or current.approval_expires_at != expires_at
            or expires_at > now
        ):
            return False
        _change_state(current, source, EnrolmentState.CANCELLED, now)
    transaction.on_commit(lambda: tasks.send_approval_expired.enqueue(enrolment_id))
    return True


# The scheduled job applies a rule, so it lives with the rules (tasks sits below services).
@task()
def release_expired_approval_task(enrolment_id, expires_at):
    return release_expired_approval(enrolment_id, datetime.datetime.fromisoformat(expires_at))


def mark_attendance(enrolment, attended, now=None):
    """Attended or no-show; someone marked attended after the evaluation request was due gets
    it now."""
    now = now or timezone.now()
    state = EnrolmentState.ATTENDED if attended else EnrolmentState.NO_SHOW
    change_state(enrolment, state, now)
    due = enrolment.evaluation_due_at
    if attended and due and due <= now and not enrolment.evaluation_requested_at:
        transaction.on_commit(
            lambda: tasks.send_evaluation_request.enqueue(enrolment.pk, due.isoformat())
        )


def move(enrolment, session, now=None):
    """Move a participant (holding a seat, or waiting) into a free seat of another session of
    the same course; their link, and their reminders rescheduled, follow them."""
    now = now or timezone.now()
    with seat_decision(enrolment.session, session) as (source, target):
        current = Enrolment.objects.get(pk=enrolment.pk)
        if source.page_id != target.page_id or source.pk == target.pk:
            raise EnrolmentError(_("Choose another session of the same course."))
        if current.anonymised_at or current.state not in ACTIVE_STATES:
            raise StateTransitionError(
                _("An enrolment that is %(current)s cannot be moved.")
                % {"current": current.get_state_display().lower()}
            )
        if target.status == SessionStatus.CANCELLED or seats_held(target) >= target.capacity:
            raise EnrolmentError(_("The other session has no free seat, or is cancelled."))
        if Enrolment.objects.filter(
            session=target, state__in=ACTIVE_STATES, email__iexact=current.email
        ).exists():
            raise EnrolmentError(_("The participant is already enrolled in the other session."))
        held_seat = current.state in SEAT_STATES
        current.session = target
        current.save(update_fields=["session"])
        if current.state == EnrolmentState.WAITING:
            _take_seat(current, target, now)
        _schedule(current, target, now)
        if held_seat:
            _promote(source, now)
        recount_seats([source.translation_key, target.translation_key])
    transaction.on_commit(lambda: tasks.send_enrolment.enqueue(current.pk))
    enrolment.session, enrolment.state = target, current.state
    return current


def cancel_session(session, now=None):
    """Cancel the session on every copy: everyone enrolled is cancelled and told, and their
    scheduled emails are dropped. Returns how many were told."""
    now = now or timezone.now()
    with seat_decision(session) as source:
        if source.status == SessionStatus.CANCELLED:
            raise EnrolmentError(_("The session is already cancelled."))
        CourseSession.objects.filter(translation_key=source.translation_key).update(
            status=SessionStatus.CANCELLED
        )
        told = list(
            Enrolment.objects.filter(session=source, state__in=ACTIVE_STATES).values_list(
                "pk", flat=True
            )
        )
        Enrolment.objects.filter(pk__in=told).update(
            state=EnrolmentState.CANCELLED,
            state_changed_at=now,
            reminder_due_at=None,
            evaluation_due_at=None,
            approval_expires_at=None,
        )
        recount_seats([source.translation_key])
    for pk in told:
        transaction.on_commit(lambda pk=pk: tasks.send_session_cancelled.enqueue(pk))
    return len(told)


def submit_evaluation(enrolment, **answers):
    """The participant's one answer to the evaluation; only after attending."""
    if enrolment.state != EnrolmentState.ATTENDED or enrolment.anonymised_at:
        raise EnrolmentError(_("Only participants who attended can evaluate the course."))
    try:
        with transaction.atomic():
            return Evaluation.objects.create(enrolment=enrolment, **answers)
    except IntegrityError:
        raise AlreadyEvaluated from None


def set_capacity(session, capacity, now=None):
    """Change a session's capacity on every copy; returns the enrolments promoted.

    Refused below the seats held: an organiser cancels participants first, never overbooks.
    """
    now = now or timezone.now()
    with seat_decision(session) as source:
        held = seats_held(source)
        if capacity < held:
            raise CapacityError(
                _("%(held)s participants hold a seat: the capacity cannot be lower.")
                % {"held": held}
            )
        CourseSession.objects.filter(translation_key=source.translation_key).update(
            capacity=capacity
        )
        source.capacity = capacity
        promoted = _promote(source, now)
        recount_seats([source.translation_key])
    return promoted


# The public form


def allow_enrolment_post(request):
    """Count a post of the enrolment form (or a request to resend a link) from the visitor's
    client (an IPv6 client's /64); False once past ENROLMENT_RATE_LIMIT."""
    limit, window = settings.ENROLMENT_RATE_LIMIT
    return within_limit(f"ratelimit:enrolment:{client_key(client_ip(request))}", limit, window)


SPAM_COUNTER = "enrolment:spam-dropped"


def record_spam():
    """Count a post the honeypot caught; the log names no client address."""
    total = tally(SPAM_COUNTER)
    logger.warning("Enrolment dropped by the honeypot (%d so far)", total)
    return total


def enrol_from_form(session, *, language, consent_version, now=None, **fields):
    """`enrol` with the consent recorded, and the email with the link sent after the commit."""
    now = now or timezone.now()
    enrolment = enrol(
        session,
        now=now,
        language=language,
        consented_at=now,
        consent_version=consent_version,
        **fields,
    )
    transaction.on_commit(
        lambda: tasks.send_enrolment.enqueue(enrolment.pk, waiting_position(enrolment))
    )
    return enrolment


def resend_link(enrolment):
    """Send the enrolment's email again, to the address on record and nowhere else."""
    transaction.on_commit(
        lambda: tasks.send_enrolment.enqueue(enrolment.pk, waiting_position(enrolment))
    )


# The organisers' reports

# Billed: every participant who held a seat at the start. A no-show held a seat someone else
# could have had; a request still awaiting approval, a wait, and a cancellation are never billed.
BILLABLE_STATES = (EnrolmentState.CONFIRMED, EnrolmentState.ATTENDED, EnrolmentState.NO_SHOW)


@dataclass(frozen=True)
class InvoiceLine:
    employer: str
    session: CourseSession
    participants: int
    price: int

    @property
    def amount(self):
        return self.participants * self.price


def employer_label(enrolment):
    """The municipality, else the other employer's name as given."""
    if enrolment.employer_id:
        return str(enrolment.employer)
    return enrolment.employer_other.strip() or _("(no employer given)")


def invoice_basis(enrolments, date_from=None, date_to=None):
    """(lines, totals per employer, grand total) of the billable enrolments among
    `enrolments`, for the sessions starting between the two dates (either may be None): one
    line per employer and session, the participants times the course's price."""
    billable = enrolments.filter(state__in=BILLABLE_STATES).select_related(
        "employer", "session__page"
    )
    if date_from:
        billable = billable.filter(session__start__date__gte=date_from)
    if date_to:
        billable = billable.filter(session__start__date__lte=date_to)
    counts = {}
    for enrolment in billable.order_by("session__start", "session_id"):
        key = (employer_label(enrolment), enrolment.session)
        counts[key] = counts.get(key, 0) + 1
    lines = sorted(
        (
            InvoiceLine(employer, session, n, session.page.price)
            for (employer, session), n in counts.items()
        ),
        key=lambda line: (line.employer.lower(), line.session.start, line.session.pk),
    )
    totals = {}
    for line in lines:
        totals[line.employer] = totals.get(line.employer, 0) + line.amount
    return lines, totals, sum(totals.values())
