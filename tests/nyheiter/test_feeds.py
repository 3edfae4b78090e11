"""Each written standard's news as an Atom feed, advertised in the <head> of every page."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from nyheiter.models import NewsPage
from nyheiter.views import FEED_ITEMS
from tests.factories import NewsPageFactory
from tests.nyheiter.test_news import news_after_the_demos

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = {"nb": "/nb/nyheter/feed/", "nn": "/nn/nyheiter/feed/"}


def entries(client, language):
    response = client.get(FEEDS[language])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.iter(f"{ATOM}entry")
    ]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_feed_lists_the_standards_news_newest_first_with_links(client, language):
    found = entries(client, language)
    news = NewsPage.objects.live().filter(locale__language_code=language).order_by("-date", "-pk")
    assert [title for title, _link in found] == [article.title for article in news]
    assert all(link.endswith(article.url) for (_t, link), article in zip(found, news, strict=True))


def test_feed_leaves_out_private_and_unpublished_news_and_stops_at_its_length(client, news_index):
    private, draft, *_rest = news_after_the_demos(news_index, FEED_ITEMS + 2)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft.unpublish()
    titles = [title for title, _link in entries(client, "nb")]
    assert len(titles) == FEED_ITEMS
    assert private.title not in titles and draft.title not in titles


def test_new_article_reaches_the_feed_at_once(client, news_index):
    entries(client, "nb")
    NewsPageFactory(parent=news_index, title="Heilt nytt", date="2031-01-01")
    assert entries(client, "nb")[0][0] == "Heilt nytt"


@pytest.mark.parametrize(
    ("path", "feed"),
    [
        ("/nb/", FEEDS["nb"]),
        ("/nb/kurs/", FEEDS["nb"]),
        ("/nn/rettleiing/", FEEDS["nn"]),
        ("/nn/nyheiter/", FEEDS["nn"]),
        ("/nn/finst-ikkje/", FEEDS["nn"]),
    ],
)
def test_every_page_advertises_its_standards_feed(client, path, feed):
    response = client.get(path)
    assert '<link rel="alternate" type="application/atom+xml"' in response.text
    assert f'href="{feed}"' in response.text
