"""Felsökning: a watch built to fail exactly one check of seed 12 / the offered-slot rule gets
exactly that finding (with what to change where), and a good watch gets none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, delete, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.troubleshooting import FAIL, OK, WARNING, troubleshoot, troubleshoot_patient
from tests.conftest import USER
from tests.core.watch_setup import AGDA, GUSTAV, WEDNESDAY, patient_id, save, saved_watch_id


def _watch(engine: Engine, clock: FixedClock, *, send: bool = True, **changes: object) -> int:
    window = {"book_from": WEDNESDAY.isoformat(), "book_to": WEDNESDAY.isoformat()}
    watch_id = saved_watch_id(save(engine, clock, **{**window, **changes}))  # type: ignore[arg-type]
    if send:
        with write_session(engine, user=USER, clock=clock) as session:
            session.connection().execute(
                update(models.Invitation)
                .where(col(models.Invitation.watch_id) == watch_id)
                .values(due_at=dt.datetime(2000, 1, 1))
            )
            send_due_invitations(session=session, clock=clock)
    return watch_id


def _verdicts(engine: Engine, clock: FixedClock, watch_id: int) -> dict[str, tuple[str, str]]:
    with open_session(engine, user=USER, clock=clock) as session:
        report = troubleshoot(session=session, clock=clock, watch_id=watch_id)
    return {f.check: (f.verdict, f.text + " → " + f.fix) for f in report.findings}


def _not_ok(verdicts: dict[str, tuple[str, str]]) -> dict[str, str]:
    return {check: verdict for check, (verdict, _) in verdicts.items() if verdict != OK}


def test_a_good_watch_has_no_finding_and_offers_both_times(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = _watch(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        report = troubleshoot(session=session, clock=clock, watch_id=watch_id)
    assert report.problems == ()
    assert report.summary == "Patienten erbjuds 2 tider i 1177."
    assert report.text.splitlines()[0].startswith(
        f"Felsökning, bevakning {watch_id}: Tolvan Tolvansson (19121212-1212), typ ÖK M11/HAN"
    )
    assert "[OK     ] Kallelse: Skickad" in report.text


def _level_zero(session: Session) -> None:
    session.connection().execute(
        update(models.Slot).where(col(models.Slot.day) == WEDNESDAY).values(level_1177=0)
    )


def _book_both(session: Session) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 22, 10, 6))
    slots = session.exec(
        select(models.Slot).where(
            col(models.Slot.day) == WEDNESDAY, col(models.Slot.level_1177) == 3
        )
    ).all()
    patient = patient_id(session, AGDA)
    for slot in slots:
        if not session.exec(
            select(models.Booking).where(models.Booking.slot_id == slot.id)
        ).first():
            book_slot(session, clock=clock, slot_id=slot.id, patient_id=patient)  # type: ignore[arg-type]


def _unmap_m11(session: Session) -> None:
    m11 = select(models.Clinic.id).where(models.Clinic.code == "M11")
    session.connection().execute(
        delete(models.HsaMapping).where(col(models.HsaMapping.clinic_id).in_(m11))
    )


def _book_tid_off(session: Session) -> None:
    session.connection().execute(
        update(models.Clinic).where(col(models.Clinic.code) == "M11").values(eservice_book=False)
    )


@pytest.mark.parametrize(
    ("changes", "alter", "expected", "words"),
    [
        ({"visit_length": "30"}, None, {"Samma besökslängd": FAIL}, "60 min"),
        ({"send": False}, None, {"Kallelsen skickad": FAIL, "Kallelse": WARNING}, "skickas"),
        ({"booking_letter": "Nej"}, None, {"Digital kallelse": WARNING}, "Brev = Ja"),
        ({"personnummer": GUSTAV}, None, {"Konto på 1177": FAIL}, "Inget konto"),
        (
            {"personnummer": AGDA},
            None,
            {"Aviseringar": WARNING, "Kommunikation": WARNING},
            "papperskallelse",
        ),
        ({}, _level_zero, {"1177-nivå 3": FAIL}, "SP 270"),
        ({}, _book_both, {"Ledig plats": FAIL}, "SP 272"),
        (
            {},
            _unmap_m11,
            {"HSA-mappning på tidernas dagar": FAIL, "HSA-mappning idag": FAIL},
            "SP 721",
        ),
        ({}, _book_tid_off, {"E-tjänster": FAIL}, "Boka tid"),
    ],
)
def test_each_check_fails_alone_with_what_to_change(
    demo_engine: Engine,
    clock: FixedClock,
    changes: dict[str, object],
    alter: Callable[[Session], None] | None,
    expected: dict[str, str],
    words: str,
) -> None:
    changes = dict(changes)  # the parameters are shared by both backends' runs
    send = bool(changes.pop("send", True))
    watch_id = _watch(demo_engine, clock, send=send, **changes)
    if alter is not None:
        with write_session(demo_engine, user=USER, clock=clock) as session:
            alter(session)
    verdicts = _verdicts(demo_engine, clock, watch_id)
    assert _not_ok(verdicts) == expected
    assert any(words in verdicts[check][1] for check in expected)


def test_by_personnummer_every_ok_watch_newest_first(
    demo_engine: Engine, clock: FixedClock
) -> None:
    first = _watch(demo_engine, clock)
    second = _watch(demo_engine, clock, visit_length="30", book_to="2026-11-26")
    with open_session(demo_engine, user=USER, clock=clock) as session:
        reports = troubleshoot_patient(session=session, clock=clock, personnummer="19121212-1212")
        assert [r.watch_id for r in reports][:2] == [second, first]
        with_ok = select(models.Watch.patient_id).where(models.Watch.watch_type == "ÖK")
        other = session.exec(
            select(models.Patient).where(col(models.Patient.id).not_in(with_ok))
        ).first()
        assert other is not None
        with pytest.raises(PasisError, match="ingen bevakning av typ ÖK"):
            troubleshoot_patient(session=session, clock=clock, personnummer=other.personnummer)
        with pytest.raises(PasisError, match="Ogiltigt personnummer"):
            troubleshoot_patient(session=session, clock=clock, personnummer="19121212-1213")
