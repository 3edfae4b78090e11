"""Measure the machine translator on a page of 100 strings (`make bench`, portal.bench).

The strings are the demo's own bokmål (titles, intros and paragraphs from portal/demo/*.toml,
repeated to 100), with its place names as the proper names to keep, so no database is needed.
Reported: the first page of a process (which also asks the engine for the glossary's forms)
and the median of the following pages, each one Apertium process, in seconds.
"""

import statistics
import time
import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from portal import apertium, bench

DEMO = Path(settings.BASE_DIR) / "portal" / "demo"
TEXT_KEYS = {"title", "intro", "body", "name_nb", "description", "summary", "lead"}


def demo_texts():
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for child_key, child in value.items():
                if child_key == "nn":
                    continue
                walk(child, child_key)
        elif isinstance(value, list):
            for child in value:
                walk(child, key)
        elif isinstance(value, str) and key in TEXT_KEYS and " " in value:
            found.append(value)

    for path in sorted(DEMO.glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return found


def place_names():
    data = tomllib.loads((DEMO / "places.toml").read_text(encoding="utf-8"))
    return [row["name_nb"] for block in data["records"] for row in block["rows"]]


class Command(BaseCommand):
    help = "Translate a 100-string page from bokmål to nynorsk with Apertium and time it."

    def add_arguments(self, parser):
        parser.add_argument("--strings", type=int, default=100)
        parser.add_argument("--pages", type=int, default=5, help="pages after the first")
        parser.add_argument("--output", default=bench.RESULTS)

    def handle(self, *args, **options):
        translator = apertium.ApertiumTranslator({})
        engine = translator.engine("nb", "nn")
        if not engine.available():
            self.stdout.write(f"bench_translation skipped: {apertium.INSTALL_HINT}")
            return
        texts = demo_texts()
        strings = [texts[index % len(texts)] for index in range(options["strings"])]
        apertium.PROPER_NAME_SOURCES[:] = [place_names]

        def page():
            start = time.perf_counter()
            result = translator.translate_html("nb", "nn", strings)
            return time.perf_counter() - start, result

        first, result = page()
        timings = [page()[0] for _ in range(options["pages"])]
        median = statistics.median(timings)
        kept = sum(1 for item in result if item is not None)
        self.stdout.write(
            f"Apertium nb→nn, a page of {len(strings)} strings ({len(set(strings))} distinct, "
            f"{kept} translated): first page {first:.2f} s, then median {median:.2f} s "
            f"(max {max(timings):.2f} s over {len(timings)} pages)"
        )
        path = bench.write_results(
            options["output"],
            "translation",
            "apertium",
            {
                "strings": len(strings),
                "first_page_seconds": round(first, 3),
                "page_seconds_median": round(median, 3),
                "page_seconds_max": round(max(timings), 3),
            },
        )
        self.stdout.write(f"Results: {path}")
