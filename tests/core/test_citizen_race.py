"""Races between real OS processes (spawn, a Barrier) on a file SQLite and on PostgreSQL:
several patients book — or rebook into — the last free seat at once. Exactly one wins; every
loser is told "Tiden är inte längre ledig" and keeps what she had."""

from __future__ import annotations

import datetime as dt
import multiprocessing

from sqlalchemy import Engine, func
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.citizen_booking import Actor, book_offered
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from tests.conftest import DEMO_NOW, USER
from tests.core.citizen_race_worker import TIMEOUT_S, race_one
from tests.core.citizen_setup import ELEVEN, TEN, pid, sent_watch, slot_at
from tests.core.watch_setup import WEDNESDAY

#: Test personnummer with a 1177 account (data/demo/patienter.csv), one racer each.
RACERS = ("191212121212", "194510168885", "198107249289")
BYSTANDER = "198501012382"


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _run(engine: Engine, jobs: list[tuple[str, str, int, int]]) -> list[tuple[str, str, int]]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(len(jobs))
        with context.Pool(len(jobs)) as pool:
            pending = [
                pool.apply_async(race_one, (_url(engine), barrier, DEMO_NOW, *job)) for job in jobs
            ]
            return [p.get(TIMEOUT_S) for p in pending]


def _active_on(engine: Engine, clock: FixedClock, slot_id: int) -> list[int]:
    with open_session(engine, user=USER, clock=clock) as session:
        return list(
            session.exec(
                select(models.Booking.patient_id).where(
                    models.Booking.slot_id == slot_id,
                    models.Booking.status == models.BookingStatus.ACTIVE,
                )
            ).all()
        )


def _messages(engine: Engine, clock: FixedClock) -> int:
    with open_session(engine, user=USER, clock=clock) as session:
        return int(session.exec(select(func.count()).select_from(models.Message)).one())


def test_processes_race_for_the_last_seat(demo_engine: Engine, clock: FixedClock) -> None:
    watches = {p: sent_watch(demo_engine, clock, personnummer=p) for p in RACERS}
    with write_session(demo_engine, user=USER, clock=clock) as session:
        book_slot(
            session,
            clock=clock,
            slot_id=slot_at(session, ELEVEN),
            patient_id=pid(session, BYSTANDER),
        )
        last = slot_at(session, TEN)
    before = _messages(demo_engine, clock)
    results = _run(demo_engine, [(p, "book", watches[p], last) for p in RACERS])
    winners = [p for p, outcome, _ in results if outcome == "ok"]
    assert len(winners) == 1, results
    assert sorted(outcome for _, outcome, _ in results if outcome != "ok") == [
        "Tiden är inte längre ledig"
    ] * (len(RACERS) - 1)
    assert all(left == 0 for p, _, left in results if p not in winners)  # nothing else offered
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert _active_on(demo_engine, clock, last) == [pid(session, winners[0])]
        states = {p: session.get(models.Watch, w).status for p, w in watches.items()}  # type: ignore[union-attr]
        assert states == {
            p: models.WatchStatus.BOOKED if p in winners else models.WatchStatus.OPEN
            for p in RACERS
        }
    assert _messages(demo_engine, clock) == before + 2  # the winner's Bekräftelse and letter


def test_processes_race_to_rebook_into_the_last_seat(
    demo_engine: Engine, clock: FixedClock
) -> None:
    days = [WEDNESDAY + dt.timedelta(days=n) for n in (1, 2)]
    starts = [dt.datetime.combine(d, dt.time(h)) for d in days for h in (10, 11)]
    watches = {
        p: sent_watch(demo_engine, clock, personnummer=p, last=WEDNESDAY + dt.timedelta(days=2))
        for p in RACERS
    }
    held: dict[str, int] = {}
    with write_session(demo_engine, user="1177", clock=clock) as session:
        book_slot(
            session,
            clock=clock,
            slot_id=slot_at(session, ELEVEN),
            patient_id=pid(session, BYSTANDER),
        )
        for personnummer, starts_at in zip(RACERS, starts[: len(RACERS)], strict=True):
            receipt = book_offered(
                session=session,
                clock=clock,
                actor=Actor.patient(personnummer),
                patient_id=pid(session, personnummer),
                watch_id=watches[personnummer],
                slot_id=slot_at(session, starts_at),
            )
            held[personnummer] = receipt.booking_id
        last = slot_at(session, TEN)
    before = _messages(demo_engine, clock)
    results = _run(demo_engine, [(p, "rebook", held[p], last) for p in RACERS])
    winners = [p for p, outcome, _ in results if outcome == "ok"]
    assert len(winners) == 1, results
    assert [o for _, o, _ in results if o != "ok"] == ["Tiden är inte längre ledig"] * (
        len(RACERS) - 1
    )
    # A loser is shown what is still offered: the winner's old seat, now free, and the rest.
    free_before = len(starts) - len(RACERS)
    assert all(left == free_before + 1 for p, _, left in results if p not in winners), results
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert _active_on(demo_engine, clock, last) == [pid(session, winners[0])]
        for personnummer in RACERS:
            old = session.get(models.Booking, held[personnummer])
            assert old is not None
            expected = (
                models.BookingStatus.REBOOKED
                if personnummer in winners
                else models.BookingStatus.ACTIVE
            )
            assert old.status == expected
        rebooked = session.exec(
            select(func.count())
            .select_from(models.Booking)
            .where(col(models.Booking.rebooked_from_id).in_(list(held.values())))
        ).one()
        assert rebooked == 1
    assert _messages(demo_engine, clock) == before + 2  # the winner's Ombokning and letter
