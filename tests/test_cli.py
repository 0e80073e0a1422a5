"""The `pasis` command: demo database, refusals, bad arguments and unusable databases."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from pasis_tui.cli import main
from pasis_tui.core.db import make_engine
from pasis_tui.core.demo import is_demo

NOW = ["--now", "2026-11-22 10:06"]


def test_help_documents_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pasis_tui", "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--db", "--user", "--enhet", "--now", "--screen", "demo", "db"):
        assert option in result.stdout


def test_demo_create_only_builds_a_demo_database(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "x.db"
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0
    assert "Demodatabasen är byggd" in capsys.readouterr().out
    engine = make_engine(f"sqlite:///{db}")
    assert is_demo(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM patient")).scalar() == 22
        assert connection.execute(text("SELECT count(*) FROM booking_type")).scalar() == 109
    engine.dispose()
    # A demo database may be rebuilt without asking.
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0


def test_demo_never_overwrites_another_database(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "real.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, note TEXT)")
    connection.execute("INSERT INTO journal (note) VALUES ('viktig')")
    connection.commit()
    connection.close()
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 2
    assert "ingen demodatabas" in capsys.readouterr().err
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT note FROM journal").fetchall() == [("viktig",)]
    connection.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["--now", "2026-13-01 10:00"],
        ["--now", "igår"],
        ["--db", "nonsense://x"],
        ["--db", ""],
        ["--screen", "999"],
        ["--user", "EN MED MELLANSLAG"],
    ],
)
def test_malformed_arguments_give_the_usage(argv: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage: pasis" in capsys.readouterr().err


def test_unreadable_database_gives_a_message_not_a_traceback(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "trasig.db"
    db.write_bytes(b"this is not an sqlite database at all" * 100)
    assert main(["db", "upgrade", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pasis: Databasen kan inte öppnas") and "Traceback" not in err


def test_newer_schema_gives_a_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "ny.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    assert main(["db", "upgrade", "--db", str(db)]) == 2
    assert "nyare schema" in capsys.readouterr().err


def test_locked_database_gives_a_message_after_the_timeout(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "last.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["db", "upgrade", "--db", str(db)]) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "låst av någon annan" in capsys.readouterr().err
