"""The catalogue page: every filter, facet counts, cross-standard search, pagination, errors."""

import datetime
import re
from collections import Counter

import pytest
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from katalog.courses.models import Category, CourseIndexPage, CoursePage, CourseSession
from katalog.courses.services import availability
from katalog.places.models import Municipality
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

SESSION = re.compile(r'data-session="([0-9a-f-]+)"')


def shown(response):
    return SESSION.findall(response.text)


def upcoming(language):
    """The demo's upcoming sessions of a locale, loaded in full so tests filter them in Python."""
    return list(
        CourseSession.objects.filter(
            locale__language_code=language, start__gte=timezone.now(), page__live=True
        )
        .select_related("page__category", "municipality")
        .prefetch_related("page__audiences")
        .order_by("start", "pk")
    )


def available(session):
    return availability(session) == "open"


def busiest_municipality(sessions):
    return Counter(s.municipality.number for s in sessions if s.municipality).most_common(1)[0][0]


def keys(sessions):
    return [str(s.translation_key) for s in sessions]


def all_shown(client, url, params):
    """Keys of every result, following the catalogue's pagination."""
    found, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        found += shown(response)
        if f"page={number + 1}" not in response.text:
            return found
        number += 1


def predicates(sessions):
    municipality = busiest_municipality(sessions)
    middle = sessions[len(sessions) // 2].start.date()
    return {
        "municipality": (
            municipality,
            lambda s: s.municipality and s.municipality.number == municipality,
        ),
        "category": ("helse", lambda s: s.page.category.slug == "helse"),
        "audience": ("leiarar", lambda s: "leiarar" in {a.slug for a in s.page.audiences.all()}),
        "mode": ("online", lambda s: s.page.mode == "online"),
        "from": (middle.isoformat(), lambda s: timezone.localtime(s.start).date() >= middle),
        "to": (middle.isoformat(), lambda s: timezone.localtime(s.start).date() <= middle),
        "available": ("1", available),
    }


def test_catalogue_lists_every_upcoming_session_by_start(client):
    sessions = upcoming("nb")
    assert len(sessions) >= 80
    response = client.get("/nb/kurs/")
    assert f"{len(sessions)} kommende kursgjennomføringer" in response.text
    assert all_shown(client, "/nb/kurs/", {}) == keys(sessions)


@pytest.mark.parametrize(
    "name", ["municipality", "category", "audience", "mode", "from", "to", "available"]
)
def test_each_filter_alone_shows_exactly_the_matching_sessions(client, name):
    sessions = upcoming("nb")
    value, matches = predicates(sessions)[name]
    expected = keys(s for s in sessions if matches(s))
    assert 0 < len(expected) < len(sessions)
    assert all_shown(client, "/nb/kurs/", {name: value}) == expected


def test_filters_combine(client):
    sessions = upcoming("nn")
    chosen = predicates(sessions)
    params = {name: chosen[name][0] for name in ("from", "available")}
    params["mode"] = "classroom"
    expected = keys(
        s for s in sessions if chosen["from"][1](s) and available(s) and s.page.mode == "classroom"
    )
    assert expected
    assert all_shown(client, "/nn/kurs/", params) == expected


def test_search_and_municipality_and_free_seats_combine(client, nb):
    sessions = upcoming("nb")
    course = next(s.page for s in sessions if s.page.title == "Veiledning av nyansatte")
    municipality = next(s.municipality.number for s in sessions if s.page == course)
    expected = keys(
        s
        for s in sessions
        if s.page == course and s.municipality.number == municipality and available(s)
    )
    params = {"q": "nyansatte", "municipality": municipality, "available": "1"}
    assert all_shown(client, "/nb/kurs/", params) == expected


def options(response, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', response.text, re.S)
    return {
        value: int(count)
        for value, count in re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)', select[1])
    }


def test_facet_counts_count_each_option_given_the_other_filters(client):
    sessions = upcoming("nb")
    chosen = predicates(sessions)
    params = {"category": "helse", "available": "1"}
    response = client.get("/nb/kurs/", params)

    others = [s for s in sessions if chosen["category"][1](s) and available(s)]
    expected = Counter(s.municipality.number for s in others if s.municipality)
    assert {k: v for k, v in options(response, "municipality").items() if v} == expected

    # The category facet ignores the category filter itself, so the other categories still count.
    expected = Counter(s.page.category.slug for s in sessions if available(s))
    assert options(response, "category") == {**dict.fromkeys(expected, 0), **expected}

    expected = Counter(a.slug for s in others for a in s.page.audiences.all())
    assert {k: v for k, v in options(response, "audience").items() if v} == expected

    free = sum(1 for s in sessions if chosen["category"][1](s) and available(s))
    assert f"Bare kursgjennomføringer med ledige plasser ({free})" in response.text


def test_options_without_sessions_are_disabled(client):
    response = client.get("/nb/kurs/", {"category": "helse"})
    empty = [value for value, count in options(response, "municipality").items() if not count]
    assert empty
    assert re.search(rf'<option value="{empty[0]}" disabled>', response.text)


def test_active_filters_are_listed_with_a_link_that_removes_one(client):
    response = client.get("/nb/kurs/", {"mode": "online", "available": "1", "page": "2"})
    assert 'href="?available=1"' in response.text  # removes mode (and the page number)
    assert 'href="?mode=online"' in response.text  # removes available
    assert "Fjern filteret Leveringsform Nettbasert" in response.text


def test_no_match_shows_a_clear_empty_state(client):
    response = client.get("/nn/kurs/", {"q": "ingenkursheiterslik"})
    assert shown(response) == []
    assert "Ingen kommande kursgjennomføringar passar med filtera dine" in response.text
    assert "Vis alle kommande kursgjennomføringar" in response.text


@pytest.mark.parametrize(
    ("url", "query", "expected_title"),
    [
        ("/nb/kurs/", "rettleiing", "Veiledning av nyansatte"),
        ("/nb/kurs/", "leiar", "Ledelse i kommunen – grunnkurs"),
        ("/nb/kurs/", "tilsett", "Digital kompetanse for ansatte"),
        (
            "/nb/kurs/",
            "opplæring i arbeidslivet",
            "Opplæring i arbeidslivet – instruktørkurs for ansatte",
        ),
        (
            "/nb/kurs/",
            "instruktørkurs tilsette",
            "Opplæring i arbeidslivet – instruktørkurs for ansatte",
        ),
        ("/nn/kurs/", "veiledning", "Rettleiing av nytilsette"),
        ("/nn/kurs/", "ledere", "Leiing i kommunen – grunnkurs"),
        ("/nn/kurs/", "ansatte", "Digital kompetanse for tilsette"),
    ],
)
def test_search_finds_courses_written_in_the_other_standard(client, url, query, expected_title):
    response = client.get(url, {"q": query})
    language = url[1:3]
    titles = {s.page.title for s in upcoming(language) if str(s.translation_key) in shown(response)}
    assert expected_title in titles
    other = {s.page.title for s in upcoming("nn" if language == "nb" else "nb")}
    assert not titles & (other - {s.page.title for s in upcoming(language)})


def test_pagination_splits_results_and_keeps_filters(client):
    sessions = keys(upcoming("nb"))
    first = client.get("/nb/kurs/", {"mode": "classroom"})
    second = client.get("/nb/kurs/", {"mode": "classroom", "page": "2"})
    assert len(shown(first)) == 20
    assert not set(shown(first)) & set(shown(second))
    assert 'href="?mode=classroom&amp;page=2"' in first.text
    last = client.get("/nb/kurs/", {"page": "999"})
    assert shown(last) == sessions[-len(shown(last)) :]


def test_long_result_lists_link_the_ends_and_the_neighbours_not_every_page(client, nb):
    course = CoursePage.objects.filter(locale=nb).first()
    CourseSessionFactory.create_batch(300 - len(upcoming("nb")), page=course)
    html = client.get("/nb/kurs/", {"page": "8"}).text
    linked = {int(n) for n in re.findall(r'href="\?page=(\d+)"', html)}
    assert linked == {1, 6, 7, 8, 9, 10, 15}
    assert html.count('<span class="pagination__gap">…</span>') == 2


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        ("nb", ["Skriv datoen som ÅÅÅÅ-MM-DD", "Det finnes ingen kommune med nummer 9999"]),
        ("nn", ["Skriv datoen som ÅÅÅÅ-MM-DD", "Det finst ingen kommune med nummer 9999"]),
    ],
)
def test_invalid_filters_are_reported_and_ignored(client, language, messages):
    response = client.get(f"/{language}/kurs/", {"from": "2026-13-45", "municipality": "9999"})
    assert response.status_code == 200
    assert 'class="ds-error-summary"' in response.text
    for message in messages:
        assert message in response.text
    assert 'href="#id_from"' in response.text
    assert len(shown(response)) == 20  # the other (no) filters still apply


def test_to_date_before_from_date_is_an_error(client):
    response = client.get("/nb/kurs/", {"from": "2027-01-01", "to": "2026-12-01"})
    assert "Til-datoen må være samme dag som eller etter fra-datoen" in response.text


@pytest.mark.parametrize(
    ("language", "params", "message"),
    [
        ("nb", {"from": "0001-01-01"}, "Skriv en dato fra og med 2000-01-01."),
        ("nn", {"from": "0001-01-01"}, "Skriv ein dato frå og med 2000-01-01."),
        ("nb", {"to": "9999-12-31"}, "Skriv en dato til og med 2099-12-31."),
        ("nn", {"to": "9999-12-31"}, "Skriv ein dato til og med 2099-12-31."),
    ],
)
def test_dates_far_outside_the_catalogue_are_reported(client, language, params, message):
    response = client.get(f"/{language}/kurs/", params)
    assert response.status_code == 200
    assert message in response.text
    assert len(shown(response)) == 20


@pytest.mark.parametrize(
    "query", ['"', '"""', 'a"b"c', "'", "\\", "(((", "NEAR(a", "*", "-", "a:b", "&|!", "OR NOT"]
)
def test_search_answers_any_text(client, query):
    response = client.get("/nb/kurs/", {"q": query})
    assert response.status_code == 200
    assert f"«{escape(query)}»" in response.text


@pytest.mark.parametrize("query", ['"rettleiing"', 'rettleiing"', '"rettleiing'])
def test_quotes_do_not_change_what_a_word_finds(client, query):
    found = set(shown(client.get("/nb/kurs/", {"q": "rettleiing"})))
    assert found
    assert set(shown(client.get("/nb/kurs/", {"q": query}))) == found


def test_free_seat_states_are_spelled_out(client, nb):
    index = CourseIndexPage.objects.get(locale=nb)
    course = CoursePageFactory(parent=index, title="Setetelling")
    now = timezone.now()
    CourseSessionFactory(page=course, capacity=10, seats_taken=6)
    CourseSessionFactory(page=course, capacity=10, seats_taken=10)
    CourseSessionFactory(
        page=course,
        start=now + datetime.timedelta(days=2),
        enrolment_deadline=now - datetime.timedelta(days=1),
    )
    CourseSessionFactory(page=course, status="cancelled")
    text = client.get(course.url).text
    for phrase in ["4 ledige plasser", "Fullt – venteliste", "Påmeldingen er stengt", "Avlyst"]:
        assert phrase in text


def test_edited_and_unpublished_courses_show_at_once(client, nb):
    start = timezone.now() + datetime.timedelta(days=400)  # after every demo session
    params = {"from": timezone.localdate(start).isoformat()}
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), title="Kurs før")
    CourseSessionFactory(page=course, start=start)
    assert "Kurs før" in client.get("/nb/kurs/", params).text

    course.title = "Kurs etter"
    course.save_revision().publish()
    text = client.get("/nb/kurs/", params).text
    assert "Kurs etter" in text
    assert "Kurs før" not in text

    course.unpublish()
    assert shown(client.get("/nb/kurs/", params)) == []


def test_new_and_renamed_filter_options_show_at_once(client):
    assert "Bergen kommune" not in client.get("/nb/kurs/").text
    Category.objects.create(slug="nytt", name_nb="Nytt fagområde", name_nn="Nytt fagfelt")
    bergen = Municipality.objects.get(number="4601")
    bergen.name_nb = "Bergen kommune"
    bergen.save()
    text = client.get("/nb/kurs/").text
    assert '<option value="nytt" disabled>Nytt fagområde (0)</option>' in text
    assert ">Bergen kommune (" in text


def test_private_courses_stay_out_of_the_catalogue_and_its_feeds(client, nb):
    start = timezone.now() + datetime.timedelta(days=400)
    params = {"from": timezone.localdate(start).isoformat()}
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), title="Internt")
    CourseSessionFactory(page=course, start=start)
    feed = "/api/katalog/sessions/"
    assert len(shown(client.get("/nb/kurs/", params))) == 1
    assert client.get(feed, {**params, "lang": "nb"}).json()["count"] == 1

    PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert shown(client.get("/nb/kurs/", params)) == []
    assert client.get(feed, {**params, "lang": "nb"}).json()["count"] == 0
    assert "Internt" not in client.get("/nb/kurs/kalender.ics", params).text


@pytest.mark.usefixtures("uncached_pages")
def test_counts_follow_the_clock_past_a_deadline_and_a_start(client, nb, monkeypatch):
    hour = (timezone.now() + datetime.timedelta(days=400)).replace(
        minute=0, second=0, microsecond=0
    )
    course = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), title="Klokka")
    CourseSessionFactory(
        page=course,
        start=hour + datetime.timedelta(minutes=40),
        enrolment_deadline=hour + datetime.timedelta(minutes=10),
    )
    params = {"from": timezone.localdate(hour).isoformat()}
    free = re.compile(r'for="id_available">[^<]*\((\d+)\)')

    def page_at(minutes):
        moment = hour + datetime.timedelta(minutes=minutes)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return client.get("/nb/kurs/", params)

    for minutes in (5, 9):  # the second answer may come from the counts cached by the first
        response = page_at(minutes)
        assert len(shown(response)) == 1
        assert free.search(response.text).group(1) == "1"
    response = page_at(20)
    assert len(shown(response)) == 1
    assert free.search(response.text).group(1) == "0"
    response = page_at(50)
    assert shown(response) == []
    assert free.search(response.text).group(1) == "0"
