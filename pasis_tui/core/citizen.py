"""The citizen's read side of 1177: log in by personnummer, the inbox, a message, bokade tider.

A citizen sees only her own messages and bookings: every function takes the logged-in patient's
id and refuses anything that belongs to someone else with the same words as a message that does
not exist, so that no key path can tell another patient's message apart from nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from pasis_tui.core import models
from pasis_tui.core.citizen_rules import ChangeRights, change_rights
from pasis_tui.core.citizen_text import (
    caregiver_text,
    clinic_display_name,
    time_text,
    visit_text,
)
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer, normalize_personnummer

LOGIN_EMPTY = "Skriv ditt personnummer"
LOGIN_UNKNOWN = "Det finns inget konto på 1177 för personnummer {pnr}"
MESSAGE_UNKNOWN = "Meddelandet finns inte"
BOOKING_UNKNOWN = "Bokningen finns inte"
INBOX_PAGE = 50


@dataclass(frozen=True)
class Citizen:
    """The logged-in patient."""

    patient_id: int
    name: str
    personnummer: str  # 12 digits

    @property
    def personnummer_text(self) -> str:
        return format_personnummer(self.personnummer)


@dataclass(frozen=True)
class InboxLine:
    message_id: int
    kind: models.MessageKind
    subject: str
    clinic_name: str
    sent_at: dt.datetime  # Swedish local time
    unread: bool


@dataclass(frozen=True)
class MessageView:
    message_id: int
    kind: models.MessageKind
    subject: str
    clinic_name: str
    body: str
    sent_at: dt.datetime  # Swedish local time
    watch_id: int | None
    booking_id: int | None

    @property
    def sent_text(self) -> str:
        """`Meddelandet skickades 2025-04-25 11:14` (seed 7)."""
        return f"Meddelandet skickades {self.sent_at:%Y-%m-%d %H:%M}"


def log_in(*, session: Session, clock: Clock, personnummer: str) -> Citizen:
    """The patient with this personnummer, in any accepted form, who has a 1177 account."""
    if not personnummer.strip():
        raise PasisError(LOGIN_EMPTY, field="personnummer")
    number = normalize_personnummer(personnummer, today=clock.now().date())
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == number)
    ).first()
    if patient is None or not patient.has_1177_account:
        raise PasisError(
            LOGIN_UNKNOWN.format(pnr=format_personnummer(number)), field="personnummer"
        )
    assert patient.id is not None
    return Citizen(
        patient_id=patient.id,
        name=f"{patient.first_name} {patient.last_name}",
        personnummer=patient.personnummer,
    )


def inbox(
    *, session: Session, patient_id: int, limit: int = INBOX_PAGE, offset: int = 0
) -> tuple[InboxLine, ...]:
    """Her messages, newest first, unread marked; a page at a time."""
    rows = session.exec(
        select(models.Message)
        .where(models.Message.patient_id == patient_id)
        .order_by(col(models.Message.sent_at).desc(), col(models.Message.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return tuple(
        InboxLine(
            message_id=m.id,  # type: ignore[arg-type]
            kind=models.MessageKind(m.kind),
            subject=m.subject,
            clinic_name=m.clinic_name,
            sent_at=from_utc_naive(m.sent_at),
            unread=m.read_at is None,
        )
        for m in rows
    )


def message_count(*, session: Session, patient_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(models.Message)
            .where(models.Message.patient_id == patient_id)
        ).one()
    )


def unread_count(*, session: Session, patient_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(models.Message)
            .where(models.Message.patient_id == patient_id, col(models.Message.read_at).is_(None))
        ).one()
    )


def own_message(session: Session, *, patient_id: int, message_id: int) -> models.Message:
    """Her message, or the refusal a missing message gets."""
    message = session.get(models.Message, message_id)
    if message is None or message.patient_id != patient_id:
        raise PasisError(MESSAGE_UNKNOWN, field="message")
    return message


def open_message(
    *, session: Session, clock: Clock, patient_id: int, message_id: int
) -> MessageView:
    """Open one of her messages and mark it read (the first time); refused for anyone else's."""
    message = own_message(session, patient_id=patient_id, message_id=message_id)
    if message.read_at is None:
        session.connection().execute(
            update(models.Message)
            .where(
                col(models.Message.id) == message_id,
                col(models.Message.patient_id) == patient_id,
                col(models.Message.read_at).is_(None),
            )
            .values(read_at=utc_naive(clock.now()))
        )
        session.expire(message)
    return MessageView(
        message_id=message_id,
        kind=models.MessageKind(message.kind),
        subject=message.subject,
        clinic_name=message.clinic_name,
        body=message.body,
        sent_at=from_utc_naive(message.sent_at),
        watch_id=message.watch_id,
        booking_id=message.booking_id,
    )


@dataclass(frozen=True)
class BookedTime:
    """One of her bokade tider, with what she may do with it herself."""

    booking_id: int
    slot_id: int
    watch_id: int | None
    starts_at: dt.datetime  # Swedish wall time
    time_text: str
    clinic_name: str
    caregiver: str
    visit: str
    rights: ChangeRights


def booked_time(
    session: Session, *, clock: Clock, booking: models.Booking, slot: models.Slot
) -> BookedTime:
    caregiver = session.get(models.Caregiver, slot.caregiver_id)
    activity = session.get(models.Activity, slot.activity_id)
    watch = session.get(models.Watch, booking.watch_id) if booking.watch_id else None
    contact_type = (watch.contact_type if watch else None) or (
        activity.contact_type if activity else None
    )
    clinic_name = clinic_display_name(session, clinic_id=slot.clinic_id, day=slot.day)
    return BookedTime(
        booking_id=booking.id,  # type: ignore[arg-type]
        slot_id=slot.id,  # type: ignore[arg-type]
        watch_id=booking.watch_id,
        starts_at=slot.starts_at,
        time_text=time_text(slot.starts_at),
        clinic_name=clinic_name,
        caregiver=caregiver_text(caregiver),
        visit=visit_text(contact_type, caregiver),
        rights=change_rights(session, clock=clock, booking=booking, slot=slot),
    )


def booked_times(*, session: Session, clock: Clock, patient_id: int) -> tuple[BookedTime, ...]:
    """Her active bookings that have not started yet, in time order (Bokade tider)."""
    rows = session.exec(
        select(models.Booking, models.Slot)
        .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
        .where(
            models.Booking.patient_id == patient_id,
            models.Booking.status == models.BookingStatus.ACTIVE,
            col(models.Slot.starts_at_utc) > utc_naive(clock.now()),
        )
        .order_by(col(models.Slot.starts_at_utc))
    ).all()
    return tuple(booked_time(session, clock=clock, booking=b, slot=s) for b, s in rows)


def own_booking(session: Session, *, patient_id: int, booking_id: int) -> models.Booking:
    """Her active booking, or the refusal a missing booking gets."""
    booking = session.get(models.Booking, booking_id)
    if (
        booking is None
        or booking.patient_id != patient_id
        or booking.status != models.BookingStatus.ACTIVE
    ):
        raise PasisError(BOOKING_UNKNOWN, field="booking")
    return booking
