"""An editor opens a bokmål news page's nynorsk translation in the localize editor (a React
app), translates it with Apertium in one click, sees the strings marked as machine translated,
publishes, and the nynorsk page shows the machine's nynorsk (axe on the public page)."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail_localize.models import StringTranslation

from nyheiter.models import NewsPage
from tests.portal.test_apertium import needs_apertium

pytestmark = needs_apertium
PASSWORD = "Maskin-og-menneske-2026"
INTRO = "Kurset for nye leiarar i kommunane går over tre samlingar i Bergen og på nett."


def test_editor_translates_a_page_with_apertium_and_publishes_it(page, assert_accessible):
    get_user_model().objects.create_superuser("redaktor", "redaktor@example.no", PASSWORD)
    source = NewsPage.objects.get(locale__language_code="nb", slug="lederkurs-var")
    twin = NewsPage.objects.get(translation_key=source.translation_key, locale__language_code="nn")
    # As if nobody had translated the page yet.
    StringTranslation.objects.filter(
        context__object_id=source.translation_key, locale=twin.locale
    ).delete()

    page.goto("/admin/login/")
    page.fill('input[name="username"]', "redaktor")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"/admin/pages/{twin.id}/edit/")
    translate = page.get_by_role("button", name="Translate with Apertium")
    expect(translate).to_be_enabled()
    translate.click()

    expect(page.get_by_text("Successfully translated with Apertium.")).to_be_visible()
    expect(page.get_by_text(INTRO)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Translated with Apertium on")).first).to_be_visible()
    # Nothing is left for the machine: its button waits for missing strings.
    expect(page.get_by_role("button", name="Translate with Apertium")).to_be_disabled()

    page.get_by_role("button", name=re.compile(r"Publish in")).click()
    expect(
        page.get_by_text(re.compile(r"Successfully published|published", re.I)).first
    ).to_be_visible()

    twin.refresh_from_db()
    assert twin.live
    page.goto(twin.url)
    expect(page.locator("html")).to_have_attribute("lang", "nn")
    expect(page.get_by_role("heading", level=1)).to_have_text(twin.title)
    expect(page.get_by_text(INTRO)).to_be_visible()
    assert_accessible(page)
