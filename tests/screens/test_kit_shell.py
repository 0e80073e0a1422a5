"""The kit's shell: text limits said aloud, Alt+X with several matches, "Spara ändringar?",
status lines that belong to their screen, the Ja/Nej keys, and Swedish key texts."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, OptionList, Select

from pasis_tui.app import PasisApp
from pasis_tui.widgets.inputs import LengthCounter
from pasis_tui.widgets.keyline import KeyLine
from screens import SCREENS
from screens.base import PasisScreen
from screens.modals import ConfirmModal, SaveChangesModal, ScreenChoiceModal
from tests.conftest import demo_clock
from tests.screens.conftest import SIZE, settle


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line").render())


def counter_text(app: PasisApp, field: str) -> str:
    return str(app.screen.query_one(f"#{field}_falt LengthCounter", LengthCounter).render())


async def read_ökny(app: PasisApp, pilot) -> Input:  # type: ignore[no-untyped-def]
    """SP 270 Registrering with ÖKNY read; returns its Namn field."""
    await settle(pilot)
    await pilot.press("alt+2", *"ökny", "enter")
    await settle(pilot)
    return app.screen.query_one("#namn", Input)


async def test_a_text_field_counts_what_is_typed_against_its_limit(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        name = await read_ökny(app, pilot)
        assert counter_text(app, "namn") == f"{len(name.value)}/40"
        name.focus()
        await pilot.press("ctrl+u", *"Kort")  # ctrl+u: delete to the start
        await pilot.pause()
        assert name.value == "Kort"
        assert counter_text(app, "namn") == "4/40"


async def test_a_pasted_text_over_the_limit_is_refused_and_the_text_kept(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        name = await read_ökny(app, pilot)
        name.focus()
        await pilot.press("ctrl+u", *"Telefon")
        name.post_message(events.Paste("x" * 55))
        await pilot.pause()
        assert name.value == "Telefon"  # neither cut to 40 nor dropped without a word
        assert "Namn: högst 40 tecken" in status_text(app)
        assert "55 tecken" in status_text(app)
        assert counter_text(app, "namn") == "högst 40"
        assert name.tooltip and "högst 40" in str(name.tooltip)
        name.post_message(events.Paste(" vid 10"))  # within the limit: taken as pasted
        await pilot.pause()
        assert name.value == "Telefon vid 10"
        assert counter_text(app, "namn") == "14/40"
        await pilot.press(*("y" * 26))  # 40 characters; the 41st key is refused
        await pilot.press("z")
        await pilot.pause()
        assert len(name.value) == 40 and name.value.endswith("y")
        assert status_text(app).startswith("Namn: högst 40 tecken")


async def test_alt_x_with_a_name_of_several_screens_lists_them(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+x", *"schema", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ScreenChoiceModal)
        options = app.screen.query_one(OptionList)
        listed = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(listed) == 3
        assert "Schemaläggning - Aktivitet" in listed[0] and "SP 272" in listed[2]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PasisScreen) and app.screen.entry.key == "272"
        await pilot.press("alt+x", *"tid", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ScreenChoiceModal)  # Tidbok, Tidbokstyper på 1177
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.entry.key == "272"  # type: ignore[attr-defined]


async def test_unsaved_edits_ask_before_esc_leaves(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        name = await read_ökny(app, pilot)
        read = name.value
        name.focus()
        await pilot.press("ctrl+u", *"Nytt namn")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesModal)
        assert str(app.screen.query_one("#fraga").render()) == "Spara ändringar?"
        await pilot.press("a")  # Avbryt: stay, the edit kept
        await settle(pilot)
        assert app.screen.id == "bild_270" and name.value == "Nytt namn"

        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # Nej: leave, the edit dropped
        await settle(pilot)
        assert app.screen.id != "bild_270"
        assert name.value == read

        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        name.focus()
        await pilot.press("ctrl+u", *"Sparat namn", "escape")
        await settle(pilot)
        await pilot.press("j")  # Ja: Spara runs, then the screen is left
        await settle(pilot)
        assert app.screen.id != "bild_270"
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        name.value = ""
        app.screen.query_one("#aktivitet", Input).focus()
        await pilot.press("ctrl+u", *"ökny", "enter")
        await settle(pilot)
        assert name.value == "Sparat namn"  # read back from the database


async def test_ja_with_a_refused_save_stays_with_the_edits(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await read_ökny(app, pilot)
        dates = app.screen.query_one("#galler_from", Input)
        dates.focus()
        await pilot.press("ctrl+u", *"2026-13-45", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesModal)
        await pilot.press("j")
        await settle(pilot)
        assert app.screen.id == "bild_270"  # the core refused the date: nothing is left
        assert dates.value == "2026-13-45"
        assert status_text(app)


async def test_ctrl_q_with_unsaved_edits_asks_first(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        name = await read_ökny(app, pilot)
        name.focus()
        await pilot.press("x", "ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, SaveChangesModal)
        await pilot.press("escape")  # Esc is Avbryt
        await settle(pilot)
        assert app.is_running and app.screen.id == "bild_270"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
    assert app.return_code == 0


async def test_a_read_form_without_edits_leaves_at_once(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await read_ökny(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.id != "bild_270"
        assert not isinstance(app.screen, SaveChangesModal)


async def test_a_status_message_is_cleared_when_the_screen_changes(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.status("Ett meddelande i SP 270", error=True)
        await pilot.press("alt+x", *"272", "enter")
        await settle(pilot)
        assert status_text(app) == ""
        app.screen.status("Ett meddelande i SP 272")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.id == "bild_meny" or status_text(app) == ""
        assert status_text(app) == ""
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        assert app.screen.id == "bild_270" and status_text(app) == ""


async def test_ja_nej_answers_to_j_n_and_the_arrows(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        answers: list[bool | None] = []
        for keys in (["j"], ["n"], ["left", "enter"], ["left", "right", "enter"], ["escape"]):
            app.push_screen(ConfirmModal("Ta bort?"), answers.append)
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
        assert answers == [True, False, True, False, False]


async def test_key_line_and_help_are_swedish(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(screen="270")
    async with app.run_test(size=SIZE) as pilot:
        name = await read_ökny(app, pilot)
        line = app.screen.query_one(KeyLine)
        assert "Esc Tillbaka" in str(line.render()) and "Ctrl+Q Avsluta" in str(line.render())
        app.screen.query_one("#aktivitetstyp", Select).focus()
        await pilot.press("enter")  # the Select's list is open
        await pilot.pause()
        text = str(line.render())
        assert "Dismiss" not in text and "Stäng listan" in text
        await pilot.press("escape")
        name.focus()
        await pilot.press("f1")
        await pilot.pause()
        help_text = app.screen.query_one("#hjalp_text").source  # type: ignore[attr-defined]
        assert "`Esc`" in help_text and "escape" not in help_text


async def test_screens_built_at_idle_open_as_the_same_working_screen(demo_url: str) -> None:
    app = PasisApp(
        database_url=demo_url, user="VIS", clock=demo_clock(), unit_code="KIR", prebuild=True
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.prebuilt.wait()
        built = {entry.key for entry in SCREENS if entry.built}
        assert all(app.is_screen_installed(f"bild_{key}") for key in built)
        waiting = app.get_screen("bild_270")
        assert waiting.is_running and waiting.query_one("#namn", Input)  # composed, not shown
        assert app.screen.id == "bild_meny"
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        assert app.screen is waiting
        await pilot.press("alt+2", *"ökny", "enter")
        await settle(pilot)
        assert waiting.query_one("#namn", Input).value  # read as on a screen built on the key


async def test_a_screen_shown_again_is_restyled_only_when_the_app_styles_changed(
    demo_url: str,
) -> None:
    """Showing a screen again skips Textual's restyle of every widget, unless the theme (or
    the app's CSS) changed while it was hidden: then it shows in the new colours."""
    app = PasisApp(database_url=demo_url, user="VIS", clock=demo_clock(), unit_code="KIR")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PasisScreen) and screen.styles_current()
        name = screen.query_one("#namn", Input)
        dark_background = name.styles.background
        await pilot.press("escape")
        await settle(pilot)

        restyled: list[bool] = []
        original = screen.update_node_styles

        def counted(animate: bool = True) -> None:
            restyled.append(True)
            original(animate)

        screen.update_node_styles = counted  # type: ignore[method-assign]
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        assert app.screen is screen and restyled == []  # nothing changed: no restyle
        await pilot.press("escape")
        await settle(pilot)

        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("alt+x", *"270", "enter")
        await settle(pilot)
        assert app.screen is screen and restyled == [True]
        assert screen.styles_current()
        assert name.styles.background != dark_background


async def test_the_collector_paused_for_start_up_runs_again_once_the_database_is_open(
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    import gc

    from pasis_tui import startup_gc

    app = make_app()
    startup_gc.pause()  # as `pasis` does before its imports
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.db_state == "ready"
            assert gc.isenabled()
    finally:
        startup_gc.resume()
