"""The yearly results report: every figure against data counted by hand, its tables as CSV, its
charts against its tables, both written standards, and a query count that does not grow.

The data, on 15 June 2026 (the plan's period is 2026):

Course A (measure 1), sessions:
  S1, 10 March, held: confirmed (Bergen), attended ×2 (Bergen), attended (Stord), no-show (Stord),
      attended (other employer), cancelled (Bergen), waiting (Bergen), awaiting approval (Stord);
      evaluations 5/4 (Bergen) and 3/5 (Stord)
  S2, 10 April, cancelled session: attended (Bergen) with an evaluation 1/1
  S3, 10 November 2025, before the period: attended ×2 (Bergen), an evaluation 1/1
  S4, 10 September, in the future: confirmed ×2 (Bergen)
Course B (measures 1 and 2), sessions:
  S5, 10 May, held: attended (Bergen), confirmed (Askøy)
  S6, 1 January at 00:30 Oslo time (still 2025 in UTC), held: attended (Askøy), evaluation 4/4

Measure 4 is a draft with course A, and answers need N4: it counts nowhere.
"""

import csv
import datetime
import decimal
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from forum.models import MeasureStatus, Need, NeedKind, ResultIndicator, ServiceArea, Urgency
from katalog.courses.models import CourseIndexPage
from tests.factories import CoursePageFactory, CourseSessionFactory
from tests.forum.factories import (
    MeasurePageFactory,
    ResultsReportPageFactory,
    TrainingPlanPageFactory,
    enrol,
    indicator,
    municipality,
    need,
    translate,
)
from tests.forum.report_tables import Tables

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=OSLO)
TABLES = (
    "tiltak",
    "tiltak-kommune",
    "kommune",
    "resultat",
    "behov-ingen-tiltak",
    "tiltak-ingen-kurs",
)


def rows(html, slug):
    """A table's rows (without its header) as {row header: [cells]}."""
    header, *body = Tables(html).tables[slug]
    return {row[0]: row[1:] for row in body}


def column(html, slug, label):
    header, *body = Tables(html).tables[slug]
    index = header.index(label)
    return {row[0]: row[index] for row in body}


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def at(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def places(db):
    return {
        name: municipality(number)
        for name, number in (("bergen", "4601"), ("stord", "4614"), ("askoy", "4627"))
    }


def session(course, start, **fields):
    return CourseSessionFactory(page=course, start=start, enrolment_deadline=start, **fields)


@pytest.fixture
def data(now, nb, places):
    """The plan, its report and everything behind them, as the module's docstring counts it."""
    Need.objects.all().delete()  # the demo's needs would be gaps of this plan too
    bergen, stord, askoy = places["bergen"], places["stord"], places["askoy"]
    index = CourseIndexPage.objects.get(locale=nb)
    course_a = CoursePageFactory(parent=index, title="Velkommen til kommunen", slug="rapport-a")
    course_b = CoursePageFactory(parent=index, title="Veiledning i praksis", slug="rapport-b")
    needs = {
        "n1": need(bergen, 10, target_group="Nyansatte i hjemmetjenesten"),
        "n2": need(stord, 5, target_group="Nye ledere", kind="leadership"),
        "n3": need(bergen, 7, target_group="Assistenter i barnehagen", service_area="education"),
        "n4": need(askoy, 3, target_group="Helsefagarbeidere"),
    }
    plan = TrainingPlanPageFactory(title="Plan for opplæringstiltak 2026")
    m1 = MeasurePageFactory(
        parent=plan,
        title="Introduksjon for nyansatte",
        budget=120000,
        contribution_per_participant=500,
        needs=[needs["n1"]],
        courses=[course_a, course_b],
    )
    m2 = MeasurePageFactory(
        parent=plan,
        title="Ledere som veileder",
        budget=30000,
        contribution_per_participant=0,
        needs=[needs["n2"]],
        courses=[course_b],
    )
    m3 = MeasurePageFactory(
        parent=plan,
        title="Digital kompetanse",
        budget=10000,
        contribution_per_participant=250,
        status="proposed",
    )
    MeasurePageFactory(
        parent=plan,
        title="Utkast til tiltak",
        live=False,
        budget=99999,
        needs=[needs["n4"]],
        courses=[course_a],
    )
    report = ResultsReportPageFactory(parent=plan)

    s1 = session(course_a, at(2026, 3, 10))
    enrol(s1, "confirmed", bergen)
    enrol(s1, "attended", bergen, evaluation=(5, 4))
    enrol(s1, "attended", bergen)
    enrol(s1, "attended", stord, evaluation=(3, 5))
    enrol(s1, "no_show", stord)
    enrol(s1, "attended", other="Helse Bergen")
    enrol(s1, "cancelled", bergen)
    enrol(s1, "waiting", bergen)
    enrol(s1, "awaiting_approval", stord)
    s2 = session(course_a, at(2026, 4, 10), status="cancelled")
    enrol(s2, "attended", bergen, evaluation=(1, 1))
    s3 = session(course_a, at(2025, 11, 10))
    enrol(s3, "attended", bergen, evaluation=(1, 1))
    enrol(s3, "attended", bergen)
    s4 = session(course_a, at(2026, 9, 10))
    enrol(s4, "confirmed", bergen)
    enrol(s4, "confirmed", bergen)
    s5 = session(course_b, at(2026, 5, 10))
    enrol(s5, "attended", bergen)
    enrol(s5, "confirmed", askoy)
    s6 = session(course_b, at(2026, 1, 1, 0, 30))
    enrol(s6, "attended", askoy, evaluation=(4, 4))

    indicator(
        m1,
        "Andel nyansatte med opplæring innen tre måneder",
        "%",
        decimal.Decimal("40"),
        decimal.Decimal("80"),
        [
            (datetime.date(2025, 12, 1), decimal.Decimal("45")),
            (datetime.date(2026, 3, 1), decimal.Decimal("55")),
            (datetime.date(2026, 5, 1), decimal.Decimal("60.5")),
            (datetime.date(2027, 1, 10), decimal.Decimal("90")),
        ],
    )
    indicator(
        m2, "Ledere med veiledningsplan", "personer", decimal.Decimal("2"), decimal.Decimal("10.5")
    )
    return {
        "plan": plan,
        "report": report,
        "measures": (m1, m2, m3),
        "courses": (course_a, course_b),
        "needs": needs,
    }


@pytest.fixture
def page(client, data, uncached_pages):
    response = client.get(data["report"].url)
    assert response.status_code == 200
    return response.text


# Columns of "tiltak" after the measure: status, needs, courses, sessions held, participants,
# attended, attendance rate, evaluations, usefulness, relevance, budget, cost, own contribution.
# The model's labels (status, service area, kind, urgency) as gettext gives them in bokmål.
def nb_label(choice):
    with translation.override("nb"):
        return str(choice.label)


def measures_nb():
    prioritised, proposed = nb_label(MeasureStatus.PRIORITISED), nb_label(MeasureStatus.PROPOSED)
    return {
        "Introduksjon for nyansatte": [
            prioritised, "1", "2", "3", "9", "6", "66,7", "3", "4", "4,3", "120000", "20000", "500",
        ],
        "Ledere som veileder": [
            prioritised, "1", "1", "2", "3", "2", "66,7", "1", "4", "4", "30000", "15000", "0",
        ],
        "Digital kompetanse": [
            proposed, "0", "0", "0", "0", "0", "", "0", "", "", "10000", "", "250",
        ],
    }  # fmt: skip


def test_measures_count_held_sessions_and_participants_who_kept_their_seat(page):
    assert rows(page, "tiltak") == measures_nb()


def test_draft_measure_counts_nowhere(page):
    assert "Utkast til tiltak" not in page
    assert "99999" not in page


def test_totals_count_a_course_of_two_measures_once(page):
    summary = page.partition('class="report__summary"')[2].partition("</dl>")[0]
    figures = [part.partition("</dd>")[0] for part in summary.split("<dd>")[1:]]
    # sessions held, participants, attended, attendance rate, evaluations
    assert figures == ["3", "9", "6", "66,7", "3"]


def test_municipalities_show_needs_planned_for_and_participants_with_other_employers_last(page):
    # needs registered, employees concerned, needs answered, participants, attended
    assert rows(page, "kommune") == {
        "Askøy": ["1", "3", "0", "2", "1"],
        "Bergen": ["2", "17", "1", "4", "3"],
        "Stord": ["1", "5", "1", "2", "1"],
        "Andre arbeidsgivere": ["0", "0", "0", "1", "1"],
    }
    assert list(rows(page, "kommune"))[-1] == "Andre arbeidsgivere"


def test_participants_per_measure_and_employer(page):
    header, *body = Tables(page).tables["tiltak-kommune"]
    assert header == ["Tiltak", "Arbeidsgiver", "Deltakere", "Møtte"]
    assert body == [
        ["Introduksjon for nyansatte", "Askøy", "2", "1"],
        ["Introduksjon for nyansatte", "Bergen", "4", "3"],
        ["Introduksjon for nyansatte", "Stord", "2", "1"],
        ["Introduksjon for nyansatte", "Andre arbeidsgivere", "1", "1"],
        ["Ledere som veileder", "Askøy", "2", "1"],
        ["Ledere som veileder", "Bergen", "1", "1"],
    ]


def test_result_indicators_show_the_latest_value_measured_in_the_period(page):
    assert rows(page, "resultat") == {
        "Andel nyansatte med opplæring innen tre måneder": [
            "Introduksjon for nyansatte", "%", "40", "80", "60,5", "01.05.2026",
        ],
        "Ledere med veiledningsplan": ["Ledere som veileder", "personer", "2", "10,5", "", ""],
    }  # fmt: skip


def test_gaps_list_needs_without_a_live_measure_and_measures_without_courses(page):
    assert list(rows(page, "behov-ingen-tiltak")) == [
        "Helsefagarbeidere",  # Askøy: only a draft measure answers it
        "Assistenter i barnehagen",
    ]
    assert rows(page, "behov-ingen-tiltak")["Assistenter i barnehagen"] == [
        "Bergen", nb_label(ServiceArea.EDUCATION), nb_label(NeedKind.NEW_EMPLOYEES),
        nb_label(Urgency.URGENT), "7",
    ]  # fmt: skip
    assert rows(page, "tiltak-ingen-kurs") == {
        "Digital kompetanse": [nb_label(MeasureStatus.PROPOSED), "Regionalt kompetansekontor"]
    }


def test_each_measure_shows_what_was_planned_and_done(page):
    section = page.partition('id="measure-')[2].partition("</section>")[0]
    assert "Introduksjon for nyansatte" in section
    health = nb_label(ServiceArea.HEALTH_CARE)
    assert f"Nyansatte i hjemmetjenesten (Bergen, {health}, 10)" in section
    assert ">Velkommen til kommunen</a>" in section and ">Veiledning i praksis</a>" in section
    assert "<dt>Møtte</dt><dd>6</dd>" in section
    assert "<dt>Kostnad per deltaker som møtte (kr)</dt><dd>20000</dd>" in section
    assert "målt til 60,5 % den 01.05.2026" in section


def test_csv_of_every_table_equals_the_html_table(client, page, data):
    html_tables = Tables(page).tables
    for slug in TABLES:
        response = client.get(f"{data['report'].url}tabell/{slug}/")
        assert response.status_code == 200, slug
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        filename = f"{data['report'].slug}-{slug}.csv"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        body = response.content.decode("utf-8")
        assert body.startswith("\ufeff")
        parsed = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
        if slug in html_tables:
            assert parsed == html_tables[slug], slug
        else:  # an empty table: the page says so, the CSV has its header
            assert len(parsed) == 1


def test_csv_neutralises_a_formula_typed_into_a_need(client, data, uncached_pages):
    need(municipality("4601"), 2, target_group='=HYPERLINK("http://x")')
    response = client.get(f"{data['report'].url}tabell/behov-ingen-tiltak/")
    cells = [
        row[0] for row in csv.reader(io.StringIO(response.content.decode()[1:]), delimiter=";")
    ]
    assert '\'=HYPERLINK("http://x")' in cells


def test_unknown_table_is_not_found(client, data):
    assert client.get(f"{data['report'].url}tabell/hemmeleg/").status_code == 404


def test_every_chart_bar_shows_the_figure_of_its_table(page):
    parsed = Tables(page)
    assert {chart["data-table"] for chart in parsed.charts} == {"tiltak", "kommune", "resultat"}
    for bar in parsed.bars:
        header, *body = parsed.tables[bar["table"]]
        row = next(row for row in body if row[0] == bar["data-row"])
        assert row[header.index(bar["data-column"])] == (
            "" if bar["data-value"] == "–" else bar["data-value"]
        )
    attended = {
        bar["data-row"]: bar["data-value"] for bar in parsed.bars if bar["table"] == "tiltak"
    }
    assert attended == column(page, "tiltak", "Møtte")
    participants = {
        bar["data-row"]: bar["data-value"] for bar in parsed.bars if bar["table"] == "kommune"
    }
    assert participants == column(page, "kommune", "Deltakere")
    indicator_bars = [bar for bar in parsed.bars if bar["table"] == "resultat"]
    assert len(indicator_bars) == 6  # baseline, target and latest of two indicators


def test_charts_are_labelled_images_that_shrink_to_a_phone(page):
    parsed = Tables(page)
    assert len(parsed.charts) == 4
    for chart in parsed.charts:
        assert chart["role"] == "img"
        assert chart["width"] == "100%"
        assert chart["viewbox"].startswith("0 0 320 ")
        for label_id in chart["aria-labelledby"].split():
            assert f'id="{label_id}"' in page
    assert '<title id="chart-attended-title">Deltakere som møtte, per tiltak</title>' in page
    assert 'href="#table-tiltak"' in page and 'id="table-tiltak"' in page


def test_tables_have_captions_headers_with_scope_and_download_links(page, data):
    for slug in ("tiltak", "tiltak-kommune", "kommune", "resultat", "behov-ingen-tiltak"):
        table = page.partition(f'data-table="{slug}" data-size="sm">')[2].partition("</table>")[0]
        assert "<caption" in table
        assert 'scope="col"' in table and 'scope="row"' in table
        assert f'href="{data["report"].url}tabell/{slug}/">Last ned CSV' in page
    assert 'class="table-scroll" role="region"' in page


def test_nynorsk_report_shows_the_same_figures_with_nynorsk_words(client, data, uncached_pages):
    m1, m2, m3 = data["measures"]
    translate(data["plan"].get_parent())
    translate(data["plan"], title="Plan for opplæringstiltak 2026 (nn)")
    for measure, title in zip(
        (m1, m2, m3),
        ("Introduksjon for nytilsette", "Leiarar som rettleier", "Digital kompetanse"),
        strict=True,
    ):
        translate(measure, title=title)
    ResultIndicator.objects.filter(
        locale__language_code="nn", name="Ledere med veiledningsplan"
    ).update(name="Leiarar med rettleiingsplan")
    nn_report = translate(data["report"], title="Resultatrapport (nn)")
    assert nn_report.url.startswith("/nn/")
    html = client.get(nn_report.url).text
    assert 'lang="nn"' in html
    measures = rows(html, "tiltak")
    assert list(measures) == [
        "Introduksjon for nytilsette",
        "Leiarar som rettleier",
        "Digital kompetanse",
    ]
    assert [row[1:] for row in measures.values()] == [row[1:] for row in measures_nb().values()]
    header = Tables(html).tables["kommune"][0]
    assert header == [
        "Kommune", "Behov registrerte", "Tilsette det gjeld", "Behov som eit tiltak svarar på",
        "Deltakarar", "Møtte",
    ]  # fmt: skip
    assert "Andre arbeidsgivarar" in rows(html, "kommune")
    assert "Leiarar med rettleiingsplan" in rows(html, "resultat")
    assert "Last ned CSV" in html
    csv_body = client.get(f"{nn_report.url}tabell/tiltak/").content.decode()[1:]
    assert list(csv.reader(io.StringIO(csv_body), delimiter=";")) == Tables(html).tables["tiltak"]


def test_report_of_a_plan_without_measures_renders_and_says_so(client, now, uncached_pages):
    plan = TrainingPlanPageFactory()
    report = ResultsReportPageFactory(parent=plan)
    html = client.get(report.url).text
    assert "Planen har ingen publiserte tiltak ennå." in html
    assert client.get(f"{report.url}tabell/tiltak/").status_code == 200


_grown = itertools.count()


def grow(data, places, copies):
    """More of everything: measures with courses and needs, sessions, enrolments, evaluations,
    indicators and measurements."""
    index = data["courses"][0].get_parent()
    for _copy in range(copies):
        number = next(_grown)
        course = CoursePageFactory(parent=index, slug=f"vekst-{number}")
        extra = need(places["stord"], 4, target_group=f"Vekst {number}")
        measure = MeasurePageFactory(
            parent=data["plan"], budget=1000, needs=[extra], courses=[course]
        )
        indicator(
            measure,
            f"Indikator {number}",
            "%",
            decimal.Decimal(1),
            decimal.Decimal(2),
            [(datetime.date(2026, 2, 1), decimal.Decimal(1))],
        )
        for day in (2, 3):
            held = session(course, at(2026, 2, day))
            for place in places.values():
                enrol(held, "attended", place, evaluation=(4, 5))
                enrol(held, "no_show", place)
        need(places["askoy"], 1, target_group=f"Ubesvart {number}")


def count_queries(client, url):
    client.get(url)  # the site's root paths and settings, cached after the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_report_reads_as_many_queries_for_three_times_the_data(
    client, data, places, uncached_pages
):
    url = data["report"].url
    grow(data, places, 1)
    small = count_queries(client, url)
    grow(data, places, 3)
    assert count_queries(client, url) == small
    csv_url = f"{url}tabell/kommune/"
    small_csv = count_queries(client, csv_url)
    grow(data, places, 3)
    assert count_queries(client, csv_url) == small_csv
