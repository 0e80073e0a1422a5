"""SP 270 Dagmallar: the Arbetskopia, its rows, publishing, new working copies (seed 3.1, 3.3).

A day template (code per unit) has versions. At most one is the Arbetskopia (editable); publishing
it makes it the Publicerad version (read-only) and the earlier published one Ersatt. Days already
laid in a schedule point at the version they were laid with, so they keep its slots (seed 3:
"ändringarna slår inte igenom i redan lagt schema").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pasis_tui.core import models
from pasis_tui.core.activities import find_activity
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.day_view import RESOLUTIONS
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_code, parse_date, parse_int, parse_time, required
from pasis_tui.core.slot_pattern import PatternRow, PatternSlot, check_row_times, slot_pattern

Status = models.TemplateStatus

LEVELS: dict[int, str] = {
    0: "0 - Ingen 1177-koppling",
    1: "1 - visas",
    2: "2 - avbokningsbar",
    3: "3 - ombokningsbar",
    4: "4 - bokningsbar",
}

TEMPLATE_EXISTS = "Dagmallen {code} finns redan – tryck Läs annan för att läsa den"
TEMPLATE_UNKNOWN = "Dagmallen finns inte"
PUBLISHED_READ_ONLY = "Dagmallen är publicerad och kan inte ändras – tryck Skapa ny arbetskopia"
WORKING_EXISTS = "Dagmallen {code} har redan en arbetskopia"
NOTHING_PUBLISHED = "Dagmallen {code} har ingen publicerad version att kopiera"
PUBLISH_EMPTY = "Arbetskopian har inga aktiviteter att publicera"
DATES_ORDER = "From datum måste vara före eller lika med Tom datum"
RESOLUTION_UNKNOWN = "Upplösning: välj högsta, näst högsta eller lägsta"
ACTIVITY_UNKNOWN = "Aktiviteten {code} finns inte på enheten"
ACTIVITY_NOT_VALID = "Aktiviteten {code} gäller inte under dagmallens period"
OVERLAP = "Tiden {start}–{end} överlappar {code} {other_start}–{other_end}"
LEVEL_NOT_BOOKABLE = (
    "1177-nivå {level} kräver aktivitetstyp Bokningsbar tid, Grupptid eller Telefontid"
)
LEVEL_NOT_ZERO = "Aktivitetstyp Ej bokningsbar tid har alltid 1177-nivå 0"
ROW_UNKNOWN = "Aktivitetsraden finns inte längre"
SEATS_RANGE = "Antal platser: skriv ett heltal 1–{high} (tomt = 1)"
SEATS_ONLY_GROUP = (
    "Endast aktivitetstyp Grupptid kan ha flera platser – lämna Antal platser tomt eller skriv 1"
)
MAX_SEATS = 99
USED_IN_SCHEDULE = "Dagmallen {code} används i lagt schema ({days} dagar) och kan inte tas bort"

#: The longest Orsak a template row takes (the field shows it; longer is refused, never cut).
REASON_MAX = 40
VISIT_LENGTH_INVALID = "Besökslängd: ett antal minuter 1–1440, t.ex. 15"


# --------------------------------------------------------------------------------------------
# The contract with SP 272 (scheduling)


def version_pattern(session: Session, *, version_id: int) -> list[PatternSlot]:
    """The slot pattern (start, end, activity, length, nivå) of one template version."""
    rows = session.exec(
        select(models.DayTemplateRow).where(models.DayTemplateRow.version_id == version_id)
    ).all()
    return slot_pattern(pattern_row(row) for row in rows)


def published_version(
    session: Session, *, unit_id: int, code: str
) -> models.DayTemplateVersion | None:
    """The current published version of template `code` in the unit, or None."""
    query = (
        select(models.DayTemplateVersion)
        .join(
            models.DayTemplate, col(models.DayTemplate.id) == models.DayTemplateVersion.template_id
        )
        .where(
            models.DayTemplate.unit_id == unit_id,
            models.DayTemplate.code == code.strip().upper(),
            models.DayTemplateVersion.status == Status.PUBLISHED,
        )
        .order_by(col(models.DayTemplateVersion.version_no).desc())
    )
    return session.exec(query).first()


def pattern_row(row: models.DayTemplateRow) -> PatternRow:
    return PatternRow(
        activity_id=row.activity_id,
        start=row.start_time,
        end=row.end_time,
        visit_length_min=row.visit_length_min,
        level_1177=row.level_1177,
        reason=row.reason,
        seats=row.seats,
    )


# --------------------------------------------------------------------------------------------
# Finding


def find_template(session: Session, *, unit_id: int, code: str) -> models.DayTemplate | None:
    query = select(models.DayTemplate).where(
        models.DayTemplate.unit_id == unit_id, models.DayTemplate.code == code
    )
    return session.exec(query).first()


def template_versions(session: Session, template_id: int) -> list[models.DayTemplateVersion]:
    query = select(models.DayTemplateVersion).where(
        models.DayTemplateVersion.template_id == template_id
    )
    return list(session.exec(query.order_by(col(models.DayTemplateVersion.version_no))).all())


# --------------------------------------------------------------------------------------------
# Grundinformation, publishing and working copies


@dataclass(frozen=True)
class BasicsForm:
    """Grundinformation as typed."""

    code: str
    name: str
    fixed: bool = True
    overbookings: str = ""
    valid_from: str = ""
    valid_to: str = ""
    resolution: str = "näst högsta"
    from_time: str = ""


def _parse_basics(form: BasicsForm) -> dict[str, object]:
    name = required(form.name, field="name", label="Namn")
    if len(name) > 40:
        raise PasisError("Namn får vara högst 40 tecken", field="name")
    overbookings = parse_int(
        form.overbookings,
        field="overbookings",
        low=0,
        high=999,
        default=999,
        label="Antal överbokningar",
    )
    valid_from = parse_date(form.valid_from, field="valid_from", default=models.FIRST_DATE)
    valid_to = parse_date(form.valid_to, field="valid_to", default=models.LAST_DATE)
    assert valid_from is not None and valid_to is not None
    if valid_from > valid_to:
        raise PasisError(DATES_ORDER, field="valid_to")
    resolution = form.resolution.strip() or "näst högsta"
    if resolution not in RESOLUTIONS:
        raise PasisError(RESOLUTION_UNKNOWN, field="resolution")
    from_time = parse_time(form.from_time, field="from_time", default=dt.time(8, 0))
    return {
        "name": name,
        "fixed": form.fixed,
        "overbookings": overbookings,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "resolution": resolution,
        "from_time": from_time,
    }


def _editable(session: Session, version_id: int) -> models.DayTemplateVersion:
    version = session.get(models.DayTemplateVersion, version_id)
    if version is None:
        raise PasisError(TEMPLATE_UNKNOWN, field="template_code")
    if version.status != Status.WORKING:
        raise PasisError(PUBLISHED_READ_ONLY, field="template_code")
    return version


def save_basics(
    session: Session, *, unit_id: int, form: BasicsForm, version_id: int | None = None
) -> models.DayTemplateVersion:
    """`Spara grundinformation`: create the Arbetskopia (new code) or update it."""
    code = parse_code(form.code, field="template_code")
    values = _parse_basics(form)
    if version_id is None:
        if find_template(session, unit_id=unit_id, code=code) is not None:
            raise PasisError(TEMPLATE_EXISTS.format(code=code), field="template_code")
        template = models.DayTemplate(unit_id=unit_id, code=code)
        session.add(template)
        try:
            session.flush()
        except IntegrityError:  # saved by someone else a moment ago: the database guards it
            raise PasisError(TEMPLATE_EXISTS.format(code=code), field="template_code") from None
        assert template.id is not None
        version = models.DayTemplateVersion(template_id=template.id, version_no=1, **values)  # type: ignore[arg-type]
        session.add(version)
    else:
        version = _editable(session, version_id)
        for key, value in values.items():
            setattr(version, key, value)
    session.flush()
    return version


def publish(session: Session, *, version_id: int) -> models.DayTemplateVersion:
    """`Publicera`: the working copy becomes the published version; the earlier one Ersatt."""
    version = _editable(session, version_id)
    count = session.exec(
        select(func.count())
        .select_from(models.DayTemplateRow)
        .where(models.DayTemplateRow.version_id == version_id)
    ).one()
    if not count:
        raise PasisError(PUBLISH_EMPTY, field="template_code")
    for other in template_versions(session, version.template_id):
        if other.status == Status.PUBLISHED:
            other.status = Status.RETIRED
            session.add(other)
    session.flush()
    clock: Clock | None = session.info.get("clock")
    version.status = Status.PUBLISHED
    version.published_at = utc_naive(clock.now()) if clock else None
    version.published_by = session.info.get("user") or None
    session.add(version)
    session.flush()
    return version


def new_working_copy(session: Session, *, template_id: int) -> models.DayTemplateVersion:
    """`Skapa ny arbetskopia`: copy the published version into a new Arbetskopia."""
    template = session.get(models.DayTemplate, template_id)
    if template is None:
        raise PasisError(TEMPLATE_UNKNOWN, field="template_code")
    versions = template_versions(session, template_id)
    if any(v.status == Status.WORKING for v in versions):
        raise PasisError(WORKING_EXISTS.format(code=template.code), field="template_code")
    published = [v for v in versions if v.status == Status.PUBLISHED]
    if not published:
        raise PasisError(NOTHING_PUBLISHED.format(code=template.code), field="template_code")
    source = published[-1]
    copy = models.DayTemplateVersion(
        template_id=template_id,
        version_no=max(v.version_no for v in versions) + 1,
        **models.DayTemplateVersionBase.model_validate(source).model_dump(),
    )
    session.add(copy)
    session.flush()
    assert copy.id is not None
    rows = session.exec(
        select(models.DayTemplateRow).where(models.DayTemplateRow.version_id == source.id)
    ).all()
    for row in rows:
        values = models.DayTemplateRowBase.model_validate(row).model_dump()
        session.add(models.DayTemplateRow(version_id=copy.id, **values))
    session.flush()
    return copy


def delete_template(session: Session, *, template_id: int) -> None:
    """`Ta bort Dagmall`: every version and row; refused while a schedule day uses a version."""
    template = session.get(models.DayTemplate, template_id)
    if template is None:
        raise PasisError(TEMPLATE_UNKNOWN, field="template_code")
    ids = [v.id for v in template_versions(session, template_id)]
    days = session.exec(
        select(func.count())
        .select_from(models.ScheduleDay)
        .where(col(models.ScheduleDay.template_version_id).in_(ids))
    ).one()
    slots = session.exec(
        select(func.count())
        .select_from(models.Slot)
        .where(col(models.Slot.template_version_id).in_(ids))
    ).one()
    if days or slots:
        raise PasisError(
            USED_IN_SCHEDULE.format(code=template.code, days=days), field="template_code"
        )
    for version_id in ids:
        _delete_rows(session, version_id)
    for version in template_versions(session, template_id):
        session.delete(version)
    session.flush()
    session.delete(template)
    session.flush()


# --------------------------------------------------------------------------------------------
# Lägg till/Ändra aktivitet


@dataclass(frozen=True)
class RowForm:
    """A 'Lägg till/Ändra aktivitet' row as typed."""

    activity_code: str
    start: str
    end: str
    visit_length: str = ""
    reason: str = ""
    level: str = "0"
    seats: str = ""  # Antal platser; empty = 1


def seats_allowed(activity_type: str | None) -> bool:
    """Whether a row of this activity type may have more than one place (seed 3.2: Grupptid)."""
    return activity_type == models.ActivityType.GROUP


def _parse_seats(text: str, activity: models.Activity) -> int:
    value = text.strip()
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_SEATS:
        raise PasisError(SEATS_RANGE.format(high=MAX_SEATS), field="seats")
    seats = int(value)
    if seats > 1 and not seats_allowed(activity.activity_type):
        raise PasisError(SEATS_ONLY_GROUP, field="seats")
    return seats


def save_row(
    session: Session, *, version_id: int, form: RowForm, row_id: int | None = None
) -> models.DayTemplateRow:
    """`Spara aktivitet`: add a row (or change row `row_id`) of the Arbetskopia."""
    version = _editable(session, version_id)
    template = session.get(models.DayTemplate, version.template_id)
    assert template is not None
    code = parse_code(
        required(form.activity_code, field="activity_code", label="Aktivitet"),
        field="activity_code",
    )
    activity = find_activity(session, unit_id=template.unit_id, code=code)
    if activity is None or activity.id is None:
        raise PasisError(ACTIVITY_UNKNOWN.format(code=code), field="activity_code")
    if activity.valid_to < version.valid_from or activity.valid_from > version.valid_to:
        raise PasisError(ACTIVITY_NOT_VALID.format(code=code), field="activity_code")
    start = parse_time(
        required(form.start, field="start_time", label="Starttid"), field="start_time"
    )
    end = parse_time(required(form.end, field="end_time", label="Sluttid"), field="end_time")
    assert start is not None and end is not None
    try:
        length = parse_int(form.visit_length, field="visit_length", low=1, high=1440)
    except PasisError:
        raise PasisError(VISIT_LENGTH_INVALID, field="visit_length") from None
    check_row_times(start, end, length)
    try:
        level = parse_int(form.level or "0", field="level_1177", low=0, high=4, default=0)
    except PasisError:
        raise PasisError("1177-nivå: 0–4", field="level_1177") from None
    assert level is not None
    if activity.activity_type == models.ActivityType.NOT_BOOKABLE and level:
        raise PasisError(LEVEL_NOT_ZERO, field="level_1177")
    if level >= 3 and activity.activity_type not in models.BOOKABLE_TYPES:
        raise PasisError(LEVEL_NOT_BOOKABLE.format(level=level), field="level_1177")
    seats = _parse_seats(form.seats, activity)
    reason = form.reason.strip()
    if len(reason) > REASON_MAX:
        raise PasisError(f"Orsak får vara högst {REASON_MAX} tecken", field="reason")
    _check_overlap(session, version_id=version_id, row_id=row_id, start=start, end=end)
    if row_id is None:
        row = models.DayTemplateRow(
            version_id=version_id, activity_id=activity.id, start_time=start, end_time=end
        )
    else:
        found = session.get(models.DayTemplateRow, row_id)
        if found is None or found.version_id != version_id:
            raise PasisError(ROW_UNKNOWN, field="activity_code")
        row = found
    row.activity_id = activity.id
    row.start_time, row.end_time = start, end
    row.visit_length_min = length
    row.reason = reason
    row.level_1177 = level
    row.seats = seats
    session.add(row)
    session.flush()
    return row


def _check_overlap(
    session: Session, *, version_id: int, row_id: int | None, start: dt.time, end: dt.time
) -> None:
    query = (
        select(models.DayTemplateRow, models.Activity.code)
        .join(models.Activity, col(models.Activity.id) == models.DayTemplateRow.activity_id)
        .where(
            models.DayTemplateRow.version_id == version_id,
            col(models.DayTemplateRow.start_time) < end,
            col(models.DayTemplateRow.end_time) > start,
        )
    )
    if row_id is not None:
        query = query.where(models.DayTemplateRow.id != row_id)
    clash = session.exec(query.order_by(col(models.DayTemplateRow.start_time))).first()
    if clash is not None:
        other, code = clash
        raise PasisError(
            OVERLAP.format(
                start=f"{start:%H:%M}",
                end=f"{end:%H:%M}",
                code=code,
                other_start=f"{other.start_time:%H:%M}",
                other_end=f"{other.end_time:%H:%M}",
            ),
            field="start_time",
        )


def delete_row(session: Session, *, version_id: int, row_id: int) -> None:
    """`Ta bort aktivitet`."""
    _editable(session, version_id)
    row = session.get(models.DayTemplateRow, row_id)
    if row is None or row.version_id != version_id:
        raise PasisError(ROW_UNKNOWN, field="activity_code")
    session.delete(row)
    session.flush()


def delete_all_rows(session: Session, *, version_id: int) -> int:
    """`Ta bort alla aktiviteter`; returns how many rows went."""
    _editable(session, version_id)
    return _delete_rows(session, version_id)


def _delete_rows(session: Session, version_id: int | None) -> int:
    rows = session.exec(
        select(models.DayTemplateRow).where(models.DayTemplateRow.version_id == version_id)
    ).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def create_template(
    session: Session,
    *,
    unit_id: int,
    basics: BasicsForm,
    rows: Sequence[RowForm],
    publish_it: bool = True,
) -> models.DayTemplateVersion:
    """A new template in one go, through every rule above (demo data, benchmarks, tests)."""
    version = save_basics(session, unit_id=unit_id, form=basics)
    assert version.id is not None
    for row in rows:
        save_row(session, version_id=version.id, form=row)
    return publish(session, version_id=version.id) if publish_it else version
