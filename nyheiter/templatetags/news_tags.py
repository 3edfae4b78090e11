from django import template
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils.translation import get_language
from wagtail.models import PageViewRestriction

from nyheiter.models import NewsIndexPage, NewsPage
from portal import content_cache

register = template.Library()


@register.simple_tag
def latest_news(locale, limit=3):
    """The newest live, public news of a locale: the home page shows them."""
    return list(NewsPage.objects.latest_in(locale, limit=limit))


@register.simple_tag(takes_context=True)
def news_feed_url(context):
    """The Atom feed of the current standard's news, for every page's <head>; "" without one."""
    request = context["request"]
    language = get_language()

    def compute():
        # Private when a view restriction is on the index or a page above it, checked in the
        # same query: `public()` would read every restriction first, on every page's first
        # request after a change.
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        index = (
            NewsIndexPage.objects.live()
            .filter(~Exists(restricted), locale__language_code=language)
            .first()
        )
        return index.get_url(request) + index.reverse_subpage("feed") if index else ""

    return content_cache.cached_for_site(request, "news-feed", compute, language)
