"""The 1177 slot list of one invitation on a 1 000 000-slot database (core side).

    python bench/citizen_slot_list.py [--slots 1000000] [--runs 30] [--db sqlite|URL]

Builds a fresh database: one clinic mapped to an HSA id, 250 caregivers with 16 nivå-3 slots of
15 minutes on every weekday (08:00–12:00) for as many weeks as the slot count needs, then one ÖK
watch whose invitation is in the inbox. Times `citizen_offers.kallelse` — what the 1177 screen
calls when the patient opens her Kallelse: the offer engine's query, its troubleshooting funnel
and the grouping by day — median and worst of N runs, each in its own read session.
Target (issue #11): the list drawn in under 100 ms from the key press; this is the core's share.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import func, select  # noqa: E402

from pasis_tui.core import models  # noqa: E402
from pasis_tui.core.activities import ActivityForm, save_activity  # noqa: E402
from pasis_tui.core.citizen_offers import kallelse  # noqa: E402
from pasis_tui.core.clock import FixedClock, utc_naive, wall_to_utc  # noqa: E402
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template  # noqa: E402
from pasis_tui.core.db import (  # noqa: E402
    emptied,
    make_engine,
    open_session,
    upgrade,
    write_session,
)
from pasis_tui.core.reference import load_reference  # noqa: E402

USER = "BENCH"
NOW = dt.datetime(2027, 1, 4, 7, 0)  # a Monday
CAREGIVERS = 250
PER_DAY = 16
PATIENT = "191212121212"


def build(url: str, slots: int) -> tuple[int, int]:
    """The database; returns (patient id, the Kallelse's message id)."""
    engine = emptied(make_engine(url))
    upgrade(engine)
    clock = FixedClock(NOW)
    with write_session(engine, user=USER, clock=clock) as session:
        load_reference(session)
        unit = models.Unit(code="BENCH", name="BENCH")
        session.add(unit)
        session.flush()
        assert unit.id is not None
        clinic = models.Clinic(unit_id=unit.id, code="M1", name="M1 MOTTAGNING", city="LUND")
        letter = models.LetterTemplate(
            unit_id=unit.id, kind=models.LetterKind.TEMPLATE, code="ÖK", name="Öppen kallelse"
        )
        people = [
            models.Caregiver(
                unit_id=unit.id,
                signature=f"VG{n:03d}",
                name=f"Vårdgivare {n}",
                category="LÄK",
                category_name="LÄKARE",
            )
            for n in range(CAREGIVERS)
        ]
        session.add_all([clinic, letter, *people])
        session.flush()
        session.add(
            models.HsaMapping(
                clinic_id=clinic.id,
                org_number="232100-0255",  # type: ignore[arg-type]
                hsa_id="SE162321000255-BENCH",
                name="Bänkmottagningen",
            )
        )
        activity = save_activity(
            session,
            unit_id=unit.id,
            form=ActivityForm(
                code="ÖKNY", name="1177 ny", activity_type="Bokningsbar tid", contact_type="NY"
            ),
        )
        version = create_template(
            session,
            unit_id=unit.id,
            basics=BasicsForm(code="ÖK", name="Öppen kallelse"),
            rows=[RowForm("ÖKNY", "08:00", "12:00", visit_length="15", level="3")],
        )
        days_needed = -(-slots // (CAREGIVERS * PER_DAY))
        days: list[dt.date] = []
        day = NOW.date()
        while len(days) < days_needed:
            if day.weekday() < 5:
                days.append(day)
            day += dt.timedelta(days=1)
        connection = session.connection()
        statement = insert(models.Slot).execution_options(render_nulls=True)
        rows: list[dict[str, object]] = []
        made = 0
        for caregiver in people:
            for d in days:
                for n in range(PER_DAY):
                    if made >= slots:
                        break
                    start = dt.datetime.combine(d, dt.time(8)) + dt.timedelta(minutes=15 * n)
                    start_utc = wall_to_utc(start)
                    rows.append(
                        {
                            "schedule_day_id": None,
                            "caregiver_id": caregiver.id,
                            "clinic_id": clinic.id,
                            "activity_id": activity.id,
                            "template_version_id": version.id,
                            "letter_template_id": letter.id,
                            "day": d,
                            "starts_at": start,
                            "ends_at": start + dt.timedelta(minutes=15),
                            "starts_at_utc": start_utc,
                            "ends_at_utc": start_utc + dt.timedelta(minutes=15),
                            "visit_length_min": 15,
                            "level_1177": 3,
                            "reason": "",
                            "seats": 1,
                            "overbookings": 999,
                            "removed_at": None,
                            "removed_by": None,
                        }
                    )
                    made += 1
                    if len(rows) >= 50_000:
                        connection.execute(statement, rows)
                        rows = []
        if rows:
            connection.execute(statement, rows)
        patient = models.Patient(personnummer=PATIENT, first_name="Tolvan", last_name="Tolvansson")
        session.add(patient)
        session.flush()
        watch = models.Watch(
            unit_id=unit.id,
            patient_id=patient.id,
            clinic_id=clinic.id,  # type: ignore[arg-type]
            caregiver_id=people[0].id,
            contact_type=models.ContactType.NEW,
            visit_length_min=15,
            activity_id=activity.id,
            book_from=NOW.date(),
            book_to=NOW.date() + dt.timedelta(weeks=8),
            purpose="Nybesök",
        )
        session.add(watch)
        session.flush()
        now_utc = utc_naive(clock.now())
        message = models.Message(
            patient_id=patient.id,
            kind=models.MessageKind.INVITATION,  # type: ignore[arg-type]
            watch_id=watch.id,
            subject="Kallelse",
            sent_at=now_utc,
        )
        session.add(message)
        session.flush()
        session.add(
            models.Invitation(
                watch_id=watch.id,
                patient_id=patient.id,  # type: ignore[arg-type]
                due_at=now_utc,
                sent_at=now_utc,
                message_id=message.id,
            )
        )
        session.flush()
        ids = (patient.id, message.id)
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return ids  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", default="sqlite")
    args = parser.parse_args()
    url = args.db
    if url == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='citizen-slots-')}/slots.db"
    began = time.perf_counter()
    patient_id, message_id = build(url, args.slots)
    built = time.perf_counter() - began
    engine = make_engine(url)
    clock = FixedClock(NOW)
    with open_session(engine, user="1177", clock=clock) as session:
        count = session.exec(select(func.count()).select_from(models.Slot)).one()
    timings = []
    shown = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        with open_session(engine, user="1177", clock=clock) as session:
            view = kallelse(
                session=session, clock=clock, patient_id=patient_id, message_id=message_id
            )
        timings.append((time.perf_counter() - start) * 1000)
        shown = sum(len(d.times) for d in view.days)
    print(
        f"{engine.dialect.name}: {count} slots (built in {built:.0f} s); the Kallelse shows "
        f"{shown} times on {len(view.days)} days"
    )
    print(
        f"kallelse(): median {statistics.median(timings):.1f} ms, "
        f"best {min(timings):.1f} ms, worst {max(timings):.1f} ms over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
