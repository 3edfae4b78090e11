"""Spreadsheet exports that cannot run code when staff open them (CSV formula injection), and
that a typed control character cannot break (XLSX).

A cell that starts with = + - @, a tab or a carriage return is read as a formula by Excel and
LibreOffice; the OWASP remedy is a leading apostrophe, which makes it text. Every admin export
(the inbox, Wagtail's reports, site history) is a SpreadsheetExportMixin view and passes each
value through `preprocess_field_value`, and Wagtail has no hook there, so `protect()` wraps
that one method once at start-up. XLSX cells are already forced to strings by Wagtail.

An XLSX sheet is XML, which has no place for most control characters nor for U+FFFE and U+FFFF:
openpyxl refuses the first (the whole export fails) and writes the others into a file no
spreadsheet opens. The public forms accept them (a name pasted with a stray control
character), so one such request would break the inbox's export for everybody; they are dropped.
"""

import re

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_safe(value):
    return NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def protect(mixin=SpreadsheetExportMixin):
    preprocess = mixin.preprocess_field_value
    if getattr(preprocess, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = preprocess(self, field, value, export_format)
        if export_format == mixin.FORMAT_CSV:
            return neutralise(value)
        return xml_safe(value)

    preprocess_field_value.neutralises_formulas = True
    mixin.preprocess_field_value = preprocess_field_value
