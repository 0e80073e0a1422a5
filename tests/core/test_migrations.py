"""Migrations keep data: a database filled at the first revision is upgraded with every row
intact; the guards added later (periods that never overlap, checks) hold on both backends."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import (
    WRITE,
    _alembic_config,
    make_engine,
    transaction_engine,
    upgrade,
    write_session,
)
from pasis_tui.core.settings_1177 import effective_settings
from tests.conftest import BACKENDS, DEMO_NOW, POSTGRES_ENV, USER, _pg_admin, _pg_url

FIRST = "0001"


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL: set {POSTGRES_ENV} to a server URL (.ci/run does)")
    name = f"pasis_mig_{uuid.uuid4().hex[:10]}"
    _pg_admin(server, f'CREATE DATABASE "{name}"')
    yield _pg_url(server, name)
    _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(engine: Engine, revision: str) -> None:
    from alembic import command

    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _rows(engine: Engine, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    meta = MetaData()
    meta.reflect(engine, only=[table])
    t = meta.tables[table]
    with engine.connect() as connection:
        query = select(*(t.c[c] for c in columns)).order_by(*t.primary_key.columns)
        return [tuple(row) for row in connection.execute(query)]


def test_upgrade_from_the_first_revision_keeps_every_row(
    empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole demo, copied into a database at revision 0001 (its columns of that day), is
    upgraded to head: every row of every table is still there, and the new end instant of each
    slot is exactly what publishing computes today. The demo is built without its follow-up
    history (`demo_followup`), whose past visits are slots without a schedule day — rows 0001
    could not hold (0002 brought them, for removed days)."""
    from pasis_tui.core import demo as demo_module
    from pasis_tui.core.demo_followup import demo_followup

    steps = [step for step in demo_module.DEMO_STEPS if step is not demo_followup]
    monkeypatch.setattr(demo_module, "DEMO_STEPS", steps)
    demo = make_engine(f"sqlite:///{tmp_path / 'demo_0001.db'}")
    demo_module.build_demo(demo, clock=FixedClock(DEMO_NOW), user=USER)
    old = make_engine(empty_url)
    _migrate(old, FIRST)
    old_tables = MetaData()
    old_tables.reflect(old)
    copied: dict[str, list[str]] = {}
    demo_meta = MetaData()
    demo_meta.reflect(demo)
    with demo.connect() as source, old.begin() as target:
        for table in old_tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c.name for c in table.columns]
            rows = [
                dict(r._mapping)
                for r in source.execute(
                    select(*(demo_meta.tables[table.name].c[c] for c in columns))
                )
            ]
            if rows:
                target.execute(table.insert(), rows)
            copied[table.name] = columns
    assert sum(1 for _ in copied) > 15 and _rows(old, "slot", ["id"])

    upgrade(old)

    assert set(models.metadata.tables) <= set(inspect(old).get_table_names())
    for table, columns in copied.items():
        assert _rows(old, table, columns) == _rows(demo, table, columns), table
    assert _rows(old, "slot", ["id", "ends_at_utc"]) == _rows(demo, "slot", ["id", "ends_at_utc"])
    # 0001 could hold rebookings (rebooked_from_id): 0002 counts each chain's depth.
    assert _rows(old, "booking", ["id", "rebooking_no"]) == _rows(
        demo, "booking", ["id", "rebooking_no"]
    )
    assert any(n for _, n in _rows(old, "booking", ["id", "rebooking_no"]))
    demo.dispose()
    old.dispose()


def _unit_and_clinic(engine: Engine, clock) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with write_session(engine, user=USER, clock=clock) as session:
        unit = models.Unit(code="MIG", name="Migreringsenhet")
        session.add(unit)
        session.flush()
        clinic = models.Clinic(unit_id=unit.id, code="M1", name="Mott 1")  # type: ignore[arg-type]
        session.add(clinic)
        session.flush()
        return unit.id, clinic.id  # type: ignore[return-value]


def _settings(engine: Engine, clock, **values) -> None:  # type: ignore[no-untyped-def]
    with write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Settings1177(**values))


REFUSED = (IntegrityError, DBAPIError)


def test_sp177_periods_never_overlap_and_effective_values(engine: Engine, clock) -> None:  # type: ignore[no-untyped-def]
    unit_id, clinic_id = _unit_and_clinic(engine, clock)
    jan, jun, dec = dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 12, 31)
    _settings(engine, clock, unit_id=unit_id, valid_from=jan, valid_to=jun, searchable_weeks=12)
    _settings(
        engine,
        clock,
        unit_id=unit_id,
        clinic_id=clinic_id,
        valid_from=jan,
        valid_to=dec,
        cancel_limit_hours=48,
        searchable_weeks=0,
    )
    # The same unit row period again, overlapping by one day, is refused by the database.
    with pytest.raises(REFUSED):
        _settings(engine, clock, unit_id=unit_id, valid_from=jun, valid_to=dec)
    with pytest.raises(REFUSED):
        _settings(
            engine,
            clock,
            unit_id=unit_id,
            clinic_id=clinic_id,
            valid_from=dt.date(2026, 12, 31),
            valid_to=dt.date(2027, 1, 31),
        )
    # Touching periods are fine.
    _settings(
        engine,
        clock,
        unit_id=unit_id,
        valid_from=dt.date(2026, 7, 1),
        valid_to=dec,
        patient_rebookings=5,
    )
    with write_session(engine, user=USER, clock=clock) as session:
        spring = effective_settings(session=session, clinic_id=clinic_id, day=dt.date(2026, 3, 1))
        autumn = effective_settings(session=session, clinic_id=clinic_id, day=dt.date(2026, 9, 1))
        later = effective_settings(session=session, clinic_id=clinic_id, day=dt.date(2027, 3, 1))
    # Clinic row's 0 means "not set here": the unit's 12 weeks apply in spring.
    assert (spring.searchable_weeks, spring.cancel_limit_hours, spring.patient_rebookings) == (
        12,
        48,
        models.DEFAULT_PATIENT_REBOOKINGS,
    )
    assert (autumn.searchable_weeks, autumn.patient_rebookings) == (
        models.DEFAULT_SEARCHABLE_WEEKS,
        5,
    )
    assert later.defaulted == {
        "searchable_weeks",
        "patient_rebookings",
        "rebook_limit_hours",
        "cancel_limit_hours",
    }


def test_hsa_periods_of_one_clinic_never_overlap(engine: Engine, clock) -> None:  # type: ignore[no-untyped-def]
    _unit, clinic_id = _unit_and_clinic(engine, clock)

    def mapping(first: dt.date, last: dt.date) -> None:
        with write_session(engine, user=USER, clock=clock) as session:
            session.add(
                models.HsaMapping(
                    clinic_id=clinic_id,
                    valid_from=first,
                    valid_to=last,
                    org_number="232100-0255",
                    hsa_id="SE162321000255-021426",
                    name="Endoskopimottagning Lund",
                )
            )

    mapping(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    mapping(dt.date(2026, 7, 1), dt.date(2099, 12, 31))
    with pytest.raises(REFUSED):
        mapping(dt.date(2026, 6, 30), dt.date(2026, 7, 1))


def test_watch_type_and_contact_type_are_checked(demo_engine: Engine) -> None:
    with demo_engine.connect() as connection:
        row = connection.execute(text("SELECT id FROM activity LIMIT 1")).scalar()
    with pytest.raises(REFUSED), demo_engine.begin() as connection:
        connection.execute(
            text("UPDATE activity SET contact_type = 'XX' WHERE id = :id"), {"id": row}
        )
    with demo_engine.connect() as connection:
        unit_id = connection.execute(text("SELECT id FROM unit LIMIT 1")).scalar()
        patient_id = connection.execute(text("SELECT id FROM patient LIMIT 1")).scalar()
    for values in ({"watch_type": "XX"}, {"contact_type": "XX"}):
        with pytest.raises(REFUSED):
            with write_session(demo_engine, user=USER, clock=FixedClock(DEMO_NOW)) as session:
                session.add(models.Watch(unit_id=unit_id, patient_id=patient_id, **values))


def test_0006_moves_an_order_list_between_rows_and_the_packed_value(demo_engine: Engine) -> None:
    """Down to 0005 the demo's order lists become watch_search_result rows again (in order, the
    rows of what was done kept); up to head they are packed on their orders exactly as before."""
    from alembic import command

    from pasis_tui.core.watch_search import unpack_ids

    def lists() -> dict[int, list[int]]:
        with demo_engine.connect() as connection:
            rows = connection.execute(text("SELECT id, watch_list FROM watch_search_order"))
            return {order_id: unpack_ids(data) for order_id, data in rows}

    before = lists()
    assert before and all(before.values())
    config = _alembic_config()
    with transaction_engine(demo_engine, WRITE).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # as db.upgrade: batch mode copies tables that others refer to
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    with demo_engine.connect() as connection:
        for order_id, ids in before.items():
            rows = connection.execute(
                text(
                    "SELECT watch_id, position FROM watch_search_result WHERE order_id = :o "
                    "ORDER BY position"
                ),
                {"o": order_id},
            ).all()
            assert [w for w, _ in rows] == ids
            assert [p for _, p in rows] == list(range(1, len(ids) + 1))
    upgrade(demo_engine)
    assert lists() == before
