"""Snapshots of SP 090 Bevakning (120×40, fixed clock, demo unit REUM): the empty form, seed 5.1
NY, 5.2 ÅB and 5.3 KT saved, a refusal at its field, the warning list, and the 1177 panel of
a patient with paper mail and notifications off."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from pasis_tui.app import PasisApp
from tests.screens import sp090_flows as flows
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]
Before = Callable[[Pilot[None]], Awaitable[None]]


def _snap(snap_compare, make_app: MakeApp, run_before: Before) -> bool:  # type: ignore[no-untyped-def]
    app = make_app(unit="REUM", screen="090")
    return bool(snap_compare(app, terminal_size=SIZE, run_before=run_before))


def _saved(personnummer: str, values: dict[str, str]) -> Before:
    async def run_before(pilot: Pilot[None]) -> None:
        await flows.new_watch_saved(pilot, personnummer, values)

    return run_before


def test_sp090_empty(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert _snap(snap_compare, make_app, run_before)


def test_sp090_ny_saved(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, _saved(flows.TOLVAN, flows.NY))


def test_sp090_ab_saved(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, _saved(flows.TOLVAN, flows.AB))


def test_sp090_kt_saved(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, _saved(flows.TOLVAN, flows.KT))


def test_sp090_refusal(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    values = {"mott": "M11", "typ": "V", "var": "R12", "syfte": "Besöket " * 11}
    assert _snap(snap_compare, make_app, _saved(flows.TOLVAN, values))


def test_sp090_warning_list(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        values = {k: v for k, v in flows.NY.items() if k != "vardatagande"}
        await flows.find(pilot, flows.GRETA)
        await pilot.press("alt+y")
        await settle(pilot)
        await flows.type_form(pilot, {**values, "bokn_brev": "Nej"})
        await pilot.press("alt+s")
        await settle(pilot)

    assert _snap(snap_compare, make_app, run_before)


def test_sp090_1177_panel(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await flows.find(
            pilot, flows.AGDA
        )  # paper mail, notifications off, no mobile; a Kallelse sent

    assert _snap(snap_compare, make_app, run_before)
