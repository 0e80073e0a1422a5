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
    RegisterScreen RecordForm Input.-invalid { border: none; height: 1; background: $error 40%; }
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
        if event.pane.id == "oversikt":
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
