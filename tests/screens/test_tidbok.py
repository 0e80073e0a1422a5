"""Tidbok: staff cancel a booking (Avboka) — asked first, then the slot is free again, the patient
gets a 1177 Avbokning and a booked ÖK watch is open again; a free slot is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.db import make_engine, open_session, write_session
from screens.modals import ConfirmModal
from screens.tidbok import AppointmentBookScreen
from tests.conftest import USER, demo_clock
from tests.screens.conftest import SIZE, settle
from tests.screens.test_sp272 import answer_yes, fill, seed_app, status_text

DEMO_NOW = dt.datetime(2026, 11, 22, 10, 6)
HAN_MONDAY = "2026-11-23"
TOLVAN = "Tolvan Tolvansson 19121212-1212"


def _han_monday_ten(session: Session) -> models.Slot:
    """HAN's slot on the demo Monday at 10:00 (Tolvan is booked on it)."""
    return session.exec(
        select(models.Slot).where(
            models.Slot.starts_at == dt.datetime(2026, 11, 23, 10, 0),
            models.Slot.caregiver_id
            == select(models.Caregiver.id)
            .where(models.Caregiver.signature == "HAN")
            .scalar_subquery(),
        )
    ).one()


def _booked_watch(url: str) -> tuple[int, int]:
    """Tolvan's demo booking on HAN's Monday 10:00 came from an ÖK watch (seed 5: the patient
    booked the open invitation); returns (booking id, watch id)."""
    engine = make_engine(url)
    try:
        with write_session(engine, user=USER, clock=demo_clock()) as session:
            slot = _han_monday_ten(session)
            booking = session.exec(
                select(models.Booking).where(
                    models.Booking.slot_id == slot.id,
                    models.Booking.status == models.BookingStatus.ACTIVE,
                )
            ).one()
            unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
            assert unit.id is not None
            watch = models.Watch(
                unit_id=unit.id,
                patient_id=booking.patient_id,
                clinic_id=slot.clinic_id,
                watch_type=models.WatchType.OPEN_INVITATION,
                status=models.WatchStatus.BOOKED,
                purpose="Återbesök reumatolog",
            )
            session.add(watch)
            session.flush()
            booking.watch_id = watch.id
            session.add(booking)
            assert booking.id is not None and watch.id is not None
            return booking.id, watch.id
    finally:
        engine.dispose()


def _state(url: str, booking_id: int, watch_id: int) -> tuple[str, str, list[models.Message]]:
    engine = make_engine(url)
    try:
        with open_session(engine, user=USER, clock=demo_clock()) as session:
            booking = session.get(models.Booking, booking_id)
            watch = session.get(models.Watch, watch_id)
            assert booking is not None and watch is not None
            messages = list(
                session.exec(
                    select(models.Message)
                    .where(models.Message.booking_id == booking_id)
                    .order_by(col(models.Message.id))
                ).all()
            )
            return booking.status, watch.status, messages
    finally:
        engine.dispose()


def _cancellations(url: str) -> int:
    engine = make_engine(url)
    try:
        with open_session(engine, user=USER, clock=demo_clock()) as session:
            return session.exec(
                select(func.count())
                .select_from(models.Message)
                .where(models.Message.kind == models.MessageKind.CANCELLATION)
            ).one()
    finally:
        engine.dispose()


async def _han_monday(pilot: Pilot[Any]) -> tuple[AppointmentBookScreen, DataTable[Any]]:
    await settle(pilot)
    book = pilot.app.screen
    assert isinstance(book, AppointmentBookScreen)
    fill(book, vardgivare="HAN", datum=HAN_MONDAY)
    await pilot.press("alt+l")
    await settle(pilot)
    return book, book.query_one("#tider", DataTable)


def _rows(table: DataTable[Any]) -> list[tuple[str, str, str]]:
    return [(str(row[1]), str(row[7]), str(row[8])) for row in map(table.get_row, table.rows)]


def _app(url: str) -> PasisApp:
    return seed_app(url, screen="tidbok", now=DEMO_NOW)


async def test_avboka_asks_first_then_frees_the_slot_and_tells_the_patient(demo_url: str) -> None:
    booking_id, watch_id = _booked_watch(demo_url)
    cancellations = _cancellations(demo_url)
    app = _app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        book, table = await _han_monday(pilot)
        assert _rows(table)[0] == ("10:00–11:00", "bokad", TOLVAN)
        table.focus()
        table.move_cursor(row=0)

        # Nej (Escape) — nothing changes.
        await pilot.press("alt+a")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert modal.question == (
            "Avboka 2026-11-23 10:00–11:00 för mottagningens räkning?\n"
            f"  {TOLVAN}\nPatienten får ett avbokningsmeddelande i 1177."
        )
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is book
        assert status_text(app) == "Inget avbokades"
        assert _rows(table)[0] == ("10:00–11:00", "bokad", TOLVAN)
        assert _state(demo_url, booking_id, watch_id) == ("Bokad", "Bokad", [])

        # A single Enter lands on Nej (it has the focus): never a cancellation on one keystroke.
        await pilot.press("alt+a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is book and status_text(app) == "Inget avbokades"
        assert _state(demo_url, booking_id, watch_id)[0] == "Bokad"

        # Ja — the slot is free, the patient is told in 1177, the ÖK watch is open again.
        await pilot.press("alt+a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#ja")
        await settle(pilot)
        assert app.screen is book
        assert status_text(app) == f"{TOLVAN} avbokades 2026-11-23 10:00–11:00"
        assert _rows(table)[0] == ("10:00–11:00", "ledig", "")
        assert table.cursor_row == 0

    status, watch_status, messages = _state(demo_url, booking_id, watch_id)
    assert (status, watch_status) == ("Avbokad", "Öppen")
    assert [(m.kind, m.subject) for m in messages] == [("Avbokning", "Avbokad tid")]
    assert messages[0].body.startswith(
        "Din tid 2026-11-23 10:00 hos Hanna Andersson, M11 REUM DAGSJUKVÅRD MALMÖ, "
        "har avbokats av mottagningen. Avbokad av mottagningen."
    )
    assert _cancellations(demo_url) == cancellations + 1


async def test_avboka_on_a_free_slot_is_refused_at_the_list(demo_url: str) -> None:
    cancellations = _cancellations(demo_url)
    app = _app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        book, table = await _han_monday(pilot)
        before = _rows(table)
        assert before[1] == ("11:00–12:00", "ledig", "")
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("alt+a")
        await settle(pilot)
        assert app.screen is book  # no question asked
        assert status_text(app) == "Tiden har ingen bokning att avboka"
        assert table.has_class("-invalid") and table.has_focus
        assert _rows(table) == before
    assert _cancellations(demo_url) == cancellations


async def test_boka_with_a_wrong_personnummer_is_refused_at_the_field(demo_url: str) -> None:
    """201701272394 has a wrong check digit: said at Personnummer, the text kept, nothing booked."""
    from textual.widgets import Input

    app = _app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        book, table = await _han_monday(pilot)
        before = _rows(table)
        table.focus()
        table.move_cursor(row=1)  # the free 11:00
        field = book.query_one("#personnummer", Input)
        field.value = "201701272394"
        await pilot.press("alt+k")
        await settle(pilot)
        assert status_text(app) == "Ogiltigt personnummer: kontrollsiffran stämmer inte"
        assert field.has_class("-invalid") and field.has_focus and field.value == "201701272394"
        assert _rows(table) == before
        field.value = "19810724-9289"  # Sara Lund, a test number, as staff write it
        table.focus()
        assert await answer_yes(pilot, "alt+k") == (
            "Boka Sara Lund 19810724-9289\npå 2026-11-23 11:00–12:00 ÖKNY 1177 ny (ledig)?"
        )
        assert _rows(table)[1] == ("11:00–12:00", "bokad", "Sara Lund 19810724-9289")


def _overbook_sara(url: str) -> None:
    """Sara Lund overbooked on HAN's Monday 10:00 beside Tolvan (through the booking rules)."""
    from pasis_tui.core.booking import book_slot, find_patient

    engine = make_engine(url)
    try:
        with write_session(engine, user=USER, clock=demo_clock()) as session:
            slot = _han_monday_ten(session)
            sara = find_patient(session, text="19810724-9289", today=DEMO_NOW.date())
            assert slot.id is not None and sara.id is not None
            book_slot(
                session, clock=demo_clock(), slot_id=slot.id, patient_id=sara.id, overbook=True
            )
    finally:
        engine.dispose()


async def test_avboka_on_an_overbooked_slot_cancels_only_the_named_patient(demo_url: str) -> None:
    _overbook_sara(demo_url)
    app = _app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        book, table = await _han_monday(pilot)
        sara = "Sara Lund 19810724-9289 (överbokad)"
        # each patient on a line of her own, with her state: nothing is cut at 120 columns
        assert _rows(table)[0] == (
            "10:00–11:00",
            "bokad\növerbokad",
            f"{TOLVAN}\nSara Lund 19810724-9289",
        )
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("alt+a")  # two patients, none named: asked which, nothing cancelled
        await settle(pilot)
        assert app.screen is book
        field = book.query_one("#personnummer", Input)
        assert status_text(app) == (
            "Tiden har 2 bokade patienter: skriv personnumret för den som ska avbokas "
            f"({TOLVAN}, {sara})"
        )
        assert field.has_class("-invalid") and field.has_focus
        field.value = "198107249289"
        table.focus()
        assert await answer_yes(pilot, "alt+a") == (
            "Avboka 2026-11-23 10:00–11:00 för mottagningens räkning?\n"
            f"  {sara}\nPatienten får ett avbokningsmeddelande i 1177."
        )
        assert status_text(app) == f"{sara} avbokades 2026-11-23 10:00–11:00"
        assert _rows(table)[0] == ("10:00–11:00", "bokad", TOLVAN)
        field.value = "19900101-0017"  # a valid number not on the slot
        table.focus()
        await pilot.press("alt+a")
        await settle(pilot)
        assert app.screen is book
        assert status_text(app) == "19900101-0017 är inte bokad på 2026-11-23 10:00–11:00"
        assert field.value == "19900101-0017"
