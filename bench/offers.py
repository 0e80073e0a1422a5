"""The offered-slot query for one watch at 1 000 000 slots, against the same query in raw SQL.

    python bench/offers.py [--caregivers 250] [--weeks 52] [--repeat 200] [--db PATH]

Builds (or reuses, with --db pointing at a file built before) an SQLite database whose slots are
laid by the publishing service (bench/publish_year.py's set-up: a 16-slot ÖK template on Må-Fr
for every caregiver and week), maps the clinic to an HSA id, and saves an ÖK watch whose
invitation is sent. Then times, median of --repeat runs each, on one connection:
- `offers._matching`: the engine's one offered-slot query (SQLAlchemy Core, rows → dataclasses);
- the same query written by hand in raw SQL, `exec_driver_sql` on the same connection;
- `offers_for_watch`: the whole use case (watch, settings, criteria, the query and the funnel);
- what SP 090 loads to open on the watch: read_watch, the 1177 panel and offers_for_watch
  (the screen's own compose and paint are not in it).
Target (issue #10): the query under 10 ms and at most 2× the raw one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import func, select  # noqa: E402

from bench.publish_year import USER, YEAR, setup  # noqa: E402
from pasis_tui.core import models, offers  # noqa: E402
from pasis_tui.core.clock import FixedClock, utc_naive  # noqa: E402
from pasis_tui.core.db import make_engine, open_session, upgrade, write_session  # noqa: E402
from pasis_tui.core.invitations import send_due_invitations  # noqa: E402
from pasis_tui.core.patients import patient_1177  # noqa: E402
from pasis_tui.core.publishing import publish_schedule  # noqa: E402
from pasis_tui.core.watches import WatchForm, read_watch, save_watch  # noqa: E402

#: The schedules are laid before the year begins; "today" is its first Monday, 09:00.
LAID_AT = dt.datetime(YEAR - 1, 12, 1, 9, 0)
NOW = dt.datetime(YEAR, 1, 4, 9, 0)
STAMP = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DateTime text

RAW = """
SELECT s.id, s.day, s.starts_at, s.ends_at, s.visit_length_min,
       s.seats - (SELECT count(*) FROM booking b
                  WHERE b.slot_id = s.id AND b.status = 'Bokad' AND b.seat_no <= s.seats)
FROM slot s
WHERE s.clinic_id = ? AND s.caregiver_id = ? AND s.activity_id = ? AND s.visit_length_min = ?
  AND s.level_1177 = 3 AND s.starts_at >= ? AND s.starts_at < ? AND s.removed_at IS NULL
  AND s.starts_at_utc > ?
  AND (SELECT count(*) FROM booking b
       WHERE b.slot_id = s.id AND b.status = 'Bokad' AND b.seat_no <= s.seats) < s.seats
  AND EXISTS (SELECT 1 FROM hsa_mapping h
              WHERE h.clinic_id = s.clinic_id AND h.valid_from <= s.day AND h.valid_to >= s.day)
ORDER BY s.starts_at
LIMIT ?
"""


def build(url: str, clock: FixedClock, caregivers: int, weeks: int) -> None:
    ids = setup(url, FixedClock(LAID_AT), caregivers, weeks)
    engine = make_engine(url)
    started = time.perf_counter()
    with write_session(engine, user=USER, clock=clock) as session:
        result = publish_schedule(session, clock=clock, caregiver_ids=ids, allow_past=True)
    print(f"published {result.slots} slots in {time.perf_counter() - started:.1f} s")
    with write_session(engine, user=USER, clock=clock) as session:
        clinic = session.exec(select(models.Clinic)).one()
        session.add(
            models.HsaMapping(
                clinic_id=clinic.id,  # type: ignore[arg-type]
                org_number="232100-0255",
                hsa_id="SE162321000255-BENCH",
                name="Benchmottagningen",
            )
        )
        patient = models.Patient(personnummer="191212121212", first_name="Tolvan", last_name="T")
        session.add(patient)
        session.flush()
        save_watch(
            session=session,
            clock=clock,
            unit_id=clinic.unit_id,
            patient_id=patient.id,  # type: ignore[arg-type]
            form=WatchForm(
                clinic="M1",
                caregiver=f"VG{caregivers // 2:03d}",
                contact_type="NY",
                visit_length="15",
                activity="ÖKNY",
                booking_letter="Ja",
                send_to_1177=f"{NOW:%Y-%m-%d}",
                book_to=f"{NOW.date() + dt.timedelta(weeks=12)}",
                purpose="Bench",
            ),
        )
        send_due_invitations(session=session, clock=clock)
    engine.dispose()


def median_ms(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    run()  # warm caches and statement compilation
    times, last = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        last = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), last


def interleaved(
    first: Callable[[], object], second: Callable[[], object], repeat: int
) -> tuple[float, float, float, float, object, object]:
    """Medians and minima (ms) of two runs timed turn about, and their last results."""
    first(), second()
    a, b = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        one = first()
        a.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        two = second()
        b.append((time.perf_counter() - started) * 1000)
    return statistics.median(a), statistics.median(b), min(a), min(b), one, two


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--caregivers", type=int, default=250)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    clock = FixedClock(NOW)
    path = args.db or Path(tempfile.mkdtemp(prefix="pasis-bench-")) / "offers.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        build(url, clock, args.caregivers, args.weeks)
    engine = make_engine(url)
    upgrade(engine)  # a database built by an older version, as start-up does
    with open_session(engine, user=USER, clock=clock) as session:
        slots = session.exec(select(func.count()).select_from(models.Slot)).one()
        watch = session.exec(select(models.Watch)).one()
        assert watch.id is not None
        criteria = offers._criteria(session, clock=clock, watch=watch, invitation="sent")
        connection = session.connection()
        params = (
            criteria.clinic_id,
            criteria.caregiver_id,
            criteria.activity_id,
            criteria.visit_length_min,
            dt.datetime.combine(criteria.first, dt.time.min).strftime(STAMP),
            dt.datetime.combine(criteria.last + dt.timedelta(days=1), dt.time.min).strftime(STAMP),
            utc_naive(clock.now()).strftime(STAMP),
            offers.OFFER_LIMIT,
        )
        # Interleaved, so that a busy machine slows both alike.
        engine_ms, raw_ms, engine_min, raw_min, found, raw_rows = interleaved(
            lambda: offers._matching(session, criteria, limit=offers.OFFER_LIMIT),
            lambda: connection.exec_driver_sql(RAW, params).fetchall(),
            args.repeat,
        )
        whole_ms, result = median_ms(
            lambda: offers.offers_for_watch(session=session, clock=clock, watch_id=watch.id),
            args.repeat,
        )
        opened_ms, _view = median_ms(
            lambda: (
                read_watch(session=session, clock=clock, watch_id=watch.id),  # type: ignore[arg-type]
                patient_1177(session=session, patient_id=watch.patient_id),
                offers.offers_for_watch(session=session, clock=clock, watch_id=watch.id),  # type: ignore[arg-type]
            ),
            args.repeat,
        )
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + RAW, params).fetchall()
    assert isinstance(found, tuple) and isinstance(raw_rows, list)
    assert [s.slot_id for s in found] == [row[0] for row in raw_rows], "engine and raw differ"
    assert isinstance(result, offers.OfferResult)
    print(f"slots in database: {slots}; offered for the watch: {len(found)}")
    print(f"plan: {' | '.join(str(row[-1]) for row in plan)}")
    print(f"offered-slot query (engine): median {engine_ms:.2f} ms of {args.repeat}")
    print(f"same query in raw SQL:       median {raw_ms:.2f} ms of {args.repeat}")
    print(f"ratio engine/raw:            {engine_ms / raw_ms:.2f}x (target <= 2x, < 10 ms)")
    print(
        f"fastest runs: engine {engine_min:.2f} ms, raw {raw_min:.2f} ms, ratio "
        f"{engine_min / raw_min:.2f}x"
    )
    print(f"offers_for_watch with funnel: median {whole_ms:.2f} ms")
    print(
        f"SP 090's data for one watch (read_watch, 1177 panel, offers): median {opened_ms:.2f} ms"
    )
    print(f"database: {path}")


if __name__ == "__main__":
    main()
