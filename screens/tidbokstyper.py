"""The PMO catalogue 'Tidbokstyp på 1177' (seed 002), read-only, with a text filter."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from pasis_tui.core.booking_types import BookingTypeLine, booking_type_page
from pasis_tui.widgets.form import FormField
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.base import PasisScreen

YES, NO = "Ja", "Nej"

POLICY = (
    "Bokningsbara tider erbjuds 56 dagar (8 veckor) framåt. Avbokning senast 24 timmar före. "
    "Sms-påminnelse 48 timmar före. Mottagningstid med tolk kan inte avbokas av patienten."
)

HELP = f"""\
**Tidbokstyper på 1177 (PMO).** Katalogen visar för varje tidbokstyp om den är synlig för
patienten, avbokningsbar, ombokningsbar och om sms-påminnelse skickas.

{POLICY}

- Skriv i **Sök** för att filtrera på namn eller förtydligande.
- **Tab** flyttar till listan; **Esc** går tillbaka.
"""


def _yes(flag: bool) -> str:
    return YES if flag else NO


class BookingTypeList(OverviewList):
    NOUN = "tidbokstyper"
    SINGULAR = "tidbokstyp"
    PAGE_SIZE = 200  # the whole catalogue (seed 002 has 109 types) on one page
    FILTERS = (FormField("Sök", "sok", "text", placeholder="t.ex. tolk, Telefontid"),)
    COLUMNS = (
        ("PMO Tidbokstyp", 34), ("Synlig", 6), ("Avbokn.", 7), ("Ombokn.", 7), ("Sms", 3),
        ("Förtydligande beskrivning", 44),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: booking_type_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: BookingTypeLine) -> tuple[str, Cells]:
        return str(line.id), (
            line.name, _yes(line.visible_to_patient), _yes(line.cancellable),
            _yes(line.rebookable), _yes(line.sms_reminder), line.description,
        )  # fmt: skip


class BookingTypesScreen(PasisScreen):
    HELP = HELP

    def compose_body(self) -> ComposeResult:
        with Vertical(id="tidbokstyper"):
            yield Static(POLICY, id="policy")
            yield BookingTypeList(table_id="typer")

    def on_open(self) -> None:
        self.query_one(BookingTypeList).load()
