import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from nyheiter import links
from nyheiter.models import Subscriber

WORDS = {
    "nb": {
        "news": "/nb/nyheter/",
        "link": "Få nyhetene på e-post: abonner på nyhetsbrevet",
        "heading": "Abonner på nyhetsbrevet",
        "subscribe": "Abonner",
        "errors": "Sjekk dette før du sender igjen",
        "required": "Skriv inn e-postadressen din.",
        "invalid": "Skriv inn en e-postadresse som navn@example.no.",
        "thanks": "Sjekk innboksen din",
        "confirm": "Ja, send meg nyhetsbrevet",
        "confirmed": "Du abonnerer på nyhetsbrevet",
        "unsubscribe": "Meld deg av",
        "unsubscribed": "Du er meldt av",
        "invalid_link": "Denne lenken virker ikke",
    },
    "nn": {
        "news": "/nn/nyheiter/",
        "link": "Få nyheitene på e-post: abonner på nyheitsbrevet",
        "heading": "Abonner på nyheitsbrevet",
        "subscribe": "Abonner",
        "errors": "Sjekk dette før du sender på nytt",
        "required": "Skriv inn e-postadressa di.",
        "invalid": "Skriv inn ei e-postadresse som namn@example.no.",
        "thanks": "Sjekk innboksen din",
        "confirm": "Ja, send meg nyheitsbrevet",
        "confirmed": "Du abonnerer på nyheitsbrevet",
        "unsubscribe": "Meld deg av",
        "unsubscribed": "Du er meld av",
        "invalid_link": "Denne lenkja verkar ikkje",
    },
}


def confirmation_path():
    (message,) = [m for m in mail.outbox if "stadfest/" in m.body]
    url = re.search(r"http://\S+/stadfest/[\w-]+/", message.body).group(0)
    return re.sub(r"^http://[^/]+", "", url)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_visitor_subscribes_confirms_and_unsubscribes(page, assert_accessible, language):
    words = WORDS[language]
    mail.outbox.clear()
    page.goto(words["news"])
    page.get_by_role("link", name=words["link"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["heading"])
    expect(
        page.get_by_role("radio", name=language == "nb" and "Bokmål" or "Nynorsk")
    ).to_be_checked()
    assert_accessible(page)

    # Error states: nothing typed, then an address that is not one.
    page.get_by_role("button", name=words["subscribe"], exact=True).click()
    summary = page.locator(".ds-error-summary")
    expect(summary.get_by_role("heading")).to_have_text(words["errors"])
    expect(summary.get_by_role("link", name=words["required"])).to_be_visible()
    assert_accessible(page)
    email = page.get_by_role("textbox", name="E-post")
    email.fill("kari-at-example.no")
    page.get_by_role("button", name=words["subscribe"], exact=True).click()
    expect(summary.get_by_role("link", name=words["invalid"])).to_be_visible()
    assert email.input_value() == "kari-at-example.no"
    assert_accessible(page)

    summary.get_by_role("link", name=words["invalid"]).click()
    expect(email).to_be_focused()
    email.fill(f"kari.{language}@example.no")
    page.get_by_role("button", name=words["subscribe"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/nyhendebrev/takk/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks"])
    assert_accessible(page)
    assert Subscriber.objects.get(email=f"kari.{language}@example.no").state == "pending"

    page.goto(confirmation_path())
    expect(page.get_by_role("button", name=words["confirm"])).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=words["confirm"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["confirmed"])
    assert_accessible(page)
    subscriber = Subscriber.objects.get(email=f"kari.{language}@example.no")
    assert (subscriber.state, subscriber.language) == ("confirmed", language)

    page.goto(f"{words['news']}nyhendebrev/avmeld/{links.token(subscriber, links.UNSUBSCRIBE)}/")
    assert_accessible(page)
    page.get_by_role("button", name=words["unsubscribe"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["unsubscribed"])
    assert_accessible(page)
    assert Subscriber.objects.get(pk=subscriber.pk).state == "unsubscribed"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_broken_link_and_the_rate_limit_pages_are_accessible(
    page, assert_accessible, settings, language
):
    words = WORDS[language]
    page.goto(f"{words['news']}nyhendebrev/stadfest/1-broken-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["invalid_link"])
    assert_accessible(page)

    settings.NEWSLETTER_SUBSCRIBE_RATE_LIMIT = (0, 3600)
    page.goto(f"{words['news']}nyhendebrev/")
    page.get_by_role("textbox", name="E-post").fill("kari@example.no")
    page.get_by_role("button", name=words["subscribe"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For mange forsøk")
    assert_accessible(page)
