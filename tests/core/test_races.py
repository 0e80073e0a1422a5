"""Races between OS processes (issue #8, "Nothing twice, nothing lost") on a file SQLite and on
PostgreSQL: cancel × cancel, cancel × book, book × book on multi-seat slots, overbookings and one
watch. Every test asserts exact counts of rows, messages and audit entries, not "at least one".

Each process is a spawned interpreter with its own engine (tests/core/race_workers.py); a
Barrier starts every step in all of them together. Four processes × five rounds keep it modest
for two shared cores.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import queue
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from tests.conftest import BACKENDS, DEMO_NOW, USER, _database, _Templates
from tests.core import race_workers

PROCESSES = 4
ROUNDS = 5
USERS = [f"RACE{n}" for n in range(1, PROCESSES + 1)]
ALREADY_CANCELLED = "Bokningen är redan avbokad"
#: The demo books HAN on its first two weeks; the races use his free slots after them.
AFTER_DEMO_BOOKINGS = dt.datetime(2026, 11, 30)


@pytest.fixture(params=BACKENDS)
def demo_db(
    request: pytest.FixtureRequest, templates: _Templates, tmp_path: Path
) -> Iterator[tuple[Engine, str]]:
    """The demo database and its URL (a file for SQLite), for engines in other processes."""
    yield from _database(request.param, "demo", templates, tmp_path)


def _race(url: str, plans: dict[str, Sequence[tuple[str, Any]]]) -> dict[str, list[str]]:
    """Run each user's steps in its own process, step i of all of them begun together."""
    context = multiprocessing.get_context("spawn")
    steps = {len(plan) for plan in plans.values()}
    assert len(steps) == 1
    barrier = context.Barrier(len(plans))
    cancelled = [context.Event() for _ in range(steps.pop())]
    results = context.Queue()
    processes = [
        context.Process(
            target=race_workers.run,
            args=(url, user, DEMO_NOW, plan, barrier, cancelled, results),
        )
        for user, plan in plans.items()
    ]
    for process in processes:
        process.start()
    outcomes: dict[str, list[str]] = {}
    try:
        for _ in processes:
            user, done = results.get(timeout=300)
            outcomes[user] = done
    except queue.Empty:
        pytest.fail(f"a race process gave no result: {outcomes}")
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    errors = [line for done in outcomes.values() for line in done if line.startswith("fel")]
    assert not errors, errors[0]
    assert all(process.exitcode == 0 for process in processes)
    return outcomes


def _seats_and_refusals(column: dict[str, str]) -> tuple[list[str], list[str]]:
    """The seats won ("plats N", sorted) and the refusals of one step."""
    seats = sorted(text for text in column.values() if text.startswith("plats "))
    return seats, [text for text in column.values() if not text.startswith("plats ")]


def _column(outcomes: dict[str, list[str]], step: int) -> dict[str, str]:
    return {user: done[step] for user, done in outcomes.items()}


# ------------------------------------------------------------------------------------------------
# Setup: free future slots of one caregiver, bookings with ÖK watches


def _free_slots(session: Session, count: int, *, skip: int = 0) -> list[models.Slot]:
    """`count` free bookable one-seat slots of HAN after the demo's booked weeks, in time order."""
    han = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "HAN")).one()
    booked = select(models.Booking.slot_id)
    slots = session.exec(
        select(models.Slot)
        .join(models.Activity, col(models.Activity.id) == models.Slot.activity_id)
        .where(
            models.Slot.caregiver_id == han.id,
            models.Slot.level_1177 > 0,
            models.Activity.activity_type == models.ActivityType.BOOKABLE,
            col(models.Slot.starts_at) > AFTER_DEMO_BOOKINGS,
            col(models.Slot.id).not_in(booked),
        )
        .order_by(col(models.Slot.starts_at))
        .offset(skip)
        .limit(count)
    ).all()
    assert len(slots) == count
    return list(slots)


def _patients(session: Session) -> list[int]:
    ids = session.exec(select(models.Patient.id).order_by(col(models.Patient.id))).all()
    return [patient_id for patient_id in ids if patient_id is not None]


def _booked_with_watches(engine: Engine, clock: FixedClock) -> list[tuple[int, int, int, int]]:
    """ROUNDS slots, each booked for its own patient through an ÖK watch (slot, booking, patient,
    watch); the watches are Bokad."""
    made = []
    with write_session(engine, user=USER, clock=clock) as session:
        patients = _patients(session)[10 : 10 + ROUNDS]
        for slot, patient_id in zip(_free_slots(session, ROUNDS), patients, strict=True):
            clinic = session.get(models.Clinic, slot.clinic_id)
            assert clinic is not None
            watch = models.Watch(
                unit_id=clinic.unit_id,
                patient_id=patient_id,
                clinic_id=slot.clinic_id,
                caregiver_id=slot.caregiver_id,
                visit_length_min=slot.visit_length_min,
                activity_id=slot.activity_id,
            )
            session.add(watch)
            session.flush()
            assert watch.id is not None and slot.id is not None
            booking = book_slot(
                session, clock=clock, slot_id=slot.id, patient_id=patient_id, watch_id=watch.id
            )
            session.flush()
            assert booking.id is not None and watch.status == models.WatchStatus.BOOKED
            made.append((slot.id, booking.id, patient_id, watch.id))
    return made


def _audit_changes(session: Session, table: str, row_id: int, field: str) -> list[tuple[Any, Any]]:
    """(before, after) of `field` in every audited update of one row."""
    rows = session.exec(
        select(models.AuditEntry)
        .where(
            models.AuditEntry.table_name == table,
            models.AuditEntry.row_id == row_id,
            models.AuditEntry.action == models.AuditAction.UPDATE,
        )
        .order_by(col(models.AuditEntry.id))
    ).all()
    changes = []
    for row in rows:
        before, after = json.loads(row.before or "{}"), json.loads(row.after or "{}")
        if field in after:
            changes.append((before.get(field), after[field]))
    return changes


def _assert_cancelled_once(
    session: Session, made: list[tuple[int, int, int, int]], winners: list[str]
) -> None:
    """Each booking cancelled once by its winner; one Avbokning each; each watch reopened once."""
    for (_slot_id, booking_id, patient_id, watch_id), winner in zip(made, winners, strict=True):
        booking = session.get(models.Booking, booking_id)
        assert booking is not None
        assert (booking.status, booking.cancelled_by, booking.cancelled_via) == (
            models.BookingStatus.CANCELLED,
            winner,
            models.BookedVia.STAFF,
        )
        messages = session.exec(
            select(models.Message).where(
                models.Message.patient_id == patient_id,
                models.Message.kind == models.MessageKind.CANCELLATION,
            )
        ).all()
        assert [message.booking_id for message in messages] == [booking_id]
        assert _audit_changes(session, "booking", booking_id, "status") == [("Bokad", "Avbokad")]
        watch = session.get(models.Watch, watch_id)
        assert watch is not None and watch.status == models.WatchStatus.OPEN
        assert _audit_changes(session, "watch", watch_id, "status") == [
            ("Öppen", "Bokad"),  # booked through the watch
            ("Bokad", "Öppen"),  # reopened by the one cancel
        ]


def _cancellations(session: Session) -> int:
    return len(
        session.exec(
            select(models.Message.id).where(models.Message.kind == models.MessageKind.CANCELLATION)
        ).all()
    )


# ------------------------------------------------------------------------------------------------
# The races


def test_cancel_by_cancel_exactly_one_wins(demo_db: tuple[Engine, str], clock: FixedClock) -> None:
    engine, url = demo_db
    made = _booked_with_watches(engine, clock)
    with open_session(engine, user=USER, clock=clock) as session:
        messages_before = _cancellations(session)
    plan = [("cancel", booking_id) for _, booking_id, _, _ in made]
    outcomes = _race(url, {user: plan for user in USERS})
    winners = []
    for step in range(ROUNDS):
        column = _column(outcomes, step)
        assert Counter(column.values()) == {"avbokad": 1, ALREADY_CANCELLED: PROCESSES - 1}
        winners.append(next(user for user, outcome in column.items() if outcome == "avbokad"))
    with open_session(engine, user=USER, clock=clock) as session:
        _assert_cancelled_once(session, made, winners)
        assert _cancellations(session) == messages_before + ROUNDS


def test_cancel_by_book_cancels_once_and_books_the_seat_once(
    demo_db: tuple[Engine, str], clock: FixedClock
) -> None:
    """Two clinics cancel each booking while two others book its (one-seat) slot: one cancel
    wins, one booker gets the freed seat (at once, or after the cancel), the other is refused."""
    engine, url = demo_db
    made = _booked_with_watches(engine, clock)
    with open_session(engine, user=USER, clock=clock) as session:
        bookers = _patients(session)[16:18]
        rows_before = len(session.exec(select(models.Booking.id)).all())
        messages_before = _cancellations(session)
    cancels = [("cancel", booking_id) for _, booking_id, _, _ in made]
    plans: dict[str, Sequence[tuple[str, Any]]] = {USERS[0]: cancels, USERS[1]: cancels}
    for user, patient_id in zip(USERS[2:], bookers, strict=True):
        plans[user] = [
            ("book_after_cancel", (slot_id, patient_id, False, None)) for slot_id, *_ in made
        ]
    outcomes = _race(url, plans)
    winners = []
    booked_by: list[str] = []
    for step in range(ROUNDS):
        column = _column(outcomes, step)
        cancellers = {user: column[user] for user in USERS[:2]}
        assert Counter(cancellers.values()) == {"avbokad": 1, ALREADY_CANCELLED: 1}
        winners.append(next(user for user, outcome in cancellers.items() if outcome == "avbokad"))
        booking = {user: column[user] for user in USERS[2:]}
        assert sorted(outcome.startswith("plats") for outcome in booking.values()) == [False, True]
        assert "plats 1" in booking.values()
        refused = next(outcome for outcome in booking.values() if outcome != "plats 1")
        assert "är redan bokad" in refused or "hann bokas av någon annan" in refused
        booked_by.append(next(user for user, outcome in booking.items() if outcome == "plats 1"))
    with open_session(engine, user=USER, clock=clock) as session:
        _assert_cancelled_once(session, made, winners)
        assert _cancellations(session) == messages_before + ROUNDS
        assert len(session.exec(select(models.Booking.id)).all()) == rows_before + ROUNDS
        for (slot_id, *_), user in zip(made, booked_by, strict=True):
            active = session.exec(
                select(models.Booking).where(
                    models.Booking.slot_id == slot_id,
                    models.Booking.status == models.BookingStatus.ACTIVE,
                )
            ).all()
            assert [(b.seat_no, b.booked_by) for b in active] == [(1, user)]


def test_book_by_book_fills_every_seat_and_refuses_only_when_full(
    demo_db: tuple[Engine, str], clock: FixedClock
) -> None:
    """Per round four processes book: a 3-seat slot (3 seats taken, 1 refused), a 4-seat slot
    (all 4 booked, nobody refused), an overbooking on a full slot allowing 2 (2 overbooked, 2
    refused) and one watch into four different slots (1 booked, 3 told it is already booked)."""
    engine, url = demo_db
    with write_session(engine, user=USER, clock=clock) as session:
        patients = _patients(session)
        slots = _free_slots(session, ROUNDS * (3 + PROCESSES))
        three, four, full = (
            slots[:ROUNDS],
            slots[ROUNDS : 2 * ROUNDS],
            slots[2 * ROUNDS : 3 * ROUNDS],
        )
        for seats, group in ((3, three), (4, four)):
            session.connection().execute(
                update(models.Slot)
                .where(col(models.Slot.id).in_([slot.id for slot in group]))
                .values(seats=seats)
            )
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id).in_([slot.id for slot in full]))
            .values(overbookings=2)
        )
        for slot in full:
            book_slot(session, clock=clock, slot_id=slot.id, patient_id=patients[14])  # type: ignore[arg-type]
        watch_patient = patients[15]
        clinic = session.get(models.Clinic, slots[0].clinic_id)
        assert clinic is not None
        watches = []
        for _ in range(ROUNDS):
            watch = models.Watch(unit_id=clinic.unit_id, patient_id=watch_patient)
            session.add(watch)
            session.flush()
            watches.append(watch.id)
        rows_before = len(session.exec(select(models.Booking.id)).all())
    watch_slots = slots[3 * ROUNDS :]
    plans = {}
    for index, user in enumerate(USERS):
        patient_id = patients[10 + index]
        plan: list[tuple[str, Any]] = []
        for step in range(ROUNDS):
            plan += [
                ("book", (three[step].id, patient_id, False, None)),
                ("book", (four[step].id, patient_id, False, None)),
                ("book", (full[step].id, patient_id, True, None)),
                (
                    "book",
                    (watch_slots[step * PROCESSES + index].id, watch_patient, False, watches[step]),
                ),
            ]
        plans[user] = plan
    outcomes = _race(url, plans)
    for step in range(ROUNDS):
        three_seats, four_seats, overbooked, watched = (
            _seats_and_refusals(_column(outcomes, 4 * step + n)) for n in range(4)
        )
        assert three_seats[0] == ["plats 1", "plats 2", "plats 3"]
        assert len(three_seats[1]) == 1
        assert "är redan bokad. Välj Överboka" in three_seats[1][0] or (
            "hann bokas av någon annan" in three_seats[1][0]
        )
        assert four_seats == (["plats 1", "plats 2", "plats 3", "plats 4"], [])
        assert overbooked[0] == ["plats 2", "plats 3"] and len(overbooked[1]) == 2
        assert all(
            "redan 2 överbokningar" in text or "hann bokas av någon annan" in text
            for text in overbooked[1]
        )
        assert watched[0] == ["plats 1"] and len(watched[1]) == PROCESSES - 1
        assert all(text.startswith("Bevakningen är redan bokad") for text in watched[1])
    with open_session(engine, user=USER, clock=clock) as session:
        total = len(session.exec(select(models.Booking.id)).all())
        assert total == rows_before + ROUNDS * (3 + 4 + 2 + 1)
        for group, seats in ((three, [1, 2, 3]), (four, [1, 2, 3, 4]), (full, [1, 2, 3])):
            for slot in group:
                active = session.exec(
                    select(models.Booking.seat_no).where(
                        models.Booking.slot_id == slot.id,
                        models.Booking.status == models.BookingStatus.ACTIVE,
                    )
                ).all()
                assert sorted(active) == seats
        for watch_id in watches:
            watch = session.get(models.Watch, watch_id)
            assert watch is not None and watch.status == models.WatchStatus.BOOKED
            assert _audit_changes(session, "watch", watch_id, "status") == [("Öppen", "Bokad")]


def test_one_patient_booking_a_multi_seat_slot_from_every_terminal_gets_one_seat(
    demo_db: tuple[Engine, str], clock: FixedClock
) -> None:
    """Four terminals book the same patient on the same 4-seat slot at once: the database's
    one-seat-per-patient index lets exactly one through; the others are told she is booked."""
    engine, url = demo_db
    with write_session(engine, user=USER, clock=clock) as session:
        patient_id = _patients(session)[12]
        slots = _free_slots(session, ROUNDS)
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id).in_([slot.id for slot in slots]))
            .values(seats=PROCESSES)
        )
    plans = {
        user: [("book", (slots[step].id, patient_id, False, None)) for step in range(ROUNDS)]
        for user in USERS
    }
    outcomes = _race(url, plans)
    for step in range(ROUNDS):
        column = _column(outcomes, step)
        assert sum(line.startswith("plats") for line in column.values()) == 1, column
        assert sum("Patienten är redan bokad" in line for line in column.values()) == PROCESSES - 1
    with open_session(engine, user=USER, clock=clock) as session:
        for slot in slots:
            active = session.exec(
                select(models.Booking).where(
                    models.Booking.slot_id == slot.id,
                    models.Booking.status == models.BookingStatus.ACTIVE,
                )
            ).all()
            assert [b.patient_id for b in active] == [patient_id]
