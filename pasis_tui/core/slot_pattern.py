"""A day template's slot pattern, and laying it on a calendar day — pure functions, no database.

Seed 3.3: "Besökslängd delar upp aktiviteten i önskat intervall"; an empty length means one slot
"Från starttid till sluttid". Slots are laid in Swedish wall-clock time; a slot whose wall time
does not start (the spring-forward hour) is not laid, and the autumn's repeated hour is laid once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pasis_tui.core.clock import wall_exists, wall_to_utc
from pasis_tui.core.errors import PasisError

LENGTH_MISFIT = (
    "Besökslängden {length} min går inte jämnt ut mellan {start} och {end}: "
    "närmaste sluttid som passar är {suggestion}"
)
LENGTH_TOO_LONG = "Besökslängden {length} min är längre än aktiviteten ({start}–{end})"
TIMES_ORDER = "Sluttiden måste vara senare än starttiden"


@dataclass(frozen=True)
class PatternRow:
    """One 'Lägg till/Ändra aktivitet' row, as the pattern needs it."""

    activity_id: int
    start: dt.time
    end: dt.time
    visit_length_min: int | None = None
    level_1177: int = 0
    reason: str = ""
    seats: int = 1


@dataclass(frozen=True)
class PatternSlot:
    activity_id: int
    start: dt.time
    end: dt.time
    visit_length_min: int
    level_1177: int
    reason: str
    seats: int


@dataclass(frozen=True)
class LaidSlot:
    """A pattern slot on a date: wall-clock start/end (naive) and the start as naive UTC."""

    slot: PatternSlot
    starts_at: dt.datetime
    ends_at: dt.datetime
    starts_at_utc: dt.datetime

    @property
    def ends_at_utc(self) -> dt.datetime:
        """The real end: the visit length after the start, even in the repeated autumn hour."""
        return self.starts_at_utc + dt.timedelta(minutes=self.slot.visit_length_min)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_row_times(
    start: dt.time, end: dt.time, visit_length_min: int | None, *, field: str = "besokslangd"
) -> None:
    """Raise PasisError unless end > start and the visit length divides the row exactly."""
    first, last = _minutes(start), _minutes(end)
    if last <= first:
        raise PasisError(TIMES_ORDER, field="sluttid")
    if visit_length_min is None:
        return
    total = last - first
    if visit_length_min > total:
        raise PasisError(
            LENGTH_TOO_LONG.format(length=visit_length_min, start=_hhmm(first), end=_hhmm(last)),
            field=field,
        )
    if total % visit_length_min:
        below = first + (total // visit_length_min) * visit_length_min
        above = below + visit_length_min
        nearest = below if last - below <= above - last or above >= 24 * 60 else above
        raise PasisError(
            LENGTH_MISFIT.format(
                length=visit_length_min,
                start=_hhmm(first),
                end=_hhmm(last),
                suggestion=_hhmm(nearest),
            ),
            field=field,
        )


def split_row(row: PatternRow) -> list[PatternSlot]:
    """The slots of one row: one per visit length, or one from start to end."""
    check_row_times(row.start, row.end, row.visit_length_min)
    first, last = _minutes(row.start), _minutes(row.end)
    length = row.visit_length_min or (last - first)
    return [
        PatternSlot(
            activity_id=row.activity_id,
            start=_time(begin),
            end=_time(begin + length),
            visit_length_min=length,
            level_1177=row.level_1177,
            reason=row.reason,
            seats=row.seats,
        )
        for begin in range(first, last, length)
    ]


def slot_pattern(rows: Iterable[PatternRow]) -> list[PatternSlot]:
    """Every slot of a template, in time order."""
    slots = [slot for row in rows for slot in split_row(row)]
    return sorted(slots, key=lambda slot: (slot.start, slot.end))


def lay_on_day(day: dt.date, pattern: Sequence[PatternSlot]) -> list[LaidSlot]:
    """The pattern on a date in Swedish wall time; slots in a non-existent hour are left out."""
    laid = []
    for slot in pattern:
        starts_at = dt.datetime.combine(day, slot.start)
        ends_at = dt.datetime.combine(day, slot.end)
        if not wall_exists(starts_at):  # 02:xx on the spring-forward day
            continue
        laid.append(LaidSlot(slot, starts_at, ends_at, wall_to_utc(starts_at)))
    return laid
