"""Domain rules of the courses room: when a visitor can enrol in a session.

The rule is written once, as data (`ENROLMENT_OPEN`), and read three ways: against a session in
Python (the course page, the feeds), as a SQL condition (the database search) and as an
Elasticsearch query (`search.elastic`), so the page, the filter and the counts always agree.
"""

import operator
from dataclasses import dataclass

from django.db.models import F, Q
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from .models import SessionStatus

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
