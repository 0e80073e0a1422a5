"""The staff's small 1177 views: a unit's e-tjänster per clinic (seed 8), the Kontakta oss
requests patients sent, and the SMS outbox (seed 002). One keyword-only use case per action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.contact_requests import REQUEST_UNKNOWN, ContactLine, answer_request, line_of
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.eservices import ClinicEservices, Eservice, list_eservices, set_eservices
from pasis_tui.core.ids import format_personnummer
from pasis_tui.core.paging import PAGE_SIZE, Page, count_rows
from pasis_tui.core.reminders import SmsLine, list_sms

SERVICES = tuple(Eservice)
NOTHING_CHANGED = "Inga ändringar att spara"
ON, OFF = "På", "Av"
OPEN, ANSWERED = "Obesvarat", "Besvarat"
READ_FIRST = "Öppna ett ärende i listan först (Enter)"


@dataclass(frozen=True)
class EservicesResult:
    """The unit's clinics with their three e-tjänster, and what Spara did."""

    clinics: tuple[ClinicEservices, ...]
    message: str


@dataclass(frozen=True)
class EserviceChange:
    """One clinic's three switches as the screen holds them."""

    clinic_id: int
    book: bool
    change: bool
    contact: bool


def eservices_of_unit(*, ctx: WorkContext) -> EservicesResult:
    """The e-tjänster screen: every clinic of the unit, by code."""
    with ctx.read() as session:
        clinics = list_eservices(session=session, unit_id=ctx.unit.id)
    return EservicesResult(clinics=clinics, message="")


def save_eservices(*, ctx: WorkContext, changes: tuple[EserviceChange, ...]) -> EservicesResult:
    """`Spara`: every changed clinic in one transaction; the message names what changed."""
    with ctx.write() as session:
        before = {
            row.clinic_id: row for row in list_eservices(session=session, unit_id=ctx.unit.id)
        }
        changed: list[str] = []
        for change in changes:
            old = before.get(change.clinic_id)
            if old is None:
                raise PasisError("Mottagningen hör inte till enheten", field="clinic")
            if (old.book, old.change, old.contact) == (change.book, change.change, change.contact):
                continue
            set_eservices(
                session=session,
                clinic_id=change.clinic_id,
                book=change.book,
                change=change.change,
                contact=change.contact,
            )
            changed.append(old.clinic_code)
        clinics = list_eservices(session=session, unit_id=ctx.unit.id)
    if not changed:
        return EservicesResult(clinics=clinics, message=NOTHING_CHANGED)
    return EservicesResult(
        clinics=clinics, message=f"E-tjänsterna är sparade för {', '.join(changed)}"
    )


# ---------------------------------------------------------------------------------------------
# Kontakta oss-ärenden


@dataclass(frozen=True)
class ContactListLine:
    """One request of the staff's list, newest first."""

    request_id: int
    sent: str  # "2026-11-21 14:05", Swedish local time
    personnummer: str
    patient_name: str
    clinic_name: str
    booking_time: str
    text: str
    state: str  # Obesvarat / Besvarat
    answer: str
    answered: str  # "2026-11-22 VIS" or ""


def _contact_line(line: ContactLine) -> ContactListLine:
    answered = ""
    if line.answered_at is not None:
        answered = f"{line.answered_at:%Y-%m-%d %H:%M} {line.answered_by or ''}".strip()
    return ContactListLine(
        request_id=line.request_id,
        sent=f"{line.sent_at:%Y-%m-%d %H:%M}",
        personnummer=format_personnummer(line.personnummer),
        patient_name=line.patient_name,
        clinic_name=line.clinic_name,
        booking_time=line.booking_time,
        text=line.text,
        state=ANSWERED if line.answered_at else OPEN,
        answer=line.answer,
        answered=answered,
    )


def contact_page(
    *, ctx: WorkContext, state: str = "", offset: int = 0, limit: int = PAGE_SIZE
) -> Page[ContactListLine]:
    """Kontakta oss-ärenden: the unit's requests newest first; `state` Obesvarat/Besvarat/all."""
    query = (
        select(models.ContactRequest)
        .join(models.Clinic, col(models.Clinic.id) == models.ContactRequest.clinic_id)
        .where(models.Clinic.unit_id == ctx.unit.id)
    )
    if state == OPEN:
        query = query.where(col(models.ContactRequest.answered_at).is_(None))
    elif state == ANSWERED:
        query = query.where(col(models.ContactRequest.answered_at).is_not(None))
    with ctx.read() as session:
        total = count_rows(session, query)
        ordered = query.order_by(
            col(models.ContactRequest.sent_at).desc(), col(models.ContactRequest.id).desc()
        )
        rows = session.exec(ordered.offset(offset).limit(limit)).all()
        lines = tuple(_contact_line(line_of(session, row)) for row in rows)
    return Page(lines=lines, total=total, offset=offset)


def read_contact(*, ctx: WorkContext, request_id: int) -> ContactListLine:
    """Enter on a request: the whole request (and its answer, if it has one)."""
    with ctx.read() as session:
        return _contact_line(line_of(session, _own_request(session, ctx, request_id)))


def _own_request(session: Session, ctx: WorkContext, request_id: int) -> models.ContactRequest:
    row = session.get(models.ContactRequest, request_id)
    clinic = session.get(models.Clinic, row.clinic_id) if row else None
    if row is None or clinic is None or clinic.unit_id != ctx.unit.id:
        raise PasisError(REQUEST_UNKNOWN, field="request")
    return row


@dataclass(frozen=True)
class AnswerResult:
    request: ContactListLine
    message: str


def answer_contact(*, ctx: WorkContext, request_id: int | None, answer: str) -> AnswerResult:
    """`Skicka svar`: the answer is stored once and reaches the patient's 1177 inbox."""
    if request_id is None:
        raise PasisError(READ_FIRST, field="request")
    with ctx.write() as session:
        _own_request(session, ctx, request_id)  # the unit's own request, or refused
        line = answer_request(
            session=session, clock=ctx.clock, request_id=request_id, answer=answer
        )
    shown = _contact_line(line)
    return AnswerResult(
        request=shown, message=f"Svaret är skickat till {shown.patient_name}s inkorg i 1177"
    )


# ---------------------------------------------------------------------------------------------
# Sms-utkorg


@dataclass(frozen=True)
class SmsListLine:
    """One reminder of the outbox: due time, state (Väntar / Skickad / Makulerad), text."""

    sms_id: int
    due: str
    status: str
    done: str  # when it was sent or cancelled
    patient_name: str
    mobile: str
    body: str


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def sms_page(*, ctx: WorkContext, offset: int = 0, limit: int = PAGE_SIZE) -> Page[SmsListLine]:
    """Sms-utkorg: the unit's SMS reminders, latest due first, a page at a time."""
    query = (
        select(models.SmsOutbox.id)
        .join(models.Booking, col(models.Booking.id) == models.SmsOutbox.booking_id)
        .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
        .join(models.Clinic, col(models.Clinic.id) == models.Slot.clinic_id)
        .where(models.Clinic.unit_id == ctx.unit.id)
    )
    with ctx.read() as session:
        total = count_rows(session, query)
        rows: tuple[SmsLine, ...] = list_sms(
            session=session, unit_id=ctx.unit.id, limit=limit, offset=offset
        )
    lines = tuple(
        SmsListLine(
            sms_id=row.sms_id,
            due=_when(row.due_at),
            status=row.status,
            done=_when(row.cancelled_at or row.sent_at),
            patient_name=row.patient_name,
            mobile=row.mobile,
            body=row.body,
        )
        for row in rows
    )
    return Page(lines=lines, total=total, offset=offset)
