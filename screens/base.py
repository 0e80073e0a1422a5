"""The frame every Pasis screen shares: header line, body, status line, footer; keys; DB workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, TabbedContent

from pasis_tui.core.errors import PasisError
from pasis_tui.widgets import HeaderLine, LabeledField, PasisButton, StatusLine

if TYPE_CHECKING:
    from pasis_tui.core.context import WorkContext
    from screens import ScreenEntry

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_ERROR = "Databasfel ({kind}): åtgärden gjordes inte. Försök igen eller kontakta support."


class PasisHost(Protocol):
    """What a screen may ask of the app, without importing it (the stack points one way)."""

    ctx: WorkContext | None

    def when_ready(self, callback: Callable[[], None]) -> None: ...
    def header_values(self) -> tuple[str, str, str]: ...


class OpenScreenRequest(Message):
    """Ask the app to open a screen by what a user typed or chose (`270`, `dag`, a menu key)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def _tab_bindings() -> list[BindingType]:
    return [
        Binding(
            f"alt+{n}",
            f"tab({n})",
            f"Flik {n}",
            show=False,
            priority=True,
            key_display=f"Alt+{n}",
            id=f"pasis.flik{n}",
        )
        for n in range(1, 8)
    ]


class PasisScreen(Screen[None]):
    """A Pasis "bild": subclasses give `compose_body`, `HELP` and load data in `on_ready`."""

    HELP: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Tillbaka", id="pasis.tillbaka"),
        *_tab_bindings(),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(id=f"bild_{entry.key}")
        self.entry = entry

    # -- frame ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderLine(id="header_line")
        with Vertical(id="body"):
            yield from self.compose_body()
        yield StatusLine(id="status_line")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    @property
    def host(self) -> PasisHost:
        return cast(PasisHost, self.app)

    @property
    def ctx(self) -> WorkContext:
        ctx = self.host.ctx
        assert ctx is not None, "the database is not open yet"
        return ctx

    # Textual calls the handler of every class in the MRO, so the frame's own work sits in
    # decorated handlers (run once); subclasses write plain `on_mount` without calling super().

    @on(events.Mount)
    def _frame_mounted(self) -> None:
        self.refresh_header()
        self.host.when_ready(self.on_ready)

    @on(events.ScreenResume)
    def _frame_resumed(self) -> None:
        self.refresh_header()

    def on_mount(self) -> None:
        """Subclasses' own mount work; the frame's runs anyway (see `_frame_mounted`)."""

    def on_screen_resume(self) -> None:
        """Subclasses' own resume work; the frame's runs anyway (see `_frame_resumed`)."""

    def on_ready(self) -> None:
        """The database is open: load what the screen shows."""

    def refresh_header(self) -> None:
        unit, user, moment = self.host.header_values()
        try:
            header = self.query_one(HeaderLine)
        except NoMatches:
            return
        header.unit_label = unit
        header.user = user
        header.moment = moment
        header.screen_number = self.entry.sp_number
        header.screen_title = self.entry.name

    # -- keys ----------------------------------------------------------------------------------

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()

    def action_tab(self, number: int) -> None:
        """Alt+N opens tab N, as the tabs are numbered in Pasis (`1 Översikt`, `2 Registrering`)."""
        try:
            tabs = self.query_one(TabbedContent)
        except NoMatches:
            return
        panes = list(tabs.query("TabPane"))
        if 1 <= number <= len(panes) and panes[number - 1].id:
            tabs.active = panes[number - 1].id or ""

    def press_accelerator(self, letter: str) -> bool:
        """Alt + the underlined letter presses that button (webb-Pasis); False if none has it."""
        for button in self.query(PasisButton):
            if button.accelerator == letter and button.display and not button.disabled:
                if button.visible and button.is_on_screen:
                    button.press()
                    return True
        return False

    # -- messages at the field and in the status line ------------------------------------------

    def status(self, message: str, *, error: bool = False) -> None:
        try:
            self.query_one(StatusLine).show(message, error=error)
        except NoMatches:
            pass

    def clear_errors(self) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.status("")

    def show_error(self, error: PasisError) -> None:
        """The message in the status line; the field is marked and focused, its text kept."""
        self.status(error.message, error=True)
        if not error.field:
            return
        try:
            field = self.query_one(f"#{error.field}", Widget)
        except NoMatches:
            return
        field.add_class("-invalid")
        if isinstance(field.parent, LabeledField):
            field.parent.add_class("-invalid")
        if field.focusable:
            field.focus()

    # -- database work off the UI thread -------------------------------------------------------

    def run_db(
        self,
        work: Callable[[WorkContext], T],
        done: Callable[[T], Any],
        *,
        group: str = "db",
    ) -> None:
        """Run `work` in a thread and `done(result)` on the UI thread; errors go to the field."""
        ctx = self.ctx
        app = self.app

        def job() -> None:
            try:
                result = work(ctx)
            except PasisError as error:
                app.call_from_thread(self.show_error, error)
                return
            except Exception as error:  # never a traceback in front of a user
                log.exception("database work failed")
                from pasis_tui.core.db import lock_message  # loaded by now; not at start-up

                message = lock_message(error) or DB_ERROR.format(kind=type(error).__name__)
                app.call_from_thread(self.status, message, error=True)
                return
            app.call_from_thread(done, result)

        self.run_worker(job, thread=True, exclusive=True, group=group, exit_on_error=False)
