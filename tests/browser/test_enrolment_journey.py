"""A municipal employee enrols from the catalogue, gets the email, and cancels by its link; the
first on the waiting list gets the seat. In nb and nn, with axe on every step."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from katalog.courses import services
from katalog.courses.models import CoursePage, CourseSession, Enrolment, EnrolmentState

WORDS = {
    "nb": {
        "course": "Ledelse i kommunen – grunnkurs",
        "enrol": "Meld deg på",
        "send": "Send påmelding",
        "errors": "Sjekk dette før du sender igjen",
        "seat": "Du har fått plass",
        "cancel": "Meld meg av",
        "cancelled": "Påmeldingen er avmeldt.",
    },
    "nn": {
        "course": "Leiing i kommunen – grunnkurs",
        "enrol": "Meld deg på",
        "send": "Send påmelding",
        "errors": "Sjekk dette før du sender på nytt",
        "seat": "Du har fått plass",
        "cancel": "Meld meg av",
        "cancelled": "Påmeldinga er avmeld.",
    },
}
LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/endre/[\w-]+/)")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_employee_enrols_gets_the_link_and_cancels_and_the_next_is_promoted(
    page, assert_accessible, language
):
    words = WORDS[language]
    source = CoursePage.objects.get(
        locale__language_code="nb", slug="ledelse-i-kommunen-grunnkurs"
    ).sessions.get(sort_order=0)
    # One seat left, so the visitor takes the last one and the next person has to wait.
    services.set_capacity(source, services.seats_held(source) + 1)
    key = str(source.translation_key)
    mail.outbox.clear()

    page.goto(f"/{language}/kurs/")
    page.get_by_role("link", name=words["course"]).first.click()
    page.locator(f'tr[data-session="{key}"]').get_by_role("link", name=words["enrol"]).click()
    expect(page).to_have_url(re.compile(rf"/pamelding/{key}/$"))
    assert_accessible(page)

    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("heading", name=words["errors"])).to_be_visible()
    assert_accessible(page)

    page.fill("#id_name", "Kari Nordmann")
    page.fill("#id_email", f"kari.{language}@example.no")
    page.locator("#id_employer").select_option("4601")
    page.fill("#id_manager_email", "leiar@example.no")
    page.check("#id_consent")
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(re.compile(rf"/pamelding/{key}/resultat/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["seat"])
    assert_accessible(page)

    (message,) = mail.outbox
    assert message.to == [f"kari.{language}@example.no"]
    waiting = services.enrol(
        source, name="Neste Person", email=f"neste.{language}@example.no", language=language
    )
    assert waiting.state == EnrolmentState.WAITING

    page.goto(LINK.search(message.body)[1])
    expect(page.locator("main")).to_contain_text(words["seat"])
    assert_accessible(page)
    page.get_by_role("button", name=words["cancel"]).click()
    expect(page.locator("main")).to_contain_text(words["cancelled"])
    expect(page.get_by_role("button", name=words["cancel"])).to_have_count(0)
    assert_accessible(page)

    assert Enrolment.objects.get(pk=waiting.pk).state == EnrolmentState.CONFIRMED
    assert [m.to for m in mail.outbox[1:]] == [[f"neste.{language}@example.no"]]
    session = CourseSession.objects.get(pk=source.pk)
    assert session.seats_taken == session.capacity  # the freed seat is taken again
