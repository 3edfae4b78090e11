import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from katalog.guidance.models import GuidanceRequest

WORDS = {
    "nb": {
        "door": "Finn karriere- og studieveiledning",
        "find": "Finn senter",
        "ask": "Bestill veiledning",
        "email": "E-post",
        "topic": "Studier og utdanning",
        "consent": "Jeg samtykker",
        "send": "Send bestilling",
        "errors": "Sjekk dette før du sender igjen",
        "name_error": "Skriv inn navnet ditt.",
        "sent": "Bestillingen din er sendt",
        "assessment": "Vurder realkompetansen din",
        "summary": "Se oppsummeringen min",
        "very_well": "Svært godt",
        "attach": "Send egenvurderingen min sammen med bestillingen",
        "unknown": "Vi kjenner ikke den kommunen",
    },
    "nn": {
        "door": "Finn karriere- og studierettleiing",
        "find": "Finn senter",
        "ask": "Bestill rettleiing",
        "email": "E-post",
        "topic": "Studium og utdanning",
        "consent": "Eg samtykkjer",
        "send": "Send bestilling",
        "errors": "Sjekk dette før du sender på nytt",
        "name_error": "Skriv inn namnet ditt.",
        "sent": "Bestillinga di er send",
        "assessment": "Vurder din eigen realkompetanse",
        "summary": "Sjå oppsummeringa mi",
        "very_well": "Svært godt",
        "attach": "Send sjølvvurderinga mi saman med bestillinga",
        "unknown": "Vi kjenner ikkje den kommunen",
    },
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_citizen_finds_a_centre_and_asks_for_guidance(page, assert_accessible, language):
    words = WORDS[language]
    page.goto(f"/{language}/")
    page.get_by_role("link", name=words["door"]).click()
    expect(page).to_have_url(re.compile(r"/(veiledning|rettleiing)/$"))
    assert_accessible(page)

    page.get_by_label("Kommune", exact=True).select_option("4614")
    page.get_by_role("button", name=words["find"]).click()
    expect(page).to_have_url(re.compile(r"municipality=4614"))
    results = page.locator(".finder__results")
    expect(results.get_by_role("link", name="Studiesenteret Sunnhordland")).to_be_visible()
    assert_accessible(page)

    results.get_by_role("link", name="Studiesenteret Sunnhordland").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Studiesenteret Sunnhordland")
    assert_accessible(page)

    page.get_by_role("link", name=words["ask"]).first.click()
    expect(page).to_have_url(re.compile(r"/bestill/$"))
    assert_accessible(page)

    # Error state: nothing typed is lost, the summary links to the fields.
    page.get_by_role("textbox", name=words["email"], exact=True).fill("kari@example.no")
    page.get_by_role("button", name=words["send"]).click()
    summary = page.locator(".ds-error-summary")
    expect(summary.get_by_role("heading")).to_have_text(words["errors"])
    expect(summary.get_by_role("link", name=words["name_error"])).to_be_visible()
    assert (
        page.get_by_role("textbox", name=words["email"], exact=True).input_value()
        == "kari@example.no"
    )
    assert_accessible(page)

    summary.get_by_role("link", name=words["name_error"]).click()
    page.keyboard.type("Kari Nordmann")
    page.get_by_label("Kommune", exact=True).select_option("4614")
    page.get_by_role("radio", name=words["topic"]).check()
    page.get_by_role("radio", name=words["email"]).check()
    page.get_by_label(words["consent"], exact=False).check()
    page.get_by_role("button", name=words["send"]).click()

    expect(page).to_have_url(re.compile(r"/bestill/kvittering/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["sent"])
    assert_accessible(page)
    stored = GuidanceRequest.objects.get()
    assert (stored.name, stored.language) == ("Kari Nordmann", language)
    assert stored.centre.title == "Studiesenteret Sunnhordland"
    assert any(m.to == ["kari@example.no"] for m in mail.outbox)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_citizen_assesses_prior_learning_and_sends_it(page, assert_accessible, language):
    words = WORDS[language]
    page.goto("/nb/veiledning/" if language == "nb" else "/nn/rettleiing/")
    page.get_by_role("link", name=words["assessment"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["assessment"])
    assert_accessible(page)

    radios = page.get_by_role("radio", name=words["very_well"])
    for index in range(radios.count() - 1):
        radios.nth(index).check()
    page.get_by_role("button", name=words["summary"]).click()
    expect(page.locator(".ds-error-summary")).to_be_visible()
    assert radios.nth(0).is_checked()
    assert_accessible(page)

    radios.nth(radios.count() - 1).check()
    page.get_by_role("button", name=words["summary"]).click()
    expect(page.locator("table")).to_have_count(3)
    expect(page.get_by_role("cell", name=words["very_well"])).to_have_count(9)
    assert_accessible(page)

    page.get_by_role("link", name=words["ask"]).click()
    expect(page).to_have_url(re.compile(r"/bestill/$"))
    expect(page.get_by_label(words["attach"])).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_unknown_municipality_and_other_guidance_pages_are_accessible(
    page, assert_accessible, language
):
    base = "/nb/veiledning/" if language == "nb" else "/nn/rettleiing/"
    page.goto(f"{base}?municipality=0000")
    expect(page.get_by_text(WORDS[language]["unknown"])).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}desentralisert-utdanning/")
    assert_accessible(page)


def test_rate_limited_page_is_accessible(page, assert_accessible, settings):
    settings.GUIDANCE_REQUEST_RATE_LIMIT = (0, 3600)
    page.goto("/nn/rettleiing/bestill/")
    page.get_by_label("Namn", exact=True).fill("Kari")
    page.get_by_role("textbox", name="E-post").fill("kari@example.no")
    page.get_by_label("Kommune", exact=True).select_option("4614")
    page.get_by_role("radio", name="Karriere og jobb").check()
    page.get_by_role("radio", name="E-post").check()
    page.get_by_label("Eg samtykkjer", exact=False).check()
    page.get_by_role("button", name="Send bestilling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For mange bestillingar")
    assert_accessible(page)


def test_finder_and_form_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    page = context.new_page()
    page.goto("/nn/rettleiing/")
    page.get_by_label("Kommune", exact=True).select_option("4640")
    page.get_by_role("button", name="Finn senter").click()
    page.locator(".finder__results").get_by_role("link", name="Bestill rettleiing").click()
    expect(page.get_by_label("Kommune", exact=True)).to_have_value("4640")
    context.close()
