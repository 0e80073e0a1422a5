"""Shared set-up for the SP 090 service tests: an ÖK watch on the demo's HAN schedule in M11."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine
from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock
from pasis_tui.core.db import write_session
from pasis_tui.core.watches import SaveResult, WatchForm, save_watch
from tests.conftest import USER

#: The demo schedule's Wednesday after the demo clock: HAN has ÖKNY 10:00 and 11:00 free.
WEDNESDAY = dt.date(2026, 11, 25)
TOLVAN = "191212121212"  # active account, notifications on, digital mail
AGDA = "189001019802"  # notifications off, paper mail
GUSTAV = "189001189811"  # no 1177 account

#: Seed 5.1 on the demo: REUM, M11, HAN, ÖKNY 60 min, (Bokn) Brev Ja.
NY_FORM = WatchForm(
    clinic="M11",
    caregiver="HAN",
    target_date="2026-12-15",
    watch_type="ÖK",
    contact_type="NY",
    visit_length="60",
    activity="ÖKNY",
    booking_letter="Ja",
    book_from="2026-11-23",
    book_to="2026-12-31",
    purpose="Nybesök hos läkare, ca 60 minuter",
)


def unit_id(session: Session, code: str = "REUM") -> int:
    unit = session.exec(select(models.Unit).where(models.Unit.code == code)).one()
    assert unit.id is not None
    return unit.id


def patient_id(session: Session, personnummer: str = TOLVAN) -> int:
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == personnummer)
    ).one()
    assert patient.id is not None
    return patient.id


def save(
    engine: Engine,
    clock: Clock,
    form: WatchForm = NY_FORM,
    *,
    personnummer: str = TOLVAN,
    confirmed: bool = True,
    **changes: object,
) -> SaveResult:
    with write_session(engine, user=USER, clock=clock) as session:
        return save_watch(
            session=session,
            clock=clock,
            unit_id=unit_id(session),
            patient_id=patient_id(session, personnummer),
            form=dataclasses.replace(form, **changes),
            confirmed=confirmed,
        )


def saved_watch_id(result: SaveResult) -> int:
    assert result.saved and result.watch is not None
    return result.watch.watch_id
