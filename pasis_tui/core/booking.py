"""Staff bookings in the appointment book: book, overbook, and cancel on the clinic's behalf.

The database is the final arbiter: a partial unique index allows one active booking per
(slot, seat), another one active booking per watch. Overbookings take seat numbers above the
slot's seats, up to Slot.overbookings (the template's Antal överbokningar). A seat lost to a
concurrent booking makes book_slot try the next free one; only a slot with no free seat left is
refused. Every state change of a booking or a watch happens under a row lock on a fresh read
(PostgreSQL: SELECT … FOR UPDATE; SQLite: BEGIN IMMEDIATE serialises writers), so it succeeds
for exactly one of any number of concurrent callers. Bookings are never deleted: a removed
day's slots stay, marked removed, as history (`booking_history`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
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
BOOKING_UNKNOWN = "Bokningen finns inte längre"
ALREADY_CANCELLED = "Bokningen är redan avbokad"
ALREADY_REBOOKED = "Bokningen är redan ombokad och kan inte avbokas här"
WATCH_UNKNOWN = "Bevakningen finns inte för den här patienten"
WATCH_CLOSED = "Bevakningen är avslutad och kan inte bokas"
WATCH_BOOKED = "Bevakningen är redan bokad ({time}). Avboka eller omboka den tiden i stället"
WATCH_RACE_LOST = "Bevakningen hann bokas av någon annan just nu. Läs om och försök igen"
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
    """Book a patient into the first free seat of a slot, or (overbook=True) above its seats.

    A seat lost to a concurrent booking (the partial unique index) makes it try the next free
    seat of the same slot; it refuses only when none is left. The slot is share-locked first, so
    a concurrent removal of its day either waits for this booking or is seen as removed. With a
    watch, the watch is locked and set Bokad; a watch that already has a booking is refused.
    """
    slot = _lock_slot(session, slot_id)
    if slot is None or slot.removed_at is not None:
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
    if watch_id is not None:
        _claim_watch(session, watch_id=watch_id, patient_id=patient_id)
    lost: set[int] = set()  # seats another writer took while we tried them
    while True:
        seat, overbooked = _next_seat(session, slot, patient_id, overbook, lost)
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
        except IntegrityError as error:
            # Another writer took the seat between our read and our insert (PostgreSQL: READ
            # COMMITTED; SQLite's BEGIN IMMEDIATE already serialises writers): try the next one.
            if _is_watch_conflict(error):
                raise PasisError(WATCH_RACE_LOST, field="slot") from None
            if _is_patient_conflict(error):
                raise PasisError(
                    ALREADY_BOOKED_PATIENT.format(time=_when(slot)), field="personnummer"
                ) from None
            if not _is_seat_conflict(error):
                raise
            lost.add(seat)
            continue
        return booking


def _next_seat(
    session: Session, slot: models.Slot, patient_id: int, overbook: bool, lost: set[int]
) -> tuple[int, bool]:
    """The first seat free in a fresh read (and not lost already), or the Swedish refusal."""
    active = _active_on_slot(session, slot.id)  # type: ignore[arg-type]
    if any(booking.patient_id == patient_id for booking in active):
        raise PasisError(ALREADY_BOOKED_PATIENT.format(time=_when(slot)), field="personnummer")
    taken = {booking.seat_no for booking in active} | lost
    free = [seat for seat in range(1, slot.seats + 1) if seat not in taken]
    if free:
        return free[0], False
    if overbook:
        extra = range(slot.seats + 1, slot.seats + slot.overbookings + 1)
        free = [seat for seat in extra if seat not in taken]
        if free:
            return free[0], True
    if lost:  # the last free seat went to someone else while we tried it
        raise PasisError(RACE_LOST.format(time=_when(slot)), field="slot")
    full = OVERBOOK_FULL if overbook else SLOT_FULL
    raise PasisError(full.format(time=_when(slot), overbookings=slot.overbookings), field="slot")


def _is_seat_conflict(error: IntegrityError) -> bool:
    """Whether the insert met the one-active-booking-per-seat index (SQLite names its columns)."""
    text = str(error.orig)
    return "uq_booking_active_seat" in text or "booking.slot_id, booking.seat_no" in text


def _is_patient_conflict(error: IntegrityError) -> bool:
    """The one-active-seat-per-patient index: the same patient booked twice at once."""
    text = str(error.orig)
    return "uq_booking_active_patient" in text or "booking.slot_id, booking.patient_id" in text


def _is_watch_conflict(error: IntegrityError) -> bool:
    text = str(error.orig)
    return "uq_booking_active_watch" in text or "booking.watch_id" in text


def _lock_slot(session: Session, slot_id: int) -> models.Slot | None:
    """The slot, read fresh under a key-share lock (PostgreSQL): a removal's FOR UPDATE waits for
    this booking, or this read waits for the removal and sees the slot removed (or gone)."""
    return session.get(
        models.Slot,
        slot_id,
        with_for_update={"read": True, "key_share": True},
        populate_existing=True,
    )


def _claim_watch(session: Session, *, watch_id: int, patient_id: int) -> None:
    """Lock the watch and mark it booked; refused when it is closed or already has a booking."""
    watch = session.get(models.Watch, watch_id, with_for_update=True, populate_existing=True)
    if watch is None or watch.patient_id != patient_id:
        raise PasisError(WATCH_UNKNOWN, field="personnummer")
    if watch.status == models.WatchStatus.CLOSED:
        raise PasisError(WATCH_CLOSED, field="personnummer")
    booked = session.exec(
        select(models.Slot.starts_at)
        .join(models.Booking, col(models.Booking.slot_id) == models.Slot.id)
        .where(
            models.Booking.watch_id == watch_id,
            models.Booking.status == models.BookingStatus.ACTIVE,
        )
    ).first()
    if booked is not None:
        raise PasisError(WATCH_BOOKED.format(time=f"{booked:%Y-%m-%d %H:%M}"), field="slot")
    if watch.status != models.WatchStatus.BOOKED:
        watch.status = models.WatchStatus.BOOKED
        session.add(watch)


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
    unsent SMS reminders are cancelled and an ÖK watch that was booked is open again.

    Exactly once: the booking (and its watch) are locked and read fresh before they change, so of
    any number of concurrent cancels one succeeds and the others get "redan avbokad" (and the
    whole call changes nothing); nothing is sent twice.
    """
    return _cancel(session, clock=clock, booking_ids=booking_ids, reason=reason, strict=True)


def _cancel(
    session: Session, *, clock: Clock, booking_ids: Sequence[int], reason: str, strict: bool
) -> list[models.Booking]:
    """Cancel each booking that is still active; `strict` refuses (all) if one is not."""
    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    ids = sorted(set(booking_ids))
    # Locks in one order everywhere (slots, then watches, then bookings), so that concurrent
    # cancels, bookings and removals queue instead of deadlocking.
    watch_ids = sorted(
        {
            watch_id
            for watch_id in session.exec(
                select(models.Booking.watch_id).where(col(models.Booking.id).in_(ids))
            ).all()
            if watch_id is not None
        }
    )
    watches = {
        watch_id: session.get(models.Watch, watch_id, with_for_update=True, populate_existing=True)
        for watch_id in watch_ids
    }
    cancelled: list[models.Booking] = []
    for booking_id in ids:
        booking = session.get(
            models.Booking, booking_id, with_for_update=True, populate_existing=True
        )
        if booking is None:
            if strict:
                raise PasisError(BOOKING_UNKNOWN, field="slot")
            continue
        if booking.status != models.BookingStatus.ACTIVE:
            if strict:
                message = (
                    ALREADY_REBOOKED
                    if booking.status == models.BookingStatus.REBOOKED
                    else ALREADY_CANCELLED
                )
                raise PasisError(message, field="slot")
            continue
        booking.status = models.BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = user
        booking.cancelled_via = models.BookedVia.STAFF
        booking.cancel_reason = reason[:80]
        session.add(booking)
        session.add(_cancel_message(session, booking, reason, now))
        watch = watches.get(booking.watch_id) if booking.watch_id is not None else None
        if watch is not None and watch.status == models.WatchStatus.BOOKED:
            watch.status = models.WatchStatus.OPEN
            session.add(watch)
        cancelled.append(booking)
    session.flush()
    done = [booking.id for booking in cancelled]
    if done:  # the reminders not yet sent are cancelled (kept, so what was planned stays seen)
        session.connection().execute(
            update(models.SmsOutbox)
            .where(
                col(models.SmsOutbox.booking_id).in_(done),
                col(models.SmsOutbox.sent_at).is_(None),
                col(models.SmsOutbox.cancelled_at).is_(None),
            )
            .values(cancelled_at=now)
        )
    return cancelled


def _cancel_message(
    session: Session, booking: models.Booking, reason: str, now: dt.datetime
) -> models.Message:
    slot = session.get(models.Slot, booking.slot_id)
    assert slot is not None
    caregiver = session.get(models.Caregiver, slot.caregiver_id)
    clinic = session.get(models.Clinic, slot.clinic_id)
    return models.Message(
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


def cancel_for_removal(
    session: Session, *, clock: Clock, booking_ids: Sequence[int], reason: str
) -> int:
    """Cancel, as the clinic does, the bookings of slots being removed; one that someone else
    cancelled in the meantime is left as it is (its patient was told once). Returns the count."""
    return len(_cancel(session, clock=clock, booking_ids=booking_ids, reason=reason, strict=False))


# ------------------------------------------------------------------------------------------------
# History: who was booked at what time, also on removed slots


@dataclass(frozen=True)
class BookingRecord:
    """A booking as history keeps it: the slot's day and time, who booked, who cancelled."""

    booking_id: int
    slot_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    caregiver_signature: str
    clinic_code: str
    seat_no: int
    overbooked: bool
    patient_name: str
    personnummer: str
    status: models.BookingStatus
    booked_via: models.BookedVia
    booked_at: dt.datetime
    booked_by: str
    cancelled_at: dt.datetime | None
    cancelled_by: str | None
    cancel_reason: str
    slot_removed_at: dt.datetime | None
    slot_removed_by: str | None


def booking_history(
    session: Session, *, caregiver_id: int, first: dt.date, last: dt.date
) -> list[BookingRecord]:
    """Every booking on a caregiver's slots from `first` to `last`, in any state and also on
    slots whose day was removed, in time order (stamps in naive UTC)."""
    query = (
        select(models.Booking, models.Slot, models.Patient, models.Caregiver.signature)
        .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
        .join(models.Patient, col(models.Patient.id) == models.Booking.patient_id)
        .join(models.Caregiver, col(models.Caregiver.id) == models.Slot.caregiver_id)
        .where(
            models.Slot.caregiver_id == caregiver_id,
            col(models.Slot.day).between(first, last),
        )
        .order_by(col(models.Slot.starts_at), col(models.Booking.id))
    )
    clinics: dict[int, str] = {}
    records: list[BookingRecord] = []
    for booking, slot, patient, signature in session.exec(query).all():
        if slot.clinic_id not in clinics:
            clinic = session.get(models.Clinic, slot.clinic_id)
            clinics[slot.clinic_id] = clinic.code if clinic else ""
        records.append(
            BookingRecord(
                booking_id=booking.id,  # type: ignore[arg-type]
                slot_id=slot.id,  # type: ignore[arg-type]
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                caregiver_signature=signature,
                clinic_code=clinics[slot.clinic_id],
                seat_no=booking.seat_no,
                overbooked=booking.overbooked,
                patient_name=f"{patient.first_name} {patient.last_name}",
                personnummer=patient.personnummer,
                status=models.BookingStatus(booking.status),
                booked_via=models.BookedVia(booking.booked_via),
                booked_at=booking.booked_at,
                booked_by=booking.booked_by,
                cancelled_at=booking.cancelled_at,
                cancelled_by=booking.cancelled_by,
                cancel_reason=booking.cancel_reason,
                slot_removed_at=slot.removed_at,
                slot_removed_by=slot.removed_by,
            )
        )
    return records
