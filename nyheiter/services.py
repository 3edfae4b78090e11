"""The newsletter's rules: double opt-in, unsubscribing, abuse limits and the digest.

Nothing but the confirmation email goes to an address that has not confirmed. The answer to a
subscription is the same whatever the address's state, so the form tells nobody whether an
address is on the list.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from portal.clients import client_ip, client_key  # noqa: F401 (views call services.client_ip)
from portal.limits import tally, within_limit, within_mail_limits

from . import tasks
from .models import Digest, NewsPage, Subscriber

logger = logging.getLogger(__name__)

SPAM_COUNTER = "newsletter:spam-dropped"


def allow_subscription(ip):
    """Count a subscription from `ip` (its /64 for IPv6); False once it exceeds the limit."""
    limit, window = settings.NEWSLETTER_SUBSCRIBE_RATE_LIMIT
    return within_limit(f"ratelimit:newsletter:{client_key(ip)}", limit, window)


def allow_confirmation(email):
    """Whether a confirmation email may go to `email`: a limit per address (kept hashed) and
    one per hour overall, so the form cannot aim the network's mail at somebody's inbox."""
    return within_mail_limits(
        "newsletter-confirm",
        email,
        settings.NEWSLETTER_CONFIRMATION_LIMIT_PER_ADDRESS,
        settings.NEWSLETTER_CONFIRMATION_LIMIT_PER_HOUR,
    )


def record_spam():
    """Count a post the honeypot caught; the log names no client address."""
    total = tally(SPAM_COUNTER)
    logger.warning("Newsletter subscription dropped by the honeypot (%d so far)", total)
    return total


def _find(email):
    return (
        Subscriber.objects.select_for_update()
        .annotate(lower_email=Lower("email"))
        .filter(lower_email=email.strip().lower())
        .first()
    )


def subscribe(email, language):
    """Ask `email` to confirm a subscription in `language`. A confirmed address stays as it is
    and hears nothing (its owner subscribed already); any other is pending until it confirms."""
    email = email.strip()
    with transaction.atomic():
        subscriber = _find(email)
        if subscriber is not None and subscriber.state == Subscriber.State.CONFIRMED:
            return subscriber
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(email=email, language=language)
            except IntegrityError:  # the same address, subscribed at the same moment
                return _find(email)
        else:
            subscriber.language = language
            subscriber.state = Subscriber.State.PENDING
            subscriber.created_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["language", "state", "created_at", "unsubscribed_at"])
        pk = subscriber.pk
        if allow_confirmation(email):
            transaction.on_commit(lambda: tasks.send_confirmation.enqueue(pk))
        else:
            logger.warning("No confirmation for subscriber %s: the limit is reached", pk)
    return subscriber


def confirm(subscriber):
    """Confirm a pending subscription; True when it is (now or already) confirmed."""
    if subscriber.state == Subscriber.State.PENDING:
        Subscriber.objects.filter(pk=subscriber.pk, state=Subscriber.State.PENDING).update(
            state=Subscriber.State.CONFIRMED, confirmed_at=timezone.now()
        )
        subscriber.refresh_from_db()
    return subscriber.state == Subscriber.State.CONFIRMED


def unsubscribe(subscriber):
    """End the subscription; no email goes to the address again unless it subscribes anew."""
    if subscriber.state != Subscriber.State.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            state=Subscriber.State.UNSUBSCRIBED, unsubscribed_at=timezone.now()
        )
        subscriber.refresh_from_db()
    return subscriber


# The digest


def previous_cutoff():
    last = Digest.objects.order_by("-cutoff").first()
    if last is not None:
        return last.cutoff
    # The first digest goes back this far, not to the first news ever written.
    return timezone.now() - datetime.timedelta(days=settings.NEWSLETTER_FIRST_DIGEST_DAYS)


def news_since(since, cutoff, language):
    """The live, public news of one standard first published in (since, cutoff]; aliases of
    untranslated articles are left out (they would be in the other standard)."""
    return list(
        NewsPage.objects.live()
        .public()
        .filter(
            locale__language_code=language,
            alias_of__isnull=True,
            first_published_at__gt=since,
            first_published_at__lte=cutoff,
        )
        .select_related("locale")
        .order_by("-first_published_at", "-pk")
    )


def recipients(language):
    return Subscriber.objects.filter(state=Subscriber.State.CONFIRMED, language=language)


def preview(cutoff=None):
    """What a digest sent now would hold: {language: (news, number of recipients)}."""
    cutoff = cutoff or timezone.now()
    since = previous_cutoff()
    return {
        language: (news_since(since, cutoff, language), recipients(language).count())
        for language, _name in settings.LANGUAGES
    }


class NothingNew(Exception):
    """No news has been published since the last digest."""


def send_digest(cutoff, user=None):
    """Store the digest of the news published up to `cutoff` and send it after the commit."""
    with transaction.atomic():
        # Two editors sending at once: the second waits here, then finds nothing new.
        list(Digest.objects.select_for_update().order_by("-cutoff")[:1])
        since = previous_cutoff()
        if cutoff <= since:
            raise NothingNew
        pages = [
            page
            for language, _name in settings.LANGUAGES
            for page in news_since(since, cutoff, language)
        ]
        if not pages:
            raise NothingNew
        digest = Digest.objects.create(cutoff=cutoff, sent_by=user)
        digest.pages.set(pages)
        pk = digest.pk
        transaction.on_commit(lambda: tasks.send_digest.enqueue(pk))
    return digest
