"""The SP 272 schedule grid: ISO weeks × weekdays, each laid day as `HH:MM <template>` (seed 4.1).

Pure formatting of a ScheduleView into DataTable columns and multi-line cells, for the Månad
(five weeks from From datum's week), Vecka and Arbetsvecka views.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text

from pasis_tui.core.scheduling import DAY_NAMES, LaidDay, ScheduleView

MONTHS = (
    "Januari", "Februari", "Mars", "April", "Maj", "Juni",
    "Juli", "Augusti", "September", "Oktober", "November", "December",
)  # fmt: skip

MONTH, WEEK, WORKWEEK = "manad", "vecka", "arbetsvecka"
VIEWS = ((MONTH, "Månad"), (WEEK, "Vecka"), (WORKWEEK, "Arbetsvecka"))
#: Days the view reads from the Monday of From datum's week.
VIEW_DAYS = {MONTH: 35, WEEK: 7, WORKWEEK: 7}
#: Characters per day cell: the seed cuts "08:00 Öppen kallelse" to fit ("08:00 Öppet dags");
#: Arbetsvecka has room for all of it (8 + 5 × 20 characters and their padding = 120).
CELL_WIDTH = {MONTH: 13, WEEK: 13, WORKWEEK: 20}
WEEK_COLUMN_WIDTH = 8
PRELIMINARY, PUBLISHED = "Prel.", "Publ."


@dataclass(frozen=True)
class GridRow:
    key: str
    cells: list[str | Text]
    height: int


def title(view: ScheduleView, mode: str) -> str:
    """`Oktober 2025   Vecka 40–44   Preliminärt schema 10 dagar · Publicerat schema 0 dagar`."""
    middle = view.first + dt.timedelta(days=14 if mode == MONTH else 3)
    first_week = view.first.isocalendar().week
    last_week = view.last.isocalendar().week
    weeks = f"Vecka {first_week:02d}" + (f"–{last_week:02d}" if mode == MONTH else "")
    return (
        f"{MONTHS[middle.month - 1]} {middle.year}   {weeks}   {view.signature} {view.name}   "
        f"Preliminärt schema {view.preliminary_count} · Publicerat schema {view.published_count}"
    )


def columns(mode: str) -> list[tuple[str, int]]:
    """Column labels with fixed widths (auto-sized columns would depend on timing)."""
    days = DAY_NAMES[:5] if mode == WORKWEEK else DAY_NAMES
    return [("Vecka", WEEK_COLUMN_WIDTH), *((day, CELL_WIDTH[mode]) for day in days)]


def rows(view: ScheduleView, mode: str) -> list[GridRow]:
    width = CELL_WIDTH[mode]
    day_count = 5 if mode == WORKWEEK else 7
    result = []
    monday = view.first
    while monday <= view.last:
        days = [monday + dt.timedelta(days=n) for n in range(day_count)]
        cells: list[str | Text] = [f"Vecka {monday.isocalendar().week:02d}"]
        height = 1
        for day in days:
            text = _cell(view, day, width, detailed=mode != MONTH)
            cells.append(text)
            height = max(height, len(text.plain.split("\n")))
        result.append(GridRow(key=monday.isoformat(), cells=cells, height=height))
        monday += dt.timedelta(weeks=1)
    return result


def _cell(view: ScheduleView, day: dt.date, width: int, *, detailed: bool) -> Text:
    text = Text()
    head = f"{day.day:02d}"
    red = view.red_days.get(day)
    if red:
        text.append(head + " ")
        text.append(_fit(red, width - 3), style="bold underline")
    else:
        text.append(head)
    for laid in view.days.get(day, []):
        style = "italic" if laid.preliminary else "bold"
        for line in _laid_lines(laid, detailed):
            text.append("\n")
            text.append(_fit(line, width), style=style)
    return text


def _fit(line: str, width: int) -> str:
    """The line as it fits the cell; a cut one ends in `…`, so it reads as cut (Enter on the day
    shows it whole)."""
    return line if len(line) <= width else line[: width - 1] + "…"


def _laid_lines(laid: LaidDay, detailed: bool) -> list[str]:
    state = PRELIMINARY if laid.preliminary else PUBLISHED
    if not detailed:
        return [laid.label, f"{state} {laid.clinic_code}"]
    return [
        laid.label,
        f"Dagmall {laid.template_code}",
        f"{laid.start:%H:%M}–{laid.end:%H:%M}",
        f"Mott {laid.clinic_code}",
        f"Brev {laid.letter_code}",
        "Preliminärt" if laid.preliminary else "Publicerat",
    ]


def day_at(row_key: str, column: int) -> dt.date | None:
    """The day of a grid cell: its row is the week (keyed by its Monday), column 0 the week
    number (no day)."""
    if column < 1:
        return None
    return dt.date.fromisoformat(row_key) + dt.timedelta(days=column - 1)


def choice_label(laid: LaidDay) -> str:
    """How a laid day reads in `Välj dagmall från schemat`."""
    state = "prel." if laid.preliminary else "publ."
    return f"{laid.day:%Y-%m-%d} {laid.label} ({laid.clinic_code}, {state})"
