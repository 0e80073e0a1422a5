"""A watch created via the care commitment gets Datum and Remiss from it (seed 5.1)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine

from pasis_tui.core.care import care_commitments, form_via_commitment, only_commitment
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session
from pasis_tui.core.errors import PasisError
from tests.core.watch_setup import NY_FORM, TOLVAN, patient_id, save, unit_id

TODAY = dt.date(2026, 11, 22)


def test_via_the_care_commitment_fills_date_and_referral(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with open_session(demo_engine, user="VIS", clock=clock) as session:
        sara = care_commitments(
            session=session,
            patient_id=patient_id(session, "198107249289"),
            unit_id=unit_id(session),
            today=TODAY,
        )
        tolvan = care_commitments(
            session=session,
            patient_id=patient_id(session, TOLVAN),
            unit_id=unit_id(session),
            today=TODAY,
        )
        nobody = care_commitments(
            session=session,
            patient_id=patient_id(session, TOLVAN),
            unit_id=unit_id(session, "KIR"),
            today=TODAY,
        )
    [commitment] = sara
    assert commitment.target_date == dt.date(2026, 12, 27)
    assert [r.number for r in commitment.referrals] == ["REM-2026-0434", "REM-2026-0433"]
    form = form_via_commitment(
        form=dataclasses.replace(NY_FORM, target_date=""), commitment=commitment
    )
    assert (form.target_date, form.referral) == ("2026-12-27", "REM-2026-0434")
    older = form_via_commitment(
        form=NY_FORM, commitment=commitment, referral_number="REM-2026-0433"
    )
    assert older.referral == "REM-2026-0433"
    with pytest.raises(PasisError) as wrong:
        form_via_commitment(form=NY_FORM, commitment=commitment, referral_number="REM-X")
    assert wrong.value.field == "referral"
    with pytest.raises(PasisError, match="inget vårdåtagande"):
        only_commitment(nobody)
    via = form_via_commitment(form=NY_FORM, commitment=only_commitment(tolvan))
    saved = save(demo_engine, clock, via)
    assert saved.watch is not None
    assert (saved.watch.form.target_date, saved.watch.form.referral) == (
        "2026-12-13",
        "REM-2026-0450",
    )
