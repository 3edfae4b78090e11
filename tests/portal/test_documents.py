"""Public document URLs: Wagtail's, with an id the server can read."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return get_document_model().objects.create(
        title="Kursplan", file=ContentFile(b"Veke 1: oppstart", name="kursplan.txt")
    )


def test_document_is_served_at_its_url(client, document):
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Veke 1: oppstart"


@pytest.mark.parametrize("digits", [20, 4301, 5000])
def test_document_id_too_long_to_be_a_number_is_not_found(client, document, digits):
    response = client.get(f"/documents/{'9' * digits}/{document.filename}")
    assert response.status_code == 404
