"""One page of an overview list: its lines, the total behind the filter, where it starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlmodel import Session, func, select

T = TypeVar("T")

#: Lines per page of an overview list (PgUp/PgDn move a page; a DataTable of 1 000 rows is slow).
PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    lines: tuple[T, ...]
    total: int
    offset: int = 0
    message: str = ""

    @property
    def last(self) -> int:
        """The 1-based number of the page's last line (0 when empty)."""
        return self.offset + len(self.lines)


def count_rows(session: Session, query: Any) -> int:
    """How many rows a SELECT gives, counted in the database (never by loading them)."""
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())
