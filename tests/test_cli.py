"""The `pasis` command: demo database, refusals, bad arguments and unusable databases."""

from __future__ import annotations

import os
import platform
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from pasis_tui.cli import main
from pasis_tui.core.db import describe_db_error, make_engine
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
        assert connection.execute(text("SELECT count(*) FROM patient")).scalar() == 21
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
    """A database that needs migrating waits for the write lock, then says it is locked."""
    db = tmp_path / "last.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert main(["db", "upgrade", "--db", str(db)]) == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "låst av någon annan" in capsys.readouterr().err


def test_upgrade_of_a_current_database_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "aktuell.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE app_meta SET value = value")
    try:
        started = time.monotonic()
        assert main(["db", "upgrade", "--db", str(db)]) == 0
        assert time.monotonic() - started < 1.5
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_database_without_migration_history_says_what_to_do(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "gammal.db"
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    _sql(db, "DROP TABLE alembic_version")
    for argv in (["db", "upgrade", "--db", str(db)], ["--db", str(db), *NOW]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "ingen migreringshistorik" in err and "pasis demo" in err
        assert "already exists" not in err and "Traceback" not in err


def test_demo_without_migration_history_is_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "gammal-demo.db"
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0
    _sql(db, "DROP TABLE alembic_version")
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0
    assert _sql(db, "SELECT count(*) FROM alembic_version") == [(1,)]


def test_demo_refuses_a_newer_schema_before_rebuilding(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "framtida-demo.db"
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0
    _sql(db, "UPDATE alembic_version SET version_num = '9999_future'")
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 2
    assert "nyare schema" in capsys.readouterr().err
    assert _sql(db, "SELECT version_num FROM alembic_version") == [("9999_future",)]
    assert _sql(db, "SELECT count(*) FROM patient") == [(21,)]


@pytest.mark.parametrize("command", [[], ["db", "upgrade"], ["demo", "--create-only"]])
def test_read_only_database_is_refused_at_start(  # type: ignore[no-untyped-def]
    tmp_path: Path, capsys, command: list[str]
) -> None:
    db = tmp_path / "skrivskyddad.db"
    assert main(["demo", "--create-only", "--db", str(db), *NOW]) == 0
    capsys.readouterr()
    db.chmod(0o444)
    assert main([*command, "--db", str(db), *NOW]) == 2  # the TUI never starts
    err = capsys.readouterr().err
    assert err.startswith("pasis: Databasfilen") and "skrivskyddad" in err
    db.chmod(0o644)
    assert _sql(db, "SELECT count(*) FROM patient") == [(21,)]


def test_bad_database_url_in_the_environment_gives_a_message(  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("PASIS_DATABASE_URL", "nonsense://x")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert "PASIS_DATABASE_URL" in err and "Traceback" not in err


def test_an_error_without_text_is_still_described() -> None:
    assert describe_db_error(EOFError()) == "EOFError"


# ------------------------------------------------------------------------------------------------
# The overwrite question, answered on a real terminal (a pty)

QUESTION = b"[j/N]"


def _in_terminal(argv: list[str], answer: bytes) -> tuple[int, str]:
    """Run `pasis argv` on a pseudo-terminal, type `answer` at the question; exit code, output."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: pasis, with the pty as its terminal and Ctrl+C as a user has it
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # test runners' workers may ignore it
        os.execv(sys.executable, [sys.executable, "-m", "pasis_tui", *argv])
    output = b""
    deadline = time.monotonic() + 60
    answered = False
    while time.monotonic() < deadline:
        if not answered and QUESTION in output and _reading_the_terminal(pid):
            os.write(fd, answer)
            answered = True
        ready, _, _ = select.select([fd], [], [], 0.02 if QUESTION in output else 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


#: The `read` system call's number, as /proc/PID/syscall shows it.
READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}.get(platform.machine())


def _reading_the_terminal(pid: int) -> bool:
    """Whether `pid` waits in read(): a Ctrl+C that comes before would be noticed only after it.

    Python writes the prompt, then reads; a SIGINT in between is held until the read returns.
    """
    if READ_SYSCALL is None:
        return True
    try:
        return Path(f"/proc/{pid}/syscall").read_text().split()[0] == READ_SYSCALL
    except (OSError, IndexError):
        return True


def _journal(db: Path) -> None:
    _sql(db, "CREATE TABLE journal (id INTEGER PRIMARY KEY, note TEXT)")
    _sql(db, "INSERT INTO journal (note) VALUES ('viktig')")


@pytest.mark.parametrize(
    ("answer", "code", "says"),
    [
        (b"\x04", 2, "ingen demodatabas; den lämnas orörd"),  # Ctrl+D: end of input
        (b"\x03", 130, "pasis: avbrutet"),  # Ctrl+C
        (b"n\r", 2, "ingen demodatabas; den lämnas orörd"),
    ],
    ids=["end-of-input", "ctrl-c", "no"],
)
def test_the_overwrite_question_ends_cleanly(
    tmp_path: Path, answer: bytes, code: int, says: str
) -> None:
    db = tmp_path / "real.db"
    _journal(db)
    exit_code, output = _in_terminal(["demo", "--create-only", "--db", str(db), *NOW], answer)
    assert (exit_code, "Traceback" in output) == (code, False), output
    assert says in output
    assert _sql(db, "SELECT note FROM journal") == [("viktig",)]


def test_yes_to_the_overwrite_question_builds_the_demo(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    _journal(db)
    exit_code, output = _in_terminal(["demo", "--create-only", "--db", str(db), *NOW], b"ja\r")
    assert exit_code == 0, output
    assert "Demodatabasen är byggd" in output
    engine = make_engine(f"sqlite:///{db}")
    assert is_demo(engine)
    engine.dispose()


def _sql(db: Path, statement: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(statement).fetchall()
        connection.commit()
    finally:
        connection.close()
    return rows
