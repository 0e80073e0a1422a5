"""The PMO catalogue 'Tidbokstyp på 1177' (seed 002), read-only, with a text filter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from pasis_tui.core.booking_types import list_booking_types
from pasis_tui.core.context import WorkContext
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


class BookingTypesScreen(PasisScreen):
    HELP = HELP

    def compose_body(self) -> ComposeResult:
        with Vertical(id="tidbokstyper"):
            yield Static(POLICY, id="policy")
            with Horizontal(classes="falt_rad"):
                yield Label("Sök")
                yield Input(placeholder="t.ex. tolk, Telefontid", id="sok", max_length=40)
            yield Label("", id="antal")
            yield DataTable(cursor_type="row", id="typer", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#typer", DataTable)
        table.add_columns(
            "PMO Tidbokstyp", "Synlig", "Avbokn.", "Ombokn.", "Sms", "Förtydligande beskrivning"
        )

    def on_open(self) -> None:
        self.cancel_debounce("lista")
        self._load(self.query_one("#sok", Input).value)

    @on(Input.Changed, "#sok")
    def _filter(self, event: Input.Changed) -> None:
        self.debounce("lista", lambda: self._load(event.value))

    def _load(self, text: str) -> None:
        def work(ctx: WorkContext) -> list[tuple[str, ...]]:
            with ctx.read() as session:
                return [
                    (
                        row.name,
                        YES if row.visible_to_patient else NO,
                        YES if row.cancellable else NO,
                        YES if row.rebookable else NO,
                        YES if row.sms_reminder else NO,
                        row.description,
                    )
                    for row in list_booking_types(session, text=text)
                ]

        self.run_db(work, self._show)

    def _show(self, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one("#typer", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)
        self.query_one("#antal", Label).update(f"{len(rows)} tidbokstyper")
