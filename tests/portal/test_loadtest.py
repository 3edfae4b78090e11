"""`loadtest`'s own arithmetic: reading wrk's report, the shares of the static file's rate and the
report's shape. Nothing here starts gunicorn or wrk (`make loadtest` does, outside `make test`)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.management.commands import loadtest

# wrk 4.1.0's report (Debian) of a server answering 404 to every request.
NOT_FOUND_REPORT = """\
Running 1s test @ http://127.0.0.1:8199/nothere
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.52ms    3.50ms  32.18ms   88.87%
    Req/Sec     1.40k   229.10     1.67k    50.00%
  Latency Distribution
     50%    3.27ms
     75%    5.74ms
     90%    8.27ms
     99%   20.65ms
  1397 requests in 1.00s, 709.41KB read
  Non-2xx or 3xx responses: 1397
Requests/sec:   1392.77
Transfer/sec:    707.27KB
"""

# A slow run, with the socket-error line wrk adds when any occurred.
SLOW_REPORT = """\
Running 10s test @ http://127.0.0.1:8100/nb/kurs/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   640.12ms  200.31ms   2.10s    70.00%
    Req/Sec    13.20      5.10    30.00     60.00%
  Latency Distribution
     50%  850.00us
     75%  700.00ms
     90%  900.00ms
     99%    1.20s
  120 requests in 10.01s, 6.20MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
Requests/sec:     11.99
Transfer/sec:    634.12KB
"""


def test_wrk_report_gives_rate_percentiles_and_error_statuses():
    assert loadtest.parse_wrk(NOT_FOUND_REPORT) == {
        "requests": 1397,
        "requests_per_s": 1392.77,
        "p50_ms": 3.27,
        "p99_ms": 20.65,
        "error_statuses": 1397,
        "socket_errors": 0,
    }


def test_wrk_report_latencies_in_any_unit_become_milliseconds_and_socket_errors_add_up():
    figures = loadtest.parse_wrk(SLOW_REPORT)
    assert (figures["p50_ms"], figures["p99_ms"]) == (0.85, 1200.0)
    assert (figures["error_statuses"], figures["socket_errors"]) == (0, 5)
    assert figures["requests_per_s"] == 11.99


def test_what_is_not_a_wrk_report_is_refused():
    with pytest.raises(ValueError, match="Not a wrk --latency report"):
        loadtest.parse_wrk("unable to connect to 127.0.0.1:8100 Connection refused\n")


def row(target, rate, latency_ms=100.0, **errors):
    return {
        "target": target,
        "url": "/",
        "requests": int(rate * 10),
        "requests_per_s": rate,
        "p50_ms": latency_ms,
        "p99_ms": 3 * latency_ms,
        "error_statuses": errors.get("statuses", 0),
        "socket_errors": errors.get("sockets", 0),
    }


def test_each_rate_is_a_share_of_the_static_files_in_the_same_run():
    rows = loadtest.relative_to_static(
        [row("home", 50.0), row("catalogue", 8.0), row(loadtest.STATIC, 400.0)]
    )
    assert [r["ratio_to_static"] for r in rows] == [0.125, 0.02, 1.0]


def test_a_run_whose_static_file_was_never_served_has_no_ratios():
    with pytest.raises(CommandError, match="static file was not served"):
        loadtest.relative_to_static([row("home", 5.0), row(loadtest.STATIC, 0.0)])


def test_report_holds_both_runs_names_the_pages_below_their_goals_and_counts_errors():
    runs = {
        "uncached": {
            "PAGE_CACHE_TIMEOUT": "0",
            "targets": loadtest.relative_to_static(
                [row("home", 30.0), row("catalogue", 10.0, sockets=2), row(loadtest.STATIC, 400.0)]
            ),
        },
        "cached": {
            "PAGE_CACHE_TIMEOUT": None,
            "targets": loadtest.relative_to_static(
                [
                    row("home", 300.0),
                    row("catalogue", 100.0, latency_ms=10.0, statuses=1),
                    row(loadtest.STATIC, 400.0),
                ]
            ),
        },
    }
    options = {"duration": 10, "connections": 8, "threads": 1, "workers": 2}
    results = loadtest.summary(runs, options, tool="wrk 4.1.0")

    assert results["errors"] == 3
    assert results["goals"] == {"uncached": 0.05, "cached": 0.5}
    assert results["load"]["gunicorn_workers"] == 2
    assert [r["target"] for r in results["runs"]["cached"]["targets"]] == [
        "home",
        "catalogue",
        loadtest.STATIC,
    ]
    lines = list(loadtest.table(results))
    catalogue = next(line for line in lines if line.startswith("catalogue"))
    assert catalogue.split() == [
        *("catalogue", "10.0", "100.0", "300.0", "2.5%", "2"),
        *("100.0", "10.0", "30.0", "25.0%", "1"),
    ]
    assert "Goal uncached ≥ 5% of the static file's req/s: 1 of 2 pages; below: catalogue 2.5%" in (
        lines
    )
    assert "Goal cached ≥ 50% of the static file's req/s: 1 of 2 pages; below: catalogue 25.0%" in (
        lines
    )
    assert lines[-1] == "Errors: 3"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is SQLite's")
def test_loadtest_refuses_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("loadtest", "--duration", "1")
