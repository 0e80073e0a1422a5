"""Fixtures for Pilot and snapshot tests: a demo database, a fixed clock, no blinking cursor."""

from __future__ import annotations

from collections.abc import Callable

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


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the database is open and every worker has finished, then for a refresh."""
    app = pilot.app
    assert isinstance(app, PasisApp)
    for _ in range(400):
        if app.db_state != "opening":
            break
        await pilot.pause(0.01)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
