"""Shared fixtures: databases on SQLite and PostgreSQL (from migrated templates), a fixed clock.

PostgreSQL runs when PASIS_TEST_POSTGRES_URL names a server (`.ci/run` starts one); without it
those tests skip with that reason. Each test gets its own database, copied from a template that
was migrated (and, for `demo_engine`, filled with the demo) once per xdist worker.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import pytest
from sqlalchemy import Engine, text

from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import make_engine, upgrade, write_session
from pasis_tui.core.demo import build_demo
from pasis_tui.core.reference import load_reference

POSTGRES_ENV = "PASIS_TEST_POSTGRES_URL"
#: The demo's fixed clock: a Sunday morning (the header of issue #2's example).
DEMO_NOW = dt.datetime(2026, 11, 22, 10, 6)
USER = "VIS"
BACKENDS = ["sqlite", "postgresql"]


def demo_clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def clock() -> FixedClock:
    return demo_clock()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


class _Templates:
    """Migrated (and demo) template databases, made once per worker and copied per test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sqlite: dict[str, Path] = {}
        self.postgres: dict[str, str] = {}

    def sqlite_template(self, kind: str) -> Path:
        if kind not in self.sqlite:
            path = self.root / f"template-{kind}.db"
            engine = make_engine(f"sqlite:///{path}")
            _fill(engine, kind)
            engine.dispose()  # the last connection's close checkpoints the WAL into the file
            assert not path.with_name(path.name + "-wal").exists()
            self.sqlite[kind] = path
        return self.sqlite[kind]

    def postgres_template(self, server: str, kind: str) -> str:
        if kind not in self.postgres:
            name = f"pasis_tmpl_{kind}_{_worker()}_{os.getpid()}"
            _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
            engine = make_engine(_pg_url(server, name))
            _fill(engine, kind)
            engine.dispose()
            self.postgres[kind] = name
        return self.postgres[kind]


def _fill(engine: Engine, kind: str) -> None:
    if kind == "demo":
        build_demo(engine, clock=demo_clock(), user=USER)
        return
    upgrade(engine)
    with write_session(engine, user=USER, clock=demo_clock()) as session:
        load_reference(session)


def _pg_url(server: str, database: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + database


def _pg_admin(server: str, *statements: str) -> None:
    engine = make_engine(server)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Templates]:
    store = _Templates(tmp_path_factory.mktemp("templates"))
    yield store
    server = os.environ.get(POSTGRES_ENV)
    if server and store.postgres:
        _pg_admin(server, *(f'DROP DATABASE IF EXISTS "{n}"' for n in store.postgres.values()))


def _database(
    backend: str, kind: str, templates: _Templates, tmp_path: Path
) -> Iterator[tuple[Engine, str]]:
    if backend == "sqlite":
        path = tmp_path / f"{kind}.db"
        shutil.copyfile(templates.sqlite_template(kind), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        yield engine, url
        engine.dispose()
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"PostgreSQL: set {POSTGRES_ENV} to a server URL (.ci/run does)")
    template = templates.postgres_template(server, kind)
    name = f"pasis_t_{_worker()}_{uuid.uuid4().hex[:10]}"
    _pg_admin(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = _pg_url(server, name)
    engine = make_engine(url)
    yield engine, url
    engine.dispose()
    _pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, templates: _Templates, tmp_path: Path
) -> Iterator[Engine]:
    """A migrated database with reference data (general activities, PMO types), per backend."""
    yield from (e for e, _ in _database(request.param, "base", templates, tmp_path))


@pytest.fixture(params=BACKENDS)
def demo_engine(
    request: pytest.FixtureRequest, templates: _Templates, tmp_path: Path
) -> Iterator[Engine]:
    """A database holding the whole demo, per backend."""
    yield from (e for e, _ in _database(request.param, "demo", templates, tmp_path))


@pytest.fixture
def demo_url(templates: _Templates, tmp_path: Path) -> Iterator[str]:
    """An SQLite demo database's URL, for app and CLI tests."""
    yield from (u for _, u in _database("sqlite", "demo", templates, tmp_path))
