"""SP 721 by keyboard: read a clinic, its periods, save with each refusal at its field, delete;
a snapshot of each of the five tabs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, TabbedContent

from pasis_tui.app import PasisApp
from tests.screens.conftest import SIZE, settle
from tests.screens.keys import retype, status_text, value

MakeApp = Callable[..., PasisApp]


def active_tab(app: PasisApp) -> str:
    return app.screen.query_one(TabbedContent).active


async def save_refused(pilot: Pilot[None], widget_id: str, text: str) -> None:
    """Spara is refused: the message in the status line, the field marked and focused, kept."""
    app = pilot.app
    assert isinstance(app, PasisApp)
    kept = value(app, widget_id)
    await pilot.press("alt+s")
    await settle(pilot)
    assert text in status_text(app), status_text(app)
    assert app.focused is not None and app.focused.id == widget_id
    assert app.screen.query_one(f"#{widget_id}").has_class("-invalid")
    assert value(app, widget_id) == kept


async def test_a_clinic_and_its_periods_are_read_from_the_lists(make_app: MakeApp) -> None:
    app = make_app(unit="GASTRO", screen="721")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # LUEM in 1 Översikt
        await settle(pilot)
        assert active_tab(app) == "basuppgifter"
        assert value(app, "avd_mott") == "LUEM"
        assert "LUEM är läst: 1 period, i dag SE162321000255-021426" in status_text(app)
        await pilot.press("alt+3")
        await pilot.pause()
        periods = app.screen.query_one("#periodlista", DataTable)
        assert app.focused is periods and periods.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert active_tab(app) == "registrering_hsa"
        assert value(app, "hsa_id") == "SE162321000255-021426"
        assert value(app, "organisationsnr") == "232100-0255"
        # 4 Översikt HSA id: a search by part of the id, Enter opens the same period.
        await pilot.press("alt+4")
        await pilot.pause()
        await retype(pilot, "sok_hsa", "021426")
        await settle(pilot)
        ids = app.screen.query_one("#hsa_idn", DataTable)
        assert ids.row_count == 1
        ids.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert (
            active_tab(app) == "registrering_hsa"
            and value(app, "namn") == "Endoskopimottagning Lund"
        )


async def test_save_refuses_each_rule_at_its_field_then_saves_and_deletes(
    make_app: MakeApp,
) -> None:
    app = make_app(unit="KIR", screen="721")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Spara with no clinic read: 2 Basuppgifter opens at Avd/Mott.
        await pilot.press("alt+5")
        await pilot.pause()
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Avd/Mott måste fyllas i" in status_text(app)
        assert active_tab(app) == "basuppgifter"
        await pilot.press(*"k02", "enter")
        await settle(pilot)
        assert "K02: ingen HSA-mappning i dag (0 perioder)" in status_text(app)
        await pilot.press("alt+5")
        await pilot.pause()
        await save_refused(pilot, "till_datum", "Till datum måste fyllas i")
        await retype(pilot, "till_datum", "20391231")
        await save_refused(pilot, "organisationsnr", "Organisationsnr måste fyllas i")
        await retype(pilot, "organisationsnr", "232100-0256")
        await save_refused(pilot, "organisationsnr", "kontrollsiffra")
        await retype(pilot, "organisationsnr", "232100-0255")
        await retype(pilot, "hsa_id", "SE162321000255_K02")
        await save_refused(pilot, "hsa_id", "Ogiltigt HSA-id")
        # K01's HSA id typed in lower case is the same id: refused.
        await retype(pilot, "hsa_id", "se162321000255-k01kir")
        await save_refused(pilot, "hsa_id", "redan mappat till mottagning K01")
        await retype(pilot, "hsa_id", "se162321000255-k02dag")
        await save_refused(pilot, "namn", "Namn måste fyllas i")
        await retype(pilot, "namn", "Dagkirurgi Lund")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "HSA-mappning sparad: K02" in status_text(app), status_text(app)
        assert value(app, "hsa_id") == "SE162321000255-K02DAG"
        assert app.screen.query_one("#periodlista", DataTable).row_count == 1
        # Another From datum is a new period; inside the saved one it overlaps.
        await retype(pilot, "from_datum", "2030-01-01")
        await save_refused(pilot, "from_datum", "överlappar mottagningens mappning 2000-01-01")
        # Borttag of the period read (From datum as read), after the question.
        await retype(pilot, "from_datum", "")
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("shift+tab", "enter")  # Ja
        await settle(pilot)
        assert "borttagen" in status_text(app), status_text(app)
        assert app.screen.query_one("#periodlista", DataTable).row_count == 0


@pytest.mark.parametrize("tab", ["1", "2", "3", "4", "5"])
def test_snapshot_tabs(snap_compare, make_app: MakeApp, tab: str) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        if tab != "1":
            await pilot.press("enter")  # LUEM read in 2 Basuppgifter
            await settle(pilot)
        if tab in ("3", "5"):
            await pilot.press("alt+3")
            await settle(pilot)
        if tab == "5":
            await pilot.press("enter")  # the period opened in 5 Registrering HSA id
            await settle(pilot)
        if tab == "4":
            await pilot.press("alt+4")
            await settle(pilot)

    assert snap_compare(make_app(unit="GASTRO", screen="721"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip
