"""What is installed is what pyproject pins: snapshots and red-day names cannot drift unnoticed."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def _exact_pins() -> dict[str, str]:
    project = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = {}
    for text in requirements:
        requirement = Requirement(text)
        exact = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if exact and requirement.marker is None:
            pins[requirement.name] = exact[0]
    return pins


def test_the_libraries_that_draw_snapshots_are_pinned() -> None:
    """Textual draws them, holidays names the red days in them (SP 272, Tidbok)."""
    assert {"textual", "holidays", "pytest-textual-snapshot"} <= set(_exact_pins())


@pytest.mark.parametrize(("name", "pinned"), sorted(_exact_pins().items()))
def test_installed_version_is_the_pinned_one(name: str, pinned: str) -> None:
    installed = version(name)
    assert installed == pinned, (
        f"{name} {installed} is installed but pyproject.toml pins {pinned}: "
        f"reinstall with pip install -e '.[test]'"
    )
