"""Every public page answers an anonymous visitor in the same number of queries however large
the data grows, and in at most 12 once the content it shows is cached.

One place lists what the public sees: a live page of every page type (a new type without a demo
page fails here) and the routes that are not pages. Each is measured cold, the first request
after a change (every cached content value is read anew), and warm, the next one; both at the
demo's size and again after the data has grown. The page cache is off: it would answer the
warm request without any query and hide what rendering costs.
"""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, get_page_models

from forum.models import ResultsReportPage
from katalog.courses.models import CourseIndexPage, CoursePage
from katalog.guidance.models import CentrePage, ExceptionDay, OpeningHours
from katalog.places.models import Municipality, Region
from portal import content_cache
from tests.factories import (
    CentrePageFactory,
    CoursePageFactory,
    CourseSessionFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

MAX_QUERIES = 12
# Cold requests that still read more than MAX_QUERIES (warm they are within it): a page routed
# from the database reads each level of its path twice and its locale again
# (portal/middleware.py), every page's chrome reads six values anew (switcher, home pages,
# menu, footer settings and pages, news feed), and so do the catalogue's taxonomies and course
# list, the finder's centres and each link card's page. They must not grow with the data, and
# one that comes within MAX_QUERIES must leave this list.
COLD_OVER_MAX = {
    "HomePage (nb)",
    "HomePage (nn)",
    "StandardPage (nb)",
    "CourseIndexPage (nb)",
    "CoursePage (nb)",
    "GuidanceIndexPage (nb)",
    "CentrePage (nb)",
    "DecentralisedEducationPage (nb)",
    "SelfAssessmentPage (nb)",
    "NewsIndexPage (nb)",
    "NewsPage (nb)",
    "HandbookPage (nb)",
    "ChapterPage (nb)",
    "LibraryPage (nb)",
    "ResourcePage (nb)",
    "LearningPathPage (nb)",
    "catalogue with filters",
    "catalogue page 2",
    "enrolment form",
    "catalogue calendar",
    "guidance finder",
    "guidance request form",
    "news page 2",
    "news on a topic",
    "whole handbook",
    "library with filters",
    "ForumIndexPage (nb)",
    "TrainingPlanPage (nb)",
    "MeasurePage (nb)",
    "ResultsReportPage (nb)",
    "results report CSV",
}


@pytest.fixture
def uncached_pages():
    with override_settings(PAGE_CACHE_TIMEOUT=0):
        yield


def page_types():
    return [model for model in get_page_models() if model is not Page]


def demo_page(model):
    return model.objects.live().public().filter(locale__language_code="nb").order_by("path").first()


def public_urls():
    """{name: URL} of a page of every type and of every public route that is not a page."""
    urls = {f"{model.__name__} (nb)": demo_page(model).url for model in page_types()}
    urls["HomePage (nn)"] = "/nn/"
    course = demo_page(CoursePage)
    session = course.sessions.order_by("start").first()
    urls |= {
        "catalogue with filters": "/nn/kurs/?q=leiing&municipality=4601&available=1&mode=classroom",
        "catalogue page 2": "/nb/kurs/?page=2",
        "enrolment form": f"{course.url}pamelding/{session.translation_key}/",
        "course calendar": f"{course.url}kalender.ics",
        "catalogue calendar": "/nb/kurs/kalender.ics?available=1",
        "sessions feed": "/api/katalog/sessions/?lang=nb",
        "sessions feed with filters": "/api/katalog/sessions/?lang=nn&municipality=4601&page=2",
        "guidance finder": "/nb/veiledning/?municipality=4601",
        "guidance request form": "/nb/veiledning/bestill/",
        "news page 2": "/nb/nyheter/?page=2",
        "news on a topic": "/nb/nyheter/?tag=kurs",
        "news feed": "/nn/nyheiter/feed/",
        "whole handbook": "/nb/handbok/skriv-ut/",
        "site search": "/nn/sok/?q=kurs",
        "library with filters": "/nn/e-laeringsressursar/?format=video&language=nn",
        "results report CSV": f"{demo_page(ResultsReportPage).url}tabell/kommune/",
        "sitemap": "/sitemap.xml",
        "robots.txt": "/robots.txt",
        "not found": "/nb/finst-ikkje/",
    }
    return urls


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return len(context)


def measure(client, urls):
    """{name: (cold, warm)}: the first request after a change, and the one after it."""
    counts = {}
    for name, url in urls.items():
        client.get(url)  # this process's own caches (content types, translations)
        content_cache.invalidate()  # what any saved page, setting or taxonomy does
        cold = count(client, url)
        counts[name] = (cold, count(client, url))
    return counts


def grow(nb):
    """More of everything a public page lists: courses, sessions, centres, hours, news, menu
    pages and municipalities, both new ones and on the pages measured."""
    region = Region.objects.first()
    for number in range(6):
        Municipality.objects.create(
            name_nb=f"Vekstkommune {number}",
            name_nn=f"Vekstkommune {number}",
            number=f"99{number:02}",
            region=region,
        )
    municipalities = list(Municipality.objects.all())
    start = timezone.now() + datetime.timedelta(days=3)
    index = CourseIndexPage.objects.get(locale=nb)
    pages = [demo_page(CoursePage)]
    pages += [
        CoursePageFactory(parent=index, title=f"Vekst i leiing {n}", audiences=["leiarar"])
        for n in range(12)
    ]
    for number, page in enumerate(pages):
        for day in range(5):
            CourseSessionFactory(
                page=page,
                start=start + datetime.timedelta(days=day),
                municipality=municipalities[(number + day) % len(municipalities)],
            )
    centres = [demo_page(CentrePage)] + [
        CentrePageFactory(title=f"Vekstsenter {n}") for n in range(6)
    ]
    for centre in centres:
        centre.municipalities.add(*municipalities[:8])
        for weekday in range(5):
            OpeningHours.objects.create(
                page=centre, weekday=weekday, opens=datetime.time(16), closes=datetime.time(18)
            )
        ExceptionDay.objects.create(
            page=centre, date=timezone.localdate() + datetime.timedelta(days=4)
        )
        centre.save_revision().publish()
    news_index = Page.objects.get(locale=nb, url_path__endswith="/nyheter/")
    for number in range(26):
        NewsPageFactory(parent=news_index, title=f"Vekstnytt {number}")
    home = Page.objects.get(locale=nb, depth=2)
    for number in range(3):
        StandardPageFactory(parent=home, title=f"Vekstside {number}", show_in_menus=True)


def test_every_page_type_has_a_demo_page_to_measure(db):
    missing = [model.__name__ for model in page_types() if demo_page(model) is None]
    assert not missing, f"add a live demo page of {missing} so its queries are counted"


def test_public_pages_run_the_same_queries_as_data_grows_and_at_most_12_warm(
    client, nb, django_capture_on_commit_callbacks
):
    urls = public_urls()
    small = measure(client, urls)
    with django_capture_on_commit_callbacks(execute=True):  # index the new pages for search
        grow(nb)
    large = measure(client, urls)
    report = "\n".join(
        f"{name:32} cold {small[name][0]:3} -> {large[name][0]:3}   "
        f"warm {small[name][1]:3} -> {large[name][1]:3}"
        for name in urls
    )
    grown = [name for name in urls if small[name] != large[name]]
    warm_over = [name for name in urls if max(small[name][1], large[name][1]) > MAX_QUERIES]
    cold_over = {name for name in urls if max(small[name][0], large[name][0]) > MAX_QUERIES}
    assert not grown, f"grown with the data: {grown}\n{report}"
    assert not warm_over, f"over {MAX_QUERIES} warm: {warm_over}\n{report}"
    assert cold_over == COLD_OVER_MAX, (
        f"newly over {MAX_QUERIES} cold: {sorted(cold_over - COLD_OVER_MAX)}\n"
        f"within it now (leave COLD_OVER_MAX): {sorted(COLD_OVER_MAX - cold_over)}\n{report}"
    )
