"""Felsökning (seed 12): "why can't the patient see any times?" for one watch, as a dialog.

Opened from SP 090 (the watch on screen) and SP 191 (the highlighted row) with the watch's id. The
report is the core's, line for line the same text as `pasis troubleshoot`; the dialog only colours
each verdict.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens.dialog_work import run_in_dialog

if TYPE_CHECKING:
    from pasis_tui.core.troubleshooting import Report

log = logging.getLogger(__name__)

LOADING = "Felsöker …"
FAILED = "Felsökningen kunde inte göras ({kind}). Försök igen."
VERDICT_STYLE = {"OK": "bold green", "FEL": "bold red", "VARNING": "bold yellow"}


def report_text(report: Report) -> Text:
    """The report's text, each `[VERDICT]` coloured; the words are the command's."""
    text = Text()
    for number, line in enumerate(report.text.splitlines()):
        if number:
            text.append("\n")
        verdict = line[1:].split("]", 1)[0].strip() if line.startswith("[") else ""
        if verdict in VERDICT_STYLE:
            end = line.index("]") + 1
            text.append(line[:end], style=VERDICT_STYLE[verdict])
            text.append(line[end:])
        elif number == 0:
            text.append(line, style="bold")
        else:
            text.append(line)
    return text


class TroubleshootingModal(ModalScreen[None]):
    """Felsökning for `watch_id`: loads the report off the UI thread, Esc closes."""

    DEFAULT_CSS = """
    TroubleshootingModal { align: center middle; }
    TroubleshootingModal > Vertical { width: 112; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1; }
    TroubleshootingModal #felsokning_rubrik { text-style: bold; width: 100%; color: $warning; }
    TroubleshootingModal VerticalScroll { height: auto; max-height: 30; margin: 1 0; }
    TroubleshootingModal .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f6,q", "dismiss(None)", "Stäng", id="felsokning.stang")
    ]

    def __init__(self, watch_id: int) -> None:
        super().__init__(id="felsokning")
        self.watch_id = watch_id
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Felsökning — bevakning {self.watch_id}", id="felsokning_rubrik")
            with VerticalScroll(id="felsokning_rullning"):
                yield Static(LOADING, id="felsokning_rapport")
            yield Label(
                "Samma rapport ger kommandot `pasis troubleshoot PERSONNUMMER`. "
                "↑/↓ rullar, Esc stänger.",
                classes="hint",
            )

    def on_mount(self) -> None:
        from pasis_tui.core.troubleshooting import troubleshoot_watch

        watch_id = self.watch_id
        run_in_dialog(
            self,
            lambda ctx: troubleshoot_watch(ctx=ctx, watch_id=watch_id),
            done=self._show_report,
            refused=self._show_message,
            failed=FAILED,
            group="felsokning",
        )
        self.query_one(VerticalScroll).focus()

    def _show_report(self, report: Report) -> None:
        self.report = report
        self.query_one("#felsokning_rapport", Static).update(report_text(report))

    def _show_message(self, message: str) -> None:
        self.query_one("#felsokning_rapport", Static).update(Text(message, style="bold red"))
