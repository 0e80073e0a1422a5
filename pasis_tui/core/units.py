"""Units (enheter), clinics and caregivers: look-ups shared by every screen."""

from __future__ import annotations

from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.context import UnitRef
from pasis_tui.core.errors import PasisError

UNIT_UNKNOWN = "Okänd enhet: {code}. Finns: {known}"
NO_UNITS = "Databasen har inga enheter. Bygg en demodatabas med `pasis demo`."


def unit_ref(unit: models.Unit) -> UnitRef:
    assert unit.id is not None
    return UnitRef(id=unit.id, prefix=unit.prefix, code=unit.code, name=unit.name)


def resolve_unit(session: Session, *, code: str | None) -> UnitRef:
    """The unit named by `--enhet` (its code, e.g. KIR or '16 KIR'), or the first one."""
    units = session.exec(select(models.Unit).order_by(models.Unit.id)).all()  # type: ignore[arg-type]
    if not units:
        raise PasisError(NO_UNITS, field="unit")
    if code is None:
        return unit_ref(units[0])
    wanted = code.strip().upper().split()[-1] if code.strip() else ""
    for unit in units:
        if unit.code.upper() == wanted:
            return unit_ref(unit)
    known = ", ".join(f"{u.prefix} {u.code}" for u in units)
    raise PasisError(UNIT_UNKNOWN.format(code=code, known=known), field="unit")


def list_units(session: Session) -> list[UnitRef]:
    return [unit_ref(u) for u in session.exec(select(models.Unit).order_by(models.Unit.code)).all()]


def list_clinics(session: Session, *, unit_id: int) -> list[models.Clinic]:
    query = select(models.Clinic).where(models.Clinic.unit_id == unit_id)
    return list(session.exec(query.order_by(models.Clinic.code)).all())  # type: ignore[arg-type]


def create_unit_if_empty(session: Session, *, code: str) -> UnitRef | None:
    """On a database without units, `--enhet '16 KIR'` (or `KIR`) lays up that first unit."""
    if session.exec(select(models.Unit)).first() is not None:
        return None
    parts = code.strip().upper().split()
    if not parts or len(parts[-1]) > 8:
        raise PasisError(f"Ogiltig enhetskod: {code}", field="unit")
    prefix = parts[0] if len(parts) > 1 else "16"
    unit = models.Unit(prefix=prefix[:4], code=parts[-1], name=parts[-1])
    session.add(unit)
    session.flush()
    return unit_ref(unit)
