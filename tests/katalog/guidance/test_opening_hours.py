import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from katalog.guidance.models import ExceptionDay, OpeningHours
from katalog.guidance.services import opening_status, upcoming_exceptions
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC


@pytest.fixture
def centre():
    """Open Monday to Friday 08:00–15:30, with a lunch break on Wednesdays; closed on
    Christmas Eve (a Thursday) and open 10–12 on Saturday 2026-12-19."""
    t = datetime.time
    hours = [OpeningHours(weekday=day, opens=t(8), closes=t(15, 30)) for day in (0, 1, 3, 4)]
    hours += [
        OpeningHours(weekday=2, opens=t(8), closes=t(11, 30)),
        OpeningHours(weekday=2, opens=t(12), closes=t(15, 30)),
    ]
    exceptions = [
        ExceptionDay(date=datetime.date(2026, 12, 24), note="Julaften"),
        ExceptionDay(date=datetime.date(2026, 12, 19), opens=t(10), closes=t(12)),
    ]
    return CentrePageFactory(opening_hours=hours, exception_days=exceptions)


def at(*args, tz=OSLO):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at(2026, 12, 14, 7, 59), False),  # Monday before opening
        (at(2026, 12, 14, 8, 0), True),  # Monday at opening
        (at(2026, 12, 14, 15, 29), True),
        (at(2026, 12, 14, 15, 30), False),  # closing time is closed
        (at(2026, 12, 16, 11, 45), False),  # Wednesday lunch break
        (at(2026, 12, 16, 12, 0), True),
        (at(2026, 12, 20, 11, 0), False),  # Sunday
        (at(2026, 12, 24, 10, 0), False),  # Christmas Eve, a Thursday: closed by exception
        (at(2026, 12, 19, 11, 0), True),  # a Saturday opened by exception
        (at(2026, 12, 19, 13, 0), False),
        (at(2026, 12, 17, 10, 0), True),  # the Thursday before is a normal day
    ],
)
def test_open_now_at_fixed_times(centre, moment, is_open):
    assert opening_status(centre, moment).is_open is is_open


def test_open_now_is_judged_in_oslo_time(centre):
    # 07:30 UTC on a winter Monday is 08:30 in Oslo; 14:45 UTC in June is 16:45 in Oslo.
    assert opening_status(centre, at(2026, 12, 14, 7, 30, tz=UTC)).is_open
    assert not opening_status(centre, at(2026, 6, 15, 14, 45, tz=UTC)).is_open
    assert opening_status(centre, at(2026, 6, 15, 13, 15, tz=UTC)).is_open


def test_exception_day_reports_its_note(centre):
    status = opening_status(centre, at(2026, 12, 24, 10, 0))
    assert status.exception.note == "Julaften"
    assert status.periods == []


def test_upcoming_exceptions_are_those_ahead(centre):
    dates = [e.date for e in upcoming_exceptions(centre, at(2026, 12, 20, 9, 0))]
    assert dates == [datetime.date(2026, 12, 24)]


@pytest.fixture
def frozen_now(monkeypatch):
    """The centre page asks for the time itself; pin it so the answer never depends on today."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.mark.parametrize(
    ("moment", "shown", "not_shown"),
    [
        (at(2026, 12, 14, 10, 0), "Åpent nå", "Stengt nå"),  # Monday morning
        (at(2026, 12, 20, 10, 0), "Stengt nå", "Åpent nå"),  # Sunday
    ],
)
def test_centre_page_says_whether_it_is_open(client, centre, frozen_now, moment, shown, not_shown):
    centre.save_revision().publish()
    frozen_now(moment)
    response = client.get(centre.url)
    assert response.status_code == 200
    assert shown in response.text
    assert not_shown not in response.text


def test_centre_page_lists_only_the_exception_days_ahead(client, centre, frozen_now):
    centre.save_revision().publish()
    frozen_now(at(2026, 12, 21, 9, 0))
    html = client.get(centre.url).text
    assert "Endrede åpningstider" in html
    assert "Julaften" in html
    assert "19. desember" not in html
