"""Where the shipped data lives and where the default database goes."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """`data/`: inside the installed package as `_data`, or at the top of a source checkout."""
    for candidate in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if (candidate / "pmo_tidbokstyper.csv").is_file():
            return candidate
    raise FileNotFoundError("data/ saknas: installationen är trasig")


def user_data_dir() -> Path:
    """`$XDG_DATA_HOME/pasis-tui`, or `~/.local/share/pasis-tui`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pasis-tui"


def default_database_path() -> Path:
    return user_data_dir() / "pasis.db"


def default_demo_path() -> Path:
    return user_data_dir() / "demo.db"
