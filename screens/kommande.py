"""A screen that a later issue builds: it appears in the menu and says so when opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from screens.base import PasisScreen

COMING = (
    "{label} {name} är inte byggd ännu i Pasis TUI; den kommer i en senare version.\n\n"
    "Tryck Esc för att gå tillbaka till menyn, eller Alt+X för att byta bild."
)


class ComingScreen(PasisScreen):
    HELP = "Den här bilden byggs i en senare version. Esc går tillbaka, Alt+X byter bild."

    def compose_body(self) -> ComposeResult:
        with Vertical(id="kommande"):
            yield Static(
                COMING.format(label=self.entry.label, name=self.entry.name), id="meddelande"
            )
