"""Measure the catalogue at growing sizes in a throwaway database (`make bench`, portal.bench)."""

import datetime
import io
import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Locale

from katalog.courses.models import (
    Audience,
    Category,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    Provider,
)
from katalog.places.models import Municipality
from portal import bench, demo

SESSIONS_PER_COURSE = 100
FILTERED = {"q": "leiing", "municipality": "4601", "available": "1"}


class Command(BaseCommand):
    help = "Fill a throwaway database with N sessions and measure the catalogue, course and feed."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", nargs="+", type=int, default=[1_000, 10_000, 100_000])
        parser.add_argument("--repeat", type=int, default=30, help="measured requests per URL")
        parser.add_argument("--output", default=bench.RESULTS)
        parser.add_argument("--chart", default="bench/catalogue.png")
        parser.add_argument("--keep", action="store_true", help="keep the bench database")

    def handle(self, *args, **options):
        with bench.throwaway_database(self.stderr, options["keep"]) as vendor:
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
            rows = self.run(sorted(options["sizes"]), options["repeat"])
        self.report(vendor, rows, options["output"])
        chart = bench.save_chart(lambda figure: plot(figure, vendor, rows), options["chart"])
        self.stdout.write(f"Chart: {chart}" if chart else bench.NO_CHARTS)

    def run(self, sizes, repeat):
        rows = []
        filler = Filler()
        for size in sizes:
            filler.fill_to(size, self.stderr)
            urls = {
                "catalogue": ("/nb/kurs/", {}),
                "catalogue filtered": ("/nb/kurs/", FILTERED),
                "course page": (filler.first_course_url, {}),
                "JSON feed": ("/api/katalog/sessions/", {"lang": "nb", "municipality": "4601"}),
            }
            for name, (url, params) in urls.items():
                rows.append({"sessions": size, "target": name, **measure(url, params, repeat)})
        return rows

    def report(self, vendor, rows, output):
        self.stdout.write(f"\n{vendor}: p50 / p95 latency in ms, SQL queries per request")
        self.stdout.write(f"{'sessions':>9}  {'target':<20}{'p50':>8}{'p95':>8}{'queries':>9}")
        for row in rows:
            self.stdout.write(
                f"{row['sessions']:>9}  {row['target']:<20}{row['p50_ms']:>8.1f}"
                f"{row['p95_ms']:>8.1f}{row['queries']:>9}"
            )
        output = bench.write_results(output, "catalogue", vendor, {"rows": rows})
        self.stdout.write(f"Written to {output}")


# The page cache would answer every request but the first from Redis: the bench measures what
# rendering a page costs (`make loadtest` measures cached pages too).
@override_settings(PAGE_CACHE_TIMEOUT=0)
def measure(url, params, repeat):
    client = Client(HTTP_HOST="localhost")
    for _warm in range(3):
        assert client.get(url, params).status_code == 200, url
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url, params)
    timings = []
    for _run in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
    percentiles = statistics.quantiles(timings, n=20, method="inclusive")
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentiles[18], 2),
        "queries": len(executed),
    }


def plot(figure, vendor, rows):
    """p50 and p95 latency against the number of sessions, both on log scales, a colour a target."""
    axes = figure.subplots()
    for index, target in enumerate(dict.fromkeys(row["target"] for row in rows)):
        own = [row for row in rows if row["target"] == target]
        sizes = [row["sessions"] for row in own]
        colour = f"C{index}"
        axes.plot(sizes, [row["p50_ms"] for row in own], "o-", color=colour, label=f"{target} p50")
        axes.plot(sizes, [row["p95_ms"] for row in own], "s--", color=colour, label=f"{target} p95")
    axes.set(
        xscale="log",
        yscale="log",
        xlabel="sessions (N)",
        ylabel="latency, ms",
        title=f"make bench: the catalogue on {vendor}, in process",
    )
    sizes = sorted({row["sessions"] for row in rows})
    axes.set_xticks(sizes, [f"{size:,}".replace(",", " ") for size in sizes])
    axes.set_xticks([], minor=True)
    axes.yaxis.set_major_formatter("{x:g}")
    axes.yaxis.set_minor_formatter("{x:g}")
    axes.grid(which="both", alpha=0.3)
    axes.legend(fontsize=8)


class Filler:
    """Adds bench courses (nb with nn translations) and bulk-created sessions."""

    def __init__(self):
        self.nb = Locale.objects.get(language_code="nb")
        self.nn = Locale.objects.get(language_code="nn")
        self.index = CourseIndexPage.objects.get(locale=self.nb)
        self.categories = list(Category.objects.all())
        self.audiences = list(Audience.objects.all())
        self.municipalities = list(Municipality.objects.all())
        self.bergen = Municipality.objects.get(number="4601")
        self.rng = random.Random(100)
        # Titles, intros and providers from the demo's own courses.
        self.courses = demo.pages_of("courses.CoursePage")
        self.pairs = []
        self.count = 0

    @property
    def first_course_url(self):
        return self.pairs[0][0].url

    def add_course(self, number):
        course = self.courses[number % len(self.courses)]
        nb, nn = course["nb"], course["nn"]
        page = CoursePage(
            title=f"{nb['title']} {number}",
            slug=f"bench-{number}",
            intro=nb["intro"],
            category=self.rng.choice(self.categories),
            mode=self.rng.choice(["classroom", "online", "blended", "elearning"]),
            provider=Provider.objects.get(name=course["fields"]["provider"]),
            price=self.rng.choice([0, 500, 1500, 3000]),
        )
        page.audiences = self.rng.sample(self.audiences, 2)
        self.index.add_child(instance=page)
        twin = page.copy_for_translation(self.nn, copy_parents=False)
        twin.title, twin.slug = f"{nn['title']} {number}", f"bench-nn-{number}"
        twin.intro = nn["intro"]
        twin.live = True  # copies for translation start as drafts
        twin.save()
        self.pairs.append((page, twin))

    def fill_to(self, size, stderr):
        now = timezone.now()
        with bench.progress(stderr, size - self.count, f"fill {size}", "session") as bar:
            while self.count < size:
                if not self.pairs or self.count >= len(self.pairs) * SESSIONS_PER_COURSE:
                    self.add_course(len(self.pairs))
                page, twin = self.pairs[-1]
                batch = min(
                    SESSIONS_PER_COURSE - self.count % SESSIONS_PER_COURSE, size - self.count
                )
                sessions = [self.session(page, now) for _i in range(batch)]
                copies = [CourseSession(**vars_of(s), page=twin, locale=self.nn) for s in sessions]
                CourseSession.objects.bulk_create(sessions + copies)
                self.count += batch
                bar.update(batch)
        # Fresh planner statistics (and on PostgreSQL a vacuumed table), as a database in use has
        # them; otherwise autovacuum starts on the new rows while the requests are being timed.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def session(self, page, now):
        rng = self.rng
        start = now + datetime.timedelta(days=rng.uniform(1, 365))
        online = rng.random() < 0.2
        capacity = rng.randint(10, 30)
        return CourseSession(
            page=page,
            locale=self.nb,
            start=start,
            end=start + datetime.timedelta(hours=6),
            enrolment_deadline=start - datetime.timedelta(days=7),
            online=online,
            venue_name="" if online else "Rådhuset",
            municipality=None
            if online
            else (self.bergen if rng.random() < 0.1 else rng.choice(self.municipalities)),
            capacity=capacity,
            seats_taken=rng.randint(0, capacity),
            status="cancelled" if rng.random() < 0.03 else "open",
        )


def vars_of(session):
    skip = {"id", "page_id", "locale_id"}
    fields = [f.attname for f in CourseSession._meta.concrete_fields if f.attname not in skip]
    return {name: getattr(session, name) for name in fields}
