"""A municipality's representative follows Kompetanseforum's plan from the forum's page to a
measure and the course that delivers it, and reads the results report, in both written
standards, with no axe violations; on a 320 px wide phone the report reflows and its charts show."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

WORDS = {
    "nb": {
        "measure": "Introduksjon og veiledning av nyansatte",
        "course": "Veiledning av nyansatte",
        "back": "Tilbake til planen for opplæringstiltak",
    },
    "nn": {
        "measure": "Introduksjon og rettleiing av nytilsette",
        "course": "Rettleiing av nytilsette",
        "back": "Tilbake til planen for opplæringstiltak",
    },
}


def this_year():
    # The demo's plan and report are this year's ("{year}" in forum.toml).
    return timezone.localdate().year


def heading(page):
    return page.get_by_role("heading", level=1)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_member_follows_the_plan_to_a_measure_and_its_course_and_back(
    page, assert_accessible, language
):
    words = WORDS[language]
    plan = f"Plan for opplæringstiltak {this_year()}"
    page.goto(f"/{language}/kompetanseforum/")
    expect(heading(page)).to_have_text("Kompetanseforum")
    assert_accessible(page)

    page.get_by_role("link", name=plan, exact=True).click()
    expect(heading(page)).to_have_text(plan)
    # Five measures, in the order of priority.
    expect(page.locator("[data-measure]")).to_have_count(5)
    assert_accessible(page)

    page.get_by_role("link", name=words["measure"], exact=True).click()
    expect(heading(page)).to_have_text(words["measure"])
    assert_accessible(page)

    page.get_by_role("link", name=words["course"], exact=True).first.click()
    expect(heading(page)).to_have_text(words["course"])
    expect(page).to_have_url(re.compile(rf"/{language}/kurs/"))
    assert_accessible(page)

    page.go_back()
    expect(heading(page)).to_have_text(words["measure"])
    page.get_by_role("link", name=re.compile(words["back"])).click()
    expect(heading(page)).to_have_text(plan)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_member_reads_the_results_report_from_the_plan(page, assert_accessible, language):
    report = f"Resultatrapport {this_year()}"
    page.goto(f"/{language}/kompetanseforum/")
    page.get_by_role("link", name=f"Plan for opplæringstiltak {this_year()}", exact=True).click()
    page.get_by_role("link", name=re.compile(re.escape(report))).click()
    expect(heading(page)).to_have_text(report)
    expect(page.locator("table[data-table='tiltak'] tbody tr")).to_have_count(5)
    expect(page.locator("figure.chart svg").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_report_reflows_on_a_320_px_phone_with_its_charts_in_view(
    page, assert_accessible, language
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/{language}/kompetanseforum/")
    page.get_by_role("link", name=f"Plan for opplæringstiltak {this_year()}", exact=True).click()
    page.get_by_role("link", name=re.compile(f"Resultatrapport {this_year()}")).click()
    expect(heading(page)).to_have_text(f"Resultatrapport {this_year()}")
    # The heading is there before the stylesheets are: measure the page as it is shown.
    page.wait_for_load_state("load")

    # WCAG 1.4.10: no scrolling in two directions; wide tables scroll inside their own region.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320, page.evaluate(
        "[...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > 320)"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 80))"
    )
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 0 and box["height"] > 0
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert_accessible(page)
