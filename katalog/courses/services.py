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
commit.
"""

import logging
import operator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.clients import client_ip, client_key
from portal.limits import tally, within_limit

from . import tasks
from .models import (
    ACTIVE_STATES,
    SEAT_STATES,
    CourseSession,
    Enrolment,
    EnrolmentState,
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
    EnrolmentState.AWAITING_APPROVAL: {
        EnrolmentState.CONFIRMED,
        EnrolmentState.WAITING,
        EnrolmentState.CANCELLED,
    },
    EnrolmentState.CONFIRMED: {
        EnrolmentState.CANCELLED,
        EnrolmentState.ATTENDED,
        EnrolmentState.NO_SHOW,
    },
    EnrolmentState.WAITING: {EnrolmentState.CONFIRMED, EnrolmentState.CANCELLED},
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
def seat_decision(session):
    """A transaction holding the session's lock; yields the source copy, read under it."""
    try:
        with transaction.atomic():
            pk = source_session(session).pk
            lock_session(pk)
            yield CourseSession.objects.get(pk=pk)
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise SessionBusy from error
        raise


def seats_held(session):
    """How many enrolments of the (source) session hold a seat, counted from the rows."""
    return Enrolment.objects.filter(session=session, state__in=SEAT_STATES).count()


def recount_seats(translation_keys):
    """Set `seats_taken` of every copy of these sessions from their enrolments, in one UPDATE."""
    held = (
        Enrolment.objects.filter(
            session__translation_key=OuterRef("translation_key"), state__in=SEAT_STATES
        )
        .order_by()
        .values("session__translation_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return CourseSession.objects.filter(translation_key__in=list(translation_keys)).update(
        seats_taken=Coalesce(Subquery(held), 0)
    )


def settle_course(page, now=None):
    """After a course page is published: its sessions were saved from the revision, counter and
    all, which may be older than the enrolments since; and a raised capacity frees seats for
    the waiting list. Returns the enrolments promoted."""
    now = now or timezone.now()
    promoted = []
    for session in page.sessions.all():
        with seat_decision(session) as source:
            promoted += _promote(source, now)
            recount_seats([source.translation_key])
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


def _promote(session, now):
    """Give the free seats to the first on the waiting list; they are told after the commit."""
    free = session.capacity - seats_held(session)
    promoted = list(waiting_list(session)[: max(free, 0)])
    for enrolment in promoted:
        _set_state(enrolment, EnrolmentState.CONFIRMED, now)
        pk = enrolment.pk
        transaction.on_commit(lambda pk=pk: tasks.send_promotion.enqueue(pk))
    return promoted


def enrol(session, *, email, now=None, **fields):
    """Enrol `email` in the session (either copy): confirmed while a seat is free, else on the
    waiting list. Raises EnrolmentClosed, AlreadyEnrolled or SessionBusy."""
    now = now or timezone.now()
    email = email.strip()
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
        state = EnrolmentState.CONFIRMED if free else EnrolmentState.WAITING
        try:
            # A savepoint: should the constraint catch a twin, the transaction lives on.
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    session=source,
                    state=state,
                    email=email,
                    created_at=now,
                    state_changed_at=now,
                    **fields,
                )
        except IntegrityError:
            raise AlreadyEnrolled(
                Enrolment.objects.filter(
                    session=source, state__in=ACTIVE_STATES, email__iexact=email
                ).first()
            ) from None
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
        if current.anonymised_at or state not in TRANSITIONS[EnrolmentState(current.state)]:
            raise StateTransitionError(
                _("An enrolment that is %(current)s cannot be made %(new)s.")
                % {
                    "current": current.get_state_display().lower(),
                    "new": EnrolmentState(state).label.lower(),
                }
            )
        into_seat = state in SEAT_STATES and current.state not in SEAT_STATES
        if into_seat and seats_held(source) >= source.capacity:
            raise StateTransitionError(_("The session has no free seat."))
        out_of_seat = current.state in SEAT_STATES and state not in SEAT_STATES
        _set_state(current, state, now)
        promoted = _promote(source, now) if out_of_seat else []
        recount_seats([source.translation_key])
    enrolment.state, enrolment.state_changed_at = current.state, current.state_changed_at
    return promoted


def cancel(enrolment, now=None):
    """The participant (or organiser) cancels; the seat goes to the first waiting."""
    return change_state(enrolment, EnrolmentState.CANCELLED, now)


def leave_waiting_list(enrolment, now=None):
    if enrolment.state != EnrolmentState.WAITING:
        raise StateTransitionError(_("Only someone on the waiting list can leave it."))
    return change_state(enrolment, EnrolmentState.CANCELLED, now)


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
    """`enrol` with the consent recorded, and the email with the link sent after the commit.

    A course that needs the line manager's approval stores the manager's address; until the
    approval flow exists such an enrolment is decided like any other.
    """
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
