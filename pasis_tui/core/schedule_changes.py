"""SP 272, the published schedule: change Mottagning or Brevmall of a laid day (its slots
follow, bookings are kept), remove a day or a period (`Ta bort period`) — never silently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.db import audit_event
from pasis_tui.core.errors import PasisError
from pasis_tui.core.scheduling import (
    BOOKED_REFUSED,
    DAY_UNKNOWN,
    PERIOD_EMPTY,
    find_clinic,
    find_letter,
)

# ------------------------------------------------------------------------------------------------
# Published days: change clinic or letter, remove a day or a period


def change_laid_day(
    session: Session, *, schedule_day_id: int, clinic_code: str, letter_code: str
) -> models.ScheduleDay:
    """`Ändra mottagning` / `Ändra Brevmall` of a laid day; its slots follow, bookings are kept."""
    row = session.get(models.ScheduleDay, schedule_day_id)
    if row is None:
        raise PasisError(DAY_UNKNOWN, field="schedule_day")
    clinic = find_clinic(session, unit_id=row.unit_id, code=clinic_code, field="clinic")
    letter = find_letter(session, unit_id=row.unit_id, code=letter_code, field="letter_template")
    row.clinic_id = clinic.id  # type: ignore[assignment]
    row.letter_template_id = letter.id  # type: ignore[assignment]
    session.add(row)
    session.flush()
    session.connection().execute(
        update(models.Slot)
        .where(col(models.Slot.schedule_day_id) == schedule_day_id)
        .values(clinic_id=clinic.id, letter_template_id=letter.id)
    )
    return row


def day_ids_in_period(
    session: Session,
    *,
    caregiver_id: int,
    first: dt.date,
    last: dt.date,
    status: models.ScheduleStatus | None = models.ScheduleStatus.PUBLISHED,
) -> list[int]:
    """`Ta bort period`: the laid days of a caregiver in a period (published ones by default)."""
    if last < first:
        raise PasisError("Periodens slut måste vara samma dag eller senare", field="period_to")
    query = select(models.ScheduleDay.id).where(
        models.ScheduleDay.caregiver_id == caregiver_id,
        col(models.ScheduleDay.day).between(first, last),
    )
    if status is not None:
        query = query.where(models.ScheduleDay.status == status)
    ids = [day_id for day_id in session.exec(query).all() if day_id is not None]
    if not ids:
        raise PasisError(PERIOD_EMPTY.format(first=first, last=last), field="period_from")
    return ids


def remove_laid_days(
    session: Session,
    *,
    clock: Clock,
    schedule_day_ids: Sequence[int],
    confirmed_booking_ids: Iterable[int] = (),
    reason: str = "Mottagningen har ställt in tiden",
) -> int:
    """Remove laid days; never silently: booked slots are refused unless each booking was
    confirmed for cancelling (then the patients are told as by an avbokning).

    Nothing booked is deleted: the days' slots are kept, marked removed (`removed_at`/
    `removed_by`, hidden from the Tidbok and from offers) and detached from their day, so the
    bookings, their day and time, who booked and who cancelled stay queryable and the messages
    keep their link; the day rows are deleted, so the same days can be laid again. Returns the
    number of days removed.
    """
    from pasis_tui.core.booking import active_bookings, cancel_for_removal

    if not schedule_day_ids:
        raise PasisError(DAY_UNKNOWN, field="schedule_day")
    day_ids = sorted(set(schedule_day_ids))
    # Lock the days' slots first: a concurrent book_slot either finished before (its booking is
    # seen below) or waits and then finds the slot removed.
    slot_ids = _lock_slots(session, day_ids)
    booked = active_bookings(session, schedule_day_ids=day_ids)
    confirmed = set(confirmed_booking_ids)
    unconfirmed = [line for line in booked if line.booking_id not in confirmed]
    if unconfirmed:
        raise PasisError(
            BOOKED_REFUSED.format(
                count=f"{len(unconfirmed)} bokad tid"
                if len(unconfirmed) == 1
                else f"{len(unconfirmed)} bokade tider",
                first=unconfirmed[0].text,
            ),
            field="schedule_day",
        )
    cancelled = 0
    if booked:
        # One that a clinic cancelled meanwhile is left as it is: its patient was told once.
        cancelled = cancel_for_removal(
            session, clock=clock, booking_ids=[line.booking_id for line in booked], reason=reason
        )
    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    for start in range(0, len(slot_ids), 500):
        session.connection().execute(
            update(models.Slot)
            .where(col(models.Slot.id).in_(slot_ids[start : start + 500]))
            .values(removed_at=now, removed_by=user, schedule_day_id=None)
        )
    removed = 0
    for start in range(0, len(day_ids), 500):
        for row in session.exec(
            select(models.ScheduleDay).where(
                col(models.ScheduleDay.id).in_(day_ids[start : start + 500])
            )
        ).all():
            session.delete(row)
            removed += 1
    audit_event(
        session,
        table="slot",
        row_id=None,
        summary=(
            f"Ta bort schema: {removed} dagar, {len(slot_ids)} tider, "
            f"{cancelled} bokningar avbokade"
        ),
    )
    session.flush()
    session.expire_all()  # the Core updates changed Slot rows the session may hold
    return removed


def _lock_slots(session: Session, day_ids: Sequence[int]) -> list[int]:
    """The ids of the days' slots, locked FOR UPDATE on PostgreSQL (in id order, as book_slot
    and other removals lock them); SQLite's BEGIN IMMEDIATE already holds the write lock."""
    ids: list[int] = []
    for start in range(0, len(day_ids), 500):
        query = (
            select(models.Slot.id)
            .where(col(models.Slot.schedule_day_id).in_(day_ids[start : start + 500]))
            .order_by(col(models.Slot.id))
            .with_for_update()
        )
        ids.extend(slot_id for slot_id in session.exec(query).all() if slot_id is not None)
    return ids
