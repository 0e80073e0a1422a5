"""SP 191, Statistik and Felsökning on large databases (issue #12's performance figures).

    python bench/followup.py [--watches 100000] [--bookings 100000] [--slots 1000000] [--runs 5]

- SP 191: the demo plus --watches ÖK watches whose window has passed; Beställ (Typ ÖK, Vid ÖK
  boka t o m passerat = today) and its first page in 3 Översikt: `place_search_order` +
  `watch_page`, the two calls the screen makes. Target < 200 ms.
- Statistik: the demo plus --bookings bookings (each on a slot of its own) over the year before
  the demo clock; the screen's one call on opening, `booking_statistics_view`. Target < 300 ms.
- Felsökning: the demo plus --slots slots (bench/large.py's filler); `troubleshoot_watch` for
  demo watch 7. Target < 50 ms.
Each figure is the median (min–max) of --runs calls, wall clock and CPU time of this process
(`time.process_time`: SQLite runs in it, so on a shared machine CPU time is the steadier figure;
a PostgreSQL server's CPU is not in it), with the load average when the runs ended. Each Beställ
stores a new order.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.large import NOW, cell, fill_slots  # noqa: E402


def timed(call: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of `runs` calls."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def _copy_rows(
    url: str, table: str, count: int, template_sql: str, overrides: dict[str, str]
) -> None:
    """`count` rows of `table`, copied from the row `template_sql` selects, with `overrides`."""
    from sqlalchemy import text

    from pasis_tui.core.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        template = connection.execute(text(template_sql)).scalar_one()
        columns = [row[1] for row in connection.execute(text(f"PRAGMA table_info({table})"))]
        values = ", ".join(overrides.get(name, f"t.{name}") for name in columns)
        connection.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i + 1 < {count}) INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {values} FROM n, {table} t WHERE t.id = {template}"
            )
        )
    engine.dispose()


def fill_watches(url: str, count: int) -> None:
    patients = "(SELECT min(id) FROM patient) + n.i % (SELECT count(*) FROM patient)"
    _copy_rows(
        url,
        "watch",
        count,
        "SELECT min(id) FROM watch WHERE watch_type = 'ÖK'",
        {
            "id": "NULL",
            "patient_id": patients,
            "status": "'Öppen'",
            "book_from": "date('2026-01-01', '+' || (n.i % 200) || ' days')",
            "book_to": "date('2026-02-01', '+' || (n.i % 200) || ' days')",
            "target_date": "date('2026-02-01', '+' || (n.i % 200) || ' days')",
        },
    )


def fill_bookings(url: str, count: int) -> None:
    """`count` slots over the year before NOW and one booking on each (a tenth cancelled)."""
    from sqlalchemy import text

    from pasis_tui.core.db import make_engine

    step = 365 * 86400 // count
    start = f"datetime('2025-11-23 07:00:00', '+' || (n.i * {step}) || ' seconds')"
    _copy_rows(
        url,
        "slot",
        count,
        "SELECT min(id) FROM slot",
        {
            "id": "NULL", "schedule_day_id": "NULL", "day": f"date({start})",
            "starts_at": start, "ends_at": f"datetime({start}, '+15 minutes')",
            "starts_at_utc": start, "ends_at_utc": f"datetime({start}, '+15 minutes')",
            "level_1177": "0",
        },
    )  # fmt: skip
    engine = make_engine(url)
    with engine.begin() as connection:
        first = connection.execute(text("SELECT max(id) FROM slot")).scalar_one() - count + 1
        patients = connection.execute(text("SELECT min(id), count(*) FROM patient")).one()
        connection.execute(
            text(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i + 1 < {count}) INSERT INTO booking (slot_id, seat_no, patient_id, "
                "watch_id, status, booked_via, overbooked, booked_at, booked_by, cancelled_at, "
                "cancelled_by, cancelled_via, cancel_reason, rebooked_from_id, rebooking_no) "
                f"SELECT {first} + n.i, 1, {patients[0]} + n.i % {patients[1]}, NULL, "
                "CASE WHEN n.i % 10 = 0 THEN 'Avbokad' ELSE 'Bokad' END, "
                "CASE WHEN n.i % 3 = 0 THEN 'Personal' ELSE '1177' END, 0, "
                f"datetime('2025-11-23 06:00:00', '+' || (n.i * {step}) || ' seconds'), 'VIS', "
                f"CASE WHEN n.i % 10 = 0 THEN datetime('2025-11-24 06:00:00', '+' || "
                f"(n.i * {step}) || ' seconds') END, CASE WHEN n.i % 10 = 0 THEN '1177' END, "
                "CASE WHEN n.i % 10 = 0 THEN '1177' END, '', NULL, 0 FROM n"
            )
        )
    engine.dispose()


def context(url: str):  # type: ignore[no-untyped-def]
    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.context import WorkContext
    from pasis_tui.core.db import make_engine
    from pasis_tui.core.units import resolve_unit

    engine = make_engine(url)
    ctx = WorkContext(engine=engine, user="VIS", clock=FixedClock(parse_now(NOW)), unit=None)  # type: ignore[arg-type]
    with ctx.read() as session:
        ctx.unit = resolve_unit(session, code="REUM")
    return ctx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--watches", type=int, default=100_000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--slots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from pasis_tui.core.clock import FixedClock, parse_now
    from pasis_tui.core.db import make_engine
    from pasis_tui.core.demo import build_demo
    from pasis_tui.core.statistics_cases import StatisticsFilter, booking_statistics_view
    from pasis_tui.core.troubleshooting import troubleshoot_watch
    from pasis_tui.core.watch_search_cases import OrderForm, place_search_order, watch_page

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/followup.db"
        engine = make_engine(url)
        build_demo(engine, clock=FixedClock(parse_now(NOW)))
        engine.dispose()
        began = time.perf_counter()
        fill_watches(url, args.watches)
        fill_bookings(url, args.bookings)
        fill_slots(url, args.slots)
        print(f"filled in {time.perf_counter() - began:.1f} s")
        ctx = context(url)
        form = OrderForm(watch_type="ÖK", book_to_passed="2026-11-22")
        found: list[int] = []

        def order() -> None:
            placed = place_search_order(ctx=ctx, form=form)
            found.append(placed.count)
            watch_page(ctx=ctx, order_no=placed.order_no)

        statistics = StatisticsFilter()
        rows = [
            (
                f"SP 191 Beställ + first page ({args.watches} passed ÖK watches)",
                timed(order, args.runs),
                200,
            ),
            (
                f"Statistik on opening ({args.bookings} bookings in the year)",
                timed(lambda: booking_statistics_view(ctx=ctx, filters=statistics), args.runs),
                300,
            ),
            (
                f"Felsökning, watch 7 ({args.slots} more slots)",
                timed(lambda: troubleshoot_watch(ctx=ctx, watch_id=7), args.runs),
                50,
            ),
        ]
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"SP 191 orders found {found[0]} watches; load average {load}")
        print(f"| use case (median, min–max of {args.runs}) | wall | CPU | target |")
        print("|---|---|---|---|")
        for name, (walls, cpus), target in rows:
            print(f"| {name} | {cell(walls)} | {cell(cpus)} | < {target} ms |")


if __name__ == "__main__":
    main()
