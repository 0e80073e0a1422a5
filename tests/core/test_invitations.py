"""Sending invitations: due times, the Kallelse's texts, exactly once under racing senders,
after a restart, and Borttag withdrawing them."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine, func
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import make_engine, open_session, write_session
from pasis_tui.core.invitations import SendResult, due_time, send_due_invitations
from pasis_tui.core.watches import read_watch, remove_watch
from tests.conftest import USER
from tests.core.watch_setup import patient_id, save, saved_watch_id


def _send(engine: Engine, clock: FixedClock) -> SendResult:
    with write_session(engine, user=USER, clock=clock) as session:
        return send_due_invitations(session=session, clock=clock)


def _messages(engine: Engine, kind: models.MessageKind) -> list[models.Message]:
    """Tolvan's messages of a kind (the demo's own watches are other patients')."""
    with open_session(engine, user=USER, clock=FixedClock(dt.datetime(2026, 1, 1))) as session:
        query = select(models.Message).where(
            models.Message.kind == kind, models.Message.patient_id == patient_id(session)
        )
        return list(session.exec(query).all())


def test_due_time_is_the_next_whole_hour_or_the_send_time() -> None:
    saved = dt.datetime(2026, 11, 22, 9, 6)
    assert due_time(saved_at=saved, send_at=None) == dt.datetime(2026, 11, 22, 10, 0)
    later = dt.datetime(2026, 11, 30, 7, 0)
    assert due_time(saved_at=saved, send_at=later) == later


def test_empty_send_time_sends_within_the_hour_with_the_seed_texts(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock, internal_text="Ring först, hemligt"))
    clock.set(dt.datetime(2026, 11, 22, 10, 59))
    assert _send(demo_engine, clock).sent == ()
    clock.set(dt.datetime(2026, 11, 22, 11, 0))
    result = _send(demo_engine, clock)
    assert [item.watch_id for item in result.sent] == [watch_id]
    assert result.message == "1 kallelse skickad till 1177: Tolvan Tolvansson"
    [message] = _messages(demo_engine, models.MessageKind.INVITATION)
    assert message.clinic_name == "Reumatologiska dagsjukvården Malmö"
    assert message.body.splitlines()[:5] == [
        "Kallelsen gäller: Besök Läkare",
        "Mottagning: Reumatologiska dagsjukvården Malmö",
        "Du får boka tid till: HAN, LÄKARE",
        "Ort: MALMÖ",
        "Syfte: Nybesök hos läkare, ca 60 minuter",
    ]
    assert "hemligt" not in message.body and "hemligt" not in message.subject
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert read_watch(session=session, clock=clock, watch_id=watch_id).state == (
            "Skickad till 1177 (2026-11-22 11:00)"
        )
    assert _send(demo_engine, clock).sent == ()  # idempotent


def test_a_future_send_date_waits_for_that_day(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock, send_to_1177="2026-11-26"))
    clock.set(dt.datetime(2026, 11, 25, 23, 59))
    assert watch_id not in {item.watch_id for item in _send(demo_engine, clock).sent}
    clock.set(dt.datetime(2026, 11, 26, 0, 0))
    assert [item.watch_id for item in _send(demo_engine, clock).sent] == [watch_id]


def test_telephone_contact_is_named_so(demo_engine: Engine, clock: FixedClock) -> None:
    save(
        demo_engine,
        clock,
        contact_type="KT",
        return_decision_date="2026-11-20",
        activity="ÖKÅB",
        visit_length="30",
    )
    clock.advance(dt.timedelta(hours=1))
    _send(demo_engine, clock)
    [message] = _messages(demo_engine, models.MessageKind.INVITATION)
    assert message.body.startswith("Kallelsen gäller: Telefonkontakt Läkare")


def test_two_senders_at_once_send_one_invitation(demo_engine: Engine, clock: FixedClock) -> None:
    for _ in range(3):
        save(demo_engine, clock)
    clock.advance(dt.timedelta(hours=1))
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def sender() -> None:
        try:
            barrier.wait()
            results.append(len(_send(demo_engine, clock).sent))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(results) == 3
    messages = _messages(demo_engine, models.MessageKind.INVITATION)
    assert len(messages) == 3 and len({m.watch_id for m in messages}) == 3


def test_an_invitation_survives_a_restart(demo_engine: Engine, clock: FixedClock) -> None:
    save(demo_engine, clock)
    url = demo_engine.url.render_as_string(hide_password=False)
    demo_engine.dispose()
    clock.advance(dt.timedelta(hours=2))
    restarted = make_engine(url)
    try:
        assert len(_send(restarted, clock).sent) == 1
    finally:
        restarted.dispose()


def test_remove_after_sending_tells_the_patient(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    clock.advance(dt.timedelta(hours=1))
    _send(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = remove_watch(session=session, clock=clock, watch_id=watch_id)
    assert result.patient_told
    assert result.message == "Bevakningen är borttagen och patienten har fått besked i 1177"
    [info] = _messages(demo_engine, models.MessageKind.INFORMATION)
    assert info.subject == "Kallelsen är återkallad" and info.watch_id == watch_id
    assert "Reumatologiska dagsjukvården Malmö" in info.body


def test_remove_before_sending_means_never_sent(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert not remove_watch(session=session, clock=clock, watch_id=watch_id).patient_told
    clock.advance(dt.timedelta(days=2))
    assert _send(demo_engine, clock).sent == ()
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert (
            session.exec(
                select(func.count())
                .select_from(models.Message)
                .where(models.Message.watch_id == watch_id)
            ).one()
            == 0
        )


def test_the_citizen_template_goes_with_the_invitation(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        reum = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        template = models.CitizenTemplate(
            unit_id=reum.id,  # type: ignore[arg-type]
            title="Information inför besöket",
            body="Ta med dina läkemedel.",
        )
        session.add(template)
        session.flush()
        template_id = template.id
    save(demo_engine, clock, citizen_template=str(template_id))
    clock.advance(dt.timedelta(hours=1))
    _send(demo_engine, clock)
    [info] = _messages(demo_engine, models.MessageKind.INFORMATION)
    assert (info.subject, info.body) == ("Information inför besöket", "Ta med dina läkemedel.")
