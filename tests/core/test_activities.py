"""SP 270 Aktivitet: every rule and refusal, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.activities import (
    ActivityForm,
    delete_activity,
    list_activities,
    read_activity,
    save_activity,
)
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.day_templates import BasicsForm, RowForm, save_basics, save_row
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError

USER = "VIS"
OKNY = ActivityForm(code="ökny", name="1177 ny", activity_type="Bokningsbar tid", contact_type="NY")


@pytest.fixture
def unit_id(engine: Engine, clock: FixedClock) -> int:
    with write_session(engine, user=USER, clock=clock) as session:
        unit = models.Unit(code="KIR", name="Kirurgi")
        session.add(unit)
        session.flush()
        assert unit.id is not None
        return unit.id


def save(engine: Engine, clock: FixedClock, unit_id: int, form: ActivityForm, **kw: object):
    with write_session(engine, user=USER, clock=clock) as session:
        return save_activity(session, unit_id=unit_id, form=form, **kw)  # type: ignore[arg-type]


def refused(engine: Engine, clock: FixedClock, unit_id: int, form: ActivityForm) -> PasisError:
    with pytest.raises(PasisError) as caught:
        save(engine, clock, unit_id, form)
    with open_session(engine, user=USER, clock=clock) as session:
        assert (
            session.exec(select(models.Activity).where(models.Activity.unit_id == unit_id)).all()
            == []
        )
    return caught.value


def test_create_stores_upper_case_code_defaults_and_stamps(engine, clock, unit_id):
    created = save(engine, clock, unit_id, OKNY)
    assert created.code == "ÖKNY"
    assert (created.valid_from, created.valid_to) == (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
    assert created.contact_type == "NY" and created.created_by == USER
    with open_session(engine, user=USER, clock=clock) as session:
        read = read_activity(session, unit_id=unit_id, code="ökny")
        assert (
            read is not None and read.name == "1177 ny" and read.activity_type == "Bokningsbar tid"
        )
        assert read_activity(session, unit_id=unit_id, code="XYZ") is None  # Nyuppläggning


@pytest.mark.parametrize("code", ["", "ABCDE", "A-B", "A B"])
def test_code_must_be_one_to_four_letters_or_digits(engine, clock, unit_id, code):
    error = refused(
        engine, clock, unit_id, ActivityForm(code=code, name="X", activity_type="Grupptid")
    )
    assert error.field == "activity_code" and "1–4 tecken" in error.message


def test_code_unique_per_unit_but_free_in_another_unit(engine, clock, unit_id):
    save(engine, clock, unit_id, OKNY)
    with pytest.raises(PasisError, match="finns redan") as caught:
        save(engine, clock, unit_id, OKNY)
    assert caught.value.field == "activity_code"
    with write_session(engine, user=USER, clock=clock) as session:
        other = models.Unit(code="REUM", name="Reumatologi")
        session.add(other)
        session.flush()
        assert save_activity(session, unit_id=other.id, form=OKNY).unit_id == other.id  # type: ignore[arg-type]


def test_name_and_type_required(engine, clock, unit_id):
    assert (
        refused(
            engine, clock, unit_id, ActivityForm(code="A", name=" ", activity_type="Grupptid")
        ).field
        == "name"
    )
    error = refused(engine, clock, unit_id, ActivityForm(code="A", name="Ett", activity_type=""))
    assert error.field == "activity_type" and "Välj Aktivitetstyp" in error.message


def test_contact_type_must_be_known(engine, clock, unit_id):
    form = ActivityForm(code="A", name="Ett", activity_type="Grupptid", contact_type="XX")
    assert refused(engine, clock, unit_id, form).field == "contact_type"


def test_period_dates_parsed_and_ordered(engine, clock, unit_id):
    bad = ActivityForm(code="A", name="Ett", activity_type="Grupptid", valid_from="2026-13-01")
    assert refused(engine, clock, unit_id, bad).field == "valid_from"
    reversed_ = ActivityForm(
        code="A", name="Ett", activity_type="Grupptid", valid_from="20270101", valid_to="20260101"
    )
    error = refused(engine, clock, unit_id, reversed_)
    assert error.field == "valid_to" and "före eller lika med" in error.message


def test_booking_type_link(engine, clock, unit_id):
    with open_session(engine, user=USER, clock=clock) as session:
        booking_type = session.exec(select(models.BookingType)).first()
        assert booking_type is not None
    form = ActivityForm(
        code="A", name="Ett", activity_type="Grupptid", booking_type_id=booking_type.id
    )
    assert save(engine, clock, unit_id, form).booking_type_id == booking_type.id
    unknown = ActivityForm(code="B", name="Två", activity_type="Grupptid", booking_type_id=999999)
    with pytest.raises(PasisError, match="Okänd tidbokstyp"):
        save(engine, clock, unit_id, unknown)


def test_update_own_activity_and_general_ones_are_read_only(engine, clock, unit_id):
    created = save(engine, clock, unit_id, OKNY)
    changed = ActivityForm(code="ÖKNY", name="1177 nybesök", activity_type="Telefontid")
    updated = save(engine, clock, unit_id, changed, activity_id=created.id)
    assert updated.name == "1177 nybesök" and updated.updated_by == USER
    with open_session(engine, user=USER, clock=clock) as session:
        rast = read_activity(session, unit_id=unit_id, code="rast")
        assert rast is not None and rast.unit_id is None
    with pytest.raises(PasisError, match="generell aktivitet"):
        save(
            engine,
            clock,
            unit_id,
            ActivityForm(code="RAST", name="Paus", activity_type="Ej bokningsbar tid"),
            activity_id=rast.id,
        )
    with pytest.raises(PasisError, match="koden för en generell"):
        save(
            engine,
            clock,
            unit_id,
            ActivityForm(code="RAST", name="Paus", activity_type="Ej bokningsbar tid"),
        )
    with (
        pytest.raises(PasisError, match="generell aktivitet"),
        write_session(engine, user=USER, clock=clock) as session,
    ):
        delete_activity(session, unit_id=unit_id, activity_id=rast.id)  # type: ignore[arg-type]


def test_list_includes_general_and_filters(engine, clock, unit_id):
    save(engine, clock, unit_id, OKNY)
    with open_session(engine, user=USER, clock=clock) as session:
        codes = [a.code for a in list_activities(session, unit_id=unit_id)]
        assert "ÖKNY" in codes and "RAST" in codes and len(codes) == 8
        assert [a.code for a in list_activities(session, unit_id=unit_id, text="1177")] == ["ÖKNY"]
        grupp = list_activities(session, unit_id=unit_id, activity_type="Telefontid")
        assert [a.code for a in grupp] == ["TFF"]


def test_delete_refused_while_a_template_row_or_watch_uses_it(engine, clock, unit_id):
    created = save(engine, clock, unit_id, OKNY)
    with write_session(engine, user=USER, clock=clock) as session:
        version = save_basics(
            session, unit_id=unit_id, form=BasicsForm(code="ÖK", name="Öppen kallelse")
        )
        row = save_row(session, version_id=version.id, form=RowForm("ÖKNY", "10:00", "11:00"))  # type: ignore[arg-type]
    with (
        pytest.raises(PasisError, match="används i dagmall ÖK") as caught,
        write_session(engine, user=USER, clock=clock) as session,
    ):
        delete_activity(session, unit_id=unit_id, activity_id=created.id)  # type: ignore[arg-type]
    assert caught.value.field == "activity_code"
    with write_session(engine, user=USER, clock=clock) as session:
        session.delete(session.get(models.DayTemplateRow, row.id))
        patient = models.Patient(
            personnummer="191212121212", first_name="Tolvan", last_name="Tolvansson"
        )
        session.add(patient)
        session.flush()
        session.add(models.Watch(unit_id=unit_id, patient_id=patient.id, activity_id=created.id))  # type: ignore[arg-type]
    with (
        pytest.raises(PasisError, match="1 bevakningar"),
        write_session(engine, user=USER, clock=clock) as session,
    ):
        delete_activity(session, unit_id=unit_id, activity_id=created.id)  # type: ignore[arg-type]


def test_delete_unused_activity(engine, clock, unit_id):
    created = save(engine, clock, unit_id, OKNY)
    with write_session(engine, user=USER, clock=clock) as session:
        delete_activity(session, unit_id=unit_id, activity_id=created.id)  # type: ignore[arg-type]
    with open_session(engine, user=USER, clock=clock) as session:
        assert read_activity(session, unit_id=unit_id, code="ÖKNY") is None
        audit = session.exec(
            select(models.AuditEntry).where(models.AuditEntry.table_name == "activity")
        ).all()
        assert {e.action for e in audit} >= {"Ny", "Borttag"}


def test_database_guards_the_code_when_two_save_at_once(engine, clock, unit_id, monkeypatch):
    save(engine, clock, unit_id, OKNY)
    import pasis_tui.core.activities as activities

    monkeypatch.setattr(activities, "find_activity", lambda *a, **k: None)  # the check raced
    with pytest.raises(PasisError, match="finns redan") as caught:
        save(engine, clock, unit_id, OKNY)
    assert caught.value.field == "activity_code"


def test_delete_refused_while_laid_slots_use_it(demo_engine, clock):
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot = session.exec(select(models.Slot)).first()
        if slot is None:
            pytest.skip("the scheduling demo lays no slots")
        activity = session.get(models.Activity, slot.activity_id)
        assert activity is not None
        if activity.unit_id is None:
            pytest.skip("the first laid slot is a general activity")
        for row in session.exec(
            select(models.DayTemplateRow).where(models.DayTemplateRow.activity_id == activity.id)
        ).all():
            session.delete(row)  # so only the laid slots hold it
        unit_id, activity_id = activity.unit_id, activity.id
    with (
        pytest.raises(PasisError, match="finns i lagt schema") as caught,
        write_session(demo_engine, user=USER, clock=clock) as session,
    ):
        delete_activity(session, unit_id=unit_id, activity_id=activity_id)  # type: ignore[arg-type]
    assert caught.value.field == "activity_code"


def _change_type(engine: Engine, clock: FixedClock, unit_code: str, code: str, new_type: str):
    with open_session(engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == unit_code)).one()
        activity = session.exec(
            select(models.Activity).where(
                models.Activity.unit_id == unit.id, models.Activity.code == code
            )
        ).one()
    form = ActivityForm(
        code=activity.code,
        name=activity.name,
        activity_type=new_type,
        contact_type=activity.contact_type or "",
    )
    with write_session(engine, user=USER, clock=clock) as session:
        return save_activity(session, unit_id=unit.id, form=form, activity_id=activity.id)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "new_type", "need"),
    [
        ("ÖKNY", "Ev. bokningsbar tid", "1177-nivå 3–4"),  # ÖK lays ÖKNY at nivå 3
        ("ÖKNY", "Ej bokningsbar tid", "1177-nivå 3–4"),
        ("GRP", "Bokningsbar tid", "flera platser"),  # GRUP gives GRP 8 places
    ],
)
def test_type_change_may_not_break_the_template_rows_that_use_it(
    demo_engine, clock, code, new_type, need
):
    with pytest.raises(PasisError) as caught:
        _change_type(demo_engine, clock, "REUM", code, new_type)
    assert caught.value.field == "activity_type" and need in caught.value.message
    with open_session(demo_engine, user=USER, clock=clock) as session:
        stored = session.exec(
            select(models.Activity.activity_type).where(models.Activity.code == code)
        ).all()
    assert new_type not in stored


def test_type_change_that_still_fits_the_rows_is_saved(demo_engine, clock):
    assert _change_type(demo_engine, clock, "REUM", "ÖKNY", "Telefontid").activity_type == (
        "Telefontid"
    )
