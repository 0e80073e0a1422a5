"""The key line at the bottom, rebuilt only when what it shows changes.

Textual's Footer rebuilds all its keys on every focus change (the active bindings may differ),
and on a form of 35 fields that rebuild and the layout after it were most of what a Tab cost.
What a footer shows is, per action, the first shown binding's key and description; when that
set is unchanged (a field's own F4 "Välj" replacing the screen's F4 "Välj") nothing is rebuilt,
and the keys also stay where they were instead of moving with the focus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = frozenset[tuple[str, str, bool]]


class PasisFooter(Footer):
    _shown: Shown | None = None

    def _signature(self, screen: Screen[object]) -> Shown:
        first: dict[str, tuple[str, str, bool]] = {}
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in first:
                display = self.app.get_key_display(binding)
                first[binding.action] = (display, binding.description, enabled)
        return frozenset(first.values())

    def bindings_changed(self, screen: Screen[object]) -> None:
        ready = self._bindings_ready and self.app.app_focus
        if ready and self.is_attached and screen is self.screen:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)
