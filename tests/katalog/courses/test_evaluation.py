"""The course evaluation behind the participant's signed evaluation link: one answer per
participant who attended, the error summary for invalid scores in nb and nn, and the text a
participant typed kept on every error."""

import re

import pytest
from django.test import Client

from katalog.courses import links, services
from katalog.courses.models import CourseIndexPage, Evaluation
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

WORDS = {
    "nb": {
        "usefulness": "Hvor nyttig var kurset for deg?",
        "relevance": "Hvor relevant er kurset for arbeidet ditt?",
        "personal": "Ikke skriv navn eller andre personopplysninger i svarene dine.",
        "summary": "Sjekk dette før du sender igjen",
        "invalid": "Velg et tall fra 1 til 5.",
        "relevance_missing": "Velg hvor relevant kurset er for arbeidet ditt, fra 1 til 5.",
        "thanks": "Takk for svaret ditt",
        "already": "Du har allerede svart på kursevalueringen. Takk!",
        "not_stored": "Kursevalueringen ble ikke lagret",
        "not_attended": "Bare deltakere som var til stede, kan evaluere kurset.",
        "invalid_link": "Denne lenken virker ikke",
    },
    "nn": {
        "usefulness": "Kor nyttig var kurset for deg?",
        "relevance": "Kor relevant er kurset for arbeidet ditt?",
        "personal": "Ikkje skriv namn eller andre personopplysningar i svara dine.",
        "summary": "Sjekk dette før du sender på nytt",
        "invalid": "Vel eit tal frå 1 til 5.",
        "relevance_missing": "Vel kor relevant kurset er for arbeidet ditt, frå 1 til 5.",
        "thanks": "Takk for svaret ditt",
        "already": "Du har allereie svart på kursevalueringa. Takk!",
        "not_stored": "Kursevalueringa vart ikkje lagra",
        "not_attended": "Berre deltakarar som var til stades, kan evaluere kurset.",
        "invalid_link": "Denne lenkja verkar ikkje",
    },
}


@pytest.fixture(params=["nb", "nn"])
def language(request, nb, nn):
    return request.param


def course_session(language):
    page = CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale__language_code=language),
        locale=nb_or_nn(language),
        audiences=["leiarar"],
    )
    return CourseSessionFactory(page=page)


def nb_or_nn(language):
    from wagtail.models import Locale

    return Locale.objects.get(language_code=language)


def participant(session, n=1, attended=True, language="nb"):
    enrolment = services.enrol(
        session, name=f"Deltakar {n}", email=f"deltakar{n}@example.no", language=language
    )
    if attended:
        services.mark_attendance(enrolment, True)
    return enrolment


def evaluation_url(enrolment, page=None):
    page = page or enrolment.session.page
    return page.url + page.reverse_subpage(
        "enrolment_evaluation", args=(links.token(enrolment, links.EVALUATION),)
    )


def answers(**extra):
    data = {
        "usefulness": "4",
        "relevance": "5",
        "improvements": "Meir tid til gruppearbeid",
        "comment": "Godt opplegg",
    }
    data.update(extra)
    return data


def summary(text):
    return text.split('class="ds-error-summary"')[1].split("</div>")[0]


def test_the_form_has_two_score_fieldsets_two_optional_texts_and_the_privacy_note(client, language):
    words = WORDS[language]
    enrolment = participant(course_session(language), language=language)
    response = client.get(evaluation_url(enrolment))
    assert response.status_code == 200
    text = response.text
    assert f'<legend class="ds-label">{words["usefulness"]}</legend>' in text
    assert f'<legend class="ds-label">{words["relevance"]}</legend>' in text
    assert text.count('type="radio" name="usefulness"') == 5
    assert text.count('type="radio" name="relevance"') == 5
    assert '<textarea name="improvements"' in text
    assert '<textarea name="comment"' in text
    assert words["personal"] in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_a_valid_answer_is_stored_once_and_the_page_then_thanks(client, language):
    words = WORDS[language]
    enrolment = participant(course_session(language), language=language)
    url = evaluation_url(enrolment)
    response = client.post(url, answers())
    assert response.status_code == 302
    assert response["Location"] == url
    evaluation = Evaluation.objects.get(enrolment=enrolment)
    assert (evaluation.usefulness, evaluation.relevance) == (4, 5)
    assert evaluation.improvements == "Meir tid til gruppearbeid"
    assert evaluation.comment == "Godt opplegg"
    text = client.get(url).text
    assert words["thanks"] in text
    assert "<form" not in text.split("<main")[-1]


def test_the_texts_are_optional(client, nb):
    enrolment = participant(course_session("nb"))
    response = client.post(evaluation_url(enrolment), answers(improvements="", comment=""))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(enrolment=enrolment)
    assert (evaluation.improvements, evaluation.comment) == ("", "")


def test_a_second_answer_is_refused_and_what_was_typed_is_shown_back(client, language):
    words = WORDS[language]
    enrolment = participant(course_session(language), language=language)
    url = evaluation_url(enrolment)
    client.post(url, answers())
    response = client.post(url, answers(usefulness="1", comment="Eit nytt svar"))
    assert response.status_code == 409
    assert words["not_stored"] in response.text
    assert words["already"] in response.text
    assert "Eit nytt svar" in response.text
    (evaluation,) = Evaluation.objects.filter(enrolment=enrolment)
    assert (evaluation.usefulness, evaluation.comment) == (4, "Godt opplegg")


def test_invalid_scores_are_listed_in_the_error_summary_and_the_texts_are_kept(client, language):
    words = WORDS[language]
    enrolment = participant(course_session(language), language=language)
    response = client.post(
        evaluation_url(enrolment), answers(usefulness="7", relevance="", comment="Godt opplegg")
    )
    assert response.status_code == 200
    text = response.text
    assert "<title>Feil:" in text
    listed = summary(text)
    assert words["summary"] in listed
    assert f'<a class="ds-link" href="#id_usefulness_0">{words["invalid"]}</a>' in listed
    assert f'<a class="ds-link" href="#id_relevance_0">{words["relevance_missing"]}</a>' in listed
    assert "Meir tid til gruppearbeid</textarea>" in text
    assert "Godt opplegg</textarea>" in text
    assert not Evaluation.objects.filter(enrolment=enrolment).exists()


@pytest.mark.parametrize("score", ["0", "6", "tre", "4.5"])
def test_a_score_outside_one_to_five_is_refused(client, nb, score):
    enrolment = participant(course_session("nb"))
    response = client.post(evaluation_url(enrolment), answers(relevance=score))
    assert response.status_code == 200
    assert WORDS["nb"]["invalid"] in summary(response.text)
    (kept,) = re.findall(r'<input[^>]*id="id_usefulness_3"[^>]*>', response.text)
    assert "checked" in kept  # the valid score stays chosen
    assert not Evaluation.objects.filter(enrolment=enrolment).exists()


def test_a_participant_who_did_not_attend_is_told_and_nothing_is_stored(client, language):
    words = WORDS[language]
    enrolment = participant(course_session(language), attended=False, language=language)
    url = evaluation_url(enrolment)
    text = client.get(url).text
    assert words["not_attended"] in text
    assert "<form" not in text.split("<main")[-1]
    response = client.post(url, answers())
    assert response.status_code == 409
    assert words["not_attended"] in response.text
    assert "Meir tid til gruppearbeid" in response.text
    assert not Evaluation.objects.filter(enrolment=enrolment).exists()


def test_the_evaluation_link_opens_only_its_own_enrolment_on_its_own_course(client, nb):
    session, other = course_session("nb"), course_session("nb")
    mine, theirs = participant(session, 1), participant(other, 2)
    base = session.page.url + "pamelding/evaluering/"
    token = links.token(mine, links.EVALUATION)
    for value in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        links.manage_token(mine),
        links.token(mine, links.APPROVAL),
        links.token(theirs, links.EVALUATION),  # a real link, of another course
    ):
        response = client.get(base + value + "/")
        assert response.status_code == 404, value
        assert WORDS["nb"]["invalid_link"] in response.text
        assert client.post(base + value + "/", answers()).status_code == 404
    assert not Evaluation.objects.filter(enrolment__in=[mine, theirs]).exists()


def test_an_evaluation_without_csrf_token_is_refused(nb):
    enrolment = participant(course_session("nb"))
    response = Client(enforce_csrf_checks=True).post(evaluation_url(enrolment), answers())
    assert response.status_code == 403
    assert not Evaluation.objects.filter(enrolment=enrolment).exists()
