import pytest
from django.conf import settings
from playwright.sync_api import expect

HEADINGS = {"nb": "For mange forsøk", "nn": "For mange forsøk"}
PAUSED = {
    "nb": "stanset nye forsøk fra nettverket ditt",
    "nn": "stansa nye forsøk frå nettverket ditt",
}


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_wagtail_login_lockout_page_speaks_the_standard_and_has_no_axe_violations(
    page, assert_accessible, language
):
    page.set_extra_http_headers({"Accept-Language": f"{language}-NO,{language};q=0.9"})
    page.goto("/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill('input[name="username"]', "ukjend.tilsett")
        page.fill('input[name="password"]', "feil-passord")
        with page.expect_navigation() as navigation:
            page.locator('form button[type="submit"]').click()

    assert navigation.value.status == 429
    assert page.locator("html").get_attribute("lang") == language
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language])
    expect(page.locator("main")).to_contain_text(PAUSED[language])
    assert_accessible(page)
