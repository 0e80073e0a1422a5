"""The training clock (F9, with `--now`): +1 tim, +1 dag, +1 vecka or a typed time; never back.

Each move is one core call (`move_clock`): the clock moves, what became due is sent in the same
step (invitations, SMS reminders), and the message for the status line says what was sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from pasis_tui.core.clock_control import STEPS, ClockMove, move_clock
from screens.dialog_work import run_in_dialog

if TYPE_CHECKING:
    from screens.base import PasisHost


FAILED = "Klockan kunde inte flyttas ({kind}): inget skickades. Försök igen."
HINT = "T, D eller V flyttar en timme, en dag eller en vecka; eller skriv en tid och tryck Enter."
STEP_KEYS = dict(zip(("t", "d", "v"), STEPS, strict=True))


class ClockModal(ModalScreen[ClockMove | None]):
    """Returns the move made (its `message` for the status line), or None when closed unmoved."""

    DEFAULT_CSS = """
    ClockModal { align: center middle; }
    ClockModal > Vertical { width: 76; height: auto; border: thick $accent; background: $surface;
        padding: 1 2; }
    ClockModal Horizontal { height: auto; margin-top: 1; }
    ClockModal Button { margin-right: 2; min-width: 12; }
    ClockModal #klocka_tid { width: 24; }
    ClockModal #klocka_fel { color: $error; text-style: bold; height: auto; width: 100%; }
    ClockModal .hint { color: $text-muted; width: 100%; }
    ClockModal #klocka_nu { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Stäng", id="klocka.stang"),
        *(
            Binding(key, f"step('{step}')", step, show=False, id=f"klocka.{key}")
            for key, step in STEP_KEYS.items()
        ),
    ]

    def compose(self) -> ComposeResult:
        host = cast("PasisHost", self.app)
        ctx = host.ctx
        now = ctx.clock.now() if ctx is not None else None
        with Vertical(id="klocka"):
            yield Label(
                f"Träningsklocka — klockan är {now:%Y-%m-%d %H:%M}" if now else "", id="klocka_nu"
            )
            with Horizontal():
                for key, step in STEP_KEYS.items():
                    yield Button(f"{step} ({key.upper()})", id=f"steg_{key}")
            with Horizontal():
                yield Label("Till tid ", classes="etikett")
                yield Input(placeholder="ÅÅÅÅ-MM-DD TT:MM", id="klocka_tid", max_length=16)
            yield Label("", id="klocka_fel")
            yield Label(HINT, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#steg_t", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        key = (event.button.id or "").removeprefix("steg_")
        if key in STEP_KEYS:
            self.action_step(STEP_KEYS[key])

    @on(Input.Submitted, "#klocka_tid")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self._move(to=event.value)

    def action_step(self, step: str) -> None:
        self._move(step=step)

    def _move(self, *, step: str | None = None, to: str | None = None) -> None:
        run_in_dialog(
            self,
            lambda ctx: move_clock(
                engine=ctx.engine, clock=ctx.clock, user=ctx.user, step=step, to=to
            ),
            done=self._moved,
            refused=self._refused,
            failed=FAILED,
            group="klocka",
        )

    def _moved(self, move: ClockMove) -> None:
        """Close with the move (not awaited here: the worker that calls this is the screen's)."""
        self.dismiss(move)

    def _refused(self, message: str) -> None:
        """The reason at the field; what was typed stays."""
        self.query_one("#klocka_fel", Label).update(message)
        field = self.query_one("#klocka_tid", Input)
        field.add_class("-invalid")
        if field.value:
            field.focus()
