"""Buttons as in webb-Pasis: one letter underlined, pressed with Alt + that letter."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Button

from pasis_tui.widgets.fields import widget_id


def underlined(label: str, letter: str) -> Content:
    """The label with the first occurrence of `letter` (any case) underlined."""
    index = label.lower().find(letter.lower())
    if index < 0:
        return Content(label)
    return Content.assemble(label[:index], (label[index], "underline"), label[index + 1 :])


class PasisButton(Button):
    """A button whose id is its label in snake case and whose accelerator is Alt + `letter`.

    With `run`, a press runs that action of the screen, so a key binding and the button share one
    action (and staff can remap the key through the keymap).
    """

    DEFAULT_CSS = """
    PasisButton { min-width: 8; height: 1; border: none; margin: 0 1 0 0; padding: 0 1; }
    PasisButton:focus { text-style: bold reverse; }
    """

    def __init__(
        self,
        label: str,
        letter: str,
        *,
        id: str | None = None,
        run: str | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("compact", True)  # one line, as the Pasis buttons
        super().__init__(underlined(label, letter), id=id or widget_id(label), **kwargs)  # type: ignore[arg-type]
        self.accelerator = letter.lower()
        self.plain_label = label
        #: The screen action a press runs (`spara` → `action_spara`), as a key binding would.
        self.run_action_name = run
