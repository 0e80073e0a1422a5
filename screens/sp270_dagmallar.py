"""SP 270 Schemaläggning - Dagmallar: Översikt, and Registrering with Grundinformation, the
'Lägg till/Ändra aktivitet' block and the day view (seed 3.1, 3.3)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select

from pasis_tui.core import day_templates as dt_core
from pasis_tui.core.day_view import RESOLUTIONS, day_view
from pasis_tui.core.parse import format_date, format_time
from pasis_tui.core.template_cases import (
    ActivityChoice,
    RowRecord,
    TemplateLine,
    TemplateRecord,
    TemplateResult,
    activity_choices,
    delete_all_template_rows,
    delete_template_record,
    delete_template_row,
    new_template_copy,
    open_template_version,
    publish_template,
    read_template_record,
    save_template_basics,
    save_template_row,
    template_page,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.inputs import Stamps
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.register import code_row, register_bindings
from screens.sp270_common import SP270_CSS, Sp270Screen
from screens.sp270_platser import SEATS_HELP, GroupSeatsField

HELP = """\
**Dagmallar (SP 270).** En dagmall har en **Arbetskopia** som går att ändra och en
**Publicerad** version som ingen kan ändra. Ändringar slår inte igenom i redan lagt schema, utan
först nästa gång man schemalägger med dagmallen.

- **1 Översikt** (Alt+1): enhetens dagmallar; filtrera med **Sök** och **Status**. **Enter** på
  en rad öppnar den i Registrering.
- **2 Registrering** (Alt+2): skriv en kod (högst 4 tecken) och tryck **Läs annan** (Alt+L eller
  Enter). Ny kod: fyll i Grundinformation och tryck **Spara grundinformation** (Alt+G); då är
  arbetskopian skapad. Antal överbokningar blir 999 och From/Tom datum 2000-01-01/2099-12-31 om
  inget anges. **Upplösning** bestämmer dagvyns tidsaxel, **From kl** var den börjar.
- **Lägg till/Ändra aktivitet**: Aktivitet (kod; Aktivitetstyp visas), Starttid, Sluttid,
  Besökslängd (tomt = från starttid till sluttid, annars delas tiden upp i besök av den längden;
  den måste gå jämnt ut), Orsak och 1177-nivå. **1177-nivå måste vara 3 – ombokningsbar** för
  öppen kallelse, och nivå 3 och 4 kräver Bokningsbar tid, Grupptid eller Telefontid. Ej
  bokningsbar tid (t.ex. Rast) har alltid nivå 0. Aktiviteterna får inte överlappa.
- **Spara aktivitet** (Alt+S) lägger till, eller ändrar raden du valt i dagvyn (Enter på en tid).
  **Ny aktivitet** (Alt+N) tömmer blocket. **Ta bort aktivitet** (Alt+A), **Ta bort alla
  aktiviteter** (Alt+O).
- **Publicera** (Alt+P) när dagmallen är klar. **Skapa ny arbetskopia** (Alt+K) kopierar den
  publicerade versionen; publiceras den blir den en ny version. **Ta bort Dagmall** (Alt+T)
  nekas om dagmallen används i lagt schema.
- **F2** byter mellan Dagmallar och Aktivitet.
"""

ADDING = "Tillägg av aktivitet"
READ_ONLY = "Publicerad version kan inte ändras – Skapa ny arbetskopia (Alt+K)."
CHANGING = "Ändring av aktivitet {start}–{end}"
W = 14
WORK_BUTTONS = (
    "spara_aktivitet", "ny_aktivitet", "ta_bort_aktivitet", "ta_bort_alla_aktiviteter", "publicera",
)  # fmt: skip
STATUSES = (("Alla", ""), ("Arbetskopia", "Arbetskopia"), ("Publicerad", "Publicerad"))
LEVELS = tuple((text, str(level)) for level, text in dt_core.LEVELS.items())


class TemplateList(OverviewList):
    NOUN = "dagmallar"
    SINGULAR = "dagmall"
    FILTERS = (
        FormField("Sök", "sok", "text", placeholder="kod eller namn"),
        FormField("Status", "status_filter", "status", kind="select", options=STATUSES,
                  allow_blank=False, default=""),
    )  # fmt: skip
    COLUMNS = (
        ("Kod", 4), ("Namn", 30), ("Status", 11), ("Version", 7), ("Fast/Öppen", 10),
        ("From datum", 10), ("Tom datum", 10), ("Aktiviteter", 11),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: template_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: TemplateLine) -> tuple[str, Cells]:
        return str(line.version_id), (
            line.code, line.name, line.status, str(line.version_no),
            "Fast" if line.fixed else "Öppen", format_date(line.valid_from),
            format_date(line.valid_to), str(line.rows),
        )  # fmt: skip


class BasicsForm(RecordForm):
    """Grundinformation: the version's own fields (core.BasicsForm)."""

    SAVE_ACTION = "spara_grund"  # Ja to "Spara ändringar?" saves Grundinformation

    FIELDS = (
        FormField("Namn", "namn", "name", required=True, width=42, label_width=W, row=1),
        FormField("Fast/Öppen", "fast_oppen", "fixed", kind="toggle", label_width=W,
                  options=(("Fast", True), ("Öppen", False)), default=True, row=2),
        FormField("Antal överbokningar", "antal_overbokningar", "overbookings", kind="number",
                  width=6, placeholder="999", low=0, high=999, row=2),
        FormField("From datum", "from_datum", "valid_from", kind="date", label_width=W,
                  placeholder="2000-01-01", row=3),
        FormField("Tom datum", "tom_datum", "valid_to", kind="date", placeholder="2099-12-31",
                  row=3),
        FormField("Upplösning", "upplosning", "resolution", kind="select", width=20,
                  label_width=W, options=tuple((n, n) for n in RESOLUTIONS), allow_blank=False,
                  default="näst högsta", row=4),
        FormField("From kl", "from_kl", "from_time", kind="time", placeholder="08:00", row=4),
    )  # fmt: skip

    def compose_head(self) -> ComposeResult:
        yield from code_row("DAGMALL", "dagmall", state_id="mallstatus")
        yield Label("Grundinformation", classes="sp270_rubrik")

    def compose_tail(self) -> ComposeResult:
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Spara grundinformation", "g", run="spara_grund")
            yield PasisButton("Skapa ny arbetskopia", "k", run="ny_kopia", classes="-dold")
            yield PasisButton("Läs annan", "l", run="las")
            yield PasisButton("Ta bort Dagmall", "t", run="borttag")
            yield PasisButton("Publicera", "p", run="publicera")
        with Horizontal(classes="sp270_uppdatering"):
            yield Label("Uppdatering", classes="sp270_rubrik")
            yield Stamps("", id="stamps")


class RowForm(RecordForm):
    """Lägg till/Ändra aktivitet: one row of the Arbetskopia (core.RowForm)."""

    FIELDS = (
        FormField("Aktivitet", "aktivitet", "activity_code", kind="code", required=True,
                  label_width=W, row=1, max_length=4),
        FormField("Starttid", "starttid", "start", kind="time", required=True, label_width=W,
                  row=2, aliases=("start_time",)),
        FormField("Sluttid", "sluttid", "end", kind="time", required=True, row=2,
                  aliases=("end_time",)),
        FormField("Besökslängd", "besokslangd", "visit_length", width=27, max_length=8,
                  placeholder="Från starttid till sluttid", label_width=W, row=3),
        FormField("Orsak", "orsak", "reason", width=40, label_width=W, row=4,
                  max_length=dt_core.REASON_MAX),
        FormField("1177-nivå", "niva_1177", "level", kind="select", options=LEVELS, width=32,
                  allow_blank=False, default="0", label_width=W, row=5, aliases=("level_1177",)),
    )  # fmt: skip

    def compose_head(self) -> ComposeResult:
        with Horizontal(classes="sp270_rubrikrad"):
            yield Label("Lägg till/Ändra aktivitet", classes="sp270_rubrik")
            yield Label(ADDING, id="radlage")

    def compose_row_end(self, row: int) -> ComposeResult:
        if row == 1:
            yield Label("", id="aktivitetstyp")
        elif row == 3:
            yield Label("min", classes="hint")
            yield GroupSeatsField()

    def compose_tail(self) -> ComposeResult:
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Spara aktivitet", "s", run="spara")
            yield PasisButton("Ny aktivitet", "n", run="ny_rad")
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Ta bort aktivitet", "a", run="ta_bort_rad")
            yield PasisButton("Ta bort alla aktiviteter", "o", run="ta_bort_alla")


class DayTemplateScreen(Sp270Screen):
    HELP = HELP + SEATS_HELP
    PART = "270d"
    OTHER = ("270", "Aktivitet")
    CODE_ID = "dagmall"
    STATE_ID = "mallstatus"
    BINDINGS: ClassVar[list[BindingType]] = register_bindings("sp270d", borttag="t")
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "template_code": "dagmall", "seats": "antal_platser", "day_view": "dagvy",
    }  # fmt: skip
    DEFAULT_CSS = (
        SP270_CSS
        + """
    #registrering_ram { height: 1fr; }
    #mallform { width: 80; height: auto; padding: 0 1; }
    #mallform RecordForm { padding: 0; }
    #dagvy_ram { width: 1fr; height: 1fr; border-left: solid $primary; padding: 0 1; }
    #dagvy { height: 1fr; }
    #aktivitetstyp { width: 44; color: $text-muted; }
    #radlage { margin: 1 0 0 2; color: $text-muted; }
    .sp270_rubrikrad { height: auto; }
    #skrivskyddad { margin: 1 0 0 1; color: $text-muted; }
    .sp270_uppdatering { height: auto; }
    .sp270_uppdatering > Label { margin: 1 2 0 0; }
    """
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record: TemplateRecord | None = None
        self.row_id: int | None = None
        self.activities: dict[str, ActivityChoice] = {}

    # -- compose -------------------------------------------------------------------------------

    def make_overview(self) -> OverviewList:
        return TemplateList(table_id="dagmallar")

    def compose_register(self) -> ComposeResult:
        with Horizontal(id="registrering_ram"):
            with Vertical(id="mallform", classes="sp270_form"):
                yield BasicsForm(id="grundinformation")
                yield Label(READ_ONLY, id="skrivskyddad")
                yield RowForm(id="radblock")
            with Vertical(id="dagvy_ram"):
                yield Label("Dagvy", classes="sp270_rubrik")
                yield DataTable(cursor_type="row", id="dagvy", show_header=False)

    @property
    def basics(self) -> BasicsForm:
        return self.query_one(BasicsForm)

    @property
    def rows(self) -> RowForm:
        return self.query_one(RowForm)

    @property
    def seats(self) -> GroupSeatsField:
        return self.query_one(GroupSeatsField)

    def on_mount(self) -> None:
        self.query_one("#dagvy", DataTable).add_columns("Tid", "Pass")

    def on_ready(self) -> None:
        super().on_ready()
        self._show(TemplateResult("", None, ""))

    def on_open(self) -> None:  # also back from Aktivitet: new activities, fresh list
        super().on_open()
        self.run_db(lambda ctx: activity_choices(ctx=ctx), self._activities, group="namn")

    def _activities(self, found: tuple[ActivityChoice, ...]) -> None:
        self.activities = {choice.code: choice for choice in found}
        self._allow_seats()

    # -- reading and showing -------------------------------------------------------------------

    def open_row(self, key: str) -> None:
        self.show_registrering()
        self.run_db(lambda ctx: open_template_version(ctx=ctx, version_id=int(key)), self._read)

    def action_las(self) -> None:
        self.clear_errors()
        code = self.code_text()
        self.run_db(lambda ctx: read_template_record(ctx=ctx, code=code), self._read)

    def _read(self, result: TemplateResult) -> None:
        """New code: Namn; an Arbetskopia: the row block; a published version: the code."""
        self._show(result)
        record = result.record
        target = "#namn" if record is None else "#aktivitet" if record.editable else "#dagmall"
        self.query_one(target).focus()

    def _show(self, result: TemplateResult, *, keep_row: bool = False) -> None:
        record = self.record = result.record
        self.set_code(result.code, result.state)
        self.remember(result.code, record.version_id if record else None)
        self.basics.load(record)
        editable = record is None or record.editable
        working = record is not None and record.editable
        self.basics.set_editable(editable)
        self.rows.set_editable(working)
        for widget_id in WORK_BUTTONS:
            self.query_one(f"#{widget_id}").set_class(not working, "-dold")
        self.query_one("#spara_grundinformation").set_class(not editable, "-dold")
        self.query_one("#skapa_ny_arbetskopia").set_class(editable, "-dold")
        self.query_one("#ta_bort_dagmall").set_class(record is None, "-dold")
        self.rows.display = editable
        self.query_one("#skrivskyddad").display = not editable
        if not (keep_row or result.keep_row):
            self.action_ny_rad()
        self._allow_seats()
        self._draw_day()
        if result.message:
            self.status(result.message)

    def _draw_day(self) -> None:
        table = self.query_one("#dagvy", DataTable)
        table.clear()
        record = self.record
        if record is None:
            return
        lines = day_view(
            from_time=record.from_time,
            resolution=str(self.basics.value("resolution")),
            slots=list(record.slots),
            names=dict(record.names),
        )
        for index, line in enumerate(lines):
            row = record.row_at(line.slot.start) if line.slot else None
            table.add_row(line.axis, line.text, key=f"{index}:{row.id if row else ''}")

    @on(Select.Changed, "#upplosning")
    def _resolution_changed(self) -> None:
        self._draw_day()  # Upplösning changes the view at once; saved with Grundinformation

    # -- Lägg till/Ändra aktivitet -------------------------------------------------------------

    @on(Input.Changed, "#aktivitet")
    def _activity_typed(self, event: Input.Changed) -> None:
        choice = self.activities.get(event.value.strip().upper())
        text = f"{choice.name} · {choice.activity_type}" if choice else ""
        self.query_one("#aktivitetstyp", Label).update(text)
        self._allow_seats()

    def _allow_seats(self) -> None:
        """Antal platser is open only for a Grupptid activity in an Arbetskopia."""
        choice = self.activities.get(str(self.rows.value("activity_code")).strip().upper())
        editable = self.record is not None and self.record.editable
        self.seats.allow(choice.activity_type if choice else None, editable=editable)

    @on(DataTable.RowSelected, "#dagvy")
    def _pick_row(self, event: DataTable.RowSelected) -> None:
        row_id_text = str(event.row_key.value).split(":", 1)[1]
        record = self.record
        if not row_id_text or record is None:
            return
        row = next((r for r in record.rows if r.id == int(row_id_text)), None)
        if row is not None:
            self._load_row(row, editable=record.editable)

    def _load_row(self, row: RowRecord, *, editable: bool) -> None:
        self.row_id = row.id
        self.rows.load(row)
        self.seats.load(row.seats, row.activity_type, editable=editable)
        start, end = format_time(row.start), format_time(row.end)
        self.query_one("#radlage", Label).update(CHANGING.format(start=start, end=end))
        if editable:
            self.query_one("#aktivitet").focus()

    def action_ny_rad(self) -> None:
        self.row_id = None
        self.rows.load(None)
        self.seats.load(1, None, editable=False)
        self.query_one("#radlage", Label).update(ADDING)

    # -- writes: one core call each ------------------------------------------------------------

    def _template_id(self) -> int | None:
        record = self.record
        return record.template_id if record and self.current_id() is not None else None

    def _write(self, work: Any, *, new_row: bool = True, focus: str = "") -> None:
        def done(result: TemplateResult) -> None:
            if new_row:
                self.action_ny_rad()
            self._show(result, keep_row=True)
            self.overview.load()
            if focus:
                self.query_one(focus).focus()

        self.clear_errors()
        self.run_db(work, done, group=None)

    def action_spara_grund(self) -> None:
        form = self.basics.to_model(dt_core.BasicsForm, code=self.code_text())
        version_id = self.current_id()
        self._write(
            lambda ctx: save_template_basics(ctx=ctx, form=form, version_id=version_id),
            new_row=False,
            focus="#aktivitet",
        )

    def action_spara(self) -> None:
        form = self.rows.to_model(dt_core.RowForm, seats=self.seats.to_form())
        version_id, row_id = self.current_id(), self.row_id
        self._write(
            lambda ctx: save_template_row(ctx=ctx, version_id=version_id, form=form, row_id=row_id),
            focus="#aktivitet",
        )

    def action_ta_bort_rad(self) -> None:
        version_id, row_id = self.current_id(), self.row_id
        self._write(lambda ctx: delete_template_row(ctx=ctx, version_id=version_id, row_id=row_id))

    @work(exclusive=True, group="fraga")
    async def action_ta_bort_alla(self) -> None:
        version_id = self.current_id()
        if await self.confirm("Ta bort alla aktiviteter ur arbetskopian?"):
            self._write(lambda ctx: delete_all_template_rows(ctx=ctx, version_id=version_id))

    def action_publicera(self) -> None:
        version_id = self.current_id()
        self._write(lambda ctx: publish_template(ctx=ctx, version_id=version_id), new_row=False)

    def action_ny_kopia(self) -> None:
        template_id = self._template_id()

        def done(result: TemplateResult) -> None:
            self._show(result)
            self.overview.load()
            self.query_one("#namn").focus()

        self.clear_errors()
        self.run_db(
            lambda ctx: new_template_copy(ctx=ctx, template_id=template_id), done, group=None
        )

    @work(exclusive=True, group="fraga")
    async def action_borttag(self) -> None:
        template_id, code = self._template_id(), self.loaded_code
        question = f"Ta bort dagmallen {code} med alla versioner?"
        if template_id is not None and not await self.confirm(question):
            return
        self._write(
            lambda ctx: delete_template_record(ctx=ctx, template_id=template_id, code=code),
            new_row=False,
        )
