"""Statistik (seed 11): bookings, rebookings and cancellations per week and clinic, split by
1177 and staff; the ÖK funnel and the days from invitation to booking.

Events are counted in SQL per UTC day, with the day's last two hours apart (at most three groups
a day, about a thousand for a year, whatever the number of bookings), and each group is placed in
its Swedish ISO week: Stockholm is UTC+1 or +2, so only 22:00–23:59 UTC can fall on the next local
day, and the offset never changes inside such an hour (clocks change at 01:00 UTC). A booking at
00:30 local time on a Monday is thus in that Monday's week also when it was 22:30 UTC on Sunday.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics as stats
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, literal, literal_column
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import from_utc_naive, utc_naive
from pasis_tui.core.errors import PasisError

PERIOD_ORDER = "Tom datum måste vara samma dag som From datum eller senare"
PERIOD_LONG = "Perioden får vara högst {days} dagar"
MAX_DAYS = 3 * 366
KINDS = ("Bokningar", "Ombokningar", "Avbokningar")
CHANNELS = (models.BookedVia.CITIZEN.value, models.BookedVia.STAFF.value)
CSV_HEADER = ("Vecka", "Mottagning", "Händelse", "1177", "Personal", "Totalt")
#: From this UTC hour on, a moment may fall on the next Swedish day.
LATE_HOUR = 22


@dataclass(frozen=True)
class WeekRow:
    """One ISO week × clinic × kind of event, counted by channel."""

    week: str  # "2026-V48"
    clinic_code: str
    kind: str
    via_1177: int
    via_staff: int

    @property
    def total(self) -> int:
        return self.via_1177 + self.via_staff


@dataclass(frozen=True)
class Funnel:
    """The ÖK watches whose invitation was sent in the period, and how far they came."""

    sent: int
    booked: int
    passed_unbooked: int
    closed: int
    median_days_to_booking: float | None


@dataclass(frozen=True)
class Statistics:
    rows: list[WeekRow]
    funnel: Funnel
    message: str


def _bucket(column: Any, dialect: str) -> Any:
    """The UTC day of `column`, or its hour from 22:00 on (see the module's note)."""
    if dialect == "postgresql":
        late = func.extract("hour", column) >= LATE_HOUR
        return case((late, func.date_trunc("hour", column)), else_=func.date_trunc("day", column))
    # SQLite keeps a datetime as text 'ÅÅÅÅ-MM-DD TT:MM:SS…': cutting it is cheaper than strftime.
    late = func.substr(column, 12, 2) >= f"{LATE_HOUR:02d}"
    return case((late, func.substr(column, 1, 13)), else_=func.substr(column, 1, 10))


def _as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@lru_cache(maxsize=4096)
def _week(moment_utc: dt.datetime) -> str:
    year, week, _ = from_utc_naive(moment_utc).isocalendar()
    return f"{year}-V{week:02d}"


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    if last < first:
        raise PasisError(PERIOD_ORDER, field="to_date")
    if (last - first).days > MAX_DAYS:
        raise PasisError(PERIOD_LONG.format(days=MAX_DAYS), field="to_date")
    start = utc_naive(dt.datetime.combine(first, dt.time()))
    end = utc_naive(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
    return start, end


def booking_statistics(
    *,
    session: Session,
    unit_id: int,
    first: dt.date,
    last: dt.date,
    clinic_id: int | None = None,
    today: dt.date,
) -> Statistics:
    """The statistics of a unit (or one clinic) for the days first … last, Swedish time."""
    start, end = _bounds(first, last)
    dialect = session.get_bind().dialect.name
    b, s, c = models.Booking, models.Slot, models.Clinic
    counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(CHANNELS, 0)
    )

    def count(kind: Any, moment: Any, via: Any, *conditions: Any) -> None:
        """`kind`: a fixed kind, or a column telling Bokningar (true) from Ombokningar."""
        bucket = _bucket(moment, dialect).label("bucket")
        # `clinic_id + 0`: the bookings are read in one pass, each slot and clinic by its key.
        # On the bare column SQLite walks the clinics' slots instead (a million at the bench).
        slot_clinic = col(s.clinic_id) + 0
        query = (
            sa_select(bucket, col(c.code), via, kind, func.count())
            .select_from(b)
            .join(s, col(s.id) == b.slot_id)
            .join(c, col(c.id) == slot_clinic)
            .where(col(c.unit_id) == unit_id, moment >= start, moment < end, *conditions)
            # by its name: the expression once a row, not again with other bound values
            .group_by(literal_column("bucket"), c.code, via, kind)
        )
        if clinic_id is not None:
            query = query.where(slot_clinic == clinic_id)
        for at, clinic_code, channel, first, n in session.connection().execute(query).all():
            name = first if isinstance(first, str) else KINDS[0] if first else KINDS[1]
            key = (_week(_as_datetime(at)), clinic_code, name)
            counts[key][channel or models.BookedVia.STAFF.value] += n

    # Bokningar and Ombokningar in one pass over the bookings, told apart by rebooked_from_id.
    count(col(b.rebooked_from_id).is_(None), col(b.booked_at), col(b.booked_via))
    count(
        literal(KINDS[2]),
        col(b.cancelled_at),
        col(b.cancelled_via),
        b.status == models.BookingStatus.CANCELLED,
    )
    rows = [
        WeekRow(week=w, clinic_code=code, kind=kind, via_1177=v["1177"], via_staff=v["Personal"])
        for (w, code, kind), v in counts.items()
    ]
    rows.sort(key=lambda r: (r.week, r.clinic_code, KINDS.index(r.kind)))
    funnel = _funnel(
        session, unit_id=unit_id, clinic_id=clinic_id, start=start, end=end, today=today
    )
    booked = sum(r.total for r in rows if r.kind == "Bokningar")
    message = f"{first} – {last}: {booked} bokningar, {funnel.sent} öppna kallelser skickade"
    return Statistics(rows=rows, funnel=funnel, message=message)


def _funnel(
    session: Session,
    *,
    unit_id: int,
    clinic_id: int | None,
    start: dt.datetime,
    end: dt.datetime,
    today: dt.date,
) -> Funnel:
    i, w, b = models.Invitation, models.Watch, models.Booking
    first_booking = (
        select(b.watch_id, func.min(b.booked_at).label("booked_at"))
        .where(col(b.watch_id).isnot(None))
        .group_by(col(b.watch_id))
        .subquery()
    )
    query = (
        select(col(i.sent_at), w.status, col(w.book_to), first_booking.c.booked_at)
        .join(w, col(w.id) == i.watch_id)
        .outerjoin(first_booking, first_booking.c.watch_id == i.watch_id)
        .where(
            w.unit_id == unit_id,
            w.watch_type == models.WatchType.OPEN_INVITATION,
            col(i.sent_at) >= start,
            col(i.sent_at) < end,
        )
    )
    if clinic_id is not None:
        query = query.where(w.clinic_id == clinic_id)
    sent = booked = passed = closed = 0
    days: list[float] = []
    for sent_at, status, book_to, booked_at in session.exec(query).all():
        sent += 1
        if booked_at is not None:
            booked += 1
            days.append((_as_datetime(booked_at) - _as_datetime(sent_at)).total_seconds() / 86400)
        elif status == models.WatchStatus.CLOSED:
            closed += 1
        elif book_to is not None and book_to < today:
            passed += 1
    median = round(stats.median(days), 1) if days else None
    return Funnel(
        sent=sent,
        booked=booked,
        passed_unbooked=passed,
        closed=closed,
        median_days_to_booking=median,
    )


def rows_as_csv(rows: Iterable[WeekRow]) -> str:
    """The table as CSV (semicolon-separated, as Swedish spreadsheets read it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow((r.week, r.clinic_code, r.kind, r.via_1177, r.via_staff, r.total))
    return out.getvalue()
