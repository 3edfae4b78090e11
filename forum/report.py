"""The results report's views: the page and the CSV of each of its tables.

Every figure on the page is a cell of one of the tables below, and the charts draw those same
cells, so the page, its charts and its CSV files cannot disagree.

The CSV files are for Norwegian Excel, which is what the network's staff open them with: UTF-8
with a byte order mark (without it Excel reads the file as Windows-1252 and garbles æ, ø and å),
and `;` between cells, Excel's list separator wherever the decimal separator is a comma, as it is
in Norway; decimals are written with a comma, so Excel reads them as numbers. A text cell
(titles, names, a need's target group, all typed by editors or members) that Excel would read
as a formula is neutralised as the admin's exports are (portal.exports); numbers are ours.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from portal import page_cache, page_views
from portal.exports import neutralise

from . import charts
from .indicators import results_report
from .models import ResultsReportPage


@dataclass
class Cell:
    text: str
    value: Decimal | int | None = None  # the figure, for charts; None in a text cell
    numeric: bool = False
    url: str = ""


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass
class Table:
    slug: str
    caption: str
    columns: list
    rows: list = field(default_factory=list)  # lists of cells; the first is the row's header

    def add(self, *cells):
        self.rows.append(list(cells))

    def column(self, key):
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def csv(self):
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([neutralise(column.label) for column in self.columns])
        for row in self.rows:
            writer.writerow([cell.text if cell.numeric else neutralise(cell.text) for cell in row])
        return out.getvalue()


def number(value):
    """A figure as Norwegians write it: decimal comma, at most two decimals, no trailing zeros;
    empty when there is none."""
    if value is None:
        return Cell("", None, numeric=True)
    if isinstance(value, int):
        return Cell(str(value), value, numeric=True)
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Cell(text.replace(".", ","), Decimal(value), numeric=True)


def text(value, url=""):
    return Cell(str(value), url=url)


def date(value):
    return Cell(f"{value:%d.%m.%Y}" if value else "", numeric=True)


def measure_table(report, request):
    table = Table(
        "tiltak",
        _("Measures: what was planned and what was done"),
        [
            Column("measure", _("Measure"), numeric=False),
            Column("status", _("Status"), numeric=False),
            Column("needs", _("Needs answered")),
            Column("courses", _("Courses")),
            Column("sessions", _("Sessions held")),
            Column("participants", _("Participants")),
            Column("attended", _("Attended")),
            Column("rate", _("Attendance rate (%)")),
            Column("evaluations", _("Evaluations")),
            Column("usefulness", _("Average usefulness (1–5)")),
            Column("relevance", _("Average relevance (1–5)")),
            Column("budget", _("Budget (NOK)")),
            Column("cost", _("Cost per participant who attended (NOK)")),
            Column("contribution", _("Own contribution per participant (NOK)")),
        ],
    )
    for measure in report.measures:
        activity = measure.activity
        table.add(
            text(measure.page.title, measure.page.get_url(request) or ""),
            text(measure.source.get_status_display()),
            number(len(measure.needs)),
            number(len(measure.courses)),
            number(activity.sessions_held),
            number(activity.participants),
            number(activity.attended),
            number(activity.attendance_rate),
            number(activity.evaluations),
            number(activity.average_usefulness),
            number(activity.average_relevance),
            number(measure.source.budget),
            number(measure.cost_per_participant),
            number(measure.contribution_per_participant),
        )
    return table


def employer_table(report, names):
    table = Table(
        "tiltak-kommune",
        _("Participants per measure and employer"),
        [
            Column("measure", _("Measure"), numeric=False),
            Column("employer", _("Employer"), numeric=False),
            Column("participants", _("Participants")),
            Column("attended", _("Attended")),
        ],
    )
    for measure in report.measures:
        employers = sorted(
            measure.by_employer.items(), key=lambda item: (item[0] is None, names.get(item[0], ""))
        )
        for employer_id, activity in employers:
            table.add(
                text(measure.page.title),
                text(names.get(employer_id) or _("Other employers")),
                number(activity.participants),
                number(activity.attended),
            )
    return table


def municipality_table(report):
    table = Table(
        "kommune",
        _("Per municipality: needs planned for and participants"),
        [
            Column("municipality", _("Municipality"), numeric=False),
            Column("needs", _("Needs registered")),
            Column("employees", _("Employees concerned")),
            Column("answered", _("Needs answered by a measure")),
            Column("participants", _("Participants")),
            Column("attended", _("Attended")),
        ],
    )
    for row in report.municipalities:
        table.add(
            text(row.name),
            number(row.needs),
            number(row.employees_concerned),
            number(row.needs_answered),
            number(row.participants),
            number(row.attended),
        )
    return table


def indicator_table(report):
    table = Table(
        "resultat",
        _("Result indicators against baseline and target"),
        [
            Column("indicator", _("Result indicator"), numeric=False),
            Column("measure", _("Measure"), numeric=False),
            Column("unit", _("Unit"), numeric=False),
            Column("baseline", _("Baseline")),
            Column("target", _("Target")),
            Column("latest", _("Latest measured value")),
            Column("measured_on", _("Date measured")),
        ],
    )
    for indicator in report.indicators:
        table.add(
            text(indicator.name),
            text(indicator.measure.title),
            text(indicator.unit),
            number(indicator.baseline),
            number(indicator.target),
            number(indicator.latest_value),
            date(indicator.latest_on),
        )
    return table


def need_gap_table(report):
    table = Table(
        "behov-ingen-tiltak",
        _("Needs without any measure in this plan"),
        [
            Column("target_group", _("Target group or role"), numeric=False),
            Column("municipality", _("Municipality"), numeric=False),
            Column("service_area", _("Service area"), numeric=False),
            Column("kind", _("Kind of need"), numeric=False),
            Column("urgency", _("Urgency"), numeric=False),
            Column("employees", _("Employees concerned")),
        ],
    )
    for need in report.needs_without_measure:
        table.add(
            text(need.target_group),
            text(need.municipality.name),
            text(need.get_service_area_display()),
            text(need.get_kind_display()),
            text(need.get_urgency_display()),
            number(need.employees_concerned),
        )
    return table


def course_gap_table(report, request):
    table = Table(
        "tiltak-ingen-kurs",
        _("Measures without courses"),
        [
            Column("measure", _("Measure"), numeric=False),
            Column("status", _("Status"), numeric=False),
            Column("responsible", _("Responsible"), numeric=False),
        ],
    )
    for measure in report.measures_without_courses:
        table.add(
            text(measure.page.title, measure.page.get_url(request) or ""),
            text(measure.source.get_status_display()),
            text(measure.page.responsible),
        )
    return table


def tables(report, request):
    names = {row.municipality.pk: row.name for row in report.municipalities if row.municipality}
    built = [
        measure_table(report, request),
        employer_table(report, names),
        municipality_table(report),
        indicator_table(report),
        need_gap_table(report),
        course_gap_table(report, request),
    ]
    return {table.slug: table for table in built}


def report_charts(tables):
    measures, municipalities, indicators = (
        tables["tiltak"],
        tables["kommune"],
        tables["resultat"],
    )
    attended = charts.from_table(
        "chart-attended",
        _("Participants who attended, per measure"),
        measures,
        "attended",
    )
    participants = charts.from_table(
        "chart-municipalities",
        _("Participants per municipality"),
        municipalities,
        "participants",
    )
    columns = [indicators.column(key) for key in ("baseline", "target", "latest")]
    per_indicator = [
        charts.bar_chart(
            f"chart-indicator-{number + 1}",
            _("%(indicator)s (%(unit)s): baseline, target and latest value")
            % {"indicator": row[0].text, "unit": row[2].text},
            [(indicators.columns[column].label, row[column]) for column in columns],
            indicators,
            row[0].text,
        )
        for number, row in enumerate(indicators.rows)
    ]
    return {"attended": attended, "municipalities": participants, "indicators": per_indicator}


PLANNED = ("status", "budget", "contribution")
DONE = (
    "sessions",
    "participants",
    "attended",
    "rate",
    "evaluations",
    "usefulness",
    "relevance",
    "cost",
)


def context(page, request):
    report = results_report(page)
    built = tables(report, request)
    measures = built["tiltak"]

    def facts(row, keys):
        return [(measures.columns[i].label, row[i]) for i in map(measures.column, keys)]

    indicators = built["resultat"]
    keyed = iter(
        {column.key: cell for column, cell in zip(indicators.columns, row, strict=True)}
        for row in indicators.rows
    )
    totals = report.totals
    return {
        "report": report,
        # The template reads "tiltak-kommune" as tiltak_kommune.
        "tables": {slug.replace("-", "_"): table for slug, table in built.items()},
        "sections": [
            (
                measure,
                facts(row, PLANNED),
                facts(row, DONE),
                [next(keyed) for _indicator in measure.indicators],
            )
            for measure, row in zip(report.measures, measures.rows, strict=True)
        ],
        "summary": [
            (_("Sessions held"), number(totals.sessions_held)),
            (_("Participants"), number(totals.participants)),
            (_("Attended"), number(totals.attended)),
            (_("Attendance rate (%)"), number(totals.attendance_rate)),
            (_("Evaluations"), number(totals.evaluations)),
        ],
        "charts": report_charts(built),
    }


@page_views.register(ResultsReportPage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def results_report_page(request, page):
    return page.render(request, context_overrides=context(page, request))


@page_views.register(ResultsReportPage, "table_csv")
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def table_csv(request, page, table):
    built = tables(results_report(page), request)
    if table not in built:
        raise Http404
    response = HttpResponse(built[table].csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}-{table}.csv"'
    return response
