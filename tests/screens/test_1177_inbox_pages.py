"""1177 Inkorg pages through every message (INBOX_PAGE at a time), newest first: PgDn at the
list's end goes to the older page, PgUp at its top back to the newer one; the oldest of 120
messages is reached by keyboard alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.citizen import INBOX_PAGE
from pasis_tui.core.db import make_engine
from tests.screens.citizen_steps import log_in, press, status_text
from tests.screens.conftest import SIZE

MakeApp = Callable[..., PasisApp]
PATIENT = "191006089807"  # Elsa Ek: a demo patient with an account and an empty inbox
COUNT = 120


def _fill_inbox(url: str) -> None:
    """120 Information messages an hour apart; "Meddelande 001" is the oldest."""
    engine = make_engine(url)
    with Session(engine) as session:
        patient = session.exec(
            select(models.Patient).where(models.Patient.personnummer == PATIENT)
        ).one()
        patient.has_1177_account = True
        session.add(patient)
        assert patient.id is not None
        start = dt.datetime(2026, 6, 1, 8, 0)
        for n in range(1, COUNT + 1):
            session.add(
                models.Message(
                    patient_id=patient.id,
                    kind=models.MessageKind.INFORMATION,
                    clinic_name="REUM",
                    subject=f"Meddelande {n:03d}",
                    sent_at=start + dt.timedelta(hours=n),
                )
            )
        session.commit()
    engine.dispose()


def _subjects(app: PasisApp) -> list[str]:
    table = app.screen.query_one("#inkorg_lista", DataTable)
    return [str(table.get_row_at(n)[1]) for n in range(table.row_count)]


def _count_line(app: PasisApp) -> str:
    return str(app.screen.query_one("#inkorg_antal", Static).render())


async def _to_page_end(pilot: Pilot[None], table: DataTable[object]) -> None:
    """PgDn until the cursor is on the page's last row (it moves a screenful at a time)."""
    for _ in range(20):
        if table.cursor_row == table.row_count - 1:
            return
        await press(pilot, "pagedown")
    raise AssertionError("PgDn never reached the end of the page")


async def test_pgdn_pages_to_the_oldest_of_120_messages_and_pgup_back(
    make_app: MakeApp, demo_url: str
) -> None:
    _fill_inbox(demo_url)
    app = make_app(unit="REUM", screen="1177")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, PATIENT)
        table = app.screen.query_one("#inkorg_lista", DataTable)
        first = _subjects(app)
        assert len(first) == INBOX_PAGE == 50
        assert first[0] == "Meddelande 120"  # newest first
        assert _count_line(app) == (
            "120 meddelanden i inkorgen, 120 olästa; visar 1–50 (PgDn äldre)"
        )
        # PgDn moves the cursor through the page first, then (at its end) to the older page
        await _to_page_end(pilot, table)
        assert table.cursor_row == INBOX_PAGE - 1 and _subjects(app) == first
        await press(pilot, "pagedown")
        assert _subjects(app)[0] == "Meddelande 070" and table.cursor_row == 0
        assert "visar 51–100 (PgDn äldre, PgUp nyare)" in _count_line(app)
        await _to_page_end(pilot, table)
        await press(pilot, "pagedown")
        last = _subjects(app)
        assert len(last) == COUNT - 2 * INBOX_PAGE
        assert last[-1] == "Meddelande 001"  # the oldest, reached
        assert "visar 101–120 (PgUp nyare)" in _count_line(app)
        await _to_page_end(pilot, table)
        await press(pilot, "pagedown")
        assert status_text(pilot) == "Inga äldre meddelanden"
        # the oldest message opens, and Esc comes back to the same page and row
        await press(pilot, "enter")
        assert "Meddelande 001" in str(app.screen.query_one("#meddelande_rubrik").render())
        await press(pilot, "escape")
        assert _subjects(app) == last and table.cursor_row == len(last) - 1
        # PgUp at the top of the page: the newer page, its cursor at the bottom
        for _ in range(20):
            if table.cursor_row == 0:
                break
            await press(pilot, "pageup")
        await press(pilot, "pageup")
        assert _subjects(app)[0] == "Meddelande 070" and table.cursor_row == INBOX_PAGE - 1
        # F5 Inkorg starts again at the newest
        await press(pilot, "f5")
        assert _subjects(app) == first
