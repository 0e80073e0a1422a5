"""SP 090's use cases on the demo (SQLite and PostgreSQL): each press one transaction returning
frozen records; staff book an ordinary watch on its matching slots through the 1177 booking
service, which still refuses the patient such a slot."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.citizen_booking import Actor, book_offered
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.context import UnitRef, WorkContext
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.watch_cases import (
    PatientCandidates,
    Sp090State,
    book,
    booking_choices,
    cancel_booking,
    find_patient,
    next_of_patient,
    open_watch,
    remove,
    save,
)
from tests.conftest import USER
from tests.core.watch_setup import AGDA, NY_FORM, TOLVAN, unit_id

KARIN_WATCH, SARA_WATCH, ANDERS_WATCH, HILMA_WATCH = 1, 2, 3, 10  # demo_watches' order


def _ctx(engine: Engine, clock: FixedClock) -> WorkContext:
    with open_session(engine, user=USER, clock=clock) as session:
        unit = session.get(models.Unit, unit_id(session))
        assert unit is not None and unit.id is not None
        ref = UnitRef(id=unit.id, prefix=unit.prefix, code=unit.code, name=unit.name)
    return WorkContext(engine=engine, user=USER, clock=clock, unit=ref)


def test_the_patient_line_finds_one_or_lists_several(
    demo_engine: Engine, clock: FixedClock
) -> None:
    ctx = _ctx(demo_engine, clock)
    found = find_patient(ctx=ctx, text="tolv")
    assert isinstance(found, Sp090State) and found.watch is None
    assert found.patient.personnummer == TOLVAN and found.state_line == "Ny bevakning (inte sparad)"
    assert [c.commitment_id for c in found.commitments] == ["VÅ-REUM-0003"]
    assert found.panel.lines[0] == "Aktivt konto finns"
    several = find_patient(ctx=ctx, text="e")  # Erik, Elsa, Ella, Emma, Ek …
    assert isinstance(several, PatientCandidates) and len(several.patients) > 1
    with pytest.raises(PasisError) as refused:
        find_patient(ctx=ctx, text="19121212-1213")
    assert refused.value.field == "personnummer"
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.message = "x"  # type: ignore[misc]


def test_an_ordinary_watch_is_booked_by_staff_on_a_matching_slot(
    demo_engine: Engine, clock: FixedClock
) -> None:
    ctx = _ctx(demo_engine, clock)
    choices = booking_choices(ctx=ctx, watch_id=HILMA_WATCH)
    assert choices.slots and choices.message.endswith("tider passar bevakningen")
    slot_id = choices.slots[0].slot_id
    with write_session(demo_engine, user="1177", clock=clock) as session:  # not the patient
        watch = session.get(models.Watch, HILMA_WATCH)
        assert watch is not None
        patient = session.get(models.Patient, watch.patient_id)
        assert patient is not None
        with pytest.raises(PasisError) as refused:
            book_offered(
                session=session, clock=clock, actor=Actor.patient(patient.personnummer),
                patient_id=watch.patient_id, watch_id=HILMA_WATCH, slot_id=slot_id,
            )  # fmt: skip
        assert refused.value.field == "slot"  # 1177 offers nothing without an invitation
    state = book(ctx=ctx, watch_id=HILMA_WATCH, slot_id=slot_id)
    assert state.state_line.startswith("Bokad (") and state.message.startswith("Tid bokad ")
    with open_session(demo_engine, user=USER, clock=clock) as session:
        booking = session.exec(
            select(models.Booking).where(models.Booking.watch_id == HILMA_WATCH)
        ).one()
        assert (booking.slot_id, booking.booked_by) == (slot_id, USER)
        assert booking.booked_via == models.BookedVia.STAFF


def test_an_ok_watch_not_yet_sent_offers_nothing_to_book(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with pytest.raises(PasisError) as refused:
        booking_choices(ctx=_ctx(demo_engine, clock), watch_id=SARA_WATCH)
    assert "kallelsen har inte skickats till 1177" in refused.value.message


def test_avboka_and_borttag(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = _ctx(demo_engine, clock)
    cancelled = cancel_booking(ctx=ctx, watch_id=ANDERS_WATCH)
    assert cancelled.state_line == "Avbokad" and cancelled.message.endswith("är avbokad")
    assert cancelled.panel.dispatches[0].kind == "Avbokning"
    with pytest.raises(PasisError):
        cancel_booking(ctx=ctx, watch_id=KARIN_WATCH)  # nothing booked
    removed = remove(ctx=ctx, watch_id=KARIN_WATCH)
    assert removed.state_line == "Borttagen"
    with pytest.raises(PasisError):
        remove(ctx=ctx, watch_id=KARIN_WATCH)
    assert open_watch(ctx=ctx, watch_id=KARIN_WATCH).state_line == "Borttagen"


def test_warnings_keep_nothing_until_confirmed(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = _ctx(demo_engine, clock)
    agda = find_patient(ctx=ctx, text=AGDA)
    assert isinstance(agda, Sp090State)
    before = agda.watch_ids
    pid = agda.patient.patient_id
    asked = save(ctx=ctx, patient_id=pid, form=NY_FORM, watch_id=None, confirmed=False)
    assert not asked.saved and asked.state is None
    assert "Patienten har valt papperskallelse (Post) i 1177" in asked.warnings
    assert next_of_patient(ctx=ctx, patient_id=pid, after_watch_id=None).watch_ids == before
    saved = save(ctx=ctx, patient_id=pid, form=NY_FORM, watch_id=None, confirmed=True)
    assert saved.saved and saved.state is not None and len(saved.state.watch_ids) == len(before) + 1
    with pytest.raises(PasisError) as refused:
        save(ctx=ctx, patient_id=None, form=NY_FORM, watch_id=None, confirmed=True)
    assert refused.value.field == "personnummer"
