"""Every admin URL, walked as an organiser of another provider, shows none of a participant's
personal data; object URLs of another provider's participant are refused.

The URLs come from the resolver (tests/admin_walk.py), as for the guidance inbox, so a view that
Wagtail or an app adds later is walked too. Each URL argument is filled with provider B's
enrolment (or its course page), so object views are asked for exactly what A must not see.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import log

from katalog.courses import services
from katalog.courses.models import EnrolmentLogEntry
from tests.admin_walk import admin_paths, response_text
from tests.katalog.courses.organisers import organiser, provider_course

pytestmark = pytest.mark.django_db


def refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404)


# Values nobody else in the database has, so finding one in a response can only be a leak.
PERSONAL = {
    "name": "Lekkasjetest Deltakarsen",
    "email": "lekkasje.deltakarsen@example.no",
    "phone": "+47 918 27 365",
    "job_title": "Hemmeleg stillingstittel",
    "manager_email": "leiar.deltakarsen@example.no",
    "special_needs": "Hemmeleg tilretteleggingsbehov",
    "employer_other": "Særskild Arbeidsgivar AS",
}
COMMENT = "Kommentar berre tilbydar B skal sjå"


@pytest.fixture
def other_providers_participant(django_user_model, nb):
    """A participant of provider B who attended and evaluated, handled by B's organiser."""
    group, page, (session,) = provider_course("Tilbydar B", nb)
    enrolment = services.enrol(session, language="nb", **PERSONAL)
    services.mark_attendance(enrolment, True)
    services.submit_evaluation(enrolment, usefulness=5, relevance=5, comment=COMMENT)
    organiser_b = organiser(django_user_model, group, "arrangor_b")
    log(enrolment, "courses.enrolment.attended", user=organiser_b)
    log(enrolment, "wagtail.edit", user=organiser_b)
    return enrolment


@pytest.fixture
def organiser_a(django_user_model, nb):
    group, page, (session,) = provider_course("Tilbydar A", nb)
    own = services.enrol(
        session, name="Eigen Deltakar A", email="eigen.a@example.no", language="nb"
    )
    user = organiser(django_user_model, group, "arrangor_a")
    log(own, "courses.enrolment.attended", user=user)
    user.own_enrolment = own
    return user


def test_no_admin_url_shows_another_providers_participant(
    client, organiser_a, other_providers_participant
):
    client.force_login(organiser_a)
    client.raise_request_exception = False
    page = other_providers_participant.session.page
    walked, leaks = 0, []
    personal = {**PERSONAL, "comment": COMMENT}
    for path in admin_paths(other_providers_participant, page):
        response = client.get(path)
        walked += 1
        variants = [(path, response, personal)]
        if response.status_code == 200:
            # A search echoes its own query, so the searched email is not looked for there.
            searched = {k: v for k, v in personal.items() if k != "email"}
            csv = client.get(path, {"export": "csv"})
            variants += [
                (f"{path}?q=", client.get(path, {"q": PERSONAL["email"]}), searched),
                (f"{path}?export=csv", csv, personal),
            ]
            if csv.streaming:
                variants.append(
                    (f"{path}?export=xlsx", client.get(path, {"export": "xlsx"}), personal)
                )
        for where, answer, values in variants:
            text = response_text(answer)
            leaks += [(where, field) for field, value in values.items() if value in text]
    assert walked > 200, "the resolver should give every admin URL"
    assert leaks == []


@pytest.mark.parametrize(
    "url_name", ["inspect", "edit", "history", "usage", "delete", "history_results"]
)
def test_another_providers_participant_is_refused(
    client, organiser_a, other_providers_participant, url_name
):
    client.force_login(organiser_a)
    response = client.get(
        reverse(f"participants:{url_name}", args=[other_providers_participant.pk])
    )
    assert refused(response)


def test_own_participant_is_shown(client, organiser_a):
    client.force_login(organiser_a)
    response = client.get(reverse("participants:inspect", args=[organiser_a.own_enrolment.pk]))
    assert response.status_code == 200
    assert "eigen.a@example.no" in response.text


@pytest.mark.parametrize("action", ["attended", "no_show", "cancel", "promote", "move"])
def test_actions_on_another_providers_participant_are_refused_and_change_nothing(
    client, organiser_a, other_providers_participant, action
):
    client.force_login(organiser_a)
    response = client.post(
        reverse("participants:action", args=[other_providers_participant.pk, action])
    )
    assert refused(response)
    other_providers_participant.refresh_from_db()
    assert other_providers_participant.state == "attended"


@pytest.mark.parametrize("action", ["attendance", "cancel"])
def test_another_providers_session_is_refused(
    client, organiser_a, other_providers_participant, action
):
    client.force_login(organiser_a)
    session = other_providers_participant.session
    assert refused(client.get(reverse("participants:session", args=[session.pk])))
    response = client.post(reverse("participants:session_action", args=[session.pk, action]))
    assert refused(response)
    session.refresh_from_db()
    assert session.status == "open"


def test_reports_count_only_the_users_own_providers(
    client, organiser_a, other_providers_participant
):
    client.force_login(organiser_a)
    invoice = client.get(reverse("participants:invoice_basis"))
    assert invoice.context["total"] == 500  # A's one confirmed participant, not B's
    evaluations = client.get(reverse("participants:evaluations"))
    assert evaluations.context["courses"] == []


def test_site_history_lists_only_the_users_own_participants(
    client, organiser_a, other_providers_participant
):
    client.force_login(organiser_a)
    response = client.get("/admin/reports/site-history/")
    assert str(organiser_a.own_enrolment) in response.text
    assert str(other_providers_participant) not in response.text


def test_enrolment_titles_and_log_labels_hold_no_personal_data(other_providers_participant):
    with translation.override("en"):
        title = str(other_providers_participant)
    assert title == (
        f"Enrolment {other_providers_participant.pk} – "
        f"{other_providers_participant.session.page.title}"
    )
    labels = " ".join(
        EnrolmentLogEntry.objects.filter(object_id=str(other_providers_participant.pk)).values_list(
            "label", flat=True
        )
    )
    assert labels
    assert not any(value in labels for value in PERSONAL.values())
