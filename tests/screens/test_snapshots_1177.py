"""Snapshots of 1177 Invånare (120×40, fixed clock, demo data): each state worth reviewing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlmodel import Session

from pasis_tui.app import PasisApp
from pasis_tui.core.booking import book_slot
from pasis_tui.core.db import make_engine
from pasis_tui.core.demo_citizen import BOOKED, DEADLINE, REBOOKED, TOLK, WAITING
from tests.conftest import demo_clock
from tests.screens.citizen_steps import citizen_screen, log_in, open_inbox_row, patient_id_of, press
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]
Steps = Callable[..., Awaitable[None]]


def _snap(snap_compare, make_app: MakeApp, personnummer: str | None, *steps: Steps) -> bool:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        if personnummer:
            await log_in(pilot, personnummer)
        for step in steps:
            await step(pilot)

    app = make_app(unit="REUM", screen="1177")
    return bool(snap_compare(app, terminal_size=SIZE, run_before=run_before))


def keys(*names: str) -> Steps:
    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        await press(pilot, *names)

    return step


def kallelse() -> Steps:
    async def step(pilot) -> None:  # type: ignore[no-untyped-def]
        await open_inbox_row(pilot, "Kallelse")

    return step


def test_login(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, None)


def test_inbox(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, DEADLINE)


def test_kallelse(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, WAITING, kallelse())


def test_slot_list(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, WAITING, kallelse(), keys("alt+b", "down"))


def test_confirmation_step(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, WAITING, kallelse(), keys("alt+b", "enter"))


def test_receipt_with_digital_kallelse(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    steps = (kallelse(), keys("alt+b", "enter", "alt+k"))
    assert _snap(snap_compare, make_app, WAITING, *steps)


def test_bokade_tider(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, DEADLINE, keys("f6"))


def test_refusal_rebookings_used(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, REBOOKED, keys("f6", "alt+o"))


def test_refusal_cancel_deadline_passed(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, DEADLINE, keys("f6", "alt+a"))


def test_refusal_not_cancellable_tolk(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, make_app, TOLK, keys("f6", "alt+a"))


def test_refusal_slot_taken(snap_compare, make_app: MakeApp, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    async def taken_meanwhile(pilot) -> None:  # type: ignore[no-untyped-def]
        chosen = citizen_screen(pilot).chosen
        assert chosen is not None
        engine = make_engine(demo_url)
        with Session(engine) as session:
            other = patient_id_of(session, BOOKED)
            book_slot(session, clock=demo_clock(), slot_id=chosen.slot_id, patient_id=other)
            session.commit()
        engine.dispose()
        await press(pilot, "alt+k")

    steps = (kallelse(), keys("alt+b", "enter"), taken_meanwhile)
    assert _snap(snap_compare, make_app, WAITING, *steps)


def test_kontakta_oss_sent(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    steps = (
        keys("f6", "alt+a", "alt+n"),
        keys(*"Kan jag komma en eftermiddag i stället?", "enter"),
    )
    assert _snap(snap_compare, make_app, TOLK, *steps)
