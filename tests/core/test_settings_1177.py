"""SP 177 use cases: ranges, 0/empty as the default, periods that may not overlap, Borttag."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.settings_1177 import (
    SettingsForm,
    delete_settings,
    effective_settings,
    list_settings,
    read_settings,
    save_settings,
)
from tests.conftest import USER
from tests.core.watch_setup import unit_id


def _clinic(session: Session, code: str) -> int:
    clinic = session.exec(select(models.Clinic).where(models.Clinic.code == code)).one()
    assert clinic.id is not None
    return clinic.id


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("searchable_weeks", "1", True),
        ("searchable_weeks", "999", True),
        ("searchable_weeks", "1000", False),
        ("patient_rebookings", "999", True),
        ("patient_rebookings", "-1", False),
        ("rebook_limit_hours", "24", False),
        ("rebook_limit_hours", "25", True),
        ("rebook_limit_hours", "99", True),
        ("cancel_limit_hours", "100", False),
        ("cancel_limit_hours", "x", False),
        ("cancel_limit_hours", "0", True),
    ],
)
def test_ranges(demo_engine: Engine, clock: FixedClock, field: str, value: str, ok: bool) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        form = SettingsForm(clinic_id=_clinic(session, "M12"), **{field: value})  # type: ignore[arg-type]
        if ok:
            view = save_settings(session=session, unit_id=unit_id(session), form=form)
            assert view.values[field] == int(value)
        else:
            with pytest.raises(PasisError) as refused:
                save_settings(session=session, unit_id=unit_id(session), form=form)
            assert refused.value.field == field
            assert "eller 0/tomt för standardvärdet" in refused.value.message


def test_zero_or_empty_means_the_default_and_says_so(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        m12 = _clinic(session, "M12")
        view = save_settings(
            session=session,
            unit_id=unit_id(session),
            form=SettingsForm(clinic_id=m12, searchable_weeks="0", patient_rebookings="5"),
        )
        assert view.shown == {
            "searchable_weeks": "0 (standard 8)",
            "patient_rebookings": "5",
            "rebook_limit_hours": "0 (standard 24)",
            "cancel_limit_hours": "0 (standard 24)",
        }
        assert (view.valid_from, view.valid_to) == (models.FIRST_DATE, models.LAST_DATE)
        effective = effective_settings(session=session, clinic_id=m12, day=dt.date(2026, 11, 22))
        assert (effective.searchable_weeks, effective.patient_rebookings) == (8, 5)
        assert effective.defaulted == frozenset(
            {"searchable_weeks", "rebook_limit_hours", "cancel_limit_hours"}
        )


def test_overlapping_periods_of_one_clinic_are_refused(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        m11 = _clinic(session, "M11")  # the demo has 2020-01-01 – 2029-12-31
        with pytest.raises(PasisError) as refused:
            save_settings(
                session=session,
                unit_id=unit_id(session),
                form=SettingsForm(clinic_id=m11, valid_from="2029-12-31", valid_to="2030-06-30"),
            )
        assert refused.value.field == "valid_from"
        assert "överlappar en annan period för M11 (2020-01-01–2029-12-31)" in (
            refused.value.message
        )
        after = save_settings(
            session=session,
            unit_id=unit_id(session),
            form=SettingsForm(
                clinic_id=m11, valid_from="2030-01-01", valid_to="2030-12-31", searchable_weeks="4"
            ),
        )
        assert (
            effective_settings(
                session=session, clinic_id=m11, day=dt.date(2030, 1, 1)
            ).searchable_weeks
            == 4
        )
        # the unit row (no clinic) is a period of its own and may lie beside the clinic's
        unit_row = save_settings(
            session=session,
            unit_id=unit_id(session),
            form=SettingsForm(clinic_id=None, searchable_weeks="3", valid_from="2026-01-01"),
        )
        # changing a row keeps its own period out of the overlap check
        save_settings(
            session=session,
            unit_id=unit_id(session),
            form=SettingsForm(
                clinic_id=m11, valid_from="2030-01-01", valid_to="2031-12-31", searchable_weeks="5"
            ),
            settings_id=after.settings_id,
        )
        assert (
            effective_settings(
                session=session, clinic_id=_clinic(session, "M12"), day=dt.date(2026, 11, 22)
            ).searchable_weeks
            == 3
        )
        assert read_settings(session=session, settings_id=unit_row.settings_id).clinic_label == (
            "(hela enheten)"
        )


def test_period_order_is_checked(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as refused:
            save_settings(
                session=session,
                unit_id=unit_id(session),
                form=SettingsForm(clinic_id=None, valid_from="2027-01-01", valid_to="2026-01-01"),
            )
        assert refused.value.field == "valid_to"


def test_list_and_delete(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        reum = unit_id(session)
        [m11_row] = list_settings(session=session, unit_id=reum)
        assert m11_row.clinic_label == "M11 REUM DAGSJUKVÅRD MALMÖ"
        assert m11_row.created == "20261122 VIS"
        delete_settings(session=session, unit_id=reum, settings_id=m11_row.settings_id)
        assert list_settings(session=session, unit_id=reum) == []
        with pytest.raises(PasisError):
            delete_settings(session=session, unit_id=reum, settings_id=m11_row.settings_id)
        with pytest.raises(PasisError):
            read_settings(session=session, settings_id=m11_row.settings_id)
