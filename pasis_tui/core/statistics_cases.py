"""Statistik's use cases: the filters as typed → one frozen view (table, weekly series, funnel),
and Exportera CSV to a named file. One transaction each, never ORM rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_date
from pasis_tui.core.statistics import KINDS, Funnel, WeekRow, booking_statistics, rows_as_csv

UNIT_UNKNOWN = "Enhet: okänd enhet {code}"
CLINIC_UNKNOWN = "Mott: okänd mottagning i enheten"
#: Without a From datum the statistics cover the 52 weeks up to Tom datum (a year).
DEFAULT_DAYS = 364


@dataclass(frozen=True)
class StatisticsFilter:
    """The filter line as typed: Enhet (empty: the session's), Mott, From and Tom datum."""

    unit_code: str = ""
    clinic_code: str = ""
    from_date: str = ""
    to_date: str = ""


@dataclass(frozen=True)
class WeekTotals:
    """One week over all chosen clinics: what the chart draws."""

    week: str
    booked_1177: int
    booked_staff: int
    rebooked: int
    cancelled: int


@dataclass(frozen=True)
class StatisticsView:
    unit_code: str
    clinic_code: str
    first: dt.date
    last: dt.date
    rows: tuple[WeekRow, ...]
    weeks: tuple[WeekTotals, ...]
    funnel: Funnel
    message: str


@dataclass(frozen=True)
class Exported:
    path: str
    rows: int
    message: str


def _weeks(rows: tuple[WeekRow, ...]) -> tuple[WeekTotals, ...]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(("b1", "bs", "r", "c"), 0))
    for row in rows:
        week = sums[row.week]
        if row.kind == KINDS[0]:
            week["b1"] += row.via_1177
            week["bs"] += row.via_staff
        elif row.kind == KINDS[1]:
            week["r"] += row.total
        else:
            week["c"] += row.total
    return tuple(
        WeekTotals(week, v["b1"], v["bs"], v["r"], v["c"]) for week, v in sorted(sums.items())
    )


def booking_statistics_view(*, ctx: WorkContext, filters: StatisticsFilter) -> StatisticsView:
    """The statistics for the filter: per week and clinic, the weekly totals and the ÖK funnel."""
    today = ctx.clock.now().date()
    last = parse_date(filters.to_date, field="to_date", default=today)
    assert last is not None
    first = parse_date(
        filters.from_date, field="from_date", default=last - dt.timedelta(days=DEFAULT_DAYS)
    )
    assert first is not None
    with ctx.read() as session:
        unit_id, unit_code = ctx.unit.id, ctx.unit.code
        wanted = filters.unit_code.strip().upper()
        if wanted and wanted != unit_code:
            unit = session.exec(
                select(models.Unit).where(func.upper(models.Unit.code) == wanted)
            ).first()
            if unit is None or unit.id is None:
                raise PasisError(UNIT_UNKNOWN.format(code=wanted), field="unit_code")
            unit_id, unit_code = unit.id, unit.code
        clinic_id, clinic_code = None, filters.clinic_code.strip().upper()
        if clinic_code:
            clinic = session.exec(
                select(models.Clinic).where(
                    models.Clinic.unit_id == unit_id, func.upper(models.Clinic.code) == clinic_code
                )
            ).first()
            if clinic is None:
                raise PasisError(CLINIC_UNKNOWN, field="clinic_code")
            clinic_id = clinic.id
        stats = booking_statistics(
            session=session,
            unit_id=unit_id,
            first=first,
            last=last,
            clinic_id=clinic_id,
            today=today,
        )
    rows = tuple(stats.rows)
    return StatisticsView(
        unit_code=unit_code,
        clinic_code=clinic_code,
        first=first,
        last=last,
        rows=rows,
        weeks=_weeks(rows),
        funnel=stats.funnel,
        message=stats.message,
    )


def exports_directory() -> Path:
    from pasis_tui.core.paths import user_data_dir

    return user_data_dir() / "statistik"


def export_statistics_csv(
    *, ctx: WorkContext, filters: StatisticsFilter, directory: Path | None = None
) -> Exported:
    """Exportera CSV: the table for the filter, written to a file whose name the status shows."""
    view = booking_statistics_view(ctx=ctx, filters=filters)
    folder = directory or exports_directory()
    clinic = f"-{view.clinic_code}" if view.clinic_code else ""
    path = folder / f"statistik-{view.unit_code}{clinic}-{view.first}-{view.last}.csv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(rows_as_csv(view.rows), encoding="utf-8")
    except OSError as error:
        raise PasisError(f"Filen {path} kunde inte skrivas: {error.strerror}", field="") from None
    noun = "rad" if len(view.rows) == 1 else "rader"
    return Exported(str(path), len(view.rows), f"{len(view.rows)} {noun} exporterade till {path}")
