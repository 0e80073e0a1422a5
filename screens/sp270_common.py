"""What SP 270's two parts share: the switch line 'Aktivitet | Dagmallar' and small helpers."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from pasis_tui.widgets import LabeledField
from screens.base import OpenScreenRequest
from screens.register import RegisterScreen

W = TypeVar("W", bound=Widget)

PARTS = (("270", "Aktivitet"), ("270d", "Dagmallar"))

SP270_CSS = """
#sp270_vaxel { height: 1; padding: 0 1; color: $text-muted; }
#sp270_vaxel .-aktiv { color: $text; text-style: bold reverse; }
#sp270_vaxel Label { margin-right: 1; }
.sp270_filter { height: auto; margin: 1 0; }
.sp270_filter LabeledField > Label { padding: 0 1 0 0; }
.sp270_filter Input { width: 30; }
.sp270_filter Select { width: 30; }
.sp270_rad { height: auto; }
.sp270_rubrik { text-style: bold; margin: 1 0 0 0; color: $accent; }
.sp270_knappar { height: 1; margin-top: 1; }
.sp270_knappar PasisButton { border: none; height: 1; }
.sp270_knappar PasisButton.-dold { display: none; }
.sp270_form { padding: 0 1; height: auto; }
.sp270_form .sp270_rad { margin-top: 1; }
.sp270_form LabeledField > Label { padding: 0 1 0 0; }
.sp270_form Input { width: 24; }
.sp270_form .date-input { width: 12; }
.sp270_form .time-input { width: 7; }
.sp270_form .code-input { width: 6; }
.sp270_enhet { padding: 0 2 0 0; }
.sp270_status { padding: 0 1 0 1; text-style: bold; color: $warning; }
.sp270_antal { color: $text-muted; height: 1; }
"""


class SwitchLine(Horizontal):
    """`Aktivitet | Dagmallar`: the part on screen highlighted; F2 or a click switches."""

    def __init__(self, current: str) -> None:
        super().__init__(id="sp270_vaxel")
        self.current = current

    def compose(self) -> ComposeResult:
        yield Label("SP 270:")
        for index, (key, name) in enumerate(PARTS):
            if index:
                yield Label("|")
            label = Label(f" {name} ", id=f"vaxel_{key}")
            if key == self.current:
                label.add_class("-aktiv")
            yield label
        yield Label("(F2 byter)")

    def on_click(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        if isinstance(widget, Label) and widget.id and widget.id.startswith("vaxel_"):
            key = widget.id.removeprefix("vaxel_")
            if key != self.current:
                self.post_message(OpenScreenRequest(key))


SWITCH = Binding(
    "f2", "switch_part", "Aktivitet/Dagmallar", key_display="F2", show=True, id="sp270.vaxla"
)


class Sp270Screen(RegisterScreen):
    """Both parts of SP 270: the switch line above the tabs and F2 to the other part."""

    PART: ClassVar[str] = "270"
    OTHER: ClassVar[tuple[str, str]] = ("270d", "Dagmallar")
    BINDINGS: ClassVar[list[BindingType]] = [SWITCH]

    def compose_head(self) -> ComposeResult:
        yield SwitchLine(self.PART)

    def action_switch_part(self) -> None:
        self.post_message(OpenScreenRequest(self.OTHER[0]))


def compact(widget: W) -> W:
    """The dense one-line look of the Pasis forms (no border; an error tints the field)."""
    if hasattr(widget, "compact"):
        widget.compact = True  # type: ignore[attr-defined]
    return widget


def field(label: str, widget: Widget, *, required: bool = False, width: int = 0):
    """A LabeledField with an optional label width (for columns that line up)."""
    return LabeledField(label, compact(widget), required=required, label_width=width)
