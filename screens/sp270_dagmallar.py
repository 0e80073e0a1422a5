"""SP 270 Schemaläggning - Dagmallar: Översikt, and Registrering with Grundinformation, the
'Lägg till/Ändra aktivitet' block and the day view (seed 3.1, 3.3)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, TabbedContent, TabPane

from pasis_tui.core import day_templates as dt_core
from pasis_tui.core.activities import list_activities
from pasis_tui.core.context import WorkContext
from pasis_tui.core.day_view import RESOLUTIONS, day_view
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import format_date, format_stamp, format_time, parse_code
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.inputs import CodeInput, DateInput, Stamps, TimeInput
from screens.modals import ConfirmModal
from screens.sp270_common import SP270_CSS, OldSp270Screen, SwitchLine, field
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

ALL = "alla"
NEW = "Nyuppläggning"
ADDING = "Tillägg av aktivitet"
READ_ONLY = "Publicerad version kan inte ändras – Skapa ny arbetskopia (Alt+K)."
CHANGING = "Ändring av aktivitet {start}–{end}"
W = 14
BASICS = ("namn", "fast_oppen", "antal_overbokningar", "from_datum", "tom_datum", "from_kl")
ROW_FIELDS = ("aktivitet", "starttid", "sluttid", "besokslangd", "orsak", "niva_1177")
WORK_BUTTONS = (
    "spara_aktivitet",
    "ny_aktivitet",
    "ta_bort_aktivitet",
    "ta_bort_alla_aktiviteter",
    "publicera",
)


class DayTemplateScreen(OldSp270Screen):
    HELP = HELP + SEATS_HELP
    CSS_PATH = "sp270.tcss"
    PART = "270d"
    OTHER = ("270", "Aktivitet")
    CODE_FIELD = "dagmall"
    LIST = "dagmallar"
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "template_code": "dagmall", "name": "namn", "overbookings": "antal_overbokningar",
        "valid_from": "from_datum", "valid_to": "tom_datum", "from_time": "from_kl",
        "resolution": "upplosning", "activity_code": "aktivitet", "start_time": "starttid",
        "end_time": "sluttid", "visit_length": "besokslangd", "reason": "orsak",
        "level_1177": "niva_1177", "seats": "antal_platser",
    }  # fmt: skip
    DEFAULT_CSS = (
        SP270_CSS
        + """
    #registrering_ram { height: 1fr; }
    #mallform { width: 80; height: auto; }
    #dagvy_ram { width: 1fr; height: 1fr; border-left: solid $primary; padding: 0 1; }
    #dagvy { height: 1fr; }
    #namn { width: 42; }
    #fast_oppen { width: 14; }
    #antal_overbokningar { width: 9; }
    #upplosning { width: 20; }
    #besokslangd { width: 27; }
    #orsak { width: 40; }
    #niva_1177 { width: 32; }
    #aktivitetstyp { width: 44; color: $text-muted; }
    #radlage { margin: 1 0 0 2; color: $text-muted; }
    .sp270_rubrikrad { height: auto; }
    #radblock { height: auto; }
    #skrivskyddad { margin: 1 0 0 1; color: $text-muted; }
    """
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.view: dt_core.TemplateView | None = None
        self.row_id: int | None = None
        self.activity_names: dict[str, str] = {}
        self.activity_types: dict[str, str] = {}
        self.listed_query: tuple[str, str] | None = None

    # -- compose -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield SwitchLine(self.PART)
        with TabbedContent(initial="oversikt"):
            with TabPane("1 Översikt", id="oversikt"):
                with Horizontal(classes="sp270_filter"):
                    yield field("Sök", Input(id="sok", placeholder="kod eller namn", max_length=40))
                    statuses = [("Alla", ALL), ("Arbetskopia", "Arbetskopia")]
                    statuses.append(("Publicerad", "Publicerad"))
                    yield field("Status", Select(statuses, id="status_filter", allow_blank=False))
                yield Label("", id="antal", classes="sp270_antal")
                yield DataTable(cursor_type="row", id="dagmallar", zebra_stripes=True)
            with TabPane("2 Registrering", id="registrering"):
                with Horizontal(id="registrering_ram"):
                    with Vertical(id="mallform", classes="sp270_form"):
                        yield from self._compose_basics()
                        yield Label(READ_ONLY, id="skrivskyddad")
                        with Vertical(id="radblock"):
                            yield from self._compose_row()
                    with Vertical(id="dagvy_ram"):
                        yield Label("Dagvy", classes="sp270_rubrik")
                        yield DataTable(cursor_type="row", id="dagvy", show_header=False)

    def _compose_basics(self) -> ComposeResult:
        with Horizontal(classes="sp270_rad"):
            yield Label("ENHET", id="enhet", classes="sp270_enhet")
            yield field("DAGMALL", CodeInput(id="dagmall"))
            yield Label("", id="mallstatus", classes="sp270_status")
        yield Label("Grundinformation", classes="sp270_rubrik")
        yield field("Namn", Input(id="namn", max_length=40), required=True, width=W)
        with Horizontal(classes="sp270_rad"):
            kinds = [("Fast", True), ("Öppen", False)]
            yield field("Fast/Öppen", Select(kinds, id="fast_oppen", allow_blank=False), width=W)
            yield field("Antal överbokningar", Input(id="antal_overbokningar", placeholder="999"))
        with Horizontal(classes="sp270_rad"):
            yield field("From datum", DateInput(id="from_datum", placeholder="2000-01-01"), width=W)
            yield field("Tom datum", DateInput(id="tom_datum", placeholder="2099-12-31"))
        with Horizontal(classes="sp270_rad"):
            resolutions = [(name, name) for name in RESOLUTIONS]
            upplosning = Select(
                resolutions, id="upplosning", allow_blank=False, value="näst högsta"
            )
            yield field("Upplösning", upplosning, width=W)
            yield field("From kl", TimeInput(id="from_kl", placeholder="08:00"))
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Spara grundinformation", "g")
            yield PasisButton("Skapa ny arbetskopia", "k", classes="-dold")
            yield PasisButton("Läs annan", "l")
            yield PasisButton("Ta bort Dagmall", "t")
            yield PasisButton("Publicera", "p")
        yield Stamps("", id="stamps")

    def _compose_row(self) -> ComposeResult:
        with Horizontal(classes="sp270_rubrikrad"):
            yield Label("Lägg till/Ändra aktivitet", classes="sp270_rubrik")
            yield Label(ADDING, id="radlage")
        with Horizontal(classes="sp270_rad"):
            yield field("Aktivitet", CodeInput(id="aktivitet"), required=True, width=W)
            yield Label("", id="aktivitetstyp")
        with Horizontal(classes="sp270_rad"):
            yield field("Starttid", TimeInput(id="starttid"), required=True, width=W)
            yield field("Sluttid", TimeInput(id="sluttid"), required=True)
        with Horizontal(classes="sp270_rad"):
            length = Input(id="besokslangd", placeholder="Från starttid till sluttid", max_length=4)
            yield field("Besökslängd", length, width=W)
            yield Label("min", classes="hint")
            yield GroupSeatsField()
        with Horizontal(classes="sp270_rad"):
            yield field("Orsak", Input(id="orsak", max_length=40), width=W)
        with Horizontal(classes="sp270_rad"):
            levels = [(text, str(level)) for level, text in dt_core.LEVELS.items()]
            niva = Select(levels, id="niva_1177", allow_blank=False, value="0")
            yield field("1177-nivå", niva, width=W)
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Spara aktivitet", "s")
            yield PasisButton("Ny aktivitet", "n")
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Ta bort aktivitet", "a")
            yield PasisButton("Ta bort alla aktiviteter", "o")

    def on_mount(self) -> None:
        table = self.query_one("#dagmallar", DataTable)
        table.add_columns("Kod", "Namn", "Status", "Version", "Fast/Öppen", "From datum")
        table.add_columns("Tom datum", "Aktiviteter")
        self.query_one("#dagvy", DataTable).add_columns("Tid", "Pass")
        self._show_view(None, "")

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")

    def on_open(self) -> None:  # also back from Aktivitet: new activities, fresh list
        self._load_list()
        self._load_names()

    def _load_names(self) -> None:
        unit_id = self.ctx.unit.id

        def work(ctx: WorkContext) -> dict[str, tuple[str, str]]:
            with ctx.read() as session:
                activities = list_activities(session, unit_id=unit_id, limit=1000)
                return {a.code: (a.name, a.activity_type) for a in activities}

        def done(found: dict[str, tuple[str, str]]) -> None:
            self.activity_names = {code: f"{n} · {kind}" for code, (n, kind) in found.items()}
            self.activity_types = {code: kind for code, (_, kind) in found.items()}
            self._allow_seats()

        self.run_db(work, done, group="namn")

    # -- 1 Översikt ----------------------------------------------------------------------------

    @on(Input.Changed, "#sok")
    @on(Select.Changed, "#status_filter")
    def _filter(self) -> None:
        if self.host.ctx is not None and self._list_query() != self.listed_query:
            self.debounce("lista", self._load_list)

    def _list_query(self) -> tuple[str, str]:
        return self.text("sok"), self.choice("status_filter")

    def _load_list(self) -> None:
        self.cancel_debounce("lista")
        text, status = self.listed_query = self._list_query()
        unit_id = self.ctx.unit.id

        def work(ctx: WorkContext) -> list[dt_core.TemplateLine]:
            with ctx.read() as session:
                return dt_core.list_templates(
                    session, unit_id=unit_id, text=text, status="" if status == ALL else status
                )

        self.run_db(work, self._show_list, group="lista")

    def _show_list(self, lines: list[dt_core.TemplateLine]) -> None:
        table = self.query_one("#dagmallar", DataTable)
        table.clear()
        for line in lines:
            table.add_row(
                line.code,
                line.name,
                line.status,
                str(line.version_no),
                "Fast" if line.fixed else "Öppen",
                format_date(line.valid_from),
                format_date(line.valid_to),
                str(line.rows),
                key=str(line.version_id),
            )
        self.query_one("#antal", Label).update(f"{len(lines)} dagmallar")

    @on(DataTable.RowSelected, "#dagmallar")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        version_id = int(str(event.row_key.value))
        self.query_one(TabbedContent).active = "registrering"

        def work(ctx: WorkContext) -> dt_core.TemplateView:
            with ctx.read() as session:
                return dt_core.load_version(session, version_id=version_id)

        def done(view: dt_core.TemplateView) -> None:
            self._show_view(view, view.template.code)
            self._focus_after_read()

        self.run_db(work, done)

    # -- Registrering: reading and showing -----------------------------------------------------

    def on_button_pressed(self, event: PasisButton.Pressed) -> None:
        actions = {
            "spara_grundinformation": self._save_basics,
            "skapa_ny_arbetskopia": self._new_copy,
            "las_annan": self._read,
            "ta_bort_dagmall": self._delete_template,
            "publicera": self._publish,
            "spara_aktivitet": self._save_row,
            "ny_aktivitet": self._new_row,
            "ta_bort_aktivitet": self._delete_row,
            "ta_bort_alla_aktiviteter": self._delete_all_rows,
        }
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    @on(Input.Submitted, "#dagmall")
    def _code_entered(self) -> None:
        self._read()

    def _read(self) -> None:
        self.clear_errors()
        code, unit_id = self.text("dagmall"), self.ctx.unit.id

        def work(ctx: WorkContext) -> tuple[dt_core.TemplateView | None, str]:
            with ctx.read() as session:
                normal = parse_code(code, field="dagmall")
                return dt_core.read_template(session, unit_id=unit_id, code=normal), normal

        def done(result: tuple[dt_core.TemplateView | None, str]) -> None:
            view, normal = result
            self._show_view(view, normal)
            self.status(f"Dagmallen {normal} är läst" if view else f"{normal}: {NEW}")
            self._focus_after_read()

        self.run_db(work, done)

    def _focus_after_read(self) -> None:
        """New code: Namn; an Arbetskopia: the row block; a published version: the code."""
        view = self.view
        target = "#namn" if view is None else "#aktivitet" if view.editable else "#dagmall"
        self.query_one(target).focus()

    def _reload(self, message: str) -> None:
        view = self.view
        if view is None or view.version.id is None:
            return
        version_id = view.version.id

        def work(ctx: WorkContext) -> dt_core.TemplateView:
            with ctx.read() as session:
                return dt_core.load_version(session, version_id=version_id)

        def done(fresh: dt_core.TemplateView) -> None:
            self._show_view(fresh, fresh.template.code, keep_row_form=True)
            self.status(message)
            self._load_list()

        self.run_db(work, done)

    def _show_view(
        self, view: dt_core.TemplateView | None, code: str, *, keep_row_form: bool = False
    ) -> None:
        self.view = view
        self.set_text("dagmall", code)
        version = view.version if view else None
        self.query_one("#mallstatus", Label).update(
            version.status if version else (NEW if code else "")
        )
        self.set_text("namn", version.name if version else "")
        self.query_one("#fast_oppen", Select).value = version.fixed if version else True
        self.set_text("antal_overbokningar", str(version.overbookings) if version else "")
        self.set_text("from_datum", format_date(version.valid_from) if version else "")
        self.set_text("tom_datum", format_date(version.valid_to) if version else "")
        self.query_one("#upplosning", Select).value = (
            version.resolution if version else "näst högsta"
        )
        self.set_text("from_kl", format_time(version.from_time) if version else "")
        stamps = self.query_one("#stamps", Stamps)
        if version:
            stamps.show_stamps(
                format_stamp(version.created_at, version.created_by),
                format_stamp(version.updated_at, version.updated_by),
            )
        else:
            stamps.show_stamps("", "")
        editable = view is None or view.editable
        for widget_id in BASICS:
            self.query_one(f"#{widget_id}").disabled = not editable
        for widget_id in ROW_FIELDS:
            self.query_one(f"#{widget_id}").disabled = view is None or not view.editable
        self._allow_seats()
        for widget_id in WORK_BUTTONS:
            self.query_one(f"#{widget_id}").set_class(view is None or not view.editable, "-dold")
        self.query_one("#spara_grundinformation").set_class(not editable, "-dold")
        self.query_one("#skapa_ny_arbetskopia").set_class(editable, "-dold")
        self.query_one("#ta_bort_dagmall").set_class(view is None, "-dold")
        self.query_one("#radblock").display = view is None or view.editable
        self.query_one("#skrivskyddad").display = view is not None and not view.editable
        if not keep_row_form:
            self._new_row()
        self._draw_day()

    def _draw_day(self) -> None:
        table = self.query_one("#dagvy", DataTable)
        table.clear()
        view = self.view
        resolution = self.choice("upplosning") or "näst högsta"
        if view is None:
            return
        names = {r.activity.id or 0: r.activity.name for r in view.rows}
        lines = day_view(
            from_time=view.version.from_time,
            resolution=resolution,
            slots=view.pattern(),
            names=names,
        )
        for index, line in enumerate(lines):
            row_id = self._row_of(line.slot.start) if line.slot else None
            key = f"{index}:{row_id or ''}"
            table.add_row(line.axis, line.text, key=key)

    def _row_of(self, start: object) -> int | None:
        for row_view in self.view.rows if self.view else []:
            if row_view.row.start_time <= start < row_view.row.end_time:  # type: ignore[operator]
                return row_view.row.id
        return None

    @on(Select.Changed, "#upplosning")
    def _resolution_changed(self) -> None:
        self._draw_day()  # Upplösning changes the view at once; saved with Grundinformation

    # -- Lägg till/Ändra aktivitet -------------------------------------------------------------

    @on(Input.Changed, "#aktivitet")
    def _activity_typed(self, event: Input.Changed) -> None:
        code = event.value.strip().upper()
        self.query_one("#aktivitetstyp", Label).update(self.activity_names.get(code, ""))
        self._allow_seats()

    def _allow_seats(self) -> None:
        """Antal platser is open only for a Grupptid activity in an Arbetskopia."""
        kind = self.activity_types.get(self.text("aktivitet").strip().upper())
        editable = self.view is not None and self.view.editable
        self.query_one(GroupSeatsField).allow(kind, editable=editable)

    @on(DataTable.RowSelected, "#dagvy")
    def _pick_row(self, event: DataTable.RowSelected) -> None:
        row_id_text = str(event.row_key.value).split(":", 1)[1]
        if not row_id_text or self.view is None:
            return
        found = [r for r in self.view.rows if r.row.id == int(row_id_text)]
        if not found:
            return
        row, activity = found[0].row, found[0].activity
        self.row_id = row.id
        self.set_text("aktivitet", activity.code)
        self.set_text("starttid", format_time(row.start_time))
        self.set_text("sluttid", format_time(row.end_time))
        self.set_text("besokslangd", str(row.visit_length_min or ""))
        self.set_text("orsak", row.reason)
        self.query_one("#niva_1177", Select).value = str(row.level_1177)
        seats = self.query_one(GroupSeatsField)
        seats.load(row.seats, activity.activity_type, editable=self.view.editable)
        start, end = format_time(row.start_time), format_time(row.end_time)
        self.query_one("#radlage", Label).update(CHANGING.format(start=start, end=end))
        if self.view.editable:
            self.query_one("#aktivitet").focus()

    def _new_row(self) -> None:
        self.row_id = None
        for widget_id in ("aktivitet", "starttid", "sluttid", "besokslangd", "orsak"):
            self.set_text(widget_id, "")
        self.query_one("#niva_1177", Select).value = "0"
        self.query_one(GroupSeatsField).load(1, None, editable=False)
        self.query_one("#radlage", Label).update(ADDING)

    # -- writes --------------------------------------------------------------------------------

    def _version_id(self) -> int | None:
        """The version on screen, unless the code was changed since it was read."""
        view = self.view
        typed = self.text("dagmall").strip().upper()
        if view is None or typed != view.template.code:
            return None
        return view.version.id

    def _save_basics(self) -> None:
        self.clear_errors()
        form = dt_core.BasicsForm(
            code=self.text("dagmall"),
            name=self.text("namn"),
            fixed=bool(self.query_one("#fast_oppen", Select).value),
            overbookings=self.text("antal_overbokningar"),
            valid_from=self.text("from_datum"),
            valid_to=self.text("tom_datum"),
            resolution=self.choice("upplosning"),
            from_time=self.text("from_kl"),
        )
        version_id, unit_id = self._version_id(), self.ctx.unit.id

        def work(ctx: WorkContext) -> dt_core.TemplateView:
            with ctx.write() as session:
                saved = dt_core.save_basics(
                    session, unit_id=unit_id, form=form, version_id=version_id
                )
                assert saved.id is not None
                return dt_core.load_version(session, version_id=saved.id)

        def done(view: dt_core.TemplateView) -> None:
            self._show_view(view, view.template.code, keep_row_form=True)
            self.status(f"Grundinformationen för {view.template.code} är sparad")
            self._load_list()
            self.query_one("#aktivitet").focus()

        self.run_db(work, done)

    def _needs_view(self) -> int | None:
        version_id = self._version_id()
        if version_id is None:
            self.show_error(PasisError("Läs först fram dagmallen (Läs annan)", field="dagmall"))
        return version_id

    def _save_row(self) -> None:
        self.clear_errors()
        version_id = self._needs_view()
        if version_id is None:
            return
        form = dt_core.RowForm(
            activity_code=self.text("aktivitet"),
            start=self.text("starttid"),
            end=self.text("sluttid"),
            visit_length=self.text("besokslangd"),
            reason=self.text("orsak"),
            level=self.choice("niva_1177"),
            seats=self.query_one(GroupSeatsField).to_form(),
        )
        row_id = self.row_id

        def work(ctx: WorkContext) -> None:
            with ctx.write() as session:
                dt_core.save_row(session, version_id=version_id, form=form, row_id=row_id)

        def done(_: None) -> None:
            self._new_row()
            self._reload(f"Aktiviteten {form.activity_code.upper()} är sparad i dagmallen")
            self.query_one("#aktivitet").focus()

        self.run_db(work, done)

    def _delete_row(self) -> None:
        self.clear_errors()
        version_id = self._needs_view()
        if version_id is None:
            return
        row_id = self.row_id
        if row_id is None:
            self.show_error(PasisError("Välj en tid i dagvyn (Enter) först", field="dagvy"))
            return

        def work(ctx: WorkContext) -> None:
            with ctx.write() as session:
                dt_core.delete_row(session, version_id=version_id, row_id=row_id)

        def done(_: None) -> None:
            self._new_row()
            self._reload("Aktiviteten är borttagen ur dagmallen")

        self.run_db(work, done)

    def _delete_all_rows(self) -> None:
        self.clear_errors()
        version_id = self._needs_view()
        if version_id is None:
            return

        def work(ctx: WorkContext) -> int:
            with ctx.write() as session:
                return dt_core.delete_all_rows(session, version_id=version_id)

        def done(count: int) -> None:
            self._new_row()
            self._reload(f"{count} aktiviteter är borttagna ur dagmallen")

        self._confirm("Ta bort alla aktiviteter ur arbetskopian?", lambda: self.run_db(work, done))

    def _publish(self) -> None:
        self.clear_errors()
        version_id = self._needs_view()
        if version_id is None:
            return

        def work(ctx: WorkContext) -> None:
            with ctx.write() as session:
                dt_core.publish(session, version_id=version_id)

        code = self.view.template.code if self.view else ""
        self.run_db(work, lambda _: self._reload(f"Dagmallen {code} är publicerad"))

    def _new_copy(self) -> None:
        self.clear_errors()
        view = self.view
        if view is None or self._version_id() is None or view.template.id is None:
            self.show_error(PasisError("Läs först fram dagmallen (Läs annan)", field="dagmall"))
            return
        template_id = view.template.id

        def work(ctx: WorkContext) -> dt_core.TemplateView:
            with ctx.write() as session:
                copy = dt_core.new_working_copy(session, template_id=template_id)
                assert copy.id is not None
                return dt_core.load_version(session, version_id=copy.id)

        def done(fresh: dt_core.TemplateView) -> None:
            self._show_view(fresh, fresh.template.code)
            self.status(
                f"Ny arbetskopia av {fresh.template.code} (version {fresh.version.version_no})"
            )
            self._load_list()
            self.query_one("#namn").focus()

        self.run_db(work, done)

    def _delete_template(self) -> None:
        self.clear_errors()
        view = self.view
        if view is None or self._version_id() is None or view.template.id is None:
            self.show_error(PasisError("Läs först fram dagmallen (Läs annan)", field="dagmall"))
            return
        template_id, code = view.template.id, view.template.code

        def work(ctx: WorkContext) -> None:
            with ctx.write() as session:
                dt_core.delete_template(session, template_id=template_id)

        def done(_: None) -> None:
            self._show_view(None, code)
            self.status(f"Dagmallen {code} är borttagen")
            self._load_list()

        self._confirm(
            f"Ta bort dagmallen {code} med alla versioner?", lambda: self.run_db(work, done)
        )

    def _confirm(self, question: str, then: object) -> None:
        def answered(yes: bool | None) -> None:
            if yes and callable(then):
                then()

        self.app.push_screen(ConfirmModal(question), answered)
