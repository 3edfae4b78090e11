"""The fuzz tests' one knob, a Hypothesis profile, and the count of the requests they send.

`ci` (the default) is the small, repeatable sample that `make test` runs; `fuzz` is the big run
of `make fuzz` (`--hypothesis-profile=fuzz`, or `FUZZ_PROFILE=fuzz`). Each test sends a few
requests per example, so the profile's `max_examples` sets the number of requests; the terminal
summary says how many were actually sent, by method, kind and endpoint.
"""

import os
from collections import Counter

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from hypothesis import HealthCheck, settings

from katalog.places.models import Municipality
from tests.fuzz.surface import REQUESTS, Surface

# The examples of one test share its function-scoped fixtures (the client, the transaction of
# the `db` fixture): a test that posts starts each example as a new visitor with an empty cache
# (Surface.fresh_visitor) and counts the rows it stores by difference.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,
    "print_blob": True,
}
settings.register_profile("ci", max_examples=5, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=120, **_COMMON)
if settings.get_current_profile_name() not in ("ci", "fuzz"):
    settings.load_profile(os.environ.get("FUZZ_PROFILE", "ci"))


@pytest.fixture
def surface(client, db):
    return Surface(client)


@pytest.fixture
def numbers(db):
    return sorted(Municipality.objects.values_list("number", flat=True))


@pytest.fixture
def failed_tasks():
    """The email tasks that failed: the immediate backend records a failure and carries on."""
    failed = []

    def record(sender, task_result, **kwargs):
        if task_result.status == TaskResultStatus.FAILED:
            failed.append(task_result)

    task_finished.connect(record)
    yield failed
    task_finished.disconnect(record)


def pytest_terminal_summary(terminalreporter):
    if not REQUESTS:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", f"fuzz: {settings.get_current_profile_name()} profile")
    write(f"{sum(REQUESTS.values())} requests sent")
    by_kind, by_endpoint = Counter(), {}
    for (method, kind, endpoint), n in REQUESTS.items():
        by_kind[method, kind] += n
        by_endpoint.setdefault((method, endpoint), Counter())[kind] += n
    for (method, kind), n in sorted(by_kind.items()):
        write(f"  {method} {kind}: {n}")
    for (method, endpoint), kinds in sorted(by_endpoint.items()):
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        write(f"  {method} {endpoint}: {kinds.total()} ({detail})")
