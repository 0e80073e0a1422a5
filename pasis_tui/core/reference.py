"""Reference data every database carries: the general activities and the PMO booking types."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import Session, func, select

from pasis_tui.core import models
from pasis_tui.core.code_lists import check_code_lists
from pasis_tui.core.paths import data_dir

YES = "Ja"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(session: Session, *, directory: Path | None = None) -> int:
    """Insert the reference rows that are missing (idempotent); returns how many were added."""
    directory = directory or data_dir()
    added = 0
    known_types = set(session.exec(select(models.BookingType.name)).all())
    for row in read_csv(directory / "pmo_tidbokstyper.csv"):
        if row["tidbokstyp"] in known_types:
            continue
        session.add(
            models.BookingType(
                name=row["tidbokstyp"],
                description=row["fortydligande"],
                visible_to_patient=row["synlig_for_patienten"] == YES,
                cancellable=row["avbokningsbar"] == YES,
                rebookable=row["ombokningsbar"] == YES,
                sms_reminder=row["sms_paminnelse"] == YES,
            )
        )
        added += 1
    general = select(models.Activity.code).where(models.Activity.unit_id.is_(None))  # type: ignore[union-attr]
    known_codes = set(session.exec(general).all())
    for row in read_csv(directory / "generella_aktiviteter.csv"):
        if row["kod"] in known_codes:
            continue
        session.add(
            models.Activity(
                unit_id=None,
                code=row["kod"],
                name=row["namn"],
                activity_type=models.ActivityType(row["aktivitetstyp"]),
                contact_type=models.ContactType(row["kontakttyp"]) if row["kontakttyp"] else None,
            )
        )
        added += 1
    check_code_lists(directory)  # SP 090's code lists are files: refuse a broken one
    session.flush()
    return added


def reference_loaded(session: Session) -> bool:
    return bool(session.exec(select(func.count()).select_from(models.BookingType)).one())
