import re

import pytest

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
    assert page.get_by_role("heading", level=1).inner_text() == "Kurskatalog"
    assert_accessible(page)

    page.get_by_label(re.compile(words["free"])).check()
    page.get_by_role("button", name=words["show"]).click()
    assert "available=1" in page.url

    # Facet counts now count sessions with free seats: take a municipality that has some.
    municipalities = page.locator("#id_municipality option:not([disabled])[value]:not([value=''])")
    label = municipalities.first.inner_text()
    page.locator("#id_municipality").select_option(label=label)
    page.get_by_role("button", name=words["show"]).click()
    assert re.search(r"municipality=\d{4}", page.url) and "available=1" in page.url
    count = int(re.search(r"\((\d+)\)", label)[1])
    assert page.locator("[data-session]").count() == min(count, 20)
    assert_accessible(page)

    course = page.locator("[data-session] h3 a").first
    title = course.inner_text()
    course.click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("table tbody tr").count() >= 1
    assert page.get_by_role("button").count() == 0
    assert_accessible(page)


def test_catalogue_filters_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nn/kurs/?q=veiledning")
    assert page.locator("[data-session] h3 a").first.inner_text() == "Rettleiing av nytilsette"
    page.get_by_role("link", name=re.compile("Fjern filteret Søk")).click()
    assert "q=" not in page.url
    context.close()
