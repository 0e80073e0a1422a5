"""Boka, Omboka and Avboka from 1177 on the offer engine, with every refusal (seed 000, 002)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pasis_tui.core import appointment_book, models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.citizen import booked_times
from pasis_tui.core.citizen_booking import (
    Actor,
    Receipt,
    SlotTakenError,
    book_offered,
    cancel,
    rebook,
    rebook_times,
)
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from tests.conftest import USER
from tests.core.citizen_setup import (
    ELEVEN,
    KARIN,
    TEN,
    TOLVAN_ACTOR,
    count,
    pid,
    sent_watch,
    slot_at,
)
from tests.core.watch_setup import TOLVAN, WEDNESDAY

THURSDAY_TEN = TEN + dt.timedelta(days=1)
FRIDAY_TEN = TEN + dt.timedelta(days=2)
FRIDAY_ELEVEN = ELEVEN + dt.timedelta(days=2)
WEEK = {"last": WEDNESDAY + dt.timedelta(days=2)}


def _book(
    engine: Engine,
    clock: FixedClock,
    watch_id: int,
    starts_at: dt.datetime,
    *,
    personnummer: str = TOLVAN,
    actor: Actor = TOLVAN_ACTOR,
) -> Receipt:
    with write_session(engine, user="1177", clock=clock) as session:
        return book_offered(
            session=session,
            clock=clock,
            actor=actor,
            patient_id=pid(session, personnummer),
            watch_id=watch_id,
            slot_id=slot_at(session, starts_at),
        )


def _rebook(
    engine: Engine,
    clock: FixedClock,
    booking_id: int,
    starts_at: dt.datetime,
    *,
    actor: Actor = TOLVAN_ACTOR,
) -> Receipt:
    with write_session(engine, user="1177", clock=clock) as session:
        return rebook(
            session=session,
            clock=clock,
            actor=actor,
            patient_id=pid(session),
            booking_id=booking_id,
            slot_id=slot_at(session, starts_at),
        )


def _cancel(
    engine: Engine, clock: FixedClock, booking_id: int, *, actor: Actor = TOLVAN_ACTOR
) -> Receipt:
    with write_session(engine, user="1177", clock=clock) as session:
        return cancel(
            session=session,
            clock=clock,
            actor=actor,
            patient_id=pid(session),
            booking_id=booking_id,
        )


def _messages(session: Session, booking_id: int) -> list[models.Message]:
    return list(
        session.exec(
            select(models.Message)
            .where(models.Message.booking_id == booking_id)
            .order_by(col(models.Message.id))
        ).all()
    )


def _patients_at(session: Session, starts_at: dt.datetime) -> tuple[str, ...]:
    han = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "HAN")).one()
    lines = appointment_book.day_book(session, caregiver_id=han.id, day=starts_at.date())  # type: ignore[arg-type]
    return next(line.patients for line in lines if line.starts_at == starts_at)


def test_book_an_offered_slot(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(
        demo_engine,
        clock,
        booking_letter_code="NY1",
        booking_standard_text="AVG",
        letter_text="Ta med dina glasögon.",
        internal_text="Ring anhörig innan",
    )
    receipt = _book(demo_engine, clock, watch_id, TEN)
    assert receipt.message == "Tid bokad 2026-11-25 10:00"
    assert (
        receipt.booked is not None
        and receipt.booked.time_text == "Onsdag 25 november 2026 kl. 10:00"
    )
    with open_session(demo_engine, user=USER, clock=clock) as session:
        booking = session.get(models.Booking, receipt.booking_id)
        watch = session.get(models.Watch, watch_id)
        assert booking is not None and watch is not None
        assert watch.status == models.WatchStatus.BOOKED
        assert (booking.booked_via, booking.booked_by, booking.watch_id) == (
            models.BookedVia.CITIZEN,
            TOLVAN,
            watch_id,
        )
        assert _patients_at(session, TEN) == ("Tolvan Tolvansson 19121212-1212",)
        confirmation, letter = _messages(session, receipt.booking_id)
    assert confirmation.kind == models.MessageKind.CONFIRMATION
    assert confirmation.subject == "Tid bokad hos Reumatologiska dagsjukvården Malmö"
    assert "Dag och tid:\nOnsdag 25 november 2026 kl. 10:00" in confirmation.body
    assert "Mottagning:\nReumatologiska dagsjukvården Malmö, HAN, LÄKARE" in confirmation.body
    assert "Bokningen avser:\nBesök Läkare" in confirmation.body
    assert letter.kind == models.MessageKind.DIGITAL_LETTER
    assert "Välkommen på nybesök" in letter.body  # brevkod NY1
    assert "Uteblivet besök debiteras" in letter.body  # standard text AVG
    assert "Ta med dina glasögon." in letter.body  # Brevtext
    assert all("Ring anhörig" not in m.body for m in (confirmation, letter))  # Intern text


def test_no_digital_letter_without_booking_letter(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock, booking_letter="Nej")
    receipt = _book(demo_engine, clock, watch_id, TEN)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert [m.kind for m in _messages(session, receipt.booking_id)] == [
            models.MessageKind.CONFIRMATION
        ]


def test_only_an_offered_slot_can_be_booked(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    before = count(demo_engine, clock, models.Booking)
    with pytest.raises(PasisError, match="Tiden erbjuds inte i kallelsen"):
        _book(demo_engine, clock, watch_id, THURSDAY_TEN)  # outside Boka fr o m … t o m
    assert count(demo_engine, clock, models.Booking) == before


def test_a_taken_slot_is_refused_with_the_remaining_offers(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = sent_watch(demo_engine, clock)
    other = sent_watch(demo_engine, clock, personnummer=KARIN)
    _book(demo_engine, clock, other, TEN, personnummer=KARIN, actor=Actor.patient(KARIN))
    before = (count(demo_engine, clock, models.Booking), count(demo_engine, clock, models.Message))
    with pytest.raises(SlotTakenError, match="^Tiden är inte längre ledig$") as lost:
        _book(demo_engine, clock, watch_id, TEN)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert [t.slot_id for t in lost.value.remaining] == [slot_at(session, ELEVEN)]
        assert session.get(models.Watch, watch_id).status == models.WatchStatus.OPEN  # type: ignore[union-attr]
    assert (
        count(demo_engine, clock, models.Booking),
        count(demo_engine, clock, models.Message),
    ) == before


def test_one_booking_per_invitation(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    _book(demo_engine, clock, watch_id, TEN)
    with pytest.raises(PasisError, match="Kallelsen är redan bokad"):
        _book(demo_engine, clock, watch_id, ELEVEN)


def test_another_patients_invitation_cannot_be_booked(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = sent_watch(demo_engine, clock, personnummer=KARIN)
    with pytest.raises(PasisError, match="Kallelsen finns inte"):
        _book(demo_engine, clock, watch_id, TEN)


def test_booking_service_off_refuses(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        clinic = session.exec(select(models.Clinic).where(models.Clinic.code == "M11")).one()
        clinic.eservice_book = False
        session.add(clinic)
    with pytest.raises(PasisError, match="erbjuder inte e-tjänsten Boka tid") as refused:
        _book(demo_engine, clock, watch_id, TEN)
    assert refused.value.field == "eservice"
    staff = _book(demo_engine, clock, watch_id, TEN, actor=Actor.staff(USER))  # SP 090's Boka
    with open_session(demo_engine, user=USER, clock=clock) as session:
        booking = session.get(models.Booking, staff.booking_id)
        assert booking is not None and (booking.booked_via, booking.booked_by) == (
            models.BookedVia.STAFF,
            USER,
        )
        assert [m.kind for m in _messages(session, staff.booking_id)][0] == (
            models.MessageKind.CONFIRMATION
        )


def test_rebook_twice_then_refused_old_seat_freed(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock, **WEEK)
    first = _book(demo_engine, clock, watch_id, TEN)
    second = _rebook(demo_engine, clock, first.booking_id, THURSDAY_TEN)
    assert second.message == "Tiden är ombokad till 2026-11-26 10:00"
    third = _rebook(demo_engine, clock, second.booking_id, FRIDAY_TEN)
    assert third.booked is not None and not third.booked.rights.may_rebook
    with pytest.raises(PasisError, match="redan ombokat tiden 2 gånger") as refused:
        _rebook(demo_engine, clock, third.booking_id, FRIDAY_ELEVEN)
    assert refused.value.field == "rebook"
    with open_session(demo_engine, user=USER, clock=clock) as session:
        chain = [session.get(models.Booking, r.booking_id) for r in (first, second, third)]
        assert [(b.status, b.rebooking_no, b.rebooked_from_id) for b in chain] == [  # type: ignore[union-attr]
            (models.BookingStatus.REBOOKED, 0, None),
            (models.BookingStatus.REBOOKED, 1, first.booking_id),
            (models.BookingStatus.ACTIVE, 2, second.booking_id),
        ]
        assert _patients_at(session, TEN) == ()
        assert _patients_at(session, FRIDAY_TEN) == ("Tolvan Tolvansson 19121212-1212",)
        offered = {
            t.slot_id
            for t in rebook_times(
                session=session, clock=clock, patient_id=pid(session), booking_id=third.booking_id
            )
        }
        assert slot_at(session, TEN) in offered and slot_at(session, FRIDAY_TEN) not in offered
        rebooked = _messages(session, second.booking_id)[0]
    assert rebooked.kind == models.MessageKind.REBOOKING
    assert "Tidigare tid:\nOnsdag 25 november 2026 kl. 10:00" in rebooked.body
    # Staff rebookings do not use up the patient's: SP 090 may still move her.
    staff = _rebook(demo_engine, clock, third.booking_id, FRIDAY_ELEVEN, actor=Actor.staff(USER))
    assert staff.booked is not None and staff.booked.rights.rebookings_used == 2


def test_rebook_refused_where_the_type_is_not_rebookable(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = sent_watch(demo_engine, clock, **WEEK)
    first = _book(demo_engine, clock, watch_id, TEN)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        mottagningstid = session.exec(
            select(models.BookingType).where(models.BookingType.name == "Mottagningstid")
        ).one()
        slot = session.get(models.Slot, slot_at(session, TEN))
        activity = session.get(models.Activity, slot.activity_id)  # type: ignore[union-attr]
        assert activity is not None
        activity.booking_type_id = mottagningstid.id
        session.add(activity)
    with pytest.raises(PasisError, match=r"kan inte ombokas i 1177 \(Mottagningstid\)"):
        _rebook(demo_engine, clock, first.booking_id, THURSDAY_TEN)
    assert _cancel(demo_engine, clock, first.booking_id).booked is None  # still cancellable


def test_rebook_refused_when_the_change_service_is_off(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = sent_watch(demo_engine, clock, **WEEK)
    first = _book(demo_engine, clock, watch_id, TEN)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        clinic = session.exec(select(models.Clinic).where(models.Clinic.code == "M11")).one()
        clinic.eservice_change = False
        session.add(clinic)
    with pytest.raises(PasisError, match="erbjuder inte ombokning eller avbokning"):
        _rebook(demo_engine, clock, first.booking_id, THURSDAY_TEN)
    with pytest.raises(PasisError, match="erbjuder inte ombokning eller avbokning"):
        _cancel(demo_engine, clock, first.booking_id)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        times = booked_times(session=session, clock=clock, patient_id=pid(session))
        (booked,) = [t for t in times if t.booking_id == first.booking_id]
        assert booked.rights.may_contact and not booked.rights.may_cancel


def test_rebook_inside_the_deadline_is_refused(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock, **WEEK)
    first = _book(demo_engine, clock, watch_id, TEN)
    clock.set(TEN - dt.timedelta(hours=24))
    second = _rebook(demo_engine, clock, first.booking_id, FRIDAY_TEN)  # exactly at the limit
    clock.set(FRIDAY_TEN - dt.timedelta(hours=24) + dt.timedelta(minutes=1))
    with pytest.raises(PasisError, match="senare än 24 timmar"):
        _rebook(demo_engine, clock, second.booking_id, FRIDAY_ELEVEN)


def test_cancel_closes_the_watch(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    first = _book(demo_engine, clock, watch_id, TEN)
    receipt = _cancel(demo_engine, clock, first.booking_id)
    assert receipt.message == "Tiden 2026-11-25 10:00 är avbokad"
    with open_session(demo_engine, user=USER, clock=clock) as session:
        watch = session.get(models.Watch, watch_id)
        assert watch is not None and watch.status == models.WatchStatus.CLOSED
        message = _messages(session, first.booking_id)[-1]
        assert message.kind == models.MessageKind.CANCELLATION
        assert _patients_at(session, TEN) == ()
    with pytest.raises(PasisError, match="Bokningen finns inte"):
        _cancel(demo_engine, clock, first.booking_id)  # twice


def test_cancel_refused_when_the_watch_says_no(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock, patient_may_cancel="Nej")
    first = _book(demo_engine, clock, watch_id, TEN)
    with pytest.raises(PasisError, match="inte kan avbokas i 1177"):
        _cancel(demo_engine, clock, first.booking_id)
    staff = _cancel(demo_engine, clock, first.booking_id, actor=Actor.staff(USER))
    with open_session(demo_engine, user=USER, clock=clock) as session:
        booking = session.get(models.Booking, staff.booking_id)
        assert booking is not None and booking.cancelled_via == models.BookedVia.STAFF


def test_cancel_refused_for_an_interpreter_time(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    first = _book(demo_engine, clock, watch_id, TEN)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        tolk = session.exec(
            select(models.BookingType).where(models.BookingType.name == "Mottagningstid med tolk")
        ).one()
        slot = session.get(models.Slot, slot_at(session, TEN))
        activity = session.get(models.Activity, slot.activity_id)  # type: ignore[union-attr]
        assert activity is not None
        activity.booking_type_id = tolk.id
        session.add(activity)
    with pytest.raises(PasisError, match=r"kan inte avbokas i 1177 \(Mottagningstid med tolk\)"):
        _cancel(demo_engine, clock, first.booking_id)


def test_another_patients_booking_cannot_be_changed(demo_engine: Engine, clock: FixedClock) -> None:
    other = sent_watch(demo_engine, clock, personnummer=KARIN, **WEEK)
    karin = _book(demo_engine, clock, other, TEN, personnummer=KARIN, actor=Actor.patient(KARIN))
    with pytest.raises(PasisError, match="^Bokningen finns inte$"):
        _cancel(demo_engine, clock, karin.booking_id)
    with pytest.raises(PasisError, match="^Bokningen finns inte$"):
        _rebook(demo_engine, clock, karin.booking_id, THURSDAY_TEN)


def test_staff_booking_in_the_tidbok_is_cancelled_like_any(
    demo_engine: Engine, clock: FixedClock
) -> None:
    """A Tidbok booking (no watch) is one of her bokade tider and cancels the same way."""
    with write_session(demo_engine, user=USER, clock=clock) as session:
        booking = book_slot(
            session, clock=clock, slot_id=slot_at(session, ELEVEN), patient_id=pid(session)
        )
        session.flush()
        booking_id = booking.id
    assert booking_id is not None
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert booking_id in {
            b.booking_id
            for b in booked_times(session=session, clock=clock, patient_id=pid(session))
        }
    _cancel(demo_engine, clock, booking_id)
