"""The admin keeps participants' enrolments: pages holding them are not deleted."""

import pytest

from katalog.courses import services
from katalog.courses.models import CourseIndexPage, CoursePage, Enrolment
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled_course(nb):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"])
    session = CourseSessionFactory(page=page, capacity=3)
    services.enrol(session, name="Deltakar", email="deltakar@example.no", language="nb")
    return page


def test_deleting_a_course_with_enrolments_is_refused_with_a_message(admin_client, enrolled_course):
    response = admin_client.post(f"/admin/pages/{enrolled_course.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "Avlys de kursgjennomføringene i stedet for å slette" in response.text
    assert CoursePage.objects.filter(pk=enrolled_course.pk).exists()
    assert Enrolment.objects.filter(session__page=enrolled_course).count() == 1


def test_deleting_the_catalogue_above_enrolments_is_refused(admin_client, enrolled_course):
    catalogue = enrolled_course.get_parent()
    response = admin_client.post(f"/admin/pages/{catalogue.pk}/delete/")
    assert response.status_code == 302
    assert CoursePage.objects.filter(pk=enrolled_course.pk).exists()


def test_bulk_delete_of_a_course_with_enrolments_is_refused(admin_client, enrolled_course):
    parent = enrolled_course.get_parent()
    response = admin_client.post(
        f"/admin/bulk/wagtailcore/page/delete/?id={enrolled_course.pk}&childOf={parent.pk}"
    )
    assert response.status_code == 302
    assert CoursePage.objects.filter(pk=enrolled_course.pk).exists()


def test_a_course_without_enrolments_is_deleted(admin_client, nb):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"])
    CourseSessionFactory(page=page, capacity=3)
    response = admin_client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not CoursePage.objects.filter(pk=page.pk).exists()
