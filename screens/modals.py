"""Modals that return typed values: the Bild field (Alt+X), help (F1), and confirmation."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown

BILD_HINT = "Skriv bildens nummer (270, 272, 090, 191, 177, 721, 1177) eller början av namnet."


class BildModal(ModalScreen[str | None]):
    """Alt+X: the Bild field; returns what was typed, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Avbryt", id="bild.avbryt")
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="bild_modal", classes="modal"):
            with Horizontal():
                yield Label("Bild ", id="bild_etikett")
                yield Input(placeholder="t.ex. 270", id="bild_falt", max_length=30)
            yield Label(BILD_HINT, classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class HelpModal(ModalScreen[None]):
    """F1: the current screen's keys and the instruction's rules for it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss(None)", "Stäng", id="hjalp.stang")
    ]

    def __init__(self, title: str, text: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        key_lines = "\n".join(f"| `{key}` | {what} |" for key, what in self.keys)
        body = (
            f"# Hjälp — {self.title_text}\n\n{self.help_text}\n\n"
            f"## Tangenter\n\n| Tangent | Gör |\n|---|---|\n{key_lines}\n"
        )
        with VerticalScroll(id="hjalp", classes="modal"):
            yield Markdown(body, id="hjalp_text")
            yield Label("Esc eller F1 stänger hjälpen.", classes="hint")


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question; Enter on Ja confirms, Escape answers no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "Nej", id="bekrafta.nej")
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="bekrafta", classes="modal"):
            yield Label(self.question, id="fraga")
            with Horizontal():
                yield Button("Ja", id="ja", variant="warning")
                yield Button("Nej", id="nej", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#nej", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "ja")
