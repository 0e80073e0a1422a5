"""The PMO catalogue 'Tidbokstyp på 1177' (seed 002), read-only."""

from __future__ import annotations

from sqlmodel import Session, col, or_, select

from pasis_tui.core import models


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
