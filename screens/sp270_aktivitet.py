"""SP 270 Schemaläggning - Aktivitet: 1 Översikt and 2 Registrering (seed 3.2, 3.2.1)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal

from pasis_tui.core.activities import ActivityForm
from pasis_tui.core.activity_cases import (
    CONTACT_CHOICES,
    READ_FIRST,
    TYPE_CHOICES,
    ActivityLine,
    ActivityResult,
    activity_page,
    booking_type_options,
    delete_activity_record,
    read_activity_record,
    save_activity_record,
)
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import format_date
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.inputs import Stamps
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.register import code_row, register_bindings
from screens.sp270_common import SP270_CSS, Sp270Screen

HELP = """\
**Aktivitet (SP 270).** Det finns sju **generella aktiviteter** som alla enheter kan använda; de
kan inte ändras av enheten. Enheten kan skapa egna aktiviteter för att skilja tider som erbjuds
för öppen kallelse (ÖK) från andra tider i tidboken.

- **1 Översikt** (Alt+1): enhetens och de generella aktiviteterna. Filtrera med **Sök** och
  **Aktivitetstyp**; **Enter** på en rad öppnar den i Registrering. **PgUp/PgDn** bläddrar.
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

TYPES = TYPE_CHOICES
CONTACTS = CONTACT_CHOICES
W = 16


class ActivityList(OverviewList):
    NOUN = "aktiviteter"
    SINGULAR = "aktivitet"
    FILTERS = (
        FormField("Sök", "sok", "text", placeholder="kod eller namn"),
        FormField(
            "Aktivitetstyp", "typ_filter", "activity_type", kind="select",
            options=(("Alla", ""), *TYPES), allow_blank=False, default="",
        ),
    )  # fmt: skip
    #: Fixed widths: auto-sized columns would depend on when the rows arrive.
    COLUMNS = (
        ("Kod", 4), ("Namn", 30), ("Aktivitetstyp", 19), ("Kontakttyp", 10),
        ("Gäller from", 11), ("Gäller tom", 10), ("Enhet", 8),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: activity_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: ActivityLine) -> tuple[str, Cells]:
        return str(line.id), (
            line.code, line.name, line.activity_type, line.contact_type,
            format_date(line.valid_from), format_date(line.valid_to), line.unit_code,
        )  # fmt: skip


class ActivityRegisterForm(RecordForm):
    FIELDS = (
        FormField("Namn", "namn", "name", required=True, width=44, label_width=W, row=1),
        FormField(
            "Aktivitetstyp", "aktivitetstyp", "activity_type", kind="select", options=TYPES,
            placeholder="Välj", required=True, width=30, label_width=W, row=2,
        ),
        FormField(
            "Kontakttyp", "kontakttyp", "contact_type", kind="select", options=CONTACTS, width=24,
            row=2,
        ),
        FormField("Gäller from", "galler_from", "valid_from", kind="date", required=True,
                  label_width=W, row=3),
        FormField("Gäller tom", "galler_tom", "valid_to", kind="date", required=True, row=3),
        FormField(
            "Tidbokstyp", "tidbokstyp", "booking_type_id", kind="select", placeholder="(ingen)",
            blank=None, width=60, label_width=W, row=4, aliases=("booking_type",),
        ),
    )  # fmt: skip

    def compose_head(self) -> ComposeResult:
        yield from code_row("AKTIVITET", "aktivitet")

    def compose_tail(self) -> ComposeResult:
        yield Stamps("", id="stamps")
        with Horizontal(classes="sp270_knappar"):
            yield PasisButton("Spara", "s", run="spara")
            yield PasisButton("Läs", "l", run="las")
            yield PasisButton("Borttag", "b", run="borttag")


class ActivityScreen(Sp270Screen):
    HELP = HELP
    PART = "270"
    OTHER = ("270d", "Dagmallar")
    CODE_ID = "aktivitet"
    BINDINGS: ClassVar[list[BindingType]] = register_bindings("sp270")
    DEFAULT_CSS = SP270_CSS

    def make_overview(self) -> OverviewList:
        return ActivityList(table_id="aktiviteter")

    def compose_register(self) -> ComposeResult:
        yield ActivityRegisterForm(id="registrering_form", classes="sp270_form")

    def on_ready(self) -> None:
        super().on_ready()
        self.run_db(lambda ctx: booking_type_options(ctx=ctx), self._booking_types, group="pmo")

    def _booking_types(self, options: tuple[tuple[str, int], ...]) -> None:
        self.form.set_options("booking_type_id", options)

    def open_row(self, key: str) -> None:
        super().open_row(key)
        self.form.widget("name").focus()

    # -- the actions: one core call each -------------------------------------------------------

    def action_las(self) -> None:
        self.clear_errors()
        code = self.code_text()

        def done(result: ActivityResult) -> None:
            self._show(result)
            general = result.record is not None and result.record.general
            self.query_one("#aktivitet" if general else "#namn").focus()

        self.run_db(lambda ctx: read_activity_record(ctx=ctx, code=code), done)

    def action_spara(self) -> None:
        self.clear_errors()
        form = self.form.to_model(ActivityForm, code=self.code_text())
        activity_id = self.current_id()
        self.run_db(
            lambda ctx: save_activity_record(ctx=ctx, form=form, activity_id=activity_id),
            self._changed,
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def action_borttag(self) -> None:
        self.clear_errors()
        activity_id, code = self.current_id(), self.loaded_code
        if activity_id is None:
            self.show_error(PasisError(READ_FIRST, field="activity_code"))
            return
        if not await self.confirm(f"Ta bort aktiviteten {code}?"):
            return
        self.run_db(
            lambda ctx: delete_activity_record(ctx=ctx, activity_id=activity_id, code=code),
            self._changed,
            group=None,
        )

    def _changed(self, result: ActivityResult) -> None:
        self._show(result)
        self.overview.load()

    def _show(self, result: ActivityResult) -> None:
        record = result.record
        self.set_code(result.code, result.state)
        self.remember(result.code, record.id if record else None)
        self.form.load(record)
        self.form.set_editable(not (record and record.general))
        self.status(result.message)
