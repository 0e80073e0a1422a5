"""The appointment book (tidbok): a caregiver's slots for a day or a week, read-only.

Each slot shows time, activity, visit length, 1177-nivå and status — ledig, bokad or överbokad —
and, for staff, the booked patients. Staff book from here through pasis_tui.core.booking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.ids import format_personnummer

FREE = "ledig"
BOOKED = "bokad"
OVERBOOKED = "överbokad"
NOT_BOOKABLE = "ej bokningsbar"


@dataclass(frozen=True)
class SlotLine:
    """One slot of the appointment book."""

    slot_id: int
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    activity_code: str
    activity_name: str
    activity_type: str
    visit_length_min: int
    level_1177: int
    reason: str
    clinic_code: str
    seats: int
    overbookings: int
    booked: int
    patients: tuple[str, ...]

    @property
    def bookable(self) -> bool:
        return self.activity_type != models.ActivityType.NOT_BOOKABLE

    @property
    def status(self) -> str:
        if not self.bookable:
            return NOT_BOOKABLE
        if self.booked > self.seats:
            return OVERBOOKED
        if self.booked >= self.seats:
            return BOOKED
        if self.seats > 1 and self.booked:
            return f"{FREE} {self.seats - self.booked}/{self.seats}"
        return FREE

    @property
    def time_text(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


def book_lines(
    session: Session,
    *,
    caregiver_id: int,
    first: dt.date,
    last: dt.date,
    show_patients: bool = True,
) -> list[SlotLine]:
    """The caregiver's slots from `first` to `last` (inclusive), in time order."""
    query = (
        select(models.Slot, models.Activity, models.Clinic.code)
        .join(models.Activity, col(models.Activity.id) == models.Slot.activity_id)
        .join(models.Clinic, col(models.Clinic.id) == models.Slot.clinic_id)
        .where(
            models.Slot.caregiver_id == caregiver_id,
            col(models.Slot.day).between(first, last),
            col(models.Slot.removed_at).is_(None),
        )
        .order_by(col(models.Slot.starts_at), col(models.Slot.id))
    )
    rows = session.exec(query).all()
    slot_ids = [slot.id for slot, _, _ in rows]
    patients: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for start in range(0, len(slot_ids), 500):
        booked = session.exec(
            select(models.Booking, models.Patient)
            .join(models.Patient, col(models.Patient.id) == models.Booking.patient_id)
            .where(
                col(models.Booking.slot_id).in_(slot_ids[start : start + 500]),
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
            .order_by(col(models.Booking.seat_no))
        ).all()
        for booking, patient in booked:
            counts[booking.slot_id] = counts.get(booking.slot_id, 0) + 1
            number = format_personnummer(patient.personnummer)
            name = f"{patient.first_name} {patient.last_name} {number}"
            if booking.overbooked:
                name += " (överbokad)"
            patients.setdefault(booking.slot_id, []).append(name)
    lines = []
    for slot, activity, clinic_code in rows:
        assert slot.id is not None
        lines.append(
            SlotLine(
                slot_id=slot.id,
                day=slot.day,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                activity_code=activity.code,
                activity_name=activity.name,
                activity_type=activity.activity_type,
                visit_length_min=slot.visit_length_min,
                level_1177=slot.level_1177,
                reason=slot.reason,
                clinic_code=clinic_code,
                seats=slot.seats,
                overbookings=slot.overbookings,
                booked=counts.get(slot.id, 0),
                patients=tuple(patients.get(slot.id, [])) if show_patients else (),
            )
        )
    return lines


def day_book(session: Session, *, caregiver_id: int, day: dt.date) -> list[SlotLine]:
    """Dagvy: the slots of one day."""
    return book_lines(session, caregiver_id=caregiver_id, first=day, last=day)


def week_book(session: Session, *, caregiver_id: int, day: dt.date) -> list[SlotLine]:
    """Veckovy: the slots of the ISO week (Monday–Sunday) that holds `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return book_lines(
        session, caregiver_id=caregiver_id, first=monday, last=monday + dt.timedelta(days=6)
    )
