from django import template

from nyheiter.models import NewsPage

register = template.Library()


@register.simple_tag
def latest_news(locale, limit=3):
    """The newest live, public news of a locale: the home page shows them."""
    return list(NewsPage.objects.latest_in(locale, limit=limit))
