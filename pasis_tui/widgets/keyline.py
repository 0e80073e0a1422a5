"""The key line at the foot of a screen: the keys that work now, in Swedish, as one Static.

Lighter than Textual's Footer (one widget instead of one per key, redrawn in place when the
focus moves), and every text on it is Swedish: descriptions Textual's own widgets give in
English are translated, and key names are written as on a Swedish keyboard help (`Esc`, `PgUp`).
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

#: Key names as the help and the key line write them.
KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Mellanslag",
    "backspace": "Backsteg",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
MODIFIERS = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "meta": "Meta"}

#: What Textual's own widgets call their keys, in Swedish (Select's list, DataTable, Input …).
SWEDISH = {
    "Dismiss menu": "Stäng listan",
    "Show menu": "Visa listan",
    "Select": "Välj",
    "Cursor up": "Upp",
    "Cursor down": "Ner",
    "Cursor left": "Vänster",
    "Cursor right": "Höger",
    "Page up": "Sida upp",
    "Page down": "Sida ner",
    "Submit": "Skicka",
    "Toggle": "Växla",
    "Press button": "Tryck",
    "Quit": "Avsluta",
    "Copy": "Kopiera",
    "Paste": "Klistra in",
    "Cut": "Klipp ut",
}


def key_text(key: str) -> str:
    """One key as a person reads it: `escape` → `Esc`, `ctrl+q` → `Ctrl+Q`, `f1` → `F1`."""
    *modifiers, name = key.split("+")
    shown = KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.capitalize())
    return "+".join([*(MODIFIERS.get(m, m.capitalize()) for m in modifiers), shown])


def key_display(binding: Binding) -> str:
    """The binding's own `key_display`, else its first key in Swedish writing."""
    if binding.key_display:
        return binding.key_display
    return key_text(binding.key.split(",")[0].strip())


def swedish(description: str) -> str:
    return SWEDISH.get(description, description)


def shown_keys(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, what it does) for the screen's active bindings that are shown, one per action."""
    keys: list[tuple[str, str]] = []
    actions: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not binding.description or binding.action in actions:
            continue
        if not active.enabled:
            continue
        actions.add(binding.action)
        keys.append((key_display(binding), swedish(binding.description)))
    return keys


class KeyLine(Static):
    """`Esc Tillbaka  Alt+X Byt bild  F1 Hjälp  Ctrl+Q Avsluta` for the keys that work now."""

    DEFAULT_CSS = """
    KeyLine { dock: bottom; height: 1; background: $footer-background; color: $footer-foreground;
        padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            line = self.line(screen)
            if line != self.content:  # focus moves often, the keys that work seldom change
                self.update(line, layout=False)  # one docked line: no layout pass

    @staticmethod
    def line(screen: Screen[Any]) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for key, description in shown_keys(screen):
            if parts:
                parts.append("  ")
            parts.append((key, "bold"))
            parts.append(f" {description}")
        return Content.assemble(*parts)
