"""SP 177 "1177 Inställning tidbok": the values in force for a clinic on a day.

A clinic's own row for the day wins, then its unit's row (clinic empty), then the defaults; in
each row 0 or an empty value means "not set here" (SPEC.md, the SP 177 row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError

CLINIC_UNKNOWN = "Okänd mottagning"


@dataclass(frozen=True)
class EffectiveSettings:
    """SP 177's four values for one clinic and day, and whether each is the default."""

    searchable_weeks: int
    patient_rebookings: int
    rebook_limit_hours: int
    cancel_limit_hours: int
    defaulted: frozenset[str]


_DEFAULTS = {
    "searchable_weeks": models.DEFAULT_SEARCHABLE_WEEKS,
    "patient_rebookings": models.DEFAULT_PATIENT_REBOOKINGS,
    "rebook_limit_hours": models.DEFAULT_REBOOK_LIMIT_HOURS,
    "cancel_limit_hours": models.DEFAULT_CANCEL_LIMIT_HOURS,
}


def effective_settings(*, session: Session, clinic_id: int, day: dt.date) -> EffectiveSettings:
    """The SP 177 values in force for `clinic_id` on `day`."""
    clinic = session.get(models.Clinic, clinic_id)
    if clinic is None:
        raise PasisError(CLINIC_UNKNOWN, field="clinic")
    in_force = (
        select(models.Settings1177)
        .where(
            models.Settings1177.unit_id == clinic.unit_id,
            col(models.Settings1177.valid_from) <= day,
            col(models.Settings1177.valid_to) >= day,
        )
        .where(
            (col(models.Settings1177.clinic_id) == clinic_id)
            | col(models.Settings1177.clinic_id).is_(None)
        )
    )
    rows = session.exec(in_force).all()
    # The clinic's own row first, then the unit's (periods never overlap: at most one of each).
    rows = sorted(rows, key=lambda row: row.clinic_id is None)
    values: dict[str, int] = {}
    defaulted: set[str] = set()
    for name, default in _DEFAULTS.items():
        chosen = next((getattr(r, name) for r in rows if getattr(r, name)), None)
        if chosen is None:
            defaulted.add(name)
        values[name] = chosen or default
    return EffectiveSettings(**values, defaulted=frozenset(defaulted))


# ---------------------------------------------------------------------------------------------
# SP 177 use cases: Spara, Läs annan, Borttag, 1 Översikt

RANGES = {
    "searchable_weeks": (1, 999),
    "patient_rebookings": (1, 999),
    "rebook_limit_hours": (25, 99),
    "cancel_limit_hours": (25, 99),
}
LABELS = {
    "searchable_weeks": "Sökbara schemaveckor",
    "patient_rebookings": "Patientombokningar",
    "rebook_limit_hours": "Tidsgräns ombokning i 1177",
    "cancel_limit_hours": "Tidsgräns avbokning i 1177",
}
#: The explanations SP 177 shows beside each value (seed 6).
HELP = {
    "searchable_weeks": "Antal veckor (1-999) från dagens datum som är sökbara i 1177, default 8",
    "patient_rebookings": "Antal ombokningar (1-999) patienten får göra i 1177, default 2",
    "rebook_limit_hours": (
        "Timmar (25-99) innan vårdkontakten som patienten senast får omboka i 1177, default 24 tim"
    ),
    "cancel_limit_hours": (
        "Timmar (25-99) innan vårdkontakten som patienten senast får avboka i 1177, default 24 tim"
    ),
}
OUT_OF_RANGE = "{label}: tillåtet {low}–{high}, eller 0/tomt för standardvärdet {default}"
PERIOD_ORDER = "From datum måste vara före eller lika med Tom datum"
OVERLAP = (
    "Perioden {first}–{last} överlappar en annan period för {where} "
    "({other_first}–{other_last}). Ändra From/Tom datum"
)
SETTING_UNKNOWN = "Inställningen finns inte"
CLINIC_OF_OTHER_UNIT = "Mottagningen hör inte till enheten"


@dataclass(frozen=True)
class SettingsForm:
    """2 Registrering as typed: the four values as text (empty or 0 means the default)."""

    clinic_id: int | None
    valid_from: str = ""
    valid_to: str = ""
    searchable_weeks: str = ""
    patient_rebookings: str = ""
    rebook_limit_hours: str = ""
    cancel_limit_hours: str = ""


@dataclass(frozen=True)
class SettingsView:
    """One SP 177 row as the screen shows it; `shown` says "default N" for 0 or empty."""

    settings_id: int
    unit_id: int
    clinic_id: int | None
    clinic_label: str
    valid_from: dt.date
    valid_to: dt.date
    values: dict[str, int]  # 0 = the default
    shown: dict[str, str]
    created: str
    updated: str


def _parse_value(name: str, text: str) -> int:
    from pasis_tui.core.parse import parse_int

    low, high = RANGES[name]
    default = _DEFAULTS[name]
    message = OUT_OF_RANGE.format(label=LABELS[name], low=low, high=high, default=default)
    try:
        value = parse_int(text, field=name, low=0, high=999, default=0)
    except PasisError:
        raise PasisError(message, field=name) from None
    assert value is not None
    if value != 0 and not low <= value <= high:
        raise PasisError(message, field=name)
    return value


def shown_value(name: str, value: int | None) -> str:
    """What SP 177 shows for a value: the number, or "0 (standard 8)" for 0 or empty."""
    if not value:
        return f"0 (standard {_DEFAULTS[name]})"
    return str(value)


def _view(session: Session, row: models.Settings1177) -> SettingsView:
    from pasis_tui.core.parse import format_stamp

    assert row.id is not None
    clinic = session.get(models.Clinic, row.clinic_id) if row.clinic_id else None
    values = {name: getattr(row, name) or 0 for name in _DEFAULTS}
    return SettingsView(
        settings_id=row.id,
        unit_id=row.unit_id,
        clinic_id=row.clinic_id,
        clinic_label=clinic.name if clinic else "(hela enheten)",
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        values=values,
        shown={name: shown_value(name, value) for name, value in values.items()},
        created=format_stamp(row.created_at, row.created_by),
        updated=format_stamp(row.updated_at, row.updated_by),
    )


def save_settings(
    *, session: Session, unit_id: int, form: SettingsForm, settings_id: int | None = None
) -> SettingsView:
    """`Spara`: one unit's (clinic empty) or clinic's values for a period; periods never overlap."""
    from sqlalchemy.exc import DBAPIError

    from pasis_tui.core.parse import parse_date

    if form.clinic_id is not None:
        clinic = session.get(models.Clinic, form.clinic_id)
        if clinic is None:
            raise PasisError(CLINIC_UNKNOWN, field="clinic_id")
        if clinic.unit_id != unit_id:
            raise PasisError(CLINIC_OF_OTHER_UNIT, field="clinic_id")
    first = parse_date(form.valid_from, field="valid_from", default=models.FIRST_DATE)
    last = parse_date(form.valid_to, field="valid_to", default=models.LAST_DATE)
    assert first is not None and last is not None
    if first > last:
        raise PasisError(PERIOD_ORDER, field="valid_to")
    values = {name: _parse_value(name, getattr(form, name)) for name in _DEFAULTS}
    _refuse_overlap(session, unit_id=unit_id, form=form, first=first, last=last, own=settings_id)
    if settings_id is None:
        row = models.Settings1177(unit_id=unit_id, clinic_id=form.clinic_id)
    else:
        found = session.get(models.Settings1177, settings_id)
        if found is None or found.unit_id != unit_id:
            raise PasisError(SETTING_UNKNOWN, field="settings")
        row = found
        row.clinic_id = form.clinic_id
    row.valid_from, row.valid_to = first, last
    for name, value in values.items():
        setattr(row, name, value)
    try:
        with session.begin_nested():  # the database's own guard, for a save that raced ours
            session.add(row)
            session.flush()
    except DBAPIError:
        _refuse_overlap(
            session, unit_id=unit_id, form=form, first=first, last=last, own=settings_id
        )
        raise
    return _view(session, row)


def _refuse_overlap(
    session: Session,
    *,
    unit_id: int,
    form: SettingsForm,
    first: dt.date,
    last: dt.date,
    own: int | None,
) -> None:
    same = (
        col(models.Settings1177.clinic_id).is_(None)
        if form.clinic_id is None
        else col(models.Settings1177.clinic_id) == form.clinic_id
    )
    query = select(models.Settings1177).where(
        models.Settings1177.unit_id == unit_id,
        same,
        col(models.Settings1177.valid_from) <= last,
        col(models.Settings1177.valid_to) >= first,
    )
    if own is not None:
        query = query.where(col(models.Settings1177.id) != own)
    other = session.exec(query).first()
    if other is not None:
        clinic = session.get(models.Clinic, form.clinic_id) if form.clinic_id else None
        raise PasisError(
            OVERLAP.format(
                first=first,
                last=last,
                where=clinic.code if clinic else "enheten",
                other_first=other.valid_from,
                other_last=other.valid_to,
            ),
            field="valid_from",
        )


def read_settings(*, session: Session, settings_id: int) -> SettingsView:
    """`Läs annan`: one row by id."""
    row = session.get(models.Settings1177, settings_id)
    if row is None:
        raise PasisError(SETTING_UNKNOWN, field="settings")
    return _view(session, row)


def list_settings(*, session: Session, unit_id: int) -> list[SettingsView]:
    """1 Översikt: the unit's rows, the unit-wide ones first, then by clinic and From datum."""
    rows = session.exec(
        select(models.Settings1177).where(models.Settings1177.unit_id == unit_id)
    ).all()
    views = [_view(session, row) for row in rows]
    return sorted(views, key=lambda v: (v.clinic_id is not None, v.clinic_label, v.valid_from))


def delete_settings(*, session: Session, unit_id: int, settings_id: int) -> None:
    """`Borttag`: the row goes; the clinic falls back on the unit's row or the defaults."""
    row = session.get(models.Settings1177, settings_id)
    if row is None or row.unit_id != unit_id:
        raise PasisError(SETTING_UNKNOWN, field="settings")
    session.delete(row)
    session.flush()
