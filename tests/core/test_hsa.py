"""SP 721 HSA-mappning: every field's rule, periods that never overlap, the name on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import hsa, models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from tests.conftest import USER

GOOD = {
    "clinic_code": "K02",
    "valid_from": dt.date(2027, 1, 1),
    "valid_to": dt.date(2039, 12, 31),
    "org_number": "232100-0255",
    "hsa_id": "se162321000255-k02dag",
    "name": "Dagkirurgi Lund",
}


def _unit_id(engine: Engine, code: str = "KIR") -> int:
    with open_session(engine, user=USER, clock=FixedClock(dt.datetime(2026, 11, 22))) as s:
        unit = s.exec(select(models.Unit).where(models.Unit.code == code)).one()
        assert unit.id is not None
        return unit.id


def _save(engine: Engine, clock: FixedClock, **changes: object) -> hsa.HsaSaved:
    values = {**GOOD, **changes}
    unit_id = _unit_id(engine)
    with write_session(engine, user=USER, clock=clock) as session:
        return hsa.save_mapping(session=session, unit_id=unit_id, **values)  # type: ignore[arg-type]


def test_a_mapping_is_saved_upper_cased_and_named_on_its_days(
    demo_engine: Engine, clock: FixedClock
) -> None:
    saved = _save(demo_engine, clock)
    assert saved.mapping.hsa_id == "SE162321000255-K02DAG"
    assert saved.mapping.created == "2026-11-22 VIS"
    assert "K02 2027-01-01 – 2039-12-31" in saved.message
    unit_id = _unit_id(demo_engine)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        clinic_id = saved.mapping.clinic_id
        assert (
            hsa.mapped_name(session=session, clinic_id=clinic_id, day=dt.date(2026, 12, 31)) is None
        )
        named = hsa.mapped_name(session=session, clinic_id=clinic_id, day=dt.date(2027, 1, 1))
        assert named == hsa.MappedName(hsa_id="SE162321000255-K02DAG", name="Dagkirurgi Lund")
        lines = hsa.list_mappings(session=session, unit_id=unit_id, limit=10)
        assert [line.clinic_code for line in lines] == ["K01", "K02"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"clinic_code": "XX9"}, "clinic", "okänd mottagning"),
        ({"valid_to": None}, "valid_to", "Till datum måste fyllas i"),
        ({"valid_to": dt.date(2026, 12, 31)}, "valid_to", "samma dag som From datum"),
        ({"org_number": ""}, "org_number", "Organisationsnr måste fyllas i"),
        ({"org_number": "232100-0256"}, "org_number", "kontrollsiffra"),
        ({"hsa_id": ""}, "hsa_id", "HSA id måste fyllas i"),
        ({"hsa_id": "SE162321000255_K02"}, "hsa_id", "Ogiltigt HSA-id"),
        ({"hsa_id": "SE16232100025-K02" + "A" * 20}, "hsa_id", "Ogiltigt HSA-id"),
        ({"hsa_id": "SE162120000134-K02"}, "hsa_id", "hör inte till organisationsnummer"),
        # Another clinic's HSA-id, typed in lower case, is still the same id.
        ({"hsa_id": "se162321000255-021426"}, "hsa_id", "redan mappat till mottagning LUEM"),
        ({"name": "  "}, "name", "Namn måste fyllas i"),
        ({"name": "N" * 81}, "name", r"högst 80 tecken \(du skrev 81\)"),
    ],
)
def test_each_field_is_refused_with_its_rule(
    demo_engine: Engine, clock: FixedClock, changes: dict[str, object], field: str, text: str
) -> None:
    with pytest.raises(PasisError, match=text) as refused:
        _save(demo_engine, clock, **changes)
    assert refused.value.field == field
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert not hsa.list_mappings(
            session=session, unit_id=_unit_id(demo_engine), clinic_id=None
        )[1:]


def test_overlapping_periods_of_one_clinic_are_refused_and_touching_ones_kept(
    demo_engine: Engine, clock: FixedClock
) -> None:
    first = _save(demo_engine, clock)
    with pytest.raises(PasisError, match="överlappar mottagningens mappning 2027-01-01") as refused:
        _save(demo_engine, clock, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2027, 1, 1))
    assert refused.value.field == "valid_from"
    _save(demo_engine, clock, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    # Changing a period onto itself is not an overlap with itself.
    changed = _save(
        demo_engine, clock, mapping_id=first.mapping.id, name="Dagkirurgiska mottagningen Lund"
    )
    assert changed.mapping.name == "Dagkirurgiska mottagningen Lund" and "ändrad" in changed.message
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert "borttagen" in hsa.delete_mapping(session=session, mapping_id=first.mapping.id)
        with pytest.raises(PasisError, match="finns inte längre"):
            hsa.delete_mapping(session=session, mapping_id=first.mapping.id)
