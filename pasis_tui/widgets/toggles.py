"""Choices shown side by side as Pasis draws them, each one focusable widget (no pop-up).

`OptionRow`: one of a few visible choices, `(•) Vårdgivarschema  ( ) Plattschema`; ←/→ choose.
`WeekdayRow`: the seed's `Må Ti On To Fr Lö Sö Må-Fr`; ←/→ move, Space toggles the day under
the cursor, and on `Må-Fr` the five weekdays together. Its `text` is what the core parses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from pasis_tui.core.parse import WEEKDAY_NAMES, WORKWEEK

WORKDAYS = frozenset(range(5))


class OptionRow(Widget, can_focus=True):
    """One of `options` (label, value), all visible; ←/→ (or Space on the next) choose."""

    DEFAULT_CSS = """
    OptionRow { height: 1; }
    OptionRow:focus { background: $boost; }
    OptionRow.-invalid { background: $error 40%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Föregående val", show=False, id="val.vanster"),
        Binding("right,space", "step(1)", "Nästa val", show=False, id="val.hoger"),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, row: OptionRow, value: Any) -> None:
            super().__init__()
            self.row = row
            self.value = value

        @property
        def control(self) -> OptionRow:
            return self.row

    def __init__(
        self, options: Sequence[tuple[str, Any]], *, id: str, value: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(id=id, **kwargs)
        self.options = list(options)
        # `(•) label` per choice, two spaces between, one after: fixed, so a row never reflows
        self.styles.width = sum(len(label) + 4 for label, _v in self.options) + 2 * len(options) - 1
        if value is not None:
            self.set_reactive(OptionRow.index, self._index_of(value))

    def _index_of(self, value: Any) -> int:
        for index, (_label, option) in enumerate(self.options):
            if option == value:
                return index
        raise ValueError(f"{value!r} is not a choice of {self.id}")

    @property
    def value(self) -> Any:
        return self.options[self.index][1]

    @value.setter
    def value(self, value: Any) -> None:
        self.index = self._index_of(value)

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def watch_index(self, old: int, new: int) -> None:
        if old != new:
            self.post_message(self.Changed(self, self.value))

    def render(self) -> Content:
        parts: list[Content] = []
        for index, (label, _value) in enumerate(self.options):
            chosen = index == self.index
            mark = "(•) " if chosen else "( ) "
            parts.append(Content.styled(mark + label, "bold" if chosen else "dim"))
        return Content("  ").join(parts)


class WeekdayRow(Widget, can_focus=True):
    """`Må Ti On To Fr Lö Sö Må-Fr`: the chosen days shown reversed, the cursor underlined."""

    DEFAULT_CSS = """
    WeekdayRow { width: 31; height: 1; }
    WeekdayRow:focus { background: $boost; }
    WeekdayRow.-invalid { background: $error 40%; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Föregående dag", show=False, id="veckodag.vanster"),
        Binding("right", "move(1)", "Nästa dag", show=False, id="veckodag.hoger"),
        Binding("space", "toggle_day", "Välj/avvälj", show=False, id="veckodag.valj"),
    ]
    LABELS: ClassVar[tuple[str, ...]] = (*WEEKDAY_NAMES, WORKWEEK)

    cursor: reactive[int] = reactive(0)
    days: reactive[frozenset[int]] = reactive(frozenset)

    class Changed(Message):
        def __init__(self, row: WeekdayRow) -> None:
            super().__init__()
            self.row = row

        @property
        def control(self) -> WeekdayRow:
            return self.row

    def __init__(self, days: Iterable[int] = WORKDAYS, *, id: str, **kwargs: Any) -> None:
        super().__init__(id=id, **kwargs)
        self.set_reactive(WeekdayRow.days, frozenset(days))

    @property
    def text(self) -> str:
        """`Må-Fr`, `Må On Fr` or empty: what the core's Veckodag rule reads."""
        if self.days == WORKDAYS:
            return WORKWEEK
        return " ".join(WEEKDAY_NAMES[day] for day in sorted(self.days))

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.LABELS)

    def action_toggle_day(self) -> None:
        if self.cursor == len(WEEKDAY_NAMES):  # Må-Fr: all five on, or (when all are) off
            self.days = self.days - WORKDAYS if WORKDAYS <= self.days else self.days | WORKDAYS
        else:
            self.days = self.days ^ {self.cursor}

    def watch_days(self, old: frozenset[int], new: frozenset[int]) -> None:
        if old != new:
            self.post_message(self.Changed(self))

    def render(self) -> Content:
        parts: list[Content] = []
        for index, label in enumerate(self.LABELS):
            chosen = WORKDAYS <= self.days if index == len(WEEKDAY_NAMES) else index in self.days
            style = "bold reverse" if chosen else "dim"
            if index == self.cursor and self.has_focus:
                style += " underline"
            parts.append(Content.styled(label, style))
        return Content(" ").join(parts)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
