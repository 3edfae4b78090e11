"""An employee browses the e-learning library, filters it, opens a resource and follows a
learning path to a course's next session, in both written standards, with no axe violations."""

import re

import pytest
from playwright.sync_api import expect

WORDS = {
    "nb": {
        "library": "/nb/e-laeringsressurser/",
        "title": "E-læringsressurser",
        "menu": "E-læringsressurser",
        "show": "Vis ressurser",
        "format": "Format",
        "language": "Tilgjengelig på",
        "licence": "Lisens",
        "none": "Ingen ressurser passer til filtrene",
        "all": "Vis alle ressursene",
        "path": "Grunnopplæring for nyansatte",
        "course": "Veiledning av nyansatte",
        "enrol": "Meld deg på neste kursgjennomføring av Veiledning av nyansatte",
    },
    "nn": {
        "library": "/nn/e-laeringsressursar/",
        "title": "E-læringsressursar",
        "menu": "E-læringsressursar",
        "show": "Vis ressursar",
        "format": "Format",
        "language": "Tilgjengeleg på",
        "licence": "Lisens",
        "none": "Ingen ressursar passar til filtera",
        "all": "Vis alle ressursane",
        "path": "Grunnopplæring for nytilsette",
        "course": "Rettleiing av nytilsette",
        "enrol": "Meld deg på neste kursgjennomføring av Rettleiing av nytilsette",
    },
}


def option_count(page, label, value):
    text = page.get_by_label(label, exact=True).locator(f'option[value="{value}"]').inner_text()
    return int(re.search(r"\((\d+)\)", text)[1])


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_employee_filters_the_library_and_opens_a_resource(page, assert_accessible, language):
    words = WORDS[language]
    page.goto(f"/{language}/")
    page.get_by_role("navigation", name=re.compile("Hov[eu]dmeny")).get_by_role(
        "link", name=words["menu"]
    ).click()
    expect(page).to_have_url(re.compile(re.escape(words["library"]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
    assert_accessible(page)

    videos = option_count(page, words["format"], "video")
    page.get_by_label(words["format"], exact=True).select_option("video")
    page.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(re.compile(r"format=video"))
    expect(page.locator("[data-resource]")).to_have_count(videos)
    # The language's counts are now those of the videos alone.
    in_nynorsk = option_count(page, words["language"], "nn")
    page.get_by_label(words["language"], exact=True).select_option("nn")
    page.get_by_role("button", name=words["show"]).click()
    expect(page).to_have_url(re.compile(r"language=nn"))
    expect(page.locator("[data-resource]")).to_have_count(in_nynorsk)
    assert_accessible(page)

    # A licence no nynorsk video has: the page says so and leads back to all.
    page.get_by_label(words["licence"], exact=True).select_option("all-rights-reserved")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.get_by_role("heading", name=words["none"])).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=words["all"]).click()
    expect(page.locator("[data-resource]")).to_have_count(10)

    resource = page.locator("[data-resource] h3 a").first
    title = resource.inner_text()
    resource.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name=re.compile("ressursen"))).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_employee_follows_a_learning_path_to_a_course_session(page, assert_accessible, language):
    words = WORDS[language]
    page.goto(words["library"])
    page.get_by_role("link", name=words["path"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["path"])
    expect(page.locator("[data-step]")).to_have_count(6)
    assert_accessible(page)

    page.get_by_role("link", name=words["enrol"]).click()
    expect(page).to_have_url(re.compile(r"/pamelding/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["course"])
    assert_accessible(page)


def test_library_filters_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nb/e-laeringsressurser/?format=video&language=nn")
    expect(page.locator("[data-resource] h3 a")).to_have_text(
        ["Klart språk: skriv så mottakeren forstår"]
    )
    page.get_by_role("link", name=re.compile("Fjern filteret Format")).click()
    expect(page).not_to_have_url(re.compile(r"format="))
    expect(page.locator("[data-resource]")).to_have_count(7)
    context.close()
