"""Enter on a day of the SP 272 calendar: the day in full (seed 4.1.1 asks staff to check it).

The templates laid on it (first start, times, mottagning, brevmall, preliminary or published)
and its slots (activity, length, 1177-nivå, status, the booked patients); Esc or Enter closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from pasis_tui.core.parse import count_text
from pasis_tui.core.schedule_cases import DayDetail
from pasis_tui.core.scheduling import DAY_NAMES

HINT = "Esc eller Enter stänger"


def detail_text(detail: DayDetail) -> Text:
    """The day as lines of text (pure: the tests read it)."""
    text = Text()
    if detail.red_day:
        text.append(f"Röd dag: {detail.red_day}\n", style="bold")
    text.append("Dagmallar\n", style="bold")
    if not detail.laid:
        text.append("  Ingen dagmall är lagd denna dag\n")
    for laid in detail.laid:
        state = "Preliminärt" if laid.preliminary else "Publicerat"
        text.append(
            f"  {laid.start:%H:%M}–{laid.end:%H:%M}  {laid.template_code} {laid.template_name}"
            f"   Mottagning {laid.clinic_code}   Brevmall {laid.letter_code}   {state}\n"
        )
    slots = count_text(len(detail.slots), "tid", "tider")
    booked = count_text(detail.booked, "bokning", "bokningar")
    text.append(f"\nTider ({slots}, {booked})\n", style="bold")
    if not detail.slots and detail.laid:
        text.append("  Tiderna läggs ut när schemat publiceras\n")
    for slot in detail.slots:
        patients = f"   {', '.join(slot.labels)}" if slot.patients else ""
        reason = f"   {slot.reason}" if slot.reason else ""
        text.append(
            f"  {slot.time_text}  {slot.activity_code} {slot.activity_name}"
            f"   {slot.visit_length_min} min · nivå {slot.level_1177}{reason}"
            f"   {slot.status}{patients}\n"
        )
    return text


class DayDetailModal(ModalScreen[None]):
    DEFAULT_CSS = """
    DayDetailModal { align: center middle; }
    DayDetailModal > Vertical { width: 110; height: auto; max-height: 34;
        border: round $accent; background: $panel; padding: 0 1; }
    DayDetailModal VerticalScroll { height: auto; max-height: 30; }
    DayDetailModal .rubrik { text-style: bold; }
    DayDetailModal .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss(None)", "Stäng", id="dag.stang")
    ]

    def __init__(self, detail: DayDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        detail = self.detail
        weekday = DAY_NAMES[detail.day.weekday()]
        with Vertical():
            yield Label(
                f"{weekday} {detail.day:%Y-%m-%d}   {detail.signature} {detail.name}",
                classes="rubrik",
            )
            with VerticalScroll(can_focus=True):
                yield Static(detail_text(detail), id="dag_detalj")
            yield Label(HINT, classes="hint")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
