"""The app shell: header line, Bild field (Alt+X), navigation by screen number, status line.

The database layer (SQLAlchemy costs about 0.8 s to import) is opened in a worker after the
menu's first paint; screens that need it run their loading in `on_ready`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import logging
import string
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.keys import Keys

from pasis_tui import startup_gc
from pasis_tui.core import parse
from pasis_tui.core.clock import Clock, SystemClock
from pasis_tui.core.errors import PasisError
from pasis_tui.widgets.keyline import key_display, shown_keys
from pasis_tui.widgets.work import WorkTracker
from screens import BY_KEY, SCREENS, ScreenEntry, find_screens, screen_class
from screens.base import OpenScreenRequest, PasisScreen
from screens.meny import MenuScreen

if TYPE_CHECKING:
    from pasis_tui.core.context import WorkContext

log = logging.getLogger(__name__)

MENU_ENTRY = ScreenEntry("meny", "MENY", "Meny", "screens.meny", "MenuScreen")
UNKNOWN_SCREEN = (
    "Okänd bild: {text}. Skriv ett bildnummer (270, 272, 090, 191, 177, 721, 1177) "
    "eller början av namnet."
)
NO_UNIT_YET = (
    "Databasen har inga enheter ännu: starta med --enhet KOD för att lägga upp din enhet, "
    "eller `pasis demo` för demodata."
)
DB_CANNOT_OPEN = "Databasen kan inte öppnas ({url}): {reason}"
CLOCK_NOT_MOVABLE = "Klockan går att flytta (F9) bara när programmet startats med --now"
#: Built first at idle, in this order: the screens whose first open built on the key costs most
#: (`bench/screens.py`'s cold column, 2026-12-04: SP 090 563 ms, SP 272 418, Dagmallar 361,
#: SP 191 353; the others 83-236 ms). The idle build takes about 5 s after start-up.
PREBUILD_FIRST = ("090", "272", "270d", "191")
#: How often the running app sends the invitations and reminders that fell due.
DISPATCH_SECONDS = 60
#: How long the app must have had no key and no database work before it builds a screen at idle.
PREBUILD_QUIET_SECONDS = 0.5

#: Alt + letter presses the button with that letter underlined; Alt+X is the Bild field.
ACCELERATOR_LETTERS = [c for c in string.ascii_lowercase if c != "x"] + ["å", "ä", "ö"]


#: Terminals that send Alt as ESC make Alt+1 arrive as ESC 1, which Textual reads as "¡" (the
#: macOS Option+1 character, see textual._ansi_sequences). A focused Input would consume that
#: printable key before any binding, so the app turns it back into alt+1 … alt+7 first.
ESC_DIGIT_KEYS = {
    "inverted_exclamation_mark": "alt+1",
    "trade_mark_sign": "alt+2",
    "pound_sign": "alt+3",
    "cent_sign": "alt+4",
    "infinity": "alt+5",
    "section_sign": "alt+6",
    "pilcrow_sign": "alt+7",
}


def _free_alt_b_and_f() -> None:
    """Let ESC b / ESC f mean Alt+B / Alt+F (B̲orttag …) as in webb-Pasis.

    Textual reads them as Ctrl+Left/Right for iTerm's "natural editing" (textual._ansi_sequences);
    the terminals clinics use (Windows Terminal, PuTTY, xterm, tmux) send them for Alt+B/F, and a
    real Ctrl+Left/Right arrives as its own CSI sequence either way.
    """
    try:
        from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
    except ImportError:  # a future Textual without the table: nothing to undo
        return
    table = cast(dict[str, object], ANSI_SEQUENCES_KEYS)  # a plain dict, typed as a Mapping
    for sequence in ("\x1bb", "\x1bf"):
        if table.get(sequence) in ((Keys.ControlLeft,), (Keys.ControlRight,)):
            del table[sequence]


def _warm_up(today: dt.date) -> None:
    """Every screen module, and the red days SP 272 and the Tidbok show, off the UI thread, so
    that the first open of each is fast."""
    for entry in SCREENS:
        if entry.module:
            importlib.import_module(entry.module)
    from pasis_tui.core.scheduling import preload_red_days

    preload_red_days(today)


def _accelerator_bindings() -> list[BindingType]:
    return [
        Binding(
            f"alt+{letter}",
            f"accelerator('{letter}')",
            f"Knapp {letter.upper()}",
            show=False,
            priority=True,
            id=f"pasis.knapp_{letter}",
        )
        for letter in ACCELERATOR_LETTERS
    ]


class PasisApp(App[None]):
    """Pasis in the terminal; construct with a database URL, a signature and a clock."""

    CSS_PATH = Path(__file__).with_name("pasis.tcss")
    TITLE = "Pasis"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+x", "bild", "Byt bild", priority=True, key_display="Alt+X", id="pasis.bild"),
        Binding("f1", "help", "Hjälp", key_display="F1", id="pasis.hjalp"),
        Binding("ctrl+q", "quit", "Avsluta", key_display="Ctrl+Q", id="pasis.avsluta"),
        Binding("f9", "clock", "Klocka", show=False, key_display="F9", id="pasis.klocka"),
        *_accelerator_bindings(),
    ]

    def __init__(
        self,
        *,
        database_url: str,
        user: str,
        clock: Clock | None = None,
        unit_code: str | None = None,
        start_screen: str | None = None,
        prebuild: bool = False,
    ) -> None:
        super().__init__()
        _free_alt_b_and_f()
        self.database_url = database_url
        self.user = user.upper()
        self.clock: Clock = clock or SystemClock()
        parse.give_examples_from(lambda: self.clock.now().date())  # "(t.ex. <today>)"
        self.unit_code = unit_code
        self.start_screen = start_screen
        self.ctx: WorkContext | None = None
        self.db_state = "opening"  # → "ready", or "no_unit" on an installation without units
        self._ready_callbacks: list[Callable[[], None]] = []
        #: Database work in flight, opening the database included; tests wait on its idle signal.
        self.db_work = WorkTracker()
        self.db_work.begin()
        #: Build the screens at idle once the database is open (the `pasis` command does), so
        #: that each opens the first time as fast as the next; set once all are built.
        self.prebuild = prebuild
        self.prebuilt = asyncio.Event()
        self._opening: str | None = None  # the screen shown once its data is loaded
        self._last_input = 0.0  # time.monotonic() of the last key or finished database work

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_input = time.monotonic()
            if event.key in ESC_DIGIT_KEYS:
                event = events.Key(ESC_DIGIT_KEYS[event.key], None)
        await super().on_event(event)

    # -- start-up --------------------------------------------------------------------------------

    def get_default_screen(self) -> MenuScreen:
        return MenuScreen(MENU_ENTRY)

    def on_mount(self) -> None:
        self.call_after_refresh(self._open_database)
        self.set_interval(15, self._tick)
        self.set_interval(DISPATCH_SECONDS, self._dispatch_due)

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open_database(self) -> None:
        try:
            ctx = self._connect()
        except PasisError as error:
            self.call_from_thread(self._database_failed, error.message)
            return
        except Exception as error:  # an unreadable file, a refused connection, a lock
            from pasis_tui.core.db import describe_db_error

            reason = describe_db_error(error)
            log.exception("opening the database failed")
            self.call_from_thread(
                self._database_failed, DB_CANNOT_OPEN.format(url=self.database_url, reason=reason)
            )
            return
        # The screen asked for on the command line loads here, off the UI thread, before the
        # app opens it; the others after (one opened meanwhile waits on Python's import lock).
        first = find_screens(self.start_screen) if self.start_screen else []
        if len(first) == 1 and first[0].module:  # several: the user chooses, then it loads
            importlib.import_module(first[0].module)
        self.call_from_thread(self._database_ready, ctx)
        if not self.prebuild:
            _warm_up(self.clock.now().date())

    @work(group="prebuild", exclusive=True, exit_on_error=False)
    async def _prebuild_screens(self) -> None:
        """Import the screen modules, then compose and style every built screen, heaviest
        first, one at a time, each in a pause of the user's typing and database work; a screen
        opened meanwhile is built by `open_entry` as usual."""
        await self._wait_quiet()
        await asyncio.to_thread(_warm_up, self.clock.now().date())
        entries = sorted(
            (entry for entry in SCREENS if entry.built),
            key=lambda entry: (
                PREBUILD_FIRST.index(entry.key) if entry.key in PREBUILD_FIRST else len(SCREENS)
            ),
        )
        for entry in entries:
            await self._wait_quiet()  # the user's own typing and work first
            name = f"bild_{entry.key}"
            if self.is_screen_installed(name):
                continue
            screen = screen_class(entry)(entry)
            self.install_screen(screen, name=name)
            # What push_screen does before showing a screen (Textual 8.2.8, pinned): its CSS
            # read, and the screen registered, which composes and mounts it off the stack.
            self._load_screen_css(screen)
            _screen, mounted = self._get_screen(name)
            await mounted
            # Its layout too (Textual 8.2.8: off the stack this only places the widgets and
            # sends their Show and Resize), so that showing it is the cost of a repaint.
            screen._refresh_layout(self.size)
            if isinstance(screen, PasisScreen):
                screen.mark_styled()
            await asyncio.sleep(0.01)  # let keys typed meanwhile through
        # A screen built early was styled before later screens added their CSS: restyle each
        # once more now, one at a time, so that showing it need not (PasisScreen.mark_styled).
        for entry in entries:
            await self._wait_quiet()
            built = self.get_screen(f"bild_{entry.key}")
            if isinstance(built, PasisScreen) and built not in self.screen_stack:
                if not built.styles_current():
                    self.stylesheet.update(built)
                    built.mark_styled()
                    await asyncio.sleep(0.01)
        # Then each one's data loaded and drawn off screen, so that its first showing costs
        # what a showing again does (PasisScreen.prepare_first_showing).
        for entry in entries:
            await self._wait_quiet()
            built = self.get_screen(f"bild_{entry.key}")
            if isinstance(built, PasisScreen) and built not in self.screen_stack:
                await built.prepare_first_showing(self.size)
                await asyncio.sleep(0.01)
        await self._wait_quiet()
        startup_gc.freeze_long_lived()  # the built screens live as long as the app
        self.prebuilt.set()

    def _connect(self) -> WorkContext | None:
        from pasis_tui.core.context import WorkContext
        from pasis_tui.core.db import make_engine, open_session, upgrade, write_session
        from pasis_tui.core.reference import load_reference, reference_loaded
        from pasis_tui.core.units import create_unit_if_empty, list_units, resolve_unit

        engine = make_engine(self.database_url)
        upgrade(engine)
        with open_session(engine, user=self.user, clock=self.clock) as session:
            # a set-up database is only read: start-up never waits for another terminal's write
            first_start = not reference_loaded(session) or bool(
                self.unit_code and not list_units(session)
            )
        if first_start:
            with write_session(engine, user=self.user, clock=self.clock) as session:
                if not reference_loaded(session):
                    load_reference(session)
                if self.unit_code:
                    create_unit_if_empty(session, code=self.unit_code)
        with open_session(engine, user=self.user, clock=self.clock) as session:
            if self.unit_code is None and not list_units(session):
                return None  # an empty installation: the menu still works, and says what to do
            unit = resolve_unit(session, code=self.unit_code)
        return WorkContext(engine=engine, user=self.user, clock=self.clock, unit=unit)

    def _database_failed(self, message: str) -> None:
        startup_gc.resume()
        self.db_work.end()
        self.exit(return_code=2, message=f"pasis: {message}")

    def _database_ready(self, ctx: WorkContext | None) -> None:
        startup_gc.resume()  # paused by `pasis` for the imports of start-up
        try:
            if ctx is None:
                self.db_state = "no_unit"
                self._status(NO_UNIT_YET, error=True)
                return
            self.db_state = "ready"
            self.ctx = ctx
            self._tick()
            self._dispatch_due()  # what fell due while no terminal ran (a restart) goes now
            callbacks, self._ready_callbacks = self._ready_callbacks, []
            for callback in callbacks:
                callback()
            if self.start_screen:
                self.open_by_text(self.start_screen)
            if self.prebuild:
                self.call_after_refresh(self._prebuild_screens)
        finally:
            self.db_work.end()

    async def _wait_quiet(self) -> None:
        """Until no database work has run and no key has come for PREBUILD_QUIET_SECONDS:
        building a screen takes the UI thread for a while, so it waits for a pause."""
        while True:
            if self.db_work.busy:
                await self.db_work.wait_idle()
                self._last_input = time.monotonic()
            left = self._last_input + PREBUILD_QUIET_SECONDS - time.monotonic()
            if left <= 0 and not self.db_work.busy:
                return
            await asyncio.sleep(max(left, 0.01))

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the database is open (at once if it already is)."""
        if self.ctx is not None:
            callback()
        else:
            self._ready_callbacks.append(callback)

    # -- header line -----------------------------------------------------------------------------

    def header_values(self) -> tuple[str, str, str]:
        if self.ctx is not None:
            unit = self.ctx.unit.label
        else:
            unit = self.unit_code or "…"
        return unit, self.user, self.clock.now().strftime("%Y-%m-%d %H:%M")

    def _tick(self) -> None:
        stack = self.screen_stack  # empty while the app shuts down
        if stack and isinstance(stack[-1], PasisScreen):
            stack[-1].refresh_header()

    def _status(self, message: str, *, error: bool = False) -> None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PasisScreen):
                screen.status(message, error=error)
                return

    # -- navigation ------------------------------------------------------------------------------

    @on(OpenScreenRequest)
    def _on_open_request(self, message: OpenScreenRequest) -> None:
        self.open_by_text(message.text, params=message.params)

    def open_by_text(self, text: str, *, params: object = None) -> None:
        """Open the screen `text` names; a name several screens start with lists them first."""
        entry = BY_KEY.get(text)
        matches = [entry] if entry is not None else find_screens(text)
        if not matches:
            self._status(UNKNOWN_SCREEN.format(text=text.strip() or "(tomt)"), error=True)
            return
        if len(matches) == 1:
            self.open_entry(matches[0], params=params)
            return
        from screens.modals import ScreenChoiceModal

        def chosen(key: str | None) -> None:
            if key is not None:
                self.open_entry(BY_KEY[key], params=params)

        self.push_screen(ScreenChoiceModal(text, matches), chosen)

    def open_entry(self, entry: ScreenEntry, *, params: object = None) -> None:
        """Open a screen (kept alive once built): pushed over the menu, elsewhere it replaces."""
        if entry.built and self.db_state == "no_unit":
            self._status(NO_UNIT_YET, error=True)
            return
        name = f"bild_{entry.key}"
        current = self.screen
        if isinstance(current, PasisScreen) and current.entry.key == entry.key:
            if params is not None:
                current.receive(params)
                current.on_open()
            return
        if not self.is_screen_installed(name):
            self.install_screen(screen_class(entry)(entry), name=name)
        screen = self.get_screen(name)
        assert isinstance(screen, PasisScreen)
        if isinstance(current, PasisScreen):
            current.status("")  # a message belongs to the screen it was given on
        screen.status("")
        if params is not None:
            screen.receive(params)
        over_menu = isinstance(current, MenuScreen) or not isinstance(current, PasisScreen)
        self._opening = name

        def show() -> None:
            try:
                if self._opening == name:  # not when another screen was asked for meanwhile
                    self._opening = None
                    if over_menu:
                        self.push_screen(name)
                    else:
                        self.switch_screen(name)
            finally:
                self.db_work.end()

        self.db_work.begin()
        if screen.is_mounted and self.ctx is not None and not screen._open_queued:
            screen.open_before_show(show)
        else:  # built now, or before the database is open: it loads once shown
            show()

    async def action_quit(self) -> None:
        """Ctrl+Q: quit, after "Spara ändringar?" when the screen has unsaved edits."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PasisScreen):
                screen.leave(self.exit)
                return
        self.exit()

    def action_bild(self) -> None:
        from screens.modals import BildModal  # modals load on first use (Markdown is slow)

        if isinstance(self.screen, BildModal):
            return

        def chosen(text: str | None) -> None:
            if text is not None:
                self.open_by_text(text)

        self.push_screen(BildModal(), chosen)

    def action_help(self) -> None:
        from screens.modals import HelpModal

        screen = self.screen
        if not isinstance(screen, PasisScreen):
            return
        keys = shown_keys(screen)  # what the key line shows, Esc and the screen's own first
        keys.append(("Alt+bokstav", "trycker knappen med den understrukna bokstaven"))
        keys.append(("Alt+1 … Alt+7", "öppnar flik 1 … 7"))
        keys.append(("Tab / Shift+Tab", "nästa / föregående fält"))
        keys.append(("F9", "träningsklockan: +1 tim, +1 dag, +1 vecka (när --now angetts)"))
        entry = screen.entry
        title = f"{entry.label} {entry.name}" if entry.sp_number else entry.name
        self.push_screen(HelpModal(title, screen.HELP, keys))

    def get_key_display(self, binding: Binding) -> str:
        """Keys in Swedish writing wherever Textual shows one (`Esc`, not `escape`)."""
        return key_display(binding)

    # -- the application clock: sending what is due, moving it for training ----------------------

    def _dispatch_due(self) -> None:
        """Send the invitations and SMS reminders that are due, off the UI thread (each once: the
        database guards it, so several terminals and a server's timer may all run this)."""
        ctx = self.ctx
        if ctx is None:
            return
        self.db_work.begin()

        def job() -> None:
            from pasis_tui.core.citizen_dispatch import dispatch

            try:
                done = dispatch(engine=ctx.engine, clock=ctx.clock, user=ctx.user)
            except Exception:  # a lock or a lost connection: the next run sends it
                log.warning("sending what is due failed; the next run tries again", exc_info=True)
            else:
                if done.invitations.sent or done.reminders:
                    self.call_from_thread(self._status, done.message)
            finally:
                self.call_from_thread(self.db_work.end)

        self.run_worker(job, thread=True, group="dispatch", exit_on_error=False)

    def action_clock(self) -> None:
        """F9: the clock control, when the clock was set with --now."""
        from pasis_tui.core.clock import FixedClock

        if not isinstance(self.clock, FixedClock):
            self._status(CLOCK_NOT_MOVABLE, error=True)
            return
        if self.ctx is None or not isinstance(self.screen, PasisScreen):
            return
        from screens.klocka import ClockModal

        def moved(move: object) -> None:
            message = getattr(move, "message", None)
            if message:
                self._status(message)
                self._tick()
                if isinstance(self.screen, PasisScreen):
                    self.screen.on_open()  # what the screen shows may have changed

        self.push_screen(ClockModal(), moved)

    def action_accelerator(self, letter: str) -> None:
        if isinstance(self.screen, PasisScreen):
            self.screen.press_accelerator(letter)
