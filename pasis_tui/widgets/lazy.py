"""A tab pane built the first time it is shown: a screen's hidden parts cost nothing until used.

SP 272 and the register screens compose every tab at open, though only one shows; a LazyPane
composes its content on its first showing (or when `build()` is awaited), so an open styles
only what is on screen. Screens opt in per pane; code that reads a lazy pane's widgets before
it was shown awaits `build()` first.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import TabPane


class LazyPane(TabPane):
    """`LazyPane("2 Registrering", self.compose_register, id="registrering")`."""

    def __init__(self, title: str, content: Callable[[], ComposeResult], *, id: str) -> None:
        super().__init__(title, id=id)
        self._content = content
        self.built = False

    def compose(self) -> ComposeResult:
        if self.built:
            yield from self._content()

    async def build(self) -> None:
        """Compose the content now (once); returns when it is mounted."""
        if not self.built:
            self.built = True
            await self.recompose()

    @on(events.Show)
    async def _first_showing(self) -> None:
        await self.build()
