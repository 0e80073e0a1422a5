"""SP 191 follow-up on an order's stored list: Rensning with its overview, Byte av vårdgivare
warned by the offer engine, Bevakningsbrev by 1177 or post."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, update
from sqlmodel import col, select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.watch_followup import clean_watches, cleaned, move_watches, send_letters
from pasis_tui.core.watch_search import OrderCriteria, order_ids, place_order
from tests.conftest import USER
from tests.core.watch_setup import AGDA, GUSTAV, TOLVAN, save, saved_watch_id, unit_id


def _scene(engine: Engine, clock: FixedClock) -> tuple[int, dict[str, int]]:
    """Three sent ÖK watches (Tolvan, Agda, Gustav) and an order that found them."""
    ids = {
        name: saved_watch_id(save(engine, clock, personnummer=number, book_to="2026-12-31"))
        for name, number in (("tolvan", TOLVAN), ("agda", AGDA), ("gustav", GUSTAV))
    }
    with write_session(engine, user=USER, clock=clock) as session:
        session.connection().execute(
            update(models.Invitation)
            .where(col(models.Invitation.watch_id).in_(ids.values()))
            .values(due_at=dt.datetime(2000, 1, 1))
        )
        send_due_invitations(session=session, clock=clock)
        placed = place_order(
            session=session,
            unit_id=unit_id(session),
            criteria=OrderCriteria(watch_type="ÖK", clinic_code="M11"),
        )
        found = set(order_ids(session=session, order_no=placed.order.order_no))
    assert set(ids.values()) <= found
    return placed.order.order_no, ids


def _messages(engine: Engine, clock: FixedClock, watch_id: int) -> list[str]:
    with open_session(engine, user=USER, clock=clock) as session:
        rows = session.exec(
            select(models.Message)
            .where(models.Message.watch_id == watch_id)
            .order_by(col(models.Message.id))
        ).all()
        return [m.kind for m in rows]


def test_rensning_closes_once_withdraws_and_lists_who_when_why(
    demo_engine: Engine, clock: FixedClock
) -> None:
    order_no, ids = _scene(demo_engine, clock)
    chosen = [ids["tolvan"], ids["agda"]]
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as refused:
            clean_watches(
                session=session, clock=clock, order_no=order_no, watch_ids=chosen, reason=" "
            )
        assert refused.value.field == "reason"
        with pytest.raises(PasisError, match="finns inte i beställning"):
            clean_watches(
                session=session, clock=clock, order_no=order_no, watch_ids=[10**6], reason="x"
            )
        result = clean_watches(
            session=session,
            clock=clock,
            order_no=order_no,
            watch_ids=chosen,
            reason="Har inte bokat inom perioden",
        )
    assert result.closed == tuple(chosen) and result.message == "2 av 2 bevakningar avslutade"
    # The invitation is withdrawn and the patient told: Kallelse, then Information.
    assert _messages(demo_engine, clock, ids["tolvan"]) == ["Kallelse", "Information"]
    with write_session(demo_engine, user="HAN", clock=clock) as session:
        again = clean_watches(
            session=session, clock=clock, order_no=order_no, watch_ids=[ids["tolvan"]], reason="x"
        )
    assert again.closed == () and again.skipped[0].why == "bevakningen är avslutad"
    assert _messages(demo_engine, clock, ids["tolvan"]) == ["Kallelse", "Information"]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        lines = cleaned(session=session, order_no=order_no)
        assert session.get(models.Watch, ids["tolvan"]).status == "Avslutad"  # type: ignore[union-attr]
    assert [(line.watch_id, line.cleaned_by, line.reason) for line in lines] == [
        (ids["tolvan"], USER, "Har inte bokat inom perioden"),
        (ids["agda"], USER, "Har inte bokat inom perioden"),
    ]
    assert lines[0].cleaned_at == dt.datetime(2026, 11, 22, 10, 6)


def test_byte_av_vardgivare_asks_when_the_new_one_offers_nothing(
    demo_engine: Engine, clock: FixedClock
) -> None:
    order_no, ids = _scene(demo_engine, clock)
    watch_id = ids["gustav"]
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as refused:
            move_watches(
                session=session,
                clock=clock,
                order_no=order_no,
                watch_ids=[watch_id],
                caregiver_signature="NOONE",
            )
        assert refused.value.field == "caregiver"
        asked = move_watches(
            session=session,
            clock=clock,
            order_no=order_no,
            watch_ids=[watch_id],
            caregiver_signature="vv",
        )
    assert not asked.saved and asked.moved == () and "bekräfta" in asked.message
    assert asked.warnings and "VV" in asked.warnings[0]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        vv = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "VV")).one()
        han = session.exec(
            select(models.Caregiver).where(models.Caregiver.signature == "HAN")
        ).one()
        assert session.get(models.Watch, watch_id).caregiver_id == han.id  # type: ignore[union-attr]
    with write_session(demo_engine, user=USER, clock=clock) as session:
        moved = move_watches(
            session=session,
            clock=clock,
            order_no=order_no,
            watch_ids=[watch_id],
            caregiver_signature="VV",
            confirmed=True,
        )
        same = move_watches(
            session=session,
            clock=clock,
            order_no=order_no,
            watch_ids=[watch_id],
            caregiver_signature="VV",
        )
    assert moved.saved and moved.moved == (watch_id,)
    assert same.skipped[0].why == "har redan vårdgivaren"
    with open_session(demo_engine, user=USER, clock=clock) as session:
        row = session.get(models.WatchSearchResult, (order_no, watch_id))
        assert row is not None and (row.moved_from_caregiver_id, row.moved_by) == (han.id, USER)
        assert session.get(models.Watch, watch_id).caregiver_id == vv.id  # type: ignore[union-attr]


def test_bevakningsbrev_go_by_1177_or_post(demo_engine: Engine, clock: FixedClock) -> None:
    order_no, ids = _scene(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as refused:
            send_letters(session=session, clock=clock, order_no=order_no, text="x" * 2001)
        assert refused.value.field == "letter_text"
        result = send_letters(
            session=session,
            clock=clock,
            order_no=order_no,
            text="Du har fått en kallelse men inte bokat någon tid. Boka i 1177 eller ring oss.",
        )
    assert ids["tolvan"] in result.digital
    assert {ids["agda"], ids["gustav"]} <= set(result.paper)
    assert "Hej Agda," in result.paper_text and "Hej Tolvan," not in result.paper_text
    assert _messages(demo_engine, clock, ids["tolvan"])[-1] == "Information"
    assert "Information" not in _messages(demo_engine, clock, ids["gustav"])
    with open_session(demo_engine, user=USER, clock=clock) as session:
        row = session.get(models.WatchSearchResult, (order_no, ids["agda"]))
        assert row is not None and row.letter_channel == "Post" and row.letter_sent_at
