"""Snapshots of the shell (120×40, fixed clock, demo data): the main menu and the help screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from pasis_tui.app import PasisApp
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]


def test_main_menu(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_for_the_menu(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_bild_field_and_unknown_number(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("alt+x", *"999", "enter")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
