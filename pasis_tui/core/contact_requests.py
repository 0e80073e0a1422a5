"""Kontakta oss för att omboka eller avboka tid (seed 8): where the patient may not change a
booking herself, she writes to the clinic; staff see the requests in a list and answer them, and
the answer reaches her 1177 inbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.citizen import own_booking
from pasis_tui.core.citizen_text import clinic_display_name, time_text
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.eservices import Eservice, require_eservice

TEXT_EMPTY = "Skriv vad du vill ändra"
TEXT_LONG = "Meddelandet får vara högst 1000 tecken"
ANSWER_EMPTY = "Svar måste fyllas i"
REQUEST_UNKNOWN = "Ärendet finns inte"
ALREADY_ANSWERED = "Ärendet är redan besvarat"
SENT = "Ditt meddelande är skickat till {clinic}"
ANSWER_SUBJECT = "Svar från {clinic}: omboka eller avboka tid"


@dataclass(frozen=True)
class ContactLine:
    """One request in the staff's list (and the patient's receipt)."""

    request_id: int
    patient_name: str
    personnummer: str
    clinic_name: str
    booking_time: str  # "" when the request is not about one booking
    text: str
    sent_at: dt.datetime  # Swedish local time
    answered_at: dt.datetime | None
    answered_by: str | None
    answer: str
    message: str = ""


def _text(value: str, *, empty: str) -> str:
    value = value.strip()
    if not value:
        raise PasisError(empty, field="text")
    if len(value) > 1000:
        raise PasisError(TEXT_LONG, field="text")
    return value


def line_of(session: Session, request: models.ContactRequest, message: str = "") -> ContactLine:
    """One request as the lists and the receipt show it."""
    patient = session.get(models.Patient, request.patient_id)
    assert patient is not None and request.id is not None
    when = ""
    if request.booking_id is not None:
        booking = session.get(models.Booking, request.booking_id)
        slot = session.get(models.Slot, booking.slot_id) if booking else None
        when = time_text(slot.starts_at) if slot else ""
    return ContactLine(
        request_id=request.id,
        patient_name=f"{patient.first_name} {patient.last_name}",
        personnummer=patient.personnummer,
        clinic_name=clinic_display_name(
            session, clinic_id=request.clinic_id, day=from_utc_naive(request.sent_at).date()
        ),
        booking_time=when,
        text=request.text,
        sent_at=from_utc_naive(request.sent_at),
        answered_at=from_utc_naive(request.answered_at) if request.answered_at else None,
        answered_by=request.answered_by,
        answer=request.answer,
        message=message,
    )


def send_request(
    *, session: Session, clock: Clock, patient_id: int, booking_id: int, text: str
) -> ContactLine:
    """The patient asks her clinic to rebook or cancel one of her bookings."""
    booking = own_booking(session, patient_id=patient_id, booking_id=booking_id)
    slot = session.get(models.Slot, booking.slot_id)
    assert slot is not None
    require_eservice(session=session, clinic_id=slot.clinic_id, service=Eservice.CONTACT)
    request = models.ContactRequest(
        patient_id=patient_id,
        clinic_id=slot.clinic_id,
        booking_id=booking_id,
        text=_text(text, empty=TEXT_EMPTY),
        sent_at=utc_naive(clock.now()),
    )
    session.add(request)
    session.flush()
    line = line_of(session, request)
    return line_of(session, request, SENT.format(clinic=line.clinic_name))


def list_requests(
    *,
    session: Session,
    unit_id: int,
    open_only: bool = True,
    limit: int = 100,
    offset: int = 0,
) -> tuple[ContactLine, ...]:
    """The unit's requests, oldest unanswered first (answered ones last when shown)."""
    query = (
        select(models.ContactRequest)
        .join(models.Clinic, col(models.Clinic.id) == models.ContactRequest.clinic_id)
        .where(models.Clinic.unit_id == unit_id)
    )
    if open_only:
        query = query.where(col(models.ContactRequest.answered_at).is_(None))
    query = query.order_by(
        col(models.ContactRequest.answered_at).is_not(None),
        col(models.ContactRequest.sent_at),
        col(models.ContactRequest.id),
    )
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return tuple(line_of(session, r) for r in rows)


def patient_requests(*, session: Session, patient_id: int) -> tuple[ContactLine, ...]:
    rows = session.exec(
        select(models.ContactRequest)
        .where(models.ContactRequest.patient_id == patient_id)
        .order_by(col(models.ContactRequest.sent_at).desc())
    ).all()
    return tuple(line_of(session, r) for r in rows)


def answer_request(*, session: Session, clock: Clock, request_id: int, answer: str) -> ContactLine:
    """Staff answer a request once; the answer goes to the patient's inbox."""
    request = session.get(models.ContactRequest, request_id)
    if request is None:
        raise PasisError(REQUEST_UNKNOWN, field="request")
    text = _text(answer, empty=ANSWER_EMPTY)
    now_utc = utc_naive(clock.now())
    user = session.info.get("user", "")[:12]
    done = session.connection().execute(
        update(models.ContactRequest)
        .where(
            col(models.ContactRequest.id) == request_id,
            col(models.ContactRequest.answered_at).is_(None),
        )
        .values(
            answered_at=now_utc, answered_by=user, answer=text, updated_at=now_utc, updated_by=user
        )
    )
    if done.rowcount != 1:
        raise PasisError(ALREADY_ANSWERED, field="request")
    session.expire(request)
    line = line_of(session, request)
    session.add(
        models.Message(
            patient_id=request.patient_id,
            kind=models.MessageKind.INFORMATION,
            booking_id=request.booking_id,
            clinic_name=line.clinic_name[:80],
            subject=ANSWER_SUBJECT.format(clinic=line.clinic_name)[:120],
            body=f"{text}\n\nDitt meddelande:\n{request.text}",
            sent_at=now_utc,
        )
    )
    session.flush()
    return line
