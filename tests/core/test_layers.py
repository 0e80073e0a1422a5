"""The stack points one way: no core module imports Textual or rich (Harlequin's rule)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pasis_tui.core


def test_every_core_module_imports_without_textual() -> None:
    names = sorted(
        f"pasis_tui.core.{module.name}"
        for module in pkgutil.iter_modules(pasis_tui.core.__path__)
        if module.name != "migrations"
    )
    assert "pasis_tui.core.activity_cases" in names and "pasis_tui.core.template_cases" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, f'core imports {bad}'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
