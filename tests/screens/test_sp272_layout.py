"""SP 272 and SP 270 Dagmallar as the seed lays them out (issue 9, items 6, 8 and 10)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input

from pasis_tui.widgets.choice import ChoiceField, ChoiceList
from pasis_tui.widgets.toggles import OptionRow, WeekdayRow
from screens.sp270_aktivitet import ActivityList
from screens.sp270_dagmallar import TemplateList
from screens.sp272_day import DayDetailModal, detail_text
from tests.screens.conftest import SIZE, settle
from tests.screens.test_sp272 import fill, read_han, seed_app, status_text

NOVEMBER = dt.datetime(2026, 11, 22, 10, 6)


async def test_weekday_row_by_keyboard_and_an_empty_row_is_refused(demo_url: str) -> None:
    """←/→ move, Space toggles a day, on Må-Fr the five together; nothing chosen is said."""
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot, signature="VV")
        row = screen.query_one("#veckodag", WeekdayRow)
        row.focus()
        await pilot.press("left", "space")  # the cursor wraps to Må-Fr: all five off
        assert row.text == ""
        await pilot.press("right", "space", "right", "right", "space")  # Må and On
        assert row.text == "Må On"
        await pilot.press("left", "left", "left", "space")  # Må-Fr: all five on again
        assert row.text == "Må-Fr"
        await pilot.press("left", "space")  # Sö on as well
        assert row.text == "Må Ti On To Fr Sö"
        row.days = frozenset()
        fill(screen, dagmall="ÖK", vecka="40", mottagning="M11", brevmall="ÖK")
        await pilot.press("alt+g")
        await settle(pilot)
        assert status_text(app).startswith("Veckodag måste fyllas i")
        assert row.has_focus and row.has_class("-invalid")
        assert screen.query_one("#vecka", Input).value == "40"  # typed values are kept
        fill(screen, veckodag="Må On")
        await pilot.press("alt+g")
        await settle(pilot)
        assert status_text(app) == (
            "Dagmall har lagts till: 2 dagar, 2025-09-29 – 2025-10-01, 10 tider"
        )


async def test_schedule_kind_caregiver_list_and_las_annan(demo_url: str) -> None:
    """Vårdgivarschema/Plattschema are both visible; F4 at Vårdgivare lists the caregivers by
    name, so a newcomer need not know signatures; once read, Läs is Läs annan and the schedule's
    Upplagd/Ändrad line shows."""
    app = seed_app(demo_url, now=NOVEMBER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        caregiver = screen.query_one("#vardgivare", ChoiceField)
        assert str(screen.query_one("#las").label) == "Läs"
        await pilot.press("f4")
        await settle(pilot)
        chooser = app.screen
        assert isinstance(chooser, ChoiceList)
        labels = [label for label, _value in chooser.choices]
        assert any(label.startswith("HAN Hanna Andersson") for label in labels), labels
        index = next(i for i, label in enumerate(labels) if label.startswith("HAN "))
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert caregiver.value == "HAN"
        assert str(caregiver.name_label.render()) == "Hanna Andersson"
        await pilot.press("enter")  # Enter in Vårdgivare reads the schedule
        await settle(pilot)
        assert str(screen.query_one("#las").label) == "Läs annan"
        stamps = str(screen.query_one("#stamps").render())
        assert stamps.startswith("Upplagd 2026") and "Ändrad 2026" in stamps
        kind = screen.query_one("#schema", OptionRow)
        kind.focus()
        await pilot.press("right")
        await settle(pilot)
        assert kind.value == "plats"
        assert str(screen.query_one("#vardgivare_falt > Label").render()) == "Plats *"
        assert caregiver.label == "Plats"
        assert not any(value == "HAN" for _label, value in caregiver.choices)


async def test_enter_on_a_day_shows_templates_slots_and_bookings(demo_url: str) -> None:
    """Seed 4.1.1: a day of the calendar in full, the booked patients included."""
    app = seed_app(demo_url, now=NOVEMBER)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot, "2026-11-23")
        grid = screen.query_one("#schema_grid", DataTable)
        grid.focus()
        grid.move_cursor(row=0, column=1)  # Monday 2026-11-23
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, DayDetailModal), status_text(app)
        text = detail_text(modal.detail).plain
        assert modal.detail.day == dt.date(2026, 11, 23)
        assert "Mottagning M11" in text and "Brevmall" in text and "Publicerat" in text
        assert "Tolvan Tolvansson" in text
        assert "min · nivå 3" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


def test_list_counts_say_singular_and_plural() -> None:
    activities = ActivityList(table_id="a")
    assert activities.counted(1) == "1 aktivitet"
    assert activities.counted(2) == "2 aktiviteter"
    assert activities.counted(0) == "0 aktiviteter"
    assert TemplateList(table_id="d").counted(1) == "1 dagmall"


async def test_overbookings_refused_at_the_field_with_its_range(make_app) -> None:  # type: ignore[no-untyped-def]
    """Antal överbokningar is a number 0–999: said on leaving it, the text kept, the field
    still one line with its text in view (the shared rule for refused compact fields)."""
    app = make_app(screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await settle(pilot)
        await pilot.press(*"ökny", "enter")
        await settle(pilot)
        field = app.screen.query_one("#antal_overbokningar", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"tio", "tab")
        await settle(pilot)
        assert status_text(app) == "Antal överbokningar: ett heltal 0–999"
        assert field.has_class("-invalid") and field.value == "tio"
        assert field.size.height == 1 and field.styles.border_top[0] in ("", "none")
        field.value = "1000"
        await pilot.press("alt+g")
        await settle(pilot)
        assert status_text(app) == "Antal överbokningar: 0–999"
        assert field.value == "1000"


async def test_two_templates_on_one_day_are_both_in_the_cell(demo_url: str) -> None:
    """ÖK (10:00–14:00) and GRUP (from 14:00) on Monday 2025-09-29: the month cell shows both,
    each with its real first start and code, and the day's detail lists both."""
    app = seed_app(demo_url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await read_han(pilot, signature="VV")
        fill(screen, dagmall="ÖK", vecka="40", veckodag="Må", mottagning="M11", brevmall="ÖK")
        await pilot.press("alt+g")
        await settle(pilot)
        fill(screen, dagmall="GRUP")
        await pilot.press("alt+g")
        await settle(pilot)
        assert status_text(app).startswith("Dagmall har lagts till: 1 dag, 2025-09-29"), (
            status_text(app)
        )
        grid = screen.query_one("#schema_grid", DataTable)
        cell = grid.get_row("2025-09-29")[1]
        lines = str(getattr(cell, "plain", cell)).split("\n")
        assert (
            lines[0] == "29"
            and lines[1].startswith("10:00 ÖK")
            and lines[3].startswith("14:00 GRUP")
        ), lines
        grid.focus()
        grid.move_cursor(row=0, column=1)
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, DayDetailModal)
        assert [laid.template_code for laid in modal.detail.laid] == ["ÖK", "GRUP"]
        text = detail_text(modal.detail).plain
        assert "Preliminärt" in text and "Tiderna läggs ut när schemat publiceras" in text
