"""The SP 272 form: schedule, caregiver, the five parts (Dagmall … Ta bort period) and buttons."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, ContentSwitcher, Input, Label, ProgressBar, Select

from pasis_tui.core.scheduling import DAY_NAMES, RESOURCE_TEXT_MAX
from pasis_tui.widgets import LabeledField, PasisButton
from pasis_tui.widgets.inputs import CodeInput, DateInput, Stamps
from screens import sp272_grid as grid

PARTS = (
    ("del_dagmall", "Dagmall"),
    ("del_veckomall", "Veckomall"),
    ("del_forlangning", "Förlängning"),
    ("del_andra", "Ändra/Ta bort"),
    ("del_period", "Ta bort period"),
)
WEEKDAY_IDS = ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag")
SCHEMA_KINDS = (("Vårdgivarschema", "vardgivare"), ("Plattschema", "plats"))


def field(label: str, widget: Any, *, required: bool = False) -> LabeledField:
    if hasattr(widget, "compact"):
        widget.compact = True
    return LabeledField(label, widget, required=required)


def compose_form() -> ComposeResult:
    """The fields and buttons above the grid; ids are the Pasis labels in snake case."""
    with Horizontal(classes="rad"):
        yield Select(SCHEMA_KINDS, id="schema", allow_blank=False, compact=True)
        yield Label("ENHET", id="enhet")
        yield field(
            "Vårdgivare", CodeInput(id="vardgivare", max_length=RESOURCE_TEXT_MAX), required=True
        )
        yield field("From datum", DateInput(id="from_datum"))
        views = [(name, key) for key, name in grid.VIEWS]
        yield field("Vy", Select(views, id="vy", allow_blank=False))
        yield PasisButton("Läs", "l", run="read")
    with Horizontal(classes="rad"):
        parts = [(name, key) for key, name in PARTS]
        yield field("Del", Select(parts, id="del", allow_blank=False))
        yield field("Välj dagmall från schemat", Select([], id="valj_dagmall", prompt=" "))
    with ContentSwitcher(initial="del_dagmall", id="delar"):
        with Horizontal(id="del_dagmall"):
            yield field("Dagmall", Select([], id="dagmall", prompt="Välj"), required=True)
            yield field(
                "Veckodag",
                Input(value="Må-Fr", id="veckodag", placeholder="t.ex. Må-Fr, Må On"),
                required=True,
            )
        with Horizontal(id="del_veckomall"):
            for name, widget_id in zip(DAY_NAMES, WEEKDAY_IDS, strict=True):
                select: Select[str] = Select([], id=widget_id, prompt="–", classes="veckodag_mall")
                yield field(name[:2], select)
        with Horizontal(id="del_forlangning"):
            yield field("Antal veckor", Input(id="antal_veckor", placeholder="1–52"), required=True)
            yield PasisButton("Förläng", "n", run="extend")
        with Horizontal(id="del_andra"):
            yield field("Ändra mottagning", Select([], id="andra_mottagning", prompt="Välj"))
            yield field("Ändra Brevmall", Select([], id="andra_brevmall", prompt="Välj"))
            yield PasisButton("Spara ändring", "s", run="change_day")
            yield PasisButton("Ta bort", "o", run="remove_day")
        with Horizontal(id="del_period"):
            yield field("Period from", DateInput(id="period_from"), required=True)
            yield field("Period tom", DateInput(id="period_tom"), required=True)
            yield PasisButton("Ta bort period", "r", run="remove_period")
    with Horizontal(classes="rad", id="gemensam"):
        yield field("Vecka", Input(id="vecka", placeholder="t.ex. 49-50"), required=True)
        yield field("Mottagning", Select([], id="mottagning", prompt="Välj"), required=True)
        yield field("Brevmall", Select([], id="brevmall", prompt="Välj"), required=True)
        yield Checkbox("Ta med röda dagar", id="roda_dagar", compact=True)
    with Horizontal(id="knappar"):
        yield PasisButton("Lägg in i prel. schema", "g", run="lay")
        yield PasisButton("Ta bort dagmall", "d", run="remove_preliminary")
        yield PasisButton("Töm prel. schema", "t", run="clear_preliminary")
        yield PasisButton("Publicera schema", "p", run="publish")
        yield PasisButton("Tidbok", "i", run="open_book")
    yield ProgressBar(id="publicering", show_eta=False)
    yield Stamps("", id="stamps")
