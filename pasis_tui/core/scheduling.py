"""SP 272 Schemaläggning: lay published day templates into a caregiver's (or a place's) schedule.

Seed 4: a published day template is laid for chosen weeks × weekdays with a Mottagning and a
Brevmall as a *preliminary* schedule; *Publicera schema* turns every preliminary day into slots in
the appointment book (all or nothing). Red days are skipped unless chosen. Changing a template
never changes days already laid: a laid day keeps the template version it was laid with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import REQUIRED, format_stamp
from pasis_tui.core.units import list_clinics

DAY_NAMES = ("Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag")

CAREGIVER_UNKNOWN = "Okänd vårdgivare {signature} på enheten"
PLACE_UNKNOWN = "Okänd plats {signature} på enheten"
CLINIC_UNKNOWN = "Okänd mottagning {code} på enheten"
LETTER_UNKNOWN = "Okänd brevmall {code} på enheten"
TEMPLATE_UNPUBLISHED = "Dagmall {code} finns inte publicerad på enheten"
TEMPLATE_EMPTY = "Dagmall {code} har inga aktiviteter"
TEMPLATE_OUTSIDE = "Dagmall {code} gäller {first}–{last}; {day} ligger utanför"
WEEKS_INVALID = "Ogiltig vecka: {text}. Skriv t.ex. 40-41 eller 40,41 (1–53)"
WEEK_MISSING = "Vecka {week} finns inte år {year}"
WEEKDAYS_EMPTY = "Veckodag måste fyllas i: välj minst en dag (←/→ och Mellanslag)"
WEEKDAYS_INVALID = "Ogiltig veckodag: {text}. Skriv Må Ti On To Fr Lö Sö eller Må-Fr"
PAST_DAYS = "Schema kan inte läggas bakåt i tiden: {days} är före dagens datum"
NOTHING_LAID = "Inga dagar att lägga in: alla valda dagar är röda dagar ({days})"
OVERLAP = "{day} har redan dagmall {code} {start}–{end} som överlappar"
NO_PRELIMINARY = "Det finns inget preliminärt schema att publicera"
PAST_PRELIMINARY = "Preliminära dagar före dagens datum kan inte publiceras: {days}"
NO_PUBLISHED = "Det finns inget publicerat schema att förlänga"
DAY_UNKNOWN = "Välj en dagmall i schemat"
BOOKED_REFUSED = "{count} finns: {first}. Borttaget görs bara om du bekräftar att de avbokas"
PERIOD_EMPTY = "Inga upplagda dagar i perioden {first}–{last}"
WEEKS_COUNT = "Antal veckor: 1–52"
#: Vårdgivare / Plats takes a signature (12) or a whole name (60): the field never cuts it.
RESOURCE_TEXT_MAX = 60

_WEEKDAY_TOKENS = {
    "må": 0, "ma": 0, "ti": 1, "on": 2, "to": 3, "fr": 4, "lö": 5, "lo": 5, "sö": 6, "so": 6,
}  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Parsing weeks and weekdays


def parse_weeks(text: str, *, from_date: dt.date) -> list[tuple[int, int]]:
    """ISO (year, week) pairs from `40-41`, `40,41` or `50-2`; the year is From datum's.

    A week number lower than From datum's week is read as next year (from week 47, `2` is next
    year's week 2), and so is the end of a range that wraps round the new year.
    """
    year, from_week, _ = from_date.isocalendar()
    parts = [part for part in re.split(r"[\s,;]+", text.strip()) if part]
    if not parts:
        raise PasisError(WEEKS_INVALID.format(text=text.strip() or "(tomt)"), field="weeks")
    result: list[tuple[int, int]] = []
    for part in parts:
        match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", part)
        if not match:
            raise PasisError(WEEKS_INVALID.format(text=part), field="weeks")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not (1 <= first <= 53 and 1 <= last <= 53):
            raise PasisError(WEEKS_INVALID.format(text=part), field="weeks")
        start_year = year if first >= from_week else year + 1
        monday = _iso_monday(start_year, first)
        end_year = start_year if last >= first else start_year + 1
        end_monday = _iso_monday(end_year, last)
        while monday <= end_monday:
            iso = monday.isocalendar()
            if (iso.year, iso.week) not in result:
                result.append((iso.year, iso.week))
            monday += dt.timedelta(weeks=1)
    return result


def week_warnings(text: str, *, from_date: dt.date) -> list[str]:
    """What a Vecka text means beyond the obvious, to be confirmed before laying: a range that
    crosses the new year (`12-11`) or weeks before From datum's week (read as next year)."""
    year, from_week, _ = from_date.isocalendar()
    warnings: list[str] = []
    for part in (part for part in re.split(r"[\s,;]+", text.strip()) if part):
        match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", part)
        if not match:
            continue
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if first < from_week:
            warnings.append(
                f"vecka {first} ligger före From datums vecka {from_week} och läses som år "
                f"{year + 1}"
            )
        elif last < first:
            warnings.append(f"vecka {part} går över årsskiftet till år {year + 1}")
    return warnings


def _iso_monday(year: int, week: int) -> dt.date:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise PasisError(WEEK_MISSING.format(week=week, year=year), field="weeks") from None


def parse_weekdays(text: str) -> list[int]:
    """Weekdays 0–6 from `Må-Fr`, `Må On Fr`, `Ti,To` (the seed's `So` is read as Sö)."""
    days: set[int] = set()
    parts = [part for part in re.split(r"[\s,;]+", text.strip().lower()) if part]
    if not parts:
        raise PasisError(WEEKDAYS_EMPTY, field="weekdays")
    for part in parts:
        ends = part.split("-")
        if len(ends) > 2 or any(end not in _WEEKDAY_TOKENS for end in ends):
            raise PasisError(WEEKDAYS_INVALID.format(text=part), field="weekdays")
        first, last = _WEEKDAY_TOKENS[ends[0]], _WEEKDAY_TOKENS[ends[-1]]
        if last < first:
            raise PasisError(WEEKDAYS_INVALID.format(text=part), field="weekdays")
        days.update(range(first, last + 1))
    return sorted(days)


def week_days(weeks: Iterable[tuple[int, int]], weekdays: Iterable[int]) -> list[dt.date]:
    """The dates of the given weekdays in the given ISO weeks, in order."""
    chosen = sorted(set(weekdays))
    return sorted(
        dt.date.fromisocalendar(year, week, day + 1) for year, week in weeks for day in chosen
    )


# ------------------------------------------------------------------------------------------------
# Red days


@lru_cache(maxsize=16)
def _red_days_of(year: int) -> dict[dt.date, str]:
    import holidays

    found = holidays.country_holidays(
        "SE",
        years=year,
        language="sv",
        include_sundays=False,
        categories=("public", "de_facto"),
    )
    return {day: str(name) for day, name in found.items()}


def preload_red_days(today: dt.date) -> None:
    """Read this year's and next year's red days ahead of need: the first use of `holidays`
    imports every country's calendar (about 0.1 s), which no screen's first read should wait for."""
    for year in (today.year, today.year + 1):
        _red_days_of(year)


def red_days(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Swedish red days (public holidays and de facto ones, e.g. Julafton) between two dates."""
    result: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        result.update(
            {day: name for day, name in _red_days_of(year).items() if first <= day <= last}
        )
    return result


# ------------------------------------------------------------------------------------------------
# Look-ups


def find_resource(
    session: Session,
    *,
    unit_id: int,
    signature: str,
    kind: models.ResourceKind | None = models.ResourceKind.CAREGIVER,
) -> models.Caregiver:
    """The caregiver (Vårdgivarschema) or place (Plattschema) with that signature on the unit;
    kind None accepts either (the appointment book)."""
    wanted = signature.strip().upper()
    place = kind == models.ResourceKind.PLACE
    message = PLACE_UNKNOWN if place else CAREGIVER_UNKNOWN
    if not wanted:
        label = "Plats" if place else "Vårdgivare"
        raise PasisError(REQUIRED.format(label=label), field="caregiver")
    found = session.exec(
        select(models.Caregiver).where(
            models.Caregiver.unit_id == unit_id,
            func.upper(models.Caregiver.signature) == wanted,
        )
    ).first()
    if found is None:  # a newcomer may type the name: taken when exactly one has it
        named = [
            resource
            for resource in session.exec(
                select(models.Caregiver).where(models.Caregiver.unit_id == unit_id)
            ).all()
            if resource.name.casefold() == signature.strip().casefold()
            and (kind is None or resource.kind == kind)
        ]
        found = named[0] if len(named) == 1 else None
    if found is None or (kind is not None and found.kind != kind):
        raise PasisError(message.format(signature=wanted), field="caregiver")
    return found


def find_clinic(session: Session, *, unit_id: int, code: str, field: str) -> models.Clinic:
    wanted = code.strip().upper()
    if not wanted:
        raise PasisError(REQUIRED.format(label="Mottagning"), field=field)
    clinic = session.exec(
        select(models.Clinic).where(
            models.Clinic.unit_id == unit_id, func.upper(models.Clinic.code) == wanted
        )
    ).first()
    if clinic is None:
        raise PasisError(CLINIC_UNKNOWN.format(code=wanted or "(tomt)"), field=field)
    return clinic


def find_letter(session: Session, *, unit_id: int, code: str, field: str) -> models.LetterTemplate:
    wanted = code.strip().upper()
    if not wanted:
        raise PasisError(REQUIRED.format(label="Brevmall"), field=field)
    letter = session.exec(
        select(models.LetterTemplate).where(
            models.LetterTemplate.unit_id == unit_id,
            models.LetterTemplate.kind == models.LetterKind.TEMPLATE,
            func.upper(models.LetterTemplate.code) == wanted,
        )
    ).first()
    if letter is None:
        raise PasisError(LETTER_UNKNOWN.format(code=wanted or "(tomt)"), field=field)
    return letter


def published_template(session: Session, *, unit_id: int, code: str, field: str) -> LaidTemplate:
    from pasis_tui.core.day_templates import published_version, version_pattern

    wanted = code.strip().upper()
    if not wanted:
        raise PasisError(REQUIRED.format(label="Dagmall"), field=field)
    version = published_version(session, unit_id=unit_id, code=wanted)
    if version is None or version.id is None:
        raise PasisError(TEMPLATE_UNPUBLISHED.format(code=wanted or "(tomt)"), field=field)
    pattern = version_pattern(session, version_id=version.id)
    if not pattern:
        raise PasisError(TEMPLATE_EMPTY.format(code=wanted), field=field)
    return LaidTemplate(
        id=version.id,
        code=wanted,
        name=version.name,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        start=min(slot.start for slot in pattern),
        end=max(slot.end for slot in pattern),
        slots=len(pattern),
    )


@dataclass(frozen=True)
class LaidTemplate:
    id: int
    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date
    start: dt.time
    end: dt.time
    #: How many slots (tider) one laid day of this version gives.
    slots: int = 0


def code_and_name(code: str, name: str) -> str:
    """A list entry `code name`, or the name alone when it already starts with the code (the
    clinic M11 is named `M11 REUM DAGSJUKVÅRD MALMÖ`; `M11 M11 REUM …` would say it twice)."""
    head = name[: len(code)]
    if code and head.upper() == code.upper() and name[len(code) : len(code) + 1] in ("", " "):
        return name
    return f"{code} {name}".strip()


@dataclass(frozen=True)
class Choices:
    """What the SP 272 lists offer: published templates, clinics and Brevmallar of the unit."""

    templates: list[tuple[str, str]]
    clinics: list[tuple[str, str]]
    letters: list[tuple[str, str]]
    caregivers: list[tuple[str, str]] = field(default_factory=list)  # signature, name
    places: list[tuple[str, str]] = field(default_factory=list)  # Plattschema's resources


def schedule_choices(session: Session, *, unit_id: int) -> Choices:
    templates = session.exec(
        select(models.DayTemplate.code, models.DayTemplateVersion.name)
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.template_id) == models.DayTemplate.id,
        )
        .where(
            models.DayTemplate.unit_id == unit_id,
            models.DayTemplateVersion.status == models.TemplateStatus.PUBLISHED,
        )
        .order_by(col(models.DayTemplate.code))
    ).all()
    letters = session.exec(
        select(models.LetterTemplate.code, models.LetterTemplate.name)
        .where(
            models.LetterTemplate.unit_id == unit_id,
            models.LetterTemplate.kind == models.LetterKind.TEMPLATE,
        )
        .order_by(col(models.LetterTemplate.code))
    ).all()
    resources = session.exec(
        select(models.Caregiver)
        .where(models.Caregiver.unit_id == unit_id)
        .order_by(col(models.Caregiver.signature))
    ).all()
    return Choices(
        templates=[(c, n) for c, n in templates],
        clinics=[(c.code, c.name) for c in list_clinics(session, unit_id=unit_id)],
        letters=[(c, n) for c, n in letters],
        caregivers=[
            (r.signature, r.name) for r in resources if r.kind == models.ResourceKind.CAREGIVER
        ],
        places=[(r.signature, r.name) for r in resources if r.kind == models.ResourceKind.PLACE],
    )


# ------------------------------------------------------------------------------------------------
# Reading a schedule


@dataclass(frozen=True)
class LaidDay:
    """A day template laid on a day of a schedule, as the grid and the forms show it."""

    id: int
    day: dt.date
    template_code: str
    template_name: str
    from_time: dt.time
    start: dt.time
    end: dt.time
    clinic_code: str
    letter_code: str
    status: models.ScheduleStatus
    created: str
    changed: str

    @property
    def preliminary(self) -> bool:
        return self.status == models.ScheduleStatus.PRELIMINARY

    @property
    def label(self) -> str:
        """`10:00 ÖK Öppen kallelse`: the real first start time, the code that tells two
        templates apart, and the name (the grid cuts it to fit)."""
        return f"{self.start:%H:%M} {self.template_code} {self.template_name}"


@dataclass(frozen=True)
class ScheduleView:
    resource_id: int
    signature: str
    name: str
    first: dt.date
    last: dt.date
    days: dict[dt.date, list[LaidDay]]
    red_days: dict[dt.date, str]

    @property
    def preliminary_count(self) -> int:
        return sum(1 for laid in self.laid() if laid.preliminary)

    @property
    def published_count(self) -> int:
        return sum(1 for laid in self.laid() if not laid.preliminary)

    def laid(self) -> list[LaidDay]:
        return [laid for day in sorted(self.days) for laid in self.days[day]]

    @property
    def stamps(self) -> tuple[str, str]:
        """The schedule's Upplagd (its first laid day's) and Ändrad (its last change), as
        `20251017 VV`; empty when nothing is laid in the view."""
        laid = self.laid()
        created = min((day.created for day in laid if day.created), default="")
        changed = max((day.changed for day in laid if day.changed), default="")
        return created, changed


def read_schedule(
    session: Session,
    *,
    unit_id: int,
    signature: str,
    from_date: dt.date,
    days: int = 35,
    kind: models.ResourceKind = models.ResourceKind.CAREGIVER,
) -> ScheduleView:
    """Vårdgivarschema/Plattschema from the Monday of From datum's week, `days` days long."""
    resource = find_resource(session, unit_id=unit_id, signature=signature, kind=kind)
    assert resource.id is not None
    first = from_date - dt.timedelta(days=from_date.weekday())
    last = first + dt.timedelta(days=days - 1)
    return ScheduleView(
        resource_id=resource.id,
        signature=resource.signature,
        name=resource.name,
        first=first,
        last=last,
        days=laid_days(session, caregiver_id=resource.id, first=first, last=last),
        red_days=red_days(first, last),
    )


def laid_days(
    session: Session, *, caregiver_id: int, first: dt.date, last: dt.date
) -> dict[dt.date, list[LaidDay]]:
    """Every laid day of a caregiver between two dates, by date, in time order."""
    query = (
        select(  # type: ignore[call-overload]
            models.ScheduleDay,
            models.DayTemplate.code,
            models.DayTemplateVersion,
            models.Clinic.code,
            models.LetterTemplate.code,
        )
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.id) == models.ScheduleDay.template_version_id,
        )
        .join(
            models.DayTemplate,
            col(models.DayTemplate.id) == models.DayTemplateVersion.template_id,
        )
        .join(models.Clinic, col(models.Clinic.id) == models.ScheduleDay.clinic_id)
        .join(
            models.LetterTemplate,
            col(models.LetterTemplate.id) == models.ScheduleDay.letter_template_id,
        )
        .where(
            models.ScheduleDay.caregiver_id == caregiver_id,
            col(models.ScheduleDay.day).between(first, last),
        )
        .order_by(col(models.ScheduleDay.day), col(models.DayTemplateVersion.from_time))
    )
    result: dict[dt.date, list[LaidDay]] = {}
    spans: dict[int, tuple[dt.time, dt.time]] = {}
    for row, code, version, clinic_code, letter_code in session.exec(query).all():
        assert row.id is not None and version.id is not None
        if version.id not in spans:
            spans[version.id] = _span(session, version.id)
        start, end = spans[version.id]
        result.setdefault(row.day, []).append(
            LaidDay(
                id=row.id,
                day=row.day,
                template_code=code,
                template_name=version.name,
                from_time=version.from_time,
                start=start,
                end=end,
                clinic_code=clinic_code,
                letter_code=letter_code,
                status=models.ScheduleStatus(row.status),
                created=format_stamp(row.created_at, row.created_by),
                changed=format_stamp(row.updated_at, row.updated_by),
            )
        )
    return result


def _span(session: Session, version_id: int) -> tuple[dt.time, dt.time]:
    from pasis_tui.core.day_templates import version_pattern

    pattern = version_pattern(session, version_id=version_id)
    if not pattern:
        return dt.time(0, 0), dt.time(0, 0)
    return min(s.start for s in pattern), max(s.end for s in pattern)


def days_text(days: Sequence[dt.date], limit: int = 4) -> str:
    shown = ", ".join(f"{day:%Y-%m-%d}" for day in days[:limit])
    return shown + (f" … ({len(days)} dagar)" if len(days) > limit else "")
