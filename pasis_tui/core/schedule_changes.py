"""SP 272, the published schedule: change Mottagning or Brevmall of a laid day (its slots
follow, bookings are kept), remove a day or a period (`Ta bort period`) — never silently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock
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
    """Remove laid days and their slots; never silently: booked slots are refused unless each
    booking was confirmed for cancelling (then the patients are told as by an avbokning)."""
    from pasis_tui.core.booking import active_bookings, cancel_by_clinic, drop_booking_rows

    if not schedule_day_ids:
        raise PasisError(DAY_UNKNOWN, field="schedule_day")
    booked = active_bookings(session, schedule_day_ids=schedule_day_ids)
    confirmed = set(confirmed_booking_ids)
    unconfirmed = [line for line in booked if line.booking_id not in confirmed]
    if unconfirmed:
        raise PasisError(
            BOOKED_REFUSED.format(count=len(unconfirmed), first=unconfirmed[0].text),
            field="schedule_day",
        )
    if booked:
        cancel_by_clinic(
            session, clock=clock, booking_ids=[line.booking_id for line in booked], reason=reason
        )
    removed = 0
    slots = 0
    for start in range(0, len(schedule_day_ids), 500):
        chunk = list(schedule_day_ids[start : start + 500])
        slot_ids = select(models.Slot.id).where(col(models.Slot.schedule_day_id).in_(chunk))
        drop_booking_rows(session, slot_ids=slot_ids)
        slots += (
            session.connection()
            .execute(delete(models.Slot).where(col(models.Slot.schedule_day_id).in_(chunk)))
            .rowcount
        )
        for row in session.exec(
            select(models.ScheduleDay).where(col(models.ScheduleDay.id).in_(chunk))
        ).all():
            session.delete(row)
            removed += 1
    audit_event(
        session,
        table="slot",
        row_id=None,
        summary=f"Ta bort schema: {removed} dagar, {slots} tider, {len(booked)} bokningar avbokade",
    )
    session.flush()
    return removed
