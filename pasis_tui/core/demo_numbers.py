"""The demo's safety rule: a demo database holds only published test personnummer.

`data/testpersonnummer.csv` is the shared list (Skatteverket's open test numbers and the test
lists Swedish validation libraries share). A trainer typing a real person's number into the demo
is refused, so no real identity ends up in a database that is copied and shown around.
"""

from __future__ import annotations

from functools import cache

from sqlmodel import Session

from pasis_tui.core.db import get_meta
from pasis_tui.core.paths import data_dir
from pasis_tui.core.reference import read_csv

#: app_meta key set by `pasis demo` (pasis_tui.core.demo).
DEMO_KEY = "demo"


@cache
def published_test_numbers() -> frozenset[str]:
    """The published test numbers, 12 digits each."""
    return frozenset(row["personnummer"] for row in read_csv(data_dir() / "testpersonnummer.csv"))


def is_demo_session(session: Session) -> bool:
    return get_meta(session, DEMO_KEY) == "1"
