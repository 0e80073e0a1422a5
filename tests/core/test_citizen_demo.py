"""The 1177 demo: every state the issue lists is there, and the clock sends what became due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.citizen import booked_times, inbox
from pasis_tui.core.citizen_dispatch import dispatch
from pasis_tui.core.citizen_offers import direct_clinics
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.contact_requests import list_requests
from pasis_tui.core.db import open_session
from pasis_tui.core.demo_citizen import BOOKED, DEADLINE, DIRECT, REBOOKED, TOLK, WAITING
from tests.core.citizen_setup import pid
from tests.core.watch_setup import unit_id


def test_the_demo_has_every_state_of_the_loop(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user="1177", clock=clock) as session:
        kinds = [m.kind for m in inbox(session=session, patient_id=pid(session, WAITING))]
        assert sorted(kinds) == ["Information", "Kallelse"]
        assert booked_times(session=session, clock=clock, patient_id=pid(session, WAITING)) == ()

        def rights(personnummer: str) -> list[tuple[bool, bool, str | None, str | None]]:
            return [
                (
                    t.rights.may_rebook,
                    t.rights.may_cancel,
                    t.rights.rebook_refusal,
                    t.rights.cancel_refusal,
                )
                for t in booked_times(
                    session=session, clock=clock, patient_id=pid(session, personnummer)
                )
                if (t.watch_id is None) == (personnummer == DIRECT)
                and (personnummer != DIRECT or t.clinic_name == "Endoskopimottagning Lund")
            ]

        assert rights(BOOKED) == [(True, True, None, None)]
        ((may_rebook, may_cancel, why, _),) = rights(REBOOKED)
        assert (may_rebook, may_cancel) == (False, True) and why is not None and "2 gånger" in why
        ((may_rebook, may_cancel, why, why_not),) = rights(DEADLINE)
        assert not may_rebook and not may_cancel and why_not is not None and "25 timmar" in why_not
        ((_, may_cancel, _, why_not),) = rights(TOLK)
        assert (
            not may_cancel and why_not == "Tiden kan inte avbokas i 1177 (Mottagningstid med tolk)"
        )
        assert rights(DIRECT) == [(True, True, None, None)]
        assert "Endoskopimottagning Lund" in [
            c.name for c in direct_clinics(session=session, clock=clock)
        ]
        (request,) = list_requests(session=session, unit_id=unit_id(session, "GASTRO"))
        assert request.personnummer == DEADLINE
        (sms,) = session.exec(
            select(models.SmsOutbox).where(models.SmsOutbox.patient_id == pid(session, BOOKED))
        ).all()
        assert sms.sent_at is None


def test_moving_the_clock_sends_due_reminders(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user="1177", clock=clock) as session:
        sms = session.exec(select(models.SmsOutbox).order_by(col(models.SmsOutbox.due_at))).first()
        assert sms is not None
    clock.set(sms.due_at.replace(tzinfo=dt.UTC) - dt.timedelta(minutes=1))
    assert dispatch(engine=demo_engine, clock=clock, user="VIS").reminders == 0
    clock.set(sms.due_at.replace(tzinfo=dt.UTC))
    result = dispatch(engine=demo_engine, clock=clock, user="VIS")
    assert result.reminders >= 1 and "SMS-påminnelse" in result.message
    assert dispatch(engine=demo_engine, clock=clock, user="VIS").reminders == 0
