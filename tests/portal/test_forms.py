"""Every public form's error state, through the rendered HTML: one error summary whose links reach
the invalid inputs, and inputs that name their error (and help) text."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from katalog.guidance.models import SelfAssessmentPage

pytestmark = pytest.mark.django_db

HEADING = {
    "request": {"nb": "Sjekk dette før du sender igjen", "nn": "Sjekk dette før du sender på nytt"},
    "catalogue": {
        "nb": "Noen av filtrene kunne ikke brukes",
        "nn": "Nokre av filtera kunne ikkje brukast",
    },
}
REQUEST_FORM = {"nb": "/nb/veiledning/bestill/", "nn": "/nn/rettleiing/bestill/"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.text = ""

    def ancestor(self, tag):
        element = self.parent
        while element and element.tag != tag:
            element = element.parent
        return element


class Page(HTMLParser):
    """The elements of a page, each knowing its parent."""

    def __init__(self, html):
        super().__init__()
        self.elements, self.open = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.open[-1] if self.open else None)
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open and self.open.pop().tag != tag:
            pass

    def handle_data(self, data):
        for element in self.open:
            element.text += data

    def by_id(self, id_):
        return next(e for e in self.elements if e.attrs.get("id") == id_)

    def summary(self):
        return next(e for e in self.elements if e.attrs.get("class") == "ds-error-summary")

    def summary_links(self):
        summary = self.summary()
        return [
            e.attrs["href"].removeprefix("#")
            for e in self.elements
            if e.tag == "a" and e.ancestor("div") is summary
        ]


def assert_accessible_errors(html, heading):
    page = Page(html)
    ids = Counter(e.attrs["id"] for e in page.elements if "id" in e.attrs)
    assert [id_ for id_, count in ids.items() if count > 1] == []
    for element in page.elements:
        for id_ in element.attrs.get("aria-describedby", "").split():
            assert id_ in ids, f"{element.tag} is described by the missing {id_}"

    assert page.summary().text.strip().startswith(heading)
    links = page.summary_links()
    assert links
    for target in links:
        field = page.by_id(target)
        assert field.tag in ("input", "select", "textarea")
        assert field.attrs.get("aria-invalid") == "true"
        # A radio group is described as a whole, by its fieldset.
        described = field.ancestor("fieldset") if field.attrs.get("type") == "radio" else field
        error_id = f"{field.attrs['id'].removesuffix('_0')}_error"
        assert error_id in described.attrs["aria-describedby"].split()
        assert "ds-validation-message" in page.by_id(error_id).attrs["class"]
    return page


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_request_form_errors_link_to_inputs_that_name_their_error(client, language):
    empty = client.get(REQUEST_FORM[language])
    assert "aria-invalid" not in empty.text
    assert "ds-error-summary" not in empty.text
    names = {
        e.attrs["name"]
        for e in Page(empty.text).elements
        if e.tag in ("input", "select", "textarea") and e.attrs.get("type") != "hidden"
    }

    response = client.post(REQUEST_FORM[language], dict.fromkeys(names, ""))

    assert response.status_code == 200
    page = assert_accessible_errors(response.text, HEADING["request"][language])
    errors = response.context["form"].errors
    assert len(page.summary_links()) == len(errors)
    assert "id_topic_0" in page.summary_links()
    assert page.by_id("id_email").attrs["aria-describedby"] == "id_email_helptext id_email_error"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_filter_errors_link_to_inputs_that_name_their_error(client, language):
    response = client.get(f"/{language}/kurs/", {"from": "bad-date", "municipality": "9999"})

    assert response.status_code == 200
    page = assert_accessible_errors(response.text, HEADING["catalogue"][language])
    assert sorted(page.summary_links()) == ["id_from", "id_municipality"]
    assert page.by_id("id_from").attrs["value"] == "bad-date"
    assert "aria-invalid" not in page.by_id("id_to").attrs


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_self_assessment_errors_link_to_the_first_radio_of_each_statement(client, language):
    url = SelfAssessmentPage.objects.get(locale__language_code=language).url

    response = client.post(url, {})

    assert response.status_code == 200
    page = assert_accessible_errors(response.text, HEADING["request"][language])
    assert page.summary_links()[0] == "id_q0_0_0"
    assert all(re.fullmatch(r"id_q\d+_\d+_0", link) for link in page.summary_links())
