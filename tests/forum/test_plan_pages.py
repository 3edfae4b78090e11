"""The public forum, training plan and measure pages: the plan's measures in the editors' order,
the links both ways between measures and courses, in nb and nn, at a constant query count."""

import datetime
import decimal
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from forum.models import MeasureStatus, ServiceArea
from katalog.courses.models import CourseIndexPage, CourseSession
from katalog.places.models import Municipality
from tests.factories import CoursePageFactory, CourseSessionFactory
from tests.forum.factories import (
    ForumIndexPageFactory,
    IndicatorMeasurementFactory,
    MeasurePageFactory,
    NeedFactory,
    ResultIndicatorFactory,
    ResultsReportPageFactory,
    TrainingPlanPageFactory,
    translate,
)

pytestmark = pytest.mark.django_db

MEASURE = re.compile(r'<li class="ds-card measure-card" data-measure="([0-9a-f-]+)">')
SESSION = re.compile(r'<tr data-session="([0-9a-f-]+)">')


def days(number):
    return timezone.now() + datetime.timedelta(days=number)


def course_with_sessions(title, sessions=2, **fields):
    index = CourseIndexPage.objects.get(locale__language_code="nb")
    course = CoursePageFactory(parent=index, title=title, **fields)
    for number in range(sessions):
        CourseSessionFactory(page=course, start=days(20 + number))
    return course


def section(html, marker):
    """The <li> of the plan that marker (a measure's translation key) opens."""
    return html.split(f'data-measure="{marker}"')[1].split('<li class="ds-card measure-card"')[0]


@pytest.fixture
def plan():
    return TrainingPlanPageFactory(title="Plan for opplæringstiltak 2026")


def test_forum_lists_its_live_plans_with_their_periods(client):
    forum = ForumIndexPageFactory(title="Kompetanseforum i test")
    TrainingPlanPageFactory(parent=forum, title="Planen for 2026")
    TrainingPlanPageFactory(parent=forum, title="Kladd til plan", live=False)
    html = client.get(forum.url).text
    assert "Planen for 2026" in html
    assert '<time datetime="2026-01-01">1. januar 2026</time>' in html
    assert "Kladd til plan" not in html


def test_plan_lists_live_measures_in_the_editors_order_with_priority_and_status(client, plan):
    first = MeasurePageFactory(parent=plan, title="Introduksjon for nyansatte")
    second = MeasurePageFactory(parent=plan, title="Lederutvikling", status="in_progress")
    third = MeasurePageFactory(parent=plan, title="Digital kompetanse", status="proposed")
    MeasurePageFactory(parent=plan, title="Et utkast", live=False)
    # The editor moves the last measure to the top in the explorer: it is now the first priority.
    third.move(first, pos="left")

    html = client.get(plan.url).text
    assert MEASURE.findall(html) == [str(m.translation_key) for m in (third, first, second)]
    assert "Et utkast" not in html
    assert re.findall(r"Prioritet (\d+):</span> <a[^>]*>([^<]+)</a>", html) == [
        ("1", "Digital kompetanse"),
        ("2", "Introduksjon for nyansatte"),
        ("3", "Lederutvikling"),
    ]
    with translation.override("nb"):
        for measure in (first, second, third):
            label = str(MeasureStatus(measure.status).label)
            assert f">{label}</span>" in section(html, measure.translation_key)
    assert f'href="{first.url}"' in html


def test_dropped_measure_loses_its_priority_and_is_listed_apart(client, plan):
    kept = MeasurePageFactory(parent=plan, title="Beholdt tiltak")
    dropped = MeasurePageFactory(
        parent=plan,
        title="Avlyst tiltak",
        status="dropped",
        courses=[course_with_sessions("Kurs for et avlyst tiltak")],
    )
    last = MeasurePageFactory(parent=plan, title="Siste tiltak")
    kept.move(dropped, pos="right")

    html = client.get(plan.url).text
    assert MEASURE.findall(html) == [str(kept.translation_key), str(last.translation_key)]
    assert "Prioritet 2:</span>" in section(html, last.translation_key)
    assert "Prioritet 3:" not in html
    apart = html.split("Tiltak som er tatt ut av planen")[1]
    assert f'<a class="ds-link" href="{dropped.url}">Avlyst tiltak</a>' in apart
    assert "Kurs for et avlyst tiltak" not in html

    page = client.get(dropped.url).text
    assert "Dette tiltaket er tatt ut av planen." in page
    assert "Kurs for et avlyst tiltak" not in page


def test_plan_shows_each_measures_needs_and_courses_with_next_sessions_and_free_seats(client, plan):
    bergen = Municipality.objects.get(number="4601")
    voss = Municipality.objects.get(number="4621")
    needs = [
        NeedFactory(municipality=bergen, employees_concerned=30),
        NeedFactory(municipality=voss, employees_concerned=12),
        NeedFactory(municipality=bergen, employees_concerned=5),
    ]
    course = course_with_sessions("Velkommen til kommunen", sessions=0)
    soon = CourseSessionFactory(page=course, start=days(10), capacity=20, seats_taken=3)
    online = CourseSessionFactory(page=course, start=days(11), online=True, municipality=None)
    later = CourseSessionFactory(page=course, start=days(12))
    CourseSessionFactory(page=course, start=days(13))  # a fourth: the plan shows three
    cancelled = CourseSessionFactory(page=course, start=days(9), status="cancelled")
    closed = CourseSessionFactory(page=course, start=days(3), enrolment_deadline=days(-1))
    measure = MeasurePageFactory(parent=plan, needs=needs, courses=[course])

    html = section(client.get(plan.url).text, measure.translation_key)
    assert "Svarer på 3 kompetansebehov, 47 ansatte berørt." in html
    assert "Kommuner: Bergen, Voss." in html
    assert f'<a class="ds-link" href="{course.url}">Velkommen til kommunen</a>' in html
    assert SESSION.findall(html) == [str(s.translation_key) for s in (soon, online, later)]
    assert str(cancelled.translation_key) not in html and str(closed.translation_key) not in html
    assert "17 ledige plasser" in html
    assert "Nettbasert" in html
    assert f'href="{course.url}pamelding/{soon.translation_key}/"' in html
    assert "<caption>Neste kursgjennomføringer av Velkommen til kommunen</caption>" in html


def test_plan_links_to_its_results_report_once_it_is_live(client, plan):
    report = ResultsReportPageFactory(parent=plan, title="Resultater 2026", live=False)
    assert report.url not in client.get(plan.url).text
    report.save_revision().publish()
    assert f'href="{report.url}"' in client.get(plan.url).text


def test_measure_shows_its_facts_effect_chain_needs_indicators_and_courses(client, plan):
    course = course_with_sessions("Velkommen til kommunen", sessions=1)
    need = NeedFactory(target_group="Assistenter i heimetenesta", employees_concerned=14)
    measure = MeasurePageFactory(
        parent=plan,
        title="Introduksjon for nyansatte",
        goal="Alle nyansatte får opplæring de tre første månedene.",
        budget=1250000,
        needs=[need],
        courses=[course],
    )
    indicator = ResultIndicatorFactory(page=measure, name="Nyansatte med opplæring", unit="%")
    IndicatorMeasurementFactory(indicator=indicator, measured_on=datetime.date(2026, 3, 1))
    IndicatorMeasurementFactory(
        indicator=indicator, measured_on=datetime.date(2026, 9, 1), value=decimal.Decimal("62.5")
    )

    html = client.get(measure.url).text
    assert "Alle nyansatte får opplæring de tre første månedene." in html
    assert "1\xa0250\xa0000 kr" in html
    chain = html.split('<ol class="effect-chain">')[1].split("</ol>")[0]
    assert re.findall(r"<strong>([^<]+):</strong>", chain) == [
        "Innsatsfaktorer",
        "Aktiviteter",
        "Produkter",
        "Effekter for brukerne",
        "Effekter for samfunnet",
    ]
    with translation.override("nb"):
        area = str(ServiceArea.HEALTH_CARE.label)
    assert f'<th scope="row">Bergen</th><td>{area}</td>' in html
    assert '<td>Assistenter i heimetenesta</td><td class="numeric">14</td>' in html
    assert '<th scope="row">Nyansatte med opplæring</th><td>%</td>' in html
    assert "62,5" in html and "1. september 2026" in html
    assert f'<a class="ds-link" href="{course.url}">Velkommen til kommunen</a>' in html
    assert len(SESSION.findall(html)) == 1
    assert f'href="{plan.url}"' in html


def test_course_page_names_the_measures_it_delivers_but_not_dropped_or_draft_ones(client, plan):
    course = course_with_sessions("Velkommen til kommunen")
    delivered = MeasurePageFactory(parent=plan, title="Introduksjon", courses=[course])
    MeasurePageFactory(parent=plan, title="Avlyst", status="dropped", courses=[course])
    MeasurePageFactory(parent=plan, title="Utkast", live=False, courses=[course])

    html = client.get(course.url).text
    block = html.split("I planen for opplæringstiltak")[1].split("</ul>")[0]
    assert "Kurset hører til et tiltak i Plan for opplæringstiltak 2026:" in block
    assert f'<a class="ds-link" href="{delivered.url}">Introduksjon</a>' in block
    assert "Avlyst" not in block and "Utkast" not in block


def test_course_without_a_measure_shows_no_plan(client):
    course = course_with_sessions("Kurs uten tiltak")
    assert "I planen for opplæringstiltak" not in client.get(course.url).text


def test_nynorsk_plan_and_measure_link_the_nynorsk_courses_and_back(client, plan):
    course = course_with_sessions("Velkommen til kommunen", sessions=2)
    nn_course = translate(course, title="Velkomen til kommunen")
    measure = MeasurePageFactory(parent=plan, title="Introduksjon for nyansatte", courses=[course])
    translate(plan.get_parent(), title="Testforum på nynorsk")
    nn_plan = translate(plan, title="Plan for opplæringstiltak 2026 (nn)")
    nn_measure = translate(measure, title="Introduksjon for nytilsette")
    # The nynorsk copy names the bokmål course, as wagtail-localize copies the relation.
    assert list(nn_measure.courses.all()) == [course]

    for url in (nn_plan.url, nn_measure.url):
        html = client.get(url).text
        assert url.startswith("/nn/")
        assert f'<a class="ds-link" href="{nn_course.url}">Velkomen til kommunen</a>' in html
        assert "Velkommen til kommunen" not in html
        sessions = SESSION.findall(html)
        assert sessions == [str(s.translation_key) for s in nn_course.sessions.order_by("start")]
        assert f'href="{nn_course.url}pamelding/{sessions[0]}/"' in html
        assert "20 ledige plassar" in html
    assert f'href="{nn_measure.url}"' in client.get(nn_plan.url).text

    nn_html = client.get(nn_course.url).text
    assert "Kurset høyrer til eit tiltak i Plan for opplæringstiltak 2026 (nn):" in nn_html
    assert f'<a class="ds-link" href="{nn_measure.url}">Introduksjon for nytilsette</a>' in nn_html
    nb_html = client.get(course.url).text
    assert f'<a class="ds-link" href="{measure.url}">Introduksjon for nyansatte</a>' in nb_html
    assert nn_measure.url not in nb_html


def test_latest_measured_value_shows_on_the_bokmal_and_the_nynorsk_measure(client, plan):
    measure = MeasurePageFactory(parent=plan)
    indicator = ResultIndicatorFactory(page=measure, name="Del med opplæring")
    translate(plan.get_parent())
    translate(plan)
    nn_measure = translate(measure)
    nn_indicator = nn_measure.indicators.get()
    assert nn_indicator.translation_key == indicator.translation_key
    assert nn_indicator.pk != indicator.pk
    # Measured after the translation, on the source-language indicator, as coordinators do.
    IndicatorMeasurementFactory(
        indicator=indicator, measured_on=datetime.date(2026, 5, 2), value=decimal.Decimal("48")
    )
    IndicatorMeasurementFactory(
        indicator=indicator, measured_on=datetime.date(2026, 11, 20), value=decimal.Decimal("71")
    )

    for url, date in ((measure.url, "20. november 2026"), (nn_measure.url, "20. november 2026")):
        row = client.get(url).text.split(f'data-indicator="{indicator.translation_key}"')[1]
        row = row.split("</tr>")[0]
        assert ">71 <span" in row and date in row
        assert "48" not in row


def test_indicator_never_measured_says_so(client, plan):
    measure = MeasurePageFactory(parent=plan)
    ResultIndicatorFactory(page=measure)
    assert "Ikke målt ennå" in client.get(measure.url).text


def test_unpublished_measure_leaves_the_plan_and_its_page_is_gone(client, plan):
    measure = MeasurePageFactory(parent=plan, title="Snart borte")
    assert "Snart borte" in client.get(plan.url).text
    measure.unpublish()
    assert "Snart borte" not in client.get(plan.url).text
    assert client.get(measure.url).status_code == 404


def test_unpublished_course_is_not_listed_on_the_measure(client, plan):
    course = course_with_sessions("Kurs som blir trukket")
    measure = MeasurePageFactory(parent=plan, courses=[course])
    course.unpublish()
    html = client.get(measure.url).text
    assert "Kurs som blir trukket" not in html
    assert "Ingen kurs gjennomfører dette tiltaket ennå." in html


# Query counts


def queries(client, url):
    client.get(url)  # this process's caches (site root paths, translations)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def grow_plan(plan, size):
    """size measures, each answering size needs, delivered by the same size courses of size
    sessions each, with size indicators of size measurements each."""
    municipalities = list(Municipality.objects.all()[:size])
    courses = []
    for number in range(size):
        course = course_with_sessions(f"Kurs {size}-{number}", sessions=0)
        for day in range(size):
            CourseSessionFactory(
                page=course,
                start=days(10 + day),
                online=day % 2 == 1,
                municipality=municipalities[day],
            )
        courses.append(course)
    for _number in range(size):
        needs = [NeedFactory(municipality=m) for m in municipalities]
        measure = MeasurePageFactory(parent=plan, needs=needs, courses=courses)
        for _indicator in range(size):
            indicator = ResultIndicatorFactory(page=measure)
            for day in range(size):
                IndicatorMeasurementFactory(
                    indicator=indicator, measured_on=datetime.date(2026, 1, 1 + day)
                )
    return measure


@pytest.mark.usefixtures("uncached_pages")
def test_plan_and_measure_pages_read_as_many_queries_with_2_as_with_8_of_everything(client):
    counts = []
    for size in (2, 8):
        plan = TrainingPlanPageFactory()
        measure = grow_plan(plan, size)
        ResultsReportPageFactory(parent=plan)
        assert CourseSession.objects.filter(page__in=measure.courses.all()).count() == size**2
        assert len(MEASURE.findall(client.get(plan.url).text)) == size
        course = measure.courses.first()
        counts.append(
            (
                queries(client, plan.get_parent().url),
                queries(client, plan.url),
                queries(client, measure.url),
                queries(client, course.url),
            )
        )
    assert counts[0] == counts[1]
