"""The 1177 screen's use cases: one keyword-only function per key press, each one transaction.

Each takes the logged-in `Citizen` (from `log_in_citizen`) and passes her patient id to the
citizen services, which refuse another patient's message, watch or booking with the words a
missing one gets. They return frozen records, never ORM rows. A patient's writes are stamped
with her personnummer, as her bookings are signed (`Actor.patient`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.citizen import (
    INBOX_PAGE,
    BookedTime,
    Citizen,
    InboxLine,
    MessageView,
    booked_time,
    booked_times,
    inbox,
    log_in,
    message_count,
    open_message,
    own_booking,
    unread_count,
)
from pasis_tui.core.citizen_booking import (
    Actor,
    Receipt,
    SlotTakenError,
    book_direct,
    book_offered,
    cancel,
    rebook,
    rebook_times,
)
from pasis_tui.core.citizen_offers import (
    DirectClinic,
    KallelseView,
    OfferDay,
    OfferedTime,
    direct_clinics,
    direct_offer_times,
    group_by_day,
    kallelse,
)
from pasis_tui.core.citizen_rules import CONTACT_HINT
from pasis_tui.core.contact_requests import ContactLine, patient_requests, send_request
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError

__all__ = ["CONTACT_HINT", "Citizen", "InboxLine", "OfferDay", "OfferedTime"]

LOGGED_IN = "Du är inloggad som {name}"
NO_TIMES = "Det finns inga lediga tider att boka just nu. Kontakta mottagningen."
CLINIC_NOT_DIRECT = "Mottagningen erbjuder inte Boka tid direkt"
CANCEL_QUESTION = "Vill du avboka tiden {time}?"


def _as_citizen(ctx: WorkContext, citizen: Citizen) -> WorkContext:
    """The context in her name: what she writes is stamped with her personnummer."""
    return dataclasses.replace(ctx, user=citizen.personnummer[:12])


def _place(booked: BookedTime) -> str:
    """`Endoskopimottagning Lund, SKOPILINJEN, LÄKARE` (the receipt's Mottagning)."""
    return f"{booked.clinic_name}, {booked.caregiver}" if booked.caregiver else booked.clinic_name


def _actor(citizen: Citizen) -> Actor:
    return Actor.patient(citizen.personnummer)


# -- log in and the inbox ---------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    citizen: Citizen
    message: str


def log_in_citizen(*, ctx: WorkContext, personnummer: str) -> LoginResult:
    """`Logga in`: her account by personnummer in any accepted form."""
    with ctx.read() as session:
        citizen = log_in(session=session, clock=ctx.clock, personnummer=personnummer)
    return LoginResult(citizen=citizen, message=LOGGED_IN.format(name=citizen.name))


@dataclass(frozen=True)
class InboxView:
    """One page of Inkorgen (INBOX_PAGE messages), newest first; `offset` is where it starts."""

    lines: tuple[InboxLine, ...]
    unread: int
    total: int = 0
    offset: int = 0
    page_size: int = INBOX_PAGE

    @property
    def has_older(self) -> bool:
        return self.offset + len(self.lines) < self.total

    @property
    def has_newer(self) -> bool:
        return self.offset > 0

    @property
    def message(self) -> str:
        text = f"{self.total} meddelanden i inkorgen, {self.unread} olästa"
        if not (self.has_older or self.has_newer):
            return text
        shown = f"visar {self.offset + 1}–{self.offset + len(self.lines)}"
        keys = [key for key, on in (("PgDn äldre", self.has_older),
                                    ("PgUp nyare", self.has_newer)) if on]  # fmt: skip
        return f"{text}; {shown} ({', '.join(keys)})"


def inbox_view(*, ctx: WorkContext, citizen: Citizen, offset: int = 0) -> InboxView:
    """Inkorgen: a page of her messages from `offset` (newest first), unread marked. An offset
    past the end (messages gone meanwhile) gives the last page."""
    with ctx.read() as session:
        total = message_count(session=session, patient_id=citizen.patient_id)
        last_page = max(0, (total - 1) // INBOX_PAGE * INBOX_PAGE)
        start = min(max(0, offset) // INBOX_PAGE * INBOX_PAGE, last_page)
        lines = inbox(session=session, patient_id=citizen.patient_id, offset=start)
        unread = unread_count(session=session, patient_id=citizen.patient_id)
    return InboxView(lines=lines, unread=unread, total=total, offset=start)


@dataclass(frozen=True)
class OpenedMessage:
    """A message as she reads it; a Kallelse also with its details and whether Boka tid is on."""

    message: MessageView
    invitation: KallelseView | None


def read_message(*, ctx: WorkContext, citizen: Citizen, message_id: int) -> OpenedMessage:
    """Open one of her messages (it is read from now on); a Kallelse with its details."""
    with _as_citizen(ctx, citizen).write() as session:
        view = open_message(
            session=session, clock=ctx.clock, patient_id=citizen.patient_id, message_id=message_id
        )
        invitation = None
        if view.kind == models.MessageKind.INVITATION and view.watch_id is not None:
            invitation = kallelse(
                session=session,
                clock=ctx.clock,
                patient_id=citizen.patient_id,
                message_id=message_id,
            )
    return OpenedMessage(message=view, invitation=invitation)


# -- Boka tid: the slot list, the booking, the receipt -----------------------------------------


@dataclass(frozen=True)
class SlotList:
    """The times she may choose among, by day, and what the list is for."""

    title: str
    place: str  # "Endoskopimottagning Lund, SKOPILINJEN, LÄKARE"
    visit: str  # "Besök Läkare"
    days: tuple[OfferDay, ...]
    watch_id: int | None = None  # Boka tid of a Kallelse
    booking_id: int | None = None  # Omboka
    clinic_id: int | None = None  # Boka tid direkt
    message: str = ""

    @property
    def count(self) -> int:
        return sum(len(day.times) for day in self.days)

    def time(self, slot_id: int) -> OfferedTime | None:
        return next((t for d in self.days for t in d.times if t.slot_id == slot_id), None)


def _count_message(days: tuple[OfferDay, ...]) -> str:
    count = sum(len(day.times) for day in days)
    return f"{count} lediga tider på {len(days)} dagar" if count else NO_TIMES


def invitation_times(*, ctx: WorkContext, citizen: Citizen, message_id: int) -> SlotList:
    """`Boka tid` in a Kallelse: the offered times by day (refused where she may not book)."""
    with ctx.read() as session:
        view = kallelse(
            session=session, clock=ctx.clock, patient_id=citizen.patient_id, message_id=message_id
        )
    if view.refusal:
        raise PasisError(view.refusal, field="boka_tid")
    return SlotList(
        title=f"Boka tid hos {view.mottagning}",
        place=", ".join(p for p in (view.mottagning, view.boka_tid_till) if p),
        visit=view.gäller,
        days=view.days,
        watch_id=view.watch_id,
        message=_count_message(view.days),
    )


@dataclass(frozen=True)
class ReceiptView:
    """After Boka, Omboka or Avboka: the Bekräftelse as the seed's picture, and the Digital
    kallelse when (Bokn) Brev = Ja."""

    heading: str  # "Tid bokad hos …"
    booked: BookedTime | None
    place: str
    visit: str
    when: str
    letter_subject: str
    letter_body: str
    message: str


@dataclass(frozen=True)
class BookingOutcome:
    """A booking made (`receipt`), or the seat lost to someone else (`taken`: what is left)."""

    receipt: ReceiptView | None
    taken: SlotList | None


def _receipt_view(session: Session, citizen: Citizen, receipt: Receipt) -> ReceiptView:
    messages = session.exec(
        select(models.Message).where(
            col(models.Message.id).in_(receipt.message_ids),
            models.Message.patient_id == citizen.patient_id,
        )
    ).all()
    first = next((m for m in messages if m.kind != models.MessageKind.DIGITAL_LETTER), None)
    letter = next((m for m in messages if m.kind == models.MessageKind.DIGITAL_LETTER), None)
    booked = receipt.booked
    return ReceiptView(
        heading=first.subject if first else receipt.message,
        booked=booked,
        place=_place(booked) if booked else "",
        visit=booked.visit if booked else "",
        when=booked.time_text if booked else "",
        letter_subject=letter.subject if letter else "",
        letter_body=letter.body if letter else "",
        message=receipt.message,
    )


def _taken(times: SlotList, error: SlotTakenError) -> BookingOutcome:
    days = group_by_day(error.remaining)
    left = _count_message(days)
    return BookingOutcome(
        receipt=None,
        taken=dataclasses.replace(times, days=days, message=f"{error.message}. {left}"),
    )


def book_time(
    *, ctx: WorkContext, citizen: Citizen, times: SlotList, slot_id: int
) -> BookingOutcome:
    """`Bekräfta` in the confirmation step: book the chosen time of the list she was shown
    (a Kallelse's, an Omboka's or a Boka tid direkt's); the database decides a race."""
    try:
        with _as_citizen(ctx, citizen).write() as session:
            common = {
                "session": session,
                "clock": ctx.clock,
                "actor": _actor(citizen),
                "patient_id": citizen.patient_id,
                "slot_id": slot_id,
            }
            if times.booking_id is not None:
                receipt = rebook(booking_id=times.booking_id, **common)  # type: ignore[arg-type]
            elif times.watch_id is not None:
                receipt = book_offered(watch_id=times.watch_id, **common)  # type: ignore[arg-type]
            else:
                receipt = book_direct(**common)  # type: ignore[arg-type]
            view = _receipt_view(session, citizen, receipt)
    except SlotTakenError as error:
        return _taken(times, error)
    return BookingOutcome(receipt=view, taken=None)


# -- Bokade tider: Omboka, Avboka, Kontakta oss ------------------------------------------------


@dataclass(frozen=True)
class BookedTimesView:
    times: tuple[BookedTime, ...]
    requests: tuple[ContactLine, ...]  # her Kontakta oss requests, newest first

    @property
    def message(self) -> str:
        count = len(self.times)
        if not count:
            return "Du har inga bokade tider"
        return "1 bokad tid" if count == 1 else f"{count} bokade tider"

    def requests_for(self, booking_time: str) -> tuple[ContactLine, ...]:
        return tuple(r for r in self.requests if r.booking_time == booking_time)


def booked_times_view(*, ctx: WorkContext, citizen: Citizen) -> BookedTimesView:
    """Bokade tider: her coming bookings with what she may change herself, and her requests."""
    with ctx.read() as session:
        times = booked_times(session=session, clock=ctx.clock, patient_id=citizen.patient_id)
        requests = patient_requests(session=session, patient_id=citizen.patient_id)
    return BookedTimesView(times=times, requests=requests)


@dataclass(frozen=True)
class ChangeOffer:
    """`Omboka` or `Avboka` on one booking: the times to move to, or why she may not (and
    whether Kontakta oss is offered instead)."""

    booked: BookedTime
    refusal: str | None
    may_contact: bool
    times: SlotList | None = None  # Omboka's list
    question: str = ""  # Avboka's question


def _booked(session: Session, *, ctx: WorkContext, citizen: Citizen, booking_id: int) -> BookedTime:
    booking = own_booking(session, patient_id=citizen.patient_id, booking_id=booking_id)
    slot = session.get(models.Slot, booking.slot_id)
    assert slot is not None
    return booked_time(session, clock=ctx.clock, booking=booking, slot=slot)


def _checked(
    session: Session, *, ctx: WorkContext, citizen: Citizen, booking_id: int, rebooking: bool
) -> tuple[BookedTime, ChangeOffer | None]:
    """Her booking, and why she may not rebook (or cancel) it herself (None: she may)."""
    booked = _booked(session, ctx=ctx, citizen=citizen, booking_id=booking_id)
    rights = booked.rights
    if rebooking:
        allowed, why = rights.may_rebook, rights.rebook_refusal
    else:
        allowed, why = rights.may_cancel, rights.cancel_refusal
    return booked, None if allowed else ChangeOffer(booked, why, rights.may_contact)


def rebook_offer(*, ctx: WorkContext, citizen: Citizen, booking_id: int) -> ChangeOffer:
    """`Omboka`: the times she may move this booking to, or why she may not."""
    with ctx.read() as session:
        booked, refused = _checked(
            session, ctx=ctx, citizen=citizen, booking_id=booking_id, rebooking=True
        )
        if refused is not None:
            return refused
        days = group_by_day(
            rebook_times(
                session=session,
                clock=ctx.clock,
                patient_id=citizen.patient_id,
                booking_id=booking_id,
            )
        )
    times = SlotList(
        title=f"Omboka tiden {booked.time_text}",
        place=_place(booked),
        visit=booked.visit,
        days=days,
        booking_id=booking_id,
        message=_count_message(days),
    )
    return ChangeOffer(booked, None, booked.rights.may_contact, times=times)


def cancel_offer(*, ctx: WorkContext, citizen: Citizen, booking_id: int) -> ChangeOffer:
    """`Avboka`: the question to ask, or why she may not cancel this booking herself."""
    with ctx.read() as session:
        booked, refused = _checked(
            session, ctx=ctx, citizen=citizen, booking_id=booking_id, rebooking=False
        )
    if refused is not None:
        return refused
    question = CANCEL_QUESTION.format(time=booked.time_text)
    return ChangeOffer(booked, None, booked.rights.may_contact, question=question)


def cancel_booking(*, ctx: WorkContext, citizen: Citizen, booking_id: int) -> ReceiptView:
    """`Avboka` answered Ja: the seat is freed, her watch closes, an Avbokning is sent."""
    with _as_citizen(ctx, citizen).write() as session:
        booked = _booked(session, ctx=ctx, citizen=citizen, booking_id=booking_id)
        receipt = cancel(
            session=session,
            clock=ctx.clock,
            actor=_actor(citizen),
            patient_id=citizen.patient_id,
            booking_id=booking_id,
        )
        view = _receipt_view(session, citizen, receipt)
    return dataclasses.replace(
        view,
        place=_place(booked),
        visit=booked.visit,
        when=booked.time_text,
    )


def send_contact(*, ctx: WorkContext, citizen: Citizen, booking_id: int, text: str) -> ContactLine:
    """`Skicka` in Kontakta oss för att omboka eller avboka tid."""
    with _as_citizen(ctx, citizen).write() as session:
        return send_request(
            session=session,
            clock=ctx.clock,
            patient_id=citizen.patient_id,
            booking_id=booking_id,
            text=text,
        )


# -- Boka tid direkt (nivå 4) ------------------------------------------------------------------


def direct_clinic_list(*, ctx: WorkContext) -> tuple[DirectClinic, ...]:
    """Boka tid direkt's first list: clinics with Boka tid on and nivå-4 times ahead."""
    with ctx.read() as session:
        return direct_clinics(session=session, clock=ctx.clock)


def direct_times(*, ctx: WorkContext, clinic_id: int) -> SlotList:
    """A clinic's free nivå-4 times inside Sökbara schemaveckor, by day."""
    with ctx.read() as session:
        clinics = {c.clinic_id: c for c in direct_clinics(session=session, clock=ctx.clock)}
        clinic = clinics.get(clinic_id)
        if clinic is None:
            raise PasisError(CLINIC_NOT_DIRECT, field="mottagning")
        days = group_by_day(
            direct_offer_times(session=session, clock=ctx.clock, clinic_id=clinic_id)
        )
    return SlotList(
        title=f"Boka tid direkt hos {clinic.name}",
        place=f"{clinic.name}, {clinic.city}" if clinic.city else clinic.name,
        visit="Besök",
        days=days,
        clinic_id=clinic_id,
        message=_count_message(days),
    )
