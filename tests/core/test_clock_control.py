"""The training clock: steps, typed times, never backwards, and what became due."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from pasis_tui.core.clock import STOCKHOLM, FixedClock, SystemClock
from pasis_tui.core.clock_control import DAY, HOUR, WEEK, move_clock, parse_target, step_target
from pasis_tui.core.errors import PasisError
from tests.conftest import USER
from tests.core.watch_setup import save


def test_steps_keep_wall_time_for_days_and_real_time_for_hours() -> None:
    before_switch = dt.datetime(2027, 3, 27, 10, 0, tzinfo=STOCKHOLM)
    assert step_target(before_switch, DAY) == dt.datetime(2027, 3, 28, 10, 0, tzinfo=STOCKHOLM)
    assert step_target(before_switch, WEEK).day == 3 and step_target(before_switch, WEEK).hour == 10
    night = dt.datetime(2027, 3, 28, 1, 30, tzinfo=STOCKHOLM)
    assert step_target(night, HOUR).hour == 3  # 02:30 does not exist that night
    with pytest.raises(PasisError, match="Okänt steg"):
        step_target(night, "+1 år")


def test_typed_times() -> None:
    now = dt.datetime(2026, 11, 22, 10, 6, tzinfo=STOCKHOLM)
    assert parse_target("13:15", now=now) == dt.datetime(2026, 11, 22, 13, 15, tzinfo=STOCKHOLM)
    assert parse_target("2026-11-30 08:00", now=now).day == 30
    with pytest.raises(PasisError) as bad:
        parse_target("snart", now=now)
    assert bad.value.field == "clock"


def test_plus_one_hour_sends_the_invitation(demo_engine: Engine, clock: FixedClock) -> None:
    save(demo_engine, clock)
    moved = move_clock(engine=demo_engine, clock=clock, user=USER, step=HOUR)
    assert f"{moved.after:%H:%M}" == "11:06"
    assert moved.message == (
        "Klockan är 2026-11-22 11:06. 1 kallelse skickad till 1177: Tolvan Tolvansson"
    )
    again = move_clock(engine=demo_engine, clock=clock, user=USER, step=HOUR)
    assert again.message == "Klockan är 2026-11-22 12:06. Inget blev aktuellt"


def test_the_clock_never_goes_backwards(demo_engine: Engine, clock: FixedClock) -> None:
    with pytest.raises(PasisError, match="aldrig bakåt"):
        move_clock(engine=demo_engine, clock=clock, user=USER, to="09:00")
    assert f"{clock.now():%H:%M}" == "10:06"
    with pytest.raises(PasisError, match="--now"):
        move_clock(engine=demo_engine, clock=SystemClock(), user=USER, step=HOUR)


def test_moving_the_clock_sends_the_sms_reminders_that_became_due(
    demo_engine: Engine, clock: FixedClock
) -> None:
    """The demo has a reminder due 2026-11-28 08:00 Swedish time (48 h before its visit)."""
    early = move_clock(engine=demo_engine, clock=clock, user=USER, to="2026-11-28 07:59")
    assert "SMS" not in early.message
    due = move_clock(engine=demo_engine, clock=clock, user=USER, to="2026-11-28 08:00")
    assert due.reminders == 1
    assert due.message.endswith("1 SMS-påminnelse skickad")
    again = move_clock(engine=demo_engine, clock=clock, user=USER, step=HOUR)
    assert again.reminders == 0
