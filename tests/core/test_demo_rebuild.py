"""`pasis demo` on an existing SQLite demo: the new demo is built beside it and swapped in, so a
build that fails half-way leaves the old database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from pasis_tui.core import demo, models
from pasis_tui.core.clock import FixedClock, parse_now
from pasis_tui.core.db import make_engine, open_session, write_session
from tests.conftest import USER


def _units(url: str, clock: FixedClock) -> list[str]:
    engine = make_engine(url)
    try:
        with open_session(engine, user=USER, clock=clock) as session:
            return sorted(unit.name for unit in session.exec(select(models.Unit)).all())
    finally:
        engine.dispose()


def _patients(url: str, clock: FixedClock) -> int:
    engine = make_engine(url)
    try:
        with open_session(engine, user=USER, clock=clock) as session:
            return session.exec(select(func.count()).select_from(models.Patient)).one()
    finally:
        engine.dispose()


def test_a_failed_rebuild_keeps_the_old_demo(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "demo.db"
    url = f"sqlite:///{file}"
    demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)
    engine = make_engine(url)
    with write_session(engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "KIR")).one()
        unit.name = "Kirurgi (övning pågår)"
    engine.dispose()
    before = _units(url, clock)
    patients = _patients(url, clock)

    def broken(session: Session, *_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "DEMO_STEPS", (*demo.DEMO_STEPS, broken))
    with pytest.raises(RuntimeError, match="disk full"):
        demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)
    assert _units(url, clock) == before  # the trainer's change is still there
    assert not list(tmp_path.glob("*.bygger*"))

    monkeypatch.undo()
    demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)
    assert "Kirurgi (övning pågår)" not in _units(url, clock)
    assert _patients(url, clock) == patients
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]


def test_a_failed_first_build_leaves_no_half_built_database(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `pasis demo` failing half-way (it did, on a weekday, on a slot already passed)
    must not leave a migrated file without the demo: the next run took it for somebody's
    database and refused to overwrite it."""
    file = tmp_path / "demo.db"
    url = f"sqlite:///{file}"

    def broken(session: Session, *_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "DEMO_STEPS", (*demo.DEMO_STEPS, broken))
    with pytest.raises(RuntimeError, match="disk full"):
        demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)
    assert not list(tmp_path.glob("*.bygger*"))
    engine = make_engine(url)
    assert demo.is_demo(engine)  # nothing in it: the next run may fill it without asking
    engine.dispose()

    monkeypatch.undo()
    demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)  # not asked, not refused
    assert _patients(url, clock) > 0


@pytest.mark.parametrize(
    "now",
    [
        "2026-11-23 07:00",  # a Monday before its first slot
        "2026-11-23 10:06",  # a Monday after it
        "2026-11-25 12:00",
        "2026-11-27 23:59",  # a Friday night
        "2026-11-28 10:00",  # a Saturday
        "2026-12-21 10:00",  # before Christmas
    ],
)
def test_the_demo_builds_on_any_day(tmp_path: Path, now: str) -> None:
    """`pasis demo` without --now is built around the real clock, so it must build whatever the
    weekday and hour: it booked slots on this week's Monday–Wednesday, and failed ("Tiden …
    har redan passerat") from Monday's first slot to Friday night."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    clock = FixedClock(parse_now(now))
    demo.rebuild_demo(url, clock=clock, may_replace=lambda: False)
    engine = make_engine(url)
    try:
        assert demo.is_demo(engine)
        with open_session(engine, user=USER, clock=clock) as session:
            upcoming = session.exec(
                select(func.count())
                .select_from(models.Booking)
                .join(models.Slot, col(models.Booking.slot_id) == models.Slot.id)
                .where(models.Slot.starts_at > clock.now().replace(tzinfo=None))
            ).one()
    finally:
        engine.dispose()
    assert upcoming >= 6  # the demo's own bookings for the Tidbok (publishing.DEMO_BOOKINGS)
