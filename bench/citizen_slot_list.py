"""The 1177 slot list of one invitation on a 1 000 000-slot database: key press to list drawn.

    python bench/citizen_slot_list.py [--slots 1000000] [--runs 20] [--db sqlite|URL]

Builds a fresh database through the staff services, as a clinic would: one clinic mapped to an
HSA id, a published day template of 16 nivå-3 slots (08:00–12:00 by 15 minutes), laid into the
preliminary schedule of as many caregivers as the slot count needs (Må-Fr, a year of weeks, red
days skipped) and published with `publish_schedule`; then a patient with one ÖK watch whose
invitation is in her inbox.

Then, headless (120×40), the app on that database: 1177, log in, open the Kallelse, and for each
run press Alt+B (Boka tid) and time until the slot list is drawn — the worker's core call
(`citizen_cases.invitation_times`: the offer engine's query, its funnel and the grouping by
day) and the paint of the list after it. Esc goes back to the Kallelse between runs. Median, best
and worst of N runs; the core call alone is timed too, for the share. Target (issue #11): < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session, func, select  # noqa: E402

from pasis_tui.core import models  # noqa: E402
from pasis_tui.core.activities import ActivityForm, save_activity  # noqa: E402
from pasis_tui.core.clock import FixedClock, utc_naive  # noqa: E402
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template  # noqa: E402
from pasis_tui.core.db import emptied, make_engine, open_session, upgrade, write_session  # noqa: E402
from pasis_tui.core.publishing import publish_schedule  # noqa: E402
from pasis_tui.core.reference import load_reference  # noqa: E402
from pasis_tui.core.schedule_laying import lay_preliminary  # noqa: E402

USER = "BENCH"
NOW = dt.datetime(2027, 1, 4, 7, 0)  # the Monday of ISO week 1, 2027
WEEKS = 52
PER_DAY = 16
PATIENT = "191212121212"  # Tolvan Tolvansson, the classic test personnummer
TARGET_MS = 100.0


def build(url: str, slots: int) -> None:
    """The database (see the module docstring), published through `publish_schedule`."""
    engine = emptied(make_engine(url))
    upgrade(engine)
    clock = FixedClock(NOW)
    caregivers = math.ceil(slots / (PER_DAY * 5 * WEEKS) * 1.03)  # the red days are skipped
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
                unit_id=unit.id, signature=f"VG{n:03d}", name=f"Vårdgivare {n}",
                category="LÄK", category_name="LÄKARE",
            )
            for n in range(caregivers)
        ]  # fmt: skip
        session.add_all([clinic, letter, *people])
        session.flush()
        session.add(
            models.HsaMapping(
                clinic_id=clinic.id,  # type: ignore[arg-type]
                org_number="232100-0255",
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
        create_template(
            session,
            unit_id=unit.id,
            basics=BasicsForm(code="ÖK", name="Öppen kallelse"),
            rows=[RowForm("ÖKNY", "08:00", "12:00", visit_length="15", level="3")],
        )
        weeks = [((NOW + dt.timedelta(weeks=n)).isocalendar()[:2]) for n in range(WEEKS)]
        for person in people:
            lay_preliminary(
                session, clock=clock, unit_id=unit.id, caregiver_id=person.id,  # type: ignore[arg-type]
                template_code="ÖK", weeks=weeks, weekdays=[0, 1, 2, 3, 4], clinic_code="M1",
                letter_code="ÖK",
            )  # fmt: skip
    with write_session(engine, user=USER, clock=clock) as session:
        ids = [p.id for p in session.exec(select(models.Caregiver)).all()]
        publish_schedule(session, clock=clock, caregiver_ids=ids)  # type: ignore[arg-type]
    with write_session(engine, user=USER, clock=clock) as session:
        _invitation(session, clock=clock, activity_id=activity.id)  # type: ignore[arg-type]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def _invitation(session: Session, *, clock: FixedClock, activity_id: int) -> None:
    """Tolvan's ÖK watch on the first caregiver, sent to her 1177 inbox now."""
    unit = session.exec(select(models.Unit)).one()
    clinic = session.exec(select(models.Clinic)).one()
    caregiver = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "VG000"))
    patient = models.Patient(personnummer=PATIENT, first_name="Tolvan", last_name="Tolvansson")
    session.add(patient)
    session.flush()
    watch = models.Watch(
        unit_id=unit.id,  # type: ignore[arg-type]
        patient_id=patient.id,  # type: ignore[arg-type]
        clinic_id=clinic.id,
        caregiver_id=caregiver.one().id,
        contact_type=models.ContactType.NEW,
        visit_length_min=15,
        activity_id=activity_id,
        book_from=NOW.date(),
        book_to=NOW.date() + dt.timedelta(weeks=8),
        purpose="Nybesök",
    )
    session.add(watch)
    session.flush()
    now_utc = utc_naive(clock.now())
    message = models.Message(
        patient_id=patient.id,  # type: ignore[arg-type]
        kind=models.MessageKind.INVITATION,
        watch_id=watch.id,
        clinic_name="Bänkmottagningen",
        subject="Kallelse: boka tid hos Bänkmottagningen",
        sent_at=now_utc,
    )
    session.add(message)
    session.flush()
    session.add(
        models.Invitation(
            watch_id=watch.id,  # type: ignore[arg-type]
            patient_id=patient.id,  # type: ignore[arg-type]
            due_at=now_utc,
            sent_at=now_utc,
            message_id=message.id,
        )
    )


async def measure_screen(
    url: str, runs: int
) -> tuple[list[float], list[float], list[float], int, int]:
    """Per run, in ms: key press (Alt+B) → the first frame composed with the list in it, the
    CPU the process (UI and worker thread) spent meanwhile — what the wall time would be on a
    core of its own, as a loaded machine stretches wall time — and key press → the app idle
    again; and the times and days the list shows."""
    from textual import events

    from pasis_tui.app import PasisApp
    from pasis_tui.core.citizen_cases import SlotList
    from pasis_tui.widgets.grouped_list import GroupedList
    from screens.invanare_1177 import CitizenScreen

    app = PasisApp(
        database_url=url, user=USER, clock=FixedClock(NOW), unit_code="BENCH", start_screen="1177"
    )

    async def drawn(shown: Callable[[], bool] = lambda: True) -> None:
        """Until `shown()`, no database work is in flight and the screen painted after it."""
        while True:
            await app.db_work.wait_idle()
            painted = asyncio.Event()
            app.screen.call_after_refresh(painted.set)
            await painted.wait()
            if not app.db_work.busy and shown():
                return

    def press_alt_b() -> None:
        """The key as the terminal driver delivers it (what Pilot.press sends, without its
        waits for idle)."""
        key = events.Key("alt+b", None)
        key.set_sender(app)
        assert app._driver is not None
        app._driver.send_message(key)

    async with app.run_test(size=(120, 40)) as pilot:
        await drawn()
        await app.workers.wait_for_complete()  # the screen modules, imported after the open
        screen = app.screen
        assert isinstance(screen, CitizenScreen)
        # Textual has no public "frame composed" event: note when the list gets its lines and
        # when each compositor refresh of the screen ends (the headless driver writes nothing).
        listed: list[float] = []
        frames: list[float] = []
        cpu_marks: list[float] = []
        slot_list = screen.query_one("#tider", GroupedList)
        set_lines, refresh = slot_list.set_lines, screen._compositor_refresh

        def noted_set_lines(*args: Any, **kwargs: Any) -> None:
            set_lines(*args, **kwargs)
            listed.append(time.perf_counter())

        def noted_refresh() -> None:
            refresh()
            frames.append(time.perf_counter())
            cpu_marks.append(time.process_time())

        slot_list.set_lines = noted_set_lines  # type: ignore[method-assign]
        screen._compositor_refresh = noted_refresh  # type: ignore[method-assign]
        await pilot.press(*PATIENT, "enter")
        await drawn()
        await pilot.press("enter")  # the Kallelse, the only message
        await drawn()
        assert screen.view == "meddelande", screen.view
        to_frame, cpu, to_idle = [], [], []
        shown: SlotList | None = None
        for _ in range(runs):
            screen.times = None
            listed.clear()
            frames.clear()
            cpu_marks.clear()
            began, began_cpu = time.perf_counter(), time.process_time()
            press_alt_b()
            await drawn(lambda: screen.view == "tider" and screen.times is not None)
            idle = time.perf_counter()
            first = next(n for n, t in enumerate(frames) if t > listed[0])
            to_frame.append((frames[first] - began) * 1000)
            cpu.append((cpu_marks[first] - began_cpu) * 1000)
            to_idle.append((idle - began) * 1000)
            shown = screen.times
            assert shown is not None
            await pilot.press("escape")
            await drawn()
        assert shown is not None
        return to_frame, cpu, to_idle, shown.count, len(shown.days)


def measure_core(url: str, runs: int) -> list[float]:
    """`invitation_times` alone (the worker's one core call), in ms."""
    from pasis_tui.core.citizen_cases import invitation_times, log_in_citizen
    from pasis_tui.core.context import UnitRef, WorkContext

    engine = make_engine(url)
    ctx = WorkContext(engine=engine, user=USER, clock=FixedClock(NOW), unit=UnitRef(0, "", "", ""))
    citizen = log_in_citizen(ctx=ctx, personnummer=PATIENT).citizen
    with ctx.read() as session:
        message_id = session.exec(select(models.Message.id)).one()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        invitation_times(ctx=ctx, citizen=citizen, message_id=message_id or 0)
        timings.append((time.perf_counter() - began) * 1000)
    engine.dispose()
    return timings


def summary(timings: list[float]) -> str:
    return (
        f"median {statistics.median(timings):.1f} ms, best {min(timings):.1f} ms, "
        f"worst {max(timings):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", default="sqlite")
    parser.add_argument(
        "--measure-only", action="store_true", help="measure --db as an earlier run built it"
    )
    args = parser.parse_args()
    url = args.db
    if url == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='citizen-slots-')}/slots.db"
    began = time.perf_counter()
    if not args.measure_only:
        build(url, args.slots)
    built = time.perf_counter() - began
    engine = make_engine(url)
    with open_session(engine, user=USER, clock=FixedClock(NOW)) as session:
        count = session.exec(select(func.count()).select_from(models.Slot)).one()
    engine.dispose()
    screen, cpu, idle, times, days = asyncio.run(measure_screen(url, args.runs))
    core = measure_core(url, args.runs)
    verdict = "under" if statistics.median(screen) < TARGET_MS else "OVER"
    load = os.getloadavg()[0]
    print(f"{make_engine(url).dialect.name}: {count} published slots, built in {built:.0f} s")
    print(f"load average while measuring: {load:.1f} on {os.cpu_count()} cores")
    print(f"the list shows {times} times on {days} days")
    print(
        f"Alt+B → first frame with the slot list: {summary(screen)} over {args.runs} runs "
        f"({verdict} 100 ms)"
    )
    print(f"  CPU meanwhile (UI + worker thread): {summary(cpu)}")
    print(f"  until the app is idle again: {summary(idle)}")
    print(f"  invitation_times() alone (the worker's core call): {summary(core)}")


if __name__ == "__main__":
    main()
