"""The line manager's approval through its public surface: the email asking the manager, the
page behind its signed link (approve, decline, a decided or cancelled request, forged links),
the participant's pages while the seat is held, and the release when the hold runs out."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import dateformat, timezone, translation

from katalog.courses import links, services
from katalog.courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseSession,
    Enrolment,
    EnrolmentState,
)
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

State = EnrolmentState
APPROVAL_LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/godkjenning/[\w-]+/)")
MANAGE_LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/endre/[\w-]+/)")


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, with each request's on-commit callbacks (the emails) run as in a real
    request, which commits."""

    class Committing:
        def get(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.get(*args, **kwargs)

        def post(self, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

    return Committing()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call as a committed transaction: its emails are sent."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def approval_session(locale, capacity=1, **fields):
    page = CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale=locale),
        locale=locale,
        audiences=["leiarar"],
        manager_approval_required=True,
        price=1200,
    )
    return CourseSessionFactory(page=page, capacity=capacity, **fields)


def enrol(session, n, language="nb", now=None):
    return services.enrol(
        session,
        now=now,
        name=f"Deltakar {n}",
        email=f"deltakar{n}@example.no",
        language=language,
        job_title="Helsefagarbeidar",
        employer_other="Helse Vest",
        manager_email=f"leiar{n}@example.no",
    )


def approval_url(enrolment, page=None):
    page = page or enrolment.session.page
    return page.url + page.reverse_subpage(
        "enrolment_approval", args=(links.token(enrolment, links.APPROVAL),)
    )


def manage_url(enrolment):
    page = enrolment.session.page
    return page.url + page.reverse_subpage(
        "enrolment_manage", args=(links.manage_token(enrolment),)
    )


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def formatted(moment, language):
    with translation.override(language):
        return dateformat.format(timezone.localtime(moment), "j. F Y H:i")


def state(enrolment):
    return Enrolment.objects.get(pk=enrolment.pk).state


def main(text):
    return text.split("<main")[-1]


# The manager's email


def test_manager_is_asked_in_the_participants_standard_with_a_link_that_opens_the_request(
    client, nb, nn
):
    demo = CoursePage.objects.get(locale=nb, slug="ledelse-i-kommunen-grunnkurs")
    CoursePage.objects.filter(translation_key=demo.translation_key).update(
        manager_approval_required=True
    )
    source = demo.sessions.get(sort_order=0)
    twin = CourseSession.objects.get(translation_key=source.translation_key, locale=nn)
    twin_page = twin.page.specific
    form = twin_page.url + twin_page.reverse_subpage("enrolment_form", args=(twin.translation_key,))
    response = client.post(
        form,
        {
            "name": "Kari Nordmann",
            "email": "kari@example.no",
            "phone": "",
            "employer": "4601",
            "employer_other": "",
            "job_title": "Rådgjevar",
            "manager_email": "sjef@example.no",
            "special_needs": "",
            "consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(email="kari@example.no")
    assert enrolment.state == State.AWAITING_APPROVAL
    assert sorted(m.to[0] for m in mail.outbox) == ["kari@example.no", "sjef@example.no"]
    (request,) = to("sjef@example.no")
    assert request.subject == "Kari Nordmann ber om godkjenning frå deg: " + twin_page.title
    assert "oppgitt deg som næraste leiar. Kurset krev godkjenning frå deg." in request.body
    assert formatted(enrolment.approval_expires_at, "nn") in request.body
    assert "pamelding/endre/" not in request.body  # the participant's own link stays theirs
    (path,) = APPROVAL_LINK.findall(request.body)
    assert path.startswith("/nn/")

    text = client.get(path).text
    assert "Førespurnad om godkjenning" in text
    for shown in ("Kari Nordmann", "Rådgjevar", "Bergen", twin_page.title, "Plassen blir halden"):
        assert shown in text
    assert f"<dd>{demo.price} kr per deltakar</dd>" in text
    assert '<button type="submit" class="ds-button" data-variant="primary">Godkjenn' in text
    assert ">Avslå</button>" in text


def test_approval_page_shows_the_request_in_bokmal_with_price_and_hold(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    response = client.get(approval_url(enrolment))
    assert response.status_code == 200
    text = main(response.text)
    assert "Deltakar 1 har meldt seg på dette kurset og oppgitt deg som nærmeste leder." in text
    assert "<dd>Helsefagarbeidar</dd>" in text
    assert "<dd>Helse Vest</dd>" in text
    assert "<dd>1200 kr per deltaker</dd>" in text
    assert "Plassen holdes av til" in text
    assert formatted(enrolment.approval_expires_at, "nb") in text
    assert text.count('name="csrfmiddlewaretoken"') == 2
    assert '<input type="hidden" name="decision" value="approve">' in text
    assert '<input type="hidden" name="decision" value="decline">' in text


# Deciding


def test_approving_confirms_the_seat_and_emails_the_participant(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    url = approval_url(enrolment)
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == url
    assert state(enrolment) == State.CONFIRMED
    text = main(client.get(url).text)
    assert "Påmeldingen er godkjent: Deltakar 1 har fått plass" in text
    assert "<button" not in text
    (message,) = mail.outbox
    assert message.to == ["deltakar1@example.no"]
    assert message.subject == f"Godkjent – du har fått plass: {session.page.title}"
    assert "Lederen din har godkjent påmeldingen din." in message.body
    assert message.attachments[0][2] == "text/calendar"
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_declining_cancels_and_gives_the_seat_to_the_first_waiting_who_is_told(client, nb):
    session = approval_session(nb, capacity=1)
    first = enrol(session, 1)
    second, third = enrol(session, 2), enrol(session, 3)
    assert (second.state, third.state) == (State.WAITING, State.WAITING)
    url = approval_url(first)
    assert client.post(url, {"decision": "decline"}).status_code == 302

    first, second, third = (Enrolment.objects.get(pk=e.pk) for e in (first, second, third))
    assert first.state == State.CANCELLED
    # Promoted in the decision that freed the seat: the same moment, the same transaction.
    assert second.state == State.AWAITING_APPROVAL
    assert second.state_changed_at == first.state_changed_at
    assert second.approval_expires_at is not None
    assert third.state == State.WAITING
    session.refresh_from_db()
    assert session.seats_taken == 1

    (declined,) = to("deltakar1@example.no")
    assert declined.subject == f"Ikke godkjent: {session.page.title}"
    (promoted,) = to("deltakar2@example.no")
    assert promoted.subject.startswith("Venter på godkjenning fra lederen din:")
    (asked,) = to("leiar2@example.no")
    assert APPROVAL_LINK.search(asked.body)[1] == approval_url(second)
    assert to("deltakar3@example.no") == []

    text = main(client.get(url).text)
    assert "Du har avslått forespørselen: Påmeldingen er avmeldt" in text
    assert "<button" not in text


def test_a_decided_request_cannot_be_decided_again_and_says_so(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    url = approval_url(enrolment)
    client.post(url, {"decision": "approve"})
    mail.outbox.clear()
    response = client.post(url, {"decision": "decline"})
    assert response.status_code == 409
    text = main(response.text)
    assert 'role="alert"' in text
    assert "kan ikke få status" in text
    assert "Påmeldingen er godkjent" in text
    assert "<button" not in text
    assert state(enrolment) == State.CONFIRMED
    assert mail.outbox == []


def test_a_post_without_a_decision_changes_nothing(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    response = client.post(approval_url(enrolment), {"decision": "maybe"})
    assert response.status_code == 409
    assert "Velg Godkjenn eller Avslå." in response.text
    assert state(enrolment) == State.AWAITING_APPROVAL


def test_a_decision_without_csrf_token_is_refused(nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    response = Client(enforce_csrf_checks=True).post(
        approval_url(enrolment), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert state(enrolment) == State.AWAITING_APPROVAL


def test_a_busy_session_gives_the_busy_page_and_decides_nothing(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    with mock.patch.object(services, "lock_session", side_effect=services.SessionBusy):
        response = client.post(approval_url(enrolment), {"decision": "approve"})
    assert response.status_code == 503
    assert "Prøv igjen" in response.text
    assert state(enrolment) == State.AWAITING_APPROVAL
    assert mail.outbox == []


def test_approval_page_speaks_nynorsk_on_a_nynorsk_course(client, nn):
    session = approval_session(nn)
    enrolment = enrol(session, 1, language="nn")
    text = main(client.get(approval_url(enrolment)).text)
    assert "Deltakar 1 har meldt seg på dette kurset og oppgitt deg som næraste leiar." in text
    assert "Avgjerda di" in text
    client.post(approval_url(enrolment), {"decision": "approve"})
    assert (
        "Påmeldinga er godkjend: Deltakar 1 har fått plass"
        in client.get(approval_url(enrolment)).text
    )


# Links that must not approve


def test_forged_manage_evaluation_and_foreign_tokens_open_no_approval(client, nb):
    session = approval_session(nb)
    other = approval_session(nb)
    mine, theirs = enrol(session, 1), enrol(other, 2)
    page = session.page
    base = page.url + "pamelding/godkjenning/"
    token = links.token(mine, links.APPROVAL)
    refused = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        f"{theirs.pk}-{token.partition('-')[2]}",  # my signature on another's number
        links.manage_token(mine),  # the participant's own link
        links.token(mine, links.EVALUATION),
        links.token(theirs, links.APPROVAL),  # a real approval link, of another course
        "ikkje-ein-lenkje",
    ]
    for value in refused:
        response = client.get(base + value + "/")
        assert response.status_code == 404, value
        assert "Denne lenken virker ikke" in response.text
        assert client.post(base + value + "/", {"decision": "approve"}).status_code == 404
    assert state(mine) == state(theirs) == State.AWAITING_APPROVAL
    assert mail.outbox == []


def test_an_approval_link_after_the_participant_cancelled_approves_nothing(client, nb):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    assert client.post(manage_url(enrolment)).status_code == 302
    assert state(enrolment) == State.CANCELLED
    url = approval_url(enrolment)
    text = main(client.get(url).text)
    assert "Forespørselen er ikke lenger åpen" in text
    assert "<button" not in text
    mail.outbox.clear()
    assert client.post(url, {"decision": "approve"}).status_code == 409
    assert state(enrolment) == State.CANCELLED
    assert mail.outbox == []


# The participant's pages while the seat is held


def test_outcome_and_manage_page_say_the_seat_is_held_until_the_manager_decides(client, nb):
    session = approval_session(nb)
    page = session.page
    form = page.url + page.reverse_subpage("enrolment_form", args=(session.translation_key,))
    response = client.post(
        form,
        {
            "name": "Ola",
            "email": "ola@example.no",
            "employer": "4601",
            "manager_email": "sjef@example.no",
            "consent": "on",
        },
        follow=True,
    )
    enrolment = Enrolment.objects.get(email="ola@example.no")
    until = formatted(enrolment.approval_expires_at, "nb")
    text = main(response.text)
    assert "<h1" in text and "Venter på godkjenning fra nærmeste leder</h1>" in text
    assert f"En plass holdes av til deg til {until} mens lederen din avgjør." in text
    (message,) = to("ola@example.no")
    text = main(client.get(MANAGE_LINK.search(message.body)[1]).text)
    assert f"Venter på godkjenning fra nærmeste leder. En plass holdes av til deg til {until}." in (
        text
    )
    assert "Meld meg av" in text


def test_a_participant_awaiting_approval_can_cancel_and_the_next_gets_the_seat(client, nb):
    session = approval_session(nb, capacity=1)
    first, second = enrol(session, 1), enrol(session, 2)
    assert client.post(manage_url(first)).status_code == 302
    assert state(first) == State.CANCELLED
    assert state(second) == State.AWAITING_APPROVAL
    assert "Påmeldingen er avmeldt." in client.get(manage_url(first)).text
    assert [m.to for m in to("leiar2@example.no")] == [["leiar2@example.no"]]


# The hold running out


def held_in_the_past(session, n=1):
    """An enrolment whose hold ended a day ago (it was made six days ago)."""
    return enrol(session, n, now=timezone.now() - datetime.timedelta(days=6))


def test_an_undecided_request_is_released_when_the_hold_ends_and_the_next_is_promoted(
    client, nb, committed
):
    session = approval_session(nb, capacity=1)
    first = held_in_the_past(session)
    second = enrol(session, 2)
    assert first.approval_expires_at < timezone.now()
    with committed():
        released = services.release_expired_approval_task.call(
            first.pk, first.approval_expires_at.isoformat()
        )
    assert released is True
    assert state(first) == State.CANCELLED
    assert state(second) == State.AWAITING_APPROVAL
    (expired,) = to("deltakar1@example.no")
    assert expired.subject == f"Plassen din er gitt videre: {session.page.title}"
    assert to("deltakar2@example.no") and to("leiar2@example.no")
    text = main(client.get(approval_url(first)).text)
    assert "Forespørselen er ikke lenger åpen" in text


def test_release_does_nothing_when_the_request_was_approved_meanwhile(nb, committed):
    session = approval_session(nb, capacity=1)
    first = held_in_the_past(session)
    second = enrol(session, 2)
    services.approve(first)
    with committed():
        released = services.release_expired_approval_task.call(
            first.pk, first.approval_expires_at.isoformat()
        )
    assert released is False
    assert (state(first), state(second)) == (State.CONFIRMED, State.WAITING)
    assert mail.outbox == []


def test_release_does_nothing_when_the_hold_moved(nb, committed):
    session = approval_session(nb, capacity=1)
    first = held_in_the_past(session)
    second = enrol(session, 2)
    old = first.approval_expires_at
    # A new hold (the request was held again, for a later moment) supersedes the old task.
    Enrolment.objects.filter(pk=first.pk).update(
        approval_expires_at=timezone.now() + datetime.timedelta(days=2)
    )
    with committed():
        released = services.release_expired_approval_task.call(first.pk, old.isoformat())
    assert released is False
    assert (state(first), state(second)) == (State.AWAITING_APPROVAL, State.WAITING)
    assert mail.outbox == []


def test_release_before_the_hold_ends_does_nothing(nb, committed):
    session = approval_session(nb)
    enrolment = enrol(session, 1)
    with committed():
        released = services.release_expired_approval_task.call(
            enrolment.pk, enrolment.approval_expires_at.isoformat()
        )
    assert released is False
    assert state(enrolment) == State.AWAITING_APPROVAL
