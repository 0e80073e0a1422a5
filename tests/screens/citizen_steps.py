"""Keyboard steps on the 1177 screen shared by its Pilot and snapshot tests."""

from __future__ import annotations

from sqlmodel import Session
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from pasis_tui.core.citizen import log_in as citizen_log_in
from screens.invanare_1177 import CitizenScreen
from tests.conftest import demo_clock
from tests.screens.conftest import settle


def citizen_screen(pilot: Pilot[None]) -> CitizenScreen:
    screen = pilot.app.screen
    assert isinstance(screen, CitizenScreen), screen
    return screen


async def log_in(pilot: Pilot[None], personnummer: str) -> CitizenScreen:
    """Type the personnummer and press Enter, as the patient does."""
    await settle(pilot)
    screen = citizen_screen(pilot)
    assert screen.view == "inloggning"
    await pilot.press(*personnummer, "enter")
    await settle(pilot)
    return screen


async def open_inbox_row(pilot: Pilot[None], kind: str) -> None:
    """Move down to the first message of that kind (Typ column) and press Enter."""
    table = citizen_screen(pilot).query_one("#inkorg_lista", DataTable)
    kinds = [str(table.get_row_at(n)[2]) for n in range(table.row_count)]
    assert kind in kinds, kinds
    await pilot.press(*["down"] * (kinds.index(kind) - table.cursor_row), "enter")
    await settle(pilot)


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def text_of(pilot: Pilot[None], selector: str) -> str:
    return str(citizen_screen(pilot).query_one(selector, Static).render())


def status_text(pilot: Pilot[None]) -> str:
    return str(citizen_screen(pilot).query_one("#status_line", Static).render())


def patient_id_of(session: Session, personnummer: str) -> int:
    """The patient's id, as 1177's log-in finds her."""
    return citizen_log_in(session=session, clock=demo_clock(), personnummer=personnummer).patient_id
