"""SP 270 Aktivitet's use cases: one keyword-only function per action, each one transaction.

They return frozen records, never ORM rows, so nothing on screen depends on a live session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import col, or_, select

from pasis_tui.core import models
from pasis_tui.core.activities import (
    ActivityForm,
    delete_activity,
    read_activity,
    save_activity,
    text_filter,
)
from pasis_tui.core.booking_types import list_booking_types
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paging import PAGE_SIZE, Page, count_rows
from pasis_tui.core.parse import format_stamp, parse_code

#: Aktivitetstyp and Kontakttyp as a screen offers them: (shown text, value).
TYPE_CHOICES = tuple((t.value, t.value) for t in models.ActivityType)
CONTACT_CHOICES = tuple(
    (f"{c.value} {models.CONTACT_TYPE_NAMES[c]}", c.value) for c in models.ContactType
)

NEW = "Nyuppläggning"
GENERAL = "Generell aktivitet – kan inte ändras"
READ_FIRST = "Läs först fram aktiviteten som ska tas bort"


@dataclass(frozen=True)
class ActivityRecord:
    """One activity as Registrering shows it; attribute names are the form's domain fields."""

    id: int
    code: str
    name: str
    activity_type: str
    contact_type: str
    valid_from: dt.date
    valid_to: dt.date
    booking_type_id: int | None
    general: bool
    created: str
    changed: str


@dataclass(frozen=True)
class ActivityLine:
    """One line of 1 Översikt."""

    id: int
    code: str
    name: str
    activity_type: str
    contact_type: str
    valid_from: dt.date
    valid_to: dt.date
    unit_code: str  # "Generell" for the seven general activities


@dataclass(frozen=True)
class ActivityResult:
    """What Läs, Spara and Borttag leave on screen: code, record (None: new), message."""

    code: str
    record: ActivityRecord | None
    message: str
    state: str  # the label beside the code: Nyuppläggning, Generell …, or empty


def _record(activity: models.Activity) -> ActivityRecord:
    return ActivityRecord(
        id=activity.id or 0,
        code=activity.code,
        name=activity.name,
        activity_type=activity.activity_type,
        contact_type=activity.contact_type or "",
        valid_from=activity.valid_from,
        valid_to=activity.valid_to,
        booking_type_id=activity.booking_type_id,
        general=activity.unit_id is None,
        created=format_stamp(activity.created_at, activity.created_by),
        changed=format_stamp(activity.updated_at, activity.updated_by),
    )


def _result(code: str, record: ActivityRecord | None, message: str) -> ActivityResult:
    state = GENERAL if record and record.general else "" if record else NEW
    return ActivityResult(code=code, record=record, message=message, state=state)


def activity_page(
    *, ctx: WorkContext, text: str = "", activity_type: str = "", offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Page[ActivityLine]:  # fmt: skip
    """1 Översikt: one page of the unit's and the general activities, by code."""
    query = select(models.Activity).where(
        or_(models.Activity.unit_id == ctx.unit.id, col(models.Activity.unit_id).is_(None))
    )
    if text.strip():
        query = query.where(text_filter(text, models.Activity.code, models.Activity.name))
    if activity_type:
        query = query.where(models.Activity.activity_type == activity_type)
    with ctx.read() as session:
        total = count_rows(session, query)
        ordered = query.order_by(col(models.Activity.code), col(models.Activity.id))
        rows = session.exec(ordered.offset(offset).limit(limit)).all()
        lines = tuple(
            ActivityLine(
                id=row.id or 0,
                code=row.code,
                name=row.name,
                activity_type=row.activity_type,
                contact_type=row.contact_type or "",
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                unit_code="Generell" if row.unit_id is None else ctx.unit.code,
            )
            for row in rows
        )
    return Page(lines=lines, total=total, offset=offset)


def read_activity_record(*, ctx: WorkContext, code: str) -> ActivityResult:
    """`Läs`: the activity of that code (the unit's or a general one), or Nyuppläggning."""
    normal = parse_code(code, field="activity_code")
    with ctx.read() as session:
        found = read_activity(session, unit_id=ctx.unit.id, code=normal)
        record = _record(found) if found else None
    message = f"Aktiviteten {normal} är läst" if record else f"{normal}: {NEW}"
    return _result(normal, record, message)


def save_activity_record(
    *, ctx: WorkContext, form: ActivityForm, activity_id: int | None
) -> ActivityResult:
    """`Spara`: creates (activity_id None) or changes the unit's activity."""
    with ctx.write() as session:
        saved = save_activity(session, unit_id=ctx.unit.id, form=form, activity_id=activity_id)
        record = _record(saved)
    return _result(record.code, record, f"Aktiviteten {record.code} är sparad")


def delete_activity_record(
    *, ctx: WorkContext, activity_id: int | None, code: str
) -> ActivityResult:
    """`Borttag` (after the question): refused while anything uses the activity."""
    if activity_id is None:
        raise PasisError(READ_FIRST, field="activity_code")
    with ctx.write() as session:
        delete_activity(session, unit_id=ctx.unit.id, activity_id=activity_id)
    return _result(code, None, f"Aktiviteten {code} är borttagen")


def booking_type_options(*, ctx: WorkContext) -> tuple[tuple[str, int], ...]:
    """The PMO booking types an activity may point at (Tidbokstyp), as (name, id)."""
    with ctx.read() as session:
        return tuple((row.name, row.id or 0) for row in list_booking_types(session))
