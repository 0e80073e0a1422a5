"""SP 191 Bevakningsutsökning by keyboard (seed 5.4) and Statistik: filter, chart, CSV export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.widgets.choice import ChoiceField
from screens.sp191_lists import WatchOverview
from tests.screens.conftest import SIZE, settle, status_text

MakeApp = Callable[..., PasisApp]
PASSED = "2026-11-22"  # the demo's today: every ÖK window that closed before it


def _unbooked_ok_before(app: PasisApp, day: dt.date) -> set[int]:
    assert app.ctx is not None
    w = models.Watch
    with app.ctx.read() as session:
        return set(
            session.exec(
                select(w.id).where(
                    w.unit_id == app.ctx.unit.id,
                    w.watch_type == models.WatchType.OPEN_INVITATION,
                    w.status == models.WatchStatus.OPEN,
                    col(w.book_to) < day,
                )
            ).all()
        )


def _listed(app: PasisApp) -> list[int]:
    table = app.screen.query_one("#bevakningar", DataTable)
    return [int(str(row.value)) for row in table.rows]


async def _order_passed(pilot: Pilot[None]) -> None:
    """2 Beställning: Typ ÖK, Vid ÖK boka t o m passerat = today, Beställ (Alt+B)."""
    await settle(pilot)
    await pilot.press("alt+2")
    pilot.app.screen.query_one("#passerat", Input).focus()
    await pilot.press(*PASSED)
    pilot.app.screen.query_one("#typ", ChoiceField).focus()
    await pilot.press("Ö", "K")
    await pilot.press("alt+b")
    await settle(pilot)


def _seen_rows(app: PasisApp) -> list[dict[str, str]]:
    """3 Översikt bevakningar as the user reads it: each row's cells by column heading."""
    table = app.screen.query_one("#bevakningar", DataTable)
    headings = [str(column.label) for column in table.columns.values()]
    return [
        {"key": str(row.value), **dict(zip(headings, map(str, table.get_row(row)), strict=True))}
        for row in table.rows
    ]


def _label(app: PasisApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


async def test_passed_order_lists_exactly_the_unbooked_and_enter_opens_sp090(
    make_app: MakeApp,
) -> None:
    """Seed 5.4 by keyboard: Typ ÖK and a passed date list exactly the unbooked ÖK watches whose
    Boka t o m is before it; Enter opens one in SP 090; Nästa i bev. lista walks the list on;
    Översikt bev.utsök comes back to the list."""
    app = make_app(unit="REUM", screen="191")
    async with app.run_test(size=SIZE) as pilot:
        await _order_passed(pilot)
        watches = app.screen.query_one(WatchOverview)
        expected = _unbooked_ok_before(app, dt.date(2026, 11, 22))
        assert expected and watches.total == len(expected)
        seen = _seen_rows(app)
        while len(seen) < watches.total:  # PgDn at the last row pages on
            watches.table.move_cursor(row=watches.table.row_count - 1)
            await pilot.press("pagedown")
            await settle(pilot)
            seen += _seen_rows(app)
        assert {int(row["key"]) for row in seen} == expected and len(seen) == len(expected)
        assert [row["Nr"] for row in seen] == [str(n) for n in range(1, len(seen) + 1)]
        assert {row["Typ"] for row in seen} == {"ÖK"} and {row["Status"] for row in seen} == {
            "Öppen"
        }
        assert all(row["Boka tom"] < PASSED for row in seen)
        await pilot.press("pageup")
        await settle(pilot)
        watches.table.move_cursor(row=2)
        await pilot.press("enter")  # the third watch of the list in SP 090
        await settle(pilot)
        total = len(expected)
        for row in seen[2:4]:
            assert type(app.screen).__name__ == "WatchScreen"
            state = _label(app, "#tillstand")
            assert f"Bevakning {row['key']}" in state
            assert f"(bevakningslista {row['Nr']} av {total})" in state
            assert _label(app, "#patient_namn").startswith(row["Namn"] + ",")
            await pilot.press("alt+l")  # Nästa i bev. lista
            await settle(pilot)
        await pilot.press("alt+ö")  # Översikt bev.utsök: back to 3 Översikt of the same order
        await settle(pilot)
        assert app.screen.query_one("TabbedContent").active == "bevakningar_flik"  # type: ignore[attr-defined]
        assert app.screen.query_one(WatchOverview).order_no == watches.order_no


async def test_bad_date_is_shown_at_the_field_with_the_text_kept(make_app: MakeApp) -> None:
    app = make_app(unit="REUM", screen="191")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#passerat", Input).focus()
        await pilot.press(*"2026-13-45", "alt+b")
        await settle(pilot)
        field = app.screen.query_one("#passerat", Input)
        assert field.value == "2026-13-45" and field.has_class("-invalid")
        assert app.focused is field
        await pilot.press("alt+2")
        app.screen.query_one("#ar_from", Input).focus()
        field.value = ""
        await pilot.press(*"19x7", "alt+b")
        await settle(pilot)
        assert app.screen.query_one("#ar_from", Input).has_class("-invalid")


async def test_typed_codes_and_dates_are_checked_at_their_fields(make_app: MakeApp) -> None:
    """Typ, Kontakttyp, Vg-kat and Kort varsel take the code typed, as on SP 090, and show its
    name; a code no list knows is said on leaving the field and refused by Beställ, the text
    kept and no order stored. "ÖK" typed into Vid ÖK, boka t o m passerat: Tab away says why
    at once, text kept."""
    app = make_app(unit="REUM", screen="191")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        typ = app.screen.query_one("#typ", ChoiceField)
        typ.focus()
        await pilot.press("Ö", "k")
        assert typ.value == "ÖK" and str(typ.name_label.render()) == "ÖPPEN KALLELSE"
        contact = app.screen.query_one("#kontakttyp", ChoiceField)
        contact.focus()
        await pilot.press("X", "Y", "tab")
        assert contact.input.has_class("-invalid")
        assert status_text(app) == "Kontakttyp: okänd kod XY. F4 visar valen"
        before = len(app.screen.query_one("#bestallningar", DataTable).rows)
        await pilot.press("alt+b")
        await settle(pilot)
        assert contact.input.value == "XY" and app.focused is contact.input
        assert status_text(app) == "Kontakttyp: okänd kod XY. Välj bland NY, ÅB, TE, KT"
        assert len(app.screen.query_one("#bestallningar", DataTable).rows) == before

        field = app.screen.query_one("#passerat", Input)
        field.focus()
        await pilot.press("Ö", "K", "tab")
        assert field.value == "ÖK" and field.has_class("-invalid")
        assert status_text(app).startswith("Vid ÖK, boka t o m passerat: ogiltigt datum")


async def test_rensning_byte_and_bevakningsbrev_by_keyboard(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = make_app(unit="REUM", screen="191")
    async with app.run_test(size=SIZE) as pilot:
        await _order_passed(pilot)
        screen = app.screen
        first, second = _listed(app)[:2]
        await pilot.press("space", "space")  # choose the first two
        assert screen.query_one(WatchOverview).chosen == {first, second}
        # 5 Rensning without a reason: the message at the field, nothing closed
        await pilot.press("alt+5", "alt+r")
        await settle(pilot)
        assert screen.query_one("#orsak", Input).has_class("-invalid")
        await pilot.press(*"Har inte bokat", "alt+r")
        await settle(pilot)
        assert "2 av 2 bevakningar avslutade" in str(
            screen.query_one("#rensning_resultat", Static).render()
        )
        await pilot.press("alt+4")
        await settle(pilot)
        cleaned = screen.query_one("#rensade", DataTable)
        assert cleaned.row_count == 2
        assert [cleaned.get_row_at(n)[4] for n in range(2)] == ["VIS", "VIS"]
        # 6 Byte av vårdgivare: the third watch to VV; the engine warns, Ja confirms
        await pilot.press("alt+3")
        await settle(pilot)
        third = _listed(app)[2]
        screen.query_one(WatchOverview).table.move_cursor(row=2)
        await pilot.press("space", "alt+6", *"VV", "alt+y")
        await settle(pilot)
        assert "Flytta ändå" in str(app.screen.query_one("#fraga", Static).render())
        await pilot.press("escape")  # Nej: nothing moved
        await settle(pilot)
        assert "inget flyttades" in str(screen.query_one("#status_line").render())
        await pilot.press("alt+y")
        await settle(pilot)
        await pilot.press("tab", "enter")  # ConfirmModal: from Nej to Ja
        await settle(pilot)
        moved = str(screen.query_one("#byte_resultat", Static).render())
        assert "1 av 1 bevakningar flyttade till VV" in moved, moved
        assert app.ctx is not None
        with app.ctx.read() as session:
            watch = session.get(models.Watch, third)
            vv = session.exec(select(models.Caregiver).where(models.Caregiver.signature == "VV"))
            assert watch is not None and watch.caregiver_id == vv.one().id
        # 7 Bevakningsbrev: 1177 to those with an account, a paper file for the rest
        await pilot.press("alt+7", "alt+s")
        await settle(pilot)
        shown = str(screen.query_one("#brev_resultat", Static).render())
        assert "Via 1177" in shown and "Per post" in shown
        files = list((tmp_path / "pasis-tui" / "bevakningsbrev").glob("*.txt"))
        assert len(files) == 1 and str(files[0]) in shown.replace("\n", "")
        assert "Hej " in files[0].read_text(encoding="utf-8")


async def test_statistics_filter_and_csv_export(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = make_app(unit="REUM", screen="stat")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#stat_tabell", DataTable)
        year = table.row_count
        assert year > 100  # a believable year of demo history
        screen.query_one("#stat_mott", Input).focus()
        await pilot.press(*"XX", "enter")
        await settle(pilot)
        assert screen.query_one("#stat_mott", Input).has_class("-invalid")
        screen.query_one("#stat_mott", Input).value = "M11"
        screen.query_one("#stat_from", Input).value = "2026-10-01"
        await pilot.press("enter")
        await settle(pilot)
        assert 0 < table.row_count < year
        assert all(table.get_row_at(n)[1] == "M11" for n in range(table.row_count))
        assert "mott M11" in str(screen.query_one("#stat_antal", Label).render())
        await pilot.press("alt+e")
        await settle(pilot)
        files = list((tmp_path / "pasis-tui" / "statistik").glob("*.csv"))
        assert len(files) == 1
        lines = files[0].read_text(encoding="utf-8").splitlines()
        assert lines[0] == "Vecka;Mottagning;Händelse;1177;Personal;Totalt"
        assert len(lines) == table.row_count + 1
        status = str(screen.query_one("#status_line").render())
        assert str(files[0]) in status.replace("\n", "")


TABS = ("1", "2", "3", "4", "5", "6", "7")


def _tab(number: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if number != "2":
            await pilot.press("alt+1")
            await settle(pilot)
            await pilot.press("down", "enter")  # the demo's first order (ÖK, passed)
            await settle(pilot)
            await pilot.press("space", "space")
            await pilot.press(f"alt+{number}")
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("number", TABS)
def test_snapshot_sp191_tab(snap_compare, make_app: MakeApp, number: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(unit="REUM", screen="191")
    assert snap_compare(app, terminal_size=SIZE, run_before=_tab(number))


def test_snapshot_statistics_with_chart(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    app = make_app(unit="REUM", screen="stat")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


async def test_receive_opens_an_order_and_ta_bort_removes_it(make_app: MakeApp) -> None:
    app = make_app(unit="REUM")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_by_text("191", params=1)  # SP 090's "Översikt bev.utsök" sends the order number
        await settle(pilot)
        screen = app.screen
        assert screen.query_one(WatchOverview).order_no == 1
        assert screen.query_one("TabbedContent").active == "bevakningar_flik"  # type: ignore[attr-defined]
        await pilot.press("alt+1")
        await settle(pilot)
        orders = screen.query_one("#bestallningar", DataTable)
        assert orders.row_count == 2
        orders.move_cursor(row=1)  # order 1 (newest first)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("tab", "enter")  # ConfirmModal: from Nej to Ja
        await settle(pilot)
        assert [str(row.value) for row in orders.rows] == ["2"]
        assert screen.query_one(WatchOverview).order_no is None
