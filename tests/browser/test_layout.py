"""Every page type reflows at 320 CSS px (WCAG 1.4.10) and shows where keyboard focus is (2.4.7)."""

import pytest

PAGES = {
    "nb": [
        "/nb/",
        "/nb/nyheter/",
        "/nb/nyheter/e-laering-klart-sprak/",
        "/nb/e-laeringsressurser/",
        "/nb/veiledning/",
        "/nb/veiledning/?municipality=4601",
        "/nb/veiledning/karriere-og-studiesenteret-sogn/",
        "/nb/veiledning/bestill/",
        "/nb/veiledning/realkompetanse/",
        "/nb/veiledning/desentralisert-utdanning/",
        "/nb/kurs/",
        "/nb/kurs/?municipality=4601&available=1",
        "/nb/kurs/arbeidsmiljo-og-sykefravaer/",
        "/nb/handbok/",
        "/nb/handbok/effektkjeden/",
        "/nb/handbok/skriv-ut/",
        "/nb/finnes-ikke/",
    ],
    "nn": [
        "/nn/",
        "/nn/nyheiter/",
        "/nn/nyheiter/e-laering-klart-sprak/",
        "/nn/e-laeringsressursar/",
        "/nn/rettleiing/",
        "/nn/rettleiing/?municipality=4601",
        "/nn/rettleiing/karriere-og-studiesenteret-sogn/",
        "/nn/rettleiing/bestill/",
        "/nn/rettleiing/realkompetanse/",
        "/nn/rettleiing/desentralisert-utdanning/",
        "/nn/kurs/",
        "/nn/kurs/?municipality=4601&available=1",
        "/nn/kurs/arbeidsmiljo-og-sjukefravaer/",
        "/nn/handbok/",
        "/nn/handbok/effektkjeda/",
        "/nn/finst-ikkje/",
    ],
}
MISSING = ("/finnes-ikke/", "/finst-ikkje/")
TABS = 12

# An outline that is drawn, or a focus ring as box-shadow; Designsystemet rings a radio's or a
# checkbox's whole field, label and all, rather than the small input.
FOCUS = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const ring = element.matches("[type=radio], [type=checkbox]")
        ? element.closest(".ds-field") || element
        : element;
    const style = getComputedStyle(ring);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        element: element.outerHTML.slice(0, 120),
        visible: outline || style.boxShadow !== "none",
    };
}"""


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_page_type_reflows_at_320_px_and_shows_keyboard_focus(browser, site, language):
    context = browser.new_context(base_url=site.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in PAGES[language]:
        response = page.goto(path)
        assert response.status == (404 if path.endswith(MISSING) else 200)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide at 320"

        focused = []
        for _ in range(TABS):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS)
            if focus is None:
                break
            focused.append(focus)
        assert focused, f"Tab reaches nothing on {path}"
        hidden = [focus["element"] for focus in focused if not focus["visible"]]
        assert hidden == [], f"No visible focus on {path}: {hidden}"
    context.close()
