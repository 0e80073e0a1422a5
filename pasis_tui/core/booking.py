"""Staff bookings in the appointment book: book, overbook, and cancel on the clinic's behalf.

The database is the final arbiter: a partial unique index allows one active booking per
(slot, seat). Overbookings take seat numbers above the slot's seats, up to Slot.overbookings
(the template's Antal överbokningar). A lost race gives a Swedish PasisError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer, normalize_personnummer

SLOT_UNKNOWN = "Tiden finns inte längre i tidboken"
PATIENT_UNKNOWN = "Okänd patient"
SLOT_PAST = "Tiden {time} har redan passerat och kan inte bokas"
NOT_BOOKABLE = "{activity} är inte en bokningsbar tid"
ALREADY_BOOKED_PATIENT = "Patienten är redan bokad på tiden {time}"
SLOT_FULL = "Tiden {time} är redan bokad. Välj Överboka för att överboka (högst {overbookings})"
OVERBOOK_FULL = "Tiden {time} har redan {overbookings} överbokningar, fler är inte tillåtet"
RACE_LOST = "Tiden {time} hann bokas av någon annan just nu. Läs om tidboken och välj en annan tid"
BOOKING_UNKNOWN = "Bokningen finns inte eller är redan avbokad"
CANCEL_SUBJECT = "Avbokad tid"
CANCEL_BODY = (
    "Din tid {time} hos {caregiver}, {clinic}, har avbokats av mottagningen. {reason} "
    "Mottagningen kontaktar dig om en ny tid."
)


def find_patient(session: Session, *, text: str, today: dt.date) -> models.Patient:
    """The patient with a personnummer as staff type it (YYYYMMDD-NNNN, YYMMDD-NNNN, …)."""
    if not text.strip():
        raise PasisError("Personnummer måste fyllas i", field="personnummer")
    number = normalize_personnummer(text, today=today)
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == number)
    ).first()
    if patient is None:
        raise PasisError(f"{PATIENT_UNKNOWN}: {format_personnummer(number)}", field="personnummer")
    return patient


def _when(slot: models.Slot) -> str:
    return f"{slot.starts_at:%Y-%m-%d %H:%M}"


def book_slot(
    session: Session,
    *,
    clock: Clock,
    slot_id: int,
    patient_id: int,
    overbook: bool = False,
    watch_id: int | None = None,
    via: models.BookedVia = models.BookedVia.STAFF,
) -> models.Booking:
    """Book a patient into the first free seat of a slot, or (overbook=True) above its seats."""
    slot = session.get(models.Slot, slot_id)
    if slot is None:
        raise PasisError(SLOT_UNKNOWN, field="slot")
    if session.get(models.Patient, patient_id) is None:
        raise PasisError(PATIENT_UNKNOWN, field="personnummer")
    now = clock.now()
    if slot.starts_at_utc <= utc_naive(now):
        raise PasisError(SLOT_PAST.format(time=_when(slot)), field="slot")
    activity = session.get(models.Activity, slot.activity_id)
    if activity is None or activity.activity_type == models.ActivityType.NOT_BOOKABLE:
        name = activity.name if activity else "Aktiviteten"
        raise PasisError(NOT_BOOKABLE.format(activity=name), field="slot")
    active = _active_on_slot(session, slot_id)
    if any(booking.patient_id == patient_id for booking in active):
        raise PasisError(ALREADY_BOOKED_PATIENT.format(time=_when(slot)), field="personnummer")
    taken = {booking.seat_no for booking in active}
    free = [seat for seat in range(1, slot.seats + 1) if seat not in taken]
    overbooked = False
    if free:
        seat = free[0]
    elif not overbook:
        raise PasisError(
            SLOT_FULL.format(time=_when(slot), overbookings=slot.overbookings), field="slot"
        )
    else:
        extra = [
            s for s in range(slot.seats + 1, slot.seats + slot.overbookings + 1) if s not in taken
        ]
        if not extra:
            raise PasisError(
                OVERBOOK_FULL.format(time=_when(slot), overbookings=slot.overbookings),
                field="slot",
            )
        seat, overbooked = extra[0], True
    booking = models.Booking(
        slot_id=slot_id,
        seat_no=seat,
        patient_id=patient_id,
        watch_id=watch_id,
        booked_via=via,
        overbooked=overbooked,
        booked_at=utc_naive(now),
        booked_by=session.info.get("user", ""),
    )
    try:
        with session.begin_nested():  # a savepoint: the caller's transaction stays usable
            session.add(booking)
    except IntegrityError:
        # Another writer took the seat between our read and our insert (PostgreSQL: READ
        # COMMITTED; SQLite's BEGIN IMMEDIATE already serialises writers).
        raise PasisError(RACE_LOST.format(time=_when(slot)), field="slot") from None
    return booking


def _active_on_slot(session: Session, slot_id: int) -> list[models.Booking]:
    return list(
        session.exec(
            select(models.Booking).where(
                models.Booking.slot_id == slot_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).all()
    )


def active_booking_ids(session: Session, *, slot_id: int) -> list[int]:
    return [booking.id for booking in _active_on_slot(session, slot_id) if booking.id is not None]


@dataclass(frozen=True)
class BookedLine:
    """An active booking on a slot that a removal would touch."""

    booking_id: int
    slot_id: int
    starts_at: dt.datetime
    patient_name: str
    personnummer: str

    @property
    def text(self) -> str:
        shown = format_personnummer(self.personnummer)
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.patient_name} ({shown})"


def active_bookings(session: Session, *, schedule_day_ids: Sequence[int]) -> list[BookedLine]:
    """The active bookings on the slots of some laid days, in time order."""
    result: list[BookedLine] = []
    for start in range(0, len(schedule_day_ids), 500):
        chunk = list(schedule_day_ids[start : start + 500])
        query = (
            select(models.Booking, models.Slot, models.Patient)
            .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
            .join(models.Patient, col(models.Patient.id) == models.Booking.patient_id)
            .where(
                col(models.Slot.schedule_day_id).in_(chunk),
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        )
        for booking, slot, patient in session.exec(query).all():
            assert booking.id is not None
            result.append(
                BookedLine(
                    booking_id=booking.id,
                    slot_id=slot.id,  # type: ignore[arg-type]
                    starts_at=slot.starts_at,
                    patient_name=f"{patient.first_name} {patient.last_name}",
                    personnummer=patient.personnummer,
                )
            )
    return sorted(result, key=lambda line: (line.starts_at, line.booking_id))


def cancel_by_clinic(
    session: Session, *, clock: Clock, booking_ids: Sequence[int], reason: str = ""
) -> list[models.Booking]:
    """Cancel bookings on the clinic's behalf: each patient gets a 1177 message of kind Avbokning,
    unsent SMS reminders are dropped and an ÖK watch that was booked is open again."""
    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    cancelled: list[models.Booking] = []
    for booking_id in booking_ids:
        booking = session.get(models.Booking, booking_id)
        if booking is None or booking.status != models.BookingStatus.ACTIVE:
            raise PasisError(BOOKING_UNKNOWN, field="slot")
        slot = session.get(models.Slot, booking.slot_id)
        assert slot is not None
        caregiver = session.get(models.Caregiver, slot.caregiver_id)
        clinic = session.get(models.Clinic, slot.clinic_id)
        booking.status = models.BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = user
        booking.cancel_reason = reason[:80]
        session.add(booking)
        session.add(
            models.Message(
                patient_id=booking.patient_id,
                kind=models.MessageKind.CANCELLATION,
                watch_id=booking.watch_id,
                booking_id=booking.id,
                clinic_name=clinic.name if clinic else "",
                subject=CANCEL_SUBJECT,
                body=CANCEL_BODY.format(
                    time=_when(slot),
                    caregiver=caregiver.name if caregiver else "",
                    clinic=clinic.name if clinic else "",
                    reason=(reason.rstrip(".") + ".") if reason else "",
                ).replace("  ", " "),
                sent_at=now,
            )
        )
        if booking.watch_id is not None:
            watch = session.get(models.Watch, booking.watch_id)
            if watch is not None and watch.status == models.WatchStatus.BOOKED:
                watch.status = models.WatchStatus.OPEN
                session.add(watch)
        cancelled.append(booking)
    session.flush()
    if booking_ids:
        session.connection().execute(
            delete(models.SmsOutbox).where(
                col(models.SmsOutbox.booking_id).in_(list(booking_ids)),
                col(models.SmsOutbox.sent_at).is_(None),
            )
        )
    return cancelled


def drop_booking_rows(session: Session, *, slot_ids: Any) -> None:
    """Before slots are deleted: detach messages and sent SMS from their (cancelled) bookings and
    delete the booking rows; the audit log keeps every booking's history."""
    booking_ids = select(models.Booking.id).where(col(models.Booking.slot_id).in_(slot_ids))
    if session.exec(
        select(models.Booking.id).where(
            col(models.Booking.slot_id).in_(slot_ids),
            models.Booking.status == models.BookingStatus.ACTIVE,
        )
    ).first():
        raise PasisError("Tiden har en aktiv bokning och kan inte tas bort", field="schedule_day")
    session.connection().execute(
        update(models.Message)
        .where(col(models.Message.booking_id).in_(booking_ids))
        .values(booking_id=None)
    )
    session.connection().execute(
        update(models.SmsOutbox)
        .where(col(models.SmsOutbox.booking_id).in_(booking_ids))
        .values(booking_id=None)
    )
    session.connection().execute(
        update(models.Booking)
        .where(col(models.Booking.rebooked_from_id).in_(booking_ids))
        .values(rebooked_from_id=None)
    )
    session.connection().execute(
        delete(models.Booking).where(col(models.Booking.slot_id).in_(slot_ids))
    )
