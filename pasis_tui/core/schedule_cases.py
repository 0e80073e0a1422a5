"""SP 272 Schemaläggning's use cases: one keyword-only function per button, one call per worker.

Each takes what the fields say (`Who`, the texts as typed), does the whole transaction, and
returns the schedule read again for the part on screen (`ScheduleResult`) with the message.
Parsing (Vecka, Veckodag, Antal veckor, the period) happens here, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.appointment_book import SlotLine, day_book
from pasis_tui.core.booking import BookedLine, active_bookings
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.models import ResourceKind as ResourceKind  # for the screen's Plattschema
from pasis_tui.core.parse import parse_date, parse_int, required
from pasis_tui.core.schedule_changes import change_laid_day, day_ids_in_period, remove_laid_days
from pasis_tui.core.schedule_laying import (
    LayResult,
    count_text,
    extend_schedule,
    lay_preliminary,
    lay_week_template,
    preliminary_day_ids,
    remove_preliminary,
)
from pasis_tui.core.scheduling import (
    DAY_UNKNOWN,
    WEEKS_COUNT,
    Choices,
    LaidDay,
    ScheduleView,
    find_resource,
    parse_weekdays,
    parse_weeks,
    read_schedule,
    schedule_choices,
    week_warnings,
)

#: How far 1 Översikt lists laid days from From datum (read only when that tab is shown).
OVERVIEW_DAYS = 182
PRELIMINARY_EMPTY = "Det preliminära schemat är redan tomt"
NOTHING_REMOVED = "Inget togs bort"
SHOWN_BOOKINGS = 8
DATE_EXAMPLE = "{label}: ogiltigt datum (t.ex. {today:%Y-%m-%d})"


def days_text(count: int) -> str:
    return count_text(count, "dag", "dagar")


@dataclass(frozen=True)
class Who:
    """Whose schedule, from which day, and how many days the view on screen shows."""

    signature: str
    from_text: str = ""
    kind: models.ResourceKind = models.ResourceKind.CAREGIVER
    days: int = 35

    def from_date(self, ctx: WorkContext) -> dt.date:
        today = ctx.clock.now().date()
        return dated(self.from_text, field="from_date", label="From datum", today=today) or today


def dated(text: str, *, field: str, label: str, today: dt.date) -> dt.date | None:
    """A date field; refused as `From datum: ogiltigt datum (t.ex. 2026-03-02)`, the example
    being the application's date."""
    try:
        return parse_date(text, field=field)
    except PasisError:
        raise PasisError(DATE_EXAMPLE.format(label=label, today=today), field=field) from None


@dataclass(frozen=True)
class ScheduleResult:
    view: ScheduleView
    message: str
    #: The chosen laid day is gone (removed): the screen clears "Välj dagmall från schemat".
    day_removed: bool = False
    #: Nothing was written: the screen asks this and lays again with `confirmed=True`.
    question: str = ""


@dataclass(frozen=True)
class LayRequest:
    """Dagmall or Veckomall as typed."""

    week_template: bool
    weeks_text: str
    weekdays_text: str = ""
    template_code: str = ""
    per_day: Mapping[int, str] | None = None  # Veckomall: weekday → template code
    clinic_code: str = ""
    letter_code: str = ""
    include_red_days: bool = False


@dataclass(frozen=True)
class RemovalCheck:
    """What Ta bort / Ta bort period would remove, the booked slots in it, and the question."""

    day_ids: tuple[int, ...]
    booking_ids: tuple[int, ...]
    question: str


def _resource_id(session: Session, ctx: WorkContext, who: Who) -> int:
    resource = find_resource(
        session,
        unit_id=ctx.unit.id,
        signature=who.signature,
        kind=who.kind,  # type: ignore[arg-type]
    )
    assert resource.id is not None
    return resource.id


def _view(session: Session, ctx: WorkContext, who: Who, days: int) -> ScheduleView:
    return read_schedule(
        session,
        unit_id=ctx.unit.id,
        signature=who.signature,
        from_date=who.from_date(ctx),
        days=days,
        kind=who.kind,
    )


def choices(*, ctx: WorkContext) -> Choices:
    """The published templates, clinics and letter templates the Selects offer."""
    with ctx.read() as session:
        return schedule_choices(session, unit_id=ctx.unit.id)


def read_view(*, ctx: WorkContext, who: Who, message: str = "") -> ScheduleResult:
    """`Läs`: the days the grid shows (Månad, Vecka or Arbetsvecka), nothing more."""
    with ctx.read() as session:
        view = _view(session, ctx, who, who.days)
    return ScheduleResult(view, message or f"{view.signature} {view.name}: schemat är läst")


@dataclass(frozen=True)
class DayDetail:
    """One day of the calendar in full: the templates laid on it and its slots with bookings."""

    day: dt.date
    signature: str
    name: str
    red_day: str
    laid: tuple[LaidDay, ...]
    slots: tuple[SlotLine, ...]

    @property
    def booked(self) -> int:
        return sum(slot.booked for slot in self.slots)


def day_detail(*, ctx: WorkContext, who: Who, day: dt.date) -> DayDetail:
    """Enter on a day of the SP 272 calendar: its templates (times, mottagning, brevmall,
    preliminary or published) and its slots with the booked patients."""
    with ctx.read() as session:
        view = read_schedule(
            session,
            unit_id=ctx.unit.id,
            signature=who.signature,
            from_date=day,
            days=7,
            kind=who.kind,
        )
        slots = day_book(session, caregiver_id=view.resource_id, day=day)
    return DayDetail(
        day=day,
        signature=view.signature,
        name=view.name,
        red_day=view.red_days.get(day, ""),
        laid=tuple(view.days.get(day, [])),
        slots=tuple(slots),
    )


def read_overview(*, ctx: WorkContext, who: Who) -> ScheduleView:
    """1 Översikt: the laid days of half a year from From datum."""
    with ctx.read() as session:
        return _view(session, ctx, who, OVERVIEW_DAYS)


def _after(ctx: WorkContext, who: Who, message: str, *, removed: bool = False) -> ScheduleResult:
    result = read_view(ctx=ctx, who=who, message=message)
    return ScheduleResult(result.view, result.message, day_removed=removed)


def _day_id(text: str) -> int:
    if not text:
        raise PasisError(DAY_UNKNOWN, field="schedule_day")
    return int(text)


class _Unconfirmed(Exception):
    """Raised inside the transaction so that an unconfirmed laying is rolled back."""

    def __init__(self, question: str) -> None:
        super().__init__(question)
        self.question = question


def lay_days(
    *, ctx: WorkContext, who: Who, request: LayRequest, confirmed: bool = False
) -> ScheduleResult:
    """`Lägg in i prel. schema`: a day template on weeks × weekdays, or a week template.

    Weeks that cross the new year or lie before From datum's week are laid only once
    confirmed: until then nothing is written and the result carries the question, which names
    the first and last date, the days and the slots it would lay.
    """
    from_date = who.from_date(ctx)
    warnings = [] if confirmed else week_warnings(request.weeks_text, from_date=from_date)
    try:
        laid = _lay_request(ctx, who, request, from_date, warnings)
    except _Unconfirmed as unconfirmed:
        result = read_view(ctx=ctx, who=who, message="Inget är inlagt ännu")
        return ScheduleResult(result.view, result.message, question=unconfirmed.question)
    return _after(ctx, who, laid.message)


def _lay_request(
    ctx: WorkContext, who: Who, request: LayRequest, from_date: dt.date, warnings: list[str]
) -> LayResult:
    with ctx.write() as session:
        caregiver_id = _resource_id(session, ctx, who)
        weeks = parse_weeks(request.weeks_text, from_date=from_date)
        common: dict[str, Any] = {
            "clock": ctx.clock, "unit_id": ctx.unit.id, "caregiver_id": caregiver_id,
            "weeks": weeks, "clinic_code": request.clinic_code,
            "letter_code": request.letter_code, "include_red_days": request.include_red_days,
        }  # fmt: skip
        if request.week_template:
            laid = lay_week_template(session, templates=dict(request.per_day or {}), **common)
        else:
            weekdays = parse_weekdays(request.weekdays_text)
            laid = lay_preliminary(
                session, template_code=request.template_code, weekdays=weekdays, **common
            )
        if warnings:
            what = "; ".join(warnings)
            plan = laid.message.split(": ", 1)[-1]
            raise _Unconfirmed(f"Vecka {request.weeks_text.strip()}: {what}.\n{plan}.\n\nLägga in?")
    return laid


def remove_preliminary_day(*, ctx: WorkContext, who: Who, day_id: str) -> ScheduleResult:
    """`Ta bort dagmall`: the chosen preliminary day."""
    chosen = _day_id(day_id)
    with ctx.write() as session:
        remove_preliminary(session, schedule_day_ids=[chosen])
    return _after(ctx, who, "Dagmallen har tagits bort ur det preliminära schemat", removed=True)


def clear_preliminary(*, ctx: WorkContext, who: Who) -> ScheduleResult:
    """`Töm prel. schema` (after the question): every preliminary day of the caregiver."""
    with ctx.write() as session:
        ids = preliminary_day_ids(session, caregiver_id=_resource_id(session, ctx, who))
        if not ids:
            raise PasisError(PRELIMINARY_EMPTY)
        count = remove_preliminary(session, schedule_day_ids=ids)
    return _after(ctx, who, f"Det preliminära schemat är tömt ({days_text(count)})", removed=True)


def publish(
    *, ctx: WorkContext, who: Who, progress: Callable[[int, int], None] | None = None
) -> ScheduleResult:
    """`Publicera schema`: all or nothing; `progress(done, total)` from the worker thread."""
    from pasis_tui.core.publishing import publish_schedule

    with ctx.write() as session:
        caregiver_id = _resource_id(session, ctx, who)
        result = publish_schedule(
            session, clock=ctx.clock, caregiver_ids=[caregiver_id], progress=progress
        )
    return _after(ctx, who, result.message)


def extend(
    *, ctx: WorkContext, who: Who, weeks_text: str, include_red_days: bool
) -> ScheduleResult:
    """`Förläng`: the last published week repeated Antal veckor forward."""
    count = required(weeks_text, field="extend_weeks", label="Antal veckor")
    try:
        weeks = parse_int(count, field="extend_weeks", low=1, high=52)
    except PasisError:
        raise PasisError(WEEKS_COUNT, field="extend_weeks") from None
    assert weeks is not None
    with ctx.write() as session:
        result = extend_schedule(
            session, clock=ctx.clock, unit_id=ctx.unit.id,
            caregiver_id=_resource_id(session, ctx, who), weeks=weeks,
            include_red_days=include_red_days,
        )  # fmt: skip
    return _after(ctx, who, result.message)


def change_day(
    *, ctx: WorkContext, who: Who, day_id: str, clinic_code: str, letter_code: str
) -> ScheduleResult:
    """`Spara ändring`: another mottagning or brevmall on a laid day; bookings stay."""
    chosen = _day_id(day_id)
    with ctx.write() as session:
        change_laid_day(
            session, schedule_day_id=chosen, clinic_code=clinic_code, letter_code=letter_code
        )
    return _after(ctx, who, "Ändringen är sparad; tiderna följer med och bokningarna ligger kvar")


def _question(day_ids: Sequence[int], booked: Sequence[BookedLine], what: str) -> str:
    if not booked:
        return f"Ta bort {days_text(len(day_ids))} ({what}) ur schemat?"
    shown = "\n".join(f"  {line.text}" for line in booked[:SHOWN_BOOKINGS])
    more = len(booked) - SHOWN_BOOKINGS
    tail = f"\n  … och {more} till" if more > 0 else ""
    return (
        f"{count_text(len(booked), 'bokad tid', 'bokade tider')} finns i {what}:\n{shown}{tail}\n\n"
        f"Avboka dem (patienterna meddelas i 1177) och ta bort {days_text(len(day_ids))}?"
    )


def check_day_removal(*, ctx: WorkContext, day_id: str) -> RemovalCheck:
    """`Ta bort`: the chosen day, its booked slots and the question to ask first."""
    chosen = _day_id(day_id)
    with ctx.read() as session:
        booked = active_bookings(session, schedule_day_ids=[chosen])
    ids = tuple(line.booking_id for line in booked)
    return RemovalCheck((chosen,), ids, _question([chosen], booked, "den valda dagen"))


def check_period_removal(
    *, ctx: WorkContext, who: Who, first_text: str, last_text: str
) -> RemovalCheck:
    """`Ta bort period`: the published days in the period, their bookings and the question."""
    today = ctx.clock.now().date()
    first = dated(first_text, field="period_from", label="Period from", today=today)
    last = dated(last_text, field="period_to", label="Period tom", today=today)
    if first is None:
        raise PasisError("Period from måste fyllas i", field="period_from")
    if last is None:
        raise PasisError("Period tom måste fyllas i", field="period_to")
    with ctx.read() as session:
        caregiver_id = _resource_id(session, ctx, who)
        day_ids = day_ids_in_period(session, caregiver_id=caregiver_id, first=first, last=last)
        booked = active_bookings(session, schedule_day_ids=day_ids)
    what = f"perioden {first_text} – {last_text}"
    ids = tuple(line.booking_id for line in booked)
    return RemovalCheck(tuple(day_ids), ids, _question(day_ids, booked, what))


def remove_days(*, ctx: WorkContext, who: Who, check: RemovalCheck) -> ScheduleResult:
    """After Ja: the days go, and the bookings the question listed are cancelled."""
    with ctx.write() as session:
        count = remove_laid_days(
            session, clock=ctx.clock, schedule_day_ids=list(check.day_ids),
            confirmed_booking_ids=list(check.booking_ids),
        )  # fmt: skip
    bookings = count_text(len(check.booking_ids), "bokning", "bokningar")
    cancelled = f"; {bookings} avbokades" if check.booking_ids else ""
    return _after(ctx, who, f"{days_text(count)} togs bort ur schemat{cancelled}", removed=True)
