"""E-tjänster: a clinic's three 1177 e-tjänster on or off (seed 8), changed by keyboard."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, Static

from pasis_tui.core.staff_lists import (
    OFF,
    ON,
    SERVICES,
    EserviceChange,
    EservicesResult,
    eservices_of_unit,
    save_eservices,
)
from pasis_tui.widgets import PasisButton
from screens.base import PasisScreen

INTRO = (
    "E-tjänsterna för 1177 tidbokning per mottagning. Omboka eller avboka tid gäller tider med "
    "1177-nivå 3; Kontakta oss för att omboka eller avboka tid gäller alla andra tider, där "
    "personalen gör om- eller avbokningen. En e-tjänst som är Av erbjuds inte i 1177."
)

HELP = f"""\
**E-tjänster (seed 8).** {INTRO}

- **Piltangenterna** flyttar mellan mottagningar och e-tjänster; **Mellanslag** slår på/av
  e-tjänsten under markören (ändrade rutor markeras med *).
- **Spara** (Alt+S) skriver alla ändringar på en gång; **Läs om** (Alt+L) hämtar det sparade.
"""

FIRST_SERVICE_COLUMN = 2


def _cell(on: bool, changed: bool) -> str:
    return f"{'[X]' if on else '[ ]'} {ON if on else OFF}{' *' if changed else ''}"


class EservicesScreen(PasisScreen):
    HELP = HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "switch", "Slå på/av", key_display="Mellanslag", id="etj.vaxla"),
        Binding("alt+s", "spara", "Spara", show=False, key_display="Alt+S", id="etj.spara"),
        Binding("alt+l", "las", "Läs om", show=False, key_display="Alt+L", id="etj.las"),
    ]
    DEFAULT_CSS = """
    EservicesScreen #etj { height: 1fr; padding: 0 1; }
    EservicesScreen #etj_intro { margin: 1 0; color: $text-muted; }
    EservicesScreen #etj_tabell { height: 1fr; }
    EservicesScreen .etj_knappar { height: 1; margin-top: 1; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saved: dict[int, tuple[bool, ...]] = {}
        self.shown: dict[int, list[bool]] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="etj"):
            yield Static(INTRO, id="etj_intro")
            yield Label("", id="etj_antal")
            table: DataTable[str] = DataTable(cursor_type="cell", id="etj_tabell")
            yield table
            with Horizontal(classes="etj_knappar"):
                yield PasisButton("Spara", "s", run="spara")
                yield PasisButton("Läs om", "l", run="las")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Avd/Mott", width=8)
        table.add_column("Namn", width=22)
        for service in SERVICES:
            table.add_column(service.value, width=len(service.value))

    def on_open(self) -> None:
        self.action_las()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one(DataTable)

    def action_las(self) -> None:
        self.run_db(lambda ctx: eservices_of_unit(ctx=ctx), self._show)

    def action_switch(self) -> None:
        """Space: the e-tjänst under the cursor changes on screen (Spara writes it)."""
        table = self.table
        if table.row_count == 0:
            return
        row, column = table.cursor_coordinate
        index = column - FIRST_SERVICE_COLUMN
        if index < 0:
            table.move_cursor(column=FIRST_SERVICE_COLUMN)
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key is not None
        values = self.shown[int(key)]
        values[index] = not values[index]
        changed = values[index] != self.saved[int(key)][index]
        table.update_cell_at(table.cursor_coordinate, _cell(values[index], changed))
        pending = sum(1 for clinic, now in self.shown.items() if tuple(now) != self.saved[clinic])
        changed_text = "1 mottagning ändrad" if pending == 1 else f"{pending} mottagningar ändrade"
        self.status(f"{changed_text}, inte sparat – Spara (Alt+S) skriver" if pending else "")

    def action_spara(self) -> None:
        changes = tuple(
            EserviceChange(clinic_id=clinic, book=now[0], change=now[1], contact=now[2])
            for clinic, now in self.shown.items()
        )
        self.run_db(lambda ctx: save_eservices(ctx=ctx, changes=changes), self._show, group=None)

    def _show(self, result: EservicesResult) -> None:
        table = self.table
        where = table.cursor_coordinate
        table.clear()
        self.saved.clear()
        self.shown.clear()
        for clinic in result.clinics:
            values = (clinic.book, clinic.change, clinic.contact)
            self.saved[clinic.clinic_id] = values
            self.shown[clinic.clinic_id] = list(values)
            table.add_row(
                clinic.clinic_code,
                clinic.clinic_name,
                *(_cell(on, False) for on in values),
                key=str(clinic.clinic_id),
            )
        if table.row_count:
            table.move_cursor(
                row=min(where.row, table.row_count - 1),
                column=max(where.column, FIRST_SERVICE_COLUMN),
            )
        table.focus()
        self.query_one("#etj_antal", Label).update(f"{len(result.clinics)} mottagningar")
        self.status(result.message)
