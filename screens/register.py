"""The Pasis register screen: "1 Översikt / 2 Registrering" with a code field and Läs.

A subclass declares its overview list and its form and writes `action_spara`, `action_las` and
`action_borttag` (each one core call); the keys are Bindings with ids (`sp270.spara`) so staff
can remap them through Textual's keymap, and the buttons run the same actions.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, TabbedContent, TabPane

from pasis_tui.core.errors import PasisError
from pasis_tui.widgets import LabeledField
from pasis_tui.widgets.form import RecordForm
from pasis_tui.widgets.inputs import CodeInput
from pasis_tui.widgets.lazy import LazyPane
from pasis_tui.widgets.overview import OverviewList
from screens.base import PasisScreen


def register_bindings(
    prefix: str, *, spara: str = "s", las: str = "l", borttag: str = "b"
) -> list[BindingType]:
    """Spara / Läs / Borttag as remappable keys: Alt + the button's underlined letter."""
    keys = (("spara", spara, "Spara"), ("las", las, "Läs"), ("borttag", borttag, "Borttag"))
    return [
        Binding(
            f"alt+{letter}",
            action,
            description,
            show=False,
            key_display=f"Alt+{letter.upper()}",
            id=f"{prefix}.{action}",
        )
        for action, letter, description in keys
    ]


def code_row(
    label: str, code_id: str, *, max_length: int = 4, state_id: str = "lage"
) -> ComposeResult:
    """`ENHET 16 KIR   AKTIVITET [ÖKNY]   Nyuppläggning`: the first line of every Registrering."""
    with Horizontal(classes="form_rad"):
        yield Label("ENHET", id="enhet", classes="register_enhet")
        code = CodeInput(id=code_id, max_length=max_length)
        code.compact = True
        yield LabeledField(label, code)
        yield Label("", id=state_id, classes="register_lage")


class RegisterScreen(PasisScreen):
    """Subclasses give `CODE_ID`, `make_overview()`, `compose_register()` and the actions."""

    DEFAULT_CSS = """
    RegisterScreen .register_enhet { padding: 0 2 0 0; }
    RegisterScreen .register_lage { padding: 0 1 0 1; text-style: bold; color: $warning; }
    """

    CODE_ID: ClassVar[str] = "kod"
    STATE_ID: ClassVar[str] = "lage"
    #: Build 2 Registrering on its first showing (a LazyPane); a screen that opts in reads its
    #: form only after `show_registrering()` / the tab was shown.
    LAZY_REGISTRERING: ClassVar[bool] = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.loaded_code = ""
        self.loaded_id: int | None = None

    def compose_body(self) -> ComposeResult:
        yield from self.compose_head()
        with TabbedContent(initial="oversikt"):
            with TabPane("1 Översikt", id="oversikt"):
                yield self.make_overview()
            if self.LAZY_REGISTRERING:
                yield LazyPane("2 Registrering", self.compose_register, id="registrering")
            else:
                with TabPane("2 Registrering", id="registrering"):
                    yield from self.compose_register()

    def compose_head(self) -> ComposeResult:
        yield from ()

    def make_overview(self) -> OverviewList:
        raise NotImplementedError

    def compose_register(self) -> ComposeResult:
        yield from ()

    # -- the parts -----------------------------------------------------------------------------

    @property
    def overview(self) -> OverviewList:
        return self.query_one(OverviewList)

    @property
    def form(self) -> RecordForm:
        return self.query_one(RecordForm)

    def code_text(self) -> str:
        return self.query_one(f"#{self.CODE_ID}", Input).value

    def set_code(self, code: str, state: str = "") -> None:
        self.query_one(f"#{self.CODE_ID}", Input).value = code
        self.query_one(f"#{self.STATE_ID}", Label).update(state)

    def remember(self, code: str, record_id: int | None) -> None:
        """The record on screen, for "unless the code changed since it was read"."""
        self.loaded_code, self.loaded_id = code, record_id

    def current_id(self) -> int | None:
        """The record read, unless the code was changed since (then Spara creates)."""
        typed = self.code_text().strip().upper()
        return self.loaded_id if typed and typed == self.loaded_code else None

    # -- opening -------------------------------------------------------------------------------

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")

    def on_open(self) -> None:
        self.overview.load()

    @on(TabbedContent.TabActivated)
    def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        """Alt+1 puts the cursor in the list, Alt+2 in the code field (if nothing there has it)."""
        focused = self.focused
        if focused is not None and event.pane in focused.ancestors:
            return
        self.focus_pane(event.pane.id or "")

    def focus_pane(self, pane_id: str) -> None:
        """Where the cursor goes when tab `pane_id` opens: the list, or the code field."""
        if pane_id == "oversikt":
            self.overview.table.focus()
        else:
            self.query_one(f"#{self.CODE_ID}").focus()

    def show_registrering(self) -> None:
        self.query_one(TabbedContent).active = "registrering"

    @on(OverviewList.Opened)
    def _row_opened(self, event: OverviewList.Opened) -> None:
        self.open_row(event.key)

    def open_row(self, key: str) -> None:
        """A row of 1 Översikt: by default its code (first column) is read in Registrering."""
        self.set_code(str(self.overview.row_cells(key)[0]))
        self.show_registrering()
        self.action_las()

    @on(Input.Submitted)
    def _code_entered(self, event: Input.Submitted) -> None:
        if event.input.id == self.CODE_ID:
            event.stop()
            self.action_las()

    # -- the actions (subclasses) --------------------------------------------------------------

    def can_save(self) -> bool:
        return type(self).action_spara is not RegisterScreen.action_spara

    def action_spara(self) -> object:
        """Spara: one core call with the form as typed."""
        return None

    def action_las(self) -> object:
        """Läs: one core call with the code."""
        return None

    def action_borttag(self) -> object:
        """Borttag: after the question, one core call."""
        return None


class TabbedRegisterScreen(RegisterScreen):
    """A register screen with more tabs than two (SP 721 has five), declared in `PANES`.

    Subclasses give `PANES` (title, pane id; the first is 1 Översikt with the OverviewList),
    `CODE_PANE` (the tab with the code field) and `compose_pane(pane_id)`; `FOCUS` names the
    widget each other tab puts the cursor in. An error at a field opens the field's tab.
    """

    PANES: ClassVar[tuple[tuple[str, str], ...]] = ()
    CODE_PANE: ClassVar[str] = "registrering"
    FOCUS: ClassVar[dict[str, str]] = {}

    def compose_body(self) -> ComposeResult:
        yield from self.compose_head()
        with TabbedContent(initial=self.PANES[0][1]):
            for title, pane_id in self.PANES:
                with TabPane(title, id=pane_id):
                    yield from self.compose_pane(pane_id)

    def compose_pane(self, pane_id: str) -> ComposeResult:
        yield from ()

    @property
    def overview(self) -> OverviewList:
        return self.query_one(f"#{self.PANES[0][1]} OverviewList", OverviewList)

    def show_pane(self, pane_id: str) -> None:
        self.query_one(TabbedContent).active = pane_id

    def show_registrering(self) -> None:
        self.show_pane(self.CODE_PANE)

    def focus_pane(self, pane_id: str) -> None:
        if pane_id == self.PANES[0][1]:
            self.overview.table.focus()
        elif pane_id == self.CODE_PANE:
            self.query_one(f"#{self.CODE_ID}").focus()
        elif pane_id in self.FOCUS:
            self.query_one(f"#{self.FOCUS[pane_id]}").focus()

    def show_error(self, error: PasisError) -> None:
        """The field's tab opens, so the marked field (text kept) is in front of the user."""
        super().show_error(error)
        marked = list(self.query(".-invalid"))
        widget = next((w for w in marked if w.can_focus), marked[0] if marked else None)
        pane = (
            next((a for a in widget.ancestors if isinstance(a, TabPane)), None) if widget else None
        )
        if widget is not None and pane is not None and pane.id:
            self.show_pane(pane.id)
            if widget.can_focus:
                self.call_after_refresh(widget.focus)
