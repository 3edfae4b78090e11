"""The methods handbook: contents, chapters in order with previous and next, anchored sections,
and the whole handbook on one page for printing."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from handbook.models import ChapterPage, HandbookPage

pytestmark = pytest.mark.django_db

NB_CHAPTERS = [
    "Fra behov til tiltak",
    "Mål og resultatindikatorer",
    "Effektkjeden",
    "Fra plan til praksis",
]


def chapter_links(html):
    contents = html.partition('class="handbook-contents__chapters"')[2].partition("</ol>")[0]
    return re.findall(r'<li><a class="ds-link" href="[^"#]+">([^<]+)</a>', contents)


@pytest.fixture
def handbook(nb):
    return HandbookPage.objects.get(locale=nb)


def test_contents_lists_the_chapters_in_order_with_their_sections(client, handbook):
    response = client.get("/nb/handbok/")
    assert chapter_links(response.text) == NB_CHAPTERS
    assert 'href="/nb/handbok/effektkjeden/#fem-ledd">Fem ledd</a>' in response.text
    assert 'href="/nb/handbok/skriv-ut/"' in response.text


def test_nynorsk_handbook_has_its_own_chapters(client):
    response = client.get("/nn/handbok/")
    assert chapter_links(response.text)[1:3] == ["Mål og resultatindikatorar", "Effektkjeda"]
    assert 'lang="nn"' in response.text


@pytest.mark.parametrize(
    ("path", "position", "previous", "following"),
    [
        (
            "/nb/handbok/fra-behov-til-tiltak/",
            "Kapittel 1 av 4",
            None,
            "Mål og resultatindikatorer",
        ),
        (
            "/nb/handbok/effektkjeden/",
            "Kapittel 3 av 4",
            "Mål og resultatindikatorer",
            "Fra plan til praksis",
        ),
        ("/nb/handbok/fra-plan-til-praksis/", "Kapittel 4 av 4", "Effektkjeden", None),
    ],
)
def test_chapter_shows_its_place_and_leads_to_the_previous_and_next(
    client, path, position, previous, following
):
    html = client.get(path).text
    assert position in html
    found_previous = re.search(r'rel="prev" href="[^"]+"><span[^>]*>[^<]+</span> ([^<]+)</a>', html)
    found_next = re.search(r'rel="next" href="[^"]+"><span[^>]*>[^<]+</span> ([^<]+)</a>', html)
    assert (found_previous and found_previous[1]) == previous or (
        previous is None and not found_previous
    )
    assert (found_next and found_next[1]) == following or (following is None and not found_next)


def test_every_section_heading_has_an_anchor_the_chapters_contents_link_to(client):
    html = client.get("/nb/handbok/mal-og-resultatindikatorer/").text
    anchors = re.findall(r'<h2 class="ds-heading section-heading" id="([^"]+)"', html)
    assert anchors == ["skriv-malet-som-en-endring", "velg-indikatorer-med-utgangspunkt-og-mal"]
    for anchor in anchors:
        assert f'<a class="ds-link" href="#{anchor}">' in html  # the chapter's contents
        assert f'class="section-heading__anchor" href="#{anchor}"' in html


def test_moving_a_chapter_changes_the_order_at_once(client, handbook):
    client.get("/nb/handbok/")
    last = ChapterPage.objects.get(locale=handbook.locale, slug="fra-plan-til-praksis")
    last.move(handbook.get_first_child(), pos="left")
    assert chapter_links(client.get("/nb/handbok/").text)[0] == "Fra plan til praksis"
    assert "Kapittel 1 av 4" in client.get(last.url).text


def test_whole_handbook_on_one_page_with_every_chapter_and_a_print_stylesheet(client):
    html = client.get("/nb/handbok/skriv-ut/").text
    titles = re.findall(
        r'<h2 id="kapittel-\d+-title" class="ds-heading" data-size="lg">(.+?)</h2>', html
    )
    assert titles == [f"{number}. {title}" for number, title in enumerate(NB_CHAPTERS, 1)]
    assert "Innsats (tid og penger) gir aktiviteter" in html
    assert 'href="/static/css/print.css" media="print"' in html


def test_whole_handbook_nests_each_chapters_sections_under_it_and_switches_to_its_twin(client):
    html = client.get("/nb/handbok/skriv-ut/").text
    levels = re.findall(r"<(h[1-6])[ >]", html.split('id="kapittel-1"', 1)[1])
    assert levels[:2] == ["h2", "h3"]  # the chapter, then its first section
    assert "h2" in levels[2:] and "h4" not in levels
    assert 'href="/nn/handbok/skriv-ut/" hreflang="nn"' in html


def test_a_private_chapter_is_neither_listed_nor_printed(client, handbook):
    chapter = ChapterPage.objects.get(locale=handbook.locale, slug="effektkjeden")
    PageViewRestriction.objects.create(page=chapter, restriction_type="login")
    assert "Effektkjeden" not in chapter_links(client.get("/nb/handbok/").text)
    assert "Innsats (tid og penger)" not in client.get("/nb/handbok/skriv-ut/").text
    assert client.get(chapter.url).status_code == 302


@pytest.mark.usefixtures("uncached_pages")
@pytest.mark.parametrize(
    "path", ["/nb/handbok/", "/nb/handbok/skriv-ut/", "/nb/handbok/effektkjeden/"]
)
def test_handbook_pages_cost_the_same_queries_with_more_chapters(client, handbook, path):
    def count():
        client.get(path)
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200
        return len(context)

    before = count()
    for number in range(5):
        handbook.add_child(
            instance=ChapterPage(
                title=f"Tillegg {number}",
                slug=f"tillegg-{number}",
                body=[("heading", {"text": "Eit avsnitt", "level": "h2"})],
            )
        )
    assert count() == before <= 12
