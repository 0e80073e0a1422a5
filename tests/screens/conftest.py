"""Fixtures for Pilot and snapshot tests: a demo database, a fixed clock, no blinking cursor."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from pasis_tui.app import PasisApp
from tests.conftest import USER, demo_clock

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cursor stays visible: a blink would make snapshots depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def make_app(demo_url: str) -> Callable[..., PasisApp]:
    """A PasisApp on a fresh copy of the demo database, user VIS, unit KIR, demo clock."""

    def make(*, unit: str | None = "KIR", screen: str | None = None) -> PasisApp:
        return PasisApp(
            database_url=demo_url,
            user=USER,
            clock=demo_clock(),
            unit_code=unit,
            start_screen=screen,
        )

    return make


def organisation_db(path: Path, fill: Callable[[Any], None] | None = None) -> str:
    """An SQLite database with reference data and the seed's organisation (no templates); then
    `fill(session)` in the same transaction. Returns its URL."""
    from pasis_tui.core.db import make_engine, upgrade, write_session
    from pasis_tui.core.demo import load_organisation
    from pasis_tui.core.paths import data_dir
    from pasis_tui.core.reference import load_reference

    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with write_session(engine, user=USER, clock=demo_clock()) as session:
        load_reference(session)
        load_organisation(session, demo_clock(), data_dir())
        if fill is not None:
            fill(session)
    engine.dispose()
    return url


async def settle(pilot: Pilot[None]) -> None:
    """Wait on the app's own signal until no database work (or debounced filter) is in flight.

    Showing a result may start more work (a save reloads the list), and a pushed screen starts
    its load once its messages are processed, so: idle, let the screen process, idle again.
    """
    app = pilot.app
    assert isinstance(app, PasisApp)
    for _ in range(200):
        await asyncio.wait_for(app.db_work.wait_idle(), timeout=30)
        await pilot.pause()
        if not app.db_work.busy:
            return
    raise AssertionError("the app never became idle")


def status_text(app: PasisApp) -> str:
    """What the screen's status line says."""
    return str(app.screen.query_one("#status_line").render())
