"""Inputs checked with the core's own rules when left (the core still decides on save)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Static

from pasis_tui.core import parse
from pasis_tui.core.errors import PasisError


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


class RuleInput(Input):
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


class CodeInput(Input):
    """A Pasis code of at most `max_length` characters, shown upper-case as typed."""

    def __init__(self, *, id: str, max_length: int = 4, value: str = "") -> None:
        super().__init__(value=value, id=id, max_length=max_length, classes="code-input")

    def insert_text_at_cursor(self, text: str) -> None:
        super().insert_text_at_cursor(text.upper())


class Stamps(Static):
    """`Upplagd 20250509 VIS   Ändrad 20250509 VIS` under a form."""

    DEFAULT_CSS = "Stamps { height: 1; color: $text-muted; margin-top: 1; }"

    def show_stamps(self, created: str, changed: str) -> None:
        self.update(f"Upplagd {created or '–'}   Ändrad {changed or '–'}")
