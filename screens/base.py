"""The frame every Pasis screen shares: header line, body, status line, key line; DB workers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import TabbedContent

from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import named
from pasis_tui.widgets import HeaderLine, LabeledField, PasisButton, StatusLine
from pasis_tui.widgets.form import RecordForm
from pasis_tui.widgets.inputs import LimitedInput
from pasis_tui.widgets.keyline import KeyLine
from pasis_tui.widgets.work import Generations, WorkTracker

if TYPE_CHECKING:
    from pasis_tui.core.context import WorkContext
    from screens import ScreenEntry

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_ERROR = "Databasfel ({kind}): åtgärden gjordes inte. Försök igen eller kontakta support."


class PasisHost(Protocol):
    """What a screen may ask of the app, without importing it (the stack points one way)."""

    ctx: WorkContext | None
    db_work: WorkTracker

    def when_ready(self, callback: Callable[[], None]) -> None: ...
    def header_values(self) -> tuple[str, str, str]: ...


class OpenScreenRequest(Message):
    """Ask the app to open a screen by what a user typed or chose (`270`, `dag`, a menu key).

    `params` travel with the request to the opened screen's `receive` (SP 272's Tidbok button
    sends the caregiver and the day), so no screen imports another.
    """

    def __init__(self, text: str, params: object = None) -> None:
        super().__init__()
        self.text = text
        self.params = params


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


#: How long a filter waits after the last key before it asks the database (Sök fires per key).
DEBOUNCE_SECONDS = 0.2


class PasisScreen(Screen[None]):
    """A Pasis "bild": `compose_body` and `HELP`; `on_ready` runs once, `on_open` per showing."""

    HELP: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Tillbaka", id="pasis.tillbaka"),
        *_tab_bindings(),
    ]

    def __init__(self, entry: ScreenEntry) -> None:
        super().__init__(id=f"bild_{entry.key}")
        self.entry = entry
        self._generations = Generations()
        self._debounced: dict[str, Timer] = {}
        self._ready = False
        self._open_queued = False
        self._opened_early = False
        self._styled_at: tuple[object, ...] | None = None
        #: Database requests of this screen not yet shown, and what waits for them all.
        self._in_flight = 0
        self._when_loaded: list[Callable[[], None]] = []

    # -- frame ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeaderLine(id="header_line")
        with Vertical(id="body"):
            yield from self.compose_body()
        yield StatusLine(id="status_line")
        yield KeyLine(id="key_line")

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

    @on(events.ScreenResume)
    def _frame_resumed(self, event: events.ScreenResume) -> None:
        """Every showing loads once: the first after `on_ready`, later ones fresh data."""
        # Textual restyles every widget of a screen it shows again (a third of a re-open);
        # that is only needed when the styles could have changed since this screen was styled.
        # This handler runs before Screen's own, which reads `refresh_styles`.
        if event.refresh_styles:
            if self.styles_current():
                event.refresh_styles = False
            else:
                self.mark_styled()  # Screen's handler, next, restyles it
        self.refresh_header()
        if self._opened_early:  # its data was loaded before it was shown (`open_before_show`)
            self._opened_early = False
        elif not self._open_queued:
            self._open_queued = True
            # After a refresh, so that forms composed inside the screen's widgets exist too.
            self.call_after_refresh(self.host.when_ready, self._opened)

    def style_stamp(self) -> tuple[object, ...]:
        """What this screen's styles depend on beyond its own widgets: the app's CSS (its
        sources and variables), theme and classes."""
        app = self.app
        return (
            app._css_update_count,
            len(app.stylesheet.source),
            app.theme,
            frozenset(app.classes),
        )

    def styles_current(self) -> bool:
        return self._styled_at == self.style_stamp()

    def mark_styled(self) -> None:
        """The screen's styles are up to date with the app's CSS as it is now."""
        self._styled_at = self.style_stamp()

    def _opened(self) -> None:
        self._open_queued = False
        if not self._ready:
            self._ready = True
            self.on_ready()
        self.on_open()

    def open_before_show(self, then: Callable[[], None]) -> None:
        """Load what the next showing shows while the screen is still off the stack, then
        `then()` (which shows it): the screen is laid out and drawn once, with its data,
        instead of once empty and again when the data comes."""
        self._opened_early = True
        self._opened()
        self.after_loads(then)

    async def prepare_first_showing(self, size: Size) -> None:
        """At idle, before the screen was ever shown: load what it shows, lay it out and draw
        it off screen. Its first showing then loads again (fresh data), but finds the widgets'
        lines drawn unless that data differs; otherwise drawing a screen for the first time
        costs three times drawing it again (Rich renders every table cell)."""
        if self._ready:
            return
        loaded: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._opened()
        self.after_loads(lambda: loaded.set_result(None))
        await loaded
        self._refresh_layout(size)
        self._compositor.render_update(full=True)  # fills the widgets' line caches; not sent

    def after_loads(self, callback: Callable[[], None]) -> None:
        """`callback()` once every database request of this screen has been shown."""
        if self._in_flight:
            self._when_loaded.append(callback)
        else:
            callback()

    def _load_shown(self) -> None:
        self._in_flight -= 1
        if not self._in_flight:
            waiting, self._when_loaded = self._when_loaded, []
            for callback in waiting:
                callback()

    def on_mount(self) -> None:
        """Subclasses' own mount work; the frame's runs anyway (see `_frame_mounted`)."""

    def on_screen_resume(self) -> None:
        """Subclasses' own resume work; the frame's runs anyway (see `_frame_resumed`)."""

    def receive(self, params: object) -> None:
        """Parameters of the request that opens this screen (before it is shown)."""

    def on_ready(self) -> None:
        """The database is open and the screen shown for the first time: one-time set-up."""

    def on_open(self) -> None:
        """The screen is shown (first time after `on_ready`): load what it shows, once."""

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
            self.leave(self._go_back)

    def _go_back(self) -> None:
        self.status("")  # a message belongs to the screen it was given on
        self.app.pop_screen()
        below = self.app.screen
        if isinstance(below, PasisScreen):
            below.status("")

    # -- leaving with unsaved edits --------------------------------------------------------------

    def can_save(self) -> bool:
        """Whether the screen has a Spara (`action_spara`) that "Spara ändringar?" can run."""
        return callable(getattr(self, "action_spara", None))

    def unsaved_changes(self) -> bool:
        """A form of the screen holds values that differ from what it loaded."""
        if not self.can_save():
            return False
        return any(form.has_changes for form in self.query(RecordForm))

    async def save_changes(self) -> None:
        """Ja to "Spara ändringar?": each changed form's save action (`RecordForm.SAVE_ACTION`,
        the screen's Spara unless the form names another)."""
        actions = [form.SAVE_ACTION for form in self.query(RecordForm) if form.has_changes]
        for action in dict.fromkeys(actions):
            await self.run_action(action)

    def leave(self, then: Callable[[], object]) -> None:
        """Run `then` (go back, quit), first asking "Spara ändringar?" if there are edits."""
        if self.unsaved_changes():
            self._ask_before_leaving(then)
        else:
            then()

    @work(exclusive=True, group="lamna")
    async def _ask_before_leaving(self, then: Callable[[], object]) -> None:
        from screens.modals import SaveChangesModal

        tracker = self.host.db_work
        answer = await self._ask(SaveChangesModal())
        if answer == "ja":
            await self.save_changes()
            tracker.end()  # the save's own work is counted now: wait for it to be shown
            await tracker.wait_idle()
            if not self.unsaved_changes():  # else refused: the message is at the field
                then()
            return
        try:
            if answer == "nej":
                for form in self.query(RecordForm):
                    form.revert()
                then()
        finally:
            tracker.end()

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

    @on(LimitedInput.Refused)
    def _text_refused(self, event: LimitedInput.Refused) -> None:
        """Text beyond a field's limit: said in the status line (the field shows its limit)."""
        self.status(event.message, error=True)

    def clear_errors(self) -> None:
        for form in self.query(RecordForm):
            form.clear_marks()
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        self.status("")

    #: Domain fields of the core's errors that no form declares, mapped to this screen's widgets.
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {}

    def show_error(self, error: PasisError) -> None:
        """The message in the status line; the field is marked and focused, its text kept.

        The error names a domain field; the first form that declares it marks its widget.
        """
        if not error.field:
            self.status(error.message, error=True)
            return
        for form in self.query(RecordForm):
            spec = form.spec(error.field)
            if spec is None:
                continue
            message = named(spec.called, error.message)  # as the user reads the field's label
            if form.mark(error.field, message):
                self.status(message, error=True)
                return
        self.status(error.message, error=True)
        widget_id = self.FIELD_WIDGETS.get(error.field, error.field)
        try:
            field = self.query_one(f"#{widget_id}", Widget)
        except NoMatches:
            return
        field.add_class("-invalid")
        if isinstance(field.parent, LabeledField):
            field.parent.add_class("-invalid")
        if field.focusable:
            field.focus()

    # -- buttons and questions -----------------------------------------------------------------

    @on(PasisButton.Pressed)
    async def _button_runs_action(self, event: PasisButton.Pressed) -> None:
        action = getattr(event.button, "run_action_name", None)
        if action:
            event.stop()
            await self.run_action(action)

    async def confirm(self, question: str) -> bool:
        """Ask Ja/Nej and wait for the answer; await it from a worker (`@work` action).

        From the answer until the caller's next step has started, the app counts as busy, so a
        test that answers and then settles sees the work the answer starts.
        """
        from screens.modals import ConfirmModal

        answer = await self._ask(ConfirmModal(question))
        asyncio.get_running_loop().call_soon(self.host.db_work.end)
        return bool(answer)

    async def _ask(self, modal: Screen[T]) -> T | None:
        """Push `modal` and wait for its answer; the app counts as busy from the answer on
        (the caller ends that with `db_work.end()` once its next step has started)."""
        future: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()
        tracker = self.host.db_work

        def answered(answer: T | None) -> None:
            tracker.begin()
            future.set_result(answer)

        self.app.push_screen(modal, answered)
        return await future

    # -- database work off the UI thread -------------------------------------------------------

    def run_db(
        self,
        work: Callable[[WorkContext], T],
        done: Callable[[T], Any],
        *,
        group: str | None = "db",
    ) -> None:
        """Run `work` in a thread and `done(result)` on the UI thread; errors go to the field.

        A result (or error) that arrives after a newer request of the same group is dropped,
        also when its thread finishes late. `group=None` is for writes, whose outcome is always
        shown. The app's `db_work` tracker counts the request until it is shown or dropped.
        """
        ctx = self.ctx
        app = self.app
        tracker = self.host.db_work
        generation = self._generations.next(group) if group else 0
        tracker.begin()
        self._in_flight += 1

        def deliver(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
            try:
                if group is None or self._generations.is_current(group, generation):
                    callback(*args, **kwargs)
            finally:
                self._load_shown()
                tracker.end()

        def job() -> None:
            try:
                result = work(ctx)
            except PasisError as error:
                app.call_from_thread(deliver, self.show_error, error)
                return
            except Exception as error:  # never a traceback in front of a user
                log.exception("database work failed")
                from pasis_tui.core.db import lock_message  # loaded by now; not at start-up

                message = lock_message(error) or DB_ERROR.format(kind=type(error).__name__)
                app.call_from_thread(deliver, self.status, message, error=True)
                return
            app.call_from_thread(deliver, done, result)

        self.run_worker(job, thread=True, group=group or "write", exit_on_error=False)

    def debounce(self, key: str, callback: Callable[[], Any]) -> None:
        """Run `callback` once typing pauses: each call within the delay restarts the wait."""
        tracker = self.host.db_work
        pending = self._debounced.pop(key, None)
        if pending is not None:
            pending.stop()
        else:
            tracker.begin()

        def fire() -> None:
            self._debounced.pop(key, None)
            try:
                callback()
            finally:
                tracker.end()

        self._debounced[key] = self.set_timer(DEBOUNCE_SECONDS, fire)

    def cancel_debounce(self, key: str) -> None:
        """Forget a filter change still waiting (a load that happens now covers it)."""
        pending = self._debounced.pop(key, None)
        if pending is not None:
            pending.stop()
            self.host.db_work.end()
