from django import template
from django.utils.translation import get_language

from nyheiter.models import NewsIndexPage, NewsPage
from portal import content_cache
from portal.models import unrestricted

register = template.Library()


@register.simple_tag
def latest_news(locale, limit=3):
    """The newest live, public news of a locale, read once per content version: the home page
    shows them."""
    return content_cache.cached(
        "latest-news",
        lambda: list(NewsPage.objects.latest_in(locale, limit=limit)),
        locale.pk,
        limit,
    )


@register.simple_tag(takes_context=True)
def news_feed_url(context):
    """The Atom feed of the current standard's news, for every page's <head>; "" without one."""
    request = context["request"]
    language = get_language()

    def compute():
        # One query on every page's first request after a change.
        index = (
            NewsIndexPage.objects.live()
            .filter(unrestricted(), locale__language_code=language)
            .first()
        )
        return index.get_url(request) + index.reverse_subpage("feed") if index else ""

    return content_cache.cached_for_site(request, "news-feed", compute, language)
