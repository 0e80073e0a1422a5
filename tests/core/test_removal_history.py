"""Issue #8, "History deleted with a removed day": removing a laid day keeps every booking, its
slot's day and time, who booked and who cancelled, and the messages' link; the Tidbok no longer
shows the removed slots; the same day can be laid and published again; a removal racing a
booking (OS processes) never leaves a booking on a removed slot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pasis_tui.core import appointment_book, models
from pasis_tui.core.booking import active_bookings, book_slot, booking_history, cancel_by_clinic
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.publishing import publish_schedule
from pasis_tui.core.schedule_changes import day_ids_in_period, remove_laid_days
from pasis_tui.core.schedule_laying import lay_preliminary
from pasis_tui.core.scheduling import read_schedule
from tests.conftest import BACKENDS, USER, _database, _Templates
from tests.core.test_races import _column, _race

#: The demo's Monday with two bookings on HAN: 10:00 Tolvan Tolvansson and 13:30.
MONDAY = dt.date(2026, 11, 23)
REMOVER = "ADM"


def _han(session: Session) -> models.Caregiver:
    return session.exec(select(models.Caregiver).where(models.Caregiver.signature == "HAN")).one()


def _remove_monday(engine: Engine, clock: FixedClock) -> list[int]:
    """Remove HAN's Monday as ADM, confirming its bookings; returns their ids."""
    with write_session(engine, user=REMOVER, clock=clock) as session:
        han = _han(session)
        assert han.id is not None
        ids = day_ids_in_period(session, caregiver_id=han.id, first=MONDAY, last=MONDAY)
        booked = [line.booking_id for line in active_bookings(session, schedule_day_ids=ids)]
        assert len(booked) == 2
        assert (
            remove_laid_days(
                session,
                clock=clock,
                schedule_day_ids=ids,
                confirmed_booking_ids=booked,
                reason="Mottagningen är stängd",
            )
            == 1
        )
    return booked


def test_who_was_booked_at_what_time_after_a_removal(
    demo_engine: Engine, clock: FixedClock
) -> None:
    booked = _remove_monday(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        han = _han(session)
        assert han.id is not None
        history = booking_history(session, caregiver_id=han.id, first=MONDAY, last=MONDAY)
        answer = [
            (
                f"{record.starts_at:%Y-%m-%d %H:%M}",
                record.caregiver_signature,
                record.personnummer,
                record.status,
                record.booked_by,
                record.cancelled_by,
                record.cancel_reason,
                record.slot_removed_by,
            )
            for record in history
        ]
        patients = session.exec(select(models.Patient).order_by(col(models.Patient.id))).all()
        assert answer == [
            (
                "2026-11-23 10:00",
                "HAN",
                patients[0].personnummer,
                models.BookingStatus.CANCELLED,
                USER,
                REMOVER,
                "Mottagningen är stängd",
                REMOVER,
            ),
            (
                "2026-11-23 13:30",
                "HAN",
                patients[1].personnummer,
                models.BookingStatus.CANCELLED,
                USER,
                REMOVER,
                "Mottagningen är stängd",
                REMOVER,
            ),
        ]
        assert patients[0].personnummer == "191212121212"
        assert sorted(record.booking_id for record in history) == sorted(booked)
        assert all(record.slot_removed_at == record.cancelled_at for record in history)
        # The patients' Avbokning messages keep their link to the booking.
        messages = session.exec(
            select(models.Message).where(models.Message.kind == models.MessageKind.CANCELLATION)
        ).all()
        assert sorted(message.booking_id for message in messages) == sorted(booked)  # type: ignore[type-var]
        # The day's slots are kept, detached from the (deleted) day and marked removed.
        slots = session.exec(
            select(models.Slot)
            .where(models.Slot.caregiver_id == han.id, models.Slot.day == MONDAY)
            .order_by(col(models.Slot.starts_at))
        ).all()
        assert [(s.schedule_day_id, s.removed_by) for s in slots] == [(None, REMOVER)] * 5
        assert all(s.removed_at == history[0].cancelled_at for s in slots)
        # The Tidbok and SP 272 no longer show the day.
        assert appointment_book.day_book(session, caregiver_id=han.id, day=MONDAY) == []
        week = appointment_book.week_book(session, caregiver_id=han.id, day=MONDAY)
        assert len(week) == 20 and MONDAY not in {line.day for line in week}
        unit = session.get(models.Unit, han.unit_id)
        assert unit is not None and unit.id is not None
        view = read_schedule(session, unit_id=unit.id, signature="HAN", from_date=MONDAY)
        assert MONDAY not in view.days
    # A removed slot can be neither booked nor cancelled again.
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="finns inte längre i tidboken") as error:
            book_slot(session, clock=clock, slot_id=slots[0].id, patient_id=patients[5].id)  # type: ignore[arg-type]
        assert error.value.field == "slot"
        with pytest.raises(PasisError, match="redan avbokad"):
            cancel_by_clinic(session, clock=clock, booking_ids=booked)


def test_the_removed_day_can_be_laid_and_published_again(
    demo_engine: Engine, clock: FixedClock
) -> None:
    booked = _remove_monday(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        han = _han(session)
        assert han.id is not None
        lay_preliminary(
            session,
            clock=clock,
            unit_id=han.unit_id,
            caregiver_id=han.id,
            template_code="ÖK",
            weeks=[(2026, 48)],
            weekdays=[0],
            clinic_code="M11",
            letter_code="ÖK",
        )
        assert publish_schedule(session, clock=clock, caregiver_ids=[han.id]).slots == 5
        lines = appointment_book.day_book(session, caregiver_id=han.id, day=MONDAY)
        assert [(f"{line.starts_at:%H:%M}", line.status) for line in lines] == [
            ("10:00", "ledig"),
            ("11:00", "ledig"),
            ("12:00", "ej bokningsbar"),
            ("13:00", "ledig"),
            ("13:30", "ledig"),
        ]
        patient = session.exec(select(models.Patient).order_by(col(models.Patient.id))).first()
        assert patient is not None and patient.id is not None
        again = book_slot(session, clock=clock, slot_id=lines[0].slot_id, patient_id=patient.id)
        assert again.seat_no == 1
    with open_session(demo_engine, user=USER, clock=clock) as session:
        history = booking_history(session, caregiver_id=han.id, first=MONDAY, last=MONDAY)  # type: ignore[arg-type]
        assert [
            (f"{r.starts_at:%H:%M}", r.status, r.slot_removed_by is not None) for r in history
        ] == [
            ("10:00", models.BookingStatus.CANCELLED, True),
            ("10:00", models.BookingStatus.ACTIVE, False),
            ("13:30", models.BookingStatus.CANCELLED, True),
        ]
        assert {r.booking_id for r in history if r.slot_removed_by} == set(booked)


@pytest.fixture(params=BACKENDS)
def demo_db(
    request: pytest.FixtureRequest, templates: _Templates, tmp_path: Path
) -> tuple[Engine, str]:
    yield from _database(request.param, "demo", templates, tmp_path)  # type: ignore[misc]


def test_removal_racing_a_booking_never_leaves_a_booking_on_a_removed_slot(
    demo_db: tuple[Engine, str], clock: FixedClock
) -> None:
    """Per round one process removes a free day while another books a slot of it: either the
    booking came first and the removal is refused (it was not confirmed), or the removal came
    first and the booking is told the time no longer exists — never both."""
    engine, url = demo_db
    first = dt.date(2026, 12, 7)
    with open_session(engine, user=USER, clock=clock) as session:
        han = _han(session)
        assert han.id is not None
        days = day_ids_in_period(
            session, caregiver_id=han.id, first=first, last=first + dt.timedelta(days=4)
        )
        slot_ids = []
        for day_id in days:
            slot = session.exec(
                select(models.Slot)
                .where(models.Slot.schedule_day_id == day_id, models.Slot.level_1177 > 0)
                .order_by(col(models.Slot.starts_at))
            ).first()
            assert slot is not None
            slot_ids.append(slot.id)
        patient = session.exec(select(models.Patient.id).order_by(col(models.Patient.id))).first()
    assert len(days) == 5
    outcomes = _race(
        url,
        {
            "RACE1": [("remove", day_id) for day_id in days],
            "RACE2": [("book", (slot_id, patient, False, None)) for slot_id in slot_ids],
        },
    )
    with open_session(engine, user=USER, clock=clock) as session:
        for step, (day_id, slot_id) in enumerate(zip(days, slot_ids, strict=True)):
            column = _column(outcomes, step)
            slot = session.get(models.Slot, slot_id)
            day = session.get(models.ScheduleDay, day_id)
            active = session.exec(
                select(models.Booking).where(
                    models.Booking.slot_id == slot_id,
                    models.Booking.status == models.BookingStatus.ACTIVE,
                )
            ).all()
            if column["RACE2"] == "plats 1":
                assert column["RACE1"].startswith("1 bokad tid finns")
                assert day is not None and slot is not None and slot.removed_at is None
                assert len(active) == 1
            else:
                assert column["RACE1"] == "borttagen"
                assert column["RACE2"] == "Tiden finns inte längre i tidboken"
                assert day is None and active == []
                assert slot is not None and slot.removed_by == "RACE1"
