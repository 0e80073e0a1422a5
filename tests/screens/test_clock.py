"""The training clock control (F9 with --now): a step moves the clock, what fell due is sent and
named in the status line, a typed time in the past is refused at the field; the running app sends
due invitations itself (on start, and then every minute)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Label

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.clock import SystemClock
from pasis_tui.core.db import make_engine, open_session
from pasis_tui.widgets import StatusLine
from screens.klocka import ClockModal
from tests.conftest import USER, demo_clock
from tests.core.watch_setup import save
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


def kallelser(url: str) -> list[str]:
    engine = make_engine(url)
    with open_session(engine, user=USER, clock=demo_clock()) as session:
        query = select(models.Message.subject).where(models.Message.kind == "Kallelse")
        subjects = list(session.exec(query))
    engine.dispose()
    return subjects


def saved_watch(url: str) -> None:
    """An ÖK watch for Tolvan saved at 10:06 with Skicka till 1177 empty: due within the hour."""
    engine = make_engine(url)
    save(engine, demo_clock())
    engine.dispose()


async def test_plus_one_hour_sends_the_invitation_and_says_so(
    make_app: MakeApp, demo_url: str
) -> None:
    saved_watch(demo_url)
    before = len(kallelser(demo_url))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ClockModal)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, ClockModal)
        assert status_text(app) == (
            "Klockan är 2026-11-22 11:06. 1 kallelse skickad till 1177: Tolvan Tolvansson"
        )
        assert f"{app.clock.now():%H:%M}" == "11:06"
        assert "2026-11-22 11:06" in app.header_values()[2]
    assert len(kallelser(demo_url)) == before + 1


async def test_a_time_in_the_past_is_refused_at_the_field_and_kept(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        app.screen.query_one("#klocka_tid", Input).focus()
        await pilot.press(*"09:00", "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ClockModal)
        message = str(modal.query_one("#klocka_fel", Label).render())
        assert message == "Klockan går aldrig bakåt: 2026-11-22 09:00 är före 2026-11-22 10:06"
        assert modal.query_one("#klocka_tid", Input).value == "09:00"
        assert f"{app.clock.now():%H:%M}" == "10:06"
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-23 08:00", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ClockModal)
        assert status_text(app) == "Klockan är 2026-11-23 08:00. Inget blev aktuellt"


async def test_the_system_clock_cannot_be_moved(demo_url: str) -> None:
    app = PasisApp(database_url=demo_url, user=USER, clock=SystemClock(), unit_code="KIR")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, ClockModal)
        assert "bara när programmet startats med --now" in status_text(app)


async def test_the_running_app_sends_what_fell_due_while_it_was_closed(demo_url: str) -> None:
    saved_watch(demo_url)
    before = len(kallelser(demo_url))
    clock = demo_clock()
    clock.set(clock.now().replace(hour=12))  # two hours after saving: the invitation is due
    app = PasisApp(database_url=demo_url, user=USER, clock=clock, unit_code="KIR")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status_text(app) == "1 kallelse skickad till 1177: Tolvan Tolvansson"
    assert len(kallelser(demo_url)) == before + 1


def test_snapshot_clock_control(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
