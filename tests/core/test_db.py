"""Storage: migrations, constraints in the database, stamps and the audit log, on both backends."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import select

import pasis_tui.core
from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import (
    database_url,
    make_engine,
    open_session,
    schema_state,
    upgrade,
    write_session,
)
from pasis_tui.core.errors import PasisError
from tests.conftest import USER

#: What the database raises when it refuses a row: a broken constraint, or (PostgreSQL) a
#: value too long for its column.
REFUSED = (IntegrityError, DataError)


CORE = Path(pasis_tui.core.__file__).parent
#: Alembic's scripts: loaded by Alembic from a file, not importable as modules.
MIGRATIONS = CORE / "migrations"
UI_LIBRARIES = ("textual", "rich")


def _core_modules() -> list[str]:
    """Every module under pasis_tui/core on disk (new ones count without touching this test)."""
    names = []
    for path in sorted(CORE.rglob("*.py")):
        if MIGRATIONS in path.parents:
            continue
        parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_core_never_imports_textual() -> None:
    modules = _core_modules()
    assert {"pasis_tui.core.db", "pasis_tui.core.models", "pasis_tui.core.demo"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"leaked = sorted(m for m in {UI_LIBRARIES!r} if m in sys.modules)\n"
        "assert not leaked, f'pasis_tui.core imports {leaked}'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_migrations_never_import_textual() -> None:
    for path in MIGRATIONS.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                imported = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] in UI_LIBRARIES for n in imported), path


def test_app_module_does_not_import_the_database_layer() -> None:
    """Start-up paints the menu before SQLAlchemy (≈0.8 s) is imported."""
    code = (
        "import sys, pasis_tui.app, pasis_tui.cli; "
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported at start-up'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_schema_comes_from_migrations_and_matches_models(engine: Engine) -> None:
    state = schema_state(engine)
    assert state.up_to_date
    tables = set(inspect(engine).get_table_names())
    assert set(models.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrations_and_models_agree(engine: Engine) -> None:
    """Autogenerate finds nothing to do: the migrations build exactly the models' schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), models.metadata)
    assert diff == []


def test_newer_schema_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(PasisError, match="nyare schema"):
        upgrade(engine)


def test_upgrade_is_idempotent(engine: Engine) -> None:
    assert upgrade(engine).up_to_date
    assert upgrade(engine).up_to_date


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_database_url_from_path_and_url(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    url = "postgresql+psycopg://u@h:5432/db"
    assert database_url(url) == url
    with pytest.raises(PasisError):
        database_url("nonsense://")


def _unit(session, code: str = "TEST") -> models.Unit:  # type: ignore[no-untyped-def]
    unit = models.Unit(code=code, name="Testenhet")
    session.add(unit)
    session.flush()
    return unit


def test_stamps_and_audit_on_insert_update_delete(engine: Engine, clock: FixedClock) -> None:
    with write_session(engine, user=USER, clock=clock) as session:
        unit = _unit(session)
        unit_id = unit.id
    clock.advance(dt.timedelta(hours=1))
    with write_session(engine, user="HAN", clock=clock) as session:
        unit = session.get(models.Unit, unit_id)
        assert unit is not None
        unit.name = "Ändrat namn"
    with open_session(engine, user=USER, clock=clock) as session:
        unit = session.get(models.Unit, unit_id)
        assert unit is not None
        assert unit.created_by == USER and unit.created_at == dt.datetime(2026, 11, 22, 9, 6)
        assert unit.updated_by == "HAN" and unit.updated_at == dt.datetime(2026, 11, 22, 10, 6)
        entries = session.exec(
            select(models.AuditEntry)
            .where(models.AuditEntry.table_name == "unit", models.AuditEntry.row_id == unit_id)
            .order_by(models.AuditEntry.id)  # type: ignore[arg-type]
        ).all()
    assert [(e.action, e.user) for e in entries] == [("Ny", USER), ("Ändrad", "HAN")]
    assert json.loads(entries[1].before or "{}") == {"name": "Testenhet"}
    assert json.loads(entries[1].after or "{}") == {"name": "Ändrat namn"}


def test_write_is_all_or_nothing(engine: Engine, clock: FixedClock) -> None:
    with pytest.raises(RuntimeError), write_session(engine, user=USER, clock=clock) as session:
        _unit(session, "GONE")
        raise RuntimeError("a failure half-way")
    with open_session(engine, user=USER, clock=clock) as session:
        assert session.exec(select(models.Unit).where(models.Unit.code == "GONE")).first() is None
        audit = select(models.AuditEntry).where(models.AuditEntry.table_name == "unit")
        assert session.exec(audit).first() is None


def test_activity_code_unique_per_unit_and_length_checked(
    engine: Engine, clock: FixedClock
) -> None:
    with write_session(engine, user=USER, clock=clock) as session:
        unit_id = _unit(session).id
    kwargs = {"name": "Öppen kallelse ny", "activity_type": models.ActivityType.BOOKABLE}
    with write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Activity(unit_id=unit_id, code="ÖKNY", **kwargs))
    with pytest.raises(REFUSED), write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Activity(unit_id=unit_id, code="ÖKNY", **kwargs))
    with pytest.raises(REFUSED), write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Activity(unit_id=unit_id, code="ÖKNYX", **kwargs))
    with pytest.raises(REFUSED), write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Activity(unit_id=None, code="NYB", **kwargs))  # a general code


def test_foreign_keys_are_enforced(engine: Engine, clock: FixedClock) -> None:
    with pytest.raises(REFUSED), write_session(engine, user=USER, clock=clock) as session:
        session.add(models.Clinic(unit_id=424242, code="X", name="Finns inte"))


def test_purpose_at_most_80_and_ok_watch_without_location(
    demo_engine: Engine, clock: FixedClock
) -> None:
    """seed 5.1: Syfte holds at most 80 characters; Var is empty for ÖK — the database says so."""
    with open_session(demo_engine, user=USER, clock=clock) as session:
        unit_id = session.exec(select(models.Unit.id)).first()
        patient_id = session.exec(select(models.Patient.id)).first()
    base = {"unit_id": unit_id, "patient_id": patient_id}
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.add(models.Watch(**base, purpose="x" * 80))
    for bad in ({"purpose": "x" * 81}, {"location": "VAR1"}):
        with pytest.raises(REFUSED), write_session(demo_engine, user=USER, clock=clock) as session:
            session.add(models.Watch(**base, **bad))


def test_start_up_reads_the_same_revisions_as_alembic() -> None:
    """`schema_state` reads the migration scripts' revisions without Alembic: the same head
    and the same set as Alembic's script directory."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from pasis_tui.core.db import MIGRATIONS_DIR, migration_revisions

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    head, revisions = migration_revisions()
    assert head == script.get_current_head()
    assert revisions == {rev.revision for rev in script.walk_revisions()}


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    code = (
        "import sys; from pasis_tui.core.db import make_engine, upgrade; "
        f"upgrade(make_engine({url!r})); "
        "assert 'alembic' not in sys.modules, 'alembic imported for an up-to-date database'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
