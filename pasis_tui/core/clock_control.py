"""The movable application clock for training (`--now`): +1 tim, +1 dag, +1 vecka or a typed
time; never backwards. Each move sends what became due and says so for the status line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from pasis_tui.core.citizen_dispatch import DispatchResult, dispatch_due
from pasis_tui.core.clock import STOCKHOLM, FixedClock, aware
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import SendResult

HOUR, DAY, WEEK = "+1 tim", "+1 dag", "+1 vecka"
#: The buttons of the clock control, in order.
STEPS = (HOUR, DAY, WEEK)
BACKWARDS = "Klockan går aldrig bakåt: {target} är före {now}"
TIME_INVALID = "Skriv tiden som ÅÅÅÅ-MM-DD TT:MM eller TT:MM (i dag)"
STEP_UNKNOWN = "Okänt steg {step}: välj " + ", ".join(STEPS)
NOT_MOVABLE = "Klockan går att flytta bara när programmet startats med --now"


@dataclass(frozen=True)
class ClockMove:
    before: dt.datetime
    after: dt.datetime
    sent: SendResult
    reminders: int = 0

    @property
    def message(self) -> str:
        """For the status line: the new time and what became due (invitations, SMS reminders)."""
        head = f"Klockan är {self.after:%Y-%m-%d %H:%M}"
        done = DispatchResult(invitations=self.sent, reminders=self.reminders).message
        return f"{head}. {done}"


def step_target(now: dt.datetime, step: str) -> dt.datetime:
    """+1 tim is an hour of real time; +1 dag and +1 vecka keep the wall-clock time."""
    now = aware(now)
    if step == HOUR:
        return (now.astimezone(dt.UTC) + dt.timedelta(hours=1)).astimezone(STOCKHOLM)
    if step in (DAY, WEEK):
        days = 1 if step == DAY else 7
        wall = now.replace(tzinfo=None) + dt.timedelta(days=days)
        return wall.replace(tzinfo=STOCKHOLM)
    raise PasisError(STEP_UNKNOWN.format(step=step), field="clock")


def parse_target(text: str, *, now: dt.datetime) -> dt.datetime:
    """A typed time: `ÅÅÅÅ-MM-DD TT:MM`, or `TT:MM` for today."""
    value = text.strip()
    for pattern in ("%Y-%m-%d %H:%M", "%Y%m%d %H:%M", "%H:%M"):
        try:
            parsed = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        if pattern == "%H:%M":
            parsed = dt.datetime.combine(aware(now).date(), parsed.time())
        return parsed.replace(tzinfo=STOCKHOLM)
    raise PasisError(TIME_INVALID, field="clock")


def move_clock(
    *,
    engine: Engine,
    clock: object,
    user: str,
    step: str | None = None,
    to: str | None = None,
) -> ClockMove:
    """Move a training clock forward by a step or to a typed time, then send what is due."""
    from pasis_tui.core.db import write_session

    if not isinstance(clock, FixedClock):
        raise PasisError(NOT_MOVABLE, field="clock")
    before = clock.now()
    if to is not None:
        target = parse_target(to, now=before)
    else:
        target = step_target(before, step or HOUR)
    if target < before:
        raise PasisError(
            BACKWARDS.format(target=f"{target:%Y-%m-%d %H:%M}", now=f"{before:%Y-%m-%d %H:%M}"),
            field="clock",
        )
    clock.set(target)
    try:
        with write_session(engine, user=user, clock=clock) as session:
            due = dispatch_due(session=session, clock=clock)
    except BaseException:
        clock.set(before)  # nothing was sent: the move did not happen either
        raise
    return ClockMove(
        before=before, after=clock.now(), sent=due.invitations, reminders=due.reminders
    )
