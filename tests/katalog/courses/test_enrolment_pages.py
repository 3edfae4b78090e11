"""The public enrolment flow through HTTP: the course page's links, the form, its outcome, the
email with its calendar file and signed link, and the manage page behind that link."""

import datetime
import re
from unittest import mock

import icalendar
import pytest
from django.core import mail, signing
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from katalog.courses import links, services
from katalog.courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseSession,
    Enrolment,
    EnrolmentState,
    SessionStatus,
)
from katalog.places.models import Municipality
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

State = EnrolmentState
LINK = re.compile(r"https?://\S+/pamelding/endre/[\w-]+/")


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


def demo_course(locale):
    return CoursePage.objects.get(locale=locale, slug="ledelse-i-kommunen-grunnkurs")


def demo_session(nb, nn, approval=False):
    """A demo session without enrolments; `approval` makes its course ask the manager."""
    if approval:
        CoursePage.objects.filter(translation_key=demo_course(nb).translation_key).update(
            manager_approval_required=True
        )
    source = demo_course(nb).sessions.get(sort_order=0)
    return source, CourseSession.objects.get(translation_key=source.translation_key, locale=nn)


def new_session(nb, capacity=2, **fields):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"])
    return CourseSessionFactory(page=page, capacity=capacity, **fields)


def form_url(session):
    page = session.page
    return page.url + page.reverse_subpage("enrolment_form", args=(session.translation_key,))


def answers(n=1, **extra):
    data = {
        "name": f"Deltakar {n}",
        "email": f"deltakar{n}@example.no",
        "phone": "55 55 55 55",
        "employer": "4601",
        "employer_other": "",
        "job_title": "Rådgjevar",
        "manager_email": "leiar@example.no",
        "special_needs": "Glutenfri mat",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def post(client, session, n=1, **extra):
    return client.post(form_url(session), answers(n, **extra), follow=True)


def manage_link(message):
    return LINK.search(message.body)[0]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


# The course page


def test_course_page_links_open_sessions_to_the_form_and_full_ones_to_the_waiting_list(client, nb):
    index = CourseIndexPage.objects.get(locale=nb)
    page = CoursePageFactory(parent=index, audiences=["leiarar"])
    start = timezone.now() + datetime.timedelta(days=30)
    open_ = CourseSessionFactory(page=page, start=start, capacity=5)
    full = CourseSessionFactory(page=page, start=start + datetime.timedelta(days=1), capacity=1)
    services.enrol(full, name="A", email="a@example.no", language="nb")
    cancelled = CourseSessionFactory(
        page=page, start=start + datetime.timedelta(days=2), status=SessionStatus.CANCELLED
    )
    closed = CourseSessionFactory(
        page=page,
        start=start + datetime.timedelta(days=3),
        enrolment_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    text = client.get(page.url).text
    rows = dict(re.findall(r'<tr data-session="([0-9a-f-]+)">(.*?)</tr>', text, re.S))
    assert f'href="{form_url(open_)}">Meld deg på</a>' in rows[str(open_.translation_key)]
    assert f'href="{form_url(full)}">Sett meg på venteliste</a>' in rows[str(full.translation_key)]
    for session in (cancelled, closed):
        assert "pamelding/" not in rows[str(session.translation_key)]


def test_catalogue_cards_link_to_the_form_or_the_waiting_list_and_the_links_open(client, nb):
    page = CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"], title="Kortlenkjer"
    )
    start = timezone.now() + datetime.timedelta(days=30)
    open_ = CourseSessionFactory(page=page, start=start, capacity=5)
    full = CourseSessionFactory(page=page, start=start + datetime.timedelta(days=1), capacity=1)
    services.enrol(full, name="A", email="a@example.no", language="nb")
    closed = CourseSessionFactory(
        page=page,
        start=start + datetime.timedelta(days=3),
        enrolment_deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    text = client.get(CourseIndexPage.objects.get(locale=nb).url, {"q": "Kortlenkjer"}).text
    cards = dict(
        re.findall(
            r'<li class="ds-card session-card" data-session="([0-9a-f-]+)">(.*?)</li>', text, re.S
        )
    )
    assert set(cards) == {str(s.translation_key) for s in (open_, full, closed)}
    assert f'href="{form_url(open_)}">Meld deg på</a>' in cards[str(open_.translation_key)]
    assert f'href="{form_url(full)}">Sett meg på venteliste</a>' in cards[str(full.translation_key)]
    assert "pamelding/" not in cards[str(closed.translation_key)]
    assert client.get(form_url(open_)).status_code == 200


@pytest.mark.usefixtures("uncached_pages")
def test_course_page_queries_do_not_grow_with_enrollable_sessions(client, nb):
    index = CourseIndexPage.objects.get(locale=nb)
    small = CoursePageFactory(parent=index, audiences=["leiarar"])
    large = CoursePageFactory(parent=index, audiences=["leiarar"])
    CourseSessionFactory(page=small)
    for number in range(12):
        CourseSessionFactory(
            page=large,
            capacity=1 if number % 3 else 5,
            status=SessionStatus.CANCELLED if number == 5 else SessionStatus.OPEN,
            municipality=Municipality.objects.last(),
        )
    full = large.sessions.filter(capacity=1).first()
    services.enrol(full, name="A", email="a@example.no", language="nb")

    def count(page):
        client.get(page.url)
        with CaptureQueriesContext(connection) as context:
            response = client.get(page.url)
        assert response.status_code == 200
        return len(context), response.text.count("pamelding/")

    (small_queries, small_links), (large_queries, large_links) = count(small), count(large)
    assert (small_links, large_links) == (1, 11)
    assert large_queries == small_queries


# The form


def test_form_reports_errors_in_bokmal_and_keeps_what_was_typed(client, nb, nn):
    source, _twin = demo_session(nb, nn, approval=True)
    response = client.post(
        form_url(source),
        answers(email="ikkje-ei-adresse", manager_email="", employer="", consent=""),
    )
    text = response.text
    assert response.status_code == 200
    assert "<title>Feil:" in text
    summary = text.split('class="ds-error-summary"')[1].split("</div>")[0]
    assert "Skriv inn en e-postadresse som navn@example.no." in summary
    assert "Skriv inn e-postadressen til lederen din." in summary
    assert "Velg kommunen din, eller skriv navnet på arbeidsgiveren din." in summary
    assert 'href="#id_email"' in summary
    assert 'value="Deltakar 1"' in text
    assert 'value="ikkje-ei-adresse"' in text
    assert "Glutenfri mat</textarea>" in text
    assert not Enrolment.objects.filter(session=source).exists()


def test_form_reports_errors_in_nynorsk(client, nb, nn):
    _source, twin = demo_session(nb, nn, approval=True)
    text = client.post(form_url(twin), answers(name="", manager_email="")).text
    summary = text.split('class="ds-error-summary"')[1].split("</div>")[0]
    assert "Skriv inn namnet ditt." in summary
    assert "Skriv inn e-postadressa til leiaren din." in summary
    assert 'value="deltakar1@example.no"' in text


def test_manager_email_is_optional_when_the_course_needs_no_approval(client, nb):
    session = new_session(nb)
    response = post(client, session, manager_email="")
    assert response.status_code == 200
    assert Enrolment.objects.get(session=session).manager_email == ""


def test_employer_is_a_municipality_or_another_organisation_but_not_both(client, nb):
    session = new_session(nb, capacity=5)
    text = client.post(form_url(session), answers(employer_other="Helse Vest")).text
    assert "Velg en kommune eller skriv en annen arbeidsgiver, ikke begge." in text
    post(client, session, employer="", employer_other="Helse Vest")
    enrolment = Enrolment.objects.get(session=session)
    assert (enrolment.employer, enrolment.employer_other) == (None, "Helse Vest")


def test_form_without_csrf_token_is_refused(nb):
    from django.test import Client

    session = new_session(nb)
    response = Client(enforce_csrf_checks=True).post(form_url(session), answers())
    assert response.status_code == 403
    assert not Enrolment.objects.filter(session=session).exists()


def test_honeypot_stores_nothing_and_keeps_the_answers(client, nb):
    session = new_session(nb)
    response = client.post(form_url(session), answers(website="http://spam.example"))
    assert response.status_code == 200
    assert not Enrolment.objects.filter(session=session).exists()
    assert "Påmeldingen din er ikke sendt ennå." in response.text
    assert 'value="Deltakar 1"' in response.text


@override_settings(ENROLMENT_RATE_LIMIT=(2, 3600))
def test_enrolment_posts_are_rate_limited_per_client(client, nb):
    session = new_session(nb, capacity=5)
    assert post(client, session, 1).status_code == 200
    assert post(client, session, 2).status_code == 200
    response = client.post(form_url(session), answers(3))
    assert response.status_code == 429
    assert "For mange påmeldinger" in response.text
    assert Enrolment.objects.filter(session=session).count() == 2


# Outcomes


def test_free_seat_gives_a_seat_after_a_redirect(client, nb, nn):
    _source, twin = demo_session(nb, nn)
    response = client.post(form_url(twin), answers())
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Du har fått plass" in page.text
    enrolment = Enrolment.objects.get(email="deltakar1@example.no")
    assert enrolment.state == State.CONFIRMED
    assert enrolment.language == "nn"
    assert enrolment.manager_email == "leiar@example.no"
    assert enrolment.employer.number == "4601"
    assert enrolment.special_needs == "Glutenfri mat"
    assert enrolment.consent_version and enrolment.consented_at


def test_full_session_gives_the_place_on_the_waiting_list(client, nb):
    session = new_session(nb, capacity=1)
    services.enrol(session, name="A", email="a@example.no", language="nb")
    services.enrol(session, name="B", email="b@example.no", language="nb")
    text = post(client, session, 3).text
    assert "Du er nummer 2 på ventelisten" in text
    assert Enrolment.objects.get(email="deltakar3@example.no").state == State.WAITING


def test_outcome_without_an_enrolment_goes_back_to_the_form(client, nb):
    session = new_session(nb)
    url = form_url(session) + "resultat/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == form_url(session)


def test_same_email_twice_offers_to_resend_the_link_to_the_address_on_record(client, nb):
    session = new_session(nb, capacity=5)
    post(client, session, 1)
    mail.outbox.clear()
    response = post(client, session, 2, email="DELTAKAR1@example.no")
    assert "Du er allerede påmeldt" in response.text
    assert Enrolment.objects.filter(session=session).count() == 1
    assert mail.outbox == []
    resend = re.search(r'<form method="post" action="([^"]+send-lenke/)"', response.text)[1]
    text = client.post(resend).text
    assert "Lenken er på vei" in text
    assert [m.to for m in mail.outbox] == [["deltakar1@example.no"]]
    assert manage_link(mail.outbox[0])


@override_settings(ENROLMENT_RATE_LIMIT=(2, 3600))
def test_resending_the_link_counts_against_the_rate_limit(client, nb):
    session = new_session(nb, capacity=5)
    post(client, session, 1)
    resend = form_url(session) + "send-lenke/"
    post(client, session, 2, email="deltakar1@example.no")  # the second counted post
    mail.outbox.clear()
    response = client.post(resend)
    assert response.status_code == 429
    assert mail.outbox == []


def test_resend_without_a_duplicate_sends_nothing(client, nb):
    session = new_session(nb)
    post(client, session, 1)
    mail.outbox.clear()
    response = client.post(form_url(session) + "send-lenke/")
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": SessionStatus.CANCELLED}, "Kursgjennomføringen er avlyst."),
        (
            {"enrolment_deadline": timezone.now() - datetime.timedelta(days=1)},
            "Påmeldingsfristen er ute.",
        ),
    ],
)
def test_closed_and_cancelled_sessions_refuse_enrolment(client, nb, fields, message):
    session = new_session(nb, **fields)
    assert "Påmeldingen er stengt" in client.get(form_url(session)).text
    text = client.post(form_url(session), answers()).text
    assert message in text
    assert not Enrolment.objects.filter(session=session).exists()


def test_busy_session_asks_to_try_again_with_the_answers_kept(client, nb, nn):
    _source, twin = demo_session(nb, nn)
    with mock.patch.object(services, "lock_session", side_effect=services.SessionBusy):
        response = client.post(form_url(twin), answers())
    assert response.status_code == 503
    assert "Mange melder seg på akkurat no." in response.text
    assert 'value="Deltakar 1"' in response.text
    assert not Enrolment.objects.filter(email="deltakar1@example.no").exists()


# The email


def test_email_in_nynorsk_carries_the_details_a_calendar_file_and_one_link(client, nb, nn):
    source, twin = demo_session(nb, nn)
    client.post(form_url(twin), answers())
    (message,) = mail.outbox
    assert message.to == ["deltakar1@example.no"]
    assert "Du har fått plass på Leiing i kommunen – grunnkurs." in message.body
    assert "Sjå påmeldinga di, eller meld deg av, her:" in message.body
    assert len(LINK.findall(message.body)) == 1
    assert "/nn/" in manage_link(message)
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event["summary"] == "Leiing i kommunen – grunnkurs"
    assert event.decoded("dtstart") == source.start


def test_email_of_a_waiting_place_in_bokmal_gives_the_position(client, nb):
    session = new_session(nb, capacity=1)
    services.enrol(session, name="A", email="a@example.no", language="nb")
    mail.outbox.clear()
    post(client, session, 2)
    (message,) = mail.outbox
    assert message.subject.startswith("Venteliste:")
    assert "Du er nummer 1 på ventelisten" in message.body


# The manage page


def test_manage_link_shows_the_state_and_cancelling_promotes_the_next(client, nb):
    session = new_session(nb, capacity=1)
    post(client, session, 1)
    post(client, session, 2)
    first, second = mail.outbox
    url = path_of(manage_link(first))
    assert "Du har fått plass" in client.get(url).text
    waiting_url = path_of(manage_link(second))
    assert "Du er nummer 1 på ventelisten" in client.get(waiting_url).text
    mail.outbox.clear()
    response = client.post(url)
    assert response.status_code == 302
    text = client.get(url).text
    assert "Påmeldingen er avmeldt." in text
    assert "<button" not in text.split("<main")[-1]
    assert Enrolment.objects.get(email="deltakar2@example.no").state == State.CONFIRMED
    assert [m.to for m in mail.outbox] == [["deltakar2@example.no"]]
    # The used link can do nothing more.
    assert client.post(url).status_code == 200
    assert Enrolment.objects.get(email="deltakar1@example.no").state == State.CANCELLED


def test_leaving_the_waiting_list_by_the_link(client, nb):
    session = new_session(nb, capacity=1)
    post(client, session, 1)
    post(client, session, 2)
    url = path_of(manage_link(mail.outbox[1]))
    assert "Gå ut av ventelisten" in client.get(url).text
    client.post(url)
    assert Enrolment.objects.get(email="deltakar2@example.no").state == State.CANCELLED
    assert Enrolment.objects.get(email="deltakar1@example.no").state == State.CONFIRMED


def test_forged_tampered_and_foreign_links_do_not_work(client, nb):
    session = new_session(nb, capacity=5)
    other = new_session(nb, capacity=5)
    post(client, session, 1)
    post(client, other, 2)
    mine = Enrolment.objects.get(email="deltakar1@example.no")
    theirs = Enrolment.objects.get(email="deltakar2@example.no")
    page = session.page
    base = page.url + "pamelding/endre/"
    token = links.manage_token(mine)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.Signer().sign(str(theirs.pk)).replace(":", "-"),  # signed without the salt
        signing.Signer(salt="another").sign(str(mine.pk + 1)).replace(":", "-"),
        f"{theirs.pk}-{token.partition('-')[2]}",  # my signature on another's number
        "ikkje-ein-lenkje",
        links.manage_token(theirs),  # a real link, of another course
    ]
    for value in forged:
        response = client.get(base + value + "/")
        assert response.status_code == 404, value
        assert "Denne lenken virker ikke" in response.text
        assert client.post(base + value + "/").status_code == 404
    assert Enrolment.objects.get(pk=mine.pk).state == State.CONFIRMED
    assert Enrolment.objects.get(pk=theirs.pk).state == State.CONFIRMED
