"""A form declared once: fields with label, kind, required, width and the domain field they hold.

`load(record)` fills the widgets from a record whose attributes are the domain fields,
`to_model(cls)` builds the core's form dataclass from them, `mark(field, message)` puts a
`PasisError` at its widget, `set_editable()` opens or closes the fields (Posting's
request-options form is the model).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, ClassVar, Literal, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Input, Select

from pasis_tui.widgets.choice import ChoiceField
from pasis_tui.widgets.fields import LabeledField
from pasis_tui.widgets.inputs import (
    CodeInput,
    DateInput,
    NumberInput,
    Stamps,
    TextInput,
    TimeInput,
)
from pasis_tui.widgets.toggles import OptionRow

M = TypeVar("M")
Kind = Literal["text", "code", "date", "time", "number", "select", "choice", "toggle"]


@dataclass(frozen=True)
class FormField:
    """One field: Pasis label, widget id, the domain field it holds, how it is typed."""

    label: str
    widget_id: str
    domain: str
    kind: Kind = "text"
    required: bool = False
    width: int = 0  # the input's width in cells (0: the kind's default)
    max_length: int = 40
    placeholder: str = ""
    options: tuple[tuple[str, Any], ...] = ()
    blank: Any = ""  # what an empty Select gives to_model (None for an optional id)
    allow_blank: bool = True
    default: Any = None  # a Select's value on a new record
    label_width: int = 0
    row: int = 0  # fields with the same row number share a line, in declaration order
    aliases: tuple[str, ...] = ()  # other domain names the core's errors use for this field
    editable: bool = True  # False: shown, never typed in (set_editable leaves it closed)
    counter: bool | None = None  # "12/40" beside it as you type (None: free text, see below)
    low: int | None = None  # a "number" field with a range is checked on leaving it
    high: int | None = None
    #: What messages call the field when its label is empty or shared ("Vg-kat" of the label
    #: "Vg/vg-kat/Resurs"); the label otherwise.
    name: str = ""

    @property
    def called(self) -> str:
        return self.name or self.label

    @property
    def shows_count(self) -> bool:
        """Free text of ten characters or more shows its counter (a short code or number has
        its limit in its width); `counter` decides when given."""
        if self.counter is not None:
            return self.counter
        return self.kind == "text" and self.max_length >= 10

    def build(self) -> Widget:
        """The input widget, compact as the one-line Pasis forms."""
        widget: Widget
        if self.kind == "toggle":  # the choices side by side, ←/→ choose
            return OptionRow(self.options, id=self.widget_id, value=self.default)
        if self.kind == "select":
            widget = Select(
                list(self.options),
                id=self.widget_id,
                prompt=self.placeholder or " ",
                allow_blank=self.allow_blank,
                compact=True,
                **({"value": self.default} if self.default is not None else {}),
            )
        elif self.kind == "choice":
            widget = ChoiceField(
                self.options,
                id=self.widget_id,
                label=self.called,
                blank=self.blank,
                max_length=self.max_length,
                placeholder=self.placeholder,
            )
            if self.width:
                widget.input.styles.width = self.width
            if self.default is not None:
                widget.value = self.default
            return widget
        elif self.kind == "code":
            widget = CodeInput(id=self.widget_id, max_length=self.max_length)
        elif self.kind == "date":
            widget = DateInput(id=self.widget_id, placeholder=self.placeholder or None)
        elif self.kind == "time":
            widget = TimeInput(id=self.widget_id, placeholder=self.placeholder or None)
        elif self.kind == "number" and self.low is not None and self.high is not None:
            widget = NumberInput(
                id=self.widget_id,
                label=self.called,
                low=self.low,
                high=self.high,
                placeholder=self.placeholder,
            )
        else:
            widget = TextInput(
                id=self.widget_id, max_length=self.max_length, placeholder=self.placeholder
            )
        if isinstance(widget, Input):
            widget.compact = True
        if self.width:
            widget.styles.width = self.width
        if not self.editable:  # shown, never typed: out of the Tab order from the start
            widget.disabled = True
        return widget


def shown(value: object) -> str:
    """A record's value as the form shows it: dates ÅÅÅÅ-MM-DD, times TT:MM, None empty."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


class RecordForm(Vertical):
    """A container of declared fields; subclasses give `FIELDS` (and may compose more)."""

    DEFAULT_CSS = """
    RecordForm { height: auto; padding: 0 1; }
    RecordForm > .form_rad { height: auto; margin-top: 1; }
    RecordForm LabeledField > Label { padding: 0 1 0 0; }
    RecordForm Input { width: 24; }
    RecordForm .date-input { width: 12; }
    RecordForm .time-input { width: 7; }
    RecordForm .code-input { width: 6; }
    RecordForm Input.-invalid { background: $error 40%; }
    """

    FIELDS: ClassVar[tuple[FormField, ...]] = ()
    #: Whether leaving with edits asks "Spara ändringar?" (False for a search form).
    TRACK_CHANGES: ClassVar[bool] = True
    #: The screen action that saves this form (Ja to "Spara ändringar?" runs it).
    SAVE_ACTION: ClassVar[str] = "spara"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: dict[str, Any] | None = None

    @on(events.Mount)
    def _remember_new_form(self) -> None:
        """A form never loaded counts as unchanged with what it starts with."""
        self.call_after_refresh(self._remember_if_new)

    def _remember_if_new(self) -> None:
        if self._loaded is None:
            self.remember_values()

    def compose(self) -> ComposeResult:
        yield from self.compose_head()
        yield from self.compose_fields(self.FIELDS)
        yield from self.compose_tail()

    def compose_head(self) -> ComposeResult:
        """What comes before the declared fields (a code line)."""
        yield from ()

    def compose_tail(self) -> ComposeResult:
        """What comes after them (stamps, buttons)."""
        yield from ()

    def compose_fields(self, fields: Iterable[FormField]) -> ComposeResult:
        """The fields line by line (one `Horizontal.form_rad` per row number)."""
        for row, line in groupby(fields, key=lambda spec: spec.row):
            with Horizontal(classes="form_rad"):
                yield from self.compose_row_start(row)
                for spec in line:
                    yield LabeledField(
                        spec.label,
                        spec.build(),
                        required=spec.required,
                        label_width=spec.label_width,
                        counter=spec.shows_count,
                    )
                yield from self.compose_row_end(row)

    def compose_row_start(self, row: int) -> ComposeResult:
        """Widgets before the fields of line `row` (a label such as ENHET)."""
        yield from ()

    def compose_row_end(self, row: int) -> ComposeResult:
        """Widgets after the fields of line `row` (a hint, a value shown but not typed)."""
        yield from ()

    # -- the fields by domain name -------------------------------------------------------------

    def spec(self, domain: str) -> FormField | None:
        for spec in self.FIELDS:
            if spec.domain == domain or domain in spec.aliases:
                return spec
        return None

    def widget(self, domain: str) -> Widget:
        spec = self.spec(domain)
        if spec is None:
            raise KeyError(domain)
        return self.query_one(f"#{spec.widget_id}")

    def value(self, domain: str) -> Any:
        """What the field holds now: an Input's text, a Select's value (or the field's blank)."""
        spec = self.spec(domain)
        assert spec is not None, domain
        widget = self.widget(domain)
        if isinstance(widget, (ChoiceField, OptionRow)):
            return widget.value
        if isinstance(widget, Select):
            value = widget.value
            return spec.blank if value is Select.NULL or value is None else value
        assert isinstance(widget, Input)
        return widget.value

    def set_value(self, domain: str, value: object) -> None:
        widget = self.widget(domain)
        if isinstance(widget, OptionRow):
            spec = self.spec(domain)
            widget.value = spec.default if value is None and spec is not None else value
            return
        if isinstance(widget, ChoiceField):
            spec = self.spec(domain)
            empty = value in (None, "")
            widget.value = spec.default if empty and spec is not None and spec.default else value
            return
        if isinstance(widget, Select):
            spec = self.spec(domain)
            if value in (None, ""):
                if spec is not None and spec.default is not None:
                    widget.value = spec.default
                elif widget._allow_blank:
                    widget.clear()
                return
            try:
                widget.value = value
            except Exception:  # an option the list does not hold (any more): leave it empty
                if widget._allow_blank:
                    widget.clear()
            return
        assert isinstance(widget, Input)
        widget.value = shown(value)

    def set_options(self, domain: str, options: Sequence[tuple[str, Any]]) -> None:
        widget = self.widget(domain)
        assert isinstance(widget, (Select, ChoiceField))
        widget.set_options(options)

    # -- the record ----------------------------------------------------------------------------

    def load(self, record: object | None, *, keep: Iterable[str] = ()) -> None:
        """Every field from `record`'s attribute of its domain name; None empties the form."""
        kept = set(keep)
        for spec in self.FIELDS:
            if spec.domain not in kept:
                self.set_value(spec.domain, getattr(record, spec.domain, None))
        if record is None or hasattr(record, "created"):  # else the screen shows the stamps
            for stamps in self.query(Stamps):  # the Upplagd/Ändrad line, if the form has one
                stamps.show_stamps(getattr(record, "created", ""), getattr(record, "changed", ""))
        self.remember_values()

    # -- what was loaded, and whether it was changed since -------------------------------------

    def values(self) -> dict[str, Any]:
        """Every declared field's value now, by domain name."""
        return {spec.domain: self.value(spec.domain) for spec in self.FIELDS}

    def remember_values(self) -> None:
        """What the fields hold now is the record as read (or saved): no edits."""
        try:
            self._loaded = self.values()
        except NoMatches:  # not composed yet: the Mount handler remembers
            self._loaded = None

    def changed_fields(self) -> list[str]:
        """Domain names of the fields whose value differs from what was loaded."""
        if self._loaded is None or not self.TRACK_CHANGES:
            return []
        try:
            now = self.values()
        except NoMatches:
            return []
        return [name for name, value in now.items() if self._loaded.get(name) != value]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_fields())

    def revert(self) -> None:
        """Back to what was loaded (Nej to "Spara ändringar?")."""
        for name, value in (self._loaded or {}).items():
            self.set_value(name, value)

    def to_model(self, model: type[M], **extra: Any) -> M:
        """The core's form dataclass from the fields it declares (plus `extra`)."""
        names = set(getattr(model, "__dataclass_fields__", {}))
        values = {spec.domain: self.value(spec.domain) for spec in self.FIELDS}
        return model(**{k: v for k, v in values.items() if k in names}, **extra)

    def set_editable(self, editable: bool, *, only: Iterable[str] | None = None) -> None:
        """Open or close the fields (all, or the domain names in `only`)."""
        wanted = set(only) if only is not None else None
        for spec in self.FIELDS:
            if wanted is None or spec.domain in wanted:
                self.query_one(f"#{spec.widget_id}").disabled = not (editable and spec.editable)

    # -- errors at the field -------------------------------------------------------------------

    def mark(self, field: str, message: str = "") -> bool:
        """Mark the field of domain name `field` (and its label) and focus it; False if not ours."""
        if self.spec(field) is None:
            return False
        try:
            widget = self.widget(field)
        except NoMatches:
            return False
        if isinstance(widget, ChoiceField):  # the code input is what is marked and focused
            if isinstance(widget.parent, LabeledField):
                widget.parent.add_class("-invalid")
            widget = widget.input
        widget.add_class("-invalid")
        if isinstance(widget.parent, LabeledField):
            widget.parent.add_class("-invalid")
        if message:
            widget.tooltip = message
        if widget.focusable:
            widget.focus()
        return True

    def clear_marks(self) -> None:
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
            widget.tooltip = None
