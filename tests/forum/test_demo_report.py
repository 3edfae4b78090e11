"""The demo's results report against figures counted by hand from portal/demo/*.toml.

The demo is seeded on a fixed day, 20 November 2026 at noon in Oslo, so that "this year" is 2026
and the sessions held ("today-40 09:00" and the like, the last sessions of the measures' courses
in courses.toml) fall on known days of it; the pages are read on that day too.

Hand count, measure by measure (courses.toml, the enrolment block "What happened at the sessions
already held"; A = attended, N = no-show, C = cancelled, K = confirmed, attendance not marked):

1. Introduksjon og veiledning av nyansatte (budget 180 000, own contribution 1 200)
   Veiledning av nyansatte, session 3 (Stord):  A 10 (Stord) + 4 (Sveio), N 2, C 2  -> 16 / 14
   Veiledning av nyansatte, session 4 (Bergen): A 15, N 3, C 2, K 2 (Askøy)        -> 20 / 15
   Opplæring i arbeidslivet, session 2 (Voss):  A 12 (Voss) + 3 (Kvam), N 1, C 1    -> 16 / 15
   3 sessions, 52 participants (A + N + K), 44 attended, 44/52 = 84.6 %;
   evaluations 5 + 4 + 3 = 12: usefulness 21 + 16 + 11 = 48 -> 4.0, relevance 22 + 16 + 12 = 50
   -> 4.2; cost 180 000 / 44 = 4 090.9 -> 4091.
2. Demensomsorg og lindrende behandling (240 000, 800)
   Demensomsorgens ABC, session 4 (Kvinnherad): A 18, N 2, C 3 (Bømlo)             -> 20 / 18
   Demensomsorgens ABC, session 5 (Sogndal):    A 9 (Sogndal) + 5 (Luster), N 1, C 2 -> 15 / 14
   Palliasjon, session 4 (Sunnfjord):           A 11, N 1, C 1 (Kinn)                -> 12 / 11
   3 sessions, 47 participants, 43 attended, 91.5 %; evaluations 5 + 3 + 3 = 11: usefulness
   21 + 13 + 14 = 48 -> 4.4, relevance 23 + 13 + 15 = 51 -> 4.6; cost 240 000 / 43 -> 5581.
3. Digital kompetanse i hele kommunen (90 000, 0)
   Digital kompetanse, session 3 (online):      A 20 (Bergen) + 5 (Alver), N 3, C 2  -> 28 / 25
   Digital kompetanse, session 4 (online):      A 14 (Øygarden), N 2, C 1, K 4 (Osterøy) -> 20 / 14
   Informasjonssikkerhet, session 3 (online):   A 10 (Bergen), N 2                   -> 12 / 10
   3 sessions, 60 participants, 49 attended, 81.7 %; evaluations 4 + 3 + 2 = 9: usefulness
   16 + 11 + 9 = 36 -> 4.0, relevance 14 + 13 + 8 = 35 -> 3.9; cost 90 000 / 49 -> 1837.
4. Lederutvikling for nye ledere og mellomledere (150 000, 4 500)
   Lederutvikling, session 3 (Bergen): A 13 (Bergen) + 2 (Vestland fylkeskommune, another
   employer), N 1 -> 16 / 15. Ledelse i kommunen's sessions are all still to come (its nearest,
   today+17, is in December: in the period, not held).
   1 session, 16 participants, 15 attended, 93.75 -> 93.8 %; evaluations 4: usefulness 18 -> 4.5,
   relevance 18 -> 4.5; cost 150 000 / 15 = 10 000.
5. Norsk i arbeidet for assistenter (120 000, 0): no course, nothing held.
Totals: 10 sessions, 52 + 47 + 60 + 16 = 175 participants, 44 + 43 + 49 + 15 = 151 attended,
86.3 %, 36 evaluations.
"""

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from forum.models import (
    ForumIndexPage,
    MeasurePage,
    MeasureStatus,
    ResultsReportPage,
    TrainingPlanPage,
)
from katalog.courses.models import CoursePage, Enrolment
from tests.forum.report_tables import Tables

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
DAY = datetime.datetime(2026, 11, 20, 12, tzinfo=OSLO)

MEASURES = [
    "Introduksjon og veiledning av nyansatte",
    "Demensomsorg og lindrende behandling",
    "Digital kompetanse i hele kommunen",
    "Lederutvikling for nye ledere og mellomledere",
    "Norsk i arbeidet for assistenter i helse og omsorg",
]


@pytest.fixture(scope="module")
def demo_on_the_day(django_db_setup, django_db_blocker, demo_copy):
    """The demo as seed_demo builds it on DAY: the session's demo, seeded on the day the tests
    run, without the pages whose dates follow that day (the courses with their sessions and
    participants, the forum's pages with their indicators), seeded again on DAY. Committed for
    this module's tests, and the session's demo put back after them."""
    with django_db_blocker.unblock():
        with time_machine.travel(DAY, tick=False):
            with transaction.atomic():
                Enrolment.objects.all().delete()
                Page.objects.type(CoursePage).delete()
                Page.objects.type(ForumIndexPage).delete()
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        demo_copy.restore()


@pytest.fixture
def on_the_day(demo_on_the_day):
    with time_machine.travel(DAY, tick=False):
        yield


def bokmal(*msgids):
    """The interface's words in bokmål, as the page shows them."""
    with translation.override("nb"):
        return tuple(gettext(msgid) for msgid in msgids)


(OTHER,) = bokmal("Other employers")


def report_url(language):
    return ResultsReportPage.objects.get(locale__language_code=language).url


def table(html, slug, *labels):
    """A table's rows as [(row header, {label: cell})] in the page's order."""
    header, *body = Tables(html).tables[slug]
    return [(row[0], {label: row[header.index(label)] for label in labels}) for row in body]


def csv_table(client, html, slug):
    """The rows of the CSV file the page links for a table."""
    (url,) = re.findall(rf'href="([^"]*/tabell/{re.escape(slug)}/)"', html)
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def report(client, on_the_day):
    response = client.get(report_url("nb"))
    assert response.status_code == 200
    return response.content.decode()


def test_report_counts_each_measures_activity_as_counted_by_hand(report):
    labels = bokmal(
        "Sessions held",
        "Participants",
        "Attended",
        "Attendance rate (%)",
        "Evaluations",
        "Average usefulness (1–5)",
        "Average relevance (1–5)",
        "Budget (NOK)",
        "Cost per participant who attended (NOK)",
        "Own contribution per participant (NOK)",
    )
    rows = table(report, "tiltak", *labels)
    assert [title for title, _cells in rows] == MEASURES
    expected = [
        ("3", "52", "44", "84,6", "12", "4", "4,2", "180000", "4091", "1200"),
        ("3", "47", "43", "91,5", "11", "4,4", "4,6", "240000", "5581", "800"),
        ("3", "60", "49", "81,7", "9", "4", "3,9", "90000", "1837", "0"),
        ("1", "16", "15", "93,8", "4", "4,5", "4,5", "150000", "10000", "4500"),
        # No course: nothing held, no rate, no cost per participant.
        ("0", "0", "0", "", "0", "", "", "120000", "", "0"),
    ]
    assert [tuple(cells[label] for label in labels) for _title, cells in rows] == expected


def test_report_shows_the_plans_measures_with_their_status_needs_and_courses(report):
    rows = table(report, "tiltak", *bokmal("Status", "Needs answered", "Courses"))
    with translation.override("nb"):
        status = {value: str(label) for value, label in MeasureStatus.choices}
    assert [tuple(cells.values()) for _title, cells in rows] == [
        (status["in_progress"], "3", "2"),
        (status["in_progress"], "4", "2"),
        (status["done"], "3", "2"),
        (status["prioritised"], "2", "2"),
        (status["proposed"], "2", "0"),
    ]


def test_report_summary_counts_every_held_session_once(report):
    # 10 sessions, 175 participants, 151 attended (151 / 175 = 86.29 %), 36 evaluations; the
    # cancelled (2+2+1+1+3+2+1+2+1 = 15) and the no-shows (2+3+1+2+1+1+3+2+2+1 = 18) are not
    # attended, and only the no-shows and the confirmed (2 + 4) count as participants.
    summary = report.split('class="report__summary"', 1)[1].split("</dl>", 1)[0]
    labels = bokmal(
        "Sessions held", "Participants", "Attended", "Attendance rate (%)", "Evaluations"
    )
    for label, value in zip(labels, ("10", "175", "151", "86,3", "36"), strict=True):
        assert f"<dt>{label}</dt><dd>{value}</dd>" in summary


def test_report_counts_needs_and_participants_per_municipality(report):
    labels = bokmal(
        "Needs registered",
        "Employees concerned",
        "Needs answered by a measure",
        "Participants",
        "Attended",
    )
    rows = dict(table(report, "kommune", *labels))
    counted = {name: tuple(cells.values()) for name, cells in rows.items()}
    assert counted == {
        # needs, employees concerned, needs answered, participants, attended
        "Alver": ("1", "300", "1", "5", "5"),
        "Askøy": ("0", "0", "0", "2", "0"),  # two confirmed, attendance not marked
        "Austevoll": ("1", "12", "0", "0", "0"),
        "Bergen": ("3", "350", "3", "67", "58"),  # 18 + 23 + 12 + 14; 15 + 20 + 10 + 13
        "Bjørnafjorden": ("1", "45", "0", "0", "0"),
        "Bømlo": ("1", "30", "1", "0", "0"),  # its three cancelled
        "Kinn": ("1", "14", "0", "0", "0"),  # its one cancelled
        "Kvam": ("0", "0", "0", "3", "3"),
        "Kvinnherad": ("1", "35", "1", "20", "18"),
        "Luster": ("1", "18", "1", "6", "5"),
        "Lærdal": ("1", "8", "1", "0", "0"),
        "Osterøy": ("1", "12", "1", "4", "0"),
        "Sogndal": ("1", "40", "1", "9", "9"),
        "Stord": ("1", "60", "1", "12", "10"),
        "Stryn": ("1", "6", "0", "0", "0"),
        "Sunnfjord": ("1", "25", "1", "12", "11"),
        "Sveio": ("0", "0", "0", "4", "4"),
        "Voss": ("1", "15", "1", "13", "12"),
        "Øygarden": ("1", "70", "1", "16", "14"),
        OTHER: ("0", "0", "0", "2", "2"),
    }
    # The bar: needs from at least ten municipalities (the demo has sixteen).
    assert sum(1 for cells in counted.values() if cells[0] != "0") == 16


def test_report_counts_participants_per_measure_and_employer(report):
    header, *body = Tables(report).tables["tiltak-kommune"]
    rows = [tuple(row) for row in body]
    nyansatte, demens, digital, leiing = MEASURES[:4]
    assert rows == [
        (nyansatte, "Askøy", "2", "0"),
        (nyansatte, "Bergen", "18", "15"),
        (nyansatte, "Kvam", "3", "3"),
        (nyansatte, "Stord", "12", "10"),
        (nyansatte, "Sveio", "4", "4"),
        (nyansatte, "Voss", "13", "12"),
        (demens, "Kvinnherad", "20", "18"),
        (demens, "Luster", "6", "5"),
        (demens, "Sogndal", "9", "9"),
        (demens, "Sunnfjord", "12", "11"),
        (digital, "Alver", "5", "5"),
        (digital, "Bergen", "35", "30"),
        (digital, "Osterøy", "4", "0"),
        (digital, "Øygarden", "16", "14"),
        (leiing, "Bergen", "14", "13"),
        (leiing, OTHER, "2", "2"),
    ]


def test_report_shows_the_latest_measurement_of_each_indicator_in_the_year(report):
    header, *body = Tables(report).tables["resultat"]
    assert [tuple(row[:1] + row[3:]) for row in body] == [
        # forum.toml's IndicatorMeasurement rows: the latest of each in 2026.
        ("Andel nyansatte med fast veileder innen tre måneder", "35", "80", "58", "10.11.2026"),
        ("Nyansatte som slutter i løpet av det første året", "18", "10", "18", "15.01.2026"),
        ("Andel ansatte i hjemmetjenesten med demensopplæring", "40", "75", "61", "31.10.2026"),
        ("Ressurssykepleiere i palliasjon", "20", "60", "34", "31.10.2026"),
        (
            "Andel ansatte som har fullført opplæring i informasjonssikkerhet",
            "55",
            "90",
            "84",
            "15.11.2026",
        ),
        ("Ledere som har gjennomført lederutvikling", "12", "40", "12", "15.01.2026"),
        ("Assistenter med norskopplæring på arbeidsplassen", "0", "50", "", ""),
    ]


def test_report_lists_needs_no_measure_answers_and_the_measure_without_courses(report):
    tables = Tables(report).tables
    needs = [(row[0], row[1]) for row in tables["behov-ingen-tiltak"][1:]]
    assert sorted(needs) == [
        ("Ansatte i barnevernstjenesten", "Kinn"),
        ("Barnehageassistenter", "Austevoll"),
        ("Barnehageassistenter", "Bjørnafjorden"),
        ("Driftsoperatører vann og avløp", "Stryn"),
    ]
    assert [row[0] for row in tables["tiltak-ingen-kurs"][1:]] == [MEASURES[4]]


def test_report_csv_holds_the_hand_counted_figures(client, report):
    header, *body = csv_table(client, report, "tiltak")
    columns = [
        header.index(label) for label in bokmal("Participants", "Attended", "Attendance rate (%)")
    ]
    assert [[row[0], *(row[i] for i in columns)] for row in body] == [
        [MEASURES[0], "52", "44", "84,6"],
        [MEASURES[1], "47", "43", "91,5"],
        [MEASURES[2], "60", "49", "81,7"],
        [MEASURES[3], "16", "15", "93,8"],
        [MEASURES[4], "0", "0", ""],
    ]


def test_nynorsk_report_shows_the_same_figures_under_nynorsk_titles(client, on_the_day, report):
    response = client.get(report_url("nn"))
    assert response.status_code == 200
    nynorsk = Tables(response.content.decode()).tables["tiltak"]
    bokmal = Tables(report).tables["tiltak"]
    assert [row[0] for row in nynorsk[1:]] == [
        "Introduksjon og rettleiing av nytilsette",
        "Demensomsorg og lindrande behandling",
        "Digital kompetanse i heile kommunen",
        "Leiarutvikling for nye leiarar og mellomleiarar",
        "Norsk i arbeidet for assistentar i helse og omsorg",
    ]
    # Status (column 1) is in each standard's words; the figures are the same.
    assert [row[2:] for row in nynorsk[1:]] == [row[2:] for row in bokmal[1:]]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_plan_lists_five_measures_and_every_course_it_links_exists_in_its_standard(
    client, on_the_day, language
):
    plan = TrainingPlanPage.objects.get(locale__language_code=language)
    assert plan.title == "Plan for opplæringstiltak 2026"
    assert (plan.period_start, plan.period_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    html = client.get(plan.url).content.decode()
    measures = MeasurePage.objects.child_of(plan).live().order_by("path")
    assert measures.count() == 5
    positions = [html.index(f'href="{measure.url}"') for measure in measures]
    assert positions == sorted(positions)
    with_courses = 0
    for measure in measures:
        page = client.get(measure.url).content.decode()
        courses = CoursePage.objects.live().filter(
            locale__language_code=language,
            translation_key__in=[course.translation_key for course in measure.courses.all()],
        )
        assert courses.count() == measure.courses.count()
        for course in courses:
            assert f'href="{course.url}"' in page, (measure, course)
            assert client.get(course.url).status_code == 200
        with_courses += bool(courses)
    assert with_courses == 4
