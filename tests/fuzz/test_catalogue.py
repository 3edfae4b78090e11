"""The catalogue's filters on its page, its calendar and the JSON feed; course pages.

Every generated query string goes to all three in one written standard. Where the values were
drawn valid or invalid by construction, the answer must say exactly which filters were refused;
where they are merely hostile, it must still be an answer (200, or 400 from the feed).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlparse

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from katalog.courses.models import Audience, Category, CoursePage, DeliveryMode
from katalog.places.models import Municipality
from tests.fuzz.strategies import (
    ANY_CHAR,
    BLANK,
    INVALID_DATE,
    RAW_QUERY,
    VALID_DATE,
    hostile_text,
    one_of_except,
    query,
)
from tests.fuzz.surface import refused_fields

pytestmark = [
    pytest.mark.django_db,
    # A failing example with a 40 000-character value is reported anyway, if slowly.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

FILTERS = ("q", "municipality", "category", "audience", "mode", "from", "to", "available", "page")


@pytest.fixture
def choices():
    return {
        "municipality": sorted(Municipality.objects.values_list("number", flat=True)),
        "category": sorted(Category.objects.values_list("slug", flat=True)),
        "audience": sorted(Audience.objects.values_list("slug", flat=True)),
        "mode": list(DeliveryMode.values),
    }


@dataclass
class Drawn:
    pairs: list = field(default_factory=list)
    invalid: set = field(default_factory=set)  # the filters the form must refuse
    known: bool = True  # False once a value is hostile with no verdict of our own
    values: dict = field(default_factory=dict)  # the last value of each filter sent

    @property
    def kind(self):
        if not self.known:
            return "hostile"
        return "invalid" if self.invalid else "valid"


# A valid date as a person may type it, with spaces around (the field strips them).
DATE_TEXT = st.builds(
    lambda pad, day, end: f"{pad}{day.isoformat()}{end}", BLANK, VALID_DATE, BLANK
)
LONG_Q = st.builds(
    lambda piece, n: (piece * n)[:n],
    st.text(ANY_CHAR, min_size=1, max_size=5).filter(lambda p: not any(c.isspace() for c in p)),
    st.integers(201, 20_000),
)


def filter_values(choices):
    """Per filter: (valid values, values refused by construction); None where none is refused.

    `available` and `page` are never refused: page falls back to the first or the last page.
    """

    def choice(name):
        allowed = ["", *choices[name]]
        return st.sampled_from(allowed), one_of_except(hostile_text(), allowed)

    date = (st.one_of(st.just(""), DATE_TEXT), INVALID_DATE)
    # A CharField strips its value, then checks it: at most 200 characters, no NUL.
    q = (
        hostile_text(max_size=60).filter(lambda v: "\x00" not in v and len(v.strip()) <= 200),
        st.one_of(
            st.builds(lambda a, b: f"{a}\x00{b}", hostile_text(), hostile_text()),
            LONG_Q,
        ),
    )
    anything = (st.one_of(st.sampled_from(["1", "", "0", "2", "-1", "true"]), hostile_text()), None)
    return {
        "q": q,
        **{name: choice(name) for name in choices},
        "from": date,
        "to": date,
        "available": anything,
        "page": anything,
    }


# What one example of the filter test sends: only valid values (each filter maybe missing; every
# filter; both dates, in order), one filter refused and the others valid, a to date before the
# from date, or anything at all (the form decides; the test knows only that it must answer).
VALID = ["valid", "every filter", "both dates"]
CASES = [*VALID, "q", "municipality", "category", "audience", "mode", "from", "to"]
CASES += ["to before from", "hostile"]


def draw_filters(data, choices, case):
    """Query pairs for the filters: each missing, sent once or repeated (the last one counts)."""
    values = filter_values(choices)
    dates = case in ("both dates", "to before from")
    chosen = {}
    for name in FILTERS:
        forced = case == "every filter" or name == case or (dates and name in ("from", "to"))
        if not forced and data.draw(st.booleans(), label=f"{name} missing"):
            continue
        valid, refused = values[name]
        if case == "hostile":
            strategy = hostile_text()
        elif name == case:
            strategy = refused
        else:
            strategy = valid
        chosen[name] = data.draw(strategy, label=name)

    drawn = Drawn(known=case != "hostile")
    if dates:
        pair = data.draw(
            st.lists(DATE_TEXT, min_size=2, max_size=2, unique_by=str.strip), label="dates"
        )
        earlier, later = sorted(pair, key=str.strip)
        if case == "both dates":
            chosen["from"], chosen["to"] = earlier, later
        else:
            chosen["from"], chosen["to"] = later, earlier
            drawn.invalid.add("to")
    elif case in FILTERS:
        drawn.invalid.add(case)
    if case not in ("to before from", "from", "to", "hostile"):
        # Two valid dates the wrong way round would refuse `to`: swap them.
        start, end = (chosen.get(name, "").strip() for name in ("from", "to"))
        if start and end and end < start:
            chosen["from"], chosen["to"] = chosen["to"], chosen["from"]

    for name, value in chosen.items():
        for earlier in data.draw(st.lists(hostile_text(), max_size=2), label=f"{name} repeats"):
            drawn.pairs.append((name, earlier))
        drawn.pairs.append((name, value))
        drawn.values[name] = value
    others = data.draw(
        st.lists(
            st.tuples(one_of_except(hostile_text(), (*FILTERS, "lang")), hostile_text()),
            max_size=3,
        ),
        label="unknown parameters",
    )
    drawn.pairs = [*others[:1], *drawn.pairs, *others[1:]]
    return drawn


def draw_language(data, case):
    """The feed's `lang`: missing (bokmål), nb or nn, or (but with valid filters) anything else,
    which it refuses."""
    valid = st.one_of(st.none(), st.sampled_from(["nb", "nn"]))
    lang = data.draw(valid if case in VALID else st.one_of(valid, hostile_text()), label="lang")
    if lang is None:
        return [], "nb", True
    return [("lang", lang)], lang, lang in ("nb", "nn")


def assert_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR"
    assert len(calendar.walk("VEVENT")) <= 1000


def assert_feed_honours(results, drawn, language):
    """Every session the feed gives matches the valid filters it was sent."""
    values = {name: drawn.values.get(name) for name in FILTERS}
    for item in results:
        assert urlparse(item["url"]).path.startswith(f"/{language}/kurs/")
        start = datetime.datetime.fromisoformat(item["start"]).date()
        if values["municipality"] and "municipality" not in drawn.invalid:
            assert item["municipality"]["number"] == values["municipality"]
        if values["mode"] and "mode" not in drawn.invalid:
            assert item["mode"] == values["mode"]
        if values["available"] == "1":
            assert item["availability"] == "open"
        for name, after in (("from", True), ("to", False)):
            value = (values[name] or "").strip()
            if drawn.known and value and name not in drawn.invalid:
                day = datetime.date.fromisoformat(value)
                assert start >= day if after else start <= day


@pytest.mark.parametrize("case", CASES)
@given(data=st.data())
def test_catalogue_filters_answer_and_report_exactly_what_they_refuse(surface, choices, case, data):
    language = data.draw(st.sampled_from(["nb", "nn"]), label="standard")
    drawn = draw_filters(data, choices, case)
    qs = query(drawn.pairs)

    page = surface.get(f"/{language}/kurs/?{qs}", endpoint="catalogue", kind=drawn.kind)
    assert page.status_code == 200
    assert page["Content-Type"] == "text/html; charset=utf-8"
    if drawn.known:
        assert refused_fields(page) == drawn.invalid

    calendar = surface.get(
        f"/{language}/kurs/kalender.ics?{qs}", endpoint="catalogue calendar", kind=drawn.kind
    )
    assert_calendar(calendar)

    lang_pairs, feed_language, lang_valid = draw_language(data, case)
    kind = drawn.kind if lang_valid else "invalid"
    feed = surface.get(
        f"/api/katalog/sessions/?{query([*lang_pairs, *drawn.pairs])}",
        endpoint="sessions feed",
        kind=kind,
    )
    assert feed["Content-Type"] == "application/json"
    body = feed.json()
    if not lang_valid:
        assert feed.status_code == 400
        assert set(body["errors"]) == {"lang"}
    elif drawn.known and drawn.invalid:
        assert feed.status_code == 400
        assert set(body["errors"]) == drawn.invalid
    elif drawn.known:
        assert feed.status_code == 200
    if feed.status_code == 200:
        assert feed["Access-Control-Allow-Origin"] == "*"
        assert 0 <= len(body["results"]) <= 100
        assert body["count"] >= len(body["results"])
        assert 1 <= body["page"] <= max(body["pages"], 1)
        assert_feed_honours(body["results"], drawn, feed_language)
    else:
        assert feed.status_code == 400
        assert body["errors"]


@given(raw=RAW_QUERY, language=st.sampled_from(["nb", "nn"]), many=st.integers(0, 1200))
def test_catalogue_answers_broken_query_strings(surface, raw, language, many):
    """Broken escapes, invalid UTF-8 and too many parameters (Django refuses over 1000)."""
    qs = raw + "&q=x" * many
    too_many = raw.count("&") + many >= 1000
    expected = {400} if too_many else {200}
    for path, endpoint in (
        (f"/{language}/kurs/", "catalogue"),
        (f"/{language}/kurs/kalender.ics", "catalogue calendar"),
    ):
        response = surface.get(f"{path}?{qs}", endpoint=endpoint)
        assert response.status_code in expected
    feed = surface.get(f"/api/katalog/sessions/?{qs}", endpoint="sessions feed")
    assert feed.status_code in ({400} if too_many else {200, 400})


@pytest.fixture
def course_urls(db):
    return sorted(page.url for page in CoursePage.objects.live().public())


@given(data=st.data())
def test_course_pages_and_their_calendars_ignore_any_query(surface, course_urls, data):
    url = data.draw(st.sampled_from(course_urls), label="course")
    pairs = data.draw(st.lists(st.tuples(hostile_text(), hostile_text()), max_size=4))
    qs = query(pairs)
    page = surface.get(f"{url}?{qs}", endpoint="course page")
    assert page.status_code == 200
    assert '<script type="application/ld+json">' in page.text
    assert_calendar(surface.get(f"{url}kalender.ics?{qs}", endpoint="course calendar"))
