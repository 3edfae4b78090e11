import re

import pytest
from playwright.sync_api import expect

WORDS = {
    "nb": {"free": "Bare kursgjennomføringer med ledige plasser", "show": "Vis kurs"},
    "nn": {"free": "Berre kursgjennomføringar med ledige plassar", "show": "Vis kurs"},
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_employee_filters_by_municipality_and_free_seats_and_opens_a_course(
    page, assert_accessible, language
):
    words = WORDS[language]
    page.goto(f"/{language}/kurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kurskatalog")
    assert_accessible(page)

    page.get_by_label(re.compile(words["free"])).check()
    page.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(re.compile(r"available=1"))

    # Facet counts now count sessions with free seats: take a municipality that has some.
    municipalities = page.locator("#id_municipality option:not([disabled])[value]:not([value=''])")
    label = municipalities.first.inner_text()
    page.locator("#id_municipality").select_option(label=label)
    page.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(re.compile(r"municipality=\d{4}"))
    expect(page).to_have_url(re.compile(r"available=1"))
    count = int(re.search(r"\((\d+)\)", label)[1])
    expect(page.locator("[data-session]")).to_have_count(min(count, 20))
    assert_accessible(page)

    course = page.locator("[data-session] h3 a").first
    title = course.inner_text()
    course.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("table tbody tr").first).to_be_visible()
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    assert_accessible(page)


def test_catalogue_filters_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nn/kurs/?q=veiledning")
    expect(page.locator("[data-session] h3 a").first).to_have_text("Rettleiing av nytilsette")
    page.get_by_role("link", name=re.compile("Fjern filteret Søk")).click()
    expect(page).not_to_have_url(re.compile(r"q="))
    context.close()
