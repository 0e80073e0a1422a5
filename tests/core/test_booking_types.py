"""The PMO catalogue: Swedish order (case-insensitive, Å Ä Ö last) and `%` / `_` searched as
characters (issue #9 item 10)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.booking_types import list_booking_types, swedish_key
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from tests.conftest import USER

NAMES = ("Återbesök qx", "öppen qx", "Ärende qx", "besök qx", "Akut qx", "zon qx", "100% qx",
         "Tele_qx", "Teleqx", "aorta qx")  # fmt: skip


def _found(session: Session, text: str) -> list[str]:
    return [row.name for row in list_booking_types(session, text=text) if row.name in NAMES]


def _catalogue(engine: Engine, clock: FixedClock) -> None:
    with write_session(engine, user=USER, clock=clock) as session:
        for name in NAMES:
            session.add(
                models.BookingType(
                    name=name, description="", visible_to_patient=True, cancellable=True,
                    rebookable=True, sms_reminder=False,
                )
            )  # fmt: skip


def test_swedish_order_case_insensitive_with_aao_last(
    demo_engine: Engine, clock: FixedClock
) -> None:
    _catalogue(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        names = [row.name for row in list_booking_types(session) if row.name in NAMES]
    assert names == [
        "100% qx", "Akut qx", "aorta qx", "besök qx", "Tele_qx", "Teleqx", "zon qx",
        "Återbesök qx", "Ärende qx", "öppen qx",
    ]  # fmt: skip
    assert sorted(["ö", "Å", "z", "ä"], key=swedish_key) == ["z", "Å", "ä", "ö"]


def test_search_takes_percent_and_underscore_as_characters(
    demo_engine: Engine, clock: FixedClock
) -> None:
    _catalogue(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert _found(session, "% q") == ["100% qx"]
        assert _found(session, "e_q") == ["Tele_qx"]
        assert _found(session, "_") == ["Tele_qx"]
        assert _found(session, "\\") == []
        assert _found(session, "ELEQ") == ["Teleqx"]
        assert _found(session, "BESÖK Q") == ["besök qx", "Återbesök qx"]
