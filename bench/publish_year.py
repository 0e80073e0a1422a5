"""Publish a year of schedules for many caregivers, against a raw bulk-insert floor per backend.

    python bench/publish_year.py [--caregivers 50] [--weeks 52] [--runs 3]
                                 [--postgres URL] [--copy-format binary|text|both] [--tracemalloc]

Lays a published template of 16 slots (08:00–12:00 by 15 min) on Må-Fr for every caregiver and
week (red days skipped) as a preliminary schedule, once per backend, then times `publish_schedule`
(one transaction, commit included) on a fresh copy of that database each run.

SQLite (always): a file with WAL and synchronous=NORMAL, as the app runs it. The floor: the same
slot rows, read back as stored, inserted with `sqlite3.executemany` into an identical table (same
columns, constraints, foreign keys and indexes) in one transaction on the same file. Target
(issue #4): publish ≤ 3× the floor.

PostgreSQL (with --postgres, a server URL such as `.ci/postgres start` prints): each run works in
a new database made from the laid one (`CREATE DATABASE … TEMPLATE`), so every run starts from the
same table, empty of slots. The floor: the same slot rows, dumped with `COPY … TO STDOUT` after a
publish, loaded with a raw psycopg `COPY slot (…) FROM STDIN` (text and binary; the faster is the
floor) into the same table, in one transaction, commit included. Target (issue #8): publish
≤ 1.5× the floor.

Medians of --runs runs (publish and floor runs interleaved, so load from others hits both), with
the spread. Peak memory (SQLite): the process's peak RSS (getrusage) and its growth during the
first publish; with --tracemalloc also Python's traced peak (that run's time is not comparable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import func, select  # noqa: E402

from pasis_tui.core import models, slot_writer  # noqa: E402
from pasis_tui.core.activities import ActivityForm, save_activity  # noqa: E402
from pasis_tui.core.clock import FixedClock  # noqa: E402
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template  # noqa: E402
from pasis_tui.core.db import make_engine, open_session, upgrade, write_session  # noqa: E402
from pasis_tui.core.publishing import publish_schedule  # noqa: E402
from pasis_tui.core.reference import load_reference  # noqa: E402
from pasis_tui.core.schedule_laying import lay_preliminary  # noqa: E402

USER = "BENCH"
YEAR = 2027


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def setup(url: str, clock: FixedClock, caregivers: int, weeks: int) -> list[int]:
    """A unit with a clinic, a Brevmall, a published 16-slot template and N preliminary years."""
    engine = make_engine(url)
    upgrade(engine)
    with write_session(engine, user=USER, clock=clock) as session:
        load_reference(session)
        unit = models.Unit(code="BENCH", name="BENCH")
        session.add(unit)
        session.flush()
        assert unit.id is not None
        session.add(models.Clinic(unit_id=unit.id, code="M1", name="M1 MOTTAGNING"))
        session.add(
            models.LetterTemplate(
                unit_id=unit.id, kind=models.LetterKind.TEMPLATE, code="ÖK", name="Öppen kallelse"
            )
        )
        save_activity(
            session,
            unit_id=unit.id,  # type: ignore[arg-type]
            form=ActivityForm(code="ÖKNY", name="1177 ny", activity_type="Bokningsbar tid"),
        )
        create_template(
            session,
            unit_id=unit.id,  # type: ignore[arg-type]
            basics=BasicsForm(code="ÖK", name="Öppen kallelse"),
            rows=[RowForm("ÖKNY", "08:00", "12:00", visit_length="15", level="3")],
        )
        people = [
            models.Caregiver(unit_id=unit.id, signature=f"VG{n:03d}", name=f"Vårdgivare {n}")
            for n in range(caregivers)
        ]
        session.add_all(people)
        session.flush()
        for person in people:
            lay_preliminary(
                session,
                clock=clock,
                unit_id=unit.id,
                caregiver_id=person.id,  # type: ignore[arg-type]
                template_code="ÖK",
                weeks=[(YEAR, week) for week in range(1, weeks + 1)],
                weekdays=[0, 1, 2, 3, 4],
                clinic_code="M1",
                letter_code="ÖK",
            )
        ids = [person.id for person in people]
    engine.dispose()
    return ids  # type: ignore[return-value]


@dataclass(frozen=True)
class Timing:
    """One run: wall seconds, CPU seconds (this process plus its PostgreSQL backend), rows."""

    wall: float
    cpu: float
    rows: int


def _backend_cpu(pid: int | None) -> float:
    """CPU seconds a local PostgreSQL backend has used so far (0 without one, e.g. SQLite)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def time_publish(url: str, clock: FixedClock, ids: list[int], traced: bool) -> Timing:
    engine = make_engine(url)
    with open_session(engine, user=USER, clock=clock) as session:
        session.exec(select(func.count()).select_from(models.Slot)).one()  # warm the pool
        pid = None
        if engine.dialect.name == "postgresql":  # the pooled connection the publish reuses
            pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    calls = 0

    def progress(done: int, total: int) -> None:
        nonlocal calls
        calls += 1

    if traced:
        tracemalloc.start()
    cpu = time.process_time() + _backend_cpu(pid)
    started = time.perf_counter()
    with write_session(engine, user=USER, clock=clock) as session:
        result = publish_schedule(session, clock=clock, caregiver_ids=ids, progress=progress)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() + _backend_cpu(pid) - cpu
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak during publish: {peak / 1024 / 1024:.1f} MB")
    engine.dispose()
    assert calls >= min(100, result.days), calls  # the bar moves about every 1 %
    return Timing(elapsed, cpu, result.slots)


def time_raw_sqlite(path: Path) -> Timing:
    """The floor: the same rows via sqlite3.executemany into an identical table."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    (table_sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type='table' AND name='slot'"
    ).fetchone()
    index_sql = [
        sql
        for (sql,) in connection.execute(
            "SELECT sql FROM sqlite_master "
            "WHERE type='index' AND tbl_name='slot' AND sql IS NOT NULL"
        )
    ]
    connection.execute(
        re.sub(r"CREATE TABLE (\"?)slot\1", "CREATE TABLE slot_raw", table_sql, count=1)
    )
    for sql in index_sql:
        sql = re.sub(
            r"INDEX (\"?)(\w+)\1 ON (\"?)slot\3", r"INDEX \2_raw ON slot_raw", sql, count=1
        )
        connection.execute(sql)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(slot)") if row[1] != "id"]
    rows = connection.execute(f"SELECT {', '.join(columns)} FROM slot").fetchall()
    statement = (
        f"INSERT INTO slot_raw ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    cpu = time.process_time()
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(statement, rows)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    connection.close()
    return Timing(elapsed, cpu, len(rows))


def spread(label: str, runs: list[Timing]) -> float:
    """Print the wall-clock median with its spread, and the CPU median; return the wall median."""
    wall = [run.wall for run in runs]
    median = statistics.median(wall)
    each = ", ".join(f"{w:.2f}" for w in wall)
    print(
        f"{label:<32} {median:6.2f} s (min {min(wall):.2f}, max {max(wall):.2f}; runs {each});"
        f" CPU {statistics.median(run.cpu for run in runs):.2f} s;"
        f" {runs[0].rows / median:,.0f} rows/s"
    )
    return median


def paired(label: str, numerators: list[Timing], floors: list[list[Timing]], target: str) -> None:
    """The median over rounds of each round's publish ÷ that round's faster floor (the rounds
    run back to back, so load from others hits both sides of a ratio alike); likewise for CPU."""
    wall = [n.wall / min(f[i].wall for f in floors) for i, n in enumerate(numerators)]
    cpu = [n.cpu / min(f[i].cpu for f in floors) for i, n in enumerate(numerators)]
    print(
        f"  ratio {label}: {statistics.median(wall):.2f}× (per round "
        f"{', '.join(f'{r:.2f}' for r in wall)}; target {target}); "
        f"CPU {statistics.median(cpu):.2f}×"
    )


def bench_sqlite(args: argparse.Namespace, clock: FixedClock, tmp: Path) -> float:
    template = tmp / "template.db"
    started = time.perf_counter()
    ids = setup(f"sqlite:///{template}", clock, args.caregivers, args.weeks)
    print(
        f"SQLite setup (lay {args.caregivers} × {args.weeks} weeks): "
        f"{time.perf_counter() - started:.1f} s"
    )
    publish: list[Timing] = []
    raw: list[Timing] = []
    rss_before = rss_after = 0.0
    for run in range(args.runs):
        path = tmp / f"run{run}.db"
        shutil.copyfile(template, path)
        rss_before = rss_before or _rss_mb()
        publish.append(time_publish(f"sqlite:///{path}", clock, ids, args.tracemalloc and not run))
        rss_after = rss_after or _rss_mb()
        raw.append(time_raw_sqlite(path))
        assert raw[-1].rows == publish[-1].rows
        path.unlink()
    print(f"SQLite, {publish[0].rows} slots (median of {args.runs} runs):")
    median = spread("  publish_schedule", publish)
    spread("  raw sqlite3.executemany", raw)
    paired("publish / raw", publish, [raw], "≤ 3×")
    print(f"  peak RSS: {rss_after:.0f} MB (grew {rss_after - rss_before:.0f} MB during publish)")
    return median


# -- PostgreSQL --------------------------------------------------------------------------------


def _pg_admin(server: str, *statements: str) -> None:
    engine = make_engine(server)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _pg_url(server: str, database: str) -> str:
    return make_url(server).set(database=database).render_as_string(hide_password=False)


def _psycopg(url: str):  # noqa: ANN202 - psycopg is imported only for this backend
    import psycopg

    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        dbname=parsed.database,
    )


class PgRuns:
    """Fresh databases made from the laid template, one per run."""

    def __init__(self, server: str, template: str) -> None:
        self.server, self.template, self.count = server, template, 0

    def fresh(self) -> str:
        self.count += 1
        name = f"pasis_bench_run{self.count}"
        _pg_admin(
            self.server,
            f'DROP DATABASE IF EXISTS "{name}"',
            f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"',
        )
        return name

    def drop(self, name: str) -> None:
        _pg_admin(self.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_columns() -> str:
    return ", ".join(slot_writer.COLUMNS)


def dump_pg(url: str) -> dict[str, bytes]:
    """The published slot rows as COPY text and COPY binary data, in id order."""
    dumps: dict[str, bytes] = {}
    with _psycopg(url) as connection, connection.cursor() as cursor:
        for name, option in (("text", ""), ("binary", " (FORMAT BINARY)")):
            query = f"COPY (SELECT {_copy_columns()} FROM slot ORDER BY id) TO STDOUT{option}"
            with cursor.copy(query) as copy:
                dumps[name] = b"".join(bytes(block) for block in copy)
    return dumps


def time_raw_pg(url: str, data: bytes, binary: bool) -> Timing:
    """The floor: BEGIN, one raw COPY of the dumped rows into slot, COMMIT."""
    option = " (FORMAT BINARY)" if binary else ""
    view = memoryview(data)
    with _psycopg(url) as connection:
        connection.execute("SELECT 1")
        connection.commit()
        pid = connection.info.backend_pid
        cpu = time.process_time() + _backend_cpu(pid)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY slot ({_copy_columns()}) FROM STDIN{option}") as copy:
                for offset in range(0, len(data), 1 << 20):
                    copy.write(view[offset : offset + (1 << 20)])
        connection.commit()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() + _backend_cpu(pid) - cpu
        (rows,) = connection.execute("SELECT count(*) FROM slot").fetchone()  # type: ignore[misc]
    return Timing(elapsed, cpu, rows)


def bench_postgres(args: argparse.Namespace, clock: FixedClock, sqlite_median: float) -> None:
    server = args.postgres
    template = "pasis_bench_template"
    _pg_admin(server, f'DROP DATABASE IF EXISTS "{template}"', f'CREATE DATABASE "{template}"')
    started = time.perf_counter()
    ids = setup(_pg_url(server, template), clock, args.caregivers, args.weeks)
    print(
        f"PostgreSQL setup (lay {args.caregivers} × {args.weeks} weeks): "
        f"{time.perf_counter() - started:.1f} s"
    )
    runs = PgRuns(server, template)
    formats = ["binary", "text"] if args.copy_format == "both" else [args.copy_format]
    publish: dict[str, list[Timing]] = {name: [] for name in formats}
    raw: dict[str, list[Timing]] = {"binary": [], "text": []}
    dumps: dict[str, bytes] = {}

    def once(work: Callable[[str], Timing]) -> Timing:
        name = runs.fresh()
        try:
            return work(_pg_url(server, name))
        finally:
            runs.drop(name)

    def published(url: str) -> Timing:
        timing = time_publish(url, clock, ids, False)
        if not dumps:
            dumps.update(dump_pg(url))
        return timing

    for _ in range(args.runs):  # one round: each publish, then each floor, back to back
        for name in formats:
            slot_writer.COPY_FORMAT = name  # type: ignore[assignment]
            publish[name].append(once(published))
        for name in raw:
            raw[name].append(once(lambda url, n=name: time_raw_pg(url, dumps[n], n == "binary")))
            assert raw[name][-1].rows == publish[formats[0]][-1].rows
    _pg_admin(server, f'DROP DATABASE IF EXISTS "{template}"')
    print(f"PostgreSQL, {publish[formats[0]][0].rows} slots (median of {args.runs} runs):")
    medians = {name: spread(f"  publish_schedule, {name} COPY", publish[name]) for name in formats}
    for name in raw:
        spread(f"  raw COPY FROM STDIN, {name}", raw[name])
    for name in formats:
        paired(f"{name} publish / faster raw COPY", publish[name], list(raw.values()), "≤ 1.5×")
    best = min(medians.values())
    print(
        f"  beside SQLite: {best:.2f} s on PostgreSQL, {sqlite_median:.2f} s on SQLite "
        f"({best / sqlite_median:.2f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caregivers", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL", help="also on this PostgreSQL server")
    parser.add_argument("--copy-format", choices=("binary", "text", "both"), default="both")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's peak")
    args = parser.parse_args()
    clock = FixedClock(dt.datetime(YEAR - 1, 12, 1, 8, 0))
    sqlite_median = float("nan")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_median = bench_sqlite(args, clock, Path(tmp))
    if args.postgres:
        bench_postgres(args, clock, sqlite_median)


if __name__ == "__main__":
    main()
