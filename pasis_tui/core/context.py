"""What a working session knows: the database, the user's signature, the clock and the unit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pasis_tui.core.clock import Clock

if TYPE_CHECKING:  # keep SQLAlchemy out of start-up: see pasis_tui.app
    from sqlalchemy import Engine

    from pasis_tui.core.db import PasisSession


@dataclass(frozen=True)
class UnitRef:
    id: int
    prefix: str
    code: str
    name: str

    @property
    def label(self) -> str:
        """As the header shows it: `16 KIR`."""
        return f"{self.prefix} {self.code}"


@dataclass
class WorkContext:
    engine: Engine
    user: str
    clock: Clock
    unit: UnitRef

    @contextmanager
    def read(self) -> Iterator[PasisSession]:
        """A read: never waits for another terminal's write; the database refuses writes in it."""
        from pasis_tui.core.db import open_session

        with open_session(self.engine, user=self.user, clock=self.clock) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[PasisSession]:
        """One all-or-nothing transaction that takes the write lock first (SQLite)."""
        from pasis_tui.core.db import write_session

        with write_session(self.engine, user=self.user, clock=self.clock) as session:
            yield session
