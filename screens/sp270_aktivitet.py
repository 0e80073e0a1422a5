"""SP 270 Schemaläggning - Aktivitet: 1 Översikt and 2 Registrering (seed 3.2, 3.2.1)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select, TabbedContent, TabPane

from pasis_tui.core import models
from pasis_tui.core.activities import (
    ActivityForm,
    delete_activity,
    list_activities,
    read_activity,
    save_activity,
)
from pasis_tui.core.booking_types import list_booking_types
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import format_date, format_stamp
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.inputs import CodeInput, DateInput, Stamps
from screens.modals import ConfirmModal
from screens.sp270_common import SP270_CSS, Sp270Screen, SwitchLine, field

HELP = """\
**Aktivitet (SP 270).** Det finns sju **generella aktiviteter** som alla enheter kan använda; de
kan inte ändras av enheten. Enheten kan skapa egna aktiviteter för att skilja tider som erbjuds
för öppen kallelse (ÖK) från andra tider i tidboken.

- **1 Översikt** (Alt+1): enhetens och de generella aktiviteterna. Filtrera med **Sök** och
  **Aktivitetstyp**; **Enter** på en rad öppnar den i Registrering.
- **2 Registrering** (Alt+2): skriv en kod (högst 4 tecken, bokstäver inkl. ÅÄÖ och siffror) och
  tryck **Läs** (Alt+L eller Enter). Finns koden inte blir det *Nyuppläggning*.
- Ange **Namn** och **Aktivitetstyp**. Vid öppen kallelse måste aktivitetstypen vara *Bokningsbar
  tid*, *Grupptid* eller *Telefontid*.
- **Gäller from / tom** är inte obligatoriska: tomt blir 2000-01-01 och 2099-12-31.
- **Tidbokstyp** (valfri) kopplar aktiviteten till en PMO-tidbokstyp på 1177.
- **Spara** (Alt+S), **Läs** (Alt+L), **Borttag** (Alt+B). Borttag nekas så länge en dagmall,
  ett lagt schema eller en bevakning använder aktiviteten.
- **F2** byter mellan Aktivitet och Dagmallar.
"""

ALL = "alla"
NEW = "Nyuppläggning"
GENERAL = "Generell aktivitet – kan inte ändras"
W = 16


class ActivityScreen(Sp270Screen):
    HELP = HELP
    CSS_PATH = "sp270.tcss"
    PART = "270"
    OTHER = ("270d", "Dagmallar")
    DEFAULT_CSS = (
        SP270_CSS
        + """
    #aktivitet { width: 6; }
    #namn { width: 44; }
    #aktivitetstyp { width: 30; }
    #kontakttyp { width: 24; }
    #tidbokstyp { width: 60; }
    """
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.activity_id: int | None = None
        self.loaded_code = ""
        self.general = False
        self.listed_query: tuple[str, str] | None = None

    # -- compose -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield SwitchLine(self.PART)
        with TabbedContent(initial="oversikt"):
            with TabPane("1 Översikt", id="oversikt"):
                with Horizontal(classes="sp270_filter"):
                    yield field("Sök", Input(id="sok", placeholder="kod eller namn", max_length=40))
                    options = [(t.value, t.value) for t in models.ActivityType]
                    yield field(
                        "Aktivitetstyp",
                        Select([("Alla", ALL), *options], id="typ_filter", allow_blank=False),
                    )
                yield Label("", id="antal", classes="sp270_antal")
                yield DataTable(cursor_type="row", id="aktiviteter", zebra_stripes=True)
            with TabPane("2 Registrering", id="registrering"):
                yield from self._compose_form()

    def _compose_form(self) -> ComposeResult:
        types = [(t.value, t.value) for t in models.ActivityType]
        contacts = [
            (f"{c.value} {models.CONTACT_TYPE_NAMES[c]}", c.value) for c in models.ContactType
        ]
        with Vertical(id="registrering_form", classes="sp270_form"):
            with Horizontal(classes="sp270_rad"):
                yield Label(f"ENHET  {self._unit_label()}", id="enhet", classes="sp270_enhet")
                yield field("AKTIVITET", CodeInput(id="aktivitet"))
                yield Label("", id="lage", classes="sp270_status")
            with Horizontal(classes="sp270_rad"):
                yield field("Namn", Input(id="namn", max_length=40), required=True, width=W)
            with Horizontal(classes="sp270_rad"):
                yield field(
                    "Aktivitetstyp",
                    Select(types, id="aktivitetstyp", prompt="Välj"),
                    required=True,
                    width=W,
                )
                yield field("Kontakttyp", Select(contacts, id="kontakttyp", prompt=" "))
            with Horizontal(classes="sp270_rad"):
                yield field("Gäller from", DateInput(id="galler_from"), required=True, width=W)
                yield field("Gäller tom", DateInput(id="galler_tom"), required=True)
            with Horizontal(classes="sp270_rad"):
                tidbokstyp: Select[int] = Select([], id="tidbokstyp", prompt="(ingen)")
                yield field("Tidbokstyp", tidbokstyp, width=W)
            yield Stamps("", id="stamps")
            with Horizontal(classes="sp270_knappar"):
                yield PasisButton("Spara", "s")
                yield PasisButton("Läs", "l")
                yield PasisButton("Borttag", "b")

    def _unit_label(self) -> str:
        ctx = self.host.ctx
        return ctx.unit.label if ctx else ""

    def on_mount(self) -> None:
        table = self.query_one("#aktiviteter", DataTable)
        table.add_columns(
            "Kod", "Namn", "Aktivitetstyp", "Kontakttyp", "Gäller from", "Gäller tom", "Enhet"
        )

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")

        def work(ctx: WorkContext) -> list[tuple[str, int]]:
            with ctx.read() as session:
                return [(b.name, b.id or 0) for b in list_booking_types(session)]

        self.run_db(
            work,
            lambda options: self.query_one("#tidbokstyp", Select).set_options(options),
            group="pmo",
        )

    def on_open(self) -> None:
        self._load_list()

    # -- 1 Översikt ----------------------------------------------------------------------------

    @on(Input.Changed, "#sok")
    @on(Select.Changed, "#typ_filter")
    def _filter(self) -> None:
        if self.host.ctx is not None and self._list_query() != self.listed_query:
            self.debounce("lista", self._load_list)

    def _list_query(self) -> tuple[str, str]:
        return self.text("sok"), self.choice("typ_filter")

    def _load_list(self) -> None:
        self.cancel_debounce("lista")
        text, kind = self.listed_query = self._list_query()
        unit_id = self.ctx.unit.id

        def work(ctx: WorkContext) -> list[models.Activity]:
            with ctx.read() as session:
                return list_activities(
                    session, unit_id=unit_id, text=text, activity_type="" if kind == ALL else kind
                )

        self.run_db(work, self._show_list, group="lista")

    def _show_list(self, rows: list[models.Activity]) -> None:
        table = self.query_one("#aktiviteter", DataTable)
        table.clear()
        for row in rows:
            table.add_row(
                row.code,
                row.name,
                row.activity_type,
                row.contact_type or "",
                format_date(row.valid_from),
                format_date(row.valid_to),
                "Generell" if row.unit_id is None else self.ctx.unit.code,
                key=str(row.id),
            )
        self.query_one("#antal", Label).update(f"{len(rows)} aktiviteter")

    @on(DataTable.RowSelected, "#aktiviteter")
    def _open_row(self, event: DataTable.RowSelected) -> None:
        code = str(event.data_table.get_row(event.row_key)[0])
        self.set_text("aktivitet", code)
        self.query_one(TabbedContent).active = "registrering"
        self._read()
        self.query_one("#namn", Input).focus()

    # -- 2 Registrering ------------------------------------------------------------------------

    def on_button_pressed(self, event: PasisButton.Pressed) -> None:
        actions = {"spara": self._save, "las": self._read, "borttag": self._delete}
        if event.button.id in actions:
            event.stop()
            actions[event.button.id]()

    @on(Input.Submitted, "#aktivitet")
    def _code_entered(self) -> None:
        self._read()

    def _read(self) -> None:
        self.clear_errors()
        code = self.text("aktivitet")
        unit_id = self.ctx.unit.id

        def work(ctx: WorkContext) -> tuple[str, models.Activity | None]:
            with ctx.read() as session:
                from pasis_tui.core.parse import parse_code

                return parse_code(code, field="aktivitet"), read_activity(
                    session, unit_id=unit_id, code=code
                )

        def done(result: tuple[str, models.Activity | None]) -> None:
            self._show_activity(result)
            self.query_one("#aktivitet" if self.general else "#namn").focus()

        self.run_db(work, done)

    def _show_activity(self, result: tuple[str, models.Activity | None]) -> None:
        code, activity = result
        self.set_text("aktivitet", code)
        self.loaded_code = code
        self.activity_id = activity.id if activity else None
        self.general = bool(activity and activity.unit_id is None)
        self.set_text("namn", activity.name if activity else "")
        self.set_choice("aktivitetstyp", activity.activity_type if activity else None)
        self.set_choice("kontakttyp", activity.contact_type if activity else None)
        self.set_text("galler_from", format_date(activity.valid_from) if activity else "")
        self.set_text("galler_tom", format_date(activity.valid_to) if activity else "")
        self.set_choice("tidbokstyp", activity.booking_type_id if activity else None)
        stamps = self.query_one("#stamps", Stamps)
        if activity:
            stamps.show_stamps(
                format_stamp(activity.created_at, activity.created_by),
                format_stamp(activity.updated_at, activity.updated_by),
            )
        else:
            stamps.show_stamps("", "")
        self.query_one("#lage", Label).update(GENERAL if self.general else "" if activity else NEW)
        for widget_id in (
            "namn",
            "aktivitetstyp",
            "kontakttyp",
            "galler_from",
            "galler_tom",
            "tidbokstyp",
        ):
            self.query_one(f"#{widget_id}").disabled = self.general
        self.status(f"Aktiviteten {code} är läst" if activity else f"{code}: {NEW}")

    def _form(self) -> ActivityForm:
        booking = self.choice("tidbokstyp")
        return ActivityForm(
            code=self.text("aktivitet"),
            name=self.text("namn"),
            activity_type=self.choice("aktivitetstyp"),
            contact_type=self.choice("kontakttyp"),
            valid_from=self.text("galler_from"),
            valid_to=self.text("galler_tom"),
            booking_type_id=int(booking) if booking else None,
        )

    def _current_id(self) -> int | None:
        """The read activity, unless the code was changed since (then Spara creates)."""
        typed = self.text("aktivitet").strip().upper()
        return self.activity_id if typed and typed == self.loaded_code else None

    def _save(self) -> None:
        self.clear_errors()
        form, activity_id, unit_id = self._form(), self._current_id(), self.ctx.unit.id

        def work(ctx: WorkContext) -> models.Activity:
            with ctx.write() as session:
                return save_activity(session, unit_id=unit_id, form=form, activity_id=activity_id)

        def done(activity: models.Activity) -> None:
            self._show_activity((activity.code, activity))
            self.status(f"Aktiviteten {activity.code} är sparad")
            self._load_list()

        self.run_db(work, done)

    def _delete(self) -> None:
        self.clear_errors()
        activity_id, unit_id = self._current_id(), self.ctx.unit.id
        if activity_id is None:
            self.show_error(
                PasisError("Läs först fram aktiviteten som ska tas bort", field="aktivitet")
            )
            return
        code = self.loaded_code

        def work(ctx: WorkContext) -> None:
            with ctx.write() as session:
                delete_activity(session, unit_id=unit_id, activity_id=activity_id)

        def done(_: None) -> None:
            self._show_activity((code, None))
            self.status(f"Aktiviteten {code} är borttagen")
            self._load_list()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_db(work, done)

        self.app.push_screen(ConfirmModal(f"Ta bort aktiviteten {code}?"), confirmed)
