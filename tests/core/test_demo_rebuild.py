"""`pasis demo` on an existing SQLite demo: the new demo is built beside it and swapped in, so a
build that fails half-way leaves the old database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from pasis_tui.core import demo, models
from pasis_tui.core.clock import FixedClock
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
