"""The PMO catalogue 'Tidbokstyp på 1177' (seed 002), read-only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.paging import PAGE_SIZE, Page

#: Swedish alphabetical order: a–z with é as e and ü as y, then å, ä, ö (case-insensitive).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e",
                          "è": "e", "ü": "y", "à": "a"})  # fmt: skip


def swedish_key(text: str) -> tuple[str, str]:
    """Sort key for Swedish order, case-insensitive (ties broken by the text itself)."""
    return text.casefold().translate(_SWEDISH), text


def list_booking_types(session: Session, *, text: str = "") -> list[models.BookingType]:
    """Every booking type whose name or explanation contains `text` as typed (`%` and `_` are
    characters; case-insensitive also for Å Ä Ö, which SQLite's LIKE is not), in Swedish order
    by name. The catalogue is a short code list (seed 002), so it is read whole."""
    wanted = text.strip().casefold()
    rows = [
        row
        for row in session.exec(select(models.BookingType)).all()
        if wanted in row.name.casefold() or wanted in row.description.casefold()
    ]
    return sorted(rows, key=lambda row: swedish_key(row.name))


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
