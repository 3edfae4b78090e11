import datetime
import re

import pytest
from wagtail.models import PageViewRestriction

from nyheiter.models import NewsIndexPage, NewsPage
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

INDEX = "/nb/nyheter/"


def card_titles(response):
    assert response.status_code == 200
    return re.findall(r'class="ds-link card__link" href="[^"]*">([^<]+)</a>', response.text)


def latest_news_titles(response):
    """The titles in the home page's news section; its door and link cards look the same."""
    assert response.status_code == 200
    _before, marker, after = response.text.partition('aria-labelledby="latest-news"')
    if not marker:
        return []
    section = after.partition("</section>")[0]
    return re.findall(r'class="ds-link card__link" href="[^"]*">([^<]+)</a>', section)


def news_after_the_demos(news_index, count, **fields):
    """News dated after every demo article, so they lead the listing; the newest comes first."""
    first = datetime.date(2030, 1, 1)
    return [
        NewsPageFactory(
            parent=news_index,
            title=f"Framtidsnytt {day:02d}",
            date=first + datetime.timedelta(days=day),
            **fields,
        )
        for day in range(count)
    ][::-1]


def make_private(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmeleg"
    )


def test_news_index_lists_live_news_newest_first(client, news_index):
    news = news_after_the_demos(news_index, 3)
    titles = card_titles(client.get(INDEX))
    assert titles[:3] == [page.title for page in news]


def test_news_index_shows_twelve_a_page_and_the_rest_on_the_next(client, news_index):
    news = news_after_the_demos(news_index, 13)
    first_page = card_titles(client.get(INDEX))
    assert first_page == [page.title for page in news[:12]]
    assert 'href="?page=2"' in client.get(INDEX).text
    second_page = card_titles(client.get(INDEX, {"page": 2}))
    assert second_page[0] == news[12].title
    assert not set(second_page) & set(first_page)


def test_news_index_leaves_out_unpublished_and_private_news(client, news_index):
    draft, private, public = news_after_the_demos(news_index, 3)
    draft.unpublish()
    make_private(private)
    titles = card_titles(client.get(INDEX))
    assert public.title in titles
    assert draft.title not in titles
    assert private.title not in titles


def test_home_page_shows_the_three_latest_news(client, news_index):
    news = news_after_the_demos(news_index, 4)
    assert latest_news_titles(client.get("/nb/")) == [page.title for page in news[:3]]


def test_home_page_leaves_out_unpublished_and_private_news(client, news_index):
    draft, private, *public = news_after_the_demos(news_index, 5)
    draft.unpublish()
    make_private(private)
    assert latest_news_titles(client.get("/nb/")) == [page.title for page in public]


def test_home_page_shows_only_news_of_its_own_written_standard(client, news_index, nn):
    bokmal = news_after_the_demos(news_index, 3)
    nynorsk = NewsPage.objects.filter(locale=nn).live().public().order_by("-date", "-pk")[:3]
    titles = latest_news_titles(client.get("/nn/"))
    assert titles == [page.title for page in nynorsk]
    assert not {page.title for page in bokmal} & set(titles)


def test_index_filters_by_topic_with_counts_and_a_shareable_address(client, news_index):
    response = client.get(INDEX)
    assert 'href="/nb/nyheter/?tag=kurs">kurs (2)</a>' in response.text
    tagged = client.get(INDEX, {"tag": "kurs"})
    assert card_titles(tagged) == [
        "Påmeldingen til vårens lederkurs er åpen",
        "Ny e-læring om klart språk for ansatte",
    ]
    assert "Nyheter om kurs" in tagged.text
    assert '<span aria-current="page">kurs (2)</span>' in tagged.text


def test_topic_filter_keeps_its_topic_across_pages(client, news_index):
    for article in news_after_the_demos(news_index, NewsIndexPage.PER_PAGE + 1):
        article.tags.add("kurs")
        article.save_revision().publish()
    first = client.get(INDEX, {"tag": "kurs"})
    assert "?tag=kurs&amp;page=2" in first.text
    second = client.get(INDEX, {"tag": "kurs", "page": 2})
    assert len(card_titles(second)) == 3  # of the 13 new and the 2 demo articles on the topic


def test_unknown_topic_says_so_and_links_to_all_news(client):
    response = client.get(INDEX, {"tag": "<script>finst-ikkje"})
    assert response.status_code == 200
    assert "Ingen nyheter har det emnet." in response.text
    assert card_titles(response) == []
    assert "<script>finst" not in response.text


@pytest.mark.parametrize(
    ("path", "centre", "topics"),
    [
        ("/nb/nyheter/nytt-karrieresenter-sogndal/", "/nb/veiledning/", "Emner:"),
        ("/nn/nyheiter/nytt-karrieresenter-sogndal/", "/nn/rettleiing/", "Emne:"),
    ],
)
def test_article_names_its_centre_and_links_its_topics(client, path, centre, topics):
    response = client.get(path)
    assert re.search(rf'<a class="ds-link" href="{centre}[^"]+">[^<]*Sogn</a>', response.text)
    index = path.rsplit("/", 2)[0] + "/"
    assert f'{topics} <a class="ds-link" href="{index}?tag=karriere">karriere</a>' in response.text
