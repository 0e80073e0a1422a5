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
