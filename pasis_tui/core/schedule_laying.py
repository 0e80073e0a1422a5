"""SP 272: laying published day templates into the preliminary schedule (seed 4.1.1).

Dagmall (one template on weeks × weekdays), Veckomall (a template per weekday) and Förlängning
(repeat the last published week); red days are skipped unless chosen, and the skipped days are
listed. Days in the past are refused: a clinic does not lay bookable time that has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import count_text as count_text
from pasis_tui.core.scheduling import (
    DAY_UNKNOWN,
    NO_PUBLISHED,
    NOTHING_LAID,
    OVERLAP,
    PAST_DAYS,
    TEMPLATE_OUTSIDE,
    WEEKDAYS_INVALID,
    WEEKS_COUNT,
    LaidTemplate,
    days_text,
    find_clinic,
    find_letter,
    laid_days,
    published_template,
    red_days,
    week_days,
)

# ------------------------------------------------------------------------------------------------
# Laying templates into the preliminary schedule


@dataclass(frozen=True)
class LayResult:
    laid: list[dt.date]
    skipped_red_days: list[tuple[dt.date, str]] = field(default_factory=list)
    heading: str = "Dagmall har lagts till"
    #: The slots (tider) the laid days give once published.
    slots: int = 0

    @property
    def message(self) -> str:
        """`Dagmall har lagts till: 10 dagar, 2026-03-16 – 2026-03-27, 80 tider`."""
        text = f"{self.heading}: {count_text(len(self.laid), 'dag', 'dagar')}"
        if self.laid:
            first, last = min(self.laid), max(self.laid)
            span = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
            text += f", {span}, {count_text(self.slots, 'tid', 'tider')}"
        if self.skipped_red_days:
            skipped = ", ".join(f"{day:%Y-%m-%d} {name}" for day, name in self.skipped_red_days)
            text += f". Röda dagar hoppades över: {skipped}"
        return text


def lay_preliminary(
    session: Session,
    *,
    clock: Clock,
    unit_id: int,
    caregiver_id: int,
    template_code: str,
    weeks: Sequence[tuple[int, int]],
    weekdays: Sequence[int],
    clinic_code: str,
    letter_code: str,
    include_red_days: bool = False,
    allow_past: bool = False,
) -> LayResult:
    """`Lägg in i prel. schema`: one published template on weeks × weekdays (seed 4.1.1)."""
    version = published_template(
        session, unit_id=unit_id, code=template_code, field="template_code"
    )
    plan = [(day, version) for day in week_days(weeks, weekdays)]
    return _lay(
        session,
        clock=clock,
        unit_id=unit_id,
        caregiver_id=caregiver_id,
        plan=plan,
        clinic_code=clinic_code,
        letter_code=letter_code,
        include_red_days=include_red_days,
        allow_past=allow_past,
    )


def lay_week_template(
    session: Session,
    *,
    clock: Clock,
    unit_id: int,
    caregiver_id: int,
    templates: Mapping[int, str],
    weeks: Sequence[tuple[int, int]],
    clinic_code: str,
    letter_code: str,
    include_red_days: bool = False,
) -> LayResult:
    """Veckomall: a template per weekday (0 = Måndag … 6 = Söndag) for each chosen week."""
    chosen = {day: code.strip() for day, code in templates.items() if code.strip()}
    if not chosen:
        raise PasisError("Ange en dagmall för minst en veckodag", field="weekday_0")
    versions = {
        day: published_template(session, unit_id=unit_id, code=code, field=_day_field(day))
        for day, code in chosen.items()
    }
    plan = [(day, versions[day.weekday()]) for day in week_days(weeks, versions)]
    return _lay(
        session,
        clock=clock,
        unit_id=unit_id,
        caregiver_id=caregiver_id,
        plan=plan,
        clinic_code=clinic_code,
        letter_code=letter_code,
        include_red_days=include_red_days,
    )


def _day_field(weekday: int) -> str:
    return f"weekday_{weekday}"


def extend_schedule(
    session: Session,
    *,
    clock: Clock,
    unit_id: int,
    caregiver_id: int,
    weeks: int,
    include_red_days: bool = False,
) -> LayResult:
    """Förlängning: repeat the schedule's pattern (which template, mottagning and brevmall on
    which weekday) for N weeks after the last published week.

    The pattern is the last published week; a weekday that week lacks because it was a red day
    is taken from the latest earlier week that has it (HAN's week 18 without Första maj still
    gives Fridays). Red days in the new weeks are skipped and listed, unless chosen, as when
    laying.
    """
    if not 1 <= weeks <= 52:
        raise PasisError(WEEKS_COUNT, field="extend_weeks")
    last = session.exec(
        select(func.max(models.ScheduleDay.day)).where(
            models.ScheduleDay.caregiver_id == caregiver_id,
            models.ScheduleDay.status == models.ScheduleStatus.PUBLISHED,
        )
    ).one()
    if last is None:
        raise PasisError(NO_PUBLISHED, field="extend_weeks")
    monday = last - dt.timedelta(days=last.weekday())
    pattern = _week_pattern(session, caregiver_id=caregiver_id, monday=monday)
    result = LayResult(laid=[], heading="Förlängningen är inlagd")
    groups: dict[tuple[int, int], list[tuple[dt.date, LaidTemplate]]] = {}
    versions: dict[str, LaidTemplate] = {}
    for weekday, row, code in pattern:
        if code not in versions:
            versions[code] = published_template(
                session, unit_id=unit_id, code=code, field="extend_weeks"
            )
        for week in range(1, weeks + 1):
            day = monday + dt.timedelta(days=weekday, weeks=week)
            groups.setdefault((row.clinic_id, row.letter_template_id), []).append(
                (day, versions[code])
            )
    slots = 0
    for (clinic_id, letter_id), plan in groups.items():
        clinic = session.get(models.Clinic, clinic_id)
        letter = session.get(models.LetterTemplate, letter_id)
        assert clinic is not None and letter is not None
        part = _lay(
            session,
            clock=clock,
            unit_id=unit_id,
            caregiver_id=caregiver_id,
            plan=sorted(plan, key=lambda item: item[0]),
            clinic_code=clinic.code,
            letter_code=letter.code,
            include_red_days=include_red_days,
            allow_empty=True,
        )
        result.laid.extend(part.laid)
        result.skipped_red_days.extend(part.skipped_red_days)
        slots += part.slots
    result.laid.sort()
    result.skipped_red_days.sort()
    return LayResult(result.laid, result.skipped_red_days, result.heading, slots)


#: How many weeks before the last one Förlängning looks for a weekday lost to a red day.
PATTERN_LOOKBACK_WEEKS = 8


def _week_pattern(
    session: Session, *, caregiver_id: int, monday: dt.date
) -> list[tuple[int, models.ScheduleDay, str]]:
    """(weekday, laid day, template code) of the week from `monday`; a weekday missing from it
    on a red day comes from the latest earlier published week that has that weekday."""
    first = monday - dt.timedelta(weeks=PATTERN_LOOKBACK_WEEKS)
    rows = session.exec(
        select(models.ScheduleDay, models.DayTemplate.code)
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.id) == models.ScheduleDay.template_version_id,
        )
        .join(
            models.DayTemplate,
            col(models.DayTemplate.id) == models.DayTemplateVersion.template_id,
        )
        .where(
            models.ScheduleDay.caregiver_id == caregiver_id,
            models.ScheduleDay.status == models.ScheduleStatus.PUBLISHED,
            col(models.ScheduleDay.day).between(first, monday + dt.timedelta(days=6)),
        )
        .order_by(col(models.ScheduleDay.day).desc())
    ).all()
    by_day: dict[dt.date, list[tuple[models.ScheduleDay, str]]] = {}
    for row, code in rows:
        by_day.setdefault(row.day, []).append((row, code))
    red = red_days(monday, monday + dt.timedelta(days=6))
    pattern: list[tuple[int, models.ScheduleDay, str]] = []
    for weekday in range(7):
        day = monday + dt.timedelta(days=weekday)
        source = by_day.get(day)
        if source is None and day in red:
            earlier = sorted(d for d in by_day if d < monday and d.weekday() == weekday)
            source = by_day[earlier[-1]] if earlier else None
        pattern.extend((weekday, row, code) for row, code in source or [])
    return pattern


def _lay(
    session: Session,
    *,
    clock: Clock,
    unit_id: int,
    caregiver_id: int,
    plan: list[tuple[dt.date, LaidTemplate]],
    clinic_code: str,
    letter_code: str,
    include_red_days: bool,
    allow_past: bool = False,
    allow_empty: bool = False,
) -> LayResult:
    clinic = find_clinic(session, unit_id=unit_id, code=clinic_code, field="clinic")
    letter = find_letter(session, unit_id=unit_id, code=letter_code, field="letter_template")
    if not plan:
        if allow_empty:
            return LayResult(laid=[])
        raise PasisError(WEEKDAYS_INVALID.format(text="(inga dagar)"), field="weekdays")
    first, last = plan[0][0], plan[-1][0]
    today = clock.now().date()
    past = [day for day, _ in plan if day < today]
    if past and not allow_past:
        raise PasisError(PAST_DAYS.format(days=days_text(past)), field="weeks")
    for day, version in plan:
        if not version.valid_from <= day <= version.valid_to:
            raise PasisError(
                TEMPLATE_OUTSIDE.format(
                    code=version.code, first=version.valid_from, last=version.valid_to, day=day
                ),
                field="weeks",
            )
    red = red_days(first, last)
    skipped = [(day, red[day]) for day, _ in plan if day in red and not include_red_days]
    chosen = [(day, version) for day, version in plan if include_red_days or day not in red]
    if not chosen:
        if allow_empty:
            return LayResult(laid=[], skipped_red_days=skipped)
        raise PasisError(
            NOTHING_LAID.format(days=days_text([d for d, _ in skipped])), field="weeks"
        )
    existing = laid_days(session, caregiver_id=caregiver_id, first=first, last=last)
    taken: dict[dt.date, list[tuple[str, dt.time, dt.time]]] = {
        day: [(laid.template_code, laid.start, laid.end) for laid in laid_list]
        for day, laid_list in existing.items()
    }
    for day, version in chosen:
        for code, start, end in taken.get(day, []):
            if start < version.end and version.start < end:
                raise PasisError(
                    OVERLAP.format(day=day, code=code, start=f"{start:%H:%M}", end=f"{end:%H:%M}"),
                    field="weeks",
                )
        taken.setdefault(day, []).append((version.code, version.start, version.end))
    for day, version in chosen:
        session.add(
            models.ScheduleDay(
                unit_id=unit_id,
                caregiver_id=caregiver_id,
                day=day,
                template_version_id=version.id,
                clinic_id=clinic.id,  # type: ignore[arg-type]
                letter_template_id=letter.id,  # type: ignore[arg-type]
            )
        )
    session.flush()
    return LayResult(
        laid=[day for day, _ in chosen],
        skipped_red_days=skipped,
        slots=sum(version.slots for _, version in chosen),
    )


def remove_preliminary(session: Session, *, schedule_day_ids: Sequence[int]) -> int:
    """`Ta bort dagmall` / `Töm prel. schema`: preliminary days only; published ones stay."""
    if not schedule_day_ids:
        raise PasisError(DAY_UNKNOWN, field="schedule_day")
    rows = session.exec(
        select(models.ScheduleDay).where(col(models.ScheduleDay.id).in_(schedule_day_ids))
    ).all()
    removed = 0
    for row in rows:
        if row.status == models.ScheduleStatus.PRELIMINARY:
            session.delete(row)
            removed += 1
    if not removed:
        raise PasisError("Bara preliminära dagar kan tas bort här", field="schedule_day")
    session.flush()
    return removed


def preliminary_day_ids(session: Session, *, caregiver_id: int) -> list[int]:
    query = select(models.ScheduleDay.id).where(
        models.ScheduleDay.caregiver_id == caregiver_id,
        models.ScheduleDay.status == models.ScheduleStatus.PRELIMINARY,
    )
    return [day_id for day_id in session.exec(query).all() if day_id is not None]
