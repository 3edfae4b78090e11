"""Learning paths: resources and courses in the editors' order, each resource with its licence,
owner and duration, each course with its next open session and a link to enrol in it (or "no
dates yet"), in the path's own written standard, at a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation

from elearning.models import LearningPathPage, LibraryPage, ResourcePage
from katalog.courses.models import CourseIndexPage, CoursePage, CourseSession
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

NEW_EMPLOYEES = "/nb/e-laeringsressurser/grunnopplaering-for-nyansatte/"
LEADERS_NN = "/nn/e-laeringsressursar/forste-linje-leiar/"
LEADERS_NB = "/nb/e-laeringsressurser/forste-linje-leder/"


def steps(html):
    return re.findall(r'<li class="ds-card learning-step" data-step="(\w+)">(.*?)</li>', html, re.S)


def step_title(body):
    return re.search(
        r'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="([^"]+)">([^<]+)</a>', body
    ).groups()


def next_open_session(course):
    now = timezone.now()
    return (
        CourseSession.objects.filter(
            page=course, status="open", start__gt=now, enrolment_deadline__gt=now
        )
        .order_by("start")
        .first()
    )


def shown_date(moment, language):
    with translation.override(language):
        return dateformat.format(timezone.localtime(moment), "j. F Y")


def test_a_path_lists_its_steps_in_order_with_their_facts(client):
    html = client.get(NEW_EMPLOYEES).text
    found = steps(html)
    assert [kind for kind, _body in found] == ["resource"] * 4 + ["course"] * 2
    assert [step_title(body)[1] for _kind, body in found] == [
        "Velkommen som ny i kommunen",
        "Personvern for ansatte i kommunen",
        "Informasjonssikkerhet for alle ansatte",
        "Brannvern for alle ansatte",
        "Veiledning av nyansatte",
        "Digital kompetanse for ansatte",
    ]
    assert "Steg 1 av 6" in found[0][1]
    security = found[2][1]
    assert "<dd>30 min</dd>" in security
    assert "<dd>Bergen</dd>" in security
    assert "<dd>Fri bruk for medlemskommunene</dd>" in security
    assert "Samme uke: passord, phishing og avvik." in security


def test_a_course_step_shows_its_next_open_session_and_links_to_enrolling(client):
    html = client.get(NEW_EMPLOYEES).text
    course = CoursePage.objects.get(locale__language_code="nb", slug="veiledning-av-nyansatte")
    session = next_open_session(course)
    body = steps(html)[4][1]
    assert shown_date(session.start, "nb") in body
    enrol = f"{course.url}pamelding/{session.translation_key}/"
    assert f'href="{enrol}"' in body
    assert client.get(enrol).status_code == 200


def test_a_course_without_open_sessions_has_no_dates_yet(client):
    course = CoursePage.objects.get(
        locale__language_code="nb", slug="medarbeidersamtalen-i-praksis"
    )
    first = next_open_session(course)
    # A session whose enrolment has closed is not the next one to enrol in.
    first.enrolment_deadline = timezone.now() - datetime.timedelta(hours=1)
    first.save()
    later = next_open_session(course)
    body = steps(client.get(LEADERS_NB).text)[3][1]
    assert shown_date(later.start, "nb") in body and shown_date(first.start, "nb") not in body

    for session in CourseSession.objects.filter(page=course):
        session.status = "cancelled"
        session.save()
    body = steps(client.get(LEADERS_NB).text)[3][1]
    assert "Ingen datoer ennå" in body
    assert "pamelding/" not in body


def test_a_nynorsk_path_links_to_the_nynorsk_pages(client):
    html = client.get(LEADERS_NN).text
    assert 'lang="nn"' in html
    found = steps(html)
    assert [step_title(body)[1] for _kind, body in found] == [
        "Leiing i kommunen – grunnkurs",
        "Arbeidsmiljølova for leiarar",
        "Samtaleguide for medarbeidarsamtalen",
        "Medarbeidarsamtalen i praksis",
        "Leiing av endring og omstilling",
    ]
    assert all(step_title(body)[0].startswith("/nn/") for _kind, body in found)
    course = CoursePage.objects.get(locale__language_code="nn", slug="leiing-i-kommunen-grunnkurs")
    assert shown_date(next_open_session(course).start, "nn") in found[0][1]
    assert "Øv på samtalen saman med andre leiarar." in found[3][1]
    assert "<dd>Sunnfjord</dd>" in found[2][1]


def test_an_unpublished_or_private_step_is_left_out(client):
    ResourcePage.objects.get(
        locale__language_code="nb", slug="brannvern-for-alle-ansatte"
    ).unpublish()
    html = client.get(NEW_EMPLOYEES).text
    assert len(steps(html)) == 5
    assert "Brannvern for alle ansatte" not in html


def test_a_path_without_steps_says_so_in_both_standards(client, nn):
    nb_path = LearningPathPage.objects.get(locale__language_code="nb", slug="forste-linje-leder")
    nn_path = nb_path.get_translation(nn)
    for path in (nb_path, nn_path):
        path.steps = []
        path.save_revision().publish()
    assert "Dette læringsløpet har ingen steg ennå." in client.get(LEADERS_NB).text
    assert "Dette læringsløpet har ingen steg enno." in client.get(LEADERS_NN).text


def test_a_path_costs_the_same_queries_with_more_steps_and_sessions(client, nb, uncached_pages):
    def count():
        client.get(NEW_EMPLOYEES)
        with CaptureQueriesContext(connection) as context:
            assert client.get(NEW_EMPLOYEES).status_code == 200
        return len(context)

    before = count()
    path = LearningPathPage.objects.get(locale=nb, slug="grunnopplaering-for-nyansatte")
    library = LibraryPage.objects.get(locale=nb)
    index = CourseIndexPage.objects.get(locale=nb)
    start = timezone.now() + datetime.timedelta(days=20)
    steps_data = list(path.steps.raw_data)
    for number in range(5):
        resource = library.add_child(
            instance=ResourcePage(
                title=f"Ekstra steg {number}",
                format="h5p",
                licence="members",
                language="nn",
                owner_organisation="Testeigar",
                external_url="https://example.no/steg",
                duration_minutes=10 + number,
            )
        )
        course = CoursePageFactory(parent=index, title=f"Ekstra kurs {number}")
        for day in range(4):
            CourseSessionFactory(page=course, start=start + datetime.timedelta(days=day))
        steps_data += [
            {"type": "resource", "value": {"resource": resource.pk, "note": ""}},
            {"type": "course", "value": {"course": course.pk, "note": ""}},
        ]
    path.steps = steps_data
    path.save_revision().publish()
    after = count()
    assert len(steps(client.get(NEW_EMPLOYEES).text)) == 16
    assert after == before <= 12
