"""The SP 272 form as the seed lays it out (4.1, 4.1.1): Vårdgivarschema/Plattschema,
Vårdgivare, the parts (Dagmall … Ta bort period) under "Lägg till Dagmallar", then
"Ta bort Dagmallar", Publicera and the schedule's Upplagd/Ändrad line.

Code lists are the kit's code fields (code, name beside it, F4 lists the choices), choices
of two to five are visible rows (←/→), and Veckodag is the seed's `Må Ti On To Fr Lö Sö Må-Fr`.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, ContentSwitcher, Input, Label, ProgressBar, Select

from pasis_tui.core.scheduling import DAY_NAMES, RESOURCE_TEXT_MAX
from pasis_tui.widgets import LabeledField, PasisButton
from pasis_tui.widgets.choice import ChoiceField
from pasis_tui.widgets.inputs import DateInput, Stamps
from pasis_tui.widgets.toggles import OptionRow, WeekdayRow
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
#: The code fields whose lists come from `Choices` (templates, clinics, letters).
TEMPLATE_FIELDS = ("dagmall", *WEEKDAY_IDS)
CLINIC_FIELDS = ("mottagning", "andra_mottagning")
LETTER_FIELDS = ("brevmall", "andra_brevmall")


def field(label: str, widget: Any, *, required: bool = False) -> LabeledField:
    if hasattr(widget, "compact"):
        widget.compact = True
    return LabeledField(label, widget, required=required)


def code_field(label: str, widget_id: str, *, max_length: int = 4) -> ChoiceField:
    return ChoiceField(id=widget_id, label=label, max_length=max_length)


def compose_form() -> ComposeResult:
    """The fields and buttons above the grid; ids are the Pasis labels in snake case."""
    with Horizontal(classes="rad"):
        yield OptionRow(SCHEMA_KINDS, id="schema")
        yield Label("ENHET", id="enhet")
        views = [(name, key) for key, name in grid.VIEWS]
        yield field("Vy", OptionRow(views, id="vy"))
    with Horizontal(classes="rad"):
        caregiver = code_field("Vårdgivare", "vardgivare", max_length=RESOURCE_TEXT_MAX)
        yield field("Vårdgivare", caregiver, required=True)
        yield field("From datum", DateInput(id="from_datum"))
        yield PasisButton("Läs", "l", id="las", run="read")
    with Horizontal(classes="rad"):
        parts = [(name, key) for key, name in PARTS]
        yield field("Del", OptionRow(parts, id="del"))
    yield Label("Lägg till Dagmallar", id="rubrik_lagg_till", classes="rubrik272")
    with ContentSwitcher(initial="del_dagmall", id="delar"):
        with Horizontal(id="del_dagmall"):
            yield field("Dagmall", code_field("Dagmall", "dagmall"), required=True)
            yield field("Veckodag", WeekdayRow(id="veckodag"), required=True)
        with Horizontal(id="del_veckomall"):
            for name, widget_id in zip(DAY_NAMES, WEEKDAY_IDS, strict=True):
                chooser = code_field(f"Dagmall {name.lower()}", widget_id)
                chooser.add_class("veckodag_mall")
                yield field(name[:2], chooser)
        with Horizontal(id="del_forlangning"):
            yield field("Antal veckor", Input(id="antal_veckor", placeholder="1–52"), required=True)
            yield PasisButton("Förläng", "n", run="extend")
        with Horizontal(id="del_andra"):
            yield field("Ändra mottagning", code_field("Ändra mottagning", "andra_mottagning"))
            yield field("Ändra Brevmall", code_field("Ändra Brevmall", "andra_brevmall"))
            yield PasisButton("Spara ändring", "s", run="change_day")
            yield PasisButton("Ta bort", "o", run="remove_day")
        with Horizontal(id="del_period"):
            yield field("Period from", DateInput(id="period_from"), required=True)
            yield field("Period tom", DateInput(id="period_tom"), required=True)
            yield PasisButton("Ta bort period", "r", run="remove_period")
    with Vertical(id="gemensam"):
        with Horizontal(classes="rad"):
            yield field("Vecka", Input(id="vecka", placeholder="t.ex. 49-50"), required=True)
            yield field("Mottagning", code_field("Mottagning", "mottagning"), required=True)
            yield field("Brevmall", code_field("Brevmall", "brevmall"), required=True)
        with Horizontal(classes="rad"):
            yield Checkbox("Ta med röda dagar", id="roda_dagar", compact=True)
            yield PasisButton("Lägg in i prel. schema", "g", run="lay")
    yield Label("Ta bort Dagmallar", classes="rubrik272")
    with Horizontal(classes="rad"):
        yield field("Välj dagmall från schemat", Select([], id="valj_dagmall", prompt=" "))
        yield PasisButton("Ta bort dagmall", "d", run="remove_preliminary")
        yield PasisButton("Töm prel. schema", "t", run="clear_preliminary")
    with Horizontal(id="knappar"):
        yield PasisButton("Publicera schema", "p", run="publish")
        yield PasisButton("Tidbok", "i", run="open_book")
        yield Stamps("", id="stamps")
    yield ProgressBar(id="publicering", show_eta=False)
