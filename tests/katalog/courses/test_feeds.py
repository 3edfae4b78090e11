"""The feeds for municipalities: JSON sessions and the catalogue's iCalendar."""

from urllib.parse import urlparse

import icalendar
import pytest
from django.utils import timezone

from katalog.courses.models import CourseSession

pytestmark = pytest.mark.django_db

SESSION_KEYS = {
    "id",
    "course",
    "url",
    "start",
    "end",
    "enrolment_deadline",
    "online",
    "venue",
    "address",
    "municipality",
    "mode",
    "price",
    "capacity",
    "free_seats",
    "status",
    "availability",
}


def upcoming(language, **filters):
    return list(
        CourseSession.objects.filter(
            locale__language_code=language, start__gte=timezone.now(), **filters
        ).order_by("start", "pk")
    )


def test_json_feed_follows_its_schema(client):
    response = client.get("/api/katalog/sessions/", {"lang": "nn"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert set(data) == {"count", "page", "pages", "next", "previous", "generated", "results"}
    assert data["count"] == len(upcoming("nn"))
    for item in data["results"]:
        assert set(item) == SESSION_KEYS
        assert isinstance(item["capacity"], int) and isinstance(item["free_seats"], int)
        assert urlparse(item["url"]).path.startswith("/nn/kurs/")
        assert item["mode"] in {"classroom", "online", "elearning", "blended"}
        assert item["status"] in {"open", "cancelled"}
        if item["online"]:
            assert item["municipality"] is None
        else:
            assert set(item["municipality"]) == {"number", "name"}


@pytest.mark.usefixtures("uncached_pages")  # FEED_PER_PAGE changes under it
def test_json_feed_filters_and_paginates(client):
    expected = upcoming("nb", municipality__isnull=False)
    first = client.get("/api/katalog/sessions/", {"lang": "nb", "mode": "classroom"}).json()
    classroom = upcoming("nb", page__mode="classroom")
    assert first["count"] == len(classroom)
    assert [r["id"] for r in first["results"]] == [str(s.translation_key) for s in classroom]
    number = expected[0].municipality.number
    data = client.get("/api/katalog/sessions/", {"lang": "nb", "municipality": number}).json()
    assert {r["municipality"]["number"] for r in data["results"]} == {number}

    everything = client.get("/api/katalog/sessions/", {"lang": "nb"}).json()
    assert everything["pages"] == 1 and everything["next"] is None
    seen = [r["id"] for r in everything["results"]]
    from katalog.courses import views

    views.FEED_PER_PAGE, saved = 10, views.FEED_PER_PAGE
    try:
        page = client.get("/api/katalog/sessions/", {"lang": "nb"}).json()
        second = client.get(page["next"]).json()
    finally:
        views.FEED_PER_PAGE = saved
    assert page["next"].endswith("lang=nb&page=2")
    assert [r["id"] for r in page["results"] + second["results"]] == seen[:20]


def test_json_feed_ids_are_shared_by_both_standards(client):
    nb = client.get("/api/katalog/sessions/", {"lang": "nb"}).json()["results"]
    nn = client.get("/api/katalog/sessions/", {"lang": "nn"}).json()["results"]
    assert [r["id"] for r in nb] == [r["id"] for r in nn]
    assert {r["course"] for r in nb} != {r["course"] for r in nn}


def test_json_feed_rejects_invalid_filters_with_reasons(client):
    response = client.get("/api/katalog/sessions/", {"lang": "nn", "from": "i morgon"})
    assert response.status_code == 400
    assert response.json()["errors"]["from"] == [
        "Skriv datoen som ÅÅÅÅ-MM-DD, til dømes 2026-09-01."
    ]
    assert client.get("/api/katalog/sessions/", {"lang": "se"}).status_code == 400


def test_json_feed_rejects_dates_far_outside_the_catalogue(client):
    response = client.get("/api/katalog/sessions/", {"lang": "nb", "to": "9999-12-31"})
    assert response.status_code == 400
    assert response.json()["errors"]["to"] == ["Skriv en dato til og med 2099-12-31."]


def test_feeds_take_search_text_with_stray_quotes(client):
    response = client.get("/api/katalog/sessions/", {"lang": "nb", "q": 'rettleiing"'})
    assert response.status_code == 200
    assert {r["course"] for r in response.json()["results"]} == {"Veiledning av nyansatte"}
    response = client.get("/nn/kurs/kalender.ics", {"q": '"', "to": "9999-12-31"})
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT") == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_calendar_holds_the_matching_sessions(client, language):
    response = client.get(f"/{language}/kurs/kalender.ics", {"mode": "online"})
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    sessions = upcoming(language, page__mode="online")
    assert [e["uid"].split("@")[0] for e in events] == [str(s.translation_key) for s in sessions]
    assert {str(e["location"]) for e in events} == {"Nettbasert"}
    assert {str(e["summary"]) for e in events} == {s.page.title for s in sessions}
