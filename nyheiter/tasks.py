"""The newsletter's email, sent by the django-tasks worker after the commit and tried again
after an outage of the mail server (portal.mail).

Only the confirmation email goes to an address that has not confirmed. Every digest email has
the unsubscribe link in its text and the RFC 8058 headers (`List-Unsubscribe` with the
one-click URL, `List-Unsubscribe-Post: List-Unsubscribe=One-Click`). A digest goes out in
batches, one task each; a batch claims each subscriber's delivery before it sends, so a retried
batch sends only to those who did not get it.
"""

from urllib.parse import urlsplit

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from portal.mail import email_task

from . import links
from .models import Delivery, Digest, NewsIndexPage, Subscriber

BATCH_SIZE = 100


def news_index(language):
    return (
        NewsIndexPage.objects.live()
        .filter(locale__language_code=language)
        .select_related("locale")
        .first()
    )


def _route_url(index, route, *args):
    return index.get_full_url() + index.reverse_subpage(route, args=args)


def one_click_url(index, subscriber):
    """The URL mail clients POST `List-Unsubscribe=One-Click` to (nyheiter/urls.py)."""
    parts = urlsplit(index.get_full_url())
    path = reverse("newsletter_one_click", args=[links.token(subscriber, links.UNSUBSCRIBE)])
    return f"{parts.scheme}://{parts.netloc}{path}"


def _render(template, context, language):
    with translation.override(language):
        subject = render_to_string(f"nyheiter/email/{template}_subject.txt", context)
        body = render_to_string(f"nyheiter/email/{template}.txt", context)
    return " ".join(subject.split()), body


@email_task
def send_confirmation(subscriber_id):
    """The one email an unconfirmed address gets: the signed link that confirms it."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, state=Subscriber.State.PENDING).first()
    index = subscriber and news_index(subscriber.language)
    if not subscriber or not subscriber.email or index is None:
        return 0
    context = {
        "confirm_url": _route_url(index, "confirm", links.token(subscriber, links.CONFIRM)),
        "days": links.pending_days(),
    }
    subject, body = _render("confirmation", context, subscriber.language)
    return EmailMessage(subject, body, None, [subscriber.email]).send()


def digest_news(digest, language):
    """The digest's articles in one standard, each with its address (found once a batch)."""
    pages = (
        digest.pages.filter(locale__language_code=language)
        .select_related("locale")
        .order_by("-first_published_at", "-pk")
    )
    return [(page, page.get_full_url()) for page in pages]


def digest_message(subscriber, index, news, connection=None):
    """The digest email to one subscriber, in their standard (also the admin's preview);
    `news` are (article, its address) pairs."""
    unsubscribe_url = _route_url(index, "unsubscribe", links.token(subscriber, links.UNSUBSCRIBE))
    context = {
        "news": news,
        "index_url": index.get_full_url(),
        "unsubscribe_url": unsubscribe_url,
    }
    subject, body = _render("digest", context, subscriber.language)
    headers = {
        "List-Unsubscribe": f"<{one_click_url(index, subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return EmailMessage(
        subject, body, None, [subscriber.email], headers=headers, connection=connection
    )


@task()
def send_digest(digest_id):
    """Split the confirmed subscribers of each standard with news in the digest into batches."""
    digest = Digest.objects.get(pk=digest_id)
    batches = 0
    for language in digest.pages.values_list("locale__language_code", flat=True).distinct():
        ids = list(
            Subscriber.objects.filter(state=Subscriber.State.CONFIRMED, language=language)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), BATCH_SIZE):
            send_digest_batch.enqueue(digest_id, ids[start : start + BATCH_SIZE])
            batches += 1
    return batches


def _claim(digest, subscriber):
    try:
        with transaction.atomic():
            Delivery.objects.create(digest=digest, subscriber=subscriber)
    except IntegrityError:
        return False
    return True


@email_task
def send_digest_batch(digest_id, subscriber_ids):
    """Send the digest to those of the subscribers still confirmed who have not had it."""
    digest = Digest.objects.get(pk=digest_id)
    subscribers = (
        Subscriber.objects.filter(pk__in=subscriber_ids, state=Subscriber.State.CONFIRMED)
        .exclude(email="")
        .exclude(deliveries__digest=digest)
        .order_by("pk")
    )
    indexes, news, sent = {}, {}, 0
    with get_connection() as connection:
        for subscriber in subscribers:
            language = subscriber.language
            if language not in indexes:
                indexes[language] = news_index(language)
                news[language] = digest_news(digest, language)
            if indexes[language] is None or not news[language] or not _claim(digest, subscriber):
                continue
            message = digest_message(subscriber, indexes[language], news[language], connection)
            try:
                sent += message.send()
            except Exception:
                # Not sent: the retry may claim it again.
                Delivery.objects.filter(digest=digest, subscriber=subscriber).delete()
                raise
    return sent
