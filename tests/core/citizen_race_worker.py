"""One racer of tests/core/test_citizen_race.py, in its own spawned process; it imports only the
core, so that a process starts quickly."""

from __future__ import annotations

import datetime as dt
from multiprocessing.synchronize import Barrier

from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.citizen_booking import Actor, SlotTakenError, book_offered, rebook
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import make_engine, write_session
from pasis_tui.core.errors import PasisError

TIMEOUT_S = 120


def race_one(
    url: str,
    barrier: Barrier,
    now: dt.datetime,
    personnummer: str,
    action: str,
    target_id: int,
    slot_id: int,
) -> tuple[str, str, int]:
    """Book (target: a watch) or rebook (target: a booking) at the barrier's signal; returns
    (personnummer, "ok" or the refusal, how many offers the loser was shown)."""
    engine = make_engine(url)
    clock = FixedClock(now)
    with engine.connect():  # connect before the barrier, so the race is the transaction only
        pass
    barrier.wait(TIMEOUT_S)
    try:
        with write_session(engine, user="1177", clock=clock) as session:
            patient_id = session.exec(
                select(models.Patient.id).where(models.Patient.personnummer == personnummer)
            ).one()
            assert patient_id is not None
            actor = Actor.patient(personnummer)
            if action == "book":
                book_offered(
                    session=session,
                    clock=clock,
                    actor=actor,
                    patient_id=patient_id,
                    watch_id=target_id,
                    slot_id=slot_id,
                )
            else:
                rebook(
                    session=session,
                    clock=clock,
                    actor=actor,
                    patient_id=patient_id,
                    booking_id=target_id,
                    slot_id=slot_id,
                )
        return personnummer, "ok", 0
    except SlotTakenError as lost:
        return personnummer, lost.message, len(lost.remaining)
    except PasisError as refused:
        return personnummer, f"other: {refused.message}", 0
    finally:
        engine.dispose()
