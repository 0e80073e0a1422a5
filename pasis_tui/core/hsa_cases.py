"""SP 721 HSA-mappning use cases: one keyword-only function per button or list.

A clinic (Avd/Mott) is read in 2 Basuppgifter; its periods are listed in 3 Periodiserade
uppgifter; one period is typed in 5 Registrering HSA id. The rules live in `hsa.save_mapping`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from pasis_tui.core import models
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.hsa import (
    HsaMappingLine,
    delete_mapping,
    list_mappings,
    mapping_line,
    save_mapping,
)
from pasis_tui.core.paging import PAGE_SIZE, Page, count_rows
from pasis_tui.core.parse import format_date, parse_date

CLINIC_UNKNOWN = "Avd/Mott {code} finns inte i enheten"
CLINIC_REQUIRED = "Avd/Mott måste fyllas i: läs fram mottagningen under 2 Basuppgifter"
READ_FIRST = "Läs först fram HSA-mappningen som ska tas bort"
MAPPING_UNKNOWN = "HSA-mappningen finns inte längre"
NOT_MAPPED = "saknas"
NEW = "Ny HSA-mappning"


@dataclass(frozen=True)
class HsaEntry:
    """5 Registrering HSA id as typed (dates as text), for the clinic read in 2 Basuppgifter."""

    clinic_code: str
    map_type: str = ""
    valid_from: str = ""
    valid_to: str = ""
    org_number: str = ""
    hsa_id: str = ""
    name: str = ""


@dataclass(frozen=True)
class HsaRecord:
    """One period as 5 Registrering HSA id shows it; attribute names are the form's fields."""

    id: int
    map_type: str
    valid_from: str
    valid_to: str
    org_number: str
    hsa_id: str
    name: str
    created: str
    changed: str


@dataclass(frozen=True)
class ClinicMappingLine:
    """1 Översikt: one clinic of the unit and the HSA id it is mapped to today."""

    clinic_id: int
    clinic_code: str
    clinic_name: str
    city: str
    hsa_id: str  # NOT_MAPPED when no period covers today
    hsa_name: str
    periods: int


@dataclass(frozen=True)
class HsaResult:
    """What Läs annan, Spara and Borttag leave on screen: the clinic, its periods, one record."""

    clinic_code: str
    clinic_name: str
    city: str
    map_type: str
    periods: tuple[HsaMappingLine, ...]
    record: HsaRecord | None
    message: str


def periods_text(count: int) -> str:
    """`1 period`, `3 perioder`."""
    return f"{count} {'period' if count == 1 else 'perioder'}"


def _record(line: HsaMappingLine) -> HsaRecord:
    return HsaRecord(
        id=line.id,
        map_type=line.map_type,
        valid_from=format_date(line.valid_from),
        valid_to=format_date(line.valid_to),
        org_number=line.org_number,
        hsa_id=line.hsa_id,
        name=line.name,
        created=line.created,
        changed=line.updated,
    )


def _clinic(session: Session, unit_id: int, code: str) -> models.Clinic:
    wanted = code.strip().upper()
    if not wanted:
        raise PasisError(CLINIC_REQUIRED, field="clinic")
    clinic = session.exec(
        select(models.Clinic).where(
            models.Clinic.unit_id == unit_id, func.upper(models.Clinic.code) == wanted
        )
    ).first()
    if clinic is None or clinic.id is None:
        raise PasisError(CLINIC_UNKNOWN.format(code=wanted), field="clinic")
    return clinic


def _result(
    session: Session,
    ctx: WorkContext,
    clinic: models.Clinic,
    record: HsaRecord | None,
    message: str,
) -> HsaResult:
    periods = tuple(
        list_mappings(session=session, unit_id=ctx.unit.id, clinic_id=clinic.id, limit=PAGE_SIZE)
    )
    return HsaResult(
        clinic_code=clinic.code,
        clinic_name=clinic.name,
        city=clinic.city,
        map_type=record.map_type if record else (periods[-1].map_type if periods else ""),
        periods=periods,
        record=record,
        message=message,
    )


def _matching(query: Any, text: str, *columns: Any) -> Any:
    """Sök: the rows where any of `columns` contains the text, ignoring case."""
    if not text.strip():
        return query
    pattern = f"%{text.strip().upper()}%"
    return query.where(or_(*(func.upper(column).like(pattern) for column in columns)))


def clinic_page(
    *, ctx: WorkContext, text: str = "", offset: int = 0, limit: int = PAGE_SIZE
) -> Page[ClinicMappingLine]:
    """1 Översikt: the unit's clinics by code, each with today's HSA id (or "saknas")."""
    today = ctx.clock.now().date()
    query = select(models.Clinic).where(models.Clinic.unit_id == ctx.unit.id)
    query = _matching(query, text, models.Clinic.code, models.Clinic.name)
    with ctx.read() as session:
        total = count_rows(session, query)
        clinics = session.exec(
            query.order_by(col(models.Clinic.code)).offset(offset).limit(limit)
        ).all()
        ids = [clinic.id for clinic in clinics]
        mappings = session.exec(
            select(models.HsaMapping).where(col(models.HsaMapping.clinic_id).in_(ids))
        ).all()
        lines = []
        for clinic in clinics:
            own = [m for m in mappings if m.clinic_id == clinic.id]
            today_row = next((m for m in own if m.valid_from <= today <= m.valid_to), None)
            lines.append(
                ClinicMappingLine(
                    clinic_id=clinic.id or 0,
                    clinic_code=clinic.code,
                    clinic_name=clinic.name,
                    city=clinic.city,
                    hsa_id=today_row.hsa_id if today_row else NOT_MAPPED,
                    hsa_name=today_row.name if today_row else "",
                    periods=len(own),
                )
            )
    return Page(lines=tuple(lines), total=total, offset=offset)


def mapping_page(
    *, ctx: WorkContext, text: str = "", offset: int = 0, limit: int = PAGE_SIZE
) -> Page[HsaMappingLine]:
    """4 Översikt HSA id: every period of the unit's clinics; Sök matches HSA id, name or Mott."""
    query = (
        select(models.HsaMapping, models.Clinic)
        .join(models.Clinic, col(models.Clinic.id) == models.HsaMapping.clinic_id)
        .where(models.Clinic.unit_id == ctx.unit.id)
    )
    query = _matching(
        query, text, models.HsaMapping.hsa_id, models.HsaMapping.name, models.Clinic.code
    )
    with ctx.read() as session:
        total = count_rows(session, query)
        ordered = query.order_by(col(models.Clinic.code), col(models.HsaMapping.valid_from))
        rows = session.exec(ordered.offset(offset).limit(limit)).all()
        lines = tuple(mapping_line(mapping, clinic) for mapping, clinic in rows)
    return Page(lines=lines, total=total, offset=offset)


def read_clinic(*, ctx: WorkContext, clinic_code: str) -> HsaResult:
    """`Läs annan` in 2 Basuppgifter: the clinic and its periods (the one in force today read)."""
    today = ctx.clock.now().date()
    with ctx.read() as session:
        clinic = _clinic(session, ctx.unit.id, clinic_code)
        result = _result(session, ctx, clinic, None, "")
    current = next((p for p in result.periods if p.valid_from <= today <= p.valid_to), None)
    if current is None:
        message = f"{clinic.code}: ingen HSA-mappning i dag ({periods_text(len(result.periods))})"
        return replace(result, message=message)
    message = f"{clinic.code} är läst: {periods_text(len(result.periods))}, i dag {current.hsa_id}"
    return replace(result, record=_record(current), message=message)


def read_mapping_record(*, ctx: WorkContext, mapping_id: int) -> HsaResult:
    """A row of 1, 3 or 4 opened: that period in 5 Registrering HSA id, with its clinic."""
    with ctx.read() as session:
        row = session.get(models.HsaMapping, mapping_id)
        clinic = session.get(models.Clinic, row.clinic_id) if row else None
        if row is None or clinic is None or clinic.unit_id != ctx.unit.id:
            raise PasisError(MAPPING_UNKNOWN, field="hsa_id")
        result = _result(session, ctx, clinic, None, "")
        line = next(p for p in result.periods if p.id == mapping_id)
    message = f"HSA-mappningen {line.hsa_id} {line.valid_from} – {line.valid_to} är läst"
    return replace(result, record=_record(line), message=message)


def _date(text: str, field: str) -> dt.date | None:
    return parse_date(text, field=field)


def save_mapping_record(*, ctx: WorkContext, entry: HsaEntry, mapping_id: int | None) -> HsaResult:
    """`Spara`: a new period (mapping_id None) or the read one changed, every rule checked."""
    with ctx.write() as session:
        clinic = _clinic(session, ctx.unit.id, entry.clinic_code)
        mapping_id = _same_period(session, entry, mapping_id)
        saved = save_mapping(
            session=session,
            unit_id=ctx.unit.id,
            clinic_code=clinic.code,
            valid_from=_date(entry.valid_from, "valid_from"),
            valid_to=_date(entry.valid_to, "valid_to"),
            org_number=entry.org_number,
            hsa_id=entry.hsa_id,
            name=entry.name,
            map_type=entry.map_type,
            mapping_id=mapping_id,
        )
        return _result(session, ctx, clinic, _record(saved.mapping), saved.message)


def _same_period(session: Session, entry: HsaEntry, mapping_id: int | None) -> int | None:
    """A period is known by its From datum: another From datum than the read one is a new one."""
    if mapping_id is None:
        return None
    row = session.get(models.HsaMapping, mapping_id)
    first = parse_date(entry.valid_from, field="valid_from", default=models.FIRST_DATE)
    return mapping_id if row is not None and row.valid_from == first else None


def delete_mapping_record(
    *, ctx: WorkContext, clinic_code: str, mapping_id: int | None
) -> HsaResult:
    """`Borttag` (after the question): the period goes; the clinic's other periods stay."""
    if mapping_id is None:
        raise PasisError(READ_FIRST, field="hsa_id")
    with ctx.write() as session:
        clinic = _clinic(session, ctx.unit.id, clinic_code)
        row = session.get(models.HsaMapping, mapping_id)
        if row is None or row.clinic_id != clinic.id:
            raise PasisError(MAPPING_UNKNOWN, field="hsa_id")
        message = delete_mapping(session=session, mapping_id=mapping_id)
        return _result(session, ctx, clinic, None, message)
