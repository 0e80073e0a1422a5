"""Citizen load: N processes doing 1177 work at once against one database, then a check that
no seat and no invitation was ever booked twice.

    python bench/citizen_load.py [--db sqlite|URL] [--processes 1 2 4 8] [--seconds 30]

Each process loops for the given time: log in by personnummer, open her next Kallelse (the
offered slots by day), book one of the first offered times, rebook to another, cancel. A lost
race ("Tiden är inte längre ledig") is counted and the loop goes on. The database is built
fresh for every N: one clinic and caregiver with 15-minute nivå-3 slots on weekdays for eight
weeks, and enough ÖK watches with their invitations sent for every process to never run out.
Prints one Markdown row per N: bookings per second (book + rebook), p50 and p99 latency of one
booking step, lost races, SQLite busy timeouts (a writer that waited past the 5 s busy timeout;
its transaction changed nothing), and double bookings (active bookings sharing a seat or a watch).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402
from sqlmodel import select  # noqa: E402

from pasis_tui.core import models  # noqa: E402
from pasis_tui.core.activities import ActivityForm, save_activity  # noqa: E402
from pasis_tui.core.citizen import inbox, log_in  # noqa: E402
from pasis_tui.core.citizen_booking import (  # noqa: E402
    Actor,
    SlotTakenError,
    book_offered,
    cancel,
    rebook,
)
from pasis_tui.core.citizen_offers import kallelse  # noqa: E402
from pasis_tui.core.clock import FixedClock, utc_naive  # noqa: E402
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template  # noqa: E402
from pasis_tui.core.db import (  # noqa: E402
    emptied,
    make_engine,
    open_session,
    upgrade,
    write_session,
)
from pasis_tui.core.errors import PasisError  # noqa: E402
from pasis_tui.core.publishing import publish_schedule  # noqa: E402
from pasis_tui.core.reference import load_reference  # noqa: E402
from pasis_tui.core.schedule_laying import lay_preliminary  # noqa: E402
from pasis_tui.core.scheduling import parse_weekdays  # noqa: E402

USER = "BENCH"
NOW = dt.datetime(2027, 1, 4, 7, 0)  # a Monday morning
#: Test personnummer only (data/demo/patienter.csv); every process logs in as some of them.
PATIENTS = (
    "191212121212",
    "194510168885",
    "198107249289",
    "198501012382",
    "197101169295",
    "200809032386",
    "201701012393",
    "192109099180",
    "194607137454",
    "189912299816",
    "191611882398",
    "190910799824",
)
WATCHES_PER_PROCESS = 3000


def build(url: str, processes: int) -> None:
    """A fresh schema with one clinic's eight weeks of slots and the processes' watches."""
    engine = emptied(make_engine(url))
    upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine, user=USER, clock=clock) as session:
        load_reference(session)
        unit = models.Unit(code="LOAD", name="LASTTEST")
        session.add(unit)
        session.flush()
        assert unit.id is not None
        clinic = models.Clinic(unit_id=unit.id, code="M1", name="M1 MOTTAGNING", city="LUND")
        caregiver = models.Caregiver(
            unit_id=unit.id, signature="LÄK", name="Läkare", category="LÄK", category_name="LÄKARE"
        )
        session.add_all([clinic, caregiver])
        session.add(
            models.LetterTemplate(
                unit_id=unit.id, kind=models.LetterKind.TEMPLATE, code="ÖK", name="Öppen kallelse"
            )
        )
        session.flush()
        session.add(
            models.HsaMapping(
                clinic_id=clinic.id,  # type: ignore[arg-type]
                org_number="232100-0255",
                hsa_id="SE162321000255-LOAD",
                name="Lastmottagningen",
            )
        )
        activity = save_activity(
            session,
            unit_id=unit.id,
            form=ActivityForm(
                code="ÖKNY", name="1177 ny", activity_type="Bokningsbar tid", contact_type="NY"
            ),
        )
        create_template(
            session,
            unit_id=unit.id,
            basics=BasicsForm(code="ÖK", name="Öppen kallelse"),
            rows=[RowForm("ÖKNY", "08:00", "16:00", visit_length="15", level="3")],
        )
        monday = NOW.date()
        weeks = [((monday + dt.timedelta(weeks=n)).isocalendar()[:2]) for n in range(8)]
        lay_preliminary(
            session,
            clock=clock,
            unit_id=unit.id,
            caregiver_id=caregiver.id,  # type: ignore[arg-type]
            template_code="ÖK",
            weeks=weeks,
            weekdays=parse_weekdays("Må-Fr"),
            clinic_code="M1",
            letter_code="ÖK",
        )
        publish_schedule(session, clock=clock, caregiver_ids=[caregiver.id])  # type: ignore[list-item]
        for number in PATIENTS:
            session.add(
                models.Patient(personnummer=number, first_name="Test", last_name=number[-4:])
            )
        session.flush()
        patient_ids = session.exec(select(models.Patient.id)).all()
        now_utc = utc_naive(clock.now())
        watch_rows = [
            {
                "unit_id": unit.id,
                "patient_id": patient_ids[n % len(patient_ids)],
                "clinic_id": clinic.id,
                "caregiver_id": caregiver.id,
                "watch_type": "ÖK",
                "contact_type": "NY",
                "visit_length_min": 15,
                "activity_id": activity.id,
                "book_from": NOW.date() + dt.timedelta(days=2),
                "book_to": NOW.date() + dt.timedelta(weeks=8),
                "purpose": "Lasttest",
                "status": "Öppen",
                "created_at": now_utc,
                "created_by": USER,
            }
            for n in range(WATCHES_PER_PROCESS * processes)
        ]
        connection = session.connection()
        connection.execute(insert(models.Watch).execution_options(render_nulls=True), watch_rows)
        watches = session.exec(select(models.Watch.id, models.Watch.patient_id)).all()
        connection.execute(
            insert(models.Message),
            [
                {
                    "patient_id": p,
                    "kind": "Kallelse",
                    "watch_id": w,
                    "clinic_name": "Last",
                    "subject": "Kallelse",
                    "body": "",
                    "sent_at": now_utc,
                }
                for w, p in watches
            ],
        )
        messages = dict(session.exec(select(models.Message.watch_id, models.Message.id)).all())
        connection.execute(
            insert(models.Invitation),
            [
                {
                    "watch_id": w,
                    "patient_id": p,
                    "due_at": now_utc,
                    "sent_at": now_utc,
                    "message_id": messages[w],
                    "created_at": now_utc,
                    "created_by": USER,
                }
                for w, p in watches
            ],
        )
    engine.dispose()


def worker(url: str, index: int, processes: int, seconds: float, barrier: Any) -> dict[str, Any]:
    """One citizen process: loops over its own share of the watches until time is up."""
    engine = make_engine(url)
    clock = FixedClock(NOW)
    rng = random.Random(index)
    latencies: list[float] = []
    booked = lost = busy = 0
    with open_session(engine, user="1177", clock=clock) as session:
        all_watches = session.exec(
            select(models.Watch.id, models.Patient.personnummer, models.Message.id)
            .join(models.Patient, models.Patient.id == models.Watch.patient_id)  # type: ignore[arg-type]
            .join(models.Message, models.Message.watch_id == models.Watch.id)  # type: ignore[arg-type]
            .order_by(models.Watch.id)  # type: ignore[arg-type]
        ).all()
    mine = [row for n, row in enumerate(all_watches) if n % processes == index]
    barrier.wait()
    deadline = time.perf_counter() + seconds
    for watch_id, personnummer, message_id in mine:
        if time.perf_counter() >= deadline:
            break
        actor = Actor.patient(personnummer)
        try:
            with open_session(engine, user="1177", clock=clock) as session:
                citizen = log_in(session=session, clock=clock, personnummer=personnummer)
                inbox(session=session, patient_id=citizen.patient_id)  # her first page
                view = kallelse(
                    session=session,
                    clock=clock,
                    patient_id=citizen.patient_id,
                    message_id=message_id,
                )
            times = [t for day in view.days for t in day.times]
            if len(times) < 2:
                continue
            start = time.perf_counter()
            with write_session(engine, user="1177", clock=clock) as session:
                receipt = book_offered(
                    session=session,
                    clock=clock,
                    actor=actor,
                    patient_id=citizen.patient_id,
                    watch_id=watch_id,
                    slot_id=rng.choice(times[:20]).slot_id,
                )
            latencies.append(time.perf_counter() - start)
            booked += 1
            start = time.perf_counter()
            with write_session(engine, user="1177", clock=clock) as session:
                moved = rebook(
                    session=session,
                    clock=clock,
                    actor=actor,
                    patient_id=citizen.patient_id,
                    booking_id=receipt.booking_id,
                    slot_id=rng.choice(times[20:40] or times[:1]).slot_id,
                )
            latencies.append(time.perf_counter() - start)
            booked += 1
            with write_session(engine, user="1177", clock=clock) as session:
                cancel(
                    session=session,
                    clock=clock,
                    actor=actor,
                    patient_id=citizen.patient_id,
                    booking_id=moved.booking_id,
                )
        except SlotTakenError:
            lost += 1
        except OperationalError:  # SQLite: the busy timeout ran out waiting for the write lock
            busy += 1
        except PasisError as error:
            lost += 1
            if "ledig" not in error.message and "redan" not in error.message:
                raise
    engine.dispose()
    return {"booked": booked, "lost": lost, "busy": busy, "latencies": latencies}


def doubles(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        seats = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT slot_id, seat_no FROM booking WHERE status = 'Bokad' "
                "GROUP BY slot_id, seat_no HAVING count(*) > 1) AS d"
            )
        ).scalar_one()
        watches = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT watch_id FROM booking WHERE status = 'Bokad' "
                "AND watch_id IS NOT NULL GROUP BY watch_id HAVING count(*) > 1) AS d"
            )
        ).scalar_one()
    engine.dispose()
    return int(seats) + int(watches)


def run(url: str, processes: int, seconds: float) -> str:
    build(url, processes)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(processes)
        with context.Pool(processes) as pool:
            jobs = [
                pool.apply_async(worker, (url, n, processes, seconds, barrier))
                for n in range(processes)
            ]
            results = [job.get() for job in jobs]
    latencies = sorted(x for r in results for x in r["latencies"])
    booked = sum(r["booked"] for r in results)
    lost = sum(r["lost"] for r in results)
    busy = sum(r["busy"] for r in results)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = (
        latencies[int(len(latencies) * 0.99) - 1] * 1000 if len(latencies) >= 100 else float("nan")
    )
    return (
        f"| {processes} | {booked / seconds:.1f} | {p50:.1f} | {p99:.1f} | {lost} | "
        f"{busy} | {doubles(url)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", help="sqlite (a temporary file) or a URL")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="citizen-load-")
    print(f"{args.db}, {args.seconds:.0f} s per row, {os.cpu_count()} cores")
    print(
        "| processes | bookings/s | p50 ms | p99 ms | lost races | busy timeouts "
        "| double bookings |"
    )
    print("|---|---|---|---|---|---|---|")
    for processes in args.processes:
        url = args.db
        if url == "sqlite":
            url = f"sqlite:///{directory}/load-{processes}.db"
        print(run(url, processes, args.seconds), flush=True)


if __name__ == "__main__":
    main()
