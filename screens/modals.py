"""Modals that return typed values: the Bild field (Alt+X) and its list of matches, help (F1),
the Ja/Nej question and "Spara ändringar?" (Ja / Nej / Avbryt)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Markdown, OptionList
from textual.widgets.option_list import Option

from pasis_tui.widgets.buttons import underlined

if TYPE_CHECKING:
    from screens import ScreenEntry

#: Fits the Bild box (see #bild_modal in pasis.tcss) on one line.
BILD_HINT = "Bildnummer (270, 272, 090, 191, 177, 721, 1177) eller början av namnet."
SEVERAL = "Flera bilder passar ”{text}”: välj med ↑/↓ och Enter, Esc avbryter."
SAVE_QUESTION = "Spara ändringar?"
T = TypeVar("T")


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


class ScreenChoiceModal(ModalScreen[str | None]):
    """What was typed names several screens: list them; returns the chosen one's key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Avbryt", id="bildval.avbryt")
    ]

    def __init__(self, text: str, matches: Sequence[ScreenEntry]) -> None:
        super().__init__()
        self.text = text
        self.matches = list(matches)

    def compose(self) -> ComposeResult:
        with Vertical(id="bild_val", classes="modal"):
            yield Label(SEVERAL.format(text=self.text.strip()), classes="hint")
            yield OptionList(
                *(Option(f"{e.label:8} {e.name}", id=e.key) for e in self.matches),
                id="bild_traffar",
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


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


class AnswerModal(ModalScreen[T]):
    """A question answered with one of its buttons: its underlined letter (J, N, A), or ←/→ and
    Enter; Escape gives `ESCAPE`. Subclasses give `ANSWERS` (id, label, letter, variant)."""

    ANSWERS: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()
    ESCAPE: ClassVar[str] = ""
    FIRST: ClassVar[str] = ""  # the button that has the focus first

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Föregående", show=False, id="fraga.vanster"),
        Binding("right", "move(1)", "Nästa", show=False, id="fraga.hoger"),
        Binding("escape", "answer('')", "Avbryt", show=False, id="fraga.avbryt"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="bekrafta", classes="modal"):
            yield Label(self.question, id="fraga")
            with Horizontal():
                for answer, label, letter, variant in self.ANSWERS:
                    yield Button(underlined(label, letter), id=answer, variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(f"#{self.FIRST}", Button).focus()

    def on_key(self, event: events.Key) -> None:
        character = (event.character or "").lower()
        for answer, _label, letter, _variant in self.ANSWERS:
            if character == letter:
                event.stop()
                self.action_answer(answer)
                return

    def action_move(self, step: int) -> None:
        buttons = list(self.query(Button))
        index = buttons.index(self.focused) if self.focused in buttons else 0
        buttons[(index + step) % len(buttons)].focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(self.result(answer or self.ESCAPE))

    def result(self, answer: str) -> T:
        raise NotImplementedError

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.id or "")


class ConfirmModal(AnswerModal[bool]):
    """A yes/no question; Nej has the focus and Escape answers no."""

    ANSWERS = (("ja", "Ja", "j", "warning"), ("nej", "Nej", "n", "primary"))
    ESCAPE = "nej"
    FIRST = "nej"

    def result(self, answer: str) -> bool:
        return answer == "ja"


class SaveChangesModal(AnswerModal[str]):
    """ "Spara ändringar?" on leaving a screen with edits: "ja", "nej" or "avbryt"."""

    ANSWERS = (
        ("ja", "Ja", "j", "warning"),
        ("nej", "Nej", "n", "default"),
        ("avbryt", "Avbryt", "a", "primary"),
    )
    ESCAPE = "avbryt"
    FIRST = "ja"

    def __init__(self, question: str = SAVE_QUESTION) -> None:
        super().__init__(question)

    def result(self, answer: str) -> str:
        return answer
