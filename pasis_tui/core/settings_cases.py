"""SP 177 "1177 Inställning tidbok" use cases: one keyword-only function per button.

The screen names the clinic by its code (empty: the whole unit); the four values travel as the
text typed, and 0 or empty means the default, which every record and note says in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paging import PAGE_SIZE, Page, count_rows
from pasis_tui.core.parse import format_date, format_stamp, parse_date
from pasis_tui.core.settings_1177 import (
    _DEFAULTS,
    RANGES,
    SettingsForm,
    delete_settings,
    save_settings,
)

VALUE_NAMES = tuple(_DEFAULTS)
CLINIC_UNKNOWN = "Avdelning/Mottagning {code} finns inte i enheten"
NEW = "Nyuppläggning"
READ_FIRST = "Läs först fram inställningen som ska tas bort"
WHOLE_UNIT = "(hela enheten)"
UNITS = {
    "searchable_weeks": ("vecka", "veckor"),
    "patient_rebookings": ("ombokning", "ombokningar"),
    "rebook_limit_hours": ("timme", "timmar"),
    "cancel_limit_hours": ("timme", "timmar"),
}


def _amount(name: str, value: int) -> str:
    one, many = UNITS[name]
    return f"{value} {one if value == 1 else many}"


def value_note(name: str, text: str) -> str:
    """What SP 177 says beside a value as typed: "tomt = 8 veckor (standard)" for 0 or empty."""
    low, high = RANGES[name]
    default = f"tomt = {_amount(name, _DEFAULTS[name])} (standard)"
    value = text.strip()
    if not value or value.lstrip("0") == "":
        return f"{default}  [{low}–{high}]"
    if value.isdigit() and low <= int(value) <= high:
        return f"{_amount(name, int(value))}  [{low}–{high}; {default}]"
    return f"tillåtet {low}–{high}; {default}"


@dataclass(frozen=True)
class SettingsRecord:
    """One row as Registrering shows it: a value 0 (the default) is shown empty."""

    id: int
    clinic_code: str
    clinic_name: str
    valid_from: str
    valid_to: str
    searchable_weeks: str
    patient_rebookings: str
    rebook_limit_hours: str
    cancel_limit_hours: str
    notes: tuple[tuple[str, str], ...]  # (value name, "tomt = 8 veckor (standard)" …)
    created: str
    changed: str


@dataclass(frozen=True)
class SettingsLine:
    """One line of 1 Översikt; a default value reads "8 std"."""

    id: int
    clinic_code: str
    clinic_name: str
    valid_from: str
    valid_to: str
    values: tuple[str, ...]  # in VALUE_NAMES order


@dataclass(frozen=True)
class SettingsResult:
    """What Läs annan, Spara and Borttag leave on screen."""

    clinic_code: str
    clinic_name: str
    record: SettingsRecord | None
    message: str
    state: str  # beside the code: Nyuppläggning or empty


def _clinic(session: Session, unit_id: int, code: str) -> models.Clinic | None:
    """The unit's clinic of `code` (None for an empty code: the whole unit)."""
    wanted = code.strip().upper()
    if not wanted:
        return None
    clinic = session.exec(
        select(models.Clinic).where(
            models.Clinic.unit_id == unit_id, func.upper(models.Clinic.code) == wanted
        )
    ).first()
    if clinic is None:
        raise PasisError(CLINIC_UNKNOWN.format(code=wanted), field="clinic_id")
    return clinic


def _shown(name: str, value: int | None) -> str:
    return str(value) if value else ""


def _record(row: models.Settings1177, clinic: models.Clinic | None) -> SettingsRecord:
    assert row.id is not None
    typed = {name: _shown(name, getattr(row, name)) for name in VALUE_NAMES}
    return SettingsRecord(
        id=row.id,
        clinic_code=clinic.code if clinic else "",
        clinic_name=clinic.name if clinic else WHOLE_UNIT,
        valid_from=format_date(row.valid_from),
        valid_to=format_date(row.valid_to),
        notes=tuple((name, value_note(name, text)) for name, text in typed.items()),
        created=format_stamp(row.created_at, row.created_by),
        changed=format_stamp(row.updated_at, row.updated_by),
        **typed,
    )


def _result(record: SettingsRecord | None, code: str, name: str, message: str) -> SettingsResult:
    return SettingsResult(
        clinic_code=code,
        clinic_name=name,
        record=record,
        message=message,
        state="" if record else NEW,
    )


def settings_page(
    *, ctx: WorkContext, offset: int = 0, limit: int = PAGE_SIZE
) -> Page[SettingsLine]:
    """1 Översikt: the unit's rows (the unit-wide ones first), by clinic and From datum."""
    query = (
        select(models.Settings1177, models.Clinic)
        .outerjoin(models.Clinic, col(models.Clinic.id) == models.Settings1177.clinic_id)
        .where(models.Settings1177.unit_id == ctx.unit.id)
    )
    with ctx.read() as session:
        total = count_rows(session, query)
        ordered = query.order_by(
            col(models.Settings1177.clinic_id).is_not(None),
            col(models.Clinic.code),
            col(models.Settings1177.valid_from),
        )
        rows = session.exec(ordered.offset(offset).limit(limit)).all()
        lines = tuple(
            SettingsLine(
                id=row.id or 0,
                clinic_code=clinic.code if clinic else "",
                clinic_name=clinic.name if clinic else WHOLE_UNIT,
                valid_from=format_date(row.valid_from),
                valid_to=format_date(row.valid_to),
                values=tuple(
                    str(getattr(row, name) or f"{_DEFAULTS[name]} std") for name in VALUE_NAMES
                ),
            )
            for row, clinic in rows
        )
    return Page(lines=lines, total=total, offset=offset)


def read_settings_record(
    *, ctx: WorkContext, clinic_code: str, settings_id: int | None = None
) -> SettingsResult:
    """`Läs annan`: one row by id, or the clinic's (unit's) row in force today, else its latest."""
    today = ctx.clock.now().date()
    with ctx.read() as session:
        if settings_id is not None:
            row = session.get(models.Settings1177, settings_id)
            if row is None or row.unit_id != ctx.unit.id:
                raise PasisError("Inställningen finns inte", field="clinic_id")
            clinic = session.get(models.Clinic, row.clinic_id) if row.clinic_id else None
        else:
            clinic = _clinic(session, ctx.unit.id, clinic_code)
            same = (
                col(models.Settings1177.clinic_id).is_(None)
                if clinic is None
                else col(models.Settings1177.clinic_id) == clinic.id
            )
            rows = session.exec(
                select(models.Settings1177)
                .where(models.Settings1177.unit_id == ctx.unit.id, same)
                .order_by(col(models.Settings1177.valid_from).desc())
            ).all()
            current = [r for r in rows if r.valid_from <= today <= r.valid_to]
            row = next(iter(current or rows), None)
        record = _record(row, clinic) if row else None
    code = clinic.code if clinic else ""
    name = clinic.name if clinic else WHOLE_UNIT
    if record is None:
        return _result(None, code, name, f"{code or 'Enheten'}: {NEW}")
    message = f"Inställningen {record.valid_from}–{record.valid_to} för {code or 'enheten'} är läst"
    return _result(record, code, name, message)


def save_settings_record(
    *, ctx: WorkContext, clinic_code: str, form: SettingsForm, settings_id: int | None
) -> SettingsResult:
    """`Spara` of the form as typed for the clinic of `clinic_code` (empty: the unit): a new
    period (settings_id None, or another From datum) or the read one changed."""
    with ctx.write() as session:
        clinic = _clinic(session, ctx.unit.id, clinic_code)
        settings_id = _same_period(session, form, settings_id)
        form = replace(form, clinic_id=clinic.id if clinic else None)
        view = save_settings(
            session=session, unit_id=ctx.unit.id, form=form, settings_id=settings_id
        )
        row = session.get(models.Settings1177, view.settings_id)
        assert row is not None
        record = _record(row, clinic)
    code = record.clinic_code
    message = (
        f"Inställningen {record.valid_from}–{record.valid_to} för {code or 'enheten'} är sparad"
    )
    return _result(record, code, record.clinic_name, message)


def _same_period(session: Session, entry: SettingsForm, settings_id: int | None) -> int | None:
    """A row is known by its clinic and From datum: another From datum is a new period."""
    if settings_id is None:
        return None
    row = session.get(models.Settings1177, settings_id)
    first = parse_date(entry.valid_from, field="valid_from", default=models.FIRST_DATE)
    return settings_id if row is not None and row.valid_from == first else None


def delete_settings_record(*, ctx: WorkContext, settings_id: int | None) -> SettingsResult:
    """`Borttag` (after the question): the row goes; the clinic falls back on the defaults."""
    if settings_id is None:
        raise PasisError(READ_FIRST, field="clinic_id")
    with ctx.write() as session:
        row = session.get(models.Settings1177, settings_id)
        clinic = session.get(models.Clinic, row.clinic_id) if row and row.clinic_id else None
        delete_settings(session=session, unit_id=ctx.unit.id, settings_id=settings_id)
    code = clinic.code if clinic else ""
    name = clinic.name if clinic else WHOLE_UNIT
    return _result(None, code, name, f"Inställningen för {code or 'enheten'} är borttagen")
