"""Small keyboard helpers for the admin screens' Pilot tests (SP 177, SP 721, staff lists)."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from pasis_tui.app import PasisApp


def status_text(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line").render())


def value(app: PasisApp, widget_id: str) -> str:
    return app.screen.query_one(f"#{widget_id}", Input).value


async def retype(pilot: Pilot[None], widget_id: str, text: str) -> None:
    """Empty the field and type `text` into it, key by key."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text)
