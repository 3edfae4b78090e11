"""Domain rules of the guidance door: which centre serves whom, opening hours, abuse limits.

Views, the admin and commands call these; templates only show their results.
"""

import datetime
import logging
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from katalog.places.models import Municipality
from portal import content_cache
from portal.clients import client_ip, client_key  # noqa: F401 (views call services.client_ip)
from portal.limits import tally, within_limit, within_mail_limits

from . import tasks
from .models import (
    CentrePage,
    DecentralisedEducationPage,
    ExceptionDay,
    GuidanceRequest,
    OpeningHours,
    SelfAssessmentPage,
    Service,
    Weekday,
)

logger = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")


def _centre_details():
    """What a centre's listing and its own page show: its hours and the municipalities served."""
    return [
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        Prefetch("exception_days", queryset=ExceptionDay.objects.order_by("date")),
        "municipalities__region",
    ]


def centres_in(locale):
    """Live centres of a locale with everything a listing shows, in a constant number of queries."""
    return (
        CentrePage.objects.live()
        .public()
        .filter(locale=locale)
        .select_related("image")
        .prefetch_related(*_centre_details())
        .order_by("title")
    )


def with_details(centre):
    """The centre with its hours and municipalities read in one query each, unless they were
    (a listed centre has them; the routed centre page does not, and each weekday's hours and
    the served municipalities would otherwise be a query of their own)."""
    prefetch_related_objects([centre], *_centre_details())
    return centre


def listed_centres(locale):
    """The locale's live, public centres as the finder lists them, read once per content version.

    The centres are shared by every request (portal.content_cache): copy one before setting
    anything on it.
    """
    return content_cache.cached(
        "guidance-centres", lambda: list(centres_in(locale).select_related("locale")), locale.pk
    )


def municipalities():
    """Every municipality with its region, by name, read once per content version."""
    return content_cache.cached(
        "guidance-municipalities",
        lambda: list(Municipality.objects.select_related("region").order_by("name_nb")),
    )


def find_municipality(number):
    """The municipality with this four-digit number, or None for anything else."""
    number = (number or "").strip()
    if not (len(number) == 4 and number.isdigit()):
        return None
    return next((m for m in municipalities() if m.number == number), None)


def centres_serving(municipality, locale):
    """Read from the database: a stored request points at the centre, never at a shared copy."""
    return list(centres_in(locale).filter(municipalities=municipality))


def listed_centres_serving(municipality, locale):
    return [
        centre
        for centre in listed_centres(locale)
        if any(m.pk == municipality.pk for m in centre.municipalities.all())
    ]


def fallback_centre(locale):
    return centres_in(locale).filter(is_fallback=True).first()


# The service a centre must offer to be the best match for a request's topic.
TOPIC_SERVICES = {
    GuidanceRequest.Topic.CAREER: Service.CAREER_GUIDANCE,
    GuidanceRequest.Topic.STUDY: Service.STUDY_GUIDANCE,
    GuidanceRequest.Topic.PRIOR_LEARNING: Service.PRIOR_LEARNING,
}


def route_request(municipality, locale, topic=None):
    """The centre a guidance request goes to: (centre, used_fallback).

    Among the centres serving the municipality, the first (by title) that offers the service the
    topic asks for, else the first of them; when none serves it, the fallback centre.
    """
    serving = centres_serving(municipality, locale)
    if serving:
        service = TOPIC_SERVICES.get(topic)
        matching = [centre for centre in serving if service in centre.services]
        return (matching or serving)[0], False
    return fallback_centre(locale), True


def door_pages(index):
    """The guidance page's live, public (education page, self-assessment), either may be None,
    read once per content version."""

    def compute():
        return tuple(
            model.objects.child_of(index).live().public().first()
            for model in (DecentralisedEducationPage, SelfAssessmentPage)
        )

    if index.pk is None:  # a preview of a page not yet saved
        return compute()
    return content_cache.cached("guidance-door-pages", compute, index.pk)


def centres_by_region(locale):
    """All centres, grouped under each region they serve: [(region, [centres])]."""
    regions = {}
    for centre in listed_centres(locale):
        for municipality in centre.municipalities.all():
            regions.setdefault(municipality.region, [])
            if centre not in regions[municipality.region]:
                regions[municipality.region].append(centre)
    return sorted(regions.items(), key=lambda item: item[0].name)


@dataclass
class OpeningStatus:
    is_open: bool
    date: datetime.date
    periods: list = field(default_factory=list)
    exception: ExceptionDay | None = None


def hours_on(centre, day):
    """(periods, exception) for a date: an exception day overrides the weekday's hours."""
    with_details(centre)
    exception = next((e for e in centre.exception_days.all() if e.date == day), None)
    if exception:
        periods = [] if exception.is_closed else [(exception.opens, exception.closes)]
        return periods, exception
    periods = [
        (h.opens, h.closes) for h in centre.opening_hours.all() if h.weekday == day.weekday()
    ]
    return periods, None


def weekly_hours(centre):
    """[(weekday, [(opens, closes)])] for Monday to Sunday; an empty list is a closed day."""
    with_details(centre)
    return [
        (day, [(h.opens, h.closes) for h in centre.opening_hours.all() if h.weekday == day])
        for day in Weekday
    ]


def opening_status(centre, at=None):
    """Whether the centre is open at `at` (an aware datetime; now by default), in Oslo time."""
    local = timezone.localtime(at or timezone.now(), OSLO)
    periods, exception = hours_on(centre, local.date())
    now = local.time()
    is_open = any(opens <= now < closes for opens, closes in periods)
    return OpeningStatus(is_open=is_open, date=local.date(), periods=periods, exception=exception)


def upcoming_exceptions(centre, at=None, days=60):
    today = timezone.localtime(at or timezone.now(), OSLO).date()
    last = today + datetime.timedelta(days=days)
    with_details(centre)
    return [e for e in centre.exception_days.all() if today <= e.date <= last]


def allow_submission(ip):
    """Count a post from `ip` (its /64 for IPv6); False once it exceeds the limit."""
    limit, window = settings.GUIDANCE_REQUEST_RATE_LIMIT
    return within_limit(f"ratelimit:guidance-request:{client_key(ip)}", limit, window)


def allow_receipt(email):
    """Whether a receipt may go to `email`: a limit per address and one per hour overall, so
    the form cannot aim the network's mail at somebody's inbox. The address is kept hashed."""
    return within_mail_limits(
        "receipt",
        email,
        settings.GUIDANCE_RECEIPT_LIMIT_PER_ADDRESS,
        settings.GUIDANCE_RECEIPT_LIMIT_PER_HOUR,
    )


SPAM_COUNTER = "guidance-request:spam-dropped"


def record_spam():
    """Count a post the honeypot caught, so dropped posts are visible rather than lost; the log
    names no client address (that would be personal data kept for as long as the logs)."""
    total = tally(SPAM_COUNTER)
    logger.warning("Guidance request dropped by the honeypot (%d so far)", total)
    return total


def create_request(*, locale, language, municipality, self_assessment="", **fields):
    """Store a guidance request, routed to its centre; the emails go out after the commit."""
    centre, used_fallback = route_request(municipality, locale, fields.get("topic"))
    with transaction.atomic():
        guidance_request = GuidanceRequest.objects.create(
            language=language,
            municipality=municipality,
            centre=centre,
            routed_to_fallback=used_fallback,
            self_assessment=self_assessment,
            consented_at=timezone.now(),
            **fields,
        )
        pk = guidance_request.pk
        if guidance_request.email and allow_receipt(guidance_request.email):
            transaction.on_commit(lambda: tasks.send_receipt.enqueue(pk))
        elif guidance_request.email:
            logger.warning("No receipt for guidance request %s: the receipt limit is reached", pk)
        transaction.on_commit(lambda: tasks.notify_centre.enqueue(pk))
    return guidance_request


# The inbox's workflow: new → contacted → closed, and back when a case is reopened.
STATUS_TRANSITIONS = {
    GuidanceRequest.Status.NEW: {GuidanceRequest.Status.CONTACTED, GuidanceRequest.Status.CLOSED},
    GuidanceRequest.Status.CONTACTED: {GuidanceRequest.Status.NEW, GuidanceRequest.Status.CLOSED},
    GuidanceRequest.Status.CLOSED: {GuidanceRequest.Status.CONTACTED},
}


class StatusTransitionError(ValueError):
    pass


def allowed_statuses(guidance_request):
    """The statuses a request can move to from its current one, itself included."""
    current = GuidanceRequest.Status(guidance_request.status)
    return {current, *STATUS_TRANSITIONS[current]}


def change_status(guidance_request, status, at=None):
    """Move a request to `status` if the workflow allows it; the purge counts from the change.

    An anonymised request stays closed: there is nobody left to contact.
    """
    if status == guidance_request.status:
        return
    if guidance_request.anonymised_at or status not in allowed_statuses(guidance_request):
        raise StatusTransitionError(
            _("A request that is %(current)s cannot be marked %(new)s.")
            % {
                "current": guidance_request.get_status_display().lower(),
                "new": GuidanceRequest.Status(status).label.lower(),
            }
        )
    guidance_request.status = status
    guidance_request.status_changed_at = at or timezone.now()
    # The deadline of an open request counts from this change; a new warning is due before it.
    guidance_request.expiry_warned_at = None
