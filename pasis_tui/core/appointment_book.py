"""The appointment book (tidbok): a caregiver's slots for a day or a week, read-only.

Each slot shows time, activity, visit length, 1177-nivå and status — ledig, bokad or överbokad —
and, for staff, the booked patients. Staff book from here through pasis_tui.core.booking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer, normalize_personnummer
from pasis_tui.core.parse import count_text, parse_date

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
    #: The booked patients' personnummer (12 digits), in the order of `patients`.
    numbers: tuple[str, ...] = ()
    #: Which of `patients` are booked as an overbooking.
    overbooked: tuple[bool, ...] = ()

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
    def labels(self) -> tuple[str, ...]:
        """The patients as messages name them: `Sara Lund 19810724-9289 (överbokad)`."""
        return tuple(
            f"{name} ({state})" if state == OVERBOOKED else name
            for name, state in zip(self.patients, self.patient_states, strict=True)
        )

    @property
    def patient_states(self) -> tuple[str, ...]:
        """`bokad` or `överbokad` for each of `patients`."""
        flags = self.overbooked or (False,) * len(self.patients)
        return tuple(OVERBOOKED if over else BOOKED for over in flags)

    @property
    def state_lines(self) -> tuple[str, ...]:
        """The Status column: each patient's state on an overbooked slot (one line each, beside
        her name), else the slot's status."""
        return self.patient_states if self.booked > self.seats else (self.status,)

    @property
    def free(self) -> bool:
        """A seat can be booked without overbooking."""
        return self.bookable and self.booked < self.seats

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
        .where(  # a start-time range, so ix_slot_caregiver_start answers it
            models.Slot.caregiver_id == caregiver_id,
            col(models.Slot.starts_at) >= dt.datetime.combine(first, dt.time()),
            col(models.Slot.starts_at)
            < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
            col(models.Slot.removed_at).is_(None),
        )
        .order_by(col(models.Slot.starts_at), col(models.Slot.id))
    )
    rows = session.exec(query).all()
    slot_ids = [slot.id for slot, _, _ in rows]
    patients: dict[int, list[str]] = {}
    numbers: dict[int, list[str]] = {}
    overbooked: dict[int, list[bool]] = {}
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
            patients.setdefault(booking.slot_id, []).append(name)
            overbooked.setdefault(booking.slot_id, []).append(booking.overbooked)
            numbers.setdefault(booking.slot_id, []).append(patient.personnummer)
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
                numbers=tuple(numbers.get(slot.id, [])) if show_patients else (),
                overbooked=tuple(overbooked.get(slot.id, [])) if show_patients else (),
            )
        )
    return lines


def book_range(day: dt.date, *, week: bool) -> tuple[dt.date, dt.date]:
    """Dagvy: the day; Veckovy: the ISO week (Monday–Sunday) that holds `day`."""
    if not week:
        return day, day
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def day_book(session: Session, *, caregiver_id: int, day: dt.date) -> list[SlotLine]:
    """Dagvy: the slots of one day."""
    return book_lines(session, caregiver_id=caregiver_id, first=day, last=day)


def week_book(session: Session, *, caregiver_id: int, day: dt.date) -> list[SlotLine]:
    """Veckovy: the slots of the ISO week (Monday–Sunday) that holds `day`."""
    first, last = book_range(day, week=True)
    return book_lines(session, caregiver_id=caregiver_id, first=first, last=last)


# --------------------------------------------------------------------------------------------
# The Tidbok screen's use cases: one call per button, each its own transaction(s)

CANCEL_REASON = "Avbokad av mottagningen"
PICK_SLOT = "Välj en tid i listan"
NOTHING_TO_CANCEL = "Tiden har ingen bokning att avboka"


@dataclass(frozen=True)
class BookRequest:
    """Open the Tidbok on a caregiver and day: carried by the open request (SP 272's Tidbok)."""

    signature: str
    day: dt.date | None = None


@dataclass(frozen=True)
class BookQuery:
    """What the Tidbok's fields say: caregiver, date (empty: today) and Dag or Vecka."""

    signature: str
    day_text: str = ""
    week: bool = False


@dataclass(frozen=True)
class BookView:
    """The book as read: its title, its lines, how many are free, and the message."""

    title: str
    lines: tuple[SlotLine, ...]
    message: str

    @property
    def free(self) -> int:
        return sum(1 for line in self.lines if line.free)


def _read(session: Session, ctx: WorkContext, query: BookQuery, message: str) -> BookView:
    from pasis_tui.core.scheduling import DAY_NAMES, find_resource

    day = parse_date(query.day_text, field="day") or ctx.clock.now().date()
    first, last = book_range(day, week=query.week)
    resource = find_resource(session, unit_id=ctx.unit.id, signature=query.signature, kind=None)
    assert resource.id is not None
    lines = tuple(book_lines(session, caregiver_id=resource.id, first=first, last=last))
    if query.week:
        title = f"{resource.signature} {resource.name}, vecka {first.isocalendar().week}"
    else:
        title = f"{resource.signature} {resource.name}, {DAY_NAMES[day.weekday()]} {day}"
    free = sum(1 for line in lines if line.free)
    counted = f"{count_text(len(lines), 'tid', 'tider')}, {count_text(free, 'ledig', 'lediga')}"
    return BookView(title, lines, message or counted)


def read_book(*, ctx: WorkContext, query: BookQuery, message: str = "") -> BookView:
    """`Läs` (and F7/F8, Vy): the caregiver's day or week."""
    with ctx.read() as session:
        return _read(session, ctx, query, message)


def step_day(*, ctx: WorkContext, day_text: str, week: bool, direction: int) -> dt.date:
    """F7/F8: the day one day (or week) before or after the one in Datum."""
    day = parse_date(day_text, field="day") or ctx.clock.now().date()
    return day + dt.timedelta(days=(7 if week else 1) * direction)


@dataclass(frozen=True)
class BookingCheck:
    """Boka / Överboka before writing: the slot and the patient, and the confirmation line."""

    slot: SlotLine
    personnummer: str
    overbook: bool
    question: str


def check_booking(
    *, ctx: WorkContext, slot: SlotLine | None, personnummer: str, overbook: bool
) -> BookingCheck:
    """The confirmation line before `Boka` / `Överboka`: which slot, which patient. What the
    book already shows refuses it before asking (the patient on the slot, a full slot); the
    booking itself checks again when it writes."""
    from pasis_tui.core import booking as rules

    if slot is None:
        raise PasisError(PICK_SLOT, field="slot")
    with ctx.read() as session:
        patient = rules.find_patient(session, text=personnummer, today=ctx.clock.now().date())
    when = f"{slot.starts_at:%Y-%m-%d %H:%M}"
    if patient.personnummer in slot.numbers:
        raise PasisError(rules.ALREADY_BOOKED_PATIENT.format(time=when), field="personnummer")
    if not slot.bookable:
        raise PasisError(rules.NOT_BOOKABLE.format(activity=slot.activity_name), field="slot")
    if not overbook and not slot.free:
        raise PasisError(
            rules.SLOT_FULL.format(time=when, overbookings=slot.overbookings), field="slot"
        )
    who = f"{patient.first_name} {patient.last_name} {format_personnummer(patient.personnummer)}"
    verb = "Överboka" if overbook else "Boka"
    question = (
        f"{verb} {who}\npå {slot.day} {slot.time_text} "
        f"{slot.activity_code} {slot.activity_name} ({slot.status})?"
    )
    return BookingCheck(slot, patient.personnummer, overbook, question)


def book_patient(*, ctx: WorkContext, query: BookQuery, check: BookingCheck) -> BookView:
    """`Boka` / `Överboka` (after the confirmation): the patient on the slot; the book read
    again."""
    from pasis_tui.core.booking import book_slot, find_patient

    slot = check.slot
    with ctx.write() as session:
        patient = find_patient(session, text=check.personnummer, today=ctx.clock.now().date())
        assert patient.id is not None
        booking = book_slot(
            session, clock=ctx.clock, slot_id=slot.slot_id, patient_id=patient.id,
            overbook=check.overbook,
        )  # fmt: skip
        name = f"{patient.first_name} {patient.last_name}"
    kind = "överbokad" if booking.overbooked else "bokad"
    return read_book(ctx=ctx, query=query, message=f"{name} är {kind} {slot.day} {slot.time_text}")


WHICH_PATIENT = (
    "Tiden har {count} bokade patienter: skriv personnumret för den som ska avbokas ({names})"
)
NOT_ON_SLOT = "{number} är inte bokad på {day} {time}"


@dataclass(frozen=True)
class CancelCheck:
    """Avboka before writing: the one patient to cancel on the slot, and the question."""

    slot: SlotLine
    personnummer: str
    question: str
    #: The patient as the messages name her (`Sara Lund 19810724-9289 (överbokad)`).
    name: str


def cancel_question(slot: SlotLine | None, *, personnummer: str, today: dt.date) -> CancelCheck:
    """The question before Avboka, for one patient: the only one booked, or the one whose
    personnummer is typed (asked for when the slot is overbooked); refused for no slot or a
    slot without bookings."""
    if slot is None:
        raise PasisError(PICK_SLOT, field="slot")
    if not slot.patients:
        raise PasisError(NOTHING_TO_CANCEL, field="slot")
    if personnummer.strip():
        number = normalize_personnummer(personnummer, today=today)
        if number not in slot.numbers:
            raise PasisError(
                NOT_ON_SLOT.format(
                    number=format_personnummer(number), day=slot.day, time=slot.time_text
                ),
                field="personnummer",
            )
    elif len(slot.patients) == 1:
        number = slot.numbers[0]
    else:
        names = ", ".join(slot.labels)
        raise PasisError(
            WHICH_PATIENT.format(count=len(slot.patients), names=names), field="personnummer"
        )
    name = slot.labels[slot.numbers.index(number)]
    question = (
        f"Avboka {slot.day} {slot.time_text} för mottagningens räkning?\n  {name}\n"
        "Patienten får ett avbokningsmeddelande i 1177."
    )
    return CancelCheck(slot, number, question, name)


def cancel_slot(*, ctx: WorkContext, query: BookQuery, check: CancelCheck) -> BookView:
    """`Avboka` (after the question): the chosen patient's booking of the slot, for the
    clinic; any other patient on the slot stays booked."""
    from pasis_tui.core.booking import cancel_by_clinic

    slot = check.slot
    with ctx.write() as session:
        ids = session.exec(
            select(models.Booking.id)
            .join(models.Patient, col(models.Patient.id) == models.Booking.patient_id)
            .where(
                models.Booking.slot_id == slot.slot_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
                models.Patient.personnummer == check.personnummer,
            )
        ).all()
        booking_ids = [booking_id for booking_id in ids if booking_id is not None]
        if not booking_ids:  # cancelled meanwhile: said, nothing changes
            raise PasisError(NOTHING_TO_CANCEL, field="slot")
        cancel_by_clinic(session, clock=ctx.clock, booking_ids=booking_ids, reason=CANCEL_REASON)
    message = f"{check.name} avbokades {slot.day} {slot.time_text}"
    return read_book(ctx=ctx, query=query, message=message)
