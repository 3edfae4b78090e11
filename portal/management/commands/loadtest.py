"""Put the production stack under load (`make loadtest`, README's Load test).

gunicorn with the production settings serves a throwaway PostgreSQL database seeded with the demo
(portal.bench) and a Redis database of its own, on loopback. wrk loads each public page type and a
static file for a bounded time, first with the page cache off (`PAGE_CACHE_TIMEOUT=0`), then,
after a restart, with its default. Per target: req/s, p50, p99, errors and the ratio of its req/s
to the static file's in the same run, printed and written to bench/loadtest.json and
bench/loadtest.png.
"""

import http.client
import importlib.util
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import redis
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from portal import bench

STATIC = "static file"
STATIC_FILE = "css/portal.css"
# The page cache's switch (portal.page_cache): each run starts the stack with this value, None
# leaving the variable unset so the default applies.
RUNS = {"uncached": "0", "cached": None}
# The goals, as shares of the static file's req/s in the same run.
GOALS = {"uncached": 0.05, "cached": 0.5}
STARTUP_SECONDS = 60
SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


class Command(BaseCommand):
    help = (
        "Start gunicorn with the production settings on a throwaway PostgreSQL database and load "
        "each public page type and a static file with wrk, uncached and cached."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=10, help="seconds of load a target")
        parser.add_argument("--connections", type=int, default=8, help="open at once (wrk -c)")
        parser.add_argument("--threads", type=int, default=1, help="wrk's threads (wrk -t)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers")
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
        parser.add_argument("--output", default="bench/loadtest.json")
        parser.add_argument("--chart", default="bench/loadtest.png")
        parser.add_argument("--log", default="bench/loadtest-server.log", help="gunicorn's log")
        parser.add_argument("--keep", action="store_true", help="keep the load-test database")

    def handle(self, *args, **options):
        self.refuse_without_tools(options)
        store = redis.Redis.from_url(options["redis_url"], socket_timeout=5)
        try:
            store.ping()
        except redis.RedisError as error:
            raise CommandError(
                f"Redis at {options['redis_url']} does not answer: {error}"
            ) from None
        # Stopped by a signal, the finally blocks still stop gunicorn and drop the database.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        log_path = Path(options["log"])
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with (
            open(log_path, "w") as log,
            tempfile.TemporaryDirectory(prefix="loadtest-static-") as static_root,
            bench.throwaway_database(self.stderr, options["keep"], suffix="loadtest"),
        ):
            # The demo's site, and so its links, name the port the stack listens on.
            os.environ["PORT"] = str(options["port"])
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
            env = stack_environment(options, static_root)
            self.stderr.write("collectstatic (production storage) …")
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            storage = ManifestStaticFilesStorage(location=static_root)
            urls = targets(settings.STATIC_URL + storage.stored_name(STATIC_FILE))
            try:
                runs = self.run_all(urls, env, options, log, store)
            finally:
                store.flushdb()
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        results = summary(runs, options, tool=version.split(" [")[0].strip())
        self.report(results, options, log_path)

    def refuse_without_tools(self, options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "loadtest runs the production stack, which needs PostgreSQL: set "
                "DATABASE_URL=postgres://… (make loadtest uses the local server)."
            )
        if shutil.which("wrk") is None:
            raise CommandError("wrk is missing: apt-get install wrk (make loadtest does as root).")
        if importlib.util.find_spec("gunicorn") is None:
            raise CommandError('gunicorn is missing: pip install -e ".[production]".')
        if options["threads"] > options["connections"]:
            raise CommandError("wrk needs at least as many connections as threads.")
        with socket.socket() as probe:
            # As gunicorn binds: the last run's connections in TIME_WAIT do not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", options["port"]))
            except OSError:
                raise CommandError(
                    f"Port {options['port']} is taken: choose another with --port."
                ) from None

    def run_all(self, urls, env, options, log, store):
        runs = {}
        with bench.progress(self.stderr, len(RUNS) * len(urls), "loadtest", "target") as bar:
            for run, page_cache_timeout in RUNS.items():
                run_env = dict(env)
                if page_cache_timeout is not None:
                    run_env["PAGE_CACHE_TIMEOUT"] = page_cache_timeout
                store.flushdb()
                log.write(f"\n== {run}: PAGE_CACHE_TIMEOUT={page_cache_timeout or '(default)'}\n")
                log.flush()
                with gunicorn(run_env, options, log) as process:
                    wait_until_serving(process, options["port"], urls[STATIC], log.name)
                    # Every target must answer 200 before it is measured; this also warms it.
                    for name, path in urls.items():
                        status = get(options["port"], path)
                        if status != 200:
                            raise CommandError(f"{name} ({path}) answered {status}: see {log.name}")
                    rows = []
                    for name, path in urls.items():
                        bar.set_description(f"{run}: {name}")
                        rows.append({"target": name, "url": path, **wrk(options, path)})
                        bar.update()
                runs[run] = {
                    "PAGE_CACHE_TIMEOUT": page_cache_timeout,
                    "targets": relative_to_static(rows),
                }
        return runs

    def report(self, results, options, log_path):
        for line in table(results):
            self.stdout.write(line)
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Written to {output}")
        chart = bench.save_chart(lambda figure: plot(figure, results), options["chart"])
        self.stdout.write(f"Chart: {chart}" if chart else bench.NO_CHARTS)
        if results["errors"]:
            raise CommandError(
                f"{results['errors']} responses were errors (status ≥ 400 or socket errors): the "
                f"figures above include them; gunicorn's log is {log_path}."
            )


def stack_environment(options, static_root):
    """README's production settings, on loopback, over the load-test database and Redis."""
    env = {
        name: value
        for name, value in os.environ.items()
        # The page cache's switch is each run's; Elasticsearch's index is not this database's.
        if name not in {"PAGE_CACHE_TIMEOUT", "ELASTICSEARCH_URL"}
    }
    base = f"http://127.0.0.1:{options['port']}"
    database = urlsplit(os.environ["DATABASE_URL"])
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database._replace(path="/" + connection.settings_dict["NAME"]).geturl(),
        REDIS_URL=options["redis_url"],
        EMAIL_TIMEOUT="10",
        WAGTAILADMIN_BASE_URL=base,
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=static_root,
    )
    return env


def targets(static_path):
    """What a visitor loads: each public page type of the demo, and one static file."""
    return {
        "home": "/nb/",
        "catalogue": "/nb/kurs/",
        "filtered catalogue": "/nb/kurs/?municipality=4601&available=1",
        "course page": first_page("courses.CoursePage"),
        "news page": first_page("nyheiter.NewsPage"),
        "guidance finder": "/nb/veiledning/?municipality=4601",
        "JSON feed": "/api/katalog/sessions/",
        STATIC: static_path,
    }


def first_page(label):
    """The path of a page type's first live bokmål page, found through the app registry (portal
    imports no app)."""
    model = apps.get_model(label)
    page = model.objects.live().filter(locale__language_code="nb").order_by("path").first()
    return page.get_url_parts()[2]


@contextmanager
def gunicorn(env, options, log):
    """README's `gunicorn portal.wsgi`, in a process group of its own, stopped whatever happens."""
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
            *("--workers", str(options["workers"])),
            *("--bind", f"127.0.0.1:{options['port']}"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Ctrl-C reaches this command, not gunicorn; the finally stops the whole group.
        start_new_session=True,
    )
    try:
        yield process
    finally:
        stop_group(process)


def stop_group(process, grace=10):
    with suppress(ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    # Workers that outlived their master, or a master that ignored SIGTERM.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_until_serving(process, port, path, log_name):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"gunicorn stopped (exit {process.returncode}): see {log_name}")
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer within {STARTUP_SECONDS} s: see {log_name}")


def get(port, path):
    """The status of one GET, redirects not followed."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path)
        response = client.getresponse()
        response.read()
        return response.status
    finally:
        client.close()


def wrk(options, path):
    duration = options["duration"]
    result = subprocess.run(
        [
            *("wrk", "--latency", "--timeout", "10s"),
            *("--duration", f"{duration}s"),
            *("--connections", str(options["connections"])),
            *("--threads", str(options["threads"])),
            f"http://127.0.0.1:{options['port']}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    return parse_wrk(result.stdout)


def parse_wrk(text):
    """The figures of a `wrk --latency` report: requests, req/s, p50 and p99 in ms, errors (wrk
    counts a status of 400 or more, and connect, read, write and timeout errors)."""
    try:
        latency = {
            percentile: round(float(value) * TO_MS[unit], 2)
            for percentile, value, unit in re.findall(
                r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.MULTILINE
            )
        }
        requests = int(re.search(r"^\s*(\d+) requests in ", text, re.MULTILINE)[1])
        rate = float(re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)[1])
        p50, p99 = latency["50"], latency["99"]
    except (TypeError, KeyError) as error:
        raise ValueError(f"Not a wrk --latency report ({error!r}):\n{text}") from None
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    statuses = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests": requests,
        "requests_per_s": rate,
        "p50_ms": p50,
        "p99_ms": p99,
        "error_statuses": int(statuses[1]) if statuses else 0,
        "socket_errors": sum(int(count) for count in sockets.groups()) if sockets else 0,
    }


def relative_to_static(rows):
    """Each target's req/s as a share of the static file's, measured on the same stack."""
    static = next(row["requests_per_s"] for row in rows if row["target"] == STATIC)
    if not static:
        raise CommandError("The static file was not served once: nothing to compare with.")
    return [{**row, "ratio_to_static": round(row["requests_per_s"] / static, 4)} for row in rows]


def summary(runs, options, tool):
    """What bench/loadtest.json holds: how the load was made, the goals, both runs, the errors."""
    return {
        "measured": timezone.now().isoformat(),
        "load": {
            "tool": tool,
            "duration_s": options["duration"],
            "connections": options["connections"],
            "threads": options["threads"],
            "gunicorn_workers": options["workers"],
            "cpus": os.cpu_count(),
        },
        "goals": GOALS,
        "runs": runs,
        "errors": sum(
            row["error_statuses"] + row["socket_errors"]
            for run in runs.values()
            for row in run["targets"]
        ),
    }


def table(results):
    """The printed report: one line a target, both runs side by side, then the goals."""
    runs = results["runs"]
    load = results["load"]
    yield (
        f"\n{load['tool']}: {load['duration_s']} s a target, {load['connections']} connections; "
        f"gunicorn with {load['gunicorn_workers']} workers on {load['cpus']} CPUs"
    )
    cells = f"{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'static':>8}{'errors':>7}"
    yield f"{'':<20}" + "".join(f"  {run:<{len(cells)}}" for run in runs)
    yield f"{'target':<20}" + f"  {cells}" * len(runs)
    rows = zip(*(run["targets"] for run in runs.values()), strict=True)
    for same_target in rows:
        line = f"{same_target[0]['target']:<20}"
        for row in same_target:
            errors = row["error_statuses"] + row["socket_errors"]
            line += (
                f"  {row['requests_per_s']:>8.1f}{row['p50_ms']:>8.1f}{row['p99_ms']:>8.1f}"
                f"{row['ratio_to_static']:>8.1%}{errors:>7}"
            )
        yield line
    for run, goal in results["goals"].items():
        pages = [row for row in runs[run]["targets"] if row["target"] != STATIC]
        missed = [row for row in pages if row["ratio_to_static"] < goal]
        verdict = ", ".join(f"{row['target']} {row['ratio_to_static']:.1%}" for row in missed)
        yield (
            f"Goal {run} ≥ {goal:.0%} of the static file's req/s: "
            f"{len(pages) - len(missed)} of {len(pages)} pages"
            + (f"; below: {verdict}" if missed else "")
        )
    yield f"Errors: {results['errors'] or 'none'}"


def plot(figure, results):
    """Share of the static file's req/s (log scale, with the goals) and p50/p99 latency."""
    runs = results["runs"]
    names = [row["target"] for row in next(iter(runs.values()))["targets"]]
    share, latency = figure.subplots(2, 1, sharex=True)
    width = 0.8 / len(runs)
    for index, (run, colour) in enumerate(zip(runs, ("tab:orange", "tab:blue"), strict=False)):
        rows = runs[run]["targets"]
        positions = [i + (index - (len(runs) - 1) / 2) * width for i in range(len(names))]
        bars = share.bar(
            positions,
            [100 * row["ratio_to_static"] for row in rows],
            width,
            color=colour,
            label=run,
        )
        share.bar_label(bars, fmt="%.1f", fontsize=8)
        latency.bar(
            positions, [row["p50_ms"] for row in rows], width, color=colour, label=f"{run} p50"
        )
        latency.scatter(
            positions,
            [row["p99_ms"] for row in rows],
            marker="_",
            s=400,
            color=colour,
            linewidths=2,
            label=f"{run} p99",
        )
        if run in results["goals"]:
            share.axhline(
                100 * results["goals"][run],
                color=colour,
                linestyle="--",
                linewidth=1,
                label=f"goal {run}",
            )
    load = results["load"]
    share.set(
        yscale="log",
        ylabel="req/s, % of the static file's",
        title=(
            f"make loadtest: gunicorn with {load['gunicorn_workers']} workers, "
            f"{load['connections']} connections, {load['duration_s']} s a target "
            f"({results['measured'][:16]})"
        ),
    )
    latency.set(yscale="log", ylabel="latency, ms")
    latency.set_xticks(range(len(names)), names, rotation=20, ha="right")
    for axes in (share, latency):
        axes.yaxis.set_major_formatter("{x:g}")
        axes.grid(axis="y", which="both", alpha=0.3)
        axes.legend(fontsize=8)
