"""Playwright on Debian's chromium, and axe-core (from npm) to check WCAG on every page visited.

The browser tests share one live server and the demo that tests/conftest.py seeds once per
session. They carry the django_db mark, so pytest-django sets the test database up, but run
outside its per-test transactions: on PostgreSQL the server's own connection sees only committed
data, and the flush that ends a transactional test would take the demo along. Most tests only
read; a test that writes, through the browser or the ORM, has the database restored from a copy
taken after the seed, so no later test sees what it wrote.
"""

import re
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.test.utils import modify_settings
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db)


class DemoCopy:
    """A copy of the seeded test database: SQLite's backup API, or a PostgreSQL template."""

    def __init__(self):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)
        elif connection.vendor == "postgresql":
            self.name = connection.settings_dict["NAME"]
            self.copy_name = f"{self.name}_demo"
            self._clone(self.name, self.copy_name)
        else:
            pytest.fail(f"The browser tests cannot copy a {connection.vendor} database.")

    def restore(self):
        if connection.vendor == "sqlite":
            self.copy.backup(connection.connection)
        else:
            self._clone(self.copy_name, self.name)

    def drop(self):
        if connection.vendor == "sqlite":
            self.copy.close()
        else:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE {connection.ops.quote_name(self.copy_name)}")

    def _clone(self, source, target):
        # PostgreSQL copies a database only while nobody is connected to it.
        connection.close()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            # Connections that earlier tests left open in other threads would block the copy;
            # Django reconnects them when they are next used.
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [source],
            )
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


class WriteDetector:
    """Notices any statement that changes the database, on every connection of every thread
    (the live server's requests each open their own on PostgreSQL)."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.wrote = True
        return execute(sql, params, many, context)

    def watch(self, sender=None, connection=None, **kwargs):
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def __enter__(self):
        connection_created.connect(self.watch)
        for open_connection in connections.all():
            self.watch(connection=open_connection)
        return self

    def __exit__(self, *exc_info):
        connection_created.disconnect(self.watch)
        for open_connection in connections.all():
            if self in open_connection.execute_wrappers:
                open_connection.execute_wrappers.remove(self)


@pytest.fixture(scope="session")
def demo_copy(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        copy = DemoCopy()
    yield copy
    with django_db_blocker.unblock():
        copy.drop()


@pytest.fixture(scope="session")
def site(demo_copy):
    """The demo site behind a live server, started once."""
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server
        server.stop()


@pytest.fixture
def _django_db_helper(demo_copy, django_db_blocker):
    """What the django_db mark means here: the shared demo, restored after a test that wrote.

    This replaces pytest-django's own (private) helper, its per-test transaction or flush.
    """
    with django_db_blocker.unblock():
        with WriteDetector() as detector:
            yield
        if detector.wrote:
            demo_copy.restore()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root.")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`.")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    # axe is injected as an inline script, which the portal's CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, base_url=site.url, java_script_enabled=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
    ]


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)

    return check
