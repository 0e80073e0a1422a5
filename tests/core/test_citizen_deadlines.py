"""Tidsgräns ombokning/avbokning in real hours: at the limit, one minute inside and outside,
also across the switch to summer time (2026-03-29) and back (2026-10-25)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.citizen_booking import cancel
from pasis_tui.core.citizen_rules import change_rights
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from tests.conftest import USER
from tests.core.citizen_setup import TEN, TOLVAN_ACTOR, copy_slot, pid, slot_at

#: (visit, its 24-hour deadline in Swedish local time): 24 real hours, not 24 wall-clock hours.
CASES = [
    (dt.datetime(2026, 3, 29, 10, 0), dt.datetime(2026, 3, 28, 9, 0)),  # into summer time
    (dt.datetime(2026, 10, 25, 10, 0), dt.datetime(2026, 10, 24, 11, 0)),  # back to winter time
    (dt.datetime(2026, 11, 25, 10, 0), dt.datetime(2026, 11, 24, 10, 0)),  # no change
]
MINUTE = dt.timedelta(minutes=1)


def _booked_at(engine: Engine, visit: dt.datetime) -> tuple[int, int, FixedClock]:
    """Tolvan booked (by staff, no watch) on a copy of HAN's 10:00 slot at `visit`."""
    clock = FixedClock(visit - dt.timedelta(days=20))
    with write_session(engine, user=USER, clock=clock) as session:
        slot_id = (
            slot_at(session, TEN)
            if visit == TEN
            else copy_slot(session, like=slot_at(session, TEN), starts_at=visit)
        )
        booking = book_slot(session, clock=clock, slot_id=slot_id, patient_id=pid(session))
        session.flush()
        assert booking.id is not None
        return booking.id, slot_id, clock


def _rights(engine: Engine, clock: FixedClock, booking_id: int) -> tuple[bool, bool, str]:
    with open_session(engine, user=USER, clock=clock) as session:
        booking = session.get(models.Booking, booking_id)
        assert booking is not None
        slot = session.get(models.Slot, booking.slot_id)
        assert slot is not None
        rights = change_rights(session, clock=clock, booking=booking, slot=slot)
        return rights.may_rebook, rights.may_cancel, rights.cancel_refusal or ""


@pytest.mark.parametrize(("visit", "limit"), CASES, ids=["spring", "autumn", "november"])
def test_deadline_is_24_real_hours(
    demo_engine: Engine, visit: dt.datetime, limit: dt.datetime
) -> None:
    booking_id, _slot, clock = _booked_at(demo_engine, visit)
    clock.set(limit - MINUTE)
    assert _rights(demo_engine, clock, booking_id)[:2] == (True, True)
    clock.set(limit)
    assert _rights(demo_engine, clock, booking_id)[:2] == (True, True)
    clock.set(limit + MINUTE)
    may_rebook, may_cancel, refusal = _rights(demo_engine, clock, booking_id)
    assert (may_rebook, may_cancel) == (False, False)
    assert refusal == (
        f"Tiden kan inte avbokas senare än 24 timmar före besöket (senast {limit:%Y-%m-%d %H:%M})"
    )


@pytest.mark.parametrize(("visit", "limit"), CASES[:2], ids=["spring", "autumn"])
def test_cancel_at_the_limit_and_one_minute_late(
    demo_engine: Engine, visit: dt.datetime, limit: dt.datetime
) -> None:
    booking_id, _slot, clock = _booked_at(demo_engine, visit)
    clock.set(limit + MINUTE)
    with pytest.raises(PasisError, match="senast") as refused:
        with write_session(demo_engine, user="1177", clock=clock) as session:
            cancel(
                session=session,
                clock=clock,
                actor=TOLVAN_ACTOR,
                patient_id=pid(session),
                booking_id=booking_id,
            )
    assert refused.value.field == "cancel"
    clock.set(limit)
    with write_session(demo_engine, user="1177", clock=clock) as session:
        receipt = cancel(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            booking_id=booking_id,
        )
        assert receipt.booked is None
    with open_session(demo_engine, user=USER, clock=clock) as session:
        booking = session.get(models.Booking, booking_id)
        assert booking is not None
        assert (booking.status, booking.cancelled_via, booking.cancelled_by) == (
            models.BookingStatus.CANCELLED,
            models.BookedVia.CITIZEN,
            TOLVAN_ACTOR.signature,
        )
        kinds = session.exec(
            select(models.Message.kind).where(models.Message.booking_id == booking_id)
        ).all()
        assert kinds == [models.MessageKind.CANCELLATION]


def test_the_clinics_own_limits_apply(demo_engine: Engine) -> None:
    """SP 177 for one clinic: rebook 48 h, cancel 30 h before."""
    booking_id, _slot, clock = _booked_at(demo_engine, TEN)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        row = session.exec(select(models.Settings1177)).first()
        assert row is not None
        row.rebook_limit_hours, row.cancel_limit_hours = 48, 30
        session.add(row)
    clock.set(TEN - dt.timedelta(hours=48))
    assert _rights(demo_engine, clock, booking_id)[:2] == (True, True)
    clock.set(TEN - dt.timedelta(hours=48) + MINUTE)
    assert _rights(demo_engine, clock, booking_id)[:2] == (False, True)
    clock.set(TEN - dt.timedelta(hours=30))
    assert _rights(demo_engine, clock, booking_id)[:2] == (False, True)
    clock.set(TEN - dt.timedelta(hours=30) + MINUTE)
    assert _rights(demo_engine, clock, booking_id)[:2] == (False, False)
