"""The PMO catalogue 'Tidbokstyp på 1177' (seed 002), read-only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.paging import PAGE_SIZE, Page


def list_booking_types(session: Session, *, text: str = "") -> list[models.BookingType]:
    """Every booking type whose name or explanation contains `text`, by name."""
    query = select(models.BookingType)
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(
            or_(
                col(models.BookingType.name).ilike(pattern),
                col(models.BookingType.description).ilike(pattern),
            )
        )
    return list(session.exec(query.order_by(col(models.BookingType.name))).all())


@dataclass(frozen=True)
class BookingTypeLine:
    """One line of the PMO catalogue with its four flags (seed 002)."""

    id: int
    name: str
    visible_to_patient: bool
    cancellable: bool
    rebookable: bool
    sms_reminder: bool
    description: str


def booking_type_page(
    *, ctx: WorkContext, text: str = "", offset: int = 0, limit: int = PAGE_SIZE
) -> Page[BookingTypeLine]:
    """The catalogue screen's one read: a page of booking types matching `text`."""
    with ctx.read() as session:
        rows = list_booking_types(session, text=text)
        lines = tuple(
            BookingTypeLine(
                id=row.id or 0,
                name=row.name,
                visible_to_patient=row.visible_to_patient,
                cancellable=row.cancellable,
                rebookable=row.rebookable,
                sms_reminder=row.sms_reminder,
                description=row.description,
            )
            for row in rows[offset : offset + limit]
        )
    return Page(lines=lines, total=len(rows), offset=offset)
