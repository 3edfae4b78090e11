import datetime
import io

import pytest
from dateutil.easter import easter
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Site

from katalog.courses.models import CoursePage, CourseSession
from katalog.guidance.models import CentreAccess, CentrePage
from nyheiter.models import NewsPage
from portal.demo import loader
from portal.models import HomePage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db

STAFF_PERMISSIONS = {
    "wagtailadmin.access_admin",
    "guidance.view_guidancerequest",
    "guidance.change_guidancerequest",
}


def run_seed():
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def page_counts():
    return {
        code: Page.objects.filter(locale__language_code=code, depth__gt=1).count()
        for code in ("nb", "nn")
    }


def test_seed_demo_again_changes_nothing():
    before = Page.objects.count()
    revisions = {p.pk: p.latest_revision_id for p in Page.objects.all()}
    sessions = CourseSession.objects.count()
    out, _err = run_seed()
    assert Page.objects.count() == before
    assert {p.pk: p.latest_revision_id for p in Page.objects.all()} == revisions
    assert CourseSession.objects.count() == sessions
    counts = page_counts()
    assert f"Demo content ready: {counts['nb']} pages in bokmål, {counts['nn']} in nynorsk." in out


def test_seed_demo_makes_every_page_of_the_data_in_both_standards():
    counts = page_counts()
    assert counts["nb"] == counts["nn"] == len(loader.read()["pages"])


def test_seed_demo_shows_progress():
    _out, err = run_seed()
    assert "seed_demo: 100%" in err


def test_every_demo_page_is_translated_into_nynorsk_not_aliased(nb, nn):
    nb_pages = Page.objects.filter(locale=nb, depth__gt=1)
    assert nb_pages.count() >= 12
    for page in nb_pages:
        twin = page.get_translation(nn)
        assert twin.alias_of_id is None and twin.live, page
        # Home and centres carry proper names, the same in both standards; so do the forum's
        # page and its yearly plan and report (the glossary's words are the same in both).
        if page.specific_class not in (HomePage, CentrePage):
            assert twin.title != page.title or twin.title in {
                "Kurskatalog",
                "Personvern",
                "Kompetanseforum",
                f"Plan for opplæringstiltak {timezone.localdate().year}",
                f"Resultatrapport {timezone.localdate().year}",
            }


def test_demo_site_is_rooted_at_the_home_page_with_contact_settings(nb):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert site.root_page.locale == nb
    settings = SiteSettings.for_site(site)
    assert settings.email and settings.phone
    assert settings.accessibility_page.slug == "tilgjengelighet"
    assert settings.privacy_page.slug == "personvern"


def test_demo_site_is_at_the_address_make_run_serves(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    run_seed()
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8123"


def test_nynorsk_translations_live_in_wagtail_localize(nn, home):
    from wagtail_localize.models import StringTranslation, Translation

    assert Translation.objects.filter(
        target_locale=nn, source__object_id=home.translation_key
    ).exists()
    assert StringTranslation.objects.filter(locale=nn, data__contains="rettleiing").exists()


def test_centres_close_on_this_years_public_holidays():
    this_year = timezone.localdate().year
    maundy_thursday = easter(this_year) - datetime.timedelta(days=3)
    for centre in CentrePage.objects.all():
        closed = centre.exception_days.filter(opens__isnull=True).values_list("date", flat=True)
        assert {maundy_thursday, datetime.date(this_year, 5, 17)} <= set(closed), centre


def test_demo_dates_are_relative_to_today():
    today = timezone.localdate()
    assert NewsPage.objects.filter(date__gt=today - datetime.timedelta(days=60)).exists()
    assert not NewsPage.objects.filter(date__gt=today).exists()
    assert CourseSession.objects.filter(start__date__gt=today).count() >= 30


def test_every_centre_has_its_staff_group_with_the_inbox_permissions():
    for centre in CentrePage.objects.filter(locale__language_code="nb"):
        group = CentreAccess.group_of(centre)
        assert group.name == f"Senter: {centre.title}"
        permissions = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert permissions == STAFF_PERMISSIONS


def test_demo_slugs_spell_norwegian_letters_in_ascii():
    slugs = set(Page.objects.values_list("slug", flat=True))
    assert "digitale-verktoy-i-undervisningen" in slugs
    assert "grunnopplaering-for-verneombud" in slugs
    assert not [slug for slug in slugs if set(slug) & set("æøåÆØÅ")]
    assert CoursePage.objects.filter(title="Veiledning av nyansatte").exists()


def test_page_saved_with_norwegian_letters_gets_an_ascii_slug(home):
    page = StandardPage(title="Grunnopplæring på Ørsta", slug="grunnopplæring-på-ørsta")
    home.add_child(instance=page)
    assert page.slug == "grunnopplaering-pa-orsta"
    untitled_slug = StandardPage(title="Årsmøte for lærere")
    home.add_child(instance=untitled_slug)
    assert untitled_slug.slug == "arsmote-for-laerere"


def test_editor_adding_a_page_in_the_admin_gets_an_ascii_slug(admin_client, home):
    response = admin_client.post(
        f"/admin/pages/add/portal/standardpage/{home.pk}/",
        {
            "title": "Grunnopplæring for verneombud 2",
            "slug": "grunnopplæring-for-verneombud-2",
            "intro": "",
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    page = StandardPage.objects.get(locale=home.locale, title="Grunnopplæring for verneombud 2")
    assert page.slug == "grunnopplaering-for-verneombud-2"
    assert page.live
