import pytest
from django.conf import settings

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
    assert page.get_by_role("heading", level=1).inner_text() == HEADINGS[language]
    assert PAUSED[language] in page.locator("main").inner_text()
    assert_accessible(page)
