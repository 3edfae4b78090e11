"""`bench_enrolment` on the test database, with tiny numbers: it runs, and its checks hold."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.live_db import _django_db_helper  # noqa: F401 (committed data, restored after)

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="bench_enrolment refuses SQLite, which serialises every write transaction",
)
def test_bench_enrolment_fills_seats_and_waiting_lists_without_overbooking(tmp_path):
    output = tmp_path / "results.json"
    arguments = ["--sessions", "2", "--seats", "2", "--clients", "3", "--enrolments", "7"]
    call_command("bench_enrolment", "--in-place", *arguments, "--output", str(output))
    figures = json.loads(output.read_text())["enrolment"]["postgresql"]
    assert (figures["seats_held"], figures["waiting"]) == (4, 3)
    assert figures["overbooked_sessions"] == 0
    assert figures["seats_taken_consistent"] is True
    assert figures["session_copies_checked"] == 4


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is SQLite's")
def test_bench_enrolment_refuses_sqlite(tmp_path):
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_enrolment", "--in-place", "--output", str(tmp_path / "r.json"))
