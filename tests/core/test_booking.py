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
        assert line.patient_states == ("bokad", "överbokad")
        assert line.labels[1].endswith("(överbokad)") and "(" not in line.patients[1]


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


def _watch(session: Session, patient_id: int, status: models.WatchStatus) -> int:
    unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
    watch = models.Watch(unit_id=unit.id, patient_id=patient_id, status=status)  # type: ignore[arg-type]
    session.add(watch)
    session.flush()
    assert watch.id is not None
    return watch.id


def test_a_watch_is_booked_once_and_open_again_after_a_cancel(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        patient = _patient(session, 6)
        watch_id = _watch(session, patient, models.WatchStatus.OPEN)
        first = book_slot(
            session,
            clock=clock,
            slot_id=_slot_at(session, 11),
            patient_id=patient,
            watch_id=watch_id,
        )
        watch = session.get(models.Watch, watch_id)
        assert watch is not None and watch.status == models.WatchStatus.BOOKED
        with pytest.raises(PasisError, match=r"Bevakningen är redan bokad \(2026-11-23 11:00\)"):
            book_slot(
                session,
                clock=clock,
                slot_id=_slot_at(session, 13),
                patient_id=patient,
                watch_id=watch_id,
            )
        with pytest.raises(PasisError, match="finns inte för den här patienten"):
            book_slot(
                session,
                clock=clock,
                slot_id=_slot_at(session, 13),
                patient_id=_patient(session, 7),
                watch_id=watch_id,
            )
        cancel_by_clinic(session, clock=clock, booking_ids=[first.id])  # type: ignore[list-item]
        assert watch.status == models.WatchStatus.OPEN
        again = book_slot(
            session,
            clock=clock,
            slot_id=_slot_at(session, 13),
            patient_id=patient,
            watch_id=watch_id,
        )
        assert again.watch_id == watch_id and watch.status == models.WatchStatus.BOOKED
        closed = _watch(session, patient, models.WatchStatus.CLOSED)
        with pytest.raises(PasisError, match="avslutad och kan inte bokas"):
            book_slot(
                session,
                clock=clock,
                slot_id=_slot_at(session, 11),
                patient_id=patient,
                watch_id=closed,
            )


def test_a_seat_lost_to_a_stale_read_takes_the_next_free_seat(
    demo_engine: Engine, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first read misses a booking on seat 1 (as a concurrent writer's would be missed on
    PostgreSQL): the insert meets the unique index and the booking takes seat 2 instead."""
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot_id = _slot_at(session, 11)
        session.connection().execute(
            update(models.Slot).where(col(models.Slot.id) == slot_id).values(seats=2)
        )
        book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 6))
        original = booking._active_on_slot
        reads: list[int] = []

        def stale_first(session: Session, slot_id: int) -> list[models.Booking]:
            reads.append(slot_id)
            return [] if len(reads) == 1 else original(session, slot_id)

        monkeypatch.setattr(booking, "_active_on_slot", stale_first)
        second = book_slot(session, clock=clock, slot_id=slot_id, patient_id=_patient(session, 7))
        assert (second.seat_no, second.overbooked, len(reads)) == (2, False, 2)


def test_cancel_is_all_or_nothing_and_says_why(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        one = book_slot(
            session, clock=clock, slot_id=_slot_at(session, 11), patient_id=_patient(session, 6)
        )
        two = book_slot(
            session, clock=clock, slot_id=_slot_at(session, 13), patient_id=_patient(session, 6)
        )
        cancel_by_clinic(session, clock=clock, booking_ids=[two.id])  # type: ignore[list-item]
        ids = [one.id, two.id]
    with pytest.raises(PasisError, match="Bokningen är redan avbokad") as error:
        with write_session(demo_engine, user=USER, clock=clock) as session:
            cancel_by_clinic(session, clock=clock, booking_ids=ids)  # type: ignore[arg-type]
    assert error.value.field == "slot"
    with write_session(demo_engine, user=USER, clock=clock) as session:
        kept = session.get(models.Booking, one.id)
        assert kept is not None and kept.status == models.BookingStatus.ACTIVE
        messages = session.exec(
            select(models.Message).where(models.Message.kind == models.MessageKind.CANCELLATION)
        ).all()
        assert [message.booking_id for message in messages] == [two.id]
        session.connection().execute(
            update(models.Booking)
            .where(col(models.Booking.id) == one.id)
            .values(status=models.BookingStatus.REBOOKED)
        )
        with pytest.raises(PasisError, match="redan ombokad"):
            cancel_by_clinic(session, clock=clock, booking_ids=[one.id])  # type: ignore[list-item]
        with pytest.raises(PasisError, match="finns inte längre"):
            cancel_by_clinic(session, clock=clock, booking_ids=[999_999])


def test_cancel_cancels_the_unsent_reminder_and_keeps_the_sent_one(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        patient = _patient(session, 6)
        booked = book_slot(session, clock=clock, slot_id=_slot_at(session, 11), patient_id=patient)
        now = dt.datetime(2026, 11, 22, 9, 0)
        for sent in (now, None):
            session.add(
                models.SmsOutbox(
                    patient_id=patient,
                    booking_id=booked.id,
                    mobile="0701234567",
                    body="Påminnelse",
                    due_at=now,
                    sent_at=sent,
                )
            )
        session.flush()
        cancel_by_clinic(session, clock=clock, booking_ids=[booked.id])  # type: ignore[list-item]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        reminders = session.exec(
            select(models.SmsOutbox)
            .where(models.SmsOutbox.booking_id == booked.id)
            .order_by(col(models.SmsOutbox.id))
        ).all()
        assert [(r.sent_at, r.cancelled_at) for r in reminders] == [
            (now, None),
            (None, dt.datetime(2026, 11, 22, 9, 6)),  # the demo clock's 10:06 in UTC
        ]
        cancelled = session.get(models.Booking, booked.id)
        assert cancelled is not None and cancelled.cancelled_via == models.BookedVia.STAFF
