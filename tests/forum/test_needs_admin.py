"""The needs register in the admin: its listing, filters, search and export, the needs overview
(counted by hand here), the forum's menu, its members and the indicator measurements."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import Locale

from forum.models import ForumMember, IndicatorMeasurement, ResultIndicator
from katalog.places.models import Municipality
from tests.forum.test_needs_privacy import (
    coordinator,
    empty_register,  # noqa: F401 (autouse: the demo's needs are not counted)
    forum_member,
    measure_answering,
    municipality,
    need,
    refused,
)

pytestmark = pytest.mark.django_db

STORD, VOSS, BERGEN = "4614", "4621", "4601"


@pytest.fixture
def coordinator_client(client, django_user_model):
    client.force_login(coordinator(django_user_model, "test_koordinator"))
    return client


@pytest.fixture
def counted_needs():
    """Six needs from three municipalities; only health care's basic competence is shared."""
    return [
        need(municipality(STORD), service_area="health_care", kind="basic", employees_concerned=10),
        need(municipality(VOSS), service_area="health_care", kind="basic", employees_concerned=5),
        need(
            municipality(BERGEN),
            service_area="health_care",
            kind="basic",
            employees_concerned=20,
            urgency="urgent",
        ),
        need(
            municipality(STORD),
            service_area="education",
            kind="new_employees",
            employees_concerned=8,
        ),
        need(
            municipality(VOSS), service_area="education", kind="leadership", employees_concerned=3
        ),
        need(municipality(STORD), service_area="health_care", kind="basic", employees_concerned=2),
    ]


def row(rows, value):
    (found,) = [r for r in rows if r["value"] == value]
    return {key: found[key] for key in ("needs", "employees", "municipalities")}


def test_overview_counts_per_service_area_and_kind(coordinator_client, counted_needs):
    overview = coordinator_client.get(reverse("needs:overview")).context["overview"]
    assert row(overview["by_area"], "health_care") == {
        "needs": 4,
        "employees": 37,
        "municipalities": 3,
    }
    assert row(overview["by_area"], "education") == {
        "needs": 2,
        "employees": 11,
        "municipalities": 2,
    }
    assert row(overview["by_area"], "technical") == {
        "needs": 0,
        "employees": 0,
        "municipalities": 0,
    }
    assert row(overview["by_kind"], "basic") == {"needs": 4, "employees": 37, "municipalities": 3}
    assert row(overview["by_kind"], "new_employees") == {
        "needs": 1,
        "employees": 8,
        "municipalities": 1,
    }
    assert row(overview["by_kind"], "leadership") == {
        "needs": 1,
        "employees": 3,
        "municipalities": 1,
    }
    assert (overview["total_needs"], overview["total_employees"]) == (6, 48)


def test_overview_lists_the_needs_that_several_municipalities_share(
    coordinator_client, counted_needs
):
    response = coordinator_client.get(reverse("needs:overview"))
    (shared,) = response.context["overview"]["shared"]
    assert (shared["service_area"], shared["kind"]) == ("health_care", "basic")
    assert shared["municipality_names"] == ["Bergen", "Stord", "Voss"]
    assert (shared["municipalities"], shared["needs"], shared["employees"]) == (3, 4, 37)
    assert "Bergen, Stord, Voss (3)" in response.text


@pytest.mark.parametrize(
    ("query", "total", "shared"),
    [
        ({"urgency": "urgent"}, 1, 0),
        ({"service_area": "education"}, 2, 0),
        ({"kind": "basic"}, 4, 1),
        ({"municipality": "stord"}, 3, 0),
    ],
)
def test_overview_filters_narrow_the_counts(
    coordinator_client, counted_needs, query, total, shared
):
    if "municipality" in query:
        query = {"municipality": municipality(STORD).pk}
    overview = coordinator_client.get(reverse("needs:overview"), query).context["overview"]
    assert overview["total_needs"] == total
    assert len(overview["shared"]) == shared


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_overview_export_holds_the_same_figures_as_its_tables(coordinator_client, counted_needs):
    response = coordinator_client.get(reverse("needs:overview"), {"export": "csv"})
    header, *rows = csv_rows(response)
    assert len(header) == 7
    overview = coordinator_client.get(reverse("needs:overview")).context["overview"]
    assert len(rows) == len(overview["by_area"]) + len(overview["by_kind"]) + 1
    area_rows = rows[: len(overview["by_area"])]
    assert [int(r[3]) for r in area_rows] == [r["needs"] for r in overview["by_area"]]
    assert [int(r[4]) for r in area_rows] == [r["employees"] for r in overview["by_area"]]
    assert rows[-1][3:] == ["4", "37", "3", "Bergen, Stord, Voss"]
    workbook = load_workbook(
        io.BytesIO(
            b"".join(
                coordinator_client.get(
                    reverse("needs:overview"), {"export": "xlsx"}
                ).streaming_content
            )
        )
    )
    assert workbook.active.max_row == len(rows) + 1


def test_overview_reads_as_many_queries_for_thirty_needs_as_for_three(coordinator_client):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = coordinator_client.get(reverse("needs:overview"))
        assert response.status_code == 200
        return len(context.captured_queries), response.context["overview"]

    places = list(Municipality.objects.order_by("number")[:10])
    for place in places[:3]:
        need(place)
    few, overview = queries()
    assert overview["total_needs"] == 3
    areas = ["health_care", "education", "technical"]
    kinds = ["basic", "digital", "leadership", "new_employees"]
    for n in range(27):
        need(places[n % 10], service_area=areas[n % 3], kind=kinds[n % 4])
    many, overview = queries()
    assert overview["total_needs"] == 30
    assert len(overview["shared"]) > 1
    assert many == few


def test_listing_filters_and_search(coordinator_client, counted_needs):
    counted_needs[3].target_group = "Nytilsette lærarar på Stord"
    counted_needs[3].save()
    listing = coordinator_client.get(reverse("needs:index"), {"service_area": "education"})
    assert set(listing.context["object_list"]) == {counted_needs[3], counted_needs[4]}
    urgent = coordinator_client.get(reverse("needs:index"), {"urgency": "urgent"})
    assert list(urgent.context["object_list"]) == [counted_needs[2]]
    searched = coordinator_client.get(reverse("needs:index"), {"q": "nytilsette"})
    assert list(searched.context["object_list"]) == [counted_needs[3]]


def test_need_export_neutralises_formulas(coordinator_client):
    hostile = need(
        municipality(STORD),
        target_group='=HYPERLINK("https://evil.example/","Klikk")',
        description="=cmd|' /C calc'!A0",
    )
    header, *rows = csv_rows(coordinator_client.get(reverse("needs:index"), {"export": "csv"}))
    cells = [cell for r in rows for cell in r]
    assert "'" + hostile.description in cells
    assert "'" + hostile.target_group in cells
    assert not [cell for cell in cells if cell.startswith("=")]
    response = coordinator_client.get(reverse("needs:index"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    formulas = [c for sheet in workbook for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_need_export_names_choices_by_their_labels(coordinator_client, counted_needs):
    header, *rows = csv_rows(coordinator_client.get(reverse("needs:index"), {"export": "csv"}))
    assert len(rows) == 6
    service_areas = {r[1] for r in rows}
    assert "health_care" not in service_areas
    assert len(service_areas) == 2


def test_inspect_view_shows_the_need(coordinator_client, counted_needs):
    response = coordinator_client.get(reverse("needs:inspect", args=[counted_needs[0].pk]))
    assert response.status_code == 200
    assert "Grunnopplæring i helsefag." in response.text


MENU_URLS = {
    "needs": "/admin/needs/",
    "overview": "/admin/needs/overview/",
    "members": "/admin/forum_members/",
    "measurements": "/admin/indicator_measurements/",
}


def test_coordinators_menu_has_the_whole_forum(coordinator_client):
    response = coordinator_client.get("/admin/")
    assert all(url in response.text for url in MENU_URLS.values())


def test_members_menu_has_the_needs_and_their_overview_only(client, django_user_model):
    client.force_login(forum_member(django_user_model, "test_medlem", municipality(STORD)))
    text = client.get("/admin/").text
    assert MENU_URLS["needs"] in text
    assert MENU_URLS["overview"] in text
    assert MENU_URLS["members"] not in text
    assert MENU_URLS["measurements"] not in text


def test_staff_without_needs_permissions_has_no_forum_menu_nor_overview(client, django_user_model):
    from tests.forum.test_needs_privacy import user_with

    client.force_login(
        user_with(django_user_model, "test_anna", [("wagtailadmin", "access_admin")])
    )
    assert MENU_URLS["needs"] not in client.get("/admin/").text
    assert refused(client.get(reverse("needs:overview")))


def test_coordinator_seats_a_member_and_a_member_cannot(
    coordinator_client, client, django_user_model
):
    person = django_user_model.objects.create_user("test_ny", "ny@example.no", "pw")
    response = coordinator_client.post(
        reverse("forum_members:add"),
        {"user": person.pk, "municipality": municipality(VOSS).pk, "organisation": ""},
    )
    assert response.status_code == 302
    assert ForumMember.objects.get(user=person).municipality == municipality(VOSS)
    member = forum_member(django_user_model, "test_medlem", municipality(STORD))
    client.force_login(member)
    assert refused(client.get(reverse("forum_members:index")))
    assert refused(client.get(reverse("forum_members:add")))


def test_a_member_is_seated_for_a_municipality_or_an_organisation_not_both(
    coordinator_client, django_user_model
):
    person = django_user_model.objects.create_user("test_ny", "ny@example.no", "pw")
    response = coordinator_client.post(
        reverse("forum_members:add"),
        {"user": person.pk, "municipality": municipality(VOSS).pk, "organisation": "Fagforbundet"},
    )
    assert response.status_code == 200
    assert not ForumMember.objects.filter(user=person).exists()


@pytest.fixture
def indicator(nn):
    measure = measure_answering()
    source = ResultIndicator.objects.create(
        page=measure,
        locale=measure.locale,
        name="Del nytilsette med opplæring innan tre månader",
        unit="%",
        baseline=40,
        target=80,
    )
    measure.refresh_from_db()
    measure.save_revision().publish()
    translated = measure.copy_for_translation(nn, copy_parents=True)
    translated.save_revision().publish()
    return source


def test_measurement_offers_only_the_source_languages_indicators(coordinator_client, indicator):
    form = coordinator_client.get(reverse("indicator_measurements:add")).context["form"]
    offered = list(form.fields["indicator"].queryset)
    assert indicator in offered
    assert ResultIndicator.objects.filter(translation_key=indicator.translation_key).count() == 2
    nb = Locale.objects.get(language_code="nb")
    assert all(choice.locale_id == nb.pk for choice in offered)


def test_coordinator_records_a_measured_value(coordinator_client, indicator):
    response = coordinator_client.post(
        reverse("indicator_measurements:add"),
        {"indicator": indicator.pk, "measured_on": "2026-06-30", "value": "55.5", "note": "Vår"},
    )
    assert response.status_code == 302
    measurement = IndicatorMeasurement.objects.get(indicator=indicator)
    assert (str(measurement.measured_on), str(measurement.value)) == ("2026-06-30", "55.50")
    listing = coordinator_client.get(reverse("indicator_measurements:index"))
    assert measurement in listing.context["object_list"]


def test_measurement_of_a_translated_indicator_is_refused(coordinator_client, indicator):
    copy = ResultIndicator.objects.exclude(pk=indicator.pk).get(
        translation_key=indicator.translation_key
    )
    response = coordinator_client.post(
        reverse("indicator_measurements:add"),
        {"indicator": copy.pk, "measured_on": "2026-06-30", "value": "55"},
    )
    assert response.status_code == 200
    assert "indicator" in response.context["form"].errors
    assert not IndicatorMeasurement.objects.filter(indicator=copy).exists()
