"""Database work in flight: generations that drop stale results, and an idle signal for tests."""

from __future__ import annotations

import asyncio


class WorkTracker:
    """Counts database work in flight (and filters waiting out their debounce).

    The app owns one; `wait_idle()` is the signal tests wait on instead of sleeping.
    """

    def __init__(self) -> None:
        self._pending = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def begin(self) -> None:
        self._pending += 1
        self._idle.clear()

    def end(self) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self._idle.set()

    async def wait_idle(self) -> None:
        await self._idle.wait()


class Generations:
    """A counter per group: only the newest request of a group may show its result."""

    def __init__(self) -> None:
        self._latest: dict[str, int] = {}

    def next(self, group: str) -> int:
        number = self._latest.get(group, 0) + 1
        self._latest[group] = number
        return number

    def is_current(self, group: str, number: int) -> bool:
        return self._latest.get(group) == number
