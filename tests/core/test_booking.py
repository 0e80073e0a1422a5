"""Staff booking in the appointment book: seats, overbooking, a lost race, clinic cancellation."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select

from pasis_tui.core import appointment_book, booking, models
from pasis_tui.core.booking import book_slot, cancel_by_clinic
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from tests.conftest import USER

HAN_MONDAY = dt.date(2026, 11, 23)


def _han(session: Session) -> int:
    han = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "HAN")).one()
    assert han.id is not None
    return han.id


def _slot_at(session: Session, hour: int, minute: int = 0, day: dt.date = HAN_MONDAY) -> int:
    slot = session.exec(
        select(models.Slot).where(
            models.Slot.caregiver_id == _han(session),
            models.Slot.starts_at == dt.datetime.combine(day, dt.time(hour, minute)),
        )
    ).one()
    assert slot.id is not None
    return slot.id


def _patient(session: Session, index: int) -> int:
    patients = session.exec(select(models.Patient).order_by(col(models.Patient.id))).all()
    assert patients[index].id is not None
    return patients[index].id  # type: ignore[return-value]


def _bookings(engine: Engine, clock: FixedClock) -> int:
    with open_session(engine, user=USER, clock=clock) as session:
        return session.exec(select(func.count()).select_from(models.Booking)).one()


def test_day_book_shows_free_booked_and_patients(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user=USER, clock=clock) as session:
        lines = appointment_book.day_book(session, caregiver_id=_han(session), day=HAN_MONDAY)
        week = appointment_book.week_book(session, caregiver_id=_han(session), day=HAN_MONDAY)
    assert [(f"{line.starts_at:%H:%M}", line.activity_code, line.status) for line in lines] == [
        ("10:00", "ÖKNY", "bokad"),
        ("11:00", "ÖKNY", "ledig"),
        ("12:00", "RAST", "ej bokningsbar"),
        ("13:00", "ÖKÅB", "ledig"),
        ("13:30", "ÖKÅB", "bokad"),
    ]
    assert lines[0].patients == ("Tolvan Tolvansson 19121212-1212",)
    assert (lines[0].visit_length_min, lines[0].level_1177, lines[3].visit_length_min) == (
        60,
        3,
        30,
    )
    assert len(week) == 25 and {line.day for line in week} == {
        HAN_MONDAY + dt.timedelta(days=n) for n in range(5)
    }


def test_book_free_slot_then_full_then_overbook(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot_id = _slot_at(session, 11)
        first = book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 6))
        assert (first.seat_no, first.overbooked, first.booked_by) == (1, False, USER)
        with pytest.raises(PasisError, match="Välj Överboka") as error:
            book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 7))
        assert error.value.field == "slot"
        extra = book_slot(
            session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 7), overbook=True
        )
        assert (extra.seat_no, extra.overbooked) == (2, True)
        with pytest.raises(PasisError, match="redan bokad på tiden"):
            book_slot(
                session,
                clock=clock,
                slot_id=slot_id,
                patient_id=_patient(session, 7),
                overbook=True,
            )
    with open_session(demo_engine, user=USER, clock=clock) as session:
        line = next(
            line
            for line in appointment_book.day_book(
                session, caregiver_id=_han(session), day=HAN_MONDAY
            )
            if line.slot_id == slot_id
        )
        assert line.status == "överbokad" and line.booked == 2
        assert line.patients[1].endswith("(överbokad)")


def test_overbooking_limit_is_the_templates(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot_id = _slot_at(session, 11)
        session.connection().execute(
            update(models.Slot).where(col(models.Slot.id) == slot_id).values(overbookings=1)
        )
        book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 6))
        book_slot(
            session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 7), overbook=True
        )
        with pytest.raises(PasisError, match="redan 1 överbokningar"):
            book_slot(
                session,
                clock=clock,
                slot_id=slot_id,
                patient_id=_patient(session, 8),
                overbook=True,
            )


def test_break_and_past_slots_cannot_be_booked(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="inte en bokningsbar tid"):
            book_slot(
                session, clock=clock, slot_id=_slot_at(session, 12), patient_id=_patient(session, 6)
            )
        past = _slot_at(session, 10, day=dt.date(2026, 11, 20))
        with pytest.raises(PasisError, match="redan passerat"):
            book_slot(session, clock=clock, slot_id=past, patient_id=_patient(session, 6))


def test_lost_race_gives_swedish_error_and_changes_nothing(
    demo_engine: Engine, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale read (another writer took the seat after it) meets the partial unique index."""
    before = _bookings(demo_engine, clock)
    monkeypatch.setattr(booking, "_active_on_slot", lambda session, slot_id: [])
    with pytest.raises(PasisError, match="hann bokas av någon annan") as error:
        with write_session(demo_engine, user=USER, clock=clock) as session:
            book_slot(
                session, clock=clock, slot_id=_slot_at(session, 10), patient_id=_patient(session, 6)
            )
    assert error.value.field == "slot"
    assert _bookings(demo_engine, clock) == before


def test_cancel_by_clinic_notifies_patient_and_frees_the_seat(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot_id = _slot_at(session, 10)
        active = session.exec(
            select(models.Booking).where(
                models.Booking.slot_id == slot_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).one()
        cancel_by_clinic(session, clock=clock, booking_ids=[active.id], reason="Läkaren är sjuk")  # type: ignore[list-item]
        again = book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 6))
        assert again.seat_no == 1
        with pytest.raises(PasisError, match="redan avbokad"):
            cancel_by_clinic(session, clock=clock, booking_ids=[active.id])  # type: ignore[list-item]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        message = session.exec(
            select(models.Message).where(models.Message.kind == models.MessageKind.CANCELLATION)
        ).one()
        assert message.patient_id == active.patient_id
        assert message.subject == "Avbokad tid"
        assert message.body.startswith(
            "Din tid 2026-11-23 10:00 hos Hanna Andersson, M11 REUM DAGSJUKVÅRD MALMÖ, "
            "har avbokats av mottagningen. Läkaren är sjuk."
        )
        cancelled = session.get(models.Booking, active.id)
        assert cancelled is not None and cancelled.status == models.BookingStatus.CANCELLED
        assert cancelled.cancelled_by == USER


def test_two_staff_booking_the_same_seat_exactly_one_wins(
    demo_engine: Engine, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writers read the slot as free at the same moment (PostgreSQL); the partial unique
    index lets one in and the other gets the Swedish message. SQLite's BEGIN IMMEDIATE makes the
    second wait for the first, so it reads the seat as taken."""
    original = booking._active_on_slot
    barrier = threading.Barrier(2, timeout=2)

    def read_together(session: Session, slot_id: int) -> list[models.Booking]:
        found = original(session, slot_id)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:  # SQLite: the other writer waits for the lock
            pass
        return found

    monkeypatch.setattr(booking, "_active_on_slot", read_together)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        slot_id = _slot_at(session, 11)
        patients = [_patient(session, 6), _patient(session, 7)]
    outcomes: list[str] = []

    def attempt(patient_id: int) -> None:
        try:
            with write_session(demo_engine, user=USER, clock=clock) as session:
                book_slot(session, clock=clock, slot_id=slot_id, patient_id=patient_id)
            outcomes.append("bokad")
        except PasisError as error:
            outcomes.append(error.message)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("bokad") == 1
    lost = next(message for message in outcomes if message != "bokad")
    if demo_engine.dialect.name == "postgresql":
        assert lost.startswith("Tiden 2026-11-23 11:00 hann bokas av någon annan")
    else:
        assert lost.startswith("Tiden 2026-11-23 11:00 är redan bokad")
    with open_session(demo_engine, user=USER, clock=clock) as session:
        active = session.exec(
            select(func.count())
            .select_from(models.Booking)
            .where(
                models.Booking.slot_id == slot_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).one()
    assert active == 1
