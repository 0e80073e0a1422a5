"""The main menu: every screen by number and name, and the Bild field."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static

from screens import SCREENS
from screens.base import OpenScreenRequest, PasisScreen

INTRO = (
    "Pasis TUI — öppen kallelse. Skriv bildens nummer (t.ex. 270) eller början av namnet i fältet "
    "Bild och tryck Enter, eller välj en rad. Alt+X byter bild var du än är, F1 visar hjälp."
)
NOT_BUILT = "kommer i senare version"

MENU_HELP = """\
**Meny.** Här finns alla bilder med nummer och namn.

- Skriv numret (`270`, `272`, `090`, `191`, `177`, `721`, `1177`) eller början av namnet i **Bild**
  och tryck **Enter** — eller flytta till en rad i listan och tryck **Enter**.
- **Alt+X** öppnar fältet Bild från vilken bild som helst (som i webb-Pasis).
- **Tab / Shift+Tab** flyttar mellan fälten, **Esc** går tillbaka, **Ctrl+Q** avslutar.
- Knappar trycks med **Alt + den understrukna bokstaven**.

Flödet för öppen kallelse: SP 270 aktivitet och dagmall → SP 272 schema → SP 090 bevakning typ ÖK
→ kallelsen i 1177 → patienten bokar → SP 191 följer upp dem som inte bokat.
"""


class MenuScreen(PasisScreen):
    HELP = MENU_HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+x", "focus_bild", "Byt bild", key_display="Alt+X", priority=True, id="meny.bild"
        ),
        Binding("escape", "back", "Tillbaka", show=False, id="meny.tillbaka"),  # nowhere to go
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="meny"):
            yield Static(INTRO, id="intro")
            with Horizontal(id="bild_rad"):
                yield Label("Bild", id="bild_etikett")
                yield Input(placeholder="nummer eller namn", id="bild", max_length=30)
            table: DataTable[str] = DataTable(cursor_type="row", id="bilder", zebra_stripes=True)
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#bilder", DataTable)
        table.add_columns("Bild", "Namn", "")
        for entry in SCREENS:
            table.add_row(entry.label, entry.name, "" if entry.built else NOT_BUILT, key=entry.key)
        self.query_one("#bild", Input).focus()

    def action_focus_bild(self) -> None:
        field = self.query_one("#bild", Input)
        field.value = ""
        field.focus()

    @on(Input.Submitted, "#bild")
    def _open_typed(self, event: Input.Submitted) -> None:
        self.post_message(OpenScreenRequest(event.value))
        event.input.value = ""

    @on(DataTable.RowSelected, "#bilder")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.post_message(OpenScreenRequest(event.row_key.value))
