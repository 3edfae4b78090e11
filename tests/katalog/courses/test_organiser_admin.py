"""The organisers' admin: participants, their actions through the services, and the reports."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.users.models import UserProfile

from katalog.courses import services
from katalog.courses.models import Enrolment, EnrolmentLogEntry, EnrolmentState, SessionStatus
from katalog.places.models import Municipality
from tests.factories import CourseSessionFactory
from tests.katalog.courses.organisers import organiser, provider_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_a(nb):
    return provider_course("Tilbydar A", nb, price=1200, sessions=2, capacity=2)


@pytest.fixture
def user_a(django_user_model, course_a):
    return organiser(django_user_model, course_a[0], "arrangor_a")


@pytest.fixture
def client_a(client, user_a):
    client.force_login(user_a)
    return client


def enrol(session, name, **fields):
    email = fields.pop("email", f"{name.lower().replace(' ', '.')}@example.no")
    return services.enrol(session, name=name, email=email, language="nb", **fields)


def action(client, enrolment, name, **data):
    return client.post(reverse("participants:action", args=[enrolment.pk, name]), data, follow=True)


def test_listing_shows_the_organisers_own_participant(client_a, course_a):
    enrol(course_a[2][0], "Eigen Deltakar")
    response = client_a.get(reverse("participants:index"))
    assert response.status_code == 200
    assert "Eigen Deltakar" in response.text


def test_listing_filters_by_session(client_a, course_a):
    first, second = course_a[2]
    enrol(first, "Fyrste Økt")
    enrol(second, "Andre Økt")
    response = client_a.get(reverse("participants:index"), {"session": second.pk})
    assert "Andre Økt" in response.text
    assert "Fyrste Økt" not in response.text


def test_listing_searches_by_email(client_a, course_a):
    enrol(course_a[2][0], "Kari Søk", email="kari.sok@example.no")
    enrol(course_a[2][0], "Ola Annan")
    response = client_a.get(reverse("participants:index"), {"q": "kari.sok"})
    assert "Kari Søk" in response.text
    assert "Ola Annan" not in response.text


def test_edit_url_offers_no_free_edit_of_the_state(client_a, course_a):
    enrolment = enrol(course_a[2][0], "Fri Redigering")
    response = client_a.post(
        reverse("participants:edit", args=[enrolment.pk]), {"state": "cancelled"}
    )
    assert response.status_code == 302
    assert response.url == reverse("participants:inspect", args=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.CONFIRMED


def test_marking_attended_and_no_show_goes_through_the_service_and_is_logged(client_a, course_a):
    enrolment = enrol(course_a[2][0], "Møtte Opp")
    action(client_a, enrolment, "attended")
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.ATTENDED
    action(client_a, enrolment, "no_show")
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.NO_SHOW
    actions = set(
        EnrolmentLogEntry.objects.filter(object_id=str(enrolment.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"courses.enrolment.attended", "courses.enrolment.no_show"} <= actions


def test_a_refused_action_shows_the_services_message(client_a, course_a):
    enrolment = enrol(course_a[2][0], "Avmeld Først")
    services.cancel(enrolment)
    response = action(client_a, enrolment, "attended")
    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.CANCELLED
    # The service's own words, in the admin's language.
    assert "En påmelding med status «avmeldt» kan ikke få status «møtte»." in response.text


def test_whole_session_attendance_is_saved_at_once(client_a, course_a):
    session = course_a[2][0]
    came, stayed_away = enrol(session, "Kom Ho"), enrol(session, "Kom Ikkje")
    response = client_a.post(
        reverse("participants:session_action", args=[session.pk, "attendance"]),
        {f"attended_{came.pk}": "on"},
    )
    assert response.status_code == 302
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert came.state == EnrolmentState.ATTENDED
    assert stayed_away.state == EnrolmentState.NO_SHOW


def test_moving_a_participant_to_another_session_of_the_course(client_a, course_a):
    first, second = course_a[2]
    enrolment = enrol(first, "Flytt Meg")
    page = client_a.get(reverse("participants:inspect", args=[enrolment.pk]))
    assert f'value="{second.pk}"' in page.text
    action(client_a, enrolment, "move", session=second.pk)
    enrolment.refresh_from_db()
    assert enrolment.session_id == second.pk


def test_moving_into_a_session_of_another_course_is_refused(client_a, course_a, nb):
    other_course_session = CourseSessionFactory(
        page=provider_course("Tilbydar C", nb)[1], capacity=5
    )
    enrolment = enrol(course_a[2][0], "Blir Verande")
    action(client_a, enrolment, "move", session=other_course_session.pk)
    enrolment.refresh_from_db()
    assert enrolment.session_id == course_a[2][0].pk


def test_promoting_into_a_full_session_is_refused_with_the_services_message(client_a, course_a):
    session = course_a[2][0]
    enrol(session, "Plass Ein")
    enrol(session, "Plass To")
    waiting = enrol(session, "Ventar Tre")
    response = action(client_a, waiting, "promote")
    waiting.refresh_from_db()
    assert waiting.state == EnrolmentState.WAITING
    assert "Kursgjennomføringen har ingen ledige plasser." in response.text


def test_promote_action_gives_the_waiting_participant_the_free_seat(client_a, course_a):
    session = course_a[2][0]
    enrol(session, "Plass Ein")
    enrol(session, "Plass To")
    waiting = enrol(session, "Ventar Tre")
    # Raise the capacity behind the services' back, as if a seat were free before the queue
    # moved: the organiser picks who gets it.
    type(session).objects.filter(pk=session.pk).update(capacity=3)
    action(client_a, waiting, "promote")
    waiting.refresh_from_db()
    assert waiting.state == EnrolmentState.CONFIRMED


def test_cancelling_one_enrolment_gives_the_seat_to_the_first_waiting(client_a, course_a):
    session = course_a[2][0]
    seated = enrol(session, "Seat Ein")
    enrol(session, "Seat To")
    waiting = enrol(session, "Ventar Tre")
    action(client_a, seated, "cancel")
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.state == EnrolmentState.CANCELLED
    assert waiting.state == EnrolmentState.CONFIRMED


def test_cancelling_a_session_tells_everyone(
    client_a, course_a, django_capture_on_commit_callbacks
):
    session = course_a[2][0]
    people = [enrol(session, name) for name in ("Alle Ein", "Alle To", "Alle Tre")]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("participants:session_action", args=[session.pk, "cancel"]), follow=True
        )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(
        state == EnrolmentState.CANCELLED
        for state in Enrolment.objects.filter(session=session).values_list("state", flat=True)
    )


def test_cancelling_a_cancelled_session_again_shows_the_services_message(client_a, course_a):
    session = course_a[2][0]
    services.cancel_session(session)
    response = client_a.post(
        reverse("participants:session_action", args=[session.pk, "cancel"]), follow=True
    )
    assert "Kursgjennomføringen er avlyst." in response.text


def test_export_never_starts_a_cell_with_a_formula(client_a, course_a):
    enrol(course_a[2][0], '=HYPERLINK("http://evil.example","klikk")', employer_other="+SUM(1)")
    response = client_a.get(reverse("participants:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any("HYPERLINK" in cell for cell in cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_invoice_basis_bills_confirmed_attended_and_no_show_per_employer(client_a, course_a):
    first, second = course_a[2]
    first.capacity = second.capacity = 10
    type(first).objects.filter(pk__in=[first.pk, second.pk]).update(capacity=10)
    bergen = Municipality.objects.get(number="4601")
    # Bergen: 2 in the first session (one attended, one no-show) + 1 confirmed in the second;
    # one cancelled in the first never counts. Another employer: 1 confirmed in the second.
    attended = enrol(first, "Faktura Ein", employer=bergen)
    no_show = enrol(first, "Faktura To", employer=bergen)
    cancelled = enrol(first, "Faktura Tre", employer=bergen)
    enrol(second, "Faktura Fire", employer=bergen)
    enrol(second, "Faktura Fem", employer_other="Helse Bergen HF")
    services.mark_attendance(attended, True)
    services.mark_attendance(no_show, False)
    services.cancel(cancelled)
    response = client_a.get(reverse("participants:invoice_basis"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals == {str(bergen): 3 * 1200, "Helse Bergen HF": 1200}
    assert response.context["total"] == 4 * 1200
    export = client_a.get(reverse("participants:invoice_basis"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    # A heading, three lines (Bergen in each session, the other employer in the second), a
    # total per employer and the grand total, whose amount is the last cell.
    assert len(rows) == 1 + 3 + 2 + 1
    assert rows[-1][-1] == str(4 * 1200)


def test_invoice_basis_counts_only_sessions_in_the_period(client_a, course_a):
    first, second = course_a[2]
    type(second).objects.filter(pk=second.pk).update(
        start=first.start.replace(year=first.start.year + 1),
        end=first.end.replace(year=first.end.year + 1),
    )
    enrol(first, "Periode Ein", employer_other="Arbeidsgivar")
    enrol(second, "Periode To", employer_other="Arbeidsgivar")
    response = client_a.get(
        reverse("participants:invoice_basis"),
        {"date_from": first.start.date().isoformat(), "date_to": first.start.date().isoformat()},
    )
    assert response.context["total"] == 1200


def test_evaluation_report_averages_per_course(client_a, course_a):
    session = course_a[2][0]
    type(session).objects.filter(pk=session.pk).update(capacity=10)
    scores = [(5, 4, "Meir praksis"), (3, 4, ""), (4, 1, "")]
    for i, (usefulness, relevance, improvements) in enumerate(scores):
        enrolment = enrol(session, f"Evaluerar {i}")
        services.mark_attendance(enrolment, True)
        services.submit_evaluation(
            enrolment, usefulness=usefulness, relevance=relevance, improvements=improvements
        )
    response = client_a.get(reverse("participants:evaluations"))
    [course] = response.context["courses"]
    assert course["answers"] == 3
    assert course["usefulness"] == 4.0  # (5 + 3 + 4) / 3
    assert course["relevance"] == 3.0  # (4 + 4 + 1) / 3
    assert "Meir praksis" in response.text
    export = client_a.get(reverse("participants:evaluations"), {"export": "csv"})
    assert "Meir praksis" in b"".join(export.streaming_content).decode()


def test_provider_settings_are_for_superusers_only(client_a, admin_client):
    assert client_a.get(reverse("course_providers:index")).status_code in (302, 403)
    assert admin_client.get(reverse("course_providers:index")).status_code == 200


def test_course_page_listing_links_to_its_participants(admin_client, course_a):
    page = course_a[1]
    response = admin_client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    assert f"/admin/participants/?course={page.pk}" in response.text


def test_organiser_who_prefers_nynorsk_gets_the_reports_in_nynorsk(client_a, user_a):
    profile = UserProfile.get_for_user(user_a)
    profile.preferred_language = "nn"
    profile.save()
    response = client_a.get(reverse("participants:invoice_basis"))
    assert "Fakturagrunnlag" in response.text
    assert "Fakturert per deltakar etter prisen på kurset" in response.text
    assert "Deltakarar" in client_a.get(reverse("participants:index")).text
