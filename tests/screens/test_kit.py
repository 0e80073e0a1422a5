"""The screen kit on a real screen: a form round-trips a record; paging reaches the last row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from pasis_tui.app import PasisApp
from pasis_tui.core.activities import ActivityForm, save_activity
from pasis_tui.core.activity_cases import ActivityRecord
from pasis_tui.core.db import make_engine, open_session
from pasis_tui.core.units import resolve_unit
from pasis_tui.widgets.form import RecordForm
from pasis_tui.widgets.overview import OverviewList
from pasis_tui.widgets.tables import rows_changed
from tests.conftest import USER, demo_clock
from tests.screens.conftest import SIZE, organisation_db, settle

MANY = 1000


@pytest.fixture
def many_url(tmp_path: Path) -> str:
    """The seed's organisation and 1 000 activities of KIR's own (A000 … A999)."""

    def fill(session: Any) -> None:
        unit = resolve_unit(session, code="KIR")
        for number in range(MANY):
            form = ActivityForm(
                code=f"A{number:03d}", name=f"Akt {number}", activity_type="Telefontid"
            )
            save_activity(session, unit_id=unit.id, form=form)

    return organisation_db(tmp_path / "many.db", fill)


def all_codes(url: str) -> list[str]:
    """Every activity code the list shows, in its order (by code)."""
    from sqlmodel import col, select

    from pasis_tui.core import models

    engine = make_engine(url)
    with open_session(engine, user=USER, clock=demo_clock()) as session:
        query = select(models.Activity.code).order_by(col(models.Activity.code))
        codes = list(session.exec(query))
    engine.dispose()
    return codes


def app_on(url: str, screen: str) -> PasisApp:
    return PasisApp(
        database_url=url, user=USER, clock=demo_clock(), unit_code="KIR", start_screen=screen
    )


async def test_paging_reaches_the_last_row_of_a_long_list(many_url: str) -> None:
    app = app_on(many_url, "270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = app.screen.query_one(OverviewList)
        table = app.screen.query_one("#aktiviteter", DataTable)
        total = MANY + 7  # and the seven general activities
        assert table.row_count == overview.PAGE_SIZE < total  # one page, never every row
        table.focus()
        for _ in range(total // overview.PAGE_SIZE + 1):
            await pilot.press("ctrl+end", "pagedown")
            await settle(pilot)
        assert overview.page_offset == (total // overview.PAGE_SIZE) * overview.PAGE_SIZE
        await pilot.press("ctrl+end")
        last = table.get_row_at(table.cursor_row)
        codes = all_codes(many_url)
        assert len(codes) == total and last[0] == codes[-1]
        count = str(app.screen.query_one(".lista_antal").render())
        assert count == f"{total} aktiviteter, visar 1001–{total} (PgUp/PgDn bläddrar)"
        await pilot.press("ctrl+home", "pageup")  # back one page: the cursor on its last row
        await settle(pilot)
        assert overview.page_offset == 900
        assert table.cursor_row == overview.PAGE_SIZE - 1
        assert table.get_row_at(table.cursor_row)[0] == codes[999]


async def test_a_form_round_trips_a_record(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2", *"ökny", "enter")
        await settle(pilot)
        form = app.screen.query_one(RecordForm)
        record = app.screen.query_one("#namn", Input)  # the screen read ÖKNY into the form
        assert record.value
        read = form.to_model(ActivityForm, code="ÖKNY")
        changed = ActivityRecord(
            id=1, code="ÖKNY", name="Ett annat namn", activity_type="Grupptid", contact_type="ÅB",
            valid_from=read_date("2027-01-01"), valid_to=read_date("2027-12-31"),
            booking_type_id=None, general=False, created="20261122 VIS", changed="",
        )  # fmt: skip
        form.load(changed)
        await pilot.pause()
        assert form.to_model(ActivityForm, code="ÖKNY") == ActivityForm(
            code="ÖKNY", name="Ett annat namn", activity_type="Grupptid", contact_type="ÅB",
            valid_from="2027-01-01", valid_to="2027-12-31", booking_type_id=None,
        )  # fmt: skip
        assert "Upplagd 20261122 VIS" in str(app.screen.query_one("#stamps").render())
        form.load(None)  # Nyuppläggning: every field empty
        await pilot.pause()
        assert form.to_model(ActivityForm, code="X") == ActivityForm(
            code="X", name="", activity_type="", contact_type="", booking_type_id=None
        )
        assert read.name and read.activity_type  # what was read came through to_model too


def read_date(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.fromisoformat(text)


async def test_a_list_shown_again_unchanged_keeps_its_rows_and_cursor(
    make_app,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        overview = app.screen.query_one(OverviewList)
        table = overview.table
        rows = table.row_count
        assert rows > 2
        table.move_cursor(row=2)
        added: list[object] = []
        original = DataTable.add_row

        def counting(self: DataTable[object], *cells: object, **kwargs: object) -> object:
            added.append(kwargs.get("key"))
            return original(self, *cells, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(DataTable, "add_row", counting)
        await pilot.press("escape")
        await settle(pilot)
        app.open_by_text("pmo")  # the same page again: nothing to draw anew
        await settle(pilot)
        assert added == []
        assert table.row_count == rows and table.cursor_row == 2
        rows_changed(table)  # changed outside the list: the next page is drawn whole
        overview.load()
        await settle(pilot)
        assert len(added) == rows


async def test_set_text_lays_out_only_a_widget_sized_by_its_text() -> None:
    """A text that cannot change a widget's size asks for no layout pass (SP 090 opens a watch
    without one); a widget of auto width or height is laid out again, so it grows."""
    from textual.app import App, ComposeResult
    from textual.widgets import Label, Static

    from pasis_tui.widgets.fields import set_text

    class Texts(App[None]):
        CSS = "#fast { width: 20; height: 1; }"

        def compose(self) -> ComposeResult:
            yield Static("", id="fast")
            yield Label("", id="auto")

    app = Texts()
    async with app.run_test(size=SIZE) as pilot:
        fixed, auto = app.query_one("#fast", Static), app.query_one("#auto", Label)
        set_text(fixed, "Greta Holm, LUND")
        set_text(auto, "Hanna Andersson")
        assert not fixed._layout_required and auto._layout_required
        await pilot.pause()
        assert auto.size.width == len("Hanna Andersson")
        assert str(fixed.render()) == "Greta Holm, LUND"
