"""The news index and its Atom feed, one per written standard."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal import page_cache, page_views

from .models import NewsIndexPage

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
