"""A keyboard list of items under headings (the 1177 times under their days), drawn line by line.

Only the lines on screen are rendered (Textual's line API), so a list of 500 times under 32 days
is drawn as fast as one of ten: an OptionList or a DataTable builds every row before the first
paint. The cursor skips the headings; Enter posts `GroupedList.Chosen` with the item's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: One line: its text, and the key of an item (None: a heading, which the cursor skips).
Line = tuple[str, str | None]


class GroupedList(ScrollView, can_focus=True):
    """Headings and items; ↑/↓, PgUp/PgDn, Home/End move among the items, Enter chooses one."""

    DEFAULT_CSS = """
    GroupedList { height: 1fr; }
    GroupedList > .grouped-list--heading { text-style: bold; }
    GroupedList > .grouped-list--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grouped-list--heading",
        "grouped-list--item",
        "grouped-list--cursor",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Föregående", show=False, id="lista.upp"),
        Binding("down", "move(1)", "Nästa", show=False, id="lista.ned"),
        Binding("pageup", "page(-1)", "Föregående sida", show=False, id="lista.sida_upp"),
        Binding("pagedown", "page(1)", "Nästa sida", show=False, id="lista.sida_ned"),
        Binding("home", "end(-1)", "Första", show=False, id="lista.forsta"),
        Binding("end", "end(1)", "Sista", show=False, id="lista.sista"),
        Binding("enter", "choose", "Välj", show=False, id="lista.valj"),
    ]

    class Chosen(Message):
        """Enter on an item: `key` is the item's key."""

        def __init__(self, grouped_list: GroupedList, key: str) -> None:
            super().__init__()
            self.grouped_list = grouped_list
            self.key = key

        @property
        def control(self) -> GroupedList:
            return self.grouped_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: tuple[Line, ...] = ()
        self.cursor: int | None = None

    def set_lines(self, lines: Sequence[Line], *, cursor_key: str | None = None) -> None:
        """Show these lines, the cursor on `cursor_key` (or the first item), scrolled home."""
        self.lines = tuple(lines)
        keys = [key for _, key in self.lines]
        wanted = keys.index(cursor_key) if cursor_key is not None and cursor_key in keys else None
        self.cursor = wanted if wanted is not None else self._next(-1, 1)
        self.virtual_size = Size(max((len(text) for text, _ in self.lines), default=0), len(lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._show_cursor()
        self.refresh()

    @property
    def highlighted_key(self) -> str | None:
        return self.lines[self.cursor][1] if self.cursor is not None else None

    @property
    def item_count(self) -> int:
        return sum(1 for _, key in self.lines if key is not None)

    # -- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        text, key = self.lines[index]
        if key is None:
            part = "grouped-list--heading"
        elif index == self.cursor and self.has_focus:
            part = "grouped-list--cursor"
        else:
            part = "grouped-list--item"
        style = self.rich_style + self.get_component_rich_style(part)
        strip = Strip([Segment(text, style)]).extend_cell_length(width, style)
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- keys ----------------------------------------------------------------------------------

    def _next(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self.lines):
            if self.lines[index][1] is not None:
                return index
            index += step
        return None

    def _move_to(self, index: int | None) -> None:
        if index is not None:
            self.cursor = index
            self._show_cursor()
            self.refresh()

    def _show_cursor(self) -> None:
        """Scroll the cursor into view, with its heading when it is the first of its group."""
        if self.cursor is None:
            return
        top = self.cursor
        while top > 0 and self.lines[top - 1][1] is None:
            top -= 1
        self.scroll_to_region(
            Region(0, top, 1, self.cursor - top + 1), animate=False, immediate=True
        )

    def action_move(self, step: int) -> None:
        if self.cursor is not None:
            self._move_to(self._next(self.cursor, step))

    def action_page(self, step: int) -> None:
        if self.cursor is None:
            return
        target = min(max(self.cursor + step * max(self.size.height - 1, 1), 0), len(self.lines) - 1)
        found = self._next(target - step, step)
        self._move_to(found if found is not None else self._next(target, -step))

    def action_end(self, step: int) -> None:
        self._move_to(self._next(len(self.lines) if step > 0 else -1, -step))

    def action_choose(self) -> None:
        key = self.highlighted_key
        if key is not None:
            self.post_message(self.Chosen(self, key))
