"""E-tjänster (toggle by Space, Spara), Kontakta oss-ärenden (open, answer) and the Sms-utkorg
by keyboard, each checked against the database; snapshots of the three."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.clock import STOCKHOLM, FixedClock
from pasis_tui.core.db import make_engine, open_session, write_session
from pasis_tui.core.reminders import send_due_reminders
from tests.conftest import USER, demo_clock
from tests.screens.conftest import SIZE, settle
from tests.screens.keys import status_text

MakeApp = Callable[..., PasisApp]


def cell(app: PasisApp, table_id: str, row: int, column: int) -> str:
    return str(app.screen.query_one(f"#{table_id}", DataTable).get_cell_at((row, column)))


def stored(url: str, model: type, *where: object) -> list:  # type: ignore[type-arg]
    engine = make_engine(url)
    try:
        with open_session(engine, user=USER, clock=demo_clock()) as session:
            return list(session.exec(select(model).where(*where)).all())  # type: ignore[call-overload]
    finally:
        engine.dispose()


async def test_eservices_toggle_by_space_and_save(make_app: MakeApp, demo_url: str) -> None:
    app = make_app(unit="REUM", screen="etj")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "etj_tabell"
        assert cell(app, "etj_tabell", 0, 2) == "[X] På"
        # M11: Boka tid off, then the third service off and on again (back as saved).
        await pilot.press("space")
        assert cell(app, "etj_tabell", 0, 2) == "[ ] Av *"
        assert "1 mottagning ändrad, inte sparat" in status_text(app)
        await pilot.press("right", "right", "space", "space")
        assert cell(app, "etj_tabell", 0, 4) == "[X] På"
        await pilot.press("down", "left", "space")  # M12: Omboka eller avboka tid off
        await pilot.press("alt+s")
        await settle(pilot)
        assert "E-tjänsterna är sparade för M11, M12" in status_text(app)
        assert cell(app, "etj_tabell", 0, 2) == "[ ] Av"
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Inga ändringar att spara" in status_text(app)
    clinics = {
        c.code: c for c in stored(demo_url, models.Clinic, models.Clinic.code.in_(["M11", "M12"]))
    }  # type: ignore[attr-defined]
    assert (clinics["M11"].eservice_book, clinics["M11"].eservice_contact) == (False, True)
    assert (clinics["M12"].eservice_book, clinics["M12"].eservice_change) == (True, False)


async def test_a_contact_request_is_opened_and_answered(make_app: MakeApp, demo_url: str) -> None:
    app = make_app(unit="GASTRO", screen="kontakt")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#kontakt_lista", DataTable)
        assert table.row_count == 1 and cell(app, "kontakt_lista", 0, 4) == "Obesvarat"
        # Skicka svar before a request is opened: said, nothing sent.
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Öppna ett ärende i listan först" in status_text(app)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        answer = app.screen.query_one("#svar", TextArea)
        assert app.focused is answer
        assert "Oskar Lindqvist" in str(app.screen.query_one("#arende").render())
        # An empty answer is refused at the field.
        await pilot.press("space", "alt+s")
        await settle(pilot)
        assert "Svar måste fyllas i" in status_text(app)
        assert answer.has_class("-invalid") and app.focused is answer
        await pilot.press(*"Vi har flyttat din tid.")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Svaret är skickat till Oskar Lindqvists inkorg i 1177" in status_text(app)
        assert cell(app, "kontakt_lista", 0, 4) == "Besvarat"
        assert answer.read_only
    (request,) = stored(demo_url, models.ContactRequest)
    assert request.answer == "Vi har flyttat din tid." and request.answered_by == USER
    inbox = stored(demo_url, models.Message, models.Message.patient_id == request.patient_id)
    answers = [m for m in inbox if m.subject.startswith("Svar från")]
    assert len(answers) == 1 and answers[0].body.startswith("Vi har flyttat din tid.")


async def test_sms_outbox_lists_due_time_and_state(make_app: MakeApp, demo_url: str) -> None:
    app = make_app(unit="REUM", screen="sms")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sms_lista", DataTable)
        assert table.row_count == 1
        assert cell(app, "sms_lista", 0, 1) == "Väntar"
        assert cell(app, "sms_lista", 0, 0) == "2026-12-19 10:00"
        assert cell(app, "sms_lista", 0, 3) == "Mikael Virtanen"
    # When the clock passes the due time the reminder is sent, and the list says when.
    engine = make_engine(demo_url)
    due = FixedClock(dt.datetime(2026, 12, 19, 10, 0, tzinfo=STOCKHOLM))
    with write_session(engine, user=USER, clock=due) as session:
        assert send_due_reminders(session=session, clock=due) >= 1  # GASTRO has one due too
    engine.dispose()
    app = make_app(unit="REUM", screen="sms")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert cell(app, "sms_lista", 0, 1) == "Skickad"
        assert cell(app, "sms_lista", 0, 2) == "2026-12-19 10:00"


def test_snapshot_eservices(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("down", "right", "space")  # M12: Omboka eller avboka tid changed

    assert snap_compare(make_app(unit="REUM", screen="etj"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip


def test_snapshot_contact_request_opened(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#kontakt_lista").focus()
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(unit="GASTRO", screen="kontakt"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip


def test_snapshot_sms(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(unit="REUM", screen="sms"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip
