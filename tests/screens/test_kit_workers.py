"""The screen kit's workers: a stale result is dropped, and filters are debounced."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from pasis_tui.app import PasisApp
from pasis_tui.core.context import WorkContext
from screens.base import PasisScreen
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]


async def test_a_result_that_arrives_after_a_newer_request_is_dropped(make_app: MakeApp) -> None:
    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PasisScreen)
        shown: list[str] = []
        older_may_finish = threading.Event()
        older_finished = threading.Event()

        def older(ctx: WorkContext) -> str:
            assert older_may_finish.wait(10)
            older_finished.set()
            return "äldre"

        def newer(ctx: WorkContext) -> str:
            return "nyare"

        def show_newer(result: str) -> None:
            shown.append(result)
            older_may_finish.set()  # the older thread finishes only after the newer is shown

        screen.run_db(older, shown.append, group="sok")
        screen.run_db(newer, show_newer, group="sok")
        await settle(pilot)
        assert older_finished.is_set()
        assert shown == ["nyare"]
        # A write (group None) is never dropped, whatever follows it.
        screen.run_db(lambda ctx: "sparad", shown.append, group=None)
        screen.run_db(lambda ctx: "läst", shown.append, group="sok")
        await settle(pilot)
        assert sorted(shown[1:]) == ["läst", "sparad"]


async def test_typing_in_a_filter_asks_the_database_once(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        calls: list[str] = []
        original = PasisScreen.run_db

        def counting(self: PasisScreen, work: Any, done: Any, *, group: str | None = "db") -> None:
            calls.append(str(group))
            original(self, work, done, group=group)

        monkeypatch.setattr(PasisScreen, "run_db", counting)
        screen.query_one("#sok").focus()
        await pilot.press(*"tolk")
        await settle(pilot)
        assert calls == ["lista_typer"]
        assert str(screen.query_one(".lista_antal").render()) == "1 tidbokstyp"


async def test_a_screen_loads_once_each_time_it_is_opened(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []
    original = PasisScreen.run_db

    def counting(self: PasisScreen, work: Any, done: Any, *, group: str | None = "db") -> None:
        calls.append((self.entry.key, str(group)))
        original(self, work, done, group=group)

    monkeypatch.setattr(PasisScreen, "run_db", counting)
    app = make_app(screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sorted(calls) == [("270d", "lista_dagmallar"), ("270d", "namn")]
        calls.clear()
        await pilot.press("f2")  # to Aktivitet and back: one fresh load of each part
        await settle(pilot)
        assert sorted(calls) == [("270", "lista_aktiviteter"), ("270", "pmo")]
        calls.clear()
        await pilot.press("f2")
        await settle(pilot)
        assert sorted(calls) == [("270d", "lista_dagmallar"), ("270d", "namn")]


async def test_a_built_screen_is_shown_once_its_data_is_loaded(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened again, a screen loads while the one before stays in front, and is then laid out
    and drawn once with its data; asked for another screen meanwhile, it is never shown."""
    may_finish = threading.Event()
    original = PasisScreen.run_db

    def held(self: PasisScreen, work: Any, done: Any, *, group: str | None = "db") -> None:
        def waiting(ctx: WorkContext) -> Any:
            assert may_finish.wait(10)
            return work(ctx)

        original(self, waiting if self.entry.key == "pmo" else work, done, group=group)

    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        may_finish.set()
        await settle(pilot)
        pmo = app.screen
        assert pmo.id == "bild_pmo"
        await pilot.press("escape")
        await settle(pilot)
        menu = app.screen
        monkeypatch.setattr(PasisScreen, "run_db", held)
        may_finish.clear()
        app.open_by_text("pmo")
        await pilot.pause()
        assert app.screen is menu  # loading, not yet shown
        assert app.db_work.busy
        may_finish.set()
        await settle(pilot)
        assert app.screen is pmo
        assert str(pmo.query_one(".lista_antal").render()).endswith("tidbokstyper")

        await pilot.press("escape")
        await settle(pilot)
        may_finish.clear()
        app.open_by_text("pmo")
        await pilot.pause()
        app.open_by_text("270")  # the user asked for another screen before PMO had loaded
        may_finish.set()
        await settle(pilot)
        assert app.screen.id == "bild_270"
        assert pmo not in app.screen_stack
