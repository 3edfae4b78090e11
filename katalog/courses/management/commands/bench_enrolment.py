"""Measure concurrent enrolment in a throwaway PostgreSQL database (`make bench`, portal.bench).

Clients (threads, each on its own connection) enrol distinct addresses spread over the sessions
through `services.enrol`, more than there are seats, so waiting lists form. Reported: enrolments
per second, p50/p99 latency, busy retries (`SessionBusy`), and the checks that matter more than
speed: no session holds more seats than it has, and every copy's `seats_taken` is its count.
"""

import datetime
import io
import queue
import statistics
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale

from katalog.courses import services
from katalog.courses.models import (
    SEAT_STATES,
    Category,
    CourseIndexPage,
    CoursePage,
    CourseSession,
    EnrolmentState,
    Provider,
)
from katalog.places.models import Municipality
from portal import bench

RETRY_PAUSE = 0.01  # seconds before a client tries a busy session again


class Command(BaseCommand):
    help = "Enrol concurrently in N sessions of a throwaway PostgreSQL database and measure it."

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=20)
        parser.add_argument("--seats", type=int, default=10, help="capacity of each session")
        parser.add_argument("--clients", type=int, default=16, help="concurrent threads")
        parser.add_argument(
            "--enrolments", type=int, help="addresses to enrol (default: twice the seats)"
        )
        parser.add_argument("--output", default=bench.RESULTS)
        parser.add_argument("--keep", action="store_true", help="keep the bench database")
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="use the configured database as it is, seeded (the test suite's smoke test)",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_enrolment needs PostgreSQL: SQLite takes its write lock at BEGIN "
                "IMMEDIATE, so concurrent enrolments are serialised and there is no concurrency "
                "to measure. Set DATABASE_URL=postgres://…"
            )
        sizes = {name: options[name] for name in ("sessions", "seats", "clients")}
        sizes["enrolments"] = options["enrolments"] or 2 * sizes["sessions"] * sizes["seats"]
        # No mail leaves the bench, and nothing is deferred to a worker.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            if options["in_place"]:
                figures = self.run(**sizes)
            else:
                with bench.throwaway_database(self.stderr, options["keep"]):
                    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
                    figures = self.run(**sizes)
        self.report(figures, options["output"])
        if figures["overbooked_sessions"] or not figures["seats_taken_consistent"]:
            raise CommandError("Seats were overbooked or miscounted: see the figures above.")

    def run(self, sessions, seats, clients, enrolments):
        keys = create_sessions(sessions, seats)
        # The bokmål copies are the sources, which enrolments belong to.
        sources = list(
            CourseSession.objects.filter(
                translation_key__in=keys, locale__language_code="nb"
            ).order_by("start", "pk")
        )
        jobs = queue.Queue()
        for number in range(enrolments):
            jobs.put((number, sources[number % len(sources)]))
        latencies, retries, errors = [], [0], []
        lock = threading.Lock()

        with bench.progress(self.stderr, enrolments, "enrol", "enrolment") as bar:

            def client():
                try:
                    while True:
                        try:
                            number, session = jobs.get_nowait()
                        except queue.Empty:
                            return
                        started = time.perf_counter()
                        busy = enrol(session, number, errors)
                        elapsed = time.perf_counter() - started
                        with lock:
                            latencies.append(elapsed * 1000)
                            retries[0] += busy
                        bar.update()
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=client) for _n in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started

        if errors:
            raise CommandError(f"{len(errors)} enrolments failed, the first: {errors[0]!r}")
        percentiles = statistics.quantiles(latencies, n=100, method="inclusive")
        return {
            "sessions": sessions,
            "seats_per_session": seats,
            "clients": clients,
            "enrolments": enrolments,
            "seconds": round(wall, 2),
            "enrolments_per_second": round(enrolments / wall, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(percentiles[98], 2),
            "busy_retries": retries[0],
            **check_seats(keys),
        }

    def report(self, figures, output):
        self.stdout.write("\nEnrolment under concurrency (postgresql)")
        for name, value in figures.items():
            self.stdout.write(f"  {name:<24}{value}")
        output = bench.write_results(output, "enrolment", "postgresql", figures)
        self.stdout.write(f"Written to {output}")


def enrol(session, number, errors):
    """One client's enrolment, tried again while the session is busy; returns the retries."""
    busy = 0
    while True:
        try:
            services.enrol(
                session,
                name=f"Deltakar {number}",
                email=f"bench{number}@example.no",
                language="nb",
                employer_other="Benken",
            )
            return busy
        except services.SessionBusy:
            busy += 1
            time.sleep(RETRY_PAUSE)
        except Exception as error:  # noqa: BLE001 (counted and reported after the run)
            errors.append(error)
            return busy


def create_sessions(count, seats):
    """A bench course (nb, with its nn translation) with `count` open sessions; their keys."""
    nb = Locale.objects.get(language_code="nb")
    nn = Locale.objects.get(language_code="nn")
    start = timezone.now() + datetime.timedelta(days=30)
    page = CoursePage(
        title="Benkekurs i påmelding",
        slug=f"bench-enrolment-{int(time.time())}",
        mode="classroom",
        category=Category.objects.order_by("pk").first(),
        provider=Provider.objects.order_by("pk").first(),
    )
    CourseIndexPage.objects.get(locale=nb).add_child(instance=page)
    municipality = Municipality.objects.order_by("number").first()
    for number in range(count):
        CourseSession.objects.create(
            page=page,
            locale=nb,
            start=start + datetime.timedelta(days=number),
            end=start + datetime.timedelta(days=number, hours=6),
            enrolment_deadline=start - datetime.timedelta(days=7),
            venue_name="Rådhuset",
            municipality=municipality,
            capacity=seats,
            sort_order=number,
        )
    twin = page.copy_for_translation(nn, copy_parents=False)
    twin.live = True  # copies for translation start as drafts
    twin.save()
    return list(page.sessions.values_list("translation_key", flat=True))


def _count(*states):
    return Count("enrolments", filter=Q(enrolments__state__in=states))


def check_seats(keys):
    """Sessions holding more seats than they have, and whether every copy's counter is right."""
    sources = CourseSession.objects.filter(
        translation_key__in=keys, locale__language_code="nb"
    ).annotate(held=_count(*SEAT_STATES), waiting=_count(EnrolmentState.WAITING))
    held = {source.translation_key: source for source in sources}
    copies = list(CourseSession.objects.filter(translation_key__in=keys))
    return {
        "seats_held": sum(source.held for source in held.values()),
        "waiting": sum(source.waiting for source in held.values()),
        "overbooked_sessions": sum(source.held > source.capacity for source in held.values()),
        "seats_taken_consistent": all(
            copy.seats_taken == held[copy.translation_key].held for copy in copies
        ),
        "session_copies_checked": len(copies),
    }
