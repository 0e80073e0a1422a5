"""Demo watches on the REUM/HAN schedules: every type and every state of SP 090, one rejected
combination (the activity differs from the schedule's), a patient without a 1177 account and
one with paper mail — each made through the same services as the screen."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.offers import offers_for_watch
from pasis_tui.core.watches import WatchForm, remove_watch, save_watch

DEMO_UNIT = "REUM"
#: The demo's own 1177 bookings lie this many days ahead of the demo clock (a Wednesday from
#: the demo's Sunday), clear of the days the appointment-book and scheduling demos show.
BOOK_DAYS_AHEAD = 24

#: Seed 5.1 on the demo schedule: M11, HAN, ÖKNY 60 min.
_NY = WatchForm(
    clinic="M11",
    caregiver="HAN",
    watch_type="ÖK",
    contact_type="NY",
    visit_length="60",
    activity="ÖKNY",
    booking_letter="Ja",
    booking_letter_code="NY1",
    booking_standard_text="AVG",
    cause="NYREM",
    payment_method="KORT",
    purpose="Nybesök hos reumatolog. Besöket tar ca 60 minuter.",
)
#: Seed 5.2: ÅB with Beslut om återbesök, ÖKÅB 30 min.
_AB = dataclasses.replace(
    _NY,
    contact_type="ÅB",
    visit_length="30",
    activity="ÖKÅB",
    booking_letter_code="ÅB1",
    cause="KONTR",
    confirm_referrer="Nej",
    confirm_patient="Nej",
    purpose="Återbesök för kontroll. Besöket tar ca 30 minuter.",
)
#: Seed 5.3: KT, telephone contact.
_KT = dataclasses.replace(
    _AB, contact_type="KT", confirm_referrer="Ja", purpose="Telefonkontakt om provsvar, 30 min."
)

#: (personnummer, form changes, state to bring it to) — states: sparad, skickad, bokad,
#: avbokad, borttagen, passerat.
_WATCHES: tuple[tuple[str, WatchForm, dict[str, str], str], ...] = (
    ("194510168885", _NY, {}, "skickad"),  # Karin Åkesson: offered slots in 1177
    ("198107249289", _NY, {"send_to_1177": "+3"}, "sparad"),  # Sara Lund: sent in 3 days
    ("197101169295", _AB, {"return_decision_date": "-7"}, "bokad"),  # Anders Mattsson
    ("192109099180", _KT, {"return_decision_date": "-3"}, "avbokad"),  # Märta Nyström
    ("200809032386", _NY, {}, "borttagen"),  # Alva Johansson
    ("201701012393", _NY, {}, "passerat"),  # Liam Nilsson
    # Emma Berg: the rejected combination — the general Nybesök instead of the schedule's ÖKNY.
    ("198501012382", _NY, {"activity": "NYB"}, "skickad"),
    ("189001189811", _NY, {}, "skickad"),  # Gustav Persson: no 1177 account
    ("189001019802", _NY, {}, "skickad"),  # Agda Bengtsson: notifications off, paper mail
    # Ordinary watches: booked by staff with Boka.
    (
        "189102279800",
        _NY,
        {"watch_type": "V", "location": "R12", "booking_letter": "Nej"},
        "sparad",
    ),
    ("194607137454", _AB, {"watch_type": "ÅB", "return_decision_date": "-1"}, "sparad"),
    ("201412062380", _NY, {"watch_type": "R", "referral": "REM-2026-0457"}, "sparad"),
)


def _day(today: dt.date, text: str) -> str:
    return (today + dt.timedelta(days=int(text))).isoformat()


def demo_watches(session: Session, clock: Clock, directory: Path) -> None:
    """Lay the demo watches around the demo clock (their dates move with it)."""
    today = clock.now().date()
    unit = session.exec(select(models.Unit).where(models.Unit.code == DEMO_UNIT)).one()
    assert unit.id is not None
    book_to = (today + dt.timedelta(weeks=6)).isoformat()
    states: list[tuple[int, str]] = []
    for personnummer, form, changes, state in _WATCHES:
        patient = session.exec(
            select(models.Patient).where(models.Patient.personnummer == personnummer)
        ).one()
        assert patient.id is not None
        values: dict[str, Any] = dict(changes)
        for key in ("send_to_1177", "return_decision_date"):
            if key in values:
                values[key] = _day(today, values[key])
        if state != "sparad" and "send_to_1177" not in values and "watch_type" not in values:
            values["send_to_1177"] = today.isoformat()  # already due: sent below
        values.setdefault("target_date", _day(today, "28"))
        filled = dataclasses.replace(form, book_from=today.isoformat(), book_to=book_to, **values)
        if filled.watch_type != "ÖK":
            filled = dataclasses.replace(filled, clinic="M11", send_to_1177="")
        result = save_watch(
            session=session,
            clock=clock,
            unit_id=unit.id,
            patient_id=patient.id,
            form=filled,
            confirmed=True,
        )
        assert result.watch is not None
        states.append((result.watch.watch_id, state))
    send_due_invitations(session=session, clock=clock)
    for watch_id, state in states:
        _bring_to(session, clock, watch_id=watch_id, state=state)
    session.flush()


def _bring_to(session: Session, clock: Clock, *, watch_id: int, state: str) -> None:
    watch = session.get(models.Watch, watch_id)
    assert watch is not None
    if state in ("bokad", "avbokad"):
        offered = offers_for_watch(session=session, clock=clock, watch_id=watch_id)
        later = clock.now().date() + dt.timedelta(days=BOOK_DAYS_AHEAD)
        slot = next(slot for slot in offered.offered if slot.day >= later)
        booking = book_slot(
            session,
            clock=clock,
            slot_id=slot.slot_id,
            patient_id=watch.patient_id,
            watch_id=watch_id,
            via=models.BookedVia.CITIZEN,
        )
        watch.status = models.WatchStatus.BOOKED
        if state == "avbokad":  # glossary: Pasis reads a cancellation as "the patient is done"
            booking.status = models.BookingStatus.CANCELLED
            booking.cancelled_at = utc_naive(clock.now())
            booking.cancelled_by = "1177"
            watch.status = models.WatchStatus.CLOSED
            watch.cancelled_by = "1177"
        session.add_all([booking, watch])
    elif state == "borttagen":
        remove_watch(session=session, clock=clock, watch_id=watch_id)
    elif state == "passerat":
        # An older watch whose window has run out (saving refuses a past Boka t o m).
        watch.book_from = clock.now().date() - dt.timedelta(weeks=6)
        watch.book_to = clock.now().date() - dt.timedelta(days=1)
        session.add(watch)
    session.flush()


def demo_watch_ids(session: Session) -> list[int]:
    """The demo's watches in the order they were laid."""
    return [i for i in session.exec(select(models.Watch.id).order_by(col(models.Watch.id))) if i]
