"""Spreadsheet exports that cannot run code when staff open them (CSV formula injection).

A cell that starts with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice; the OWASP remedy is a leading apostrophe, which makes it text. Every admin export
(the inbox, Wagtail's reports, site history) is a SpreadsheetExportMixin view and passes each
value through `preprocess_field_value`, and Wagtail has no hook there, so `protect()` wraps
that one method once at start-up. XLSX cells are already forced to strings by Wagtail.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def protect(mixin=SpreadsheetExportMixin):
    preprocess = mixin.preprocess_field_value
    if getattr(preprocess, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        return neutralise(value) if export_format == mixin.FORMAT_CSV else value

    preprocess_field_value.neutralises_formulas = True
    mixin.preprocess_field_value = preprocess_field_value
