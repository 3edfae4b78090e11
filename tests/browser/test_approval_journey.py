"""A line manager opens the approval link from the email and approves; a participant who attended
opens the evaluation link, gets the error summary, and sends the evaluation. In nb and nn, with
axe on every step."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from katalog.courses import services, tasks
from katalog.courses.models import CoursePage, Enrolment, EnrolmentState, Evaluation

WORDS = {
    "nb": {
        "request": "Forespørsel om godkjenning",
        "approve": "Godkjenn",
        "approved": "Påmeldingen er godkjent",
        "usefulness": "Hvor nyttig var kurset for deg?",
        "relevance": "Hvor relevant er kurset for arbeidet ditt?",
        "send": "Send svaret",
        "errors": "Sjekk dette før du sender igjen",
        "thanks": "Takk for svaret ditt",
    },
    "nn": {
        "request": "Førespurnad om godkjenning",
        "approve": "Godkjenn",
        "approved": "Påmeldinga er godkjend",
        "usefulness": "Kor nyttig var kurset for deg?",
        "relevance": "Kor relevant er kurset for arbeidet ditt?",
        "send": "Send svaret",
        "errors": "Sjekk dette før du sender på nytt",
        "thanks": "Takk for svaret ditt",
    },
}
APPROVAL_LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/godkjenning/[\w-]+/)")
EVALUATION_LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/evaluering/[\w-]+/)")


def demo_source():
    return CoursePage.objects.get(
        locale__language_code="nb", slug="ledelse-i-kommunen-grunnkurs"
    ).sessions.get(sort_order=0)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_manager_opens_the_request_and_approves(page, assert_accessible, language):
    words = WORDS[language]
    source = demo_source()
    CoursePage.objects.filter(translation_key=source.page.translation_key).update(
        manager_approval_required=True
    )
    services.set_capacity(source, services.seats_held(source) + 1)
    mail.outbox.clear()
    enrolment = services.enrol(
        source,
        name="Kari Nordmann",
        email=f"kari.{language}@example.no",
        language=language,
        job_title="Rådgjevar",
        employer_other="Helse Vest",
        manager_email=f"sjef.{language}@example.no",
    )
    (request,) = [m for m in mail.outbox if m.to == [f"sjef.{language}@example.no"]]

    page.goto(APPROVAL_LINK.search(request.body)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^" + re.escape(words["request"]))
    )
    expect(page.locator("main")).to_contain_text("Kari Nordmann")
    assert_accessible(page)

    page.get_by_role("button", name=words["approve"], exact=True).click()
    expect(page.locator("main")).to_contain_text(words["approved"])
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    assert_accessible(page)
    assert Enrolment.objects.get(pk=enrolment.pk).state == EnrolmentState.CONFIRMED


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_participant_who_attended_sends_the_evaluation(page, assert_accessible, language):
    words = WORDS[language]
    source = demo_source()
    services.set_capacity(source, services.seats_held(source) + 1)
    enrolment = services.enrol(
        source, name="Ola Nordmann", email=f"ola.{language}@example.no", language=language
    )
    services.mark_attendance(enrolment, True)
    enrolment.refresh_from_db()
    mail.outbox.clear()
    tasks.send_evaluation_request.call(enrolment.pk, enrolment.evaluation_due_at.isoformat())
    (message,) = mail.outbox

    page.goto(EVALUATION_LINK.search(message.body)[1])
    expect(page.get_by_role("group", name=words["usefulness"])).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("heading", name=words["errors"])).to_be_visible()
    assert_accessible(page)

    page.get_by_role("group", name=words["usefulness"]).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=words["relevance"]).get_by_label("2", exact=True).check()
    page.fill("#id_comment", "Godt opplegg")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks"])
    assert_accessible(page)
    evaluation = Evaluation.objects.get(enrolment=enrolment)
    assert (evaluation.usefulness, evaluation.relevance, evaluation.comment) == (
        4,
        2,
        "Godt opplegg",
    )
