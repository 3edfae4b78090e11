"""The course page: facts, sessions in both standards, JSON-LD and its calendar."""

import json
import re

import icalendar
import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from katalog.courses import services
from katalog.courses.models import CourseIndexPage, CoursePage
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def demo_course(locale):
    return CoursePage.objects.get(locale=locale, slug="ledelse-i-kommunen-grunnkurs")


def needing_approval(page):
    CoursePage.objects.filter(translation_key=page.translation_key).update(
        manager_approval_required=True
    )
    return page


def upcoming_keys(page):
    return [
        str(s.translation_key)
        for s in page.sessions.filter(start__gte=timezone.now()).order_by("start", "pk")
    ]


def test_course_page_shows_facts_and_sessions_with_enrol_links(client, nb):
    page = needing_approval(demo_course(nb))
    text = client.get(page.url).text
    assert "2500 kr per deltaker" in text
    assert "Kombinert (fysisk og nett)" in text
    assert "Lederen din må godkjenne påmeldingen." in text
    assert re.findall(r'<tr data-session="([0-9a-f-]+)"', text) == upcoming_keys(page)
    table = text.split('id="sessions-heading"')[1].split("</table>")[0]
    # Links to the form, never buttons: the table works without JavaScript.
    assert "<button" not in table
    enrollable = [
        str(s.translation_key)
        for s in page.sessions.filter(start__gte=timezone.now()).order_by("start", "pk")
        if services.availability(s) in ("open", "full")
    ]
    assert enrollable
    assert re.findall(r'href="[^"]*/pamelding/([0-9a-f-]+)/"', table) == enrollable
    # The table scrolls in a named region that a keyboard can reach (axe: scrollable-region).
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="sessions-heading" tabindex="0">'
        in text
    )


def test_nynorsk_course_shows_the_same_sessions_in_nynorsk(client, nb, nn):
    source = needing_approval(demo_course(nb))
    twin = source.get_translation(nn)
    assert twin.title == "Leiing i kommunen – grunnkurs"
    text = client.get(twin.url).text
    assert re.findall(r'<tr data-session="([0-9a-f-]+)"', text) == upcoming_keys(source)
    assert "Leiaren din må godkjenne påmeldinga." in text
    assert upcoming_keys(twin) == upcoming_keys(source)


def test_json_ld_describes_the_course_and_each_session(client, nb):
    page = demo_course(nb)
    data = json.loads(JSON_LD.search(client.get(page.url).text)[1])
    assert data["@type"] == "Course"
    assert data["name"] == page.title
    assert data["offers"] == {"@type": "Offer", "price": 2500, "priceCurrency": "NOK"}
    sessions = page.sessions.filter(start__gte=timezone.now()).order_by("start", "pk")
    assert [i["startDate"] for i in data["hasCourseInstance"]] == [
        timezone.localtime(s.start).isoformat() for s in sessions
    ]
    assert {i["@type"] for i in data["hasCourseInstance"]} == {"CourseInstance"}


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, nb):
    index = CourseIndexPage.objects.get(locale=nb)
    title = "Kurs </script><script>alert(1)</script> & meir"
    page = CoursePageFactory(parent=index, title=title, slug="farleg-tittel")
    CourseSessionFactory(page=page)
    text = client.get(page.url).text
    assert "<script>alert(1)" not in text
    assert json.loads(JSON_LD.search(text)[1])["name"] == title


def test_course_calendar_holds_one_event_per_upcoming_session(client, nb, nn):
    page = demo_course(nb).get_translation(nn)
    response = client.get(f"{page.url}kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    sessions = page.sessions.filter(start__gte=timezone.now()).order_by("start", "pk")
    assert [e["uid"].split("@")[0] for e in events] == [str(s.translation_key) for s in sessions]
    assert [e.decoded("dtstart") for e in events] == [s.start for s in sessions]
    assert {str(e["summary"]) for e in events} == {"Leiing i kommunen – grunnkurs"}


def test_calendar_of_a_page_without_one_is_not_found(client):
    assert client.get("/nb/nyheter/kalender.ics").status_code == 404
    assert client.get("/nb/finnes-ikke/kalender.ics").status_code == 404


def test_calendar_of_a_private_course_asks_for_login_like_its_page(client, nb, django_user_model):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), title="Internt")
    CourseSessionFactory(page=page)
    assert "Internt" in client.get(f"{page.url}kalender.ics").text
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    for url in (page.url, f"{page.url}kalender.ics"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/?next=" in response["Location"]
    client.force_login(django_user_model.objects.create_user("tilsett"))
    assert "Internt" in client.get(f"{page.url}kalender.ics").text


def test_session_changes_reach_the_nynorsk_course_on_sync_and_keep_its_rows(nb, nn):
    from wagtail_localize.models import Translation, TranslationSource

    source = demo_course(nb)
    twin = source.get_translation(nn)
    rows = {s.translation_key: s.pk for s in twin.sessions.all()}
    session = source.sessions.first()
    session.capacity = 99
    session.save()
    source.save_revision().publish()

    TranslationSource.update_or_create_from_instance(source)
    Translation.objects.get(source__object_id=source.translation_key, target_locale=nn).save_target(
        publish=True
    )
    twin.refresh_from_db()
    synced = {s.translation_key: s for s in twin.sessions.all()}
    assert synced[session.translation_key].capacity == 99
    assert {key: s.pk for key, s in synced.items()} == rows


def test_editor_opens_a_course_with_its_sessions_inline(admin_client, nb):
    page = demo_course(nb)
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert 'name="sessions-TOTAL_FORMS"' in response.text
    assert f'value="{page.sessions.count()}"' in response.text


def test_cached_course_page_shows_its_renamed_provider_and_category(client, nb):
    page = demo_course(nb)
    client.get(page.url)  # the page, with its provider and category, is cached now
    page.provider.name = "Omdøypt leverandør"
    page.provider.save()
    page.category.name_nb = "Omdøypt kategori"
    page.category.save()
    text = client.get(page.url).text
    assert "Omdøypt leverandør" in text
    assert "Omdøypt kategori" in text
    data = json.loads(JSON_LD.search(text)[1])
    assert data["provider"]["name"] == "Omdøypt leverandør"


def test_cached_course_page_serves_each_enrolment_route_from_one_cache_entry(client, nb):
    page = demo_course(nb)
    client.get(page.url)
    for session in page.sessions.filter(start__gte=timezone.now())[:3]:
        response = client.get(f"{page.url}pamelding/{session.translation_key}/")
        assert response.status_code == 200
        assert response.context["session"] == session
    assert (
        client.get(f"{page.url}pamelding/{'0' * 8}-0000-0000-0000-{'0' * 12}/").status_code == 404
    )
    assert client.get(f"{page.url}no-such-route/").status_code == 404
