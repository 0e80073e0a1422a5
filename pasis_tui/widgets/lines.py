"""The Pasis header line (enhet, user, SP number, date and time) and the status line."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from pasis_tui.widgets.fields import set_text


class HeaderLine(Static):
    """`Enhet: 16 KIR   Användare: VIS   SP 270   2026-11-22 10:06`."""

    DEFAULT_CSS = """
    HeaderLine { dock: top; height: 1; background: $primary; color: $text; padding: 0 1; }
    """

    unit_label: reactive[str] = reactive("…")
    user: reactive[str] = reactive("")
    screen_number: reactive[str] = reactive("")
    screen_title: reactive[str] = reactive("")
    moment: reactive[str] = reactive("")

    def render(self) -> str:
        number = f"SP {self.screen_number}   " if self.screen_number else ""
        return (
            f"Enhet: {self.unit_label}   Användare: {self.user}   {number}{self.moment}"
            f"   {self.screen_title}"
        )


class StatusLine(Static):
    """Messages and errors of the current screen, one line above the footer."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; color: $text; }
    StatusLine.-error { background: $error; color: $text; text-style: bold; }
    """

    def show(self, message: str, *, error: bool = False) -> None:
        self.set_class(error, "-error")
        set_text(self, message)  # one line (height: 1), so no layout pass for a message

    def clear(self) -> None:
        self.show("")
