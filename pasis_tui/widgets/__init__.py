"""Shared pieces of the Pasis screens: header line, status line, buttons, labelled fields."""

from __future__ import annotations

from pasis_tui.widgets.buttons import PasisButton
from pasis_tui.widgets.fields import LabeledField, widget_id
from pasis_tui.widgets.lines import HeaderLine, StatusLine

__all__ = ["HeaderLine", "LabeledField", "PasisButton", "StatusLine", "widget_id"]
