"""Publish a year of schedules for many caregivers, against a raw sqlite3 executemany floor.

    python bench/publish_year.py [--caregivers 50] [--weeks 52] [--tracemalloc]

Builds a fresh SQLite file (WAL, synchronous=NORMAL, as the app runs it), lays a published
template of 16 slots (08:00–12:00 by 15 min) on Må-Fr for every caregiver and week (red days
skipped) as a preliminary schedule, then times `publish_schedule` (one transaction, commit
included). The floor: the same slot rows, read back as stored, inserted with
`sqlite3.executemany` into an identical table (same columns, constraints, foreign keys and
indexes) in one transaction on the same file. Target (issue #4): publish ≤ 3× the floor.
Peak memory: the process's peak RSS (getrusage) and its growth during the publish; with
--tracemalloc also Python's traced peak (that run's time is slower and not comparable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import func, select  # noqa: E402

from pasis_tui.core import models  # noqa: E402
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


def time_publish(url: str, clock: FixedClock, ids: list[int], traced: bool) -> tuple[float, int]:
    engine = make_engine(url)
    with open_session(engine, user=USER, clock=clock) as session:
        session.exec(select(func.count()).select_from(models.Slot)).one()  # warm the pool
    calls = 0

    def progress(done: int, total: int) -> None:
        nonlocal calls
        calls += 1

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with write_session(engine, user=USER, clock=clock) as session:
        result = publish_schedule(session, clock=clock, caregiver_ids=ids, progress=progress)
    elapsed = time.perf_counter() - started
    if traced:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak during publish: {peak / 1024 / 1024:.1f} MB")
    engine.dispose()
    print(f"publish: {result.days} days, {result.slots} slots, {calls} progress calls")
    return elapsed, result.slots


def time_raw(path: Path) -> tuple[float, int]:
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
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(statement, rows)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caregivers", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python's peak")
    args = parser.parse_args()
    clock = FixedClock(dt.datetime(YEAR - 1, 12, 1, 8, 0))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        url = f"sqlite:///{path}"
        started = time.perf_counter()
        ids = setup(url, clock, args.caregivers, args.weeks)
        setup_s = time.perf_counter() - started
        print(f"setup (lay {args.caregivers} × {args.weeks} weeks): {setup_s:.1f} s")
        rss_before = _rss_mb()
        publish_s, slots = time_publish(url, clock, ids, args.tracemalloc)
        rss_after = _rss_mb()
        raw_s, raw_rows = time_raw(path)
        assert raw_rows == slots
        print(f"publish_schedule:        {publish_s:6.2f} s  ({slots / publish_s:,.0f} slots/s)")
        print(f"raw sqlite3.executemany: {raw_s:6.2f} s  ({raw_rows / raw_s:,.0f} rows/s)")
        print(f"ratio: {publish_s / raw_s:.2f}× the raw floor (target ≤ 3×)")
        print(f"peak RSS: {rss_after:.0f} MB (grew {rss_after - rss_before:.0f} MB during publish)")


if __name__ == "__main__":
    main()
