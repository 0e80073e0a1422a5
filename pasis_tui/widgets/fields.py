"""Labelled form fields whose ids follow the Pasis label (`Besökets längd` → `besokets_langd`)."""

from __future__ import annotations

import re
import unicodedata

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def widget_id(label: str) -> str:
    """A Pasis label as lower-case ASCII snake case: `Boka fr o m` → `boka_fr_o_m`."""
    text = label.lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def set_text(widget: Static, text: str) -> None:
    """Show `text` in `widget` unless it shows it already: an update can ask for a layout of
    the whole screen, and a screen shown again with the same record would pay one for nothing.
    Only a widget sized by its text (`auto` width or height) asks for one."""
    if widget.content != text:
        widget.update(text, layout=widget.styles.auto_dimensions)


class LabeledField(Horizontal):
    """A label (with `*` when required) beside its input widget, in reading order."""

    DEFAULT_CSS = """
    LabeledField { height: auto; width: auto; margin-right: 2; }
    LabeledField > Label { width: auto; min-width: 12; padding: 1 1 0 0; }
    LabeledField.-invalid > Label { color: $error; text-style: bold; }
    """

    def __init__(
        self,
        label: str,
        field: Widget,
        *,
        required: bool = False,
        label_width: int = 0,
        counter: bool = False,
    ):
        super().__init__(id=f"{field.id}_falt" if field.id else None)
        self.label_text = label + (" *" if required else "")
        self.field = field
        self.label_width = label_width
        self.counter = counter

    def compose(self) -> ComposeResult:
        from pasis_tui.widgets.inputs import LengthCounter, LimitedInput

        label = Label(self.label_text)
        if self.label_width:
            label.styles.min_width = self.label_width
        yield label
        yield self.field
        field = self.field
        if self.counter and isinstance(field, LimitedInput) and field.max_length:
            counter = LengthCounter(f"{len(field.value)}/{field.max_length}", classes="falt_antal")
            field.counter = counter
            yield counter
