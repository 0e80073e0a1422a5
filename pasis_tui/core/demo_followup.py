"""Demo data for follow-up (SP 191) and Statistik: a year of ÖK history on REUM M11, a watch whose
visit length differs from the schedule, and two SP 191 orders.

The history is written in bulk (a few thousand rows, well under a second) as the system would
have left it: each ÖK watch has its sent invitation and Kallelse message; most were booked on a
past slot (by the patient in 1177 or by staff), some rebooked, some cancelled, some closed by
Rensning, a few passed unbooked. It is deterministic: the same clock gives the same year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.demo_watches import _NY, DEMO_UNIT
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.watch_followup import clean_watches
from pasis_tui.core.watch_search import OrderCriteria, order_watches, place_order
from pasis_tui.core.watches import save_watch

WEEKS = 52
#: ÖK invitations sent per week (before the seasonal swing) in the demo's history.
PER_WEEK = 16
SEED = 191
#: Emma Berg's second watch: 45 minutes where the schedule's ÖKNY times are 60.
VISIT_LENGTH_PATIENT = "198501012382"


def _dicts(session: Session, model: Any, row_id: int) -> dict[str, Any]:
    """A stored row's columns as they are in the database (a template for the history)."""
    table = model.__table__
    row = session.connection().execute(table.select().where(table.c.id == row_id)).one()
    values = dict(row._mapping)
    values.pop("id", None)
    return values


def _row(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of `model` (its defaults filled in), for a bulk insert."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = {}
        for column in model.__table__.columns:
            if column.primary_key:
                continue  # given, or left to the database
            default = column.default.arg if column.default is not None else None
            defaults[column.name] = None if callable(default) else default
        _DEFAULTS[model] = defaults
    return defaults | values


_DEFAULTS: dict[Any, dict[str, Any]] = {}


def demo_followup(session: Session, clock: Clock, directory: Path) -> None:
    today = clock.now().date()
    unit = session.exec(select(models.Unit).where(models.Unit.code == DEMO_UNIT)).one()
    assert unit.id is not None
    _visit_length_differs(session, clock, unit.id, today)
    _history(session, clock, unit.id, today)
    passed = place_order(
        session=session,
        unit_id=unit.id,
        criteria=OrderCriteria(watch_type="ÖK", book_to_passed=today, sort_order="NAMN"),
    )
    listed = order_watches(session=session, order_no=passed.order.order_no, limit=50).rows
    # Two of the history's, so the demo's own passed watch (Liam Nilsson) stays for SP 090.
    found = [row for row in listed if row.personnummer.replace("-", "") in HISTORY_PATIENTS][:2]
    clean_watches(
        session=session,
        clock=clock,
        order_no=passed.order.order_no,
        watch_ids=[row.watch_id for row in found],
        reason="Har inte bokat, tackat nej per telefon",
    )
    place_order(
        session=session,
        unit_id=unit.id,
        criteria=OrderCriteria(clinic_code="M11", from_date=today, sort_order="DATUM"),
    )
    session.flush()


def _visit_length_differs(session: Session, clock: Clock, unit_id: int, today: dt.date) -> None:
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == VISIT_LENGTH_PATIENT)
    ).one()
    assert patient.id is not None
    form = dataclasses.replace(
        _NY,
        visit_length="45",
        target_date=(today + dt.timedelta(days=35)).isoformat(),
        book_from=today.isoformat(),
        book_to=(today + dt.timedelta(weeks=6)).isoformat(),
        send_to_1177=today.isoformat(),  # sent at once, as the demo's other sent watches
    )
    save_watch(
        session=session,
        clock=clock,
        unit_id=unit_id,
        patient_id=patient.id,
        form=form,
        confirmed=True,
    )
    send_due_invitations(session=session, clock=clock)


#: The history's patients: two demo patients no demo script uses, one with a 1177 account (her
#: Bevakningsbrev goes to the inbox) and one without (his goes on paper). Only the shared test
#: personnummer may be given to demo patients, so the history does not invent people of its own.
HISTORY_PATIENTS = ("190212149819", "201701102384")
#: Invitations older than this have been read in 1177 (the inbox shows only recent ones unread).
READ_AFTER = dt.timedelta(days=14)


def _history_patients(session: Session) -> list[int]:
    ids = session.exec(
        select(models.Patient.id).where(col(models.Patient.personnummer).in_(HISTORY_PATIENTS))
    ).all()
    return sorted(patient_id for patient_id in ids if patient_id is not None)


def _history(session: Session, clock: Clock, unit_id: int, today: dt.date) -> None:
    """A year of sent ÖK invitations and what came of them, written in bulk."""
    template_watch = session.exec(
        select(models.Watch.id)
        .where(models.Watch.unit_id == unit_id, models.Watch.watch_type == "ÖK")
        .order_by(col(models.Watch.id))
    ).first()
    template_slot = session.exec(
        select(models.Slot.id)
        .join(models.Clinic, col(models.Clinic.id) == models.Slot.clinic_id)
        .where(models.Clinic.unit_id == unit_id)
        .order_by(col(models.Slot.id))
    ).first()
    if template_watch is None or template_slot is None:
        return
    watch_row = _dicts(session, models.Watch, template_watch)
    slot_row = _dicts(session, models.Slot, template_slot)
    patients = _history_patients(session)
    if not patients:
        return
    rng = random.Random(SEED)
    connection = session.connection()
    next_watch = (
        session.exec(select(models.Watch.id).order_by(col(models.Watch.id).desc())).first() or 0
    ) + 1
    next_slot = (
        session.exec(select(models.Slot.id).order_by(col(models.Slot.id).desc())).first() or 0
    ) + 1
    next_message = (
        session.exec(select(models.Message.id).order_by(col(models.Message.id).desc())).first() or 0
    ) + 1
    next_booking = (
        session.exec(select(models.Booking.id).order_by(col(models.Booking.id).desc())).first() or 0
    ) + 1
    watches: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    invitations: list[dict[str, Any]] = []
    slots: list[dict[str, Any]] = []
    bookings: list[dict[str, Any]] = []
    start = today - dt.timedelta(weeks=WEEKS)
    for week in range(WEEKS):
        summer = start + dt.timedelta(weeks=week)
        per_week = PER_WEEK // 2 if summer.month in (7,) else PER_WEEK + rng.randint(-6, 6)
        for _ in range(per_week):
            sent_day = summer + dt.timedelta(days=rng.randint(0, 4))
            sent_at = utc_naive(dt.datetime.combine(sent_day, dt.time(8, rng.randint(0, 59))))
            book_to = sent_day + dt.timedelta(weeks=6)
            patient_id = rng.choice(patients)
            fate = rng.random()
            status = models.WatchStatus.OPEN
            if fate < 0.72:
                status = models.WatchStatus.BOOKED
            elif fate < 0.84:
                status = models.WatchStatus.CLOSED
            watch_id = next_watch
            next_watch += 1
            watches.append(
                watch_row
                | {
                    "id": watch_id,
                    "patient_id": patient_id,
                    "status": status,
                    "target_date": book_to,
                    "book_from": sent_day,
                    "book_to": book_to,
                    "send_to_1177": sent_day,
                    "created_at": sent_at,
                    "updated_at": sent_at,
                }
            )
            messages.append(
                _row(models.Message, {
                    "id": next_message, "patient_id": patient_id,
                    "kind": models.MessageKind.INVITATION,
                    "watch_id": watch_id, "booking_id": None, "clinic_name": "Reumatologi",
                    "subject": "Kallelse: boka din tid", "body": "", "sent_at": sent_at,
                    "read_at": sent_at + dt.timedelta(days=1)
                    if sent_at.date() + READ_AFTER < today
                    else None,
                })
            )  # fmt: skip
            invitations.append(
                _row(models.Invitation, {
                    "watch_id": watch_id, "patient_id": patient_id, "due_at": sent_at,
                    "sent_at": sent_at, "message_id": next_message, "withdrawn_at": None,
                    "withdrawn_by": None, "created_at": sent_at, "created_by": "SYSTEM",
                })
            )  # fmt: skip
            next_message += 1
            booked_at = sent_at + dt.timedelta(days=rng.expovariate(1 / 4.0), minutes=7)
            if (booked_at + dt.timedelta(days=12)).date() >= today:
                watches[-1]["status"] = models.WatchStatus.OPEN  # not yet: still open
                continue
            if status != models.WatchStatus.BOOKED and fate >= 0.8:
                continue  # closed or passed without a booking
            via = models.BookedVia.CITIZEN if rng.random() < 0.68 else models.BookedVia.STAFF
            chain = 2 if rng.random() < 0.1 else 1
            previous: int | None = None
            for n in range(chain):
                visit = dt.datetime.combine(
                    (booked_at + dt.timedelta(days=7 + 3 * n)).date(), dt.time(9 + n)
                )
                slots.append(
                    slot_row
                    | {
                        "id": next_slot, "schedule_day_id": None, "day": visit.date(),
                        "starts_at": visit, "ends_at": visit + dt.timedelta(minutes=60),
                        "starts_at_utc": utc_naive(visit),
                        "ends_at_utc": utc_naive(visit + dt.timedelta(minutes=60)), "level_1177": 0,
                    }
                )  # fmt: skip
                last = n == chain - 1
                cancelled = last and status == models.WatchStatus.CLOSED
                moment = booked_at + dt.timedelta(days=2 * n)
                bookings.append(
                    _row(models.Booking, {
                        "id": next_booking, "slot_id": next_slot, "seat_no": 1,
                        "patient_id": patient_id, "watch_id": watch_id,
                        "status": models.BookingStatus.CANCELLED
                        if cancelled
                        else models.BookingStatus.ACTIVE
                        if last
                        else models.BookingStatus.REBOOKED,
                        "booked_via": via, "overbooked": False, "booked_at": moment,
                        "booked_by": "1177" if via == "1177" else "VIS",
                        "cancelled_at": moment + dt.timedelta(days=1) if cancelled else None,
                        "cancelled_by": "1177" if cancelled else None,
                        "cancelled_via": models.BookedVia.CITIZEN if cancelled else None,
                        "cancel_reason": "",
                        "rebooked_from_id": previous, "rebooking_no": n,
                    })
                )  # fmt: skip
                previous = next_booking
                next_slot += 1
                next_booking += 1
    for model, rows in (
        (models.Watch, watches),
        (models.Message, messages),
        (models.Invitation, invitations),
        (models.Slot, slots),
        (models.Booking, bookings),
    ):
        if rows:
            connection.execute(insert(model), rows)
    if connection.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for model in (models.Watch, models.Message, models.Slot, models.Booking):
            name = model.__tablename__
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
