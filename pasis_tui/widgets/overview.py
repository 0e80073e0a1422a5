"""The "1 Översikt" list: declared filters (debounced), a count, a table keyed by id, paging.

PgUp/PgDn on the first/last row move a page through the core's offset/limit; Enter on a row
posts `OverviewList.Opened` with the row's key. The list asks its screen for the data through
`fetch` (a core use case returning a `Page`) and never touches the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select

from pasis_tui.core.paging import PAGE_SIZE
from pasis_tui.widgets.fields import LabeledField, set_text
from pasis_tui.widgets.form import FormField
from pasis_tui.widgets.tables import show_rows

Cells = tuple[Any, ...]


class DbRunner(Protocol):
    """What the list needs of its screen (PasisScreen): run a read, debounce a filter."""

    def run_db(self, work: Any, done: Any, *, group: str | None = ...) -> None: ...
    def debounce(self, key: str, callback: Callable[[], Any]) -> None: ...
    def cancel_debounce(self, key: str) -> None: ...


class PagedTable(DataTable[Any]):
    """A DataTable whose PgUp/PgDn at the first/last row ask for the previous/next page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page_up", "Föregående sida", show=False, id="lista.foregaende_sida"),
        Binding("pagedown", "page_down", "Nästa sida", show=False, id="lista.nasta_sida"),
    ]

    class PageWanted(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def action_page_up(self) -> None:
        if self.cursor_row <= 0:
            self.post_message(self.PageWanted(-1))
        else:
            super().action_page_up()

    def action_page_down(self) -> None:
        if self.cursor_row >= self.row_count - 1:
            self.post_message(self.PageWanted(1))
        else:
            super().action_page_down()


class OverviewList(Vertical):
    """Subclasses declare `NOUN` (and `SINGULAR`), `FILTERS`, `COLUMNS`, and give `fetch` and
    `cells`."""

    DEFAULT_CSS = """
    OverviewList { height: 1fr; }
    OverviewList > .lista_filter { height: auto; margin: 1 0; }
    OverviewList > .lista_filter LabeledField > Label { padding: 0 1 0 0; }
    OverviewList > .lista_filter Input { width: 30; }
    OverviewList > .lista_filter Select { width: 30; }
    OverviewList > .lista_antal { color: $text-muted; height: 1; }
    OverviewList > PagedTable { height: 1fr; }
    """

    NOUN: ClassVar[str] = "rader"
    #: The noun for one line ("1 aktivitet"); empty: the list's noun has one form ("1 sms").
    SINGULAR: ClassVar[str] = ""
    FILTERS: ClassVar[tuple[FormField, ...]] = ()
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]] = ()  # label, width (0: auto)
    PAGE_SIZE: ClassVar[int] = PAGE_SIZE

    class Opened(Message):
        """Enter on a row: `key` is the row's id as the core gave it."""

        def __init__(self, overview: OverviewList, key: str) -> None:
            super().__init__()
            self.overview = overview
            self.key = key

        @property
        def control(self) -> OverviewList:
            return self.overview

    def __init__(self, *, table_id: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.table_id = table_id
        self.page_offset = 0
        self.total = 0
        self.listed: tuple[Any, ...] | None = None
        self._first_page_after_load = True

    def compose(self) -> ComposeResult:
        if self.FILTERS:
            with Horizontal(classes="lista_filter"):
                for spec in self.FILTERS:
                    yield LabeledField(spec.label, spec.build())
        yield Label("", classes="lista_antal", id=f"{self.table_id}_antal")
        yield PagedTable(cursor_type="row", id=self.table_id, zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.table
        for label, width in self.COLUMNS:
            table.add_column(label, width=width or None)

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    @property
    def runner(self) -> DbRunner:
        return self.screen  # type: ignore[return-value]

    # -- what subclasses give ------------------------------------------------------------------

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Callable[[Any], Any]:
        """A function of the WorkContext returning a `Page` (one core call)."""
        raise NotImplementedError

    def cells(self, line: Any) -> tuple[str, Cells]:
        """A line's key and its cells, in `COLUMNS` order."""
        raise NotImplementedError

    # -- filters -------------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in self.FILTERS:
            widget = self.query_one(f"#{spec.widget_id}")
            if isinstance(widget, Select):
                value = widget.value
                values[spec.domain] = spec.blank if value is Select.NULL else value
            elif isinstance(widget, Input):
                values[spec.domain] = widget.value
        return values

    @on(Input.Changed)
    @on(Select.Changed)
    def _filter_changed(self, event: Message) -> None:
        event.stop()
        if self.listed is not None and self._query(0) != self.listed:
            self.runner.debounce(self._debounce_key, lambda: self.load(offset=0))

    @property
    def _debounce_key(self) -> str:
        return f"lista_{self.table_id}"

    def _query(self, offset: int) -> tuple[Any, ...]:
        return (tuple(sorted(self.filters().items())), offset)

    # -- loading -------------------------------------------------------------------------------

    def load(self, *, offset: int | None = None) -> None:
        """Ask for a page (the current one unless `offset` is given) with the filters as typed."""
        self.runner.cancel_debounce(self._debounce_key)
        start = self.page_offset if offset is None else max(0, offset)
        self.listed = self._query(start)
        work = self.fetch(self.filters(), start, self.PAGE_SIZE)
        self.runner.run_db(work, self.show, group=self._debounce_key)

    def show(self, page: Any) -> None:
        """Draw a `Page`: its lines keyed by id, the count and where the page lies."""
        table = self.table
        step_back = page.offset < self.page_offset
        self.page_offset, self.total = page.offset, page.total
        rows = [(*self.cells(line), 1) for line in page.lines]
        # the same page again (a re-open) keeps its drawn rows and the user's row
        if show_rows(table, rows) and page.lines and step_back:
            table.move_cursor(row=len(page.lines) - 1)
        set_text(self.query_one(".lista_antal", Label), self.count_text(page))

    def counted(self, count: int) -> str:
        """`1 aktivitet`, `2 aktiviteter`, `0 aktiviteter`."""
        return f"{count} {self.SINGULAR if count == 1 and self.SINGULAR else self.NOUN}"

    def count_text(self, page: Any) -> str:
        if page.total <= len(page.lines) and page.offset == 0:
            return self.counted(page.total)
        first = page.offset + 1 if page.lines else 0
        return f"{self.counted(page.total)}, visar {first}–{page.last} (PgUp/PgDn bläddrar)"

    @on(PagedTable.PageWanted)
    def _page(self, event: PagedTable.PageWanted) -> None:
        event.stop()
        offset = self.page_offset + event.step * self.PAGE_SIZE
        if 0 <= offset < self.total:
            self.load(offset=offset)

    @on(DataTable.RowSelected)
    def _opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(self, str(event.row_key.value)))

    def row_cells(self, key: str) -> Sequence[Any]:
        return self.table.get_row(key)
