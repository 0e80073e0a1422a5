"""The citizen's read side: log in, the inbox, a message only for its owner, the Kallelse."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.citizen import inbox, log_in, open_message, unread_count
from pasis_tui.core.citizen_offers import kallelse
from pasis_tui.core.citizen_templates import attach_template, create_template
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import send_due_invitations
from tests.conftest import USER
from tests.core.citizen_setup import KARIN, pid, sent_watch
from tests.core.watch_setup import GUSTAV, TOLVAN, WEDNESDAY, save, saved_watch_id, unit_id


@pytest.mark.parametrize(
    "typed",
    ["19121212-1212", "191212121212", "121212-1212 ".replace("12121", "12121"), "1212121212"],
)
def test_log_in_by_any_accepted_form(engine: Engine, clock: FixedClock, typed: str) -> None:
    """The 10-digit forms read the century from today (2026): 121212 is 2012 — no such patient."""
    with write_session(engine, user=USER, clock=clock) as session:
        session.add(
            models.Patient(personnummer=TOLVAN, first_name="Tolvan", last_name="Tolvansson")
        )
    with open_session(engine, user="1177", clock=clock) as session:
        if typed.startswith("19"):
            citizen = log_in(session=session, clock=clock, personnummer=typed)
            assert (citizen.name, citizen.personnummer_text) == (
                "Tolvan Tolvansson",
                "19121212-1212",
            )
        else:
            with pytest.raises(PasisError, match="inget konto på 1177 för personnummer 2012"):
                log_in(session=session, clock=clock, personnummer=typed)


def test_log_in_refusals(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user="1177", clock=clock) as session:
        with pytest.raises(PasisError, match="Skriv ditt personnummer"):
            log_in(session=session, clock=clock, personnummer=" ")
        with pytest.raises(PasisError, match="kontrollsiffran"):
            log_in(session=session, clock=clock, personnummer="19121212-1213")
        with pytest.raises(PasisError, match="inget konto") as no_account:
            log_in(session=session, clock=clock, personnummer="900118+9811")  # Gustav
        assert no_account.value.field == "personnummer"
        samordning = log_in(session=session, clock=clock, personnummer="19091079-9824")
        assert samordning.name == "Mikael Virtanen"
        assert GUSTAV  # the demo patient without a 1177 account


def test_inbox_newest_first_unread_marked_read_kept(demo_engine: Engine, clock: FixedClock) -> None:
    first = sent_watch(demo_engine, clock)
    clock.advance(dt.timedelta(minutes=5))
    second = sent_watch(
        demo_engine,
        clock,
        first=WEDNESDAY + dt.timedelta(days=1),
        last=WEDNESDAY + dt.timedelta(days=1),
    )
    with open_session(demo_engine, user="1177", clock=clock) as session:
        lines = inbox(session=session, patient_id=pid(session))
        assert [line.message_id for line in lines] == sorted(
            (line.message_id for line in lines), reverse=True
        )
        watches = [session.get(models.Message, line.message_id).watch_id for line in lines]  # type: ignore[union-attr]
        assert watches[:2] == [second, first]
        assert all(line.unread for line in lines)
        assert unread_count(session=session, patient_id=pid(session)) == len(lines)
    with write_session(demo_engine, user="1177", clock=clock) as session:
        view = open_message(
            session=session, clock=clock, patient_id=pid(session), message_id=lines[1].message_id
        )
        assert view.kind == models.MessageKind.INVITATION
        assert view.sent_text == "Meddelandet skickades 2026-11-22 10:06"
    clock.advance(dt.timedelta(hours=1))
    with write_session(demo_engine, user="1177", clock=clock) as session:
        open_message(
            session=session, clock=clock, patient_id=pid(session), message_id=lines[1].message_id
        )
    with open_session(demo_engine, user="1177", clock=clock) as session:
        again = inbox(session=session, patient_id=pid(session))
        assert [line.unread for line in again][:2] == [True, False]
        read_at = session.get(models.Message, lines[1].message_id).read_at  # type: ignore[union-attr]
        assert read_at == dt.datetime(2026, 11, 22, 9, 11)  # the first opening (UTC), kept


def test_another_patients_message_cannot_be_opened(demo_engine: Engine, clock: FixedClock) -> None:
    """Every key path of the 1177 screen goes through these: each refuses Karin's message to
    Tolvan exactly as a message that does not exist, and marks nothing read."""
    watch_id = sent_watch(demo_engine, clock, personnummer=KARIN)
    with open_session(demo_engine, user="1177", clock=clock) as session:
        (karins,) = [
            line
            for line in inbox(session=session, patient_id=pid(session, KARIN))
            if session.get(models.Message, line.message_id).watch_id == watch_id  # type: ignore[union-attr]
        ]
        assert all(
            line.message_id != karins.message_id
            for line in inbox(session=session, patient_id=pid(session, TOLVAN))
        )
    for attempt in (open_message, kallelse):
        for message_id in (karins.message_id, 999_999):
            with write_session(demo_engine, user="1177", clock=clock) as session:
                with pytest.raises(PasisError) as refused:
                    attempt(
                        session=session, clock=clock, patient_id=pid(session), message_id=message_id
                    )
                assert (refused.value.message, refused.value.field) == (
                    "Meddelandet finns inte",
                    "message",
                )
    with open_session(demo_engine, user="1177", clock=clock) as session:
        assert session.get(models.Message, karins.message_id).read_at is None  # type: ignore[union-attr]


def test_kallelse_reads_like_the_seed(demo_engine: Engine, clock: FixedClock) -> None:
    sent_watch(demo_engine, clock, last=WEDNESDAY + dt.timedelta(days=1))
    with open_session(demo_engine, user="1177", clock=clock) as session:
        (line,) = [
            m for m in inbox(session=session, patient_id=pid(session)) if m.kind == "Kallelse"
        ]
        view = kallelse(
            session=session, clock=clock, patient_id=pid(session), message_id=line.message_id
        )
    assert (view.gäller, view.mottagning, view.boka_tid_till, view.ort, view.syfte) == (
        "Besök Läkare",
        "Reumatologiska dagsjukvården Malmö",
        "HAN, LÄKARE",
        "MALMÖ",
        "Nybesök hos läkare, ca 60 minuter",
    )
    assert view.can_book
    assert [day.label for day in view.days] == [
        "Onsdag 25 november 2026",
        "Torsdag 26 november 2026",
    ]
    assert [t.text for t in view.days[0].times] == [
        "Onsdag 25 november 2026 kl. 10:00",
        "Onsdag 25 november 2026 kl. 11:00",
    ]


def test_kallelse_without_boka_tid_says_why(demo_engine: Engine, clock: FixedClock) -> None:
    sent_watch(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Clinic)
            .where(col(models.Clinic.code) == "M11")
            .values(eservice_book=False)
        )
    with open_session(demo_engine, user="1177", clock=clock) as session:
        (line,) = [
            m for m in inbox(session=session, patient_id=pid(session)) if m.kind == "Kallelse"
        ]
        view = kallelse(
            session=session, clock=clock, patient_id=pid(session), message_id=line.message_id
        )
    assert not view.can_book and view.days == ()
    assert view.refusal is not None and "erbjuder inte Boka tid" in view.refusal


def test_invanarmall_reaches_the_inbox_with_the_invitation(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        template = create_template(
            session=session,
            unit_id=unit_id(session),
            clinic_id=None,
            title="Boka själv ditt nästa besök",
            body="Hej! Du bokar själv via kallelsen i din inkorg.",
        )
        attach_template(session=session, watch_id=watch_id, template_id=template.template_id)
    clock.advance(dt.timedelta(hours=1))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert len(send_due_invitations(session=session, clock=clock).sent) == 1
    with write_session(
        demo_engine, user=USER, clock=clock
    ) as session:  # a second run sends nothing
        assert send_due_invitations(session=session, clock=clock).sent == ()
    with open_session(demo_engine, user="1177", clock=clock) as session:
        rows = session.exec(
            select(models.Message.kind, models.Message.subject).where(
                models.Message.watch_id == watch_id
            )
        ).all()
    assert sorted(rows) == [
        ("Information", "Boka själv ditt nästa besök"),
        ("Kallelse", "Kallelse: boka tid hos Reumatologiska dagsjukvården Malmö"),
    ]
