"""Tidbok: a caregiver's appointment book for a day or a week; staff book and overbook here."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input, Label, Select

from pasis_tui.core.appointment_book import (
    BookingCheck,
    BookQuery,
    BookRequest,
    BookView,
    CancelCheck,
    SlotLine,
    book_patient,
    cancel_question,
    cancel_slot,
    check_booking,
    read_book,
    step_day,
)
from pasis_tui.core.errors import PasisError
from pasis_tui.core.scheduling import DAY_NAMES, RESOURCE_TEXT_MAX
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.fields import set_text
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.tables import show_rows
from screens.base import PasisScreen

HELP = """\
**Tidbok.** Vårdgivarens tider så som de publicerats i SP 272 (Schemaläggning), per dag eller
vecka: tid, aktivitet, besökslängd, 1177-nivå, mottagning, status (*ledig*, *bokad*, *överbokad*,
*ej bokningsbar*) och den bokade patienten. En överbokad tid visar varje patient på en egen rad
med hennes status (*bokad* / *överbokad*).

- Skriv **Vårdgivare** och **Datum** och tryck **Läs** (Alt+L). **Vy** växlar Dag/Vecka.
  **F7 / F8** bläddrar till föregående / nästa dag eller vecka.
- Boka: välj en tid i listan, skriv patientens **Personnummer** och tryck **Boka** (Alt+K). En
  upptagen tid kan **Överbokas** (Alt+V) upp till dagmallens *Antal överbokningar*.
- **Boka** och **Överboka** visar tiden och patienten i en fråga innan något sparas.
- **Avboka** (Alt+A) avbokar en patient på tiden för mottagningens räkning, men först efter en
  fråga (**Ja** / **Nej**; Enter och Esc svarar Nej). På en överbokad tid skriver du
  personnumret för den patient som ska avbokas; de andra ligger kvar. Patienten får ett
  avbokningsmeddelande i 1177 och en bokad bevakning (öppen kallelse) blir öppen igen. En
  ledig tid kan inte avbokas.
- Hann någon annan boka tiden just innan, sägs det i statusraden och inget ändras.
"""

VIEWS = (("Dag", "dag"), ("Vecka", "vecka"))
#: Fixed widths, so that the book looks the same however fast its rows arrive.
COLUMNS = (
    ("Datum", 8), ("Tid", 11), ("Aktivitet", 14), ("Längd", 6), ("Nivå", 4), ("Mott", 4),
    ("Orsak", 7), ("Status", 14), ("Patient", 31),
)  # fmt: skip


class BookForm(RecordForm):
    """Vårdgivare, Datum, Vy and Läs; Personnummer with Boka, Överboka, Avboka."""

    FIELDS = (
        FormField("Vårdgivare", "vardgivare", "signature", kind="code", required=True,
                  max_length=RESOURCE_TEXT_MAX, width=14, aliases=("caregiver",)),
        FormField("Datum", "datum", "day_text", kind="date", width=13, aliases=("day",)),
        FormField("Vy", "vy", "view", kind="select", options=VIEWS, allow_blank=False,
                  default="dag", width=12),
        FormField("Personnummer", "personnummer", "personnummer", max_length=13, width=16, row=1),
    )  # fmt: skip

    def compose_row_start(self, row: int) -> ComposeResult:
        if row == 0:
            yield Label("ENHET", id="enhet")

    def compose_row_end(self, row: int) -> ComposeResult:
        if row == 0:
            yield PasisButton("Läs", "l", run="read")
            return
        yield PasisButton("Boka", "k", run="book(False)")
        yield PasisButton("Överboka", "v", run="book(True)")
        yield PasisButton("Avboka", "a", run="cancel")
        yield Label("", id="tidbok_rubrik")

    def book_query(self) -> BookQuery:
        return self.to_model(BookQuery, week=self.value("view") == "vecka")


class AppointmentBookScreen(PasisScreen):
    HELP = HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f7", "step(-1)", "Föregående", key_display="F7", show=True, id="tidbok.foregaende"
        ),
        Binding("f8", "step(1)", "Nästa", key_display="F8", show=True, id="tidbok.nasta"),
        Binding("alt+l", "read", "Läs", show=False, key_display="Alt+L", id="tidbok.las"),
    ]
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {"slot": "tider"}
    DEFAULT_CSS = """
    AppointmentBookScreen LabeledField > Label { padding: 0 1 0 0; min-width: 0; }
    AppointmentBookScreen LabeledField { margin-right: 1; }
    AppointmentBookScreen PasisButton { border: none; height: 1; min-width: 6; }
    AppointmentBookScreen BookForm { height: auto; padding: 0 1; }
    AppointmentBookScreen BookForm > .form_rad { height: 1; margin: 0 0 1 0; }
    AppointmentBookScreen #enhet, AppointmentBookScreen #tidbok_rubrik { padding: 0 2 0 0; }
    AppointmentBookScreen #tidbok_rubrik { text-style: bold; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[str, SlotLine] = {}
        self.request: BookRequest | None = None

    def compose_body(self) -> ComposeResult:
        yield BookForm(id="tidbok_form")
        yield DataTable(cursor_type="row", id="tider", zebra_stripes=True)

    @property
    def form(self) -> BookForm:
        return self.query_one(BookForm)

    def on_mount(self) -> None:
        table = self.query_one("#tider", DataTable)
        for name, width in COLUMNS:
            table.add_column(name, width=width)

    def receive(self, params: object) -> None:
        if isinstance(params, BookRequest):
            self.request = params

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")
        if not self.form.value("day_text"):
            self.form.set_value("day_text", self.ctx.clock.now().date())
        self.form.widget("signature").focus()

    def on_open(self) -> None:
        request, self.request = self.request, None
        if request is not None:
            self.form.set_value("signature", request.signature)
            if request.day is not None:
                self.form.set_value("day_text", request.day)
            self.action_read()

    # -- reading ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#vardgivare, #datum")
    def _submitted(self) -> None:
        self.action_read()

    @on(Select.Changed, "#vy")
    def _view_changed(self) -> None:
        if self.form.is_mounted and str(self.form.value("signature")).strip():
            self.action_read()

    def action_step(self, direction: int) -> None:
        try:
            query = self.form.book_query()
            day = step_day(
                ctx=self.ctx, day_text=query.day_text, week=query.week, direction=direction
            )
        except PasisError as error:
            self.show_error(error)
            return
        self.form.set_value("day_text", day)
        self.action_read()

    def action_read(self) -> None:
        self.clear_errors()
        query = self.form.book_query()
        self.run_db(lambda ctx: read_book(ctx=ctx, query=query), self._show, group="las")

    def _show(self, book: BookView) -> None:
        self.clear_errors()
        set_text(self.query_one("#tidbok_rubrik", Label), book.title)
        table = self.query_one("#tider", DataTable)
        cursor = table.cursor_row
        self.lines = {str(line.slot_id): line for line in book.lines}
        rows = [
            (str(line.slot_id), (
                f"{DAY_NAMES[line.day.weekday()][:2]} {line.day:%m-%d}", line.time_text,
                f"{line.activity_code} {line.activity_name}", f"{line.visit_length_min} min",
                str(line.level_1177), line.clinic_code, line.reason,
                "\n".join(line.state_lines), "\n".join(line.patients),
            ), max(1, len(line.patients)))  # an overbooked slot shows every patient
            for line in book.lines
        ]  # fmt: skip
        if show_rows(table, rows) and book.lines:
            table.move_cursor(row=min(cursor, len(book.lines) - 1))
        self.status(book.message)

    # -- booking ---------------------------------------------------------------------------------

    def _selected(self) -> SlotLine | None:
        table = self.query_one("#tider", DataTable)
        if not self.lines or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(str(key))

    def action_book(self, overbook: bool) -> None:
        """Boka / Överboka: the slot and the patient are shown in a question before writing."""
        self.clear_errors()
        slot = self._selected()
        text = str(self.form.value("personnummer"))
        self.run_db(
            lambda ctx: check_booking(ctx=ctx, slot=slot, personnummer=text, overbook=overbook),
            self._ask_booking,
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def _ask_booking(self, check: BookingCheck) -> None:
        if not await self.confirm(check.question):
            self.status("Inget bokades")
            return
        query = self.form.book_query()
        self.run_db(
            lambda ctx: book_patient(ctx=ctx, query=query, check=check), self._show, group=None
        )

    @work(exclusive=True, group="fraga")
    async def action_cancel(self) -> None:
        """Avboka one patient: the only one on the slot, or the one named in Personnummer."""
        self.clear_errors()
        query, slot = self.form.book_query(), self._selected()
        text = str(self.form.value("personnummer"))
        try:
            check: CancelCheck = cancel_question(
                slot, personnummer=text, today=self.ctx.clock.now().date()
            )
        except PasisError as error:
            self.show_error(error)
            return
        if not await self.confirm(check.question):
            self.status("Inget avbokades")
            return
        self.run_db(
            lambda ctx: cancel_slot(ctx=ctx, query=query, check=check), self._show, group=None
        )
