"""Vårdåtagande with remisser, and creating a watch "via vårdåtagandet" (seed 5.1): Datum
(medicinskt måldatum) and Remiss are filled from it.

The schema has no table for care commitments yet; until it does they are reference data in
`data/demo/vardataganden.csv`, with the måldatum and the referral's arrival given in days
relative to today (so the demo stays current).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paths import data_dir
from pasis_tui.core.reference import read_csv
from pasis_tui.core.watches import WatchForm

NO_COMMITMENT = "Patienten har inget vårdåtagande på enheten"
REFERRAL_UNKNOWN = "Remissen {number} hör inte till vårdåtagandet"


@dataclass(frozen=True)
class Referral:
    number: str
    received: dt.date
    referrer: str


@dataclass(frozen=True)
class CareCommitment:
    """A vårdåtagande of the patient at a unit, with its medicinskt måldatum and remisser."""

    commitment_id: str
    unit_code: str
    target_date: dt.date
    referrals: tuple[Referral, ...]


def care_commitments(
    *,
    session: Session,
    patient_id: int,
    unit_id: int,
    today: dt.date,
    directory: Path | None = None,
) -> tuple[CareCommitment, ...]:
    """The patient's care commitments at the unit, each with its referrals (newest first)."""
    patient = session.get(models.Patient, patient_id)
    unit = session.get(models.Unit, unit_id)
    if patient is None or unit is None:
        return ()
    rows = [
        row
        for row in read_csv((directory or data_dir()) / "demo" / "vardataganden.csv")
        if row["personnummer"] == patient.personnummer and row["enhet"] == unit.code
    ]
    found: dict[str, CareCommitment] = {}
    for row in rows:
        referral = Referral(
            number=row["remiss"],
            received=today - dt.timedelta(days=int(row["remiss_mottagen_for_dagar_sedan"])),
            referrer=row["remittent"],
        )
        known = found.get(row["vardatagande"])
        target = today + dt.timedelta(days=int(row["maldatum_om_dagar"]))
        referrals = (known.referrals if known else ()) + (referral,)
        found[row["vardatagande"]] = CareCommitment(
            commitment_id=row["vardatagande"],
            unit_code=unit.code,
            target_date=target,
            referrals=tuple(sorted(referrals, key=lambda r: r.received, reverse=True)),
        )
    return tuple(found.values())


def form_via_commitment(
    *, form: WatchForm, commitment: CareCommitment, referral_number: str | None = None
) -> WatchForm:
    """Seed 5.1: via the care commitment, Datum is its måldatum and Remiss its (newest) referral."""
    if not commitment.referrals:
        return dataclasses.replace(form, target_date=commitment.target_date.isoformat())
    chosen = commitment.referrals[0]
    if referral_number is not None:
        chosen = next((r for r in commitment.referrals if r.number == referral_number), None)  # type: ignore[assignment]
        if chosen is None:
            raise PasisError(REFERRAL_UNKNOWN.format(number=referral_number), field="referral")
    return dataclasses.replace(
        form, target_date=commitment.target_date.isoformat(), referral=chosen.number
    )


def only_commitment(commitments: tuple[CareCommitment, ...]) -> CareCommitment:
    """The one care commitment to go via (Ny bev from the patient), or a clear refusal."""
    if not commitments:
        raise PasisError(NO_COMMITMENT, field="target_date")
    return commitments[0]
