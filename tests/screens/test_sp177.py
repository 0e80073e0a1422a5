"""SP 177 by keyboard: read, save, a refusal at the field with the text kept, delete; snapshots."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Label

from pasis_tui.app import PasisApp
from tests.screens.conftest import SIZE, settle
from tests.screens.keys import retype, status_text, value

MakeApp = Callable[..., PasisApp]


def note(app: PasisApp, name: str) -> str:
    return str(app.screen.query_one(f"#not_{name}", Label).render())


async def test_read_change_refuse_and_delete(make_app: MakeApp) -> None:
    app = make_app(unit="REUM", screen="177")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#installningar")
        assert table.row_count == 1  # type: ignore[attr-defined]
        # Läs annan: M11's period in force today; its values 0 are shown as the defaults.
        await pilot.press("alt+2")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "mottagning"
        await pilot.press(*"m11", "enter")
        await settle(pilot)
        assert "är läst" in status_text(app)
        assert value(app, "from_datum") == "2020-01-01"
        assert value(app, "searchable_weeks") == ""
        assert note(app, "searchable_weeks").startswith("tomt = 8 veckor (standard)")
        assert note(app, "cancel_limit_hours").startswith("tomt = 24 timmar (standard)")
        # Out of range: refused at the field, the typed text kept, nothing saved.
        await retype(pilot, "searchable_weeks", "1000")
        assert value(app, "searchable_weeks") == "100"  # three digits fit; type a bad hour
        await retype(pilot, "rebook_limit_hours", "24")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "Tidsgräns ombokning i 1177: tillåtet 25–99" in status_text(app)
        assert app.focused is not None and app.focused.id == "rebook_limit_hours"
        assert value(app, "rebook_limit_hours") == "24"
        assert app.screen.query_one("#rebook_limit_hours").has_class("-invalid")
        # A good value saves; the note beside it says what it means.
        await retype(pilot, "rebook_limit_hours", "48")
        assert note(app, "rebook_limit_hours").startswith("48 timmar")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "är sparad" in status_text(app), status_text(app)
        assert value(app, "searchable_weeks") == "100"
        # A new period that overlaps the saved one: refused at From datum, text kept.
        await retype(pilot, "from_datum", "2025-01-01")
        await retype(pilot, "tom_datum", "2030-12-31")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "överlappar en annan period för M11" in status_text(app)
        assert app.focused is not None and app.focused.id == "from_datum"
        assert value(app, "from_datum") == "2025-01-01"
        # After it, a period that touches: a second row in 1 Översikt.
        await retype(pilot, "from_datum", "2030-01-01")
        await pilot.press("alt+s")
        await settle(pilot)
        assert "2030-01-01–2030-12-31 för M11 är sparad" in status_text(app)
        assert table.row_count == 2  # type: ignore[attr-defined]
        # Borttag after the question: the row goes.
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("shift+tab", "enter")  # Ja
        await settle(pilot)
        assert "borttagen" in status_text(app), status_text(app)
        assert table.row_count == 1  # type: ignore[attr-defined]


async def test_unknown_clinic_is_refused_at_the_code(make_app: MakeApp) -> None:
    app = make_app(unit="REUM", screen="177")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+2")
        await pilot.press(*"x99", "enter")
        await settle(pilot)
        assert "X99 finns inte i enheten" in status_text(app)
        assert value(app, "mottagning") == "X99"
        assert app.screen.query_one("#mottagning").has_class("-invalid")


def test_snapshot_oversikt(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)

    assert snap_compare(make_app(unit="GASTRO", screen="177"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip


def test_snapshot_registrering(snap_compare, make_app: MakeApp) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("enter")  # the first row: M11, values 0 = the defaults
        await settle(pilot)

    assert snap_compare(make_app(unit="REUM", screen="177"), terminal_size=SIZE,
                        run_before=run_before)  # fmt: skip
