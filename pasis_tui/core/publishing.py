"""`Publicera schema` (SP 272): every preliminary day becomes slots in the appointment book.

All or nothing: the slots are inserted through the session's own connection, inside the caller's
write_session transaction, so a failure anywhere leaves no slot behind; on PostgreSQL as one COPY,
elsewhere as executemany batches (slot_writer). One audit event records the publish.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select as core_select
from sqlalchemy import update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.db import audit_event
from pasis_tui.core.errors import PasisError
from pasis_tui.core.schedule_laying import lay_preliminary
from pasis_tui.core.scheduling import (
    NO_PRELIMINARY,
    PAST_PRELIMINARY,
    days_text,
    find_resource,
    parse_weekdays,
)
from pasis_tui.core.slot_pattern import PatternSlot, lay_on_day
from pasis_tui.core.slot_writer import open_slot_writer

Progress = Callable[[int, int], None]

#: Rows per flush (one executemany, or one block of the COPY): large enough to be fast, small
#: enough to report progress often.
CHUNK_ROWS = 10_000
#: A publish reports about this many times, so that even a one-caregiver year moves the bar.
PROGRESS_STEPS = 100


@dataclass(frozen=True)
class PublishResult:
    days: int
    slots: int
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def message(self) -> str:
        """`… utlagt: 10 dagar, 2026-03-16 – 2026-03-27, 80 tider` (singular for one)."""
        days = f"{self.days} dag" if self.days == 1 else f"{self.days} dagar"
        slots = f"{self.slots} tid" if self.slots == 1 else f"{self.slots} tider"
        span = ""
        if self.first is not None and self.last is not None:
            span = f"{self.first:%Y-%m-%d}" + (
                f" – {self.last:%Y-%m-%d}" if self.last != self.first else ""
            )
            span += ", "
        return f"Det preliminära schemat har blivit utlagt: {days}, {span}{slots}"


def publish_schedule(
    session: Session,
    *,
    clock: Clock,
    caregiver_ids: Sequence[int],
    progress: Progress | None = None,
    allow_past: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress_steps: int = PROGRESS_STEPS,
) -> PublishResult:
    """Create the slots of every preliminary day of the caregivers and mark the days published.

    One slot per visit length of each template row, in Swedish wall-clock time (lay_on_day: the
    spring-forward hour has no slots, the autumn's repeated hour is laid once). `progress(done,
    total)` is called with days done after each chunk of `chunk_rows` slots, and at least every
    1/`progress_steps` of the days, after the slots so far were sent (it may use the session); an
    exception from it aborts everything.
    """
    from pasis_tui.core.day_templates import version_pattern

    day_table = models.ScheduleDay.__table__  # type: ignore[attr-defined]
    query = (
        core_select(
            day_table.c.id,
            day_table.c.caregiver_id,
            day_table.c.day,
            day_table.c.template_version_id,
            day_table.c.clinic_id,
            day_table.c.letter_template_id,
        )
        .where(
            day_table.c.caregiver_id.in_(list(caregiver_ids)),
            day_table.c.status == models.ScheduleStatus.PRELIMINARY.value,
        )
        .order_by(day_table.c.caregiver_id, day_table.c.day)
    )
    days = session.connection().execute(query).all()
    if not days:
        raise PasisError(NO_PRELIMINARY, field="publicera_schema")
    today = clock.now().date()
    past = [row.day for row in days if row.day < today]
    if past and not allow_past:
        raise PasisError(PAST_PRELIMINARY.format(days=days_text(past)), field="publicera_schema")

    version_ids = {row.template_version_id for row in days}
    patterns: dict[int, list[PatternSlot]] = {
        version_id: version_pattern(session, version_id=version_id) for version_id in version_ids
    }
    overbookings: dict[int, int] = dict(
        session.connection()
        .execute(
            core_select(
                models.DayTemplateVersion.__table__.c.id,  # type: ignore[attr-defined]
                models.DayTemplateVersion.__table__.c.overbookings,  # type: ignore[attr-defined]
            ).where(col(models.DayTemplateVersion.id).in_(version_ids))
        )
        .all()
    )
    connection = session.connection()
    fragments: dict[tuple[int, dt.date], Any] = {}
    pending = total_slots = 0
    step = max(1, -(-len(days) // max(1, progress_steps)))  # days between two reports
    with open_slot_writer(connection) as writer:
        for done, day in enumerate(days, start=1):
            key = (day.template_version_id, day.day)
            laid = fragments.get(key)
            if laid is None:
                laid = fragments[key] = writer.fragments(
                    lay_on_day(day.day, patterns[day.template_version_id])
                )
            head = (
                day.id,
                day.caregiver_id,
                day.clinic_id,
                day.template_version_id,
                day.letter_template_id,
                overbookings[day.template_version_id],
            )
            pending += writer.add(head, laid)
            if pending >= chunk_rows or done % step == 0 or done == len(days):
                if pending:
                    writer.flush()
                    total_slots += pending
                    pending = 0
                if progress is not None:
                    progress(done, len(days))

    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    day_ids = [row.id for row in days]
    for start in range(0, len(day_ids), 1000):
        connection.execute(
            update(models.ScheduleDay)
            .where(col(models.ScheduleDay.id).in_(day_ids[start : start + 1000]))
            .values(
                status=models.ScheduleStatus.PUBLISHED.value,
                published_at=now,
                published_by=user,
                updated_at=now,
                updated_by=user,
            )
        )
    audit_event(
        session,
        table="slot",
        row_id=None,
        summary=(
            f"Publicera schema: {len(days)} dagar, {total_slots} tider, "
            f"{len({row.caregiver_id for row in days})} vårdgivare"
        ),
    )
    session.flush()
    session.expire_all()  # the Core update changed ScheduleDay rows the session may hold
    dates = [row.day for row in days]
    return PublishResult(
        days=len(days),
        slots=total_slots,
        first=min(dates, default=None),
        last=max(dates, default=None),
    )


# ------------------------------------------------------------------------------------------------
# Demo: published ÖK schedules for HAN and SKOPILINJEN around the demo clock


#: (enhet, vårdgivare, mottagning, brevmall) laid with the SP 270 demo template "ÖK".
DEMO_SCHEDULES = (("REUM", "HAN", "M11", "ÖK"), ("GASTRO", "SKOPILINJEN", "LUEM", "ÖK"))
DEMO_TEMPLATE = "ÖK"
DEMO_WEEKS_BEFORE = 2
DEMO_WEEKS_AFTER = 8
#: (caregiver, weekday offset from the demo Monday, slot index that day, patient row) to book.
DEMO_BOOKINGS = (
    ("HAN", 1, 0, 0),
    ("HAN", 1, 3, 1),
    ("HAN", 2, 1, 2),
    ("HAN", 8, 0, 3),
    ("SKOPILINJEN", 1, 1, 4),
    ("SKOPILINJEN", 3, 0, 5),
)


def demo_schedules(session: Session, clock: Clock, directory: Path) -> None:
    """Lay and publish "ÖK" on weekdays (red days skipped), then book a few demo patients."""
    from pasis_tui.core.booking import book_slot

    today = clock.now().date()
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(weeks=DEMO_WEEKS_BEFORE)
    weeks = []
    for n in range(DEMO_WEEKS_BEFORE + DEMO_WEEKS_AFTER + 1):
        iso = (first + dt.timedelta(weeks=n)).isocalendar()
        weeks.append((iso.year, iso.week))
    caregivers: dict[str, int] = {}
    for unit_code, signature, clinic, letter in DEMO_SCHEDULES:
        unit = session.exec(select(models.Unit).where(models.Unit.code == unit_code)).one()
        assert unit.id is not None
        caregiver = find_resource(session, unit_id=unit.id, signature=signature)
        assert caregiver.id is not None
        caregivers[signature] = caregiver.id
        lay_preliminary(
            session,
            clock=clock,
            unit_id=unit.id,
            caregiver_id=caregiver.id,
            template_code=DEMO_TEMPLATE,
            weeks=weeks,
            weekdays=parse_weekdays("Må-Fr"),
            clinic_code=clinic,
            letter_code=letter,
            allow_past=True,
        )
    publish_schedule(session, clock=clock, caregiver_ids=list(caregivers.values()), allow_past=True)
    patients = session.exec(select(models.Patient).order_by(col(models.Patient.id))).all()
    # Next week's Monday, whatever day the demo is built on: every booked slot is in the
    # future (this week's Monday was in the past from Monday's first slot to Friday).
    next_monday = monday + dt.timedelta(weeks=1)
    for signature, offset, index, patient_row in DEMO_BOOKINGS:
        day = next_monday + dt.timedelta(days=offset - 1)
        slots = session.exec(
            select(models.Slot)
            .join(models.Activity, col(models.Activity.id) == models.Slot.activity_id)
            .where(
                models.Slot.caregiver_id == caregivers[signature],
                models.Slot.day == day,
                models.Slot.level_1177 > 0,
            )
            .order_by(col(models.Slot.starts_at))
        ).all()
        if index < len(slots) and patient_row < len(patients):
            assert slots[index].id is not None and patients[patient_row].id is not None
            book_slot(
                session,
                clock=clock,
                slot_id=slots[index].id,  # type: ignore[arg-type]
                patient_id=patients[patient_row].id,  # type: ignore[arg-type]
            )
