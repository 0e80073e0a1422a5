"""What each OS process of the race tests runs (multiprocessing "spawn": a fresh interpreter that
imports only this module and the core, makes its own engine from the URL and meets the others at
a Barrier before every step).

A step's outcome is a short text: "avbokad", "plats N" or the Swedish PasisError message, so the
test can count exactly who won and what the others were told.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from pasis_tui.core.booking import book_slot, cancel_by_clinic
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import make_engine, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.schedule_changes import remove_laid_days

#: Long enough for four interpreters to import SQLAlchemy on two busy cores.
BARRIER_TIMEOUT_S = 120
EVENT_TIMEOUT_S = 60
CANCEL_REASON = "Läkaren är sjuk"


def cancel(engine: Engine, user: str, clock: FixedClock, booking_id: int) -> str:
    try:
        with write_session(engine, user=user, clock=clock) as session:
            cancel_by_clinic(session, clock=clock, booking_ids=[booking_id], reason=CANCEL_REASON)
    except PasisError as error:
        return error.message
    return "avbokad"


def book(engine: Engine, user: str, clock: FixedClock, args: Sequence[Any]) -> str:
    slot_id, patient_id, overbook, watch_id = args
    try:
        with write_session(engine, user=user, clock=clock) as session:
            booking = book_slot(
                session,
                clock=clock,
                slot_id=slot_id,
                patient_id=patient_id,
                overbook=overbook,
                watch_id=watch_id,
            )
            seat = booking.seat_no
    except PasisError as error:
        return error.message
    return f"plats {seat}"


def remove(engine: Engine, user: str, clock: FixedClock, schedule_day_id: int) -> str:
    """Remove a laid day, confirming no booking (a booked slot makes it refuse)."""
    try:
        with write_session(engine, user=user, clock=clock) as session:
            remove_laid_days(session, clock=clock, schedule_day_ids=[schedule_day_id])
    except PasisError as error:
        return error.message
    return "borttagen"


TASKS: dict[str, Callable[[Engine, str, FixedClock, Any], str]] = {
    "cancel": cancel,
    "book": book,
    "remove": remove,
}


def run(
    url: str,
    user: str,
    moment: dt.datetime,
    steps: Sequence[tuple[str, Any]],
    barrier: Any,
    cancelled: Sequence[Any],
    results: Any,
) -> None:
    """Do `steps` (task, arguments) one by one, each begun together with the other processes.

    `cancelled[i]` is an Event set by every canceller once its cancel of step i has returned
    (the booking is then cancelled for good); a "book_after_cancel" step books at once and, if
    refused, books once more after that event — so it races the cancel and still ends exact.
    """
    engine = make_engine(url)
    clock = FixedClock(moment)
    outcomes: list[str] = []
    try:
        for index, (task, args) in enumerate(steps):
            barrier.wait(timeout=BARRIER_TIMEOUT_S)
            if task == "book_after_cancel":
                first = book(engine, user, clock, args)
                if first.startswith("plats"):
                    outcomes.append(first)
                    continue
                if not cancelled[index].wait(timeout=EVENT_TIMEOUT_S):
                    raise TimeoutError(f"no cancel in step {index}")
                outcomes.append(book(engine, user, clock, args))
                continue
            outcomes.append(TASKS[task](engine, user, clock, args))
            if task == "cancel":
                cancelled[index].set()
    except BaseException:
        outcomes.append("fel: " + traceback.format_exc())
        barrier.abort()
    finally:
        results.put((user, outcomes))
        engine.dispose()
