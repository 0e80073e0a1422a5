"""The one domain error type: its message is the Swedish text the screen shows, at the field."""

from __future__ import annotations


class PasisError(Exception):
    """A broken rule: `message` is shown to the user; `field` names the domain field it concerns.

    Domain names (`visit_length`, `slot`, `clinic`), never widget ids: each form maps them.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
