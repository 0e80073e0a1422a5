"""The reads and delete checks the screens make, on the demo and on a 1 000 000-slot database.

    python bench/large.py [--slots 1000000] [--runs 5]

The large database is the demo plus synthetic published slots (1990 onwards, on the demo's
caregivers; a tenth of them on an activity of its own that no template uses), inserted in SQL.
Each figure is the median (min–max) of --runs calls of the core use case the screen makes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-22 10:06"


def fill_slots(url: str, count: int) -> None:
    """`count` more slots, copied from one demo slot with other caregiver, time and activity."""
    from sqlalchemy import text

    from pasis_tui.core.activities import ActivityForm, save_activity
    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.db import make_engine, write_session
    from pasis_tui.core.units import resolve_unit

    engine = make_engine(url)
    with write_session(engine, user="VIS", clock=FixedClock(parse_now(NOW))) as session:
        unit = resolve_unit(session, code="REUM")
        form = ActivityForm(code="MASS", name="Massdata", activity_type="Bokningsbar tid")
        activity = save_activity(session, unit_id=unit.id, form=form)
        session.flush()
        template = session.execute(text("SELECT min(id) FROM slot")).scalar_one()
        caregivers = session.execute(text("SELECT count(*) FROM caregiver")).scalar_one()
        columns = [row[1] for row in session.execute(text("PRAGMA table_info(slot)")).all()]
        overrides = {
            "id": "NULL",
            "schedule_day_id": "NULL",
            "caregiver_id": "c.id",
            "activity_id": f"CASE WHEN n.i % 10 = 0 THEN {activity.id} ELSE s.activity_id END",
            "day": "date(n.start)",
            "starts_at": "n.start",
            "ends_at": "datetime(n.start, '+15 minutes')",
            "starts_at_utc": "datetime(n.start, '-1 hours')",
            "ends_at_utc": "datetime(n.start, '-45 minutes')",
        }  # fmt: skip
        values = ", ".join(overrides.get(name, f"s.{name}") for name in columns)
        per_day = caregivers * 20
        session.execute(
            text(
                "WITH RECURSIVE n(i, start) AS (SELECT 0, '1990-01-01 08:00:00' UNION ALL "
                f"SELECT i + 1, datetime('1990-01-01 08:00:00', '+' || ((i + 1) / {per_day}) "
                f"|| ' days', '+' || (((i + 1) / {caregivers}) % 20 * 15) || ' minutes') "
                f"FROM n WHERE i + 1 < {count}) "
                f"INSERT INTO slot ({', '.join(columns)}) SELECT {values} FROM n, slot s, "
                "(SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM caregiver) c "
                f"WHERE s.id = {template} AND c.k = n.i % {caregivers}"
            )
        )
    engine.dispose()


def timed(call: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        try:
            call()
        except Exception as error:  # a refusal is the answer being measured
            if type(error).__name__ != "PasisError":
                raise
        times.append(time.perf_counter() - began)
    return times


def measure(url: str, runs: int) -> dict[str, list[float]]:
    from sqlalchemy import text

    from pasis_tui.core import activity_cases, appointment_book, schedule_cases
    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.context import WorkContext
    from pasis_tui.core.db import make_engine
    from pasis_tui.core.units import resolve_unit

    engine = make_engine(url)
    clock = FixedClock(parse_now(NOW))
    with engine.connect() as connection:
        slots = connection.execute(text("SELECT count(*) FROM slot")).scalar_one()
    ctx = WorkContext(engine=engine, user="VIS", clock=clock, unit=None)  # type: ignore[arg-type]
    with ctx.read() as session:
        ctx.unit = resolve_unit(session, code="REUM")
    who = schedule_cases.Who("HAN", "2026-11-23")
    week = appointment_book.BookQuery("HAN", "2026-11-23", week=True)
    with ctx.read() as session:
        used = session.execute(text("SELECT id FROM activity WHERE code = 'MASS'")).scalar()
    result = {
        "slots": [float(slots)],
        "Tidbok, HAN's week (read_book)": timed(
            lambda: appointment_book.read_book(ctx=ctx, query=week), runs
        ),
        "SP 272, HAN's month (read_view)": timed(
            lambda: schedule_cases.read_view(ctx=ctx, who=who), runs
        ),
        "SP 272, 1 Översikt half year": timed(
            lambda: schedule_cases.read_overview(ctx=ctx, who=who), runs
        ),
        "SP 270, activity list page": timed(lambda: activity_cases.activity_page(ctx=ctx), runs),
    }
    if used is not None:  # refused: the slot count behind "finns i lagt schema"
        result["SP 270, Borttag of an activity in slots"] = timed(
            lambda: activity_cases.delete_activity_record(ctx=ctx, activity_id=used, code="MASS"),
            runs,
        )
    engine.dispose()
    return result


def cell(values: list[float]) -> str:
    low, high = min(values) * 1000, max(values) * 1000
    return f"{statistics.median(values) * 1000:7.1f} ms ({low:.1f}–{high:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.db import make_engine
    from pasis_tui.core.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        urls = {}
        for name in ("demo", "large"):
            urls[name] = f"sqlite:///{tmp}/{name}.db"
            engine = make_engine(urls[name])
            build_demo(engine, clock=FixedClock(parse_now(NOW)))
            engine.dispose()
        began = time.perf_counter()
        fill_slots(urls["large"], args.slots)
        print(f"filled {args.slots} slots in {time.perf_counter() - began:.1f} s")
        fill_slots(urls["demo"], 0)  # the MASS activity, without slots
        demo, large = measure(urls["demo"], args.runs), measure(urls["large"], args.runs)
        print(f"| use case (median, min–max of {args.runs}) | demo ({demo['slots'][0]:.0f} slots) "
              f"| {large['slots'][0]:.0f} slots |")  # fmt: skip
        print("|---|---|---|")
        for name in demo:
            if name != "slots":
                print(f"| {name} | {cell(demo[name])} | {cell(large[name])} |")


if __name__ == "__main__":
    main()
