"""Bar charts drawn on the server as SVG: no script, no library, readable at 320 px wide.

A chart draws cells of one of the report's tables (anything with `slug`, `caption`, `columns`
and `rows` whose cells have `text` and `value`), so it shows the same figures as the table
that follows it; each bar carries its row, column and figure in data attributes.

Horizontal bars, each with its label on a line of its own above it and its figure after it:
long names wrap instead of being cut, and the drawing is only 320 units wide, so that shrunk
to a phone's width (about 270 px inside the page's margins) its text is still 13–14 px.
"""

import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

WIDTH = 320
FONT_SIZE = 16
LINE = 20  # the height of a line of a label
BAR = 20
GAP = 14  # between a bar and the next label
VALUE_SPACE = 72  # right of the longest bar, for its figure
WRAP = 34  # characters of a label's line, at about 0.55 em each


@dataclass
class Bar:
    row: str  # the table row's header
    column: str  # the table column's label
    text: str  # the figure as the table writes it
    label_lines: list = field(default_factory=list)  # (y, text)
    y: float = 0
    width: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    table: str  # the slug of the table with the same figures
    bars: list
    width: int = WIDTH
    height: float = 0
    bar_height: int = BAR
    font_size: int = FONT_SIZE

    @property
    def title_id(self):
        return f"{self.id}-title"

    @property
    def desc_id(self):
        return f"{self.id}-desc"


def _number(value):
    return max(Decimal(value), Decimal(0)) if value is not None else Decimal(0)


def bar_chart(chart_id, title, bars, table, row=None, description=None):
    """A chart of (label, cell) bars from one table: a row's columns when row names the row,
    else one column's cells with each row's header as the label."""
    largest = max((_number(cell.value) for _label, cell in bars), default=Decimal(0))
    room = WIDTH - VALUE_SPACE
    drawn, y = [], 0.0
    for label, cell in bars:
        lines = textwrap.wrap(label, WRAP) or [""]
        bar = Bar(
            row=row if row is not None else label,
            column=label if row is not None else None,
            text=cell.text or "–",
        )
        for line in lines:
            y += LINE
            bar.label_lines.append((y - 4, line))
        bar.y = y
        bar.width = float(_number(cell.value) / largest * room) if largest else 0.0
        bar.text_x = bar.width + 6
        bar.text_y = y + BAR - 5
        y += BAR + GAP
        drawn.append(bar)
    if description is None:
        description = _("Bar chart. The same figures are in the table “%(caption)s”.") % {
            "caption": table.caption
        }
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        table=table.slug,
        bars=drawn,
        height=max(y, LINE),
    )


def from_table(chart_id, title, table, column_key):
    """One bar per row of the table: the row's header and its cell in the column."""
    column = table.column(column_key)
    label = table.columns[column].label
    chart = bar_chart(chart_id, title, [(row[0].text, row[column]) for row in table.rows], table)
    for bar in chart.bars:
        bar.column = label
    return chart
