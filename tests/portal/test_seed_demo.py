import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from katalog.guidance.models import CentrePage
from portal.models import HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def run_seed():
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seed_demo_again_changes_nothing():
    before = Page.objects.count()
    revisions = {p.pk: p.latest_revision_id for p in Page.objects.all()}
    out, _err = run_seed()
    assert Page.objects.count() == before
    assert {p.pk: p.latest_revision_id for p in Page.objects.all()} == revisions
    assert "Demo content ready" in out


def test_seed_demo_shows_progress():
    _out, err = run_seed()
    assert "seed_demo: 100%" in err


def test_every_demo_page_is_translated_into_nynorsk_not_aliased(nb, nn):
    nb_pages = Page.objects.filter(locale=nb, depth__gt=1)
    assert nb_pages.count() >= 12
    for page in nb_pages:
        twin = page.get_translation(nn)
        assert twin.alias_of_id is None and twin.live, page
        # Home and centres carry proper names, the same in both standards.
        if page.specific_class not in (HomePage, CentrePage):
            assert twin.title != page.title or twin.title in {"Kurskatalog", "Personvern"}


def test_demo_site_is_rooted_at_the_home_page_with_contact_settings(nb):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert site.root_page.locale == nb
    settings = SiteSettings.for_site(site)
    assert settings.email and settings.phone
    assert settings.accessibility_page.slug == "tilgjengelighet"
    assert settings.privacy_page.slug == "personvern"


def test_nynorsk_translations_live_in_wagtail_localize(nn, home):
    from wagtail_localize.models import StringTranslation, Translation

    assert Translation.objects.filter(
        target_locale=nn, source__object_id=home.translation_key
    ).exists()
    assert StringTranslation.objects.filter(locale=nn, data__contains="rettleiing").exists()
