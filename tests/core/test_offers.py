"""The offered-slot rule of SPEC.md, one condition at a time, and its troubleshooting funnel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.offers import OfferResult, offers_for_watch, searchable_last_day
from tests.conftest import USER
from tests.core.watch_setup import WEDNESDAY, patient_id, save, saved_watch_id

TEN = dt.datetime.combine(WEDNESDAY, dt.time(10, 0))
ELEVEN = dt.datetime.combine(WEDNESDAY, dt.time(11, 0))


def _wednesday_watch(engine: Engine, clock: FixedClock, *, send: bool = True) -> int:
    """An ÖK watch whose window is the one Wednesday: candidates HAN 10:00 and 11:00."""
    watch_id = saved_watch_id(
        save(engine, clock, book_from=WEDNESDAY.isoformat(), book_to=WEDNESDAY.isoformat())
    )
    if send:
        with write_session(engine, user=USER, clock=clock) as session:
            session.connection().execute(
                update(models.Invitation)
                .where(col(models.Invitation.watch_id) == watch_id)
                .values(due_at=dt.datetime(2000, 1, 1))
            )
            assert len(send_due_invitations(session=session, clock=clock).sent) == 1
    return watch_id


def _slot_id(session: Session, starts_at: dt.datetime) -> int:
    han = select(models.Caregiver.id).where(models.Caregiver.signature == "HAN")
    slot = session.exec(
        select(models.Slot).where(
            col(models.Slot.caregiver_id).in_(han), models.Slot.starts_at == starts_at
        )
    ).one()
    assert slot.id is not None
    return slot.id


def _offers(engine: Engine, clock: FixedClock, watch_id: int) -> OfferResult:
    with open_session(engine, user=USER, clock=clock) as session:
        return offers_for_watch(session=session, clock=clock, watch_id=watch_id)


def _starts(result: OfferResult) -> list[dt.datetime]:
    return [slot.starts_at for slot in result.offered]


def _step(result: OfferResult, condition: str) -> tuple[int, int, str]:
    step = next(s for s in result.steps if s.condition == condition)
    return step.removed, step.remaining, step.text


def test_both_candidates_offered_once_sent(demo_engine: Engine, clock: FixedClock) -> None:
    result = _offers(demo_engine, clock, _wednesday_watch(demo_engine, clock))
    assert _starts(result) == [TEN, ELEVEN]
    assert result.blocking is None
    assert all(slot.free_seats == 1 for slot in result.offered)
    assert result.steps[0].text == "5 tider för M11/HAN i perioden 2026-11-25–2026-11-25"


def test_nothing_offered_before_the_invitation_is_sent(
    demo_engine: Engine, clock: FixedClock
) -> None:
    result = _offers(demo_engine, clock, _wednesday_watch(demo_engine, clock, send=False))
    assert result.offered == () and [s.starts_at for s in result.matching] == [TEN, ELEVEN]
    assert _step(result, "sent")[:2] == (2, 0)
    assert "kallelsen har inte skickats" in result.findings[-1]


@pytest.mark.parametrize(
    ("condition", "values", "words"),
    [
        ("visit_length", {"visit_length_min": 30}, "på 60 min — de är 30 min (1)"),
        ("level", {"level_1177": 2}, "med 1177-nivå 3 — de har nivå 2 (1)"),
    ],
)
def test_one_slot_failing_one_condition_is_not_offered(
    demo_engine: Engine, clock: FixedClock, condition: str, values: dict[str, int], words: str
) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id) == _slot_id(session, TEN))
            .values(**values)
        )
    result = _offers(demo_engine, clock, watch_id)
    assert _starts(result) == [ELEVEN]
    removed, remaining, text = _step(result, condition)
    assert (removed, remaining) == (1, 1)
    assert words in text


def test_other_activity_is_not_offered_and_named(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        other = session.exec(select(models.Activity).where(models.Activity.code == "ÖKÅB")).first()
        assert other is not None
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id) == _slot_id(session, TEN))
            .values(activity_id=other.id, visit_length_min=60)
        )
    result = _offers(demo_engine, clock, watch_id)
    assert _starts(result) == [ELEVEN]
    removed, remaining, text = _step(result, "activity")
    assert (removed, remaining) == (4, 1)  # ÖKÅB 13:00/13:30, RAST and the changed 10:00
    assert "med aktivitet ÖKNY — de har ÖKÅB (3), RAST (1)" in text


def test_a_booked_slot_is_not_offered_a_group_seat_left_is(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        ten, eleven = _slot_id(session, TEN), _slot_id(session, ELEVEN)
        session.connection().execute(
            update(models.Slot).where(col(models.Slot.id) == eleven).values(seats=2)
        )
        for slot_id in (ten, eleven):
            book_slot(
                session,
                clock=clock,
                slot_id=slot_id,
                patient_id=patient_id(session, "198107249289"),
            )
    result = _offers(demo_engine, clock, watch_id)
    assert [(s.starts_at, s.free_seats) for s in result.offered] == [(ELEVEN, 1)]
    assert _step(result, "free")[:2] == (1, 1)


def test_an_overbooking_does_not_take_the_seat(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.add(
            models.Booking(
                slot_id=_slot_id(session, TEN),
                seat_no=2,
                patient_id=patient_id(session, "198107249289"),
                overbooked=True,
                booked_at=dt.datetime(2026, 11, 22, 9, 0),
                booked_by=USER,
            )
        )
    assert _starts(_offers(demo_engine, clock, watch_id)) == [TEN, ELEVEN]


def test_a_past_slot_is_not_offered(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    clock.set(dt.datetime.combine(WEDNESDAY, dt.time(10, 0)))  # 10:00 has begun
    result = _offers(demo_engine, clock, watch_id)
    assert _starts(result) == [ELEVEN]
    assert _step(result, "future")[:2] == (1, 4)  # only 10:00 has begun


def test_a_removed_slot_is_never_a_candidate(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id) == _slot_id(session, TEN))
            .values(removed_at=dt.datetime(2026, 11, 22, 9, 0), schedule_day_id=None)
        )
    result = _offers(demo_engine, clock, watch_id)
    assert _starts(result) == [ELEVEN]
    assert result.steps[0].remaining == 4


def test_an_activity_no_longer_bookable_offers_nothing(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Activity)
            .where(col(models.Activity.code) == "ÖKNY")
            .values(activity_type=models.ActivityType.NOT_BOOKABLE.value)
        )
    result = _offers(demo_engine, clock, watch_id)
    assert result.offered == ()
    removed, remaining, text = _step(result, "activity_type")
    assert (removed, remaining) == (2, 0) and "inte bokningsbar" in text
    assert result.blocking is not None and result.blocking.condition == "activity_type"


@pytest.mark.parametrize(
    ("valid_to", "offered"), [(WEDNESDAY, [TEN, ELEVEN]), (WEDNESDAY - dt.timedelta(days=1), [])]
)
def test_hsa_mapping_on_the_boundary_day(
    demo_engine: Engine, clock: FixedClock, valid_to: dt.date, offered: list[dt.datetime]
) -> None:
    watch_id = _wednesday_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        m11 = select(models.Clinic.id).where(models.Clinic.code == "M11")
        session.connection().execute(
            update(models.HsaMapping)
            .where(col(models.HsaMapping.clinic_id).in_(m11))
            .values(valid_to=valid_to)
        )
    result = _offers(demo_engine, clock, watch_id)
    assert _starts(result) == offered
    if not offered:
        removed, remaining, text = _step(result, "hsa")
        assert (removed, remaining) == (2, 0) and "SP 721" in text


@pytest.mark.parametrize(
    ("weeks", "last_offered_day"),
    [(1, dt.date(2026, 12, 1)), (2, dt.date(2026, 12, 8))],
)
def test_searchable_weeks_on_the_boundary_day(
    demo_engine: Engine, clock: FixedClock, weeks: int, last_offered_day: dt.date
) -> None:
    clock.set(dt.datetime.combine(WEDNESDAY, dt.time(8, 0)))
    assert searchable_last_day(today=WEDNESDAY, weeks=weeks) == last_offered_day
    watch_id = saved_watch_id(save(demo_engine, clock, book_from="", book_to="2027-01-31"))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.connection().execute(update(models.Settings1177).values(searchable_weeks=weeks))
        clock.advance(dt.timedelta(hours=2))
        send_due_invitations(session=session, clock=clock)
    result = _offers(demo_engine, clock, watch_id)
    assert result.window_last == last_offered_day
    days = {slot.day for slot in result.offered}
    assert max(days) == last_offered_day
    assert min(days) == WEDNESDAY


def test_the_booking_window_bounds_the_offer(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(
        save(demo_engine, clock, book_from="2026-11-26", book_to="2026-11-27")
    )
    with write_session(demo_engine, user=USER, clock=clock) as session:
        clock.advance(dt.timedelta(hours=1))
        send_due_invitations(session=session, clock=clock)
    result = _offers(demo_engine, clock, watch_id)
    assert {slot.day for slot in result.offered} == {dt.date(2026, 11, 26), dt.date(2026, 11, 27)}
    assert len(result.offered) == 4


def test_the_offer_query_uses_the_offer_index(demo_engine: Engine, clock: FixedClock) -> None:
    if demo_engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite; PostgreSQL picks by statistics")
    watch_id = _wednesday_watch(demo_engine, clock)
    executed: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        executed.append((statement, parameters))

    with open_session(demo_engine, user=USER, clock=clock) as session:
        event.listen(demo_engine, "before_cursor_execute", capture)
        try:
            offers_for_watch(session=session, clock=clock, watch_id=watch_id)
        finally:
            event.remove(demo_engine, "before_cursor_execute", capture)
        [(statement, parameters)] = [
            (sql, params) for sql, params in executed if "ORDER BY slot.starts_at" in sql
        ]
        plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        details = [str(row[-1]) for row in plan]
    assert details[0].startswith("SEARCH slot USING INDEX ix_slot_offer"), details
    assert any("uq_booking_active_seat" in line for line in details), details
