import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def path_of(url):
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, f"{url} is not absolute"
    return parts.path


def sitemap(client):
    """The sitemap as {path: {hreflang: path of the alternate}}."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    entries = {}
    for url in ET.fromstring(response.content).findall("sm:url", NS):
        alternates = {
            link.get("hreflang"): path_of(link.get("href"))
            for link in url.findall("xhtml:link[@rel='alternate']", NS)
        }
        entries[path_of(url.find("sm:loc", NS).text)] = alternates
    return entries


def test_sitemap_lists_the_pages_of_both_written_standards(client):
    entries = sitemap(client)
    for path in (
        "/nb/",
        "/nn/",
        "/nb/veiledning/",
        "/nn/rettleiing/",
        "/nb/nyheter/lederkurs-var/",
        "/nn/nyheiter/leiarkurs-var/",
    ):
        assert path in entries
    assert all(path.startswith(("/nb/", "/nn/")) for path in entries)


def test_sitemap_pairs_each_page_with_its_twin(client):
    entries = sitemap(client)
    twins = {"nb": "/nb/veiledning/", "nn": "/nn/rettleiing/"}
    assert entries["/nb/veiledning/"] == twins
    assert entries["/nn/rettleiing/"] == twins
    for path, alternates in entries.items():
        assert alternates, f"{path} names no twin"
        assert alternates[path[1:3]] == path


def test_sitemap_leaves_out_private_and_unpublished_pages(client, home):
    StandardPageFactory(parent=home, slug="open-side")
    private = StandardPageFactory(parent=home, slug="hemmeleg")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="hemmeleg"
    )
    StandardPageFactory(parent=private, slug="under-hemmeleg")
    StandardPageFactory(parent=home, slug="utkast", live=False)

    entries = sitemap(client)
    assert "/nb/open-side/" in entries
    assert "/nb/hemmeleg/" not in entries
    assert "/nb/hemmeleg/under-hemmeleg/" not in entries
    assert "/nb/utkast/" not in entries


def test_page_without_a_twin_names_no_alternate(client, home):
    StandardPageFactory(parent=home, slug="bare-bokmal")
    assert sitemap(client)["/nb/bare-bokmal/"] == {}


def test_sitemap_query_count_does_not_grow_with_pages(
    client, home, nn, django_assert_max_num_queries
):
    with django_assert_max_num_queries(50) as captured:
        sitemap(client)
    before = len(captured.captured_queries)
    for index in range(10):
        page = StandardPageFactory(parent=home, slug=f"ekstra-{index}")
        page.copy_for_translation(nn).save_revision().publish()
    with django_assert_max_num_queries(before):
        entries = sitemap(client)
    assert entries["/nb/ekstra-9/"] == {"nb": "/nb/ekstra-9/", "nn": "/nn/ekstra-9/"}


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines
