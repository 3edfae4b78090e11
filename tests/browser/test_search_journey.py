import re

import pytest
from playwright.sync_api import expect

JOURNEYS = {
    "nb": {
        "query": "rettleiing nytilsette",
        "found": "Veiledning av nyansatte",
        "heading": re.compile(r"^\d+ sider? passer med «rettleiing nytilsette»$"),
        "other": "Nynorsk",
        "empty": "Ingen sider passer med «qwxzvbnmqq»",
        "courses": "Vis alle 11: Kurs",
    },
    "nn": {
        "query": "veiledning nyansatte",
        "found": "Rettleiing av nytilsette",
        "heading": re.compile(r"^\d+ sider? passar med «veiledning nyansatte»$"),
        "other": "Bokmål",
        "empty": "Ingen sider passar med «qwxzvbnmqq»",
        "courses": "Vis alle 11: Kurs",
    },
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_visitor_searches_in_either_standard_and_finds_pages_in_their_own(
    page, assert_accessible, language
):
    words = JOURNEYS[language]
    page.goto(f"/{language}/")
    header = page.get_by_role("search").first
    header.get_by_role("searchbox").fill(words["query"])
    header.get_by_role("button").click()
    expect(page).to_have_url(re.compile(rf"/{language}/sok/\?q="))
    expect(page.get_by_role("heading", level=2).first).to_have_text(words["heading"])
    result = page.get_by_role("link", name=words["found"], exact=True)
    expect(result).to_have_attribute("href", re.compile(rf"^/{language}/kurs/"))
    assert_accessible(page)

    # The other standard's switcher keeps the search.
    page.get_by_role("link", name=words["other"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/(nb|nn)/sok/\?q="))
    expect(page.locator("html")).not_to_have_attribute("lang", language)
    page.go_back()

    # A search with many courses links to all of them, page by page.
    main_form = page.locator("main").get_by_role("search")
    main_form.get_by_role("searchbox").fill("Bergen")
    main_form.get_by_role("button").click()
    page.get_by_role("link", name=words["courses"]).click()
    expect(page).to_have_url(re.compile(r"type=coursepage"))
    expect(page.locator(".search-hit")).to_have_count(11)
    assert_accessible(page)

    main_form.get_by_role("searchbox").fill("qwxzvbnmqq")
    main_form.get_by_role("button").click()
    expect(page.get_by_role("heading", name=words["empty"])).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/nb/sok/", "/nn/sok/?q=" + "kurs" * 60, "/nn/sok/?q=Bergen&type=centrepage"]
)
def test_search_pages_have_no_axe_violations(page, assert_accessible, path):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Søk")
    assert_accessible(page)


def test_search_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nn/kurs/")
    page.get_by_role("search").first.get_by_role("searchbox").fill("Bergen")
    page.get_by_role("search").first.get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/nn/sok/\?q=Bergen$"))
    expect(page.locator(".search-hit").first).to_be_visible()
    context.close()
