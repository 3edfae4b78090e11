"""A reader follows the news by topic into an article, changes written standard there, and reads
the methods handbook chapter by chapter and whole; every page passes axe."""

import re

from playwright.sync_api import expect


def test_reader_follows_news_by_topic_and_reads_the_handbook(page, assert_accessible):
    page.goto("/nb/nyheter/")
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(feed).to_have_attribute("href", "/nb/nyheter/feed/")
    page.get_by_role("navigation", name="Emner").get_by_role(
        "link", name=re.compile("^kurs")
    ).click()
    expect(page).to_have_url(re.compile(r"/nb/nyheter/\?tag=kurs$"))
    expect(page.get_by_role("heading", name="Nyheter om kurs")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Påmeldingen til vårens lederkurs er åpen").click()
    expect(page).to_have_url(re.compile(r"/nb/nyheter/lederkurs-var/$"))
    page.get_by_role("link", name="Nynorsk").click()
    expect(page).to_have_url(re.compile(r"/nn/nyheiter/leiarkurs-var/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Påmeldinga til leiarkurset i vår er open"
    )
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovudmeny").get_by_role(
        "link", name="Metodehandbok"
    ).click()
    expect(page).to_have_url(re.compile(r"/nn/handbok/$"))
    page.get_by_role("link", name="Frå behov til tiltak").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frå behov til tiltak")
    assert_accessible(page)
    page.locator('a[rel="next"]').click()
    expect(page).to_have_url(re.compile(r"/nn/handbok/mal-og-resultatindikatorar/$"))
    expect(page.locator('a[rel="prev"]')).to_contain_text("Frå behov til tiltak")

    page.get_by_role("link", name=re.compile("^Heile handboka på éi side")).click()
    expect(page).to_have_url(re.compile(r"/nn/handbok/skriv-ut/$"))
    for number, chapter in enumerate(["Frå behov til tiltak", "Mål og resultatindikatorar"], 1):
        heading = page.get_by_role("heading", name=f"{number}. {chapter}", level=2)
        expect(heading).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Fem ledd"), level=3)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Bokmål").click()
    expect(page).to_have_url(re.compile(r"/nb/handbok/skriv-ut/$"))
    expect(page.get_by_role("heading", name="3. Effektkjeden", level=2)).to_be_visible()
