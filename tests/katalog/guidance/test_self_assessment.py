import pytest
from django.core import mail

from katalog.guidance.models import GuidanceRequest, SelfAssessmentPage

pytestmark = pytest.mark.django_db

URL = {"nb": "/nb/veiledning/realkompetanse/", "nn": "/nn/rettleiing/realkompetanse/"}


def answers(page, value="3", skip=()):
    form = {}
    for theme_index, theme in enumerate(page.themes):
        for index, _question in enumerate(theme.value["questions"]):
            name = f"q{theme_index}_{index}"
            if name not in skip:
                form[name] = value
    return form


@pytest.fixture
def assessment(nn):
    return SelfAssessmentPage.objects.get(locale=nn)


def test_self_assessment_shows_themes_and_a_scale(client, assessment):
    response = client.get(URL["nn"])
    assert response.status_code == 200
    assert "Digitale ferdigheiter" in response.text
    assert "Eg kan lære opp og rettleie andre." in response.text
    assert response.text.count('type="radio"') == 9 * 4
    assert "Svært godt" in response.text


def test_unanswered_statements_are_listed_in_the_error_summary(client, assessment):
    response = client.post(URL["nn"], answers(assessment, skip={"q1_2"}))
    assert response.status_code == 200
    assert 'href="#id_q1_2_0"' in response.text
    assert "Vel eit svar på denne utsegna." in response.text
    assert '<input type="radio" name="q0_0" value="3" class="ds-input"' in response.text
    assert 'id="id_q0_0_2" required checked>' in response.text


def test_summary_lists_every_answer_and_stores_nothing(client, assessment):
    response = client.post(URL["nn"], answers(assessment, value="4"))
    assert response.status_code == 200
    assert response.templates[0].name == "guidance/self_assessment_summary.html"
    assert response.text.count("Svært godt") == 9
    assert "Eg finn og vurderer informasjon på nettet." in response.text
    assert GuidanceRequest.objects.count() == 0


def test_summary_goes_with_a_request_only_with_consent(
    client, assessment, django_capture_on_commit_callbacks
):
    client.post(URL["nn"], answers(assessment, value="2"))
    form = client.get("/nn/rettleiing/bestill/")
    assert "Send sjølvvurderinga mi saman med bestillinga" in form.text
    data = {
        "name": "Kari",
        "email": "kari@example.no",
        "municipality": "4640",
        "topic": "prior_learning",
        "contact_method": "email",
        "contact_time": "any",
        "consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nn/rettleiing/bestill/", data)
    # Sending a request forgets the summary, so the citizen makes it again for the next one.
    assert "sjølvvurderinga" not in client.get("/nn/rettleiing/bestill/").text
    client.post(URL["nn"], answers(assessment, value="2"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/nn/rettleiing/bestill/", {**data, "send_self_assessment": "on"})
    without, with_consent = GuidanceRequest.objects.order_by("pk")
    assert without.self_assessment == ""
    assert "Arbeid og ansvar" in with_consent.self_assessment
    assert "- Eg kan lære opp og rettleie andre.: Litt" in with_consent.self_assessment
    assert len(mail.outbox) == 4


def test_summary_page_is_printable(client, assessment):
    response = client.post(
        URL["nb"], answers(SelfAssessmentPage.objects.get(locale__language_code="nb"))
    )
    assert 'href="/static/css/guidance.css"' in response.text
    assert 'class="no-print"' in response.text
