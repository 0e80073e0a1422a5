"""SP 191 Bevakningsutsökning: each criterion alone and combined, the passed-window search of
seed 5.4, a stored list that does not move, paging and Nästa i bev. lista."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.watch_search import (
    OrderCriteria,
    delete_order,
    list_orders,
    neighbour_watch,
    order_watches,
    place_order,
)
from tests.conftest import USER

D = dt.date
#: (key, type, contact, target date, book to, status, caregiver, diagnosis, patient index)
WATCHES = [
    ("ok_passed", "ÖK", "NY", D(2026, 9, 1), D(2026, 11, 1), "Öppen", "HAN", "M05", 0),
    ("ok_passed_booked", "ÖK", "NY", D(2026, 9, 2), D(2026, 11, 2), "Bokad", "HAN", "M06", 1),
    ("ok_open", "ÖK", "ÅB", D(2026, 10, 1), D(2026, 12, 31), "Öppen", "VV", "M05.1", 2),
    ("ordinary", "V", "NY", D(2026, 8, 1), D(2026, 11, 1), "Öppen", "HAN", "K50", 3),
    ("ok_closed", "ÖK", "KT", D(2026, 7, 1), D(2026, 10, 1), "Avslutad", "VV", "", 4),
]


@pytest.fixture
def scene(demo_engine: Engine, clock: FixedClock) -> Iterator[tuple[Engine, int, dict[str, int]]]:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        clinic = session.exec(select(models.Clinic).where(models.Clinic.code == "M11")).one()
        caregivers = {
            c.signature: c.id
            for c in session.exec(
                select(models.Caregiver).where(models.Caregiver.unit_id == unit.id)
            ).all()
        }
        patients = session.exec(select(models.Patient).order_by(models.Patient.id)).all()  # type: ignore[arg-type]
        _without_demo_watches(session)
        ids: dict[str, int] = {}
        for key, kind, contact, target, book_to, status, vg, diagnosis, n in WATCHES:
            watch = models.Watch(
                unit_id=unit.id,  # type: ignore[arg-type]
                patient_id=patients[n].id,  # type: ignore[arg-type]
                clinic_id=clinic.id,
                caregiver_id=caregivers[vg],
                watch_type=models.WatchType(kind),
                contact_type=models.ContactType(contact),
                target_date=target,
                book_to=book_to,
                status=models.WatchStatus(status),
                internal_diagnosis=diagnosis,
            )
            session.add(watch)
            session.flush()
            ids[key] = watch.id  # type: ignore[assignment]
        unit_id = unit.id
    yield demo_engine, unit_id, ids  # type: ignore[misc]


def _without_demo_watches(session: Session) -> None:
    """The demo lays watches of its own (demo_watches); this scene counts only its own."""
    connection = session.connection()
    connection.execute(delete(models.WatchSearchResult))  # the demo's SP 191 orders
    connection.execute(delete(models.WatchSearchOrder))
    connection.execute(delete(models.Invitation))
    connection.execute(delete(models.Message).where(col(models.Message.watch_id).is_not(None)))
    # The 1177 demo's reminders and Kontakta oss requests point at its watches' bookings.
    booked = select(models.Booking.id).where(col(models.Booking.watch_id).is_not(None))
    connection.execute(delete(models.SmsOutbox).where(col(models.SmsOutbox.booking_id).in_(booked)))
    connection.execute(
        delete(models.ContactRequest).where(col(models.ContactRequest.booking_id).in_(booked))
    )
    connection.execute(delete(models.Booking).where(col(models.Booking.watch_id).is_not(None)))
    connection.execute(delete(models.Watch))


def _found(engine: Engine, clock: FixedClock, unit_id: int, **criteria: object) -> list[int]:
    with write_session(engine, user=USER, clock=clock) as session:
        placed = place_order(session=session, unit_id=unit_id, criteria=OrderCriteria(**criteria))  # type: ignore[arg-type]
        page = order_watches(session=session, order_no=placed.order.order_no, limit=100)
    assert placed.order.count == page.total == len(page.rows)
    return [row.watch_id for row in page.rows]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ["ok_closed", "ordinary", "ok_passed", "ok_passed_booked", "ok_open"]),
        ({"watch_type": "ök"}, ["ok_closed", "ok_passed", "ok_passed_booked", "ok_open"]),
        ({"contact_type": "NY"}, ["ordinary", "ok_passed", "ok_passed_booked"]),
        ({"caregiver_signature": "vv"}, ["ok_closed", "ok_open"]),
        (
            {"clinic_code": "M11"},
            ["ok_closed", "ordinary", "ok_passed", "ok_passed_booked", "ok_open"],
        ),
        (
            {"from_date": D(2026, 9, 1), "to_date": D(2026, 9, 30)},
            ["ok_passed", "ok_passed_booked"],
        ),
        (
            {"internal_diagnosis_from": "M05", "internal_diagnosis_to": "M05"},
            ["ok_passed", "ok_open"],
        ),
        # seed 5.4: ÖK, not booked, Boka t o m before the date — the closed and booked ones not.
        ({"watch_type": "ÖK", "book_to_passed": D(2026, 11, 22)}, ["ok_passed"]),
        ({"book_to_passed": D(2026, 11, 1)}, []),
        ({"contact_type": "NY", "caregiver_signature": "HAN", "watch_type": "V"}, ["ordinary"]),
    ],
)
def test_each_criterion_alone_and_combined(
    scene: tuple[Engine, int, dict[str, int]],
    clock: FixedClock,
    criteria: dict[str, object],
    expected: list[str],
) -> None:
    engine, unit_id, ids = scene
    assert _found(engine, clock, unit_id, **criteria) == [ids[key] for key in expected]


def test_birth_years_and_sort_orders(
    scene: tuple[Engine, int, dict[str, int]], clock: FixedClock
) -> None:
    engine, unit_id, ids = scene
    with open_session(engine, user=USER, clock=clock) as session:
        years = {
            key: int(
                session.get(
                    models.Patient, session.get(models.Watch, ids[key]).patient_id
                ).personnummer[:4]
            )  # type: ignore[union-attr]
            for key in ids
        }
    year = sorted(years.values())[2]
    found = _found(engine, clock, unit_id, birth_year_from=year, birth_year_to=year)
    assert found and all(years[k] == year for k, v in ids.items() if v in found)
    by_book_to = _found(engine, clock, unit_id, sort_order="boka tom")
    assert by_book_to[0] == ids["ok_closed"] and by_book_to[-1] == ids["ok_open"]


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"clinic_code": "XX"}, "clinic"),
        ({"caregiver_signature": "NOONE"}, "caregiver"),
        ({"watch_type": "Q"}, "watch_type"),
        ({"contact_type": "ZZ"}, "contact_type"),
        ({"from_date": D(2026, 2, 1), "to_date": D(2026, 1, 1)}, "to_date"),
        ({"birth_year_from": 2000, "birth_year_to": 1990}, "birth_year_to"),
        ({"birth_year_from": 19}, "birth_year_from"),
        (
            {"internal_diagnosis_from": "M10", "internal_diagnosis_to": "A00"},
            "internal_diagnosis_to",
        ),
        ({"sort_order": "SKOSTORLEK"}, "sort_order"),
    ],
)
def test_bad_criteria_are_refused_at_their_field_and_nothing_stored(
    scene: tuple[Engine, int, dict[str, int]],
    clock: FixedClock,
    criteria: dict[str, object],
    field: str,
) -> None:
    engine, unit_id, _ = scene
    with pytest.raises(PasisError) as refused:
        _found(engine, clock, unit_id, **criteria)
    assert refused.value.field == field
    with open_session(engine, user=USER, clock=clock) as session:
        assert list_orders(session=session, user=USER) == []


def test_the_stored_list_does_not_move_and_pages_walk_it(
    scene: tuple[Engine, int, dict[str, int]], clock: FixedClock
) -> None:
    engine, unit_id, ids = scene
    with write_session(engine, user=USER, clock=clock) as session:
        placed = place_order(
            session=session, unit_id=unit_id, criteria=OrderCriteria(watch_type="ÖK")
        )
        order_no = placed.order.order_no
        assert placed.message == f"Beställning {order_no}: 4 bevakningar"
        # A watch changed after the order stays on its list (with its new state).
        session.get(models.Watch, ids["ok_passed"]).status = models.WatchStatus.BOOKED  # type: ignore[union-attr]
    with open_session(engine, user=USER, clock=clock) as session:
        first = order_watches(session=session, order_no=order_no, offset=0, limit=3)
        last = order_watches(session=session, order_no=order_no, offset=3, limit=3)
        assert [r.position for r in first.rows + last.rows] == [1, 2, 3, 4]
        assert first.rows[1].status == "Bokad" and first.rows[1].personnummer[8] == "-"
        walk = [first.rows[0].watch_id]
        while (
            nxt := neighbour_watch(session=session, order_no=order_no, watch_id=walk[-1])
        ) is not None:
            walk.append(nxt)
        assert walk == [r.watch_id for r in first.rows + last.rows]
        assert [o.order_no for o in list_orders(session=session, user=USER)] == [order_no]
        assert list_orders(session=session, user="HAN") == []
    with write_session(engine, user="HAN", clock=clock) as session:
        with pytest.raises(PasisError):
            delete_order(session=session, order_no=order_no, user="HAN")
    with write_session(engine, user=USER, clock=clock) as session:
        assert "borttagen" in delete_order(session=session, order_no=order_no, user=USER)
        assert session.get(models.Watch, ids["ok_open"]) is not None
