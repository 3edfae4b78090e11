import re

import pytest
from playwright.sync_api import expect


def test_visitor_switches_standard_and_follows_both_doors(page, assert_accessible):
    page.set_extra_http_headers({"Accept-Language": "nn-NO,nn;q=0.9"})
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/nn/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    assert_accessible(page)

    page.get_by_role("link", name="Bokmål").click()
    expect(page).to_have_url(re.compile(r"/nb/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert_accessible(page)

    page.get_by_role("link", name="Finn karriere- og studieveiledning").click()
    expect(page).to_have_url(re.compile(r"/nb/veiledning/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Karriere- og studieveiledning")
    page.get_by_role("link", name="Nynorsk").click()
    expect(page).to_have_url(re.compile(r"/nn/rettleiing/$"))

    page.get_by_role("link", name="Kompetanseportalen").first.click()
    page.get_by_role("link", name="Finn eit kurs").click()
    expect(page).to_have_url(re.compile(r"/nn/kurs/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurskatalog")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_home_page_has_no_axe_violations(page, assert_accessible, language):
    page.goto(f"/{language}/")
    menu = page.get_by_role("navigation", name="Hovedmeny" if language == "nb" else "Hovudmeny")
    expect(menu.get_by_role("link").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/nb/nyheter/",
        "/nb/nyheter/?tag=kurs",
        "/nn/nyheiter/leiarkurs-var/",
        "/nn/handbok/",
        "/nb/handbok/mal-og-resultatindikatorer/",
        "/nn/handbok/skriv-ut/",
        "/nn/finst-ikkje/",
    ],
)
def test_content_pages_have_no_axe_violations(page, assert_accessible, path):
    page.goto(path)
    assert_accessible(page)


def test_portal_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nb/")
    page.get_by_role("link", name="Nynorsk").click()
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    page.get_by_role("link", name="Nyheiter").first.click()
    expect(page).to_have_url(re.compile(r"/nn/nyheiter/$"))
    context.close()


def test_axe_check_can_fail(page):
    """Negative control: the harness does report a violation when there is one."""
    from tests.browser.conftest import axe_violations

    page.set_content('<html><body><main><img src="x.png"><a href="/"></a></main></body></html>')
    ids = {violation.split(" ")[0] for violation in axe_violations(page)}
    assert {"html-has-lang", "image-alt", "link-name"} <= ids
