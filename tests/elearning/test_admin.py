"""Editors add resources and learning paths in the page tree; a resource needs one owner and one
source, and the form says so."""

import pytest

from elearning.models import LearningPathPage, LibraryPage, ResourcePage
from katalog.courses.models import Audience, Category
from katalog.places.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(nb):
    return LibraryPage.objects.get(locale=nb)


def add_resource(admin_client, library, **fields):
    data = {
        "title": "Smittevern i heimetenesta",
        "slug": "smittevern-i-heimetenesta",
        "format": "elearning",
        "duration_minutes": "35",
        "category": str(Category.objects.get(slug="helse").pk),
        "audiences": [str(Audience.objects.get(slug="helsepersonell").pk)],
        "language": "nn",
        "licence": "cc-by-4.0",
        "owner_municipality": str(Municipality.objects.get(number="4621").pk),
        "owner_organisation": "",
        "external_url": "https://laering.example.no/smittevern/",
        "description-count": "0",
        "action-publish": "1",
        **fields,
    }
    return admin_client.post(f"/admin/pages/add/elearning/resourcepage/{library.pk}/", data)


def test_an_editor_publishes_a_resource_that_the_library_then_lists(admin_client, client, library):
    response = add_resource(admin_client, library)
    assert response.status_code == 302
    resource = ResourcePage.objects.get(locale=library.locale, slug="smittevern-i-heimetenesta")
    assert resource.live and resource.owner_name == "Voss"
    assert list(resource.audiences.values_list("slug", flat=True)) == ["helsepersonell"]
    html = client.get("/nb/e-laeringsressurser/?audience=helsepersonell&language=nn").text
    assert "Smittevern i heimetenesta" in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"owner_organisation": "KS"}, "owner_organisation", "Oppgi eieren"),
        ({"owner_municipality": ""}, "owner_organisation", "Oppgi eieren"),
        ({"external_url": ""}, "external_url", "Oppgi ressursen"),
    ],
)
def test_a_resource_needs_one_owner_and_one_source(admin_client, library, fields, field, message):
    response = add_resource(admin_client, library, **fields)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not ResourcePage.objects.filter(slug="smittevern-i-heimetenesta").exists()


@pytest.mark.parametrize(
    "model", [LibraryPage, ResourcePage, LearningPathPage], ids=lambda model: model.__name__
)
def test_every_page_type_opens_in_the_editor(admin_client, nb, model):
    page = model.objects.filter(locale=nb).first()
    assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_a_learning_path_takes_resources_and_courses_only_under_the_library(admin_client, library):
    assert (
        admin_client.get(f"/admin/pages/add/elearning/learningpathpage/{library.pk}/").status_code
        == 200
    )
    home = library.get_parent()
    assert admin_client.get(
        f"/admin/pages/add/elearning/learningpathpage/{home.pk}/"
    ).status_code in (302, 403)
