"""Playwright on Debian's chromium, and axe-core (from npm) to check WCAG on every page visited.

The browser tests share one live server and the demo that tests/conftest.py seeds once per
session. They carry the django_db mark, so pytest-django sets the test database up, but run on
the committed database (tests/live_db.py): the server's own connection sees only committed data.
A test that writes has the database restored from the copy taken after the seed.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import modify_settings
from pytest_django.live_server_helper import LiveServer

from tests.live_db import _django_db_helper  # noqa: F401 (the committed demo, restored)

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


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db)
            # One worker runs them all (`--dist loadgroup`), so one live server and one copy serve.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def site(demo_copy):
    """The demo site behind a live server, started once."""
    with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
        server = LiveServer("localhost")
        yield server
        server.stop()


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
