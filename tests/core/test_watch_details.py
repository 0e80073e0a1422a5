"""SP 090's Utskrivet dates, the Detalj row and the Invånarmall on a watch (seed 5.1, seed 10),
on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.watches import SaveResult, WatchForm, save_watch
from tests.conftest import USER
from tests.core.watch_setup import NY_FORM, patient_id, save, saved_watch_id, unit_id


def _change(engine: Engine, clock: FixedClock, watch_id: int, **changes: object) -> SaveResult:
    with write_session(engine, user=USER, clock=clock) as session:
        return save_watch(
            session=session,
            clock=clock,
            unit_id=unit_id(session),
            patient_id=patient_id(session),
            form=dataclasses.replace(NY_FORM, **changes),
            watch_id=watch_id,
        )


def _form(result: SaveResult) -> WatchForm:
    assert result.saved and result.watch is not None
    return result.watch.form


def _template(engine: Engine, clock: FixedClock, unit: str, clinic: str | None = None) -> int:
    with write_session(engine, user=USER, clock=clock) as session:
        unit_row = session.exec(select(models.Unit).where(models.Unit.code == unit)).one()
        clinic_id = None
        if clinic is not None:
            clinic_id = session.exec(
                select(models.Clinic.id).where(
                    models.Clinic.unit_id == unit_row.id, models.Clinic.code == clinic
                )
            ).one()
        template = models.CitizenTemplate(
            unit_id=unit_row.id,  # type: ignore[arg-type]
            clinic_id=clinic_id,
            title=f"Mall {unit} {clinic or ''}",
            body="Text",
        )
        session.add(template)
        session.flush()
        assert template.id is not None
        return template.id


def test_utskrivet_is_the_day_spara_first_said_ja_and_stays(
    demo_engine: Engine, clock: FixedClock
) -> None:
    first = save(demo_engine, clock, confirm_referrer="Ja", confirm_patient="Nej")
    form = _form(first)
    assert (form.confirm_referrer_printed, form.confirm_patient_printed) == ("2026-11-22", "")
    assert form.watch_letter_printed == ""
    watch_id = saved_watch_id(first)
    clock.advance(dt.timedelta(days=1))
    # a typed Utskrivet is never taken: the date is Pasis's record of the print
    later = _change(
        demo_engine, clock, watch_id, confirm_referrer="Ja", confirm_patient="Ja",
        confirm_referrer_printed="2020-01-01",
    )  # fmt: skip
    form = _form(later)
    assert (form.confirm_referrer_printed, form.confirm_patient_printed) == (
        "2026-11-22",
        "2026-11-23",
    )
    # Nej afterwards does not unprint what went out
    unprinted = _form(_change(demo_engine, clock, watch_id, confirm_patient="Nej"))
    assert unprinted.confirm_patient_printed == "2026-11-23"


def test_detalj_is_saved_and_read_back(demo_engine: Engine, clock: FixedClock) -> None:
    form = _form(save(demo_engine, clock))
    assert (form.detail_problem, form.control_patient, form.detail_date) == ("", "NEJ", "")
    form = _form(
        save(
            demo_engine,
            clock,
            detail_problem=" Polyartrit ",
            control_patient="ja",
            detail_date="2027-02-01",
        )  # fmt: skip
    )
    assert (form.detail_problem, form.control_patient, form.detail_date) == (
        "Polyartrit",
        "JA",
        "2027-02-01",
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"detail_problem": "x" * 41}, "detail_problem", "högst 40 tecken (nu 41)"),
        ({"control_patient": "kanske"}, "control_patient", "Kontrollpat: skriv Ja, Nej"),
        ({"detail_date": "2027-02-30"}, "detail_date", ""),
        ({"citizen_template": "999"}, "citizen_template", "Invånarmall 999 finns inte"),
        ({"citizen_template": "abc"}, "citizen_template", "Invånarmall abc finns inte"),
    ],
)
def test_detalj_and_template_refusals_at_their_field(
    demo_engine: Engine, clock: FixedClock, changes: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(PasisError) as refused:
        save(demo_engine, clock, **changes)
    assert refused.value.field == field and words in refused.value.message


def test_template_of_the_unit_on_an_ok_only_and_of_its_clinic(
    demo_engine: Engine, clock: FixedClock
) -> None:
    unit_wide = _template(demo_engine, clock, "REUM")
    other_clinic = _template(demo_engine, clock, "REUM", clinic="M12")
    other_unit = _template(demo_engine, clock, "GASTRO")
    assert _form(save(demo_engine, clock, citizen_template=str(unit_wide))).citizen_template == (
        str(unit_wide)
    )
    for template, words in (
        (other_clinic, "hör till en annan mottagning"),
        (other_unit, f"Invånarmall {other_unit} finns inte på enheten"),
    ):
        with pytest.raises(PasisError, match=words):
            save(demo_engine, clock, citizen_template=str(template))
    with pytest.raises(PasisError, match="bara skickas med en öppen kallelse") as ordinary:
        save(demo_engine, clock, citizen_template=str(unit_wide), watch_type="V")
    assert ordinary.value.field == "citizen_template"


def test_a_template_attached_after_the_invitation_went_out_warns(
    demo_engine: Engine, clock: FixedClock
) -> None:
    template = _template(demo_engine, clock, "REUM")
    watch_id = saved_watch_id(save(demo_engine, clock))
    clock.advance(dt.timedelta(hours=1))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert send_due_invitations(session=session, clock=clock).sent
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = save_watch(
            session=session,
            clock=clock,
            unit_id=unit_id(session),
            patient_id=patient_id(session),
            form=dataclasses.replace(NY_FORM, citizen_template=str(template)),
            watch_id=watch_id,
            confirmed=False,
        )
    assert not result.saved
    assert any("Kallelsen skickades redan 2026-11-22 11:06" in w for w in result.warnings)
