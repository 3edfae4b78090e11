"""What the benchmark commands share (`make bench`, `make loadtest`): a throwaway database,
progress bars and `bench/results.json`.

The developer's own database is never touched: Django's test-database machinery creates a
separate one (PostgreSQL: `<name>_bench`, or another suffix; SQLite: `bench/bench.sqlite3`),
migrates it, and drops it at the end. Threads opened meanwhile connect to it too: they read the
same settings.
"""

import json
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

SQLITE_NAME = Path("bench/bench.sqlite3")
RESULTS = "bench/results.json"


@contextmanager
def throwaway_database(stderr, keep=False, suffix="bench"):
    """Create, migrate and use the bench database while the block runs; yields the vendor."""
    vendor = connection.vendor
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if vendor == "sqlite":
        SQLITE_NAME.parent.mkdir(exist_ok=True)
        test_settings["NAME"] = str(SQLITE_NAME.resolve())
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_{suffix}"
    old_name = connection.settings_dict["NAME"]
    # Measure as in production: no query log, cached templates.
    settings.DEBUG = False
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    stderr.write(f"Bench database: {connection.settings_dict['NAME']} ({vendor})")
    try:
        yield vendor
    finally:
        if keep:
            stderr.write(f"Kept: {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def progress(stderr, total, desc, unit):
    return tqdm(total=total, desc=desc, unit=unit, file=stderr)


def write_results(output, bench, vendor, data):
    """Merge one bench's figures for one database vendor into the results file."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(output.read_text()) if output.exists() else {}
    results.setdefault(bench, {})[vendor] = {"measured": timezone.now().isoformat(), **data}
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return output


NO_CHARTS = 'No chart: matplotlib is missing (pip install -e ".[bench]"; make bench does).'


def save_chart(draw, path):
    """Draw a figure with matplotlib (the `bench` extra) and save it as PNG; without matplotlib,
    return None so the figures already measured are not lost."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    figure = Figure(figsize=(11, 8), layout="constrained")
    draw(figure)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    return path
