"""How the 1177 side words things: Swedish dates, the clinic's HSA name, what a visit is."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from pasis_tui.core import models

WEEKDAYS = ("Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag")
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
#: "Kallelsen gäller" / "Bokningen avser": the kind of visit by kontakttyp (seed 7: "Besök Läkare").
VISIT_KIND = {
    models.ContactType.NEW: "Besök",
    models.ContactType.RETURN: "Besök",
    models.ContactType.PHONE: "Telefonkontakt",
    models.ContactType.PHONE_QUALIFIED: "Telefonkontakt",
}


def day_text(day: dt.date) -> str:
    """`Måndag 14 juli 2025`."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def time_text(moment: dt.datetime) -> str:
    """`Måndag 14 juli 2025 kl. 10:00` (a Swedish wall time)."""
    return f"{day_text(moment.date())} kl. {moment:%H:%M}"


def clinic_display_name(session: Session, *, clinic_id: int, day: dt.date) -> str:
    """The name the patient sees: the clinic's SP 721 HSA mapping on the day, else its own name."""
    mapped = session.exec(
        select(models.HsaMapping.name)
        .where(
            models.HsaMapping.clinic_id == clinic_id,
            col(models.HsaMapping.valid_from) <= day,
            col(models.HsaMapping.valid_to) >= day,
        )
        .order_by(col(models.HsaMapping.valid_from))
    ).first()
    if mapped:
        return mapped
    clinic = session.get(models.Clinic, clinic_id)
    return clinic.name if clinic else ""


def caregiver_text(caregiver: models.Caregiver | None) -> str:
    """`SKOPILINJEN, LÄKARE`: signature and category name (seed 7, "Du får boka tid till")."""
    if caregiver is None:
        return ""
    if caregiver.category_name:
        return f"{caregiver.signature}, {caregiver.category_name}"
    return caregiver.signature


def visit_text(
    contact_type: models.ContactType | str | None, caregiver: models.Caregiver | None
) -> str:
    """`Besök Läkare`: the kind of visit and the caregiver's category (seed 7)."""
    kind = VISIT_KIND.get(models.ContactType(contact_type), "Besök") if contact_type else "Besök"
    category = caregiver.category_name.capitalize() if caregiver and caregiver.category_name else ""
    return f"{kind} {category}".strip()
