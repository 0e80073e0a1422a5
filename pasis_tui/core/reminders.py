"""SMS reminders (seed 002: "sms-påminnelse går ut 48 timmar före bokad tid").

A booking whose booking type has the SMS flag, for a patient with a mobile number, gets one
waiting entry in the SMS outbox, due 48 real hours before the slot's instant. A rebooking moves
that entry to the new booking and time; a cancellation marks it cancelled. When the application
clock passes `due_at`, `send_due_reminders` marks it sent — exactly once, by a conditional UPDATE.
A booking made less than 48 hours ahead gets no reminder (its confirmation has just arrived).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.citizen_text import clinic_display_name
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive

REMINDER_HOURS = 48
REMINDER_TEXT = (
    "Påminnelse: du har en bokad tid {time} hos {clinic}. Kan du inte komma? Avboka via 1177."
)
#: How many reminders one run of the sender handles (the clock control runs it again).
SEND_BATCH = 500


def booking_type_of(session: Session, slot: models.Slot) -> models.BookingType | None:
    """The PMO booking type of the slot's activity (None: the activity has none)."""
    activity = session.get(models.Activity, slot.activity_id)
    if activity is None or activity.booking_type_id is None:
        return None
    return session.get(models.BookingType, activity.booking_type_id)


def wants_reminder(booking_type: models.BookingType | None) -> bool:
    """Seed 002: every type visible to the patient has the SMS flag; an activity without a
    booking type is read as a plain 1177 time and gets one too."""
    return booking_type is None or booking_type.sms_reminder


def _due(slot: models.Slot) -> dt.datetime:
    return slot.starts_at_utc - dt.timedelta(hours=REMINDER_HOURS)


def schedule_reminder(
    session: Session, *, clock: Clock, booking: models.Booking, slot: models.Slot
) -> models.SmsOutbox | None:
    """Queue the reminder of a new booking, if its type, the patient and the time allow one."""
    patient = session.get(models.Patient, booking.patient_id)
    if patient is None or not patient.mobile:
        return None
    if not wants_reminder(booking_type_of(session, slot)):
        return None
    due = _due(slot)
    if due <= utc_naive(clock.now()):
        return None
    clinic = clinic_display_name(session, clinic_id=slot.clinic_id, day=slot.day)
    sms = models.SmsOutbox(
        patient_id=booking.patient_id,
        booking_id=booking.id,
        mobile=patient.mobile,
        body=REMINDER_TEXT.format(time=f"{slot.starts_at:%Y-%m-%d %H:%M}", clinic=clinic)[:320],
        due_at=due,
    )
    session.add(sms)
    session.flush()
    return sms


def cancel_reminder(session: Session, *, clock: Clock, booking_id: int) -> int:
    """Mark a booking's waiting reminder cancelled; returns how many were (0 or 1)."""
    result = session.connection().execute(
        update(models.SmsOutbox)
        .where(
            col(models.SmsOutbox.booking_id) == booking_id,
            col(models.SmsOutbox.sent_at).is_(None),
            col(models.SmsOutbox.cancelled_at).is_(None),
        )
        .values(cancelled_at=utc_naive(clock.now()))
    )
    return int(result.rowcount)


def move_reminder(
    session: Session,
    *,
    clock: Clock,
    old_booking_id: int,
    booking: models.Booking,
    slot: models.Slot,
) -> models.SmsOutbox | None:
    """A rebooking: the old booking's waiting reminder is cancelled and the new time queued."""
    cancel_reminder(session, clock=clock, booking_id=old_booking_id)
    return schedule_reminder(session, clock=clock, booking=booking, slot=slot)


@dataclass(frozen=True)
class SmsLine:
    """One row of the staff's SMS list."""

    sms_id: int
    patient_name: str
    mobile: str
    body: str
    due_at: dt.datetime  # Swedish local time
    sent_at: dt.datetime | None
    cancelled_at: dt.datetime | None

    @property
    def status(self) -> str:
        if self.cancelled_at is not None:
            return "Makulerad"
        return "Skickad" if self.sent_at is not None else "Väntar"


def send_due_reminders(*, session: Session, clock: Clock, limit: int = SEND_BATCH) -> int:
    """Mark every reminder that is due as sent (each once); returns how many were sent now."""
    now_utc = utc_naive(clock.now())
    due_ids = session.exec(
        select(models.SmsOutbox.id)
        .where(
            col(models.SmsOutbox.sent_at).is_(None),
            col(models.SmsOutbox.cancelled_at).is_(None),
            col(models.SmsOutbox.due_at) <= now_utc,
        )
        .order_by(col(models.SmsOutbox.due_at))
        .limit(limit)
    ).all()
    if not due_ids:
        return 0
    result = session.connection().execute(
        update(models.SmsOutbox)
        .where(
            col(models.SmsOutbox.id).in_(list(due_ids)),
            col(models.SmsOutbox.sent_at).is_(None),
            col(models.SmsOutbox.cancelled_at).is_(None),
        )
        .values(sent_at=now_utc)
    )
    return int(result.rowcount)


def list_sms(
    *, session: Session, unit_id: int | None = None, limit: int = 100, offset: int = 0
) -> tuple[SmsLine, ...]:
    """The SMS outbox, latest due first, for one unit's clinics (or all), a page at a time."""
    query = (
        select(models.SmsOutbox, models.Patient)
        .join(models.Patient, col(models.Patient.id) == models.SmsOutbox.patient_id)
        .order_by(col(models.SmsOutbox.due_at).desc(), col(models.SmsOutbox.id).desc())
    )
    if unit_id is not None:
        query = (
            query.join(models.Booking, col(models.Booking.id) == models.SmsOutbox.booking_id)
            .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
            .join(models.Clinic, col(models.Clinic.id) == models.Slot.clinic_id)
            .where(models.Clinic.unit_id == unit_id)
        )
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return tuple(
        SmsLine(
            sms_id=sms.id,  # type: ignore[arg-type]
            patient_name=f"{patient.first_name} {patient.last_name}",
            mobile=sms.mobile,
            body=sms.body,
            due_at=from_utc_naive(sms.due_at),
            sent_at=from_utc_naive(sms.sent_at) if sms.sent_at else None,
            cancelled_at=from_utc_naive(sms.cancelled_at) if sms.cancelled_at else None,
        )
        for sms, patient in rows
    )
