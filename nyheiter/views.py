"""The news index and its Atom feed, one per written standard, and the newsletter's pages."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal import page_cache, page_views

from . import links, services, tasks
from .forms import SubscribeForm
from .models import NewsIndexPage, Subscriber

FEED_ITEMS = 20


@page_views.register(NewsIndexPage)
@page_cache.cacheable
def news_index(request, page):
    return page.render(request)


@page_views.register(NewsIndexPage, "feed")
@page_cache.cacheable
def news_feed(request, page):
    return NewsFeed(page)(request)


class NewsFeed(Feed):
    """The latest news of one standard; the feed and its entries speak the index's language."""

    feed_type = Atom1Feed

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.language = index.locale.language_code

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return f"{index.title} – Kompetanseportalen"

    def link(self, index):
        return index.get_url(self.request)

    def subtitle(self, index):
        return index.intro or _("News from Kompetanseportalen")

    def feed_url(self, index):
        return index.get_url(self.request) + index.reverse_subpage("feed")

    def items(self, index):
        return index.news().select_related("locale")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(8)))

    def item_updateddate(self, item):
        return item.last_published_at


# The newsletter: sign-up, its answer, the confirmation and the unsubscribe page. None of them
# is cacheable: the forms carry the CSRF token, and the token pages are somebody's own.

SUBSCRIBED_KEY = "newsletter_subscribed"


def _newsletter(request, page, template, context=None, status=200, route=None, args=()):
    context = dict(context or {})
    context["subscribe_url"] = page.url + page.reverse_subpage("subscribe")
    if route:
        context["subpage_path"] = page.reverse_subpage(route, args=args)
    response = page.render(
        request, template=f"nyheiter/newsletter_{template}.html", context_overrides=context
    )
    response.status_code = status
    return response


@page_views.register(NewsIndexPage, "subscribe")
def subscribe(request, page):
    context = {"spam_caught": False}
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        # Only posts that would store or send something count, so correcting errors is free.
        countable = form.is_spam or form.is_valid()
        if countable and not services.allow_subscription(services.client_ip(request)):
            return _newsletter(request, page, "rate_limited", status=429, route="subscribe")
        if form.is_spam:
            services.record_spam()
            data = request.POST.copy()
            data["website"] = ""
            form = SubscribeForm(data)
            form.is_valid()
            context["spam_caught"] = True
        elif form.is_valid():
            services.subscribe(form.cleaned_data["email"], form.cleaned_data["language"])
            # The same answer for every address: whether it was on the list stays unsaid.
            request.session[SUBSCRIBED_KEY] = form.cleaned_data["email"]
            return redirect(page.url + page.reverse_subpage("subscribed"))
    else:
        form = SubscribeForm(initial={"language": page.locale.language_code})
    context["form"] = form
    return _newsletter(request, page, "subscribe", context, route="subscribe")


@page_views.register(NewsIndexPage, "subscribed")
def subscribed(request, page):
    email = request.session.get(SUBSCRIBED_KEY)
    if not email:
        return redirect(page.url + page.reverse_subpage("subscribe"))
    context = {"email": email, "days": links.pending_days()}
    return _newsletter(request, page, "subscribed", context, route="subscribed")


def _link_invalid(request, page):
    return _newsletter(request, page, "link_invalid", status=404)


@page_views.register(NewsIndexPage, "confirm")
def confirm(request, page, token):
    """A page with a button: a mail scanner that follows the link confirms nothing."""
    subscriber = links.subscriber_for_token(token, links.CONFIRM)
    if subscriber is None or subscriber.state == Subscriber.State.UNSUBSCRIBED:
        return _link_invalid(request, page)
    if request.method == "POST":
        services.confirm(subscriber)
        return redirect(request.path)
    context = {"subscriber": subscriber}
    return _newsletter(request, page, "confirm", context, route="confirm", args=(token,))


@page_views.register(NewsIndexPage, "unsubscribe")
def unsubscribe(request, page, token):
    subscriber = links.subscriber_for_token(token, links.UNSUBSCRIBE)
    if subscriber is None:
        return _link_invalid(request, page)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return redirect(request.path)
    context = {"subscriber": subscriber}
    return _newsletter(request, page, "unsubscribe", context, route="unsubscribe", args=(token,))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request, token):
    """RFC 8058's one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click`,
    with no cookie and no CSRF token (nothing else is exempt). A GET, a person following the
    header's link, goes to the unsubscribe page of their standard."""
    subscriber = links.subscriber_for_token(token, links.UNSUBSCRIBE)
    index = subscriber and tasks.news_index(subscriber.language)
    if index is None:
        # Not a 404: the locale middleware would answer that with a redirect to /nb/….
        return HttpResponseBadRequest("This link does not work.\n", content_type="text/plain")
    if request.method == "GET":
        return redirect(index.url + index.reverse_subpage("unsubscribe", args=(token,)))
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponseBadRequest(
            "Expected List-Unsubscribe=One-Click\n", content_type="text/plain"
        )
    services.unsubscribe(subscriber)
    return HttpResponse("Unsubscribed\n", content_type="text/plain")
