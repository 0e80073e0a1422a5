"""Booking, rebooking and cancelling from 1177 — and from SP 090 / the Tidbok, the same way.

Every use case is one savepoint: either all of it happens (the seat, the watch, the messages,
the SMS reminder) or nothing does. The database has the last word on a seat (one active booking
per slot seat, one per watch, a booking rebooked at most once); whoever loses a race gets
"Tiden är inte längre ledig" with the slots that are still offered, and nothing else changes.

Who, when and via which channel is on every booking: booked_by/at/via, cancelled_by/at/via,
and a rebooking's `rebooked_from_id` chain (the statistics of seed 11 read these).
A patient acts as herself (her personnummer is the signature); staff by their signature.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col

from pasis_tui.core import booking as staff_booking
from pasis_tui.core import models
from pasis_tui.core.citizen import BookedTime, booked_time, own_booking
from pasis_tui.core.citizen_messages import booking_messages, cancellation_message
from pasis_tui.core.citizen_offers import (
    OfferedTime,
    direct_offer_times,
    free_seats,
    offered_times,
)
from pasis_tui.core.citizen_rules import change_rights
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.eservices import Eservice, require_eservice
from pasis_tui.core.reminders import cancel_reminder, move_reminder, schedule_reminder

SLOT_TAKEN = "Tiden är inte längre ledig"
NOT_OFFERED = "Tiden erbjuds inte i kallelsen"
NOT_DIRECT = "Tiden kan inte bokas direkt i 1177"
WATCH_UNKNOWN = "Kallelsen finns inte"
WATCH_BOOKED = "Kallelsen är redan bokad"
WATCH_CLOSED = "Kallelsen gäller inte längre"
BOOKING_CHANGED = "Bokningen har redan ändrats. Läs om dina bokade tider"
SAME_SLOT = "Välj en annan tid än den du redan har"
BOOKED_MESSAGE = "Tid bokad {time}"
REBOOKED_MESSAGE = "Tiden är ombokad till {time}"
CANCELLED_MESSAGE = "Tiden {time} är avbokad"


@dataclass(frozen=True)
class Actor:
    """Who acts and through which channel: the patient in 1177, or staff by signature."""

    via: models.BookedVia
    signature: str

    @classmethod
    def patient(cls, personnummer: str) -> Actor:
        return cls(models.BookedVia.CITIZEN, personnummer[:12])

    @classmethod
    def staff(cls, signature: str) -> Actor:
        return cls(models.BookedVia.STAFF, signature[:12])

    @property
    def is_patient(self) -> bool:
        return self.via == models.BookedVia.CITIZEN


#: book_slot's refusals that mean the seat went to someone else (full, taken in a race, begun).
_SEAT_GONE = re.compile(r"^Tiden \S+ \S+ (är redan bokad|hann bokas|har redan passerat)")


class SlotTakenError(PasisError):
    """A lost race: the seat went to someone else; `remaining` is what is still offered."""

    def __init__(self, remaining: tuple[OfferedTime, ...]) -> None:
        super().__init__(SLOT_TAKEN, field="slot")
        self.remaining = remaining


@dataclass(frozen=True)
class Receipt:
    """What the patient (or staff) sees after a booking, rebooking or cancellation."""

    booking_id: int
    message: str
    booked: BookedTime | None
    message_ids: tuple[int, ...]


def _watch_of_patient(session: Session, *, watch_id: int, patient_id: int) -> models.Watch:
    watch = session.get(models.Watch, watch_id)
    if watch is None or watch.patient_id != patient_id:
        raise PasisError(WATCH_UNKNOWN, field="watch")
    return watch


def _slot(session: Session, slot_id: int) -> models.Slot:
    slot = session.get(models.Slot, slot_id)
    if slot is None or slot.removed_at is not None:
        raise PasisError(staff_booking.SLOT_UNKNOWN, field="slot")
    return slot


def _kin(slot: models.Slot, *, watch: models.Watch | None, like: models.Slot | None) -> bool:
    """Whether a slot is of the kind she is offered — same clinic, caregiver, activity and
    length as her watch (inside its window), or as the direct-booking slot she holds — so that
    only its freeness can keep it off the list (then a miss is a lost race, not a wrong slot)."""
    if watch is not None:
        return (
            (slot.clinic_id, slot.caregiver_id, slot.activity_id, slot.visit_length_min)
            == (watch.clinic_id, watch.caregiver_id, watch.activity_id, watch.visit_length_min)
            and (watch.book_from is None or slot.day >= watch.book_from)
            and (watch.book_to is None or slot.day <= watch.book_to)
        )
    if like is not None:
        return (slot.clinic_id, slot.activity_id, slot.level_1177) == (
            like.clinic_id,
            like.activity_id,
            like.level_1177,
        )
    return False


def _check_target(
    session: Session,
    *,
    slot: models.Slot,
    offered: tuple[OfferedTime, ...],
    refusal: str,
    watch: models.Watch | None = None,
    like: models.Slot | None = None,
) -> None:
    """Refuse a slot that is not on her list: "Tiden är inte längre ledig" when it is taken, or
    when it is of her kind (taken and freed again between two reads: READ COMMITTED)."""
    if any(o.slot_id == slot.id for o in offered):
        return
    if free_seats(session, slot) <= 0 or _kin(slot, watch=watch, like=like):
        raise SlotTakenError(offered)
    raise PasisError(refusal, field="slot")


def _take_seat(
    session: Session,
    *,
    clock: Clock,
    slot: models.Slot,
    patient_id: int,
    watch_id: int | None,
    actor: Actor,
) -> models.Booking:
    """book_slot (pasis_tui.core.booking) in the actor's name; any lost seat is SLOT_TAKEN."""
    try:
        new = staff_booking.book_slot(
            session,
            clock=clock,
            slot_id=slot.id,  # type: ignore[arg-type]
            patient_id=patient_id,
            watch_id=watch_id,
            via=actor.via,
        )
    except PasisError as error:
        if _SEAT_GONE.match(error.message):
            raise SlotTakenError(()) from None
        raise
    new.booked_by = actor.signature
    session.add(new)
    return new


def _claim_watch(session: Session, *, watch_id: int, now_utc: dt.datetime) -> None:
    """Open → Bokad, as a conditional UPDATE: a second booking of one invitation loses here."""
    claimed = session.connection().execute(
        update(models.Watch)
        .where(
            col(models.Watch.id) == watch_id, col(models.Watch.status) == models.WatchStatus.OPEN
        )
        .values(status=models.WatchStatus.BOOKED, updated_at=now_utc)
    )
    if claimed.rowcount != 1:
        raise PasisError(WATCH_BOOKED, field="watch")


def _send(session: Session, messages: list[models.Message]) -> tuple[int, ...]:
    session.add_all(messages)
    session.flush()
    return tuple(m.id for m in messages if m.id is not None)


def _receipt(
    session: Session,
    *,
    clock: Clock,
    booking: models.Booking,
    slot: models.Slot,
    text: str,
    message_ids: tuple[int, ...],
) -> Receipt:
    return Receipt(
        booking_id=booking.id,  # type: ignore[arg-type]
        message=text,
        booked=booked_time(session, clock=clock, booking=booking, slot=slot),
        message_ids=message_ids,
    )


def book_offered(
    *, session: Session, clock: Clock, actor: Actor, patient_id: int, watch_id: int, slot_id: int
) -> Receipt:
    """Boka tid: one of the slots offered for her invitation; the watch becomes a booking."""
    watch = _watch_of_patient(session, watch_id=watch_id, patient_id=patient_id)
    if watch.status == models.WatchStatus.BOOKED:
        raise PasisError(WATCH_BOOKED, field="watch")
    if watch.status == models.WatchStatus.CLOSED:
        raise PasisError(WATCH_CLOSED, field="watch")
    if actor.is_patient and watch.clinic_id is not None:
        require_eservice(session=session, clinic_id=watch.clinic_id, service=Eservice.BOOK)
    slot = _slot(session, slot_id)
    # Staff book an ordinary watch (no invitation) on any slot that matches it (SP 090 Boka).
    ordinary = not actor.is_patient and watch.watch_type != models.WatchType.OPEN_INVITATION
    offered = offered_times(session=session, clock=clock, watch_id=watch_id, matching=ordinary)
    _check_target(session, slot=slot, offered=offered, refusal=NOT_OFFERED, watch=watch)
    now_utc = utc_naive(clock.now())
    try:
        with session.begin_nested():
            _claim_watch(session, watch_id=watch_id, now_utc=now_utc)
            new = _take_seat(
                session,
                clock=clock,
                slot=slot,
                patient_id=patient_id,
                watch_id=watch_id,
                actor=actor,
            )
            session.flush()
            session.refresh(watch)
            ids = _send(
                session,
                booking_messages(session, booking=new, slot=slot, watch=watch, now_utc=now_utc),
            )
            schedule_reminder(session, clock=clock, booking=new, slot=slot)
    except SlotTakenError:
        session.expire_all()
        raise SlotTakenError(
            offered_times(session=session, clock=clock, watch_id=watch_id, matching=ordinary)
        ) from None
    return _receipt(
        session,
        clock=clock,
        booking=new,
        slot=slot,
        text=BOOKED_MESSAGE.format(time=f"{slot.starts_at:%Y-%m-%d %H:%M}"),
        message_ids=ids,
    )


def _offers_for_rebooking(
    session: Session, *, clock: Clock, booking: models.Booking, slot: models.Slot
) -> tuple[OfferedTime, ...]:
    """The slots she may move to: what the engine offers her invitation (read only: her own
    seat stays taken and is not among them)."""
    if booking.watch_id is None:
        return direct_offer_times(
            session=session, clock=clock, clinic_id=slot.clinic_id, activity_id=slot.activity_id
        )
    return offered_times(session=session, clock=clock, watch_id=booking.watch_id, rebooking=True)


def rebook_times(
    *, session: Session, clock: Clock, patient_id: int, booking_id: int
) -> tuple[OfferedTime, ...]:
    """Omboka's list: the times she may move one of her bookings to (the screen groups them)."""
    booking = own_booking(session, patient_id=patient_id, booking_id=booking_id)
    return _offers_for_rebooking(
        session, clock=clock, booking=booking, slot=_slot(session, booking.slot_id)
    )


def rebook(
    *, session: Session, clock: Clock, actor: Actor, patient_id: int, booking_id: int, slot_id: int
) -> Receipt:
    """Omboka: to another offered slot; the old seat is freed in the same transaction."""
    old = own_booking(session, patient_id=patient_id, booking_id=booking_id)
    old_slot = _slot(session, old.slot_id)
    if actor.is_patient:
        rights = change_rights(session, clock=clock, booking=old, slot=old_slot)
        if not rights.may_rebook:
            raise PasisError(rights.rebook_refusal or "", field="rebook")
    if slot_id == old.slot_id:
        raise PasisError(SAME_SLOT, field="slot")
    slot = _slot(session, slot_id)
    offered = _offers_for_rebooking(session, clock=clock, booking=old, slot=old_slot)
    _check_target(
        session,
        slot=slot,
        offered=offered,
        refusal=NOT_OFFERED if old.watch_id else NOT_DIRECT,
        watch=session.get(models.Watch, old.watch_id) if old.watch_id else None,
        like=None if old.watch_id else old_slot,
    )
    now_utc = utc_naive(clock.now())
    try:
        with session.begin_nested():
            _end_booking(session, booking_id, models.BookingStatus.REBOOKED, actor, now_utc)
            new = _take_seat(
                session,
                clock=clock,
                slot=slot,
                patient_id=patient_id,
                watch_id=old.watch_id,
                actor=actor,
            )
            session.flush()
            new.rebooked_from_id = booking_id
            new.rebooking_no = old.rebooking_no + 1
            session.add(new)
            session.flush()
            watch = session.get(models.Watch, old.watch_id) if old.watch_id else None
            ids = _send(
                session,
                booking_messages(
                    session,
                    booking=new,
                    slot=slot,
                    watch=watch,
                    now_utc=now_utc,
                    previous_slot=old_slot,
                ),
            )
            move_reminder(session, clock=clock, old_booking_id=booking_id, booking=new, slot=slot)
    except SlotTakenError:
        session.expire_all()
        raise SlotTakenError(
            _offers_for_rebooking(session, clock=clock, booking=old, slot=old_slot)
        ) from None
    session.expire(old)
    return _receipt(
        session,
        clock=clock,
        booking=new,
        slot=slot,
        text=REBOOKED_MESSAGE.format(time=f"{slot.starts_at:%Y-%m-%d %H:%M}"),
        message_ids=ids,
    )


def _end_booking(
    session: Session,
    booking_id: int,
    status: models.BookingStatus,
    actor: Actor,
    now_utc: dt.datetime,
) -> None:
    """Free the seat once: a conditional update that exactly one of any racing callers wins."""
    done = session.connection().execute(
        update(models.Booking)
        .where(
            col(models.Booking.id) == booking_id,
            col(models.Booking.status) == models.BookingStatus.ACTIVE,
        )
        .values(
            status=status,
            cancelled_at=now_utc,
            cancelled_by=actor.signature,
            cancelled_via=actor.via,
        )
    )
    if done.rowcount != 1:
        raise PasisError(BOOKING_CHANGED, field="booking")


def cancel(
    *, session: Session, clock: Clock, actor: Actor, patient_id: int, booking_id: int
) -> Receipt:
    """Avboka: the seat is freed and the watch closes (seed 13: "PASiS tolkar en avbokning att
    patienten ska avslutas"); the patient gets an Avbokning and her SMS reminder is cancelled."""
    booking = own_booking(session, patient_id=patient_id, booking_id=booking_id)
    slot = _slot(session, booking.slot_id)
    if actor.is_patient:
        rights = change_rights(session, clock=clock, booking=booking, slot=slot)
        if not rights.may_cancel:
            raise PasisError(rights.cancel_refusal or "", field="cancel")
    now_utc = utc_naive(clock.now())
    with session.begin_nested():
        _end_booking(session, booking_id, models.BookingStatus.CANCELLED, actor, now_utc)
        session.expire(booking)
        watch = session.get(models.Watch, booking.watch_id) if booking.watch_id else None
        if watch is not None:
            watch.status = models.WatchStatus.CLOSED
            watch.cancelled_by = actor.signature
            session.add(watch)
        ids = _send(
            session,
            [
                cancellation_message(
                    session,
                    booking=booking,
                    slot=slot,
                    watch=watch,
                    by_patient=actor.is_patient,
                    now_utc=now_utc,
                )
            ],
        )
        cancel_reminder(session, clock=clock, booking_id=booking_id)
    return Receipt(
        booking_id=booking_id,
        message=CANCELLED_MESSAGE.format(time=f"{slot.starts_at:%Y-%m-%d %H:%M}"),
        booked=None,
        message_ids=ids,
    )


def book_direct(
    *, session: Session, clock: Clock, actor: Actor, patient_id: int, slot_id: int
) -> Receipt:
    """Boka tid direkt (nivå 4): a clinic's free nivå-4 slot inside Sökbara schemaveckor,
    without an invitation."""
    if session.get(models.Patient, patient_id) is None:
        raise PasisError(staff_booking.PATIENT_UNKNOWN, field="personnummer")
    slot = _slot(session, slot_id)
    if actor.is_patient:
        require_eservice(session=session, clinic_id=slot.clinic_id, service=Eservice.BOOK)
    offered = direct_offer_times(
        session=session, clock=clock, clinic_id=slot.clinic_id, activity_id=slot.activity_id
    )
    _check_target(session, slot=slot, offered=offered, refusal=NOT_DIRECT)
    now_utc = utc_naive(clock.now())
    try:
        with session.begin_nested():
            new = _take_seat(
                session, clock=clock, slot=slot, patient_id=patient_id, watch_id=None, actor=actor
            )
            session.flush()
            ids = _send(
                session,
                booking_messages(session, booking=new, slot=slot, watch=None, now_utc=now_utc),
            )
            schedule_reminder(session, clock=clock, booking=new, slot=slot)
    except SlotTakenError:
        session.expire_all()
        raise SlotTakenError(
            direct_offer_times(
                session=session, clock=clock, clinic_id=slot.clinic_id, activity_id=slot.activity_id
            )
        ) from None
    return _receipt(
        session,
        clock=clock,
        booking=new,
        slot=slot,
        text=BOOKED_MESSAGE.format(time=f"{slot.starts_at:%Y-%m-%d %H:%M}"),
        message_ids=ids,
    )
