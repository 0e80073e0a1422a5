"""SP 721 HSA-mappning: the HSA-id and name a clinic is mapped to for a period.

The patient is invited to the mottagning (HSA-id and name) mapped here (seed 7); an invitation
offers only days on which its clinic has a mapping (SPEC.md, the offered-slot rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import normalize_hsa_id, normalize_orgnr

CLINIC_UNKNOWN = "Avd/Mott: okänd mottagning i enheten"
MAPPING_UNKNOWN = "HSA-mappningen finns inte längre"
TO_REQUIRED = "Till datum måste fyllas i"
PERIOD_ORDER = "Till datum måste vara samma dag som From datum eller senare"
ORGNR_REQUIRED = "Organisationsnr måste fyllas i (NNNNNN-NNNN)"
HSA_REQUIRED = "HSA id måste fyllas i (t.ex. SE162321000255-021426)"
HSA_ORG_MISMATCH = "HSA id {hsa_id} hör inte till organisationsnummer {org}"
HSA_TAKEN = "HSA id {hsa_id} är redan mappat till mottagning {clinic}"
NAME_REQUIRED = "Namn måste fyllas i"
NAME_LONG = "Namn: högst {limit} tecken (du skrev {length})"
OVERLAP = "Perioden överlappar mottagningens mappning {first} – {last} ({hsa_id})"
MAP_TYPE_LONG = "Mapp typ: högst {limit} tecken"
NAME_LIMIT = 80  # models.HsaMapping.name


@dataclass(frozen=True)
class HsaMappingLine:
    """One SP 721 period as the screen shows it (1 Översikt, 3 Periodiserade uppgifter)."""

    id: int
    clinic_id: int
    clinic_code: str
    map_type: str
    valid_from: dt.date
    valid_to: dt.date
    org_number: str
    hsa_id: str
    name: str
    created: str
    updated: str


@dataclass(frozen=True)
class HsaSaved:
    mapping: HsaMappingLine
    message: str


@dataclass(frozen=True)
class MappedName:
    """What a patient sees as Mottagning on a given day: the HSA name and id."""

    hsa_id: str
    name: str


def _stamp(at: dt.datetime | None, by: str | None) -> str:
    return f"{at:%Y-%m-%d} {by or ''}".strip() if at else ""


def mapping_line(row: models.HsaMapping, clinic: models.Clinic) -> HsaMappingLine:
    """One period as the screens show it."""
    assert row.id is not None and clinic.id is not None
    return HsaMappingLine(
        id=row.id,
        clinic_id=clinic.id,
        clinic_code=clinic.code,
        map_type=row.map_type,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        org_number=row.org_number,
        hsa_id=row.hsa_id,
        name=row.name,
        created=_stamp(row.created_at, row.created_by),
        updated=_stamp(row.updated_at, row.updated_by),
    )


def list_mappings(
    *,
    session: Session,
    unit_id: int,
    clinic_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[HsaMappingLine]:
    """The unit's mappings (or one clinic's), by clinic and period, a page at a time."""
    query = (
        select(models.HsaMapping, models.Clinic)
        .join(models.Clinic, col(models.Clinic.id) == models.HsaMapping.clinic_id)
        .where(models.Clinic.unit_id == unit_id)
    )
    if clinic_id is not None:
        query = query.where(models.HsaMapping.clinic_id == clinic_id)
    query = query.order_by(col(models.Clinic.code), col(models.HsaMapping.valid_from))
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return [mapping_line(row, clinic) for row, clinic in rows]


def save_mapping(
    *,
    session: Session,
    unit_id: int,
    clinic_code: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    org_number: str,
    hsa_id: str,
    name: str,
    map_type: str = "",
    mapping_id: int | None = None,
) -> HsaSaved:
    """Spara: a new period (mapping_id None) or a changed one, every field checked first."""
    clinic = session.exec(
        select(models.Clinic).where(
            models.Clinic.unit_id == unit_id,
            func.upper(models.Clinic.code) == clinic_code.strip().upper(),
        )
    ).first()
    if clinic is None or clinic.id is None:
        raise PasisError(CLINIC_UNKNOWN, field="clinic")
    first = valid_from or models.FIRST_DATE
    if valid_to is None:
        raise PasisError(TO_REQUIRED, field="valid_to")
    if valid_to < first:
        raise PasisError(PERIOD_ORDER, field="valid_to")
    if not org_number.strip():
        raise PasisError(ORGNR_REQUIRED, field="org_number")
    try:
        org = normalize_orgnr(org_number)
    except PasisError as error:  # the ids rule names its own field; SP 721's is org_number
        raise PasisError(error.message, field="org_number") from None
    if not hsa_id.strip():
        raise PasisError(HSA_REQUIRED, field="hsa_id")
    try:
        hsa = normalize_hsa_id(hsa_id)
    except PasisError as error:
        raise PasisError(error.message, field="hsa_id") from None
    if hsa[2:].split("-")[0][-10:] != org.replace("-", ""):
        raise PasisError(HSA_ORG_MISMATCH.format(hsa_id=hsa, org=org), field="hsa_id")
    others = select(models.HsaMapping).where(col(models.HsaMapping.id) != (mapping_id or -1))
    taken = session.exec(
        others.where(
            func.upper(models.HsaMapping.hsa_id) == hsa,
            models.HsaMapping.clinic_id != clinic.id,
        )
    ).first()
    if taken is not None:
        owner = session.get(models.Clinic, taken.clinic_id)
        raise PasisError(
            HSA_TAKEN.format(hsa_id=hsa, clinic=owner.code if owner else "?"), field="hsa_id"
        )
    # The fields in reading order: HSA id whole (form, organisation, unique) before Namn.
    shown = name.strip()
    if not shown:
        raise PasisError(NAME_REQUIRED, field="name")
    if len(shown) > NAME_LIMIT:
        raise PasisError(NAME_LONG.format(limit=NAME_LIMIT, length=len(shown)), field="name")
    if len(map_type.strip()) > 8:
        raise PasisError(MAP_TYPE_LONG.format(limit=8), field="map_type")
    overlapping = session.exec(
        others.where(
            models.HsaMapping.clinic_id == clinic.id,
            col(models.HsaMapping.valid_from) <= valid_to,
            col(models.HsaMapping.valid_to) >= first,
        )
    ).first()
    if overlapping is not None:
        raise PasisError(
            OVERLAP.format(
                first=overlapping.valid_from, last=overlapping.valid_to, hsa_id=overlapping.hsa_id
            ),
            field="valid_from",
        )
    if mapping_id is None:
        row = models.HsaMapping(clinic_id=clinic.id, org_number=org, hsa_id=hsa, name=shown)
    else:
        found = session.get(models.HsaMapping, mapping_id)
        if found is None:
            raise PasisError(MAPPING_UNKNOWN, field="hsa_id")
        row = found
        row.clinic_id = clinic.id
    row.map_type = map_type.strip().upper()
    row.valid_from, row.valid_to = first, valid_to
    row.org_number, row.hsa_id, row.name = org, hsa, shown
    session.add(row)
    session.flush()
    verb = "sparad" if mapping_id is None else "ändrad"
    message = f"HSA-mappning {verb}: {clinic.code} {first} – {valid_to} → {hsa} {shown}"
    return HsaSaved(mapping=mapping_line(row, clinic), message=message)


def delete_mapping(*, session: Session, mapping_id: int) -> str:
    """Borttag of one period; the message says what was removed."""
    row = session.get(models.HsaMapping, mapping_id)
    if row is None:
        raise PasisError(MAPPING_UNKNOWN, field="hsa_id")
    message = f"HSA-mappningen {row.hsa_id} {row.valid_from} – {row.valid_to} är borttagen"
    session.delete(row)
    session.flush()
    return message


def mapped_name(*, session: Session, clinic_id: int, day: dt.date) -> MappedName | None:
    """The HSA-id and name a clinic is mapped to on `day`, or None (then nothing is offered)."""
    row = session.exec(
        select(models.HsaMapping).where(
            models.HsaMapping.clinic_id == clinic_id,
            col(models.HsaMapping.valid_from) <= day,
            col(models.HsaMapping.valid_to) >= day,
        )
    ).first()
    return MappedName(hsa_id=row.hsa_id, name=row.name) if row else None
