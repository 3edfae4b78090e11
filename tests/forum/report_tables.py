"""The results report's tables and chart bars, read from its HTML as the tests compare them."""

from html.parser import HTMLParser


class Tables(HTMLParser):
    """Every `<table data-table>` of a page as {slug: [header row, *rows]} of cell texts (a
    dash, the page's empty cell, read as empty), and every chart bar's data attributes."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.bars, self.charts = {}, [], []
        self.table = self.row = self.cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.table = self.tables.setdefault(attrs["data-table"], [])
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.append(self.row)
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []
        elif tag == "svg":
            self.charts.append(attrs)
        elif tag == "g" and "data-value" in attrs:
            self.bars.append({**attrs, "table": self.charts[-1]["data-table"]})

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag == "tr":
            self.row = None
        elif tag in ("th", "td") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            self.row.append("" if text == "–" else text)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
