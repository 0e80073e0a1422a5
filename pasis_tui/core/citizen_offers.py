"""What 1177 offers the patient: her Kallelse with the offered slots grouped by day, and the
nivå-4 times of Boka tid direkt.

The offered slots of an invitation come only from the offered-slot engine
(`pasis_tui.core.offers.offers_for_watch`); this module groups and words them. Boka tid direkt
has no watch to match, so its list is its own small query: a clinic's free nivå-4 slots of a
bookable activity inside today … today + Sökbara schemaveckor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from sqlmodel import Session, col, func, select

from pasis_tui.core import models
from pasis_tui.core.citizen import own_message
from pasis_tui.core.citizen_text import (
    caregiver_text,
    clinic_display_name,
    day_text,
    time_text,
    visit_text,
)
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.settings_1177 import effective_settings

#: Boka tid direkt (seed 000 section 1): the 1177-nivå of a slot anyone may book.
DIRECT_LEVEL = 4
DIRECT_LIMIT = 500
NOT_AN_INVITATION = "Meddelandet är ingen kallelse"
BOOK_OFF = "Mottagningen erbjuder inte Boka tid i 1177. Kontakta mottagningen för att boka."


@dataclass(frozen=True)
class OfferedTime:
    slot_id: int
    starts_at: dt.datetime  # Swedish wall time
    free_seats: int

    @property
    def clock_text(self) -> str:
        return f"{self.starts_at:%H:%M}"

    @property
    def text(self) -> str:
        """`Måndag 14 juli 2025 kl. 10:00`."""
        return time_text(self.starts_at)


@dataclass(frozen=True)
class OfferDay:
    day: dt.date
    label: str  # "Måndag 14 juli 2025"
    times: tuple[OfferedTime, ...]


def group_by_day(times: tuple[OfferedTime, ...]) -> tuple[OfferDay, ...]:
    ordered = sorted(times, key=lambda t: t.starts_at)
    return tuple(
        OfferDay(day=day, label=day_text(day), times=tuple(group))
        for day, group in groupby(ordered, key=lambda t: t.starts_at.date())
    )


def offered_times(
    *,
    session: Session,
    clock: Clock,
    watch_id: int,
    rebooking: bool = False,
    matching: bool = False,
) -> tuple[OfferedTime, ...]:
    """The engine's offered slots for a watch (nothing before the invitation is sent); with
    `rebooking`, those a booked watch may move to; with `matching`, the slots that match it
    whether or not an invitation was sent (staff booking an ordinary watch, SP 090 Boka)."""
    from pasis_tui.core.offers import offers_for_watch

    result = offers_for_watch(session=session, clock=clock, watch_id=watch_id, rebooking=rebooking)
    return tuple(
        OfferedTime(slot_id=o.slot_id, starts_at=o.starts_at, free_seats=o.free_seats)
        for o in (result.matching if matching else result.offered)
    )


def free_seats(session: Session, slot: models.Slot) -> int:
    taken = session.exec(
        select(func.count())
        .select_from(models.Booking)
        .where(
            models.Booking.slot_id == slot.id,
            models.Booking.status == models.BookingStatus.ACTIVE,
            col(models.Booking.seat_no) <= slot.seats,
        )
    ).one()
    return slot.seats - int(taken)


@dataclass(frozen=True)
class KallelseView:
    """A Kallelse as the seed's picture shows it (seed 000 section 7), with Boka tid."""

    message_id: int
    watch_id: int
    gäller: str  # "Besök Läkare": vårdgivarkategori + kontakttyp
    mottagning: str  # the SP 721 HSA name
    boka_tid_till: str  # "SKOPILINJEN, LÄKARE"
    ort: str
    syfte: str
    can_book: bool
    refusal: str | None  # why Boka tid is not offered
    booking_id: int | None  # her active booking of this invitation, if she has booked
    days: tuple[OfferDay, ...]


def kallelse(*, session: Session, clock: Clock, patient_id: int, message_id: int) -> KallelseView:
    """Her Kallelse with the offered slots by day; refused for anyone else's message."""
    message = own_message(session, patient_id=patient_id, message_id=message_id)
    if message.kind != models.MessageKind.INVITATION or message.watch_id is None:
        raise PasisError(NOT_AN_INVITATION, field="message")
    watch = session.get(models.Watch, message.watch_id)
    assert watch is not None
    today = clock.now().date()
    caregiver = session.get(models.Caregiver, watch.caregiver_id) if watch.caregiver_id else None
    clinic = session.get(models.Clinic, watch.clinic_id) if watch.clinic_id else None
    active = session.exec(
        select(models.Booking.id).where(
            models.Booking.watch_id == watch.id,
            models.Booking.status == models.BookingStatus.ACTIVE,
        )
    ).first()
    refusal: str | None = None
    if clinic is not None and not clinic.eservice_book:
        refusal = BOOK_OFF
    elif active is not None:
        refusal = "Du har redan bokat en tid för kallelsen. Se Bokade tider."
    elif watch.status != models.WatchStatus.OPEN:
        refusal = "Kallelsen gäller inte längre"
    days = (
        ()
        if refusal
        else group_by_day(
            offered_times(session=session, clock=clock, watch_id=watch.id)  # type: ignore[arg-type]
        )
    )
    return KallelseView(
        message_id=message_id,
        watch_id=watch.id,  # type: ignore[arg-type]
        gäller=visit_text(watch.contact_type, caregiver),
        mottagning=clinic_display_name(session, clinic_id=clinic.id, day=today)  # type: ignore[arg-type]
        if clinic
        else "",
        boka_tid_till=caregiver_text(caregiver),
        ort=clinic.city if clinic else "",
        syfte=watch.purpose,
        can_book=refusal is None,
        refusal=refusal,
        booking_id=active,
        days=days,
    )


def _hsa_mapped_on_day() -> object:
    return (
        select(models.HsaMapping.id)
        .where(
            models.HsaMapping.clinic_id == models.Slot.clinic_id,
            col(models.HsaMapping.valid_from) <= models.Slot.day,
            col(models.HsaMapping.valid_to) >= models.Slot.day,
        )
        .exists()
    )


def direct_offer_times(
    *,
    session: Session,
    clock: Clock,
    clinic_id: int,
    activity_id: int | None = None,
    limit: int = DIRECT_LIMIT,
) -> tuple[OfferedTime, ...]:
    """Boka tid direkt: the clinic's free nivå-4 slots, in the future and inside Sökbara
    schemaveckor, of a bookable activity whose booking type the patient may see (seed 002), on
    days the clinic is mapped to an HSA id."""
    clinic = session.get(models.Clinic, clinic_id)
    if clinic is None or not clinic.eservice_book:
        return ()
    now = clock.now()
    weeks = effective_settings(
        session=session, clinic_id=clinic_id, day=now.date()
    ).searchable_weeks
    last = now.date() + dt.timedelta(days=7 * weeks - 1)
    taken = (
        select(func.count())
        .select_from(models.Booking)
        .where(
            models.Booking.slot_id == models.Slot.id,
            models.Booking.status == models.BookingStatus.ACTIVE,
            col(models.Booking.seat_no) <= models.Slot.seats,
        )
        .scalar_subquery()
    )
    query = (
        select(models.Slot.id, models.Slot.starts_at, models.Slot.seats - taken)
        .join(models.Activity, col(models.Activity.id) == models.Slot.activity_id)
        .outerjoin(
            models.BookingType, col(models.BookingType.id) == models.Activity.booking_type_id
        )
        .where(
            models.Slot.clinic_id == clinic_id,
            # seed 002: a booking type that is not visible to the patient is never offered.
            col(models.BookingType.id).is_(None) | col(models.BookingType.visible_to_patient),
            models.Slot.level_1177 == DIRECT_LEVEL,
            col(models.Slot.removed_at).is_(None),
            col(models.Slot.starts_at_utc) > utc_naive(now),
            col(models.Slot.day) <= last,
            col(models.Activity.activity_type).in_([t.value for t in models.BOOKABLE_TYPES]),
            models.Slot.seats - taken > 0,
            _hsa_mapped_on_day(),  # type: ignore[arg-type]
        )
        .order_by(col(models.Slot.starts_at_utc))
        .limit(limit)
    )
    if activity_id is not None:
        query = query.where(models.Slot.activity_id == activity_id)
    rows = session.exec(query).all()  # type: ignore[call-overload]
    return tuple(
        OfferedTime(slot_id=slot_id, starts_at=starts_at, free_seats=int(free))
        for slot_id, starts_at, free in rows
        if slot_id is not None
    )


@dataclass(frozen=True)
class DirectClinic:
    clinic_id: int
    name: str  # the SP 721 HSA name
    city: str


def direct_clinics(*, session: Session, clock: Clock) -> tuple[DirectClinic, ...]:
    """Clinics with Boka tid on that have nivå-4 slots ahead (Boka tid direkt's first list)."""
    now = clock.now()
    ids = session.exec(
        select(models.Slot.clinic_id)
        .join(models.Clinic, col(models.Clinic.id) == models.Slot.clinic_id)
        .where(
            models.Slot.level_1177 == DIRECT_LEVEL,
            col(models.Slot.removed_at).is_(None),
            col(models.Slot.starts_at_utc) > utc_naive(now),
            col(models.Clinic.eservice_book).is_(True),
        )
        .distinct()
    ).all()
    result = []
    for clinic_id in ids:
        clinic = session.get(models.Clinic, clinic_id)
        assert clinic is not None
        result.append(
            DirectClinic(
                clinic_id=clinic_id,
                name=clinic_display_name(session, clinic_id=clinic_id, day=now.date()),
                city=clinic.city,
            )
        )
    return tuple(sorted(result, key=lambda c: c.name))
