"""Shared set-up for the 1177 citizen tests: an ÖK watch on HAN's demo schedule, sent to 1177."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.citizen_booking import Actor
from pasis_tui.core.clock import FixedClock, wall_to_utc
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.invitations import send_due_invitations
from tests.conftest import USER
from tests.core.watch_setup import TOLVAN, WEDNESDAY, patient_id, save, saved_watch_id

TEN = dt.datetime.combine(WEDNESDAY, dt.time(10, 0))
ELEVEN = dt.datetime.combine(WEDNESDAY, dt.time(11, 0))
KARIN = "194510168885"  # a second patient with an account and a mobile
TOLVAN_ACTOR = Actor.patient(TOLVAN)


def sent_watch(
    engine: Engine,
    clock: FixedClock,
    *,
    personnummer: str = TOLVAN,
    first: dt.date = WEDNESDAY,
    last: dt.date = WEDNESDAY,
    **changes: str,
) -> int:
    """An ÖK watch (HAN, ÖKNY 60 min) for the days first … last, its invitation in the inbox."""
    watch_id = saved_watch_id(
        save(
            engine,
            clock,
            personnummer=personnummer,
            book_from=first.isoformat(),
            book_to=last.isoformat(),
            **changes,
        )
    )
    with write_session(engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Invitation)
            .where(col(models.Invitation.watch_id) == watch_id)
            .values(due_at=dt.datetime(2000, 1, 1))
        )
        assert len(send_due_invitations(session=session, clock=clock).sent) == 1
    return watch_id


def slot_at(session: Session, starts_at: dt.datetime, signature: str = "HAN") -> int:
    slot = session.exec(
        select(models.Slot)
        .join(models.Caregiver, col(models.Caregiver.id) == models.Slot.caregiver_id)
        .where(models.Caregiver.signature == signature, models.Slot.starts_at == starts_at)
    ).one()
    assert slot.id is not None
    return slot.id


def pid(session: Session, personnummer: str = TOLVAN) -> int:
    return patient_id(session, personnummer)


def copy_slot(session: Session, *, like: int, starts_at: dt.datetime, seats: int = 1) -> int:
    """A slot like another (same caregiver, clinic, activity) at another Swedish wall time."""
    model = session.get(models.Slot, like)
    assert model is not None
    start_utc = wall_to_utc(starts_at)
    slot = models.Slot(
        schedule_day_id=None,
        caregiver_id=model.caregiver_id,
        clinic_id=model.clinic_id,
        activity_id=model.activity_id,
        template_version_id=model.template_version_id,
        letter_template_id=model.letter_template_id,
        day=starts_at.date(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=model.visit_length_min),
        starts_at_utc=start_utc,
        ends_at_utc=start_utc + dt.timedelta(minutes=model.visit_length_min),
        visit_length_min=model.visit_length_min,
        level_1177=model.level_1177,
        seats=seats,
    )
    session.add(slot)
    session.flush()
    assert slot.id is not None
    return slot.id


def count(engine: Engine, clock: FixedClock, table: type[models.SQLModel], *where: object) -> int:
    from sqlmodel import func

    with open_session(engine, user=USER, clock=clock) as session:
        query = select(func.count()).select_from(table)
        for condition in where:
            query = query.where(condition)  # type: ignore[arg-type]
        return int(session.exec(query).one())
