"""Transactions that fit each backend: reads never wait for a writer, writes wait a bounded time.

The SQLite cases run the other terminal as a real OS process on a file database; the
PostgreSQL cases hold a row or table lock on a second connection.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import func, select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.context import WorkContext
from pasis_tui.core.db import (
    describe_db_error,
    lock_message,
    make_engine,
    open_session,
    schema_state,
    upgrade,
    write_session,
)
from pasis_tui.core.demo import is_demo, rebuild_demo
from pasis_tui.core.errors import PasisError
from pasis_tui.core.units import list_units
from tests.conftest import USER, _database, _Templates, demo_clock

#: "Promptly": far below the 5 s a read used to wait behind a writer before it failed.
PROMPT_S = 1.5
SHORT_LOCK_MS = 700

#: The other terminal: holds a write (a flushed, uncommitted unit) or a read (an open read
#: session that has read the units) until its stdin closes. It prints "held" once it holds.
OTHER_TERMINAL = """
import sys
from pasis_tui.core import models
from pasis_tui.core.clock import SystemClock
from pasis_tui.core.db import make_engine, open_session, write_session
from pasis_tui.core.demo import is_demo, rebuild_demo
from pasis_tui.core.errors import PasisError
from pasis_tui.core.units import list_units

url, mode = sys.argv[1], sys.argv[2]
engine = make_engine(url)
if mode == "write":
    with write_session(engine, user="ANDRA", clock=SystemClock()) as session:
        session.add(models.Unit(code="ANDRA", name="Andra terminalen"))
        session.flush()
        print("held", flush=True)
        sys.stdin.read()
        raise SystemExit(0)  # rolls the write back
with open_session(engine, user="ANDRA", clock=SystemClock()) as session:
    list_units(session)
    print("held", flush=True)
    sys.stdin.read()
"""


@contextmanager
def other_terminal(url: str, mode: str) -> Iterator[None]:
    """Another process that holds the write lock (`write`) or an open read (`read`)."""
    process = subprocess.Popen(
        [sys.executable, "-c", OTHER_TERMINAL, url, mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=30)


@pytest.fixture
def sqlite_file(templates: _Templates, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    """A migrated SQLite file with the reference data and one unit."""
    for engine, url in _database("sqlite", "base", templates, tmp_path):
        with write_session(engine, user=USER, clock=demo_clock()) as s:
            s.add(models.Unit(code="KIR", name="Kirurgi"))
        yield engine, url


@pytest.fixture
def postgres(templates: _Templates, tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    """A migrated PostgreSQL database with the reference data and one unit."""
    for engine, url in _database("postgresql", "base", templates, tmp_path):
        with write_session(engine, user=USER, clock=demo_clock()) as s:
            s.add(models.Unit(code="KIR", name="Kirurgi"))
        yield engine, url


def _context(engine: Engine, clock: FixedClock) -> WorkContext:
    with open_session(engine, user=USER, clock=clock) as session:
        unit = list_units(session)[0]
    return WorkContext(engine=engine, user=USER, clock=clock, unit=unit)


def test_read_beside_another_process_holding_the_write_lock(
    sqlite_file: tuple[Engine, str], clock: FixedClock
) -> None:
    engine, url = sqlite_file
    ctx = _context(engine, clock)
    with other_terminal(url, "write"):
        started = time.monotonic()
        with ctx.read() as session:
            codes = [unit.code for unit in list_units(session)]
            booking_types = session.exec(select(func.count()).select_from(models.BookingType))
            assert booking_types.one() == 109
        elapsed = time.monotonic() - started
    assert codes == ["KIR"]  # the other process's uncommitted unit is not seen
    assert elapsed < PROMPT_S, f"a read waited {elapsed:.2f} s for a writer"


def test_write_beside_another_process_holding_an_open_read(
    sqlite_file: tuple[Engine, str], clock: FixedClock
) -> None:
    engine, url = sqlite_file
    ctx = _context(engine, clock)
    with other_terminal(url, "read"):
        started = time.monotonic()
        with ctx.write() as session:
            session.add(models.Unit(code="REUM", name="Reumatologi"))
        elapsed = time.monotonic() - started
    assert elapsed < PROMPT_S, f"a write waited {elapsed:.2f} s for an open read"
    with ctx.read() as session:
        assert [unit.code for unit in list_units(session)] == ["KIR", "REUM"]


def test_up_to_date_schema_is_checked_without_the_write_lock(
    sqlite_file: tuple[Engine, str],
) -> None:
    engine, url = sqlite_file
    with other_terminal(url, "write"):
        started = time.monotonic()
        assert schema_state(engine).up_to_date
        assert upgrade(engine).up_to_date
        elapsed = time.monotonic() - started
    assert elapsed < PROMPT_S, f"checking the schema waited {elapsed:.2f} s"


def test_write_behind_another_writer_fails_as_locked_after_the_timeout(
    sqlite_file: tuple[Engine, str], clock: FixedClock
) -> None:
    _, url = sqlite_file
    impatient = make_engine(url, lock_timeout_ms=SHORT_LOCK_MS)
    try:
        with other_terminal(url, "write"):
            started = time.monotonic()
            with (
                pytest.raises(OperationalError) as caught,
                write_session(impatient, user=USER, clock=clock) as session,
            ):
                session.add(models.Unit(code="REUM", name="Reumatologi"))
            elapsed = time.monotonic() - started
    finally:
        impatient.dispose()
    assert SHORT_LOCK_MS / 1000 * 0.8 <= elapsed < SHORT_LOCK_MS / 1000 + PROMPT_S
    assert "låst av någon annan" in describe_db_error(caught.value)
    assert (lock_message(caught.value) or "").startswith("Databasen är låst av någon annan")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_read_session_refuses_to_write(
    backend: str, templates: _Templates, tmp_path: Path, clock: FixedClock
) -> None:
    """A write slipped into a read would skip the write lock: the database refuses it."""
    for engine, _ in _database(backend, "base", templates, tmp_path):
        with pytest.raises(DBAPIError), open_session(engine, user=USER, clock=clock) as session:
            session.add(models.Unit(code="SMYG", name="Smygskrivning"))
            session.flush()
        with open_session(engine, user=USER, clock=clock) as session:
            assert list_units(session) == []
        with write_session(engine, user=USER, clock=clock) as session:  # the writer may
            session.add(models.Unit(code="SMYG", name="Smygskrivning"))


# ------------------------------------------------------------------------------------------------
# PostgreSQL: a lock timeout instead of waiting for ever


def test_postgres_sessions_carry_lock_and_statement_timeouts(
    postgres: tuple[Engine, str],
) -> None:
    engine, _ = postgres
    with engine.connect() as connection:
        assert connection.execute(text("SHOW lock_timeout")).scalar() == "5s"
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "5min"


@pytest.mark.parametrize(
    "hold",
    [
        "SELECT id FROM unit WHERE code = 'KIR' FOR UPDATE",
        "LOCK TABLE unit IN ACCESS EXCLUSIVE MODE",
    ],
    ids=["row-lock", "table-lock"],
)
def test_postgres_write_behind_a_held_lock_fails_as_locked(
    postgres: tuple[Engine, str], clock: FixedClock, hold: str
) -> None:
    engine, url = postgres
    impatient = make_engine(url, lock_timeout_ms=SHORT_LOCK_MS)
    try:
        with engine.connect() as holder:
            holder.execute(text(hold))
            started = time.monotonic()
            with (
                pytest.raises(OperationalError) as caught,
                write_session(impatient, user=USER, clock=clock) as session,
            ):
                unit = session.exec(select(models.Unit).where(models.Unit.code == "KIR")).one()
                unit.name = "Ändrad bakom ett lås"
            elapsed = time.monotonic() - started
            holder.rollback()
    finally:
        impatient.dispose()
    assert SHORT_LOCK_MS / 1000 * 0.8 <= elapsed < SHORT_LOCK_MS / 1000 + PROMPT_S
    assert "låst av någon annan" in describe_db_error(caught.value)
    assert (lock_message(caught.value) or "").startswith("Databasen är låst av någon annan")
    with open_session(engine, user=USER, clock=clock) as session:
        assert [unit.name for unit in session.exec(select(models.Unit)).all()] == ["Kirurgi"]


# ------------------------------------------------------------------------------------------------
# pasis demo on a server database


def test_rebuild_demo_on_postgres_replaces_only_when_allowed(
    postgres: tuple[Engine, str], clock: FixedClock
) -> None:
    engine, url = postgres
    engine.dispose()
    with pytest.raises(PasisError, match="ingen demodatabas"):
        rebuild_demo(url, clock=clock, may_replace=lambda: False)
    rebuild_demo(url, clock=clock, may_replace=lambda: True)
    rebuild_demo(url, clock=clock, may_replace=lambda: False)  # a demo is rebuilt unasked
    fresh = make_engine(url)
    try:
        assert is_demo(fresh) and schema_state(fresh).up_to_date
        with open_session(fresh, user=USER, clock=clock) as session:
            assert session.exec(select(func.count()).select_from(models.Patient)).one() == 21
    finally:
        fresh.dispose()
