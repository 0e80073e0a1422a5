"""SP 721 HSA-mappning: five tabs as in Pasis (seed section 7)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Label, Static, TabbedContent

from pasis_tui.core.errors import PasisError
from pasis_tui.core.hsa import HsaMappingLine
from pasis_tui.core.hsa_cases import (
    READ_FIRST,
    ClinicMappingLine,
    HsaEntry,
    HsaResult,
    clinic_page,
    delete_mapping_record,
    mapping_page,
    periods_text,
    read_clinic,
    read_mapping_record,
    save_mapping_record,
)
from pasis_tui.core.parse import format_date
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.inputs import Stamps
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.register import TabbedRegisterScreen, code_row, register_bindings

HELP = """\
**HSA-mappning (SP 721).** Patienten kallas till den mottagning (HSA-id och namn) som
mottagningsbegreppet är mappat till här; utan mappning en dag erbjuds inga tider den dagen.

- **1 Översikt** (Alt+1): enhetens mottagningar och HSA-id som gäller i dag. **Enter** läser fram.
- **2 Basuppgifter** (Alt+2): skriv **Avd/Mott** och tryck **Läs annan** (Alt+L eller Enter).
- **3 Periodiserade uppgifter** (Alt+3): mottagningens perioder; **Enter** öppnar en i flik 5.
- **4 Översikt HSA id** (Alt+4): alla HSA-id i enheten, sök på id, namn eller mottagning.
- **5 Registrering HSA id** (Alt+5): **Till datum**, **Organisationsnr** (NNNNNN-NNNN med rätt
  kontrollsiffra), **HSA id** (SE + organisationsnumret + '-' + bokstäver/siffror, högst 31
  tecken; unikt oavsett versaler) och **Namn** måste fyllas i. En mottagnings perioder får inte
  överlappa; en annan **From datum** än den lästa ger en ny period.
- **Spara** (Alt+S), **Borttag** (Alt+B), **Läs annan** (Alt+L).
"""

PANES = (
    ("1 Översikt", "oversikt"),
    ("2 Basuppgifter", "basuppgifter"),
    ("3 Periodiserade uppgifter", "perioder"),
    ("4 Översikt HSA id", "oversikt_hsa"),
    ("5 Registrering HSA id", "registrering_hsa"),
)
W = 16
PERIOD_COLUMNS = (
    ("Mapp typ", 8), ("From datum", 10), ("Till datum", 10), ("Organisationsnr", 12),
    ("HSA id", 31), ("Namn", 22),
)  # fmt: skip


def period_cells(line: HsaMappingLine) -> Cells:
    return (
        line.map_type, format_date(line.valid_from), format_date(line.valid_to), line.org_number,
        line.hsa_id, line.name,
    )  # fmt: skip


class ClinicList(OverviewList):
    NOUN = "mottagningar"
    SINGULAR = "mottagning"
    FILTERS = (FormField("Sök", "sok", "text", placeholder="kod eller namn"),)
    COLUMNS = (
        ("Avd/Mott", 8), ("Namn", 44), ("Ort", 8), ("HSA id i dag", 26), ("Perioder", 8),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: clinic_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: ClinicMappingLine) -> tuple[str, Cells]:
        return line.clinic_code, (
            line.clinic_code, line.clinic_name, line.city, line.hsa_id, str(line.periods),
        )  # fmt: skip


class HsaIdList(OverviewList):
    NOUN = "HSA-mappningar"
    SINGULAR = "HSA-mappning"
    FILTERS = (FormField("Sök", "sok_hsa", "text", placeholder="HSA id, namn eller Avd/Mott"),)
    COLUMNS = (("Avd/Mott", 8), *PERIOD_COLUMNS)

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: mapping_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: HsaMappingLine) -> tuple[str, Cells]:
        return str(line.id), (line.clinic_code, *period_cells(line))


class BasicForm(RecordForm):
    """2 Basuppgifter: the clinic (Avd/Mott) and its Mapp typ."""

    FIELDS = (FormField("Mapp typ", "mapp_typ", "map_type", width=10, max_length=8, label_width=W),)

    def compose_head(self) -> ComposeResult:
        yield from code_row("AVD/MOTT", "avd_mott", max_length=8)

    def compose_tail(self) -> ComposeResult:
        yield Static("", id="mott_uppgifter", classes="sp721_uppgifter")
        with Horizontal(classes="sp721_knappar"):
            yield PasisButton("Läs annan", "l", id="las_annan_bas", run="las")


class PeriodForm(RecordForm):
    """5 Registrering HSA id: one period of the clinic read in 2 Basuppgifter."""

    FIELDS = (
        FormField("From datum", "from_datum", "valid_from", kind="date", label_width=W, row=1),
        FormField("Till datum", "till_datum", "valid_to", kind="date", required=True, row=1),
        FormField("Organisationsnr", "organisationsnr", "org_number", required=True, width=13,
                  max_length=11, label_width=W, row=2),
        FormField("HSA id", "hsa_id", "hsa_id", required=True, width=33, max_length=31,
                  label_width=W, row=3),
        FormField("Namn", "namn", "name", required=True, width=62, max_length=80, label_width=W,
                  row=4),
    )  # fmt: skip

    def compose_head(self) -> ComposeResult:
        yield Label("", id="hsa_mott", classes="sp721_mott")

    def compose_tail(self) -> ComposeResult:
        yield Stamps("", id="stamps")
        with Horizontal(classes="sp721_knappar"):
            yield PasisButton("Spara", "s", run="spara")
            yield PasisButton("Borttag", "b", run="borttag")
            yield PasisButton("Läs annan", "l", run="las")


class HsaScreen(TabbedRegisterScreen):
    HELP = HELP
    PANES = PANES
    CODE_PANE = "basuppgifter"
    CODE_ID = "avd_mott"
    FOCUS: ClassVar[dict[str, str]] = {
        "perioder": "periodlista",
        "oversikt_hsa": "hsa_idn",
        "registrering_hsa": "from_datum",
    }
    BINDINGS: ClassVar[list[BindingType]] = register_bindings("sp721")
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {"clinic": "avd_mott"}
    DEFAULT_CSS = """
    HsaScreen .sp721_knappar { height: 1; margin-top: 1; }
    HsaScreen .sp721_uppgifter { margin-top: 1; padding: 0 1; height: auto; }
    HsaScreen .sp721_mott { margin-top: 1; text-style: bold; }
    HsaScreen #periodlista { height: 1fr; margin-top: 1; }
    HsaScreen #perioder_rubrik { margin-top: 1; color: $text-muted; }
    """

    def compose_pane(self, pane_id: str) -> ComposeResult:
        if pane_id == "oversikt":
            yield ClinicList(table_id="mottagningar")
        elif pane_id == "basuppgifter":
            yield BasicForm(id="basuppgifter_form")
        elif pane_id == "perioder":
            yield Label("Läs fram en mottagning under 2 Basuppgifter", id="perioder_rubrik")
            table: DataTable[Any] = DataTable(cursor_type="row", id="periodlista")
            yield table
        elif pane_id == "oversikt_hsa":
            yield HsaIdList(table_id="hsa_idn")
        else:
            yield PeriodForm(id="registrering_hsa_form")

    @property
    def basic(self) -> BasicForm:
        return self.query_one(BasicForm)

    @property
    def form(self) -> PeriodForm:
        return self.query_one(PeriodForm)

    def on_mount(self) -> None:
        table = self.query_one("#periodlista", DataTable)
        for label, width in PERIOD_COLUMNS:
            table.add_column(label, width=width)

    def on_open(self) -> None:
        super().on_open()
        self.query_one(HsaIdList).load()

    def current_id(self) -> int | None:
        typed = self.code_text().strip().upper()
        return self.loaded_id if typed and typed == self.loaded_code else None

    # -- rows opened ---------------------------------------------------------------------------

    def open_row(self, key: str) -> None:
        """A row of 4 Översikt HSA id opens that period; one of 1 Översikt reads the clinic."""
        if self.query_one(TabbedContent).active == "oversikt_hsa":
            self._read_mapping(int(key))
        else:
            super().open_row(key)

    @on(DataTable.RowSelected, "#periodlista")
    def _period_opened(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self._read_mapping(int(event.row_key.value))

    def _read_mapping(self, mapping_id: int) -> None:
        self.clear_errors()
        self.run_db(
            lambda ctx: read_mapping_record(ctx=ctx, mapping_id=mapping_id), self._to_period
        )

    def _to_period(self, result: HsaResult) -> None:
        self._show(result)
        self.show_pane("registrering_hsa")
        self.query_one("#till_datum").focus()

    # -- the actions: one core call each -------------------------------------------------------

    def action_las(self) -> None:
        self.clear_errors()
        code = self.code_text()

        def done(result: HsaResult) -> None:
            self._show(result)
            self.query_one("#mapp_typ").focus()

        self.show_pane("basuppgifter")
        self.run_db(lambda ctx: read_clinic(ctx=ctx, clinic_code=code), done)

    def action_spara(self) -> None:
        self.clear_errors()
        entry = self.form.to_model(
            HsaEntry, clinic_code=self.code_text(), map_type=self.basic.value("map_type")
        )
        mapping_id = self.current_id()
        self.run_db(
            lambda ctx: save_mapping_record(ctx=ctx, entry=entry, mapping_id=mapping_id),
            self._changed,
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def action_borttag(self) -> None:
        self.clear_errors()
        mapping_id, code = self.current_id(), self.loaded_code
        if mapping_id is None:
            self.show_error(PasisError(READ_FIRST, field="hsa_id"))
            return
        hsa_id = self.form.value("hsa_id")
        if not await self.confirm(f"Ta bort HSA-mappningen {hsa_id} för {code}?"):
            return
        self.run_db(
            lambda ctx: delete_mapping_record(ctx=ctx, clinic_code=code, mapping_id=mapping_id),
            self._changed,
            group=None,
        )

    def _changed(self, result: HsaResult) -> None:
        self._show(result)
        self.overview.load()
        self.query_one(HsaIdList).load()

    def _show(self, result: HsaResult) -> None:
        record = result.record
        self.set_code(result.clinic_code, result.clinic_name)
        self.remember(result.clinic_code, record.id if record else None)
        self.basic.load(result)
        self.form.load(record)
        periods = periods_text(len(result.periods))
        self.query_one("#mott_uppgifter", Static).update(
            f"Namn  {result.clinic_name}\nOrt   {result.city or '–'}\n"
            f"{periods} (3 Periodiserade uppgifter, Alt+3)"
        )
        self.query_one("#hsa_mott", Label).update(
            f"ENHET {self.ctx.unit.label}   AVD/MOTT {result.clinic_code}   {result.clinic_name}"
        )
        self.query_one("#perioder_rubrik", Label).update(
            f"{result.clinic_code} {result.clinic_name}: {periods} (Enter öppnar)"
        )
        table = self.query_one("#periodlista", DataTable)
        table.clear()
        for line in result.periods:
            table.add_row(*period_cells(line), key=str(line.id))
        self.status(result.message)
