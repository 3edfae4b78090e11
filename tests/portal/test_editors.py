"""Who edits what in the admin: the network's editors, a centre's editors, course organisers.

The groups, their page permissions and the workflow are the demo's data (portal/demo/editors.toml),
so these tests read the seeded database as `make run` builds it. Each "may not" is walked over
every admin URL the resolver knows (tests/admin_walk.py), filled with the other centre's page and
news, with GET and with POST: no answer may show a draft of them, and nothing may change them.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Revision

from handbook.models import ChapterPage, HandbookPage
from katalog.courses.models import CourseIndexPage, CoursePage
from katalog.guidance.models import CentrePage
from nyheiter.models import NewsIndexPage, NewsPage
from portal.models import SiteSettings
from tests.admin_walk import admin_paths, response_text

pytestmark = pytest.mark.django_db

NETWORK = "Nettverksredaktørar"
WORKFLOW = "Godkjenning av nyheiter, handbok og kurs"
# In drafts only: a response that shows one has opened the draft, which is the editor's view.
DRAFT = "Hemmeleg utkast 7f3a"
# Server errors of Wagtail's own that no permission decides: its deliberate test error, and the
# external link chooser posted without a URL.
WAGTAIL_ERRORS = {"/admin/failwhale/", "/admin/choose-external-link/"}


def member(django_user_model, group, username):
    user = django_user_model.objects.create_user(username, f"{username}@example.no", "pw")
    user.groups.add(Group.objects.get(name=group))
    return user


def centre(slug):
    return CentrePage.objects.get(locale__language_code="nb", slug=slug)


@pytest.fixture
def voss():
    return centre("opus-voss")


@pytest.fixture
def sunnhordland():
    return centre("studiesenteret-sunnhordland")


@pytest.fixture
def voss_editor(django_user_model):
    return member(django_user_model, "Redaktør: OPUS Voss", "voss-redaktor")


@pytest.fixture
def network_editor(django_user_model):
    return member(django_user_model, NETWORK, "nettverk")


@pytest.fixture
def organiser(django_user_model):
    return member(django_user_model, "Kursarrangør: Vestland fylkeskommune", "arrangor")


def add_news(index, title, publisher=None):
    page = NewsPage(title=title, slug=title.lower().replace(" ", "-"), publisher=publisher)
    index.add_child(instance=page)
    page.save_revision().publish()
    return NewsPage.objects.get(pk=page.pk)


def with_draft(page):
    """page with a draft revision whose intro is DRAFT (the live version does not have it)."""
    page.intro = DRAFT
    page.save_revision()
    return page


def news_form(title, publisher, **extra):
    return {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "intro": "",
        "date": "2026-12-03",
        "publisher": publisher.pk if publisher else "",
        "tags": "",
        "body-count": "0",
        **extra,
    }


def can_open(client, page):
    return client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def state(pages):
    """What an editor's action could change on each page."""
    return {
        page.pk: (
            row.live,
            row.path,
            row.locked,
            row.latest_revision_id,
            Revision.objects.filter(object_id=str(page.pk)).count(),
            Page.objects.filter(path__startswith=row.path).count(),
        )
        for page in pages
        for row in [Page.objects.get(pk=page.pk)]
    }


# The network's editors


def test_the_network_editors_edit_every_page_of_both_standards_and_approve(network_editor, nn):
    handbook = HandbookPage.objects.get(locale__language_code="nb")
    chapter = ChapterPage.objects.child_of(handbook).first()
    group = Group.objects.get(name=NETWORK)
    assert group.permissions.filter(codename="submit_translation").exists()
    assert group.permissions.filter(codename="change_sitesettings").exists()
    codenames = set(
        group.page_permissions.filter(page__depth=1).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page"} <= codenames
    assert set(group.collection_permissions.values_list("permission__codename", flat=True)) >= {
        "add_image",
        "change_image",
        "add_document",
        "change_document",
    }

    for page in [chapter, chapter.get_translation(nn), centre("opus-voss")]:
        perms = page.permissions_for_user(network_editor)
        assert perms.can_edit() and perms.can_publish()
    task = chapter.get_workflow().tasks.get().specific
    assert list(task.groups.all()) == [group]


def test_the_news_handbook_and_catalogue_of_both_standards_go_through_the_workflow(nb, nn):
    for model in (NewsIndexPage, HandbookPage, CourseIndexPage):
        for locale in (nb, nn):
            index = model.objects.get(locale=locale)
            child = index.get_children().first()
            assert child.get_workflow().name == WORKFLOW, (model, locale)
    assert Page.get_first_root_node().get_workflow().name != WORKFLOW


# A centre's editors


def test_a_centre_editor_edits_their_centre_page_in_both_standards(
    client, voss_editor, voss, sunnhordland, nn
):
    client.force_login(voss_editor)
    assert can_open(client, voss)
    assert voss.permissions_for_user(voss_editor).can_publish()
    twin = voss.get_translation(nn)
    assert twin.permissions_for_user(voss_editor).can_edit()
    # The nynorsk twin opens in wagtail-localize's translation editor.
    assert client.get(f"/admin/pages/{twin.pk}/edit/").status_code == 200
    assert not can_open(client, sunnhordland)
    assert not can_open(client, sunnhordland.get_translation(nn))


def test_a_centre_editors_news_waits_for_a_network_editor_and_then_goes_live(
    client, voss_editor, network_editor, voss, news_index
):
    client.force_login(voss_editor)
    add = f"/admin/pages/add/nyheiter/newspage/{news_index.pk}/"
    form = client.get(add)
    assert form.status_code == 200
    # Only their own centre is offered, in the article's written standard, and no "network".
    choices = form.context["form"].fields["publisher"].queryset
    assert list(choices) == [voss]

    response = client.post(add, news_form("Open dag på OPUS Voss", voss, **{"action-submit": "1"}))
    assert response.status_code == 302, response.context and response.context["form"].errors
    article = NewsPage.objects.get(slug="open-dag-pa-opus-voss", locale=news_index.locale)
    assert article.publisher == voss
    assert not article.live
    assert article.workflow_in_progress
    assert article.current_workflow_state.workflow.name == WORKFLOW
    assert not article.permissions_for_user(voss_editor).can_publish()
    assert client.get(f"/nb/nyheter/{article.slug}/").status_code == 404

    client.force_login(network_editor)
    task_state = article.current_workflow_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live
    assert not article.workflow_in_progress
    client.logout()
    assert client.get(f"/nb/nyheter/{article.slug}/").status_code == 200


def test_a_centre_editor_cannot_publish_in_another_centres_name_or_the_networks(
    client, voss_editor, sunnhordland, news_index
):
    client.force_login(voss_editor)
    add = f"/admin/pages/add/nyheiter/newspage/{news_index.pk}/"
    before = NewsPage.objects.count()
    for publisher in (sunnhordland, None):
        response = client.post(
            add, news_form("Falsk avsendar", publisher, **{"action-submit": "1"})
        )
        assert response.status_code == 200
        assert response.context["form"].errors["publisher"]
    assert NewsPage.objects.count() == before


def test_a_centre_editor_edits_a_colleagues_news_of_their_centre_and_no_other(
    client, django_user_model, voss_editor, voss, sunnhordland, news_index
):
    colleague = member(django_user_model, "Redaktør: OPUS Voss", "kollega")
    ours = add_news(news_index, "Vossanytt", publisher=voss)
    ours.owner = colleague
    ours.save()
    theirs = add_news(news_index, "Stordnytt", publisher=sunnhordland)
    networks = add_news(news_index, "Nettverksnytt")
    # Written by the Voss editor, but in another centre's name (a network editor changed it).
    moved = add_news(news_index, "Flytta nytt", publisher=sunnhordland)
    moved.owner = voss_editor
    moved.save()

    client.force_login(voss_editor)
    assert can_open(client, ours)
    for page in (theirs, networks, moved):
        assert not can_open(client, page), page.title
        assert not page.permissions_for_user(voss_editor).can_delete()


@pytest.mark.parametrize("editor", ["voss_editor", "organiser"])
def test_no_admin_url_lets_an_editor_into_another_centres_pages_or_the_handbook(
    client, request, editor, sunnhordland, news_index, nn
):
    """A centre's editor and a course organiser alike, on another centre's page in both
    standards, its news and a handbook chapter."""
    theirs = add_news(news_index, "Stordnytt", publisher=sunnhordland)
    handbook = HandbookPage.objects.get(locale__language_code="nb")
    chapter = ChapterPage.objects.child_of(handbook).first()
    targets = [
        with_draft(NewsPage.objects.get(pk=theirs.pk)),
        with_draft(centre("studiesenteret-sunnhordland")),
        with_draft(CentrePage.objects.get(pk=sunnhordland.get_translation(nn).pk)),
        with_draft(ChapterPage.objects.get(pk=chapter.pk)),
    ]
    before = state(targets)
    client.force_login(request.getfixturevalue(editor))
    client.raise_request_exception = False
    walked, leaks, errors = 0, [], []
    for target in targets:
        for path in admin_paths(target, target):
            for response in (client.get(path), client.post(path, {})):
                walked += 1
                if response.status_code >= 500 and path not in WAGTAIL_ERRORS:
                    errors.append((path, response.status_code))
                elif DRAFT in response_text(response):
                    leaks.append((path, response.request["REQUEST_METHOD"]))
    assert walked > 4 * 2 * 300
    assert not errors
    assert not leaks
    assert state(targets) == before


def test_the_walk_finds_a_draft_the_editor_may_open(client, voss_editor, voss):
    """The control for the walk above: on their own centre's page the draft is found."""
    target = with_draft(CentrePage.objects.get(pk=voss.pk))
    client.force_login(voss_editor)
    found = [
        path
        for path in admin_paths(target, target)
        if "/edit/" in path and DRAFT in response_text(client.get(path))
    ]
    assert f"/admin/pages/{voss.pk}/edit/" in found


# Course organisers


def test_course_organisers_edit_courses_through_the_workflow_but_no_news_or_handbook(
    client, organiser, news_index, nb
):
    course = CoursePage.objects.filter(locale=nb).first()
    index = CourseIndexPage.objects.get(locale=nb)
    client.force_login(organiser)
    assert can_open(client, course)
    assert client.get(f"/admin/pages/add/courses/coursepage/{index.pk}/").status_code == 200
    assert not course.permissions_for_user(organiser).can_publish()
    assert course.get_workflow().name == WORKFLOW

    news = NewsPage.objects.filter(locale=nb).first()
    chapter = ChapterPage.objects.filter(locale=nb).first()
    for page in (news, chapter, centre("opus-voss")):
        assert not can_open(client, page)
    add_news_url = f"/admin/pages/add/nyheiter/newspage/{news_index.pk}/"
    assert client.get(add_news_url).status_code in (302, 403)


# The admin's time zone


def test_the_admin_shows_scheduled_publishing_in_oslo_time(admin_client, news_index):
    article = NewsPage.objects.child_of(news_index).first()
    article.go_live_at = datetime.datetime(2027, 1, 15, 9, 0, tzinfo=datetime.UTC)
    article.save_revision()
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").text
    assert "2027-01-15 10:00" in html  # 09:00 UTC is 10:00 in Oslo in winter
    assert "2027-01-15 09:00" not in html
    # With one time zone allowed, Wagtail offers no choice of another in the account settings.
    account = admin_client.get("/admin/account/").text
    assert "current_time_zone" not in account
    assert "Europe/London" not in account
    assert timezone.get_current_timezone_name() == "Europe/Oslo"


# The footer


@pytest.mark.parametrize(
    ("language", "label", "privacy"),
    [
        ("nb", "Tilgjengelighetserklæring", "/nb/personvern/"),
        ("nn", "Tilgjengelegheitserklæring", "/nn/personvern/"),
    ],
)
def test_the_footer_links_the_statement_on_uustatus_and_the_privacy_page(
    client, language, label, privacy
):
    statement = SiteSettings.objects.get().accessibility_statement_url
    assert statement.startswith("https://uustatus.no/nb/erklaringer/publisert/")
    html = client.get(f"/{language}/").text
    assert f'href="{statement}">{label}</a>' in html
    assert f'href="{privacy}">Personvern</a>' in html


def test_without_a_statement_address_the_footer_links_the_accessibility_page(client):
    SiteSettings.objects.update(accessibility_statement_url="")
    html = client.get("/nn/").text
    assert 'href="/nn/tilgjengelegheit/">Tilgjengelegheitserklæring</a>' in html


@pytest.mark.parametrize(
    ("path", "texts"),
    [
        (
            "/nb/personvern/",
            [
                "90 dager etter at saken er avsluttet",
                "180 dager",
                "i 7 dager",
                "lagres i 1 time",
                "8 timer",
                "bekreftet, sletter vi etter 3 dager",
            ],
        ),
        (
            "/nn/personvern/",
            [
                "90 dagar etter at saka er avslutta",
                "180 dagar",
                "i 7 dagar",
                "lagra i 1 time",
                "8 timar",
                "stadfesta, slettar vi etter 3 dagar",
            ],
        ),
    ],
)
def test_the_privacy_page_states_every_retention_period(client, settings, path, texts):
    assert settings.GUIDANCE_REQUEST_RETENTION_DAYS == 90
    assert settings.GUIDANCE_REQUEST_OPEN_DAYS == 180
    assert settings.TASK_RESULT_RETENTION_DAYS == 7
    assert settings.AXES_COOLOFF_TIME == 1
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert getattr(settings, "NEWSLETTER_PENDING_DAYS", 3) == 3
    html = client.get(path).text
    for text in texts:
        assert text in html
