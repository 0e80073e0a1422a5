"""SP 177 "1177 Inställning tidbok": 1 Översikt and 2 Registrering (seed section 6)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from pasis_tui.core.errors import PasisError
from pasis_tui.core.settings_1177 import HELP as VALUE_HELP
from pasis_tui.core.settings_1177 import LABELS, SettingsForm
from pasis_tui.core.settings_cases import (
    READ_FIRST,
    VALUE_NAMES,
    SettingsLine,
    SettingsResult,
    delete_settings_record,
    read_settings_record,
    save_settings_record,
    settings_page,
    value_note,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.inputs import Stamps
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.register import RegisterScreen, code_row, register_bindings

HELP = """\
**1177 Inställning tidbok (SP 177).** Styr hur långt fram patienten kan söka tider i 1177
och hur hon får omboka och avboka, per enhet eller per mottagning och period.

- **1 Översikt** (Alt+1): enhetens inställningar; **Enter** öppnar en i Registrering.
- **2 Registrering** (Alt+2): skriv **Avdelning/Mottagning** (tomt = hela enheten) och tryck
  **Läs annan** (Alt+L eller Enter): inställningen som gäller i dag läses fram.
- **Sökbara schemaveckor** 1–999 (standard 8), **Patientombokningar** 1–999 (standard 2),
  **Tidsgräns ombokning/avbokning** 25–99 timmar (standard 24). **0 eller tomt = standardvärdet**;
  texten bredvid fältet säger vad som gäller.
- En mottagnings perioder får inte överlappa. En annan **From datum** än den lästa ger en ny
  period.
- **Spara** (Alt+S), **Läs annan** (Alt+L), **Borttag** (Alt+B).
"""

W = 28


class SettingsList(OverviewList):
    NOUN = "inställningar"
    SINGULAR = "inställning"
    COLUMNS = (
        ("Avd/Mott", 8), ("Namn", 36), ("From datum", 10), ("Tom datum", 10),
        ("Sökb. v", 7), ("Ombokn.", 7), ("Tgr omb.", 8), ("Tgr avb.", 8),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: settings_page(ctx=ctx, offset=offset, limit=limit)

    def cells(self, line: SettingsLine) -> tuple[str, Cells]:
        return str(line.id), (
            line.clinic_code, line.clinic_name, line.valid_from, line.valid_to, *line.values,
        )  # fmt: skip


def _value_field(name: str, row: int) -> FormField:
    return FormField(
        LABELS[name], name, name, kind="number", width=6, max_length=3, label_width=W, row=row
    )


class SettingsRegisterForm(RecordForm):
    FIELDS = (
        FormField("From datum", "from_datum", "valid_from", kind="date", label_width=W, row=1),
        FormField("Tom datum", "tom_datum", "valid_to", kind="date", row=1),
        *(_value_field(name, row) for row, name in enumerate(VALUE_NAMES, start=2)),
    )

    def compose_head(self) -> ComposeResult:
        yield from code_row("AVDELN/MOTTAGNING", "mottagning", max_length=8)

    def compose_row_end(self, row: int) -> ComposeResult:
        if row >= 2:
            name = VALUE_NAMES[row - 2]
            yield Label(value_note(name, ""), id=f"not_{name}", classes="sp177_not")

    def compose_tail(self) -> ComposeResult:
        yield Stamps("", id="stamps")
        with Horizontal(classes="sp177_knappar"):
            yield PasisButton("Spara", "s", run="spara")
            yield PasisButton("Läs annan", "l", run="las")
            yield PasisButton("Borttag", "b", run="borttag")
        with Vertical(classes="sp177_hjalp"):
            for name in VALUE_NAMES:
                yield Label(f"{LABELS[name]}: {VALUE_HELP[name]}")


class SettingsScreen(RegisterScreen):
    HELP = HELP
    CODE_ID = "mottagning"
    BINDINGS: ClassVar[list[BindingType]] = register_bindings("sp177")
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {"clinic_id": "mottagning", "clinic": "mottagning"}
    DEFAULT_CSS = """
    SettingsScreen .sp177_not { padding: 0 0 0 1; color: $text-muted; }
    SettingsScreen .sp177_not.-standard { color: $warning; }
    SettingsScreen .sp177_knappar { height: 1; margin-top: 1; }
    SettingsScreen .sp177_hjalp { color: $text-muted; height: auto; margin-top: 1; }
    """

    def make_overview(self) -> OverviewList:
        return SettingsList(table_id="installningar")

    def compose_register(self) -> ComposeResult:
        yield SettingsRegisterForm(id="registrering_form")

    def current_id(self) -> int | None:
        """The row read, unless the clinic was changed since (an empty code is the unit)."""
        return self.loaded_id if self.code_text().strip().upper() == self.loaded_code else None

    def open_row(self, key: str) -> None:
        self.show_registrering()
        self.clear_errors()
        self.run_db(lambda ctx: read_settings_record(ctx=ctx, clinic_code="", settings_id=int(key)),
                    self._read)  # fmt: skip

    @on(Input.Changed)
    def _note_follows(self, event: Input.Changed) -> None:
        """The note beside a value says what the text as typed means (0 or empty: standard)."""
        name = event.input.id or ""
        if name in VALUE_NAMES:
            self._show_note(name, event.value)

    def _show_note(self, name: str, text: str) -> None:
        note = self.query_one(f"#not_{name}", Label)
        note.update(value_note(name, text))
        note.set_class(text.strip().lstrip("0") == "", "-standard")

    # -- the actions: one core call each -------------------------------------------------------

    def action_las(self) -> None:
        self.clear_errors()
        code = self.code_text()
        self.run_db(lambda ctx: read_settings_record(ctx=ctx, clinic_code=code), self._read)

    def _read(self, result: SettingsResult) -> None:
        self._show(result)
        self.query_one("#from_datum").focus()

    def action_spara(self) -> None:
        self.clear_errors()
        form = self.form.to_model(SettingsForm, clinic_id=None)
        code, settings_id = self.code_text(), self.current_id()
        self.run_db(
            lambda ctx: save_settings_record(
                ctx=ctx, clinic_code=code, form=form, settings_id=settings_id
            ),
            self._changed,
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def action_borttag(self) -> None:
        self.clear_errors()
        settings_id = self.current_id()
        if settings_id is None:
            self.show_error(PasisError(READ_FIRST, field="clinic_id"))
            return
        where = self.loaded_code or "hela enheten"
        if not await self.confirm(f"Ta bort inställningen för {where}?"):
            return
        self.run_db(
            lambda ctx: delete_settings_record(ctx=ctx, settings_id=settings_id),
            self._changed,
            group=None,
        )

    def _changed(self, result: SettingsResult) -> None:
        self._show(result)
        self.overview.load()

    def _show(self, result: SettingsResult) -> None:
        record = result.record
        state = f"{result.clinic_name}  {result.state}".strip()
        self.set_code(result.clinic_code, state)
        self.remember(result.clinic_code, record.id if record else None)
        self.form.load(record)
        for name in VALUE_NAMES:
            self._show_note(name, getattr(record, name, ""))
        self.status(result.message)
