"""LazyPane: a tab's content is composed on its first showing, once, and not before."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Label, TabbedContent, TabPane

from pasis_tui.widgets.lazy import LazyPane

built: list[str] = []


def heavy_part() -> ComposeResult:
    built.append("registrering")
    yield Label("Registrering")
    yield Input(id="namn")


class Tabs(App[None]):
    def compose(self) -> ComposeResult:
        with TabbedContent(initial="oversikt"):
            with TabPane("1 Översikt", id="oversikt"):
                yield Label("Översikt")
            yield LazyPane("2 Registrering", heavy_part, id="registrering")


async def test_a_lazy_pane_is_built_on_its_first_showing_only() -> None:
    built.clear()
    app = Tabs()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert built == [] and not app.query("#namn")
        app.query_one(TabbedContent).active = "registrering"
        await pilot.pause()
        await pilot.pause()
        assert built == ["registrering"] and app.query_one("#namn", Input)
        app.query_one(TabbedContent).active = "oversikt"
        await pilot.pause()
        app.query_one(TabbedContent).active = "registrering"
        await pilot.pause()
        assert built == ["registrering"]  # once


async def test_build_can_be_awaited_before_the_pane_is_shown() -> None:
    built.clear()
    app = Tabs()
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.query_one(LazyPane).build()
        assert app.query_one("#namn", Input) and built == ["registrering"]
        assert app.query_one(TabbedContent).active == "oversikt"
