"""The whole loop of öppen kallelse by keyboard, staff side and 1177 side in one app (issue #11):
SP 090 saves Tolvan's ÖK watch (seed 5.1) → F9 +1 tim sends the invitation → 1177: log in,
Kallelse, Boka tid, confirmation, receipt with Digital kallelse → Omboka twice → a third refused
→ Avboka outside the deadline closes the watch; a booking inside the deadline cannot be
cancelled. After each step the Tidbok (the appointment book's core read) shows where she is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import DataTable

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.appointment_book import day_book
from pasis_tui.core.db import make_engine
from pasis_tui.core.demo_citizen import DEADLINE
from screens.invanare_1177 import CitizenScreen
from screens.klocka import ClockModal
from tests.screens.citizen_steps import log_in, open_inbox_row, press, status_text, text_of
from tests.screens.conftest import SIZE, settle
from tests.screens.sp090_flows import NY, TOLVAN, new_watch_saved

MakeApp = Callable[..., PasisApp]
NAME = "Tolvan Tolvansson"
SHOWN = f"{NAME} 19121212-1212"  # as the Tidbok lists a slot's patient


def _watch(url: str) -> models.Watch:
    engine = make_engine(url)
    with Session(engine) as session:
        watch = session.exec(
            select(models.Watch)
            .join(models.Patient, col(models.Patient.id) == models.Watch.patient_id)
            .where(models.Patient.personnummer == TOLVAN)
        ).one()
    engine.dispose()
    return watch


def _booked_slots(url: str, watch_id: int) -> list[tuple[int, str]]:
    """The watch's active bookings as the Tidbok shows them: (slot id, its patients' line)."""
    engine = make_engine(url)
    with Session(engine) as session:
        bookings = session.exec(
            select(models.Booking).where(
                models.Booking.watch_id == watch_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).all()
        shown = []
        for booking in bookings:
            slot = session.get(models.Slot, booking.slot_id)
            assert slot is not None and slot.caregiver_id is not None
            lines = day_book(session, caregiver_id=slot.caregiver_id, day=slot.starts_at.date())
            [line] = [line for line in lines if line.slot_id == slot.id]
            shown.append((line.slot_id, ", ".join(line.patients)))
    engine.dispose()
    return shown


def _week_ahead(screen: CitizenScreen, used: tuple[int, ...] = ()) -> tuple[int, int]:
    """The first time a week or more from now (outside every deadline) not booked before:
    (Downs to it from the top of the list, its slot id)."""
    assert screen.times is not None
    flat = [time for day in screen.times.days for time in day.times]
    limit = dt.date(2026, 11, 29)
    index = next(
        n
        for n, time in enumerate(flat)
        if time.starts_at.date() >= limit and time.slot_id not in used
    )
    return index, flat[index].slot_id


async def _our_booking(pilot: Pilot[None], url: str, watch_id: int) -> None:
    """F6 Bokade tider, the cursor on the loop's booking (she has another one from the demo)."""
    await press(pilot, "f6")
    engine = make_engine(url)
    with Session(engine) as session:
        booking_id = session.exec(
            select(models.Booking.id).where(
                models.Booking.watch_id == watch_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).one()
    engine.dispose()
    table = pilot.app.screen.query_one("#bokade_lista", DataTable)
    keys = [row.key.value for row in table.ordered_rows]
    await press(pilot, "home", *["down"] * keys.index(str(booking_id)))


async def _to_1177(pilot: Pilot[None]) -> CitizenScreen:
    await pilot.press("alt+x", *"1177", "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CitizenScreen)
    return screen


async def test_the_whole_loop_by_keyboard(make_app: MakeApp, demo_url: str) -> None:
    app = make_app(unit="REUM", screen="090")
    async with app.run_test(size=SIZE) as pilot:
        # SP 090: the ÖK watch of seed 5.1, saved; the invitation goes within the hour
        await new_watch_saved(pilot, TOLVAN, NY)
        watch = _watch(demo_url)
        assert watch.id is not None
        assert watch.status == models.WatchStatus.OPEN and watch.watch_type == "ÖK"

        # the training clock: +1 tim sends it, and the status line says so
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, ClockModal)
        await pilot.press("t")
        await settle(pilot)
        assert f"1 kallelse skickad till 1177: {NAME}" in str(
            app.screen.query_one("#status_line").render()
        )

        # 1177: log in, the Kallelse with the seed's texts, Boka tid, confirm, receipt
        screen = await _to_1177(pilot)
        await log_in(pilot, TOLVAN)
        assert screen.citizen is not None and screen.citizen.name == NAME
        await open_inbox_row(pilot, "Kallelse")
        kallelse = text_of(pilot, "#meddelande_text")
        for label in ("Kallelsen gäller:", "Mottagning:", "Du får boka tid till:", "Ort:"):
            assert label in kallelse
        assert "Nybesök, ca 60 min" in kallelse and "Tolk" not in kallelse  # no Intern text
        await press(pilot, "alt+b")
        assert screen.view == "tider" and screen.times is not None
        downs, first_slot = _week_ahead(screen)
        first = next(t for d in screen.times.days for t in d.times if t.slot_id == first_slot)
        await press(pilot, *["down"] * downs, "enter", "alt+k")
        assert text_of(pilot, "#kvitto_rubrik").startswith("Tid bokad hos ")
        assert first.text in text_of(pilot, "#kvitto_fakta")
        assert "Digital kallelse" in text_of(pilot, "#kvitto_brev")  # (Bokn) Brev = Ja
        assert _watch(demo_url).status == models.WatchStatus.BOOKED
        assert _booked_slots(demo_url, watch.id) == [(first.slot_id, SHOWN)]

        # Omboka twice (SP 177's default: 2), each freeing the old seat; the third is refused
        seats = [first.slot_id]
        for attempt in (1, 2):
            await _our_booking(pilot, demo_url, watch.id)
            await press(pilot, "alt+o")
            assert screen.view == "tider", status_text(pilot)
            downs, chosen = _week_ahead(screen, tuple(seats))
            await press(pilot, *["down"] * downs, "enter", "alt+k")
            assert text_of(pilot, "#kvitto_rubrik").startswith("Tid ombokad hos "), attempt
            [(slot_id, who)] = _booked_slots(demo_url, watch.id)
            assert who == SHOWN and slot_id == chosen
            seats.append(slot_id)
        await _our_booking(pilot, demo_url, watch.id)
        await press(pilot, "alt+o")
        assert screen.view == "avslag"
        assert text_of(pilot, "#avslag_orsak").startswith("Du har redan ombokat tiden 2 gånger")
        assert len(_booked_slots(demo_url, watch.id)) == 1

        # Avboka, weeks before the visit: allowed, the watch closes, the Tidbok slot is free
        await press(pilot, "escape")
        await _our_booking(pilot, demo_url, watch.id)
        await press(pilot, "alt+a")
        await press(pilot, "shift+tab", "enter")  # Ja
        assert text_of(pilot, "#kvitto_rubrik").startswith("Tid avbokad hos ")
        assert _booked_slots(demo_url, watch.id) == []
        assert _watch(demo_url).status == models.WatchStatus.CLOSED

        # a booking inside the cancel deadline cannot be cancelled (demo: Oskar, tomorrow)
        await press(pilot, "alt+u")
        await log_in(pilot, DEADLINE)
        await press(pilot, "f6", "alt+a")
        assert screen.view == "avslag"
        assert "timmar före besöket" in text_of(pilot, "#avslag_orsak")
