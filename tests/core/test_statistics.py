"""Statistik against a scenario with known numbers: weeks in Swedish time, channels, the ÖK
funnel and the median days from invitation to booking; the CSV export."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock, utc_naive
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.statistics import booking_statistics, rows_as_csv
from tests.conftest import USER

T = dt.datetime
VIA_1177, STAFF = models.BookedVia.CITIZEN, models.BookedVia.STAFF
FIRST, LAST = dt.date(2026, 11, 23), dt.date(2026, 12, 6)  # ISO weeks 48 and 49


def _scene(engine: Engine, clock: FixedClock) -> int:
    """Bookings at known local times on the demo's free HAN slots, and four ÖK invitations."""
    with write_session(engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        booked = select(models.Booking.slot_id)
        m11 = session.exec(select(models.Clinic).where(models.Clinic.code == "M11")).one()
        slots = session.exec(
            select(models.Slot)
            .where(
                col(models.Slot.id).not_in(booked),
                models.Slot.day > dt.date(2026, 12, 7),
                models.Slot.clinic_id == m11.id,
            )
            .order_by(col(models.Slot.starts_at))
            .limit(8)
        ).all()
        patients = session.exec(select(models.Patient).order_by(col(models.Patient.id))).all()

        def book(n: int, at: T, via: models.BookedVia, **more: object) -> models.Booking:
            booking = models.Booking(
                slot_id=slots[n].id,  # type: ignore[arg-type]
                patient_id=patients[n].id,  # type: ignore[arg-type]
                booked_at=utc_naive(at),
                booked_by="X",
                booked_via=via,
                **more,
            )
            session.add(booking)
            session.flush()
            return booking

        # Monday 00:30 local = Sunday 23:30 UTC: still week 48.
        first = book(0, T(2026, 11, 23, 0, 30), VIA_1177)
        book(1, T(2026, 11, 24, 9, 0), STAFF)
        book(2, T(2026, 11, 30, 9, 0), VIA_1177)  # week 49
        cancelled = book(3, T(2026, 11, 25, 9, 0), VIA_1177)
        cancelled.status = models.BookingStatus.CANCELLED
        cancelled.cancelled_at = utc_naive(T(2026, 12, 1, 8, 0))  # week 49
        cancelled.cancelled_via = VIA_1177
        first.status = models.BookingStatus.REBOOKED
        book(4, T(2026, 11, 26, 9, 0), VIA_1177, rebooked_from_id=first.id, rebooking_no=1)

        def invite(n: int, sent: T, booking: models.Booking | None, **watch: object) -> None:
            w = models.Watch(unit_id=unit.id, patient_id=patients[n].id, **watch)  # type: ignore[arg-type]
            session.add(w)
            session.flush()
            if booking is not None:
                booking.watch_id = w.id
            session.add(
                models.Message(
                    patient_id=w.patient_id,
                    kind=models.MessageKind.INVITATION,
                    watch_id=w.id,
                    subject="Kallelse",
                    sent_at=utc_naive(sent),
                )
            )
            session.flush()
            message = session.exec(
                select(models.Message).where(models.Message.watch_id == w.id)
            ).one()
            session.add(
                models.Invitation(
                    watch_id=w.id,
                    patient_id=w.patient_id,
                    due_at=utc_naive(sent),  # type: ignore[arg-type]
                    sent_at=utc_naive(sent),
                    message_id=message.id,
                )
            )

        invite(5, T(2026, 11, 22, 9, 0), None, book_to=dt.date(2026, 12, 31))  # before the period
        invite(6, T(2026, 11, 27, 9, 0), _booking(session, slots[2]), book_to=dt.date(2026, 12, 31))
        invite(7, T(2026, 11, 24, 9, 0), _booking(session, slots[1]), book_to=dt.date(2026, 12, 31))
        invite(8, T(2026, 11, 24, 9, 0), None, book_to=dt.date(2026, 11, 30))
        invite(
            9,
            T(2026, 11, 24, 9, 0),
            None,
            book_to=dt.date(2026, 12, 31),
            status=models.WatchStatus.CLOSED,
        )
        return unit.id  # type: ignore[return-value]


def _booking(session, slot: models.Slot) -> models.Booking:  # type: ignore[no-untyped-def]
    return session.exec(select(models.Booking).where(models.Booking.slot_id == slot.id)).one()


def test_weeks_channels_funnel_and_csv(demo_engine: Engine, clock: FixedClock) -> None:
    unit_id = _scene(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        result = booking_statistics(
            session=session, unit_id=unit_id, first=FIRST, last=LAST, today=dt.date(2026, 12, 7)
        )
    table = {(r.week, r.kind): (r.via_1177, r.via_staff) for r in result.rows}
    assert table == {
        ("2026-V48", "Bokningar"): (2, 1),
        ("2026-V48", "Ombokningar"): (1, 0),
        ("2026-V49", "Bokningar"): (1, 0),
        ("2026-V49", "Avbokningar"): (1, 0),
    }
    assert {r.clinic_code for r in result.rows} == {"M11"}
    funnel = result.funnel
    assert (funnel.sent, funnel.booked, funnel.passed_unbooked, funnel.closed) == (4, 2, 1, 1)
    # Invitation 2026-11-27 09:00 → booked 2026-11-30 09:00 (3 days); 11-24 → 11-24 (0 days).
    assert funnel.median_days_to_booking == 1.5
    assert result.message == "2026-11-23 – 2026-12-06: 4 bokningar, 4 öppna kallelser skickade"
    lines = rows_as_csv(result.rows).splitlines()
    assert lines[0] == "Vecka;Mottagning;Händelse;1177;Personal;Totalt"
    assert lines[1] == "2026-V48;M11;Bokningar;2;1;3"
    assert len(lines) == 5


def test_a_clinic_filter_and_bad_periods(demo_engine: Engine, clock: FixedClock) -> None:
    unit_id = _scene(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        other = session.exec(select(models.Clinic).where(models.Clinic.code == "M12")).one()
        empty = booking_statistics(
            session=session,
            unit_id=unit_id,
            first=FIRST,
            last=LAST,
            clinic_id=other.id,
            today=dt.date(2026, 12, 7),
        )
        assert empty.rows == [] and empty.funnel.sent == 0
        with pytest.raises(PasisError) as refused:
            booking_statistics(
                session=session, unit_id=unit_id, first=LAST, last=FIRST, today=FIRST
            )
        assert refused.value.field == "to_date"


def _staff_bookings(engine: Engine, clock: FixedClock, around: T) -> dict[str, int]:
    with open_session(engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        result = booking_statistics(
            session=session,
            unit_id=unit.id,  # type: ignore[arg-type]
            first=(around - dt.timedelta(days=8)).date(),
            last=(around + dt.timedelta(days=8)).date(),
            today=dt.date(2026, 12, 7),
        )
    return {r.week: r.via_staff for r in result.rows if r.kind == "Bokningar"}


@pytest.mark.parametrize(
    ("utc", "week"),
    [
        (T(2026, 6, 28, 21, 59), "2026-V26"),  # Sunday 23:59 summer time
        (T(2026, 6, 28, 22, 0), "2026-V27"),  # Monday 00:00 summer time
        (T(2026, 11, 29, 22, 59), "2026-V48"),  # Sunday 23:59 winter time
        (T(2026, 11, 29, 23, 0), "2026-V49"),  # Monday 00:00 winter time
        (T(2026, 3, 29, 0, 59), "2026-V13"),  # Sunday 01:59 CET, a minute before the change
        (T(2026, 10, 25, 22, 59), "2026-V43"),  # Sunday 23:59 CET, the day clocks went back
        (T(2026, 10, 25, 23, 0), "2026-V44"),  # … and the Monday after it at 00:00
    ],
)
def test_a_booking_is_in_its_swedish_iso_week(
    demo_engine: Engine, clock: FixedClock, utc: T, week: str
) -> None:
    """One staff booking more at `utc` (UTC) adds one to exactly its Swedish local ISO week."""
    before = _staff_bookings(demo_engine, clock, utc)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        booked = select(models.Booking.slot_id)
        slot = session.exec(
            select(models.Slot)
            .where(col(models.Slot.id).not_in(booked), col(models.Slot.clinic_id).isnot(None))
            .order_by(col(models.Slot.id))
        ).first()
        patient = session.exec(select(models.Patient).order_by(col(models.Patient.id))).first()
        assert slot is not None and patient is not None and slot.id and patient.id
        session.add(
            models.Booking(slot_id=slot.id, patient_id=patient.id, booked_at=utc, booked_by="X")
        )
    after = _staff_bookings(demo_engine, clock, utc)
    changed = {w: n - before.get(w, 0) for w, n in after.items() if n != before.get(w, 0)}
    assert changed == {week: 1}
