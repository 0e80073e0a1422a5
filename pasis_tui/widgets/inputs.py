"""Inputs checked with the core's own rules when left (the core still decides on save).

Every kit input refuses text beyond its limit *with a word*: Textual's Input drops a paste or a
key that would pass `max_length` with only a bell, so the kit's inputs post `Refused` (the
screen shows it in the status line) and the field's counter says the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.geometry import Size
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static

from pasis_tui.core import parse
from pasis_tui.core.errors import PasisError
from pasis_tui.widgets.fields import set_text


class CoreRule(Validator):
    """A textual Validator that calls a core parse function and shows its Swedish message."""

    def __init__(self, rule: Callable[[str], Any]) -> None:
        super().__init__()
        self.rule = rule

    def validate(self, value: str) -> ValidationResult:
        try:
            self.rule(value)
        except PasisError as error:
            return self.failure(error.message)
        return self.success()


TOO_LONG = "{label}: högst {limit} tecken"
PASTE_TOO_LONG = (
    "{label}: högst {limit} tecken. Den inklistrade texten ({pasted} tecken) togs inte emot"
)


class LengthCounter(Static):
    """`12/40` beside a text field: how much is typed of its limit (red when text was refused)."""

    DEFAULT_CSS = """
    LengthCounter { width: auto; min-width: 5; padding: 0 0 0 1; color: $text-muted; }
    LengthCounter.-refused { color: $error; text-style: bold; }
    """

    def count(self, length: int, limit: int) -> None:
        self.remove_class("-refused")
        set_text(self, f"{length}/{limit}")

    def refused(self, limit: int) -> None:
        self.add_class("-refused")
        set_text(self, f"högst {limit}")


class LimitedInput(Input):
    """An Input that refuses text beyond `max_length` with a message, never cutting it."""

    class Refused(Message):
        """Typed or pasted text would pass the limit; the field keeps what it had."""

        def __init__(self, input: LimitedInput, message: str) -> None:
            super().__init__()
            self.input = input
            self.message = message

        @property
        def control(self) -> LimitedInput:
            return self.input

    #: Set by the LabeledField that shows the input with a counter.
    counter: LengthCounter | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Textual's Input adds `-valid` the first time a value passes its validators, which
        # restyles the input (5 ms each; a record filling 16 fields paid 80 ms on its first
        # showing). No style of ours reads `-valid`, so every input starts with it; `-invalid`
        # still comes and goes with its rule, as before.
        self.add_class("-valid", update=False)

    def field_label(self) -> str:
        """The label the messages name: the LabeledField's (or the code field's) label."""
        return self.shown_label() or self.id or "Fältet"

    def shown_label(self) -> str:
        """The label the user reads beside the field ('' when it has none of its own)."""
        parent = self.parent
        label = getattr(parent, "label_text", None) or getattr(parent, "label", None)
        return str(label).removesuffix(" *") if label else ""

    def replace(self, text: str, start: int, end: int) -> None:
        limit = self.max_length
        if limit:
            value = self.value
            low, high = sorted((max(0, start), min(len(value), end)))
            length = len(value) - (high - low) + len(text)
            if length > limit:
                self._refuse(text, length, limit)
                return
        super().replace(text, start, end)

    def _refuse(self, text: str, length: int, limit: int) -> None:
        label = self.field_label()
        template = PASTE_TOO_LONG if len(text) > 1 else TOO_LONG
        message = template.format(label=label, limit=limit, pasted=len(text), length=length)
        self.tooltip = message
        if self.counter is not None:
            self.counter.refused(limit)
        self.post_message(self.Refused(self, message))

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            # Textual's watcher sets the virtual size, a layout reactive, so a new value in a
            # field of fixed size would ask for a layout of the whole screen. Set quietly
            # first, the watcher finds it set (SP 090 then opens a watch with no layout pass).
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
        if self.counter is not None and self.max_length:
            self.counter.count(len(value), self.max_length)

    def validate(self, value: str) -> ValidationResult | None:
        """A rule broken on leaving the field is said at once (status line and tooltip); the
        text stays as typed."""
        result = super().validate(value)
        if result is not None and not result.is_valid:
            message = parse.named(self.shown_label(), result.failure_descriptions[0])
            self.tooltip = message
            self.post_message(self.Refused(self, message))
        return result


class TextInput(LimitedInput):
    """Free text (Namn, Orsak): shown with its counter when the form declares it."""


class RuleInput(LimitedInput):
    """An Input checked on leaving it with a core parse function `rule(text, field=id)`."""

    RULE: ClassVar[Callable[..., object]]
    MAX_LENGTH: ClassVar[int]
    PLACEHOLDER: ClassVar[str]
    CSS_CLASS: ClassVar[str]

    def __init__(self, *, id: str, value: str = "", placeholder: str | None = None) -> None:
        rule = type(self).RULE
        super().__init__(
            value=value,
            id=id,
            placeholder=self.PLACEHOLDER if placeholder is None else placeholder,
            max_length=self.MAX_LENGTH,
            validators=[CoreRule(lambda text: rule(text, field=id))],
            validate_on=["blur", "submitted"],
            classes=self.CSS_CLASS,
        )


class DateInput(RuleInput):
    """ÅÅÅÅ-MM-DD (or ÅÅÅÅMMDD); empty allowed, the core applies the default."""

    RULE = staticmethod(parse.parse_date)
    MAX_LENGTH = 10
    PLACEHOLDER = "ÅÅÅÅ-MM-DD"
    CSS_CLASS = "date-input"


class TimeInput(RuleInput):
    """TT:MM."""

    RULE = staticmethod(parse.parse_time)
    MAX_LENGTH = 5
    PLACEHOLDER = "TT:MM"
    CSS_CLASS = "time-input"


class NumberInput(LimitedInput):
    """A whole number in `low`–`high`: checked on leaving it, refused with the range at the
    field (`Antal överbokningar: 0–999`), the typed text kept."""

    def __init__(
        self, *, id: str, label: str, low: int, high: int, placeholder: str = "", value: str = ""
    ) -> None:
        super().__init__(
            value=value,
            id=id,
            placeholder=placeholder,
            max_length=len(str(high)) + 2,  # room to see a wrong value typed, never cut
            validators=[
                CoreRule(
                    lambda text: parse.parse_int(text, field=id, low=low, high=high, label=label)
                )
            ],
            validate_on=["blur", "submitted"],
            classes="number-input",
        )


class CodeInput(LimitedInput):
    """A Pasis code of at most `max_length` characters, shown upper-case as typed."""

    def __init__(self, *, id: str, max_length: int = 4, value: str = "") -> None:
        super().__init__(value=value, id=id, max_length=max_length, classes="code-input")

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(text.upper())


class Stamps(Static):
    """`Upplagd 20250509 VIS   Ändrad 20250509 VIS` under a form."""

    DEFAULT_CSS = "Stamps { height: 1; color: $text-muted; margin-top: 1; }"

    def show_stamps(self, created: str, changed: str) -> None:
        set_text(self, f"Upplagd {created or '–'}   Ändrad {changed or '–'}")
