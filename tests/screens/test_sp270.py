"""SP 270 by keyboard (seed section 3), and snapshots of both parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TabbedContent

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.day_templates import published_version, version_pattern
from pasis_tui.core.db import make_engine, open_session
from screens.base import PasisScreen
from tests.conftest import USER, demo_clock
from tests.screens.conftest import SIZE, organisation_db, settle

MakeApp = Callable[..., PasisApp]
T = dt.time


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    """Reference data and the seed's organisation, but no activities or templates of our own."""
    return organisation_db(tmp_path / "fresh.db")


def fresh_app(url: str, screen: str) -> PasisApp:
    return PasisApp(
        database_url=url, user=USER, clock=demo_clock(), unit_code="KIR", start_screen=screen
    )


def entry_key(app: PasisApp) -> str:
    screen = app.screen
    assert isinstance(screen, PasisScreen)
    return screen.entry.key


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line").render())


async def type_in(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def test_seed_section_3_by_keyboard(fresh_url: str) -> None:
    app = fresh_app(fresh_url, "270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # 3.2.1 Skapa ny aktivitet: 2 Registrering, a code and Läs, Namn, Aktivitetstyp, Spara.
        await pilot.press("alt+2")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "aktivitet"
        await type_in(pilot, "ökny")
        await pilot.press("enter")
        await settle(pilot)
        assert "Nyuppläggning" in status_text(app)
        assert app.focused is not None and app.focused.id == "namn"
        await type_in(pilot, "1177 ny")
        await pilot.press("tab", "enter", "down", "enter")  # Aktivitetstyp: Bokningsbar tid
        await pilot.press("tab", "enter", "down", "enter")  # Kontakttyp: NY
        await pilot.press("alt+s")
        await settle(pilot)
        assert "sparad" in status_text(app), status_text(app)
        # 3.1.2 Skapa ny dagmall: F2 to Dagmallar, 2 Registrering, code ÖKNY, Läs annan.
        await pilot.press("f2")
        await settle(pilot)
        assert entry_key(app) == "270d"
        await pilot.press("alt+2")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "dagmall"
        await type_in(pilot, "ökny")
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "ÖK nybesök")
        await pilot.press("alt+g")  # Spara grundinformation: the Arbetskopia exists
        await settle(pilot)
        assert str(app.screen.query_one("#mallstatus").render()) == "Arbetskopia"
        # 3.3: the rows, 1177-nivå 3 for ÖK; then LUNCH on the general Rast.
        assert app.focused is not None and app.focused.id == "aktivitet"
        await type_in(pilot, "ökny")
        await pilot.press("tab", *"10:00", "tab", *"12:00", "tab", *"60", "tab", "tab")
        await pilot.press("enter", "down", "down", "down", "enter")  # 3 - ombokningsbar
        await pilot.press("alt+s")
        await settle(pilot)
        await type_in(pilot, "rast")
        await pilot.press("tab", *"12:00", "tab", *"13:00", "tab", "tab", *"LUNCH")
        await pilot.press("alt+s")
        await settle(pilot)
        await pilot.press("alt+p")  # Publicera
        await settle(pilot)
        assert str(app.screen.query_one("#mallstatus").render()) == "Publicerad"
        assert "publicerad" in status_text(app)

    engine = make_engine(fresh_url)
    with open_session(engine, user=USER, clock=demo_clock()) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "KIR")).one()
        activity = session.exec(select(models.Activity).where(models.Activity.code == "ÖKNY")).one()
        assert (activity.name, activity.activity_type, activity.contact_type) == (
            "1177 ny",
            "Bokningsbar tid",
            "NY",
        )
        assert activity.unit_id == unit.id and activity.created_by == USER
        version = published_version(session, unit_id=unit.id, code="ÖKNY")  # type: ignore[arg-type]
        assert version is not None and version.name == "ÖK nybesök" and version.overbookings == 999
        pattern = version_pattern(session, version_id=version.id)  # type: ignore[arg-type]
        assert [(s.start, s.end, s.level_1177, s.reason) for s in pattern] == [
            (T(10), T(11), 3, ""),
            (T(11), T(12), 3, ""),
            (T(12), T(13), 0, "LUNCH"),
        ]
    engine.dispose()


async def test_bad_length_is_shown_at_the_field_and_nothing_is_written(make_app: MakeApp) -> None:
    app = make_app(screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await pilot.pause()
        await type_in(pilot, "ökny")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "aktivitet"
        await type_in(pilot, "ökny")
        await pilot.press("tab", *"13:00", "tab", *"14:40", "tab", *"30")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "närmaste sluttid som passar är 14:30" in status_text(app)
        field = app.screen.query_one("#besokslangd", Input)
        assert app.focused is field and field.has_class("-invalid") and field.value == "30"
        assert app.screen.query_one("#sluttid", Input).value == "14:40"


async def test_published_template_cannot_be_edited_in_the_ui(make_app: MakeApp) -> None:
    app = make_app(screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await pilot.pause()
        await type_in(pilot, "ök")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert str(screen.query_one("#mallstatus").render()) == "Publicerad"
        assert screen.query_one("#namn", Input).disabled
        assert screen.query_one("#starttid", Input).disabled
        assert screen.query_one("#niva_1177", Select).disabled
        for hidden in ("spara_grundinformation", "spara_aktivitet", "publicera"):
            assert not screen.query_one(f"#{hidden}").display
        await pilot.press("alt+s", "alt+p")  # hidden buttons: nothing happens
        await settle(pilot)
        await pilot.press("alt+k")  # Skapa ny arbetskopia
        await settle(pilot)
        assert str(screen.query_one("#mallstatus").render()) == "Arbetskopia"
        assert not screen.query_one("#namn", Input).disabled


async def test_activity_errors_at_the_field_and_refused_delete(make_app: MakeApp) -> None:
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await pilot.pause()
        await type_in(pilot, "ny1")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("tab", "tab", "tab", *"20270101", "tab", *"20260101", "alt+s")
        await settle(pilot)
        assert "Namn måste fyllas i" in status_text(app)
        assert app.focused is not None and app.focused.id == "namn"
        await type_in(pilot, "Ny tid")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Välj Aktivitetstyp" in status_text(app)
        assert app.screen.query_one("#galler_from", Input).value == "20270101"  # kept
        app.screen.query_one("#aktivitetstyp", Select).value = "Grupptid"
        await pilot.press("alt+s")
        await settle(pilot)
        assert "före eller lika med Gäller tom" in status_text(app)
        assert app.focused is not None and app.focused.id == "galler_tom"
        # Borttag of ÖKNY, which template ÖK uses: refused with the reason.
        code = app.screen.query_one("#aktivitet", Input)
        code.value = ""
        code.focus()
        await type_in(pilot, "ökny")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("tab", "enter")  # ConfirmModal: from Nej to Ja
        await settle(pilot)
        assert "används i dagmall ÖK" in status_text(app), status_text(app)
    engine = make_engine(app.database_url)
    with open_session(engine, user=USER, clock=demo_clock()) as session:
        codes = set(session.exec(select(models.Activity.code)).all())
        assert "NY1" not in codes and "ÖKNY" in codes
    engine.dispose()


async def test_day_view_row_change_resolution_and_remove(make_app: MakeApp) -> None:
    app = make_app(screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # Översikt: the first row (ÖK, published) opens
        await settle(pilot)
        assert str(app.screen.query_one("#mallstatus").render()) == "Publicerad"
        await pilot.press("alt+1", "down", "enter")  # ÖKNY, the working copy
        await settle(pilot)
        assert str(app.screen.query_one("#mallstatus").render()) == "Arbetskopia"
        table = app.screen.query_one("#dagvy", DataTable)
        texts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert texts[0] == "08:00 - 08:30  1177 ny" and "10:00 - 10:30  Administration" in texts
        assert texts[texts.index("10:00 - 10:30  Administration") + 2] == "  Orsak: Dokumentation"
        upplosning = app.screen.query_one("#upplosning", Select)
        upplosning.value = "högsta"
        await pilot.pause()
        axis = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert [time for time in axis if time][:3] == ["08:00", "08:30", "09:00"]
        table.focus()
        table.move_cursor(row=texts.index("10:00 - 10:30  Administration"))
        await pilot.press("enter")
        assert app.screen.query_one("#aktivitet", Input).value == "ADM"
        assert "Ändring av aktivitet 10:00–10:30" in str(app.screen.query_one("#radlage").render())
        await pilot.press("alt+a")  # Ta bort aktivitet
        await settle(pilot)
        texts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert not any("Dokumentation" in text for text in texts)
        assert "borttagen" in status_text(app)


async def test_group_row_with_eight_places_by_keyboard(make_app: MakeApp) -> None:
    app = make_app(unit="REUM", screen="270d")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await pilot.pause()
        await type_in(pilot, "grp2")
        await pilot.press("enter")
        await settle(pilot)
        await type_in(pilot, "Gruppträff em")
        await pilot.press("alt+g")
        await settle(pilot)
        screen = app.screen
        seats = screen.query_one("#antal_platser", Input)
        assert app.focused is not None and app.focused.id == "aktivitet" and seats.disabled
        # Bokningsbar tid: Antal platser stays closed, Tab goes from Besökslängd to Orsak.
        await type_in(pilot, "ökny")
        await pilot.press("tab", "tab", "tab", "tab")
        assert seats.disabled and app.focused is screen.query_one("#orsak")
        # Grupptid: the field opens, between Besökslängd and Orsak.
        screen.query_one("#aktivitet", Input).focus()
        await pilot.press(*["backspace"] * 4, *"grp")
        assert "Reumaskola · Grupptid" in str(screen.query_one("#aktivitetstyp").render())
        await pilot.press("tab", *"14:00", "tab", *"16:00", "tab", *"60", "tab")
        assert not seats.disabled and app.focused is seats
        await pilot.press(*"8", "tab", "tab", "enter", "down", "down", "down", "enter")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "GRP är sparad" in status_text(app), status_text(app)
        assert seats.value == "" and seats.disabled  # the block is empty again
        table = screen.query_one("#dagvy", DataTable)
        texts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        first = texts.index("14:00 - 15:00  Reumaskola")
        assert texts[first + 1 : first + 4] == [
            "  60 min · nivå 3",
            "  (8 platser)",
            "15:00 - 16:00  Reumaskola",
        ]
        # Picking the row in the day view (here its places line) loads its places.
        table.focus()
        table.move_cursor(row=first + 2)
        await pilot.press("enter")
        await pilot.pause()
        assert seats.value == "8" and not seats.disabled
        # 0 places: refused at the field, the text kept, nothing written.
        seats.value = ""
        seats.focus()
        await pilot.press("0", "alt+s")
        await settle(pilot)
        assert "Antal platser: skriv ett heltal 1–99" in status_text(app)
        assert app.focused is seats and seats.has_class("-invalid") and seats.value == "0"
        # Another type than Grupptid closes and empties the field.
        screen.query_one("#aktivitet", Input).value = "ÖKNY"
        await pilot.pause()
        assert seats.disabled and seats.value == ""
    engine = make_engine(app.database_url)
    with open_session(engine, user=USER, clock=demo_clock()) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        template = session.exec(
            select(models.DayTemplate).where(
                models.DayTemplate.unit_id == unit.id, models.DayTemplate.code == "GRP2"
            )
        ).one()
        version = session.exec(
            select(models.DayTemplateVersion).where(
                models.DayTemplateVersion.template_id == template.id
            )
        ).one()
        row = session.exec(
            select(models.DayTemplateRow).where(models.DayTemplateRow.version_id == version.id)
        ).one()
        activity = session.get(models.Activity, row.activity_id)
        assert activity is not None and activity.code == "GRP"
        assert (row.start_time, row.end_time, row.visit_length_min) == (T(14), T(16), 60)
        assert (row.seats, row.level_1177, row.created_by) == (8, 3, USER)
    engine.dispose()


async def test_switch_line_and_f2_switch_parts_by_mouse_and_key(make_app: MakeApp) -> None:
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#vaxel_270d")
        await settle(pilot)
        assert entry_key(app) == "270d"
        await pilot.press("f2")
        await settle(pilot)
        assert entry_key(app) == "270"
        await pilot.click("#--content-tab-registrering")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "registrering"


# -- Snapshots (120×40, demo data, fixed clock) ----------------------------------------------


def _keys(*keys: str, code: str = ""):
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await pilot.pause()
        if code:
            await pilot.press(*code, "enter")
        await settle(pilot)

    return run_before


def test_snapshot_aktivitet_oversikt(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(screen="270"), terminal_size=SIZE, run_before=_keys())


def test_snapshot_aktivitet_registrering(snap_compare, make_app: MakeApp) -> None:
    app = make_app(screen="270")
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("alt+2", code="ökny"))


def test_snapshot_dagmallar_oversikt(snap_compare, make_app: MakeApp) -> None:
    assert snap_compare(make_app(screen="270d"), terminal_size=SIZE, run_before=_keys())


def test_snapshot_dagmall_arbetskopia(snap_compare, make_app: MakeApp) -> None:
    app = make_app(screen="270d")
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("alt+2", code="ökny"))


def test_snapshot_dagmall_publicerad(snap_compare, make_app: MakeApp) -> None:
    app = make_app(screen="270d")
    assert snap_compare(app, terminal_size=SIZE, run_before=_keys("alt+2", code="ök"))


def test_snapshot_dagmall_validation_error(snap_compare, make_app: MakeApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _keys("alt+2", code="ökny")(pilot)
        await pilot.press(*"ökny", "tab", *"13:00", "tab", *"14:40", "tab", *"30", "alt+s")
        await settle(pilot)

    assert snap_compare(make_app(screen="270d"), terminal_size=SIZE, run_before=run_before)


def test_snapshot_dagmall_grupptid_row(snap_compare, make_app: MakeApp) -> None:
    """REUM's Gruppträff as a new Arbetskopia, its Grupptid row picked: Antal platser 8."""

    async def run_before(pilot: Pilot[None]) -> None:
        await _keys("alt+2", code="grup")(pilot)
        await pilot.press("alt+k")
        await settle(pilot)
        table = pilot.app.screen.query_one("#dagvy", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)

    app = make_app(unit="REUM", screen="270d")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
