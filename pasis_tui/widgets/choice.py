"""A code field as Pasis has them: type the code, its name shows beside it; F4 lists the choices.

`ChoiceField` is much lighter than a `Select` (one Input and one Static; the list is built only
when asked for), and it never changes what was typed: a code that matches no choice stays as
typed, is marked, and the core refuses it on save with its own message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pasis_tui.widgets.fields import set_text
from pasis_tui.widgets.inputs import LimitedInput

Choice = tuple[str, Any]  # (label as listed, value the form gives the core)

NO_MATCH = "{label}: okänd kod {code}. F4 visar valen"
AMBIGUOUS = "{label}: {code} passar {count} val. Skriv mer eller välj med F4"


def _code_of(choice: Choice) -> str:
    """What is typed for a choice: its value when that is a short text code, else its label."""
    label, value = choice
    if isinstance(value, str) and value and len(value) <= 6:
        return value
    return label


def _name_of(choice: Choice) -> str:
    """What shows beside the code: the label without the code it starts with."""
    label, _value = choice
    code = _code_of(choice)
    if code != label and label.upper().startswith(code.upper()):
        return label[len(code) :].strip()
    return label if code != label else ""


def match(choices: Sequence[Choice], text: str) -> list[Choice]:
    """The choices `text` names: an exact code or label first, else those whose label or code
    starts with it (case-insensitive)."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    exact = [
        c
        for c in choices
        if wanted in (_code_of(c).casefold(), c[0].casefold(), str(c[1]).casefold())
    ]
    if exact:
        return exact[:1]
    return [
        c
        for c in choices
        if c[0].casefold().startswith(wanted) or _code_of(c).casefold().startswith(wanted)
    ]


class ChoiceList(ModalScreen[Any]):
    """The pop-up list of a code field: Enter chooses, Esc leaves the field as it was."""

    DEFAULT_CSS = """
    ChoiceList { align: center middle; }
    ChoiceList > Vertical { width: auto; min-width: 40; max-width: 90; height: auto;
        max-height: 24; border: round $accent; background: $panel; padding: 0 1; }
    ChoiceList OptionList { height: auto; max-height: 20; border: none; }
    ChoiceList .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Avbryt", id="val.avbryt")
    ]
    NOTHING = object()

    def __init__(self, title: str, choices: Sequence[Choice], current: Any) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield OptionList(
                *(Option(label, id=str(i)) for i, (label, _v) in enumerate(self.choices))
            )
            yield Label("↑/↓ flyttar, Enter väljer, Esc avbryter", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for index, (_label, value) in enumerate(self.choices):
            if value == self.current:
                options.highlighted = index
                break
        else:
            options.highlighted = 0 if self.choices else None
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[event.option_index])


class ChoiceInput(LimitedInput):
    """The code part of a ChoiceField: upper-case as typed when the choices are Pasis codes."""

    upper = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4,alt+down", "choose", "Välj", id="falt.valj", key_display="F4")
    ]

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(text.upper() if self.upper else text)

    def action_choose(self) -> None:
        field = self.parent
        if isinstance(field, ChoiceField):
            field.open_list()


class ChoiceField(Horizontal):
    """A code input with the chosen name beside it and a pop-up list (F4)."""

    DEFAULT_CSS = """
    ChoiceField { height: auto; width: auto; }
    ChoiceField > ChoiceInput { width: 8; }
    ChoiceField > .choice-name { width: auto; min-width: 10; padding: 0 1; color: $text-muted; }
    ChoiceField > .choice-name.-unknown { color: $error; }
    """

    class Changed(Message):
        """The field's value changed (typed and resolved, chosen in the list, or set)."""

        def __init__(self, field: ChoiceField, value: Any) -> None:
            super().__init__()
            self.field = field
            self.value = value

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        *,
        id: str,
        label: str = "",
        blank: Any = "",
        max_length: int = 30,
        placeholder: str = "",
    ) -> None:
        super().__init__(id=id, classes="choice-field")
        self.choices: list[Choice] = list(choices)
        self.label = label or id
        self.blank = blank
        self.input = ChoiceInput(id=f"{id}_kod", max_length=max_length, placeholder=placeholder)
        self.input.compact = True
        self.input.upper = all(_code_of(c) != c[0] for c in self.choices)
        self.name_label = Static("", classes="choice-name")
        self._last: Any = blank

    def compose(self) -> ComposeResult:
        yield self.input
        yield self.name_label

    # -- the value -------------------------------------------------------------------------------

    def resolved(self) -> Choice | None:
        found = match(self.choices, self.input.value)
        return found[0] if len(found) == 1 else None

    @property
    def value(self) -> Any:
        """The chosen value; empty gives `blank`; text that names no single choice, as typed."""
        text = self.input.value.strip()
        if not text:
            return self.blank
        choice = self.resolved()
        return choice[1] if choice is not None else text

    @value.setter
    def value(self, value: Any) -> None:
        for choice in self.choices:
            if choice[1] == value:
                self.input.value = _code_of(choice)
                break
        else:
            self.input.value = "" if value in (None, "") else str(value)
        self._show()

    def set_options(self, choices: Sequence[Choice]) -> None:
        self.choices = list(choices)
        self.input.upper = all(_code_of(c) != c[0] for c in self.choices)
        self._show()

    def problem(self) -> str:
        """Why the typed text is not a choice ('' when it is, or is empty)."""
        text = self.input.value.strip()
        if not text:
            return ""
        found = match(self.choices, text)
        if not found:
            return NO_MATCH.format(label=self.label, code=text)
        if len(found) > 1:
            return AMBIGUOUS.format(label=self.label, code=text, count=len(found))
        return ""

    def _show(self) -> None:
        choice = self.resolved()
        if choice is not None:
            set_text(self.name_label, _name_of(choice))
            self.name_label.remove_class("-unknown")
        else:
            text = self.input.value.strip()
            set_text(self.name_label, "?" if text else "")
            self.name_label.set_class(bool(text), "-unknown")
        value = self.value
        if value != self._last:
            self._last = value
            self.post_message(self.Changed(self, value))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.input.remove_class("-invalid")
        self._show()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Leaving the field says at once what is wrong with it (the text stays as typed)."""
        event.stop()
        problem = self.problem()
        self.input.set_class(bool(problem), "-invalid")
        self.input.tooltip = problem or None
        if problem and self.app.screen is self.screen:  # not when F4's list takes the focus
            self.post_message(LimitedInput.Refused(self.input, problem))

    def open_list(self) -> None:
        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.input.value = _code_of(choice)
                self._show()
            self.input.focus()

        current = self.resolved()
        self.app.push_screen(
            ChoiceList(self.label, self.choices, current[1] if current else None), chosen
        )

    def focus(self, scroll_visible: bool = True) -> ChoiceField:
        """Focusing the field focuses its code input."""
        self.input.focus(scroll_visible)
        return self
