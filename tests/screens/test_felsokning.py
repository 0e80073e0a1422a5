"""Felsökning as a dialog: the core's report, line for line the command's text; snapshots of a
report with findings and one with none (demo watches 7 and 1)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Label, Static

from pasis_tui.app import PasisApp
from pasis_tui.core.troubleshooting import troubleshoot_watch
from screens.felsokning import TroubleshootingModal
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]
FINDINGS, NONE = 7, 1  # demo watches: activity differs / offered 47 times


async def test_the_dialog_shows_the_commands_report(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(TroubleshootingModal(FINDINGS))
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, TroubleshootingModal) and modal.report is not None
        assert app.ctx is not None
        expected = troubleshoot_watch(ctx=app.ctx, watch_id=FINDINGS)
        shown = str(modal.query_one("#felsokning_rapport", Static).render())
        assert shown.splitlines() == expected.text.splitlines()
        assert "[FEL    ] Samma aktivitet" in shown
        title = str(modal.query_one("#felsokning_rubrik", Label).render())
        assert title == "Felsökning — bevakning 7"
        await pilot.press("escape")
        assert not isinstance(app.screen, TroubleshootingModal)


async def test_an_unknown_watch_says_so_in_the_dialog(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(TroubleshootingModal(99999))
        await settle(pilot)
        shown = str(app.screen.query_one("#felsokning_rapport", Static).render())
        assert shown == "Bevakningen finns inte"


def _opened(watch_id: int) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.push_screen(TroubleshootingModal(watch_id))
        await settle(pilot)

    return run_before


def test_snapshot_report_with_findings(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opened(FINDINGS))


def test_snapshot_report_without_findings(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_opened(NONE))
