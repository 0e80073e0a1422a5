"""SP 272 and the appointment book: seed section 4 as a user walks it, and snapshots."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, ProgressBar, Select, TabbedContent
from textual.worker import WorkerState

from pasis_tui.app import PasisApp
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.scheduling import parse_weekdays
from pasis_tui.widgets.choice import ChoiceField
from pasis_tui.widgets.toggles import OptionRow, WeekdayRow
from screens.base import PasisScreen
from screens.modals import ConfirmModal, HelpModal
from screens.sp272_schema import ScheduleScreen
from screens.tidbok import AppointmentBookScreen
from tests.conftest import USER
from tests.screens.conftest import SIZE, settle

#: The seed's scenario is in the autumn of 2025; a week before it, its weeks lie ahead.
SEED_NOW = dt.datetime(2025, 9, 22, 9, 0)


def seed_app(demo_url: str, *, screen: str = "272", now: dt.datetime = SEED_NOW) -> PasisApp:
    return PasisApp(
        database_url=demo_url,
        user=USER,
        clock=FixedClock(now),
        unit_code="REUM",
        start_screen=screen,
    )


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line").render())


def fill(screen: PasisScreen, **values: str) -> None:
    """Set fields as a user would leave them: a code field's code, a visible choice, the
    weekdays by their text (`Må-Fr`, `Må On`), an Input's or a Select's value."""
    for widget_id, value in values.items():
        widget = screen.query_one(f"#{widget_id}")
        if isinstance(widget, WeekdayRow):
            widget.days = frozenset(parse_weekdays(value))
        elif isinstance(widget, (Select, ChoiceField, OptionRow)):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value


async def read_han(
    pilot: Pilot[Any], from_date: str = "2025-09-29", signature: str = "HAN"
) -> ScheduleScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ScheduleScreen)
    fill(screen, vardgivare=signature, from_datum=from_date)
    await pilot.press("alt+l")
    await settle(pilot)
    return screen


async def lay_seed_weeks(pilot: Pilot[Any]) -> ScheduleScreen:
    screen = await read_han(pilot)
    fill(screen, dagmall="ÖK", vecka="40-41", veckodag="Må-Fr", mottagning="M11", brevmall="ÖK")
    await pilot.press("alt+g")
    await settle(pilot)
    return screen


async def answer_yes(pilot: Pilot[Any], key: str) -> str:
    """Press `key`, see the question, answer Ja; returns the question."""
    await pilot.press(key)
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, ConfirmModal)
    question = modal.question
    await pilot.click("#ja")
    await settle(pilot)
    return question


def grid_text(screen: ScheduleScreen) -> str:
    table = screen.query_one("#schema_grid", DataTable)
    return "\n".join(
        " | ".join(str(getattr(cell, "plain", cell)) for cell in table.get_row(key))
        for key in table.rows
    )


async def test_seed_section_4_lay_publish_and_book(demo_url: str) -> None:
    """HAN from 2025-09-29, ÖK on Må-Fr weeks 40–41 with M11 and Brevmall ÖK → preliminary →
    Publicera schema → the slots are in the appointment book, where staff book a patient."""
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await lay_seed_weeks(pilot)
        assert (
            status_text(app)
            == "Dagmall har lagts till: 10 dagar, 2025-09-29 – 2025-10-10, 50 tider"
        )
        assert screen.view is not None and screen.view.preliminary_count == 10
        text = grid_text(screen)
        assert "Vecka 40 | 29\n10:00 ÖK Öpp…\nPrel. M11 |" in text
        assert "Vecka 42 | 13 | 14" in text

        await pilot.press("alt+p")
        await settle(pilot)
        assert status_text(app) == (
            "Det preliminära schemat har blivit utlagt: 10 dagar, 2025-09-29 – 2025-10-10, 50 tider"
        )
        assert screen.view.published_count == 10 and screen.view.preliminary_count == 0
        assert "Publ. M11" in grid_text(screen) and "Prel." not in grid_text(screen)

        await pilot.press("alt+i")  # Tidbok for HAN from From datum
        await settle(pilot)
        book = app.screen
        assert isinstance(book, AppointmentBookScreen)
        table = book.query_one("#tider", DataTable)
        rows = [table.get_row(key) for key in table.rows]
        assert [(row[1], row[2], row[3], row[7]) for row in rows] == [
            ("10:00–11:00", "ÖKNY 1177 ny", "60 min", "ledig"),
            ("11:00–12:00", "ÖKNY 1177 ny", "60 min", "ledig"),
            ("12:00–13:00", "RAST Rast", "60 min", "ej bokningsbar"),
            ("13:00–13:30", "ÖKÅB 1177 ÅB", "30 min", "ledig"),
            ("13:30–14:00", "ÖKÅB 1177 ÅB", "30 min", "ledig"),
        ]
        assert "HAN Hanna Andersson, Måndag 2025-09-29" in str(
            book.query_one("#tidbok_rubrik").render()
        )

        fill(book, personnummer="19121212-1212")
        await answer_yes(pilot, "alt+k")
        assert status_text(app) == "Tolvan Tolvansson är bokad 2025-09-29 10:00–11:00"
        first = table.get_row(next(iter(table.rows)))
        assert first[7] == "bokad" and first[8] == "Tolvan Tolvansson 19121212-1212"

        await pilot.press("alt+k")  # the same patient twice: refused before any question
        await settle(pilot)
        assert app.screen is book
        assert status_text(app) == "Patienten är redan bokad på tiden 2025-09-29 10:00"
        fill(book, personnummer="18900101-9802")
        await pilot.press("alt+k")  # another patient: the slot is full, overbooking offered
        await settle(pilot)
        assert status_text(app).startswith("Tiden 2025-09-29 10:00 är redan bokad. Välj Överboka")
        question = await answer_yes(pilot, "alt+v")
        assert question == (
            "Överboka Agda Bengtsson 18900101-9802\npå 2025-09-29 10:00–11:00 ÖKNY 1177 ny (bokad)?"
        )
        assert status_text(app) == "Agda Bengtsson är överbokad 2025-09-29 10:00–11:00"
        row = table.get_row(next(iter(table.rows)))
        assert (row[7], row[8]) == (
            "bokad\növerbokad",
            "Tolvan Tolvansson 19121212-1212\nAgda Bengtsson 18900101-9802",
        )


async def test_lay_without_clinic_marks_the_field(demo_url: str) -> None:
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot)
        fill(screen, dagmall="ÖK", vecka="40-41", veckodag="Må-Fr", brevmall="ÖK")
        await pilot.press("alt+g")
        await settle(pilot)
        assert status_text(app) == "Mottagning måste fyllas i"
        assert screen.query_one("#mottagning").has_class("-invalid")
        clinic = screen.query_one("#mottagning", ChoiceField).input
        assert clinic.has_class("-invalid") and clinic.has_focus  # the code input, to retype
        assert screen.query_one("#vecka", Input).value == "40-41"  # typed values are kept


async def test_remove_period_with_bookings_asks_first(demo_url: str) -> None:
    """The demo's HAN has bookings on 2026-11-23: Ta bort period lists them and waits."""
    app = seed_app(demo_url, now=dt.datetime(2026, 11, 22, 10, 6))
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot, "2026-11-23")
        fill(
            screen, **{"del": "del_period", "period_from": "2026-11-23", "period_tom": "2026-11-23"}
        )
        await settle(pilot)
        await pilot.press("alt+r")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal), status_text(app)
        assert modal.question.startswith("2 bokade tider finns i perioden 2026-11-23 – 2026-11-23")
        assert "2026-11-23 10:00 Tolvan Tolvansson (19121212-1212)" in modal.question
        await pilot.press("escape")
        await settle(pilot)
        assert status_text(app) == "Inget togs bort"
        assert screen.view is not None and dt.date(2026, 11, 23) in screen.view.days


async def test_week_template_extension_and_overview(demo_url: str) -> None:
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot, signature="VV")  # VV has no demo schedule
        fill(screen, **{"del": "del_veckomall"})
        await settle(pilot)
        fill(screen, mandag="ÖK", onsdag="ÖK", vecka="40", mottagning="M11", brevmall="STD")
        await pilot.press("alt+g")
        await settle(pilot)
        assert (
            status_text(app) == "Dagmall har lagts till: 2 dagar, 2025-09-29 – 2025-10-01, 10 tider"
        )
        await pilot.press("alt+p")
        await settle(pilot)
        fill(screen, **{"del": "del_forlangning", "antal_veckor": "2"})
        await settle(pilot)
        await pilot.press("alt+n")
        await settle(pilot)
        assert status_text(app) == (
            "Förlängningen är inlagd: 4 dagar, 2025-10-06 – 2025-10-15, 20 tider"
        )
        assert screen.view is not None and screen.view.preliminary_count == 4

        await pilot.press("alt+1")
        await settle(pilot)
        table = screen.query_one("#dagar", DataTable)
        assert table.row_count == 6
        table.focus()
        table.move_cursor(row=2)  # 2025-10-06, the first day of the extension
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#from_datum", Input).value == "2025-10-06"
        chosen = screen.query_one("#valj_dagmall", Select).value
        laid = next(laid for laid in screen.view.laid() if str(laid.id) == chosen)
        assert (laid.day, laid.letter_code, laid.preliminary) == (dt.date(2025, 10, 6), "STD", True)


# -- snapshots -------------------------------------------------------------------------------------

Before = Callable[[Pilot[Any]], Awaitable[None]]


def _snap(snap_compare: Any, demo_url: str, run_before: Before, screen: str = "272") -> bool:
    return bool(
        snap_compare(seed_app(demo_url, screen=screen), terminal_size=SIZE, run_before=run_before)
    )


def test_snapshot_month_preliminary(snap_compare: Any, demo_url: str) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await lay_seed_weeks(pilot)

    assert _snap(snap_compare, demo_url, before)


def test_snapshot_month_published(snap_compare: Any, demo_url: str) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await lay_seed_weeks(pilot)
        await pilot.press("alt+p")
        await settle(pilot)

    assert _snap(snap_compare, demo_url, before)


def test_snapshot_week_view(snap_compare: Any, demo_url: str) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        screen = await lay_seed_weeks(pilot)
        fill(screen, vy="vecka")
        await settle(pilot)

    assert _snap(snap_compare, demo_url, before)


def test_snapshot_workweek_view(snap_compare: Any, demo_url: str) -> None:
    """Arbetsvecka: Monday–Friday of From datum's week, each laid day in detail."""

    async def before(pilot: Pilot[Any]) -> None:
        screen = await lay_seed_weeks(pilot)
        fill(screen, vy="arbetsvecka")
        await settle(pilot)

    assert _snap(snap_compare, demo_url, before)


@pytest.mark.parametrize("view", ["dag", "vecka"])
def test_snapshot_appointment_book_day(snap_compare: Any, demo_url: str, view: str) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AppointmentBookScreen)
        fill(screen, vardgivare="HAN", datum="2026-11-23", vy=view)
        await pilot.press("alt+l")
        await settle(pilot)

    app_now = dt.datetime(2026, 11, 22, 10, 6)
    app = seed_app(demo_url, screen="tidbok", now=app_now)
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


async def test_long_publish_shows_progress_and_stays_responsive(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year for HAN (weeks 40–39, Må–Fr): Publicera schema shows a ProgressBar that advances,
    and while the worker is held half-way the app still switches tabs and opens the help."""
    from pasis_tui.core import publishing

    real_publish = publishing.publish_schedule
    reports: list[tuple[int, int]] = []
    gate = threading.Event()

    def held_publish(session: Any, *, progress: Callable[[int, int], None], **kw: Any) -> Any:
        def report(done: int, total: int) -> None:
            progress(done, total)  # returns once the UI thread has drawn it
            reports.append((done, total))
            if len(reports) == 3:  # hold the write here until the test has used the UI
                assert gate.wait(30), "the test never released the publish"

        return real_publish(session, progress=report, **kw)

    monkeypatch.setattr(publishing, "publish_schedule", held_publish)
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot)
        fill(screen, dagmall="ÖK", vecka="40-39", veckodag="Må-Fr", mottagning="M11", brevmall="ÖK")
        question = await answer_yes(pilot, "alt+g")  # across the new year: asked first
        assert question.startswith("Vecka 40-39: vecka 40-39 går över årsskiftet till år 2026.")
        assert screen.view is not None
        laid = int(status_text(app).removeprefix("Dagmall har lagts till: ").split()[0])
        assert laid > 240  # a year of weekdays less the red days

        bar = screen.query_one("#publicering", ProgressBar)
        assert not bar.display
        await pilot.press("alt+p")
        for _ in range(1000):  # until the worker is held at its third report
            if len(reports) == 3:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        worker = next(w for w in app.workers if w.group == "publicering")
        assert worker.state == WorkerState.RUNNING
        assert bar.display and bar.total == laid
        assert screen.query_one("#publicera_schema").disabled  # one publish at a time
        assert [done for done, _ in reports] == [3, 6, 9]  # about 1 % of the days per report
        assert bar.progress == 9 and bar.percentage is not None and 0 < bar.percentage < 0.1
        assert status_text(app) == f"Publicerar schemat … 9 av {laid} dagar"

        # The UI answers keys while the publish runs: tabs switch, the help opens and closes.
        tabs = screen.query_one(TabbedContent)
        await pilot.press("alt+1")
        await pilot.pause()
        assert tabs.active == "oversikt"
        await pilot.press("alt+2")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and tabs.active == "registrering"
        assert worker.state == WorkerState.RUNNING and len(reports) == 3

        gate.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        done_days = [done for done, _ in reports]
        assert done_days == sorted(set(done_days)) and done_days[-1] == laid
        assert len(reports) >= 80
        assert bar.progress == laid and not bar.display
        assert not screen.query_one("#publicera_schema").disabled
        assert status_text(app).startswith(
            f"Det preliminära schemat har blivit utlagt: {laid} dagar"
        )
        assert screen.view.published_count > 0 and screen.view.preliminary_count == 0


async def test_weekday_starts_as_ma_fr_and_week_hint_is_not_a_value(make_app) -> None:  # type: ignore[no-untyped-def]
    """What the form shows is what it sends: Veckodag is really Må-Fr, Vecka is really empty."""
    from textual.widgets import Input

    app = make_app(unit="REUM", screen="272")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#veckodag", WeekdayRow).text == "Må-Fr"
        week = app.screen.query_one("#vecka", Input)
        assert week.value == "" and week.placeholder.startswith("t.ex.")
        # the example is the application's week and the next, not a fixed pair
        today = app.clock.now().date()
        this, following = today.isocalendar().week, (today + dt.timedelta(weeks=1)).isocalendar()
        assert week.placeholder in (f"t.ex. {this}-{following.week}", f"t.ex. {this}")
