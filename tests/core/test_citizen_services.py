"""E-tjänster per clinic, Kontakta oss, Invånarmallar, SMS reminders and Boka tid direkt."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.citizen import inbox
from pasis_tui.core.citizen_booking import Actor, book_direct, book_offered, cancel, rebook
from pasis_tui.core.citizen_offers import direct_clinics, direct_offer_times
from pasis_tui.core.citizen_templates import (
    attach_template,
    create_template,
    delete_template,
    list_templates,
    update_template,
)
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.contact_requests import answer_request, list_requests, send_request
from pasis_tui.core.db import write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.eservices import booking_warning, list_eservices, set_eservices
from pasis_tui.core.reminders import list_sms, send_due_reminders
from tests.conftest import USER
from tests.core.citizen_setup import (
    ELEVEN,
    KARIN,
    TEN,
    TOLVAN_ACTOR,
    copy_slot,
    pid,
    sent_watch,
    slot_at,
)
from tests.core.watch_setup import AGDA, WEDNESDAY, save, saved_watch_id, unit_id


def _m11(session: Session) -> int:
    return session.exec(select(models.Clinic.id).where(models.Clinic.code == "M11")).one()  # type: ignore[return-value]


def test_eservices_listed_changed_and_warned(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        m11 = _m11(session)
        rows = list_eservices(session=session, unit_id=unit_id(session))
        assert [(r.clinic_code, r.book, r.change, r.contact) for r in rows] == [
            ("M11", True, True, True),
            ("M12", True, True, True),
        ]
        assert booking_warning(session=session, clinic_id=m11) is None
        changed = set_eservices(
            session=session, clinic_id=m11, book=False, change=True, contact=False
        )
        assert (changed.book, changed.change, changed.contact) == (False, True, False)
        warning = booking_warning(session=session, clinic_id=m11)
        assert warning == (
            "Obs! M11 REUM DAGSJUKVÅRD MALMÖ har inte e-tjänsten Boka tid: "
            "patienten kan inte boka kallelsen i 1177"
        )
        clinic = session.get(models.Clinic, m11)
        assert clinic is not None
    assert clinic.updated_by == USER


def test_contact_request_sent_listed_and_answered(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock, patient_may_cancel="Nej")
    with write_session(demo_engine, user="1177", clock=clock) as session:
        booked = book_offered(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            watch_id=watch_id,
            slot_id=slot_at(session, TEN),
        )
        with pytest.raises(PasisError, match="Skriv vad du vill ändra"):
            send_request(
                session=session,
                clock=clock,
                patient_id=pid(session),
                booking_id=booked.booking_id,
                text=" ",
            )
        sent = send_request(
            session=session,
            clock=clock,
            patient_id=pid(session),
            booking_id=booked.booking_id,
            text="Jag behöver avboka, jag är bortrest.",
        )
    assert sent.message == "Ditt meddelande är skickat till Reumatologiska dagsjukvården Malmö"
    with write_session(demo_engine, user=USER, clock=clock) as session:
        (line,) = list_requests(session=session, unit_id=unit_id(session))
        assert (line.patient_name, line.booking_time, line.text) == (
            "Tolvan Tolvansson",
            "Onsdag 25 november 2026 kl. 10:00",
            "Jag behöver avboka, jag är bortrest.",
        )
        answered = answer_request(
            session=session,
            clock=clock,
            request_id=line.request_id,
            answer="Vi avbokar tiden åt dig.",
        )
        assert answered.answered_by == USER
        with pytest.raises(PasisError, match="redan besvarat"):
            answer_request(session=session, clock=clock, request_id=line.request_id, answer="Igen")
        assert list_requests(session=session, unit_id=unit_id(session)) == ()
        assert len(list_requests(session=session, unit_id=unit_id(session), open_only=False)) == 1
        subjects = [m.subject for m in inbox(session=session, patient_id=pid(session))]
    assert subjects[0] == "Svar från Reumatologiska dagsjukvården Malmö: omboka eller avboka tid"


def test_contact_refused_when_the_service_is_off(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = sent_watch(demo_engine, clock)
    with write_session(demo_engine, user="1177", clock=clock) as session:
        booked = book_offered(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            watch_id=watch_id,
            slot_id=slot_at(session, TEN),
        )
        clinic = session.get(models.Clinic, _m11(session))
        assert clinic is not None
        clinic.eservice_contact = False
        session.add(clinic)
        session.flush()
        with pytest.raises(PasisError, match="Kontakta oss för att omboka"):
            send_request(
                session=session,
                clock=clock,
                patient_id=pid(session),
                booking_id=booked.booking_id,
                text="Hej",
            )


def test_invanarmall_rules(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        reum = unit_id(session)
        with pytest.raises(PasisError, match="Rubrik måste fyllas i"):
            create_template(session=session, unit_id=reum, clinic_id=None, title=" ", body="x")
        with pytest.raises(PasisError, match="Text måste fyllas i"):
            create_template(session=session, unit_id=reum, clinic_id=None, title="x", body="")
        m12 = session.exec(select(models.Clinic.id).where(models.Clinic.code == "M12")).one()
        other = create_template(
            session=session, unit_id=reum, clinic_id=m12, title="Lund", body="Text"
        )
        mine = create_template(
            session=session, unit_id=reum, clinic_id=None, title="Alla", body="Text"
        )
        with pytest.raises(PasisError, match="annan mottagning"):
            attach_template(session=session, watch_id=watch_id, template_id=other.template_id)
        gastro = create_template(
            session=session, unit_id=unit_id(session, "GASTRO"), clinic_id=None, title="G", body="T"
        )
        with pytest.raises(PasisError, match="annan enhet"):
            attach_template(session=session, watch_id=watch_id, template_id=gastro.template_id)
        attach_template(session=session, watch_id=watch_id, template_id=mine.template_id)
        assert (
            update_template(
                session=session, template_id=mine.template_id, title="Alla!", body="Ny"
            ).title
            == "Alla!"
        )
        titles = [
            t.title for t in list_templates(session=session, unit_id=reum, clinic_id=_m11(session))
        ]
        assert "Alla!" in titles and "Lund" not in titles  # the unit's, not another clinic's
        with pytest.raises(PasisError, match="används av 1 öppna bevakningar"):
            delete_template(session=session, template_id=mine.template_id)
        delete_template(session=session, template_id=other.template_id)
        titles = [t.title for t in list_templates(session=session, unit_id=reum)]
        assert "Alla!" in titles and "Lund" not in titles


def test_sms_reminder_queued_moved_cancelled_and_sent(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = sent_watch(demo_engine, clock, last=WEDNESDAY + dt.timedelta(days=2))
    with write_session(demo_engine, user="1177", clock=clock) as session:
        first = book_offered(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            watch_id=watch_id,
            slot_id=slot_at(session, TEN),
        )
        (sms,) = session.exec(
            select(models.SmsOutbox).where(models.SmsOutbox.booking_id == first.booking_id)
        ).all()
        assert (sms.due_at, sms.mobile) == (dt.datetime(2026, 11, 23, 9, 0), "070-0000012")
        moved = rebook(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            booking_id=first.booking_id,
            slot_id=slot_at(session, TEN + dt.timedelta(days=2)),
        )
        session.expire_all()
        rows = session.exec(
            select(models.SmsOutbox)
            .where(models.SmsOutbox.patient_id == pid(session))
            .order_by(col(models.SmsOutbox.id))
        ).all()
        assert [(r.booking_id, r.due_at, r.cancelled_at is not None) for r in rows] == [
            (first.booking_id, dt.datetime(2026, 11, 23, 9, 0), True),
            (moved.booking_id, dt.datetime(2026, 11, 25, 9, 0), False),
        ]
    clock.set(dt.datetime(2026, 11, 25, 9, 59))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert send_due_reminders(session=session, clock=clock) == 0
    clock.set(dt.datetime(2026, 11, 25, 10, 0))  # 48 h before Friday 10:00
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert send_due_reminders(session=session, clock=clock) == 1
        assert send_due_reminders(session=session, clock=clock) == 0
        lines = [
            line
            for line in list_sms(session=session, unit_id=unit_id(session))
            if line.patient_name == "Tolvan Tolvansson"
        ]
        assert [line.status for line in lines] == ["Skickad", "Makulerad"]
        assert "2026-11-27 10:00" in lines[0].body
        cancel(
            session=session,
            clock=clock,
            actor=Actor.staff(USER),
            patient_id=pid(session),
            booking_id=moved.booking_id,
        )
        assert [
            line.status
            for line in list_sms(session=session)
            if line.patient_name == "Tolvan Tolvansson"
        ] == ["Skickad", "Makulerad"]


def test_no_reminder_without_mobile_or_flag(demo_engine: Engine, clock: FixedClock) -> None:
    agda_watch = sent_watch(demo_engine, clock, personnummer=AGDA)
    karin_watch = sent_watch(demo_engine, clock, personnummer=KARIN)
    with write_session(demo_engine, user="1177", clock=clock) as session:
        book_offered(
            session=session,
            clock=clock,
            actor=Actor.patient(AGDA),
            patient_id=pid(session, AGDA),
            watch_id=agda_watch,
            slot_id=slot_at(session, TEN),
        )
        no_sms = session.exec(
            select(models.BookingType).where(col(models.BookingType.sms_reminder).is_(False))
        ).first()
        assert no_sms is not None
        activity = session.get(
            models.Activity, session.get(models.Slot, slot_at(session, ELEVEN)).activity_id
        )  # type: ignore[union-attr]
        assert activity is not None
        activity.booking_type_id = no_sms.id
        session.add(activity)
        session.flush()
        book_offered(
            session=session,
            clock=clock,
            actor=Actor.staff(USER),
            patient_id=pid(session, KARIN),
            watch_id=karin_watch,
            slot_id=slot_at(session, ELEVEN),
        )
        assert (
            session.exec(
                select(models.SmsOutbox).where(
                    col(models.SmsOutbox.patient_id).in_([pid(session, AGDA), pid(session, KARIN)])
                )
            ).all()
            == []
        )


def test_boka_tid_direkt_on_level_four(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        like = slot_at(session, TEN)
        inside = copy_slot(session, like=like, starts_at=TEN + dt.timedelta(hours=5))
        beyond = copy_slot(session, like=like, starts_at=dt.datetime(2027, 1, 18, 15, 0))  # week 9
        for slot_id in (inside, beyond):
            session.get(models.Slot, slot_id).level_1177 = 4  # type: ignore[union-attr]
        m11 = _m11(session)
    with write_session(demo_engine, user="1177", clock=clock) as session:
        assert "Reumatologiska dagsjukvården Malmö" in [
            c.name for c in direct_clinics(session=session, clock=clock)
        ]
        assert [
            t.slot_id for t in direct_offer_times(session=session, clock=clock, clinic_id=m11)
        ] == [inside]
        with pytest.raises(PasisError, match="kan inte bokas direkt"):
            book_direct(
                session=session,
                clock=clock,
                actor=TOLVAN_ACTOR,
                patient_id=pid(session),
                slot_id=like,
            )
        receipt = book_direct(
            session=session,
            clock=clock,
            actor=TOLVAN_ACTOR,
            patient_id=pid(session),
            slot_id=inside,
        )
        booking = session.get(models.Booking, receipt.booking_id)
        assert booking is not None and (booking.watch_id, booking.booked_via) == (
            None,
            models.BookedVia.CITIZEN,
        )
        assert direct_offer_times(session=session, clock=clock, clinic_id=m11) == ()
        with pytest.raises(PasisError, match="^Tiden är inte längre ledig$"):
            book_direct(
                session=session,
                clock=clock,
                actor=Actor.patient(AGDA),
                patient_id=pid(session, AGDA),
                slot_id=inside,
            )
        set_eservices(session=session, clinic_id=m11, book=False, change=True, contact=True)
        assert m11 not in [c.clinic_id for c in direct_clinics(session=session, clock=clock)]
