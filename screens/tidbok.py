"""Tidbok: a caregiver's appointment book for a day or a week; staff book and overbook here."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Select

from pasis_tui.core.appointment_book import SlotLine, book_lines
from pasis_tui.core.booking import active_booking_ids, book_slot, cancel_by_clinic, find_patient
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_date
from pasis_tui.core.scheduling import DAY_NAMES, find_resource
from pasis_tui.widgets import LabeledField, PasisButton
from pasis_tui.widgets.inputs import CodeInput, DateInput
from screens.base import PasisScreen
from screens.modals import ConfirmModal

HELP = """\
**Tidbok.** Vårdgivarens tider så som de publicerats i SP 272 (Schemaläggning), per dag eller
vecka: tid, aktivitet, besökslängd, 1177-nivå, mottagning, status (*ledig*, *bokad*, *överbokad*,
*ej bokningsbar*) och den bokade patienten.

- Skriv **Vårdgivare** och **Datum** och tryck **Läs** (Alt+L). **Vy** växlar Dag/Vecka.
  **F7 / F8** bläddrar till föregående / nästa dag eller vecka.
- Boka: välj en tid i listan, skriv patientens **Personnummer** och tryck **Boka** (Alt+K). En
  upptagen tid kan **Överbokas** (Alt+V) upp till dagmallens *Antal överbokningar*.
- **Avboka** (Alt+A) avbokar tidens bokningar för mottagningens räkning, men först efter en
  fråga (**Ja** / **Nej**; Enter och Esc svarar Nej). Patienten får ett avbokningsmeddelande i
  1177 och en bokad bevakning (öppen kallelse) blir öppen igen. En ledig tid kan inte avbokas.
- Hann någon annan boka tiden just innan, sägs det i statusraden och inget ändras.
"""

VIEWS = (("Dag", "dag"), ("Vecka", "vecka"))
#: Fixed widths, so that the book looks the same however fast its rows arrive.
COLUMNS = (
    ("Datum", 8), ("Tid", 11), ("Aktivitet", 14), ("Längd", 6), ("Nivå", 4), ("Mott", 4),
    ("Orsak", 7), ("Status", 14), ("Patient", 31),
)  # fmt: skip


def _field(label: str, widget: Any, *, required: bool = False) -> LabeledField:
    widget.compact = True
    return LabeledField(label, widget, required=required)


class AppointmentBookScreen(PasisScreen):
    HELP = HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f7", "step(-1)", "Föregående", key_display="F7", show=True, id="tidbok.foregaende"
        ),
        Binding("f8", "step(1)", "Nästa", key_display="F8", show=True, id="tidbok.nasta"),
    ]
    DEFAULT_CSS = """
    AppointmentBookScreen LabeledField > Label { padding: 0 1 0 0; min-width: 0; }
    AppointmentBookScreen LabeledField { margin-right: 1; }
    AppointmentBookScreen PasisButton { border: none; height: 1; min-width: 6; }
    AppointmentBookScreen Input.-invalid { border: none !important; background: $error 40%; }
    AppointmentBookScreen #tidbok_form { height: auto; padding: 0 1; }
    AppointmentBookScreen .rad { height: 1; margin-bottom: 1; }
    AppointmentBookScreen #vardgivare { width: 14; }
    AppointmentBookScreen #datum { width: 13; }
    AppointmentBookScreen #vy { width: 12; }
    AppointmentBookScreen #personnummer { width: 16; }
    AppointmentBookScreen #enhet, AppointmentBookScreen #tidbok_rubrik { padding: 0 2 0 0; }
    AppointmentBookScreen #tidbok_rubrik { text-style: bold; }
    """
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "slot": "tider",
        "caregiver": "vardgivare",
        "day": "datum",
    }
    #: A caregiver and day asked for by another screen (SP 272's Tidbok button).
    pending: ClassVar[tuple[str, dt.date | None] | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[str, SlotLine] = {}

    @classmethod
    def request(cls, signature: str, day: dt.date | None) -> None:
        cls.pending = (signature, day)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="tidbok_form"):
            with Horizontal(classes="rad"):
                yield Label("ENHET", id="enhet")
                yield _field("Vårdgivare", CodeInput(id="vardgivare", max_length=12), required=True)
                yield _field("Datum", DateInput(id="datum"))
                yield _field("Vy", Select(VIEWS, id="vy", allow_blank=False))
                yield PasisButton("Läs", "l", compact=True)
            with Horizontal(classes="rad"):
                yield _field("Personnummer", Input(id="personnummer", max_length=13))
                yield PasisButton("Boka", "k", compact=True)
                yield PasisButton("Överboka", "v", compact=True)
                yield PasisButton("Avboka", "a", compact=True)
                yield Label("", id="tidbok_rubrik")
        yield DataTable(cursor_type="row", id="tider", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#tider", DataTable)
        for name, width in COLUMNS:
            table.add_column(name, width=width)

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")
        dates = self.query_one("#datum", Input)
        if not dates.value:
            dates.value = self.ctx.clock.now().date().isoformat()
        self.query_one("#vardgivare", Input).focus()

    def on_open(self) -> None:
        self._take_request()

    def _take_request(self) -> None:
        request, AppointmentBookScreen.pending = AppointmentBookScreen.pending, None
        if request is None:
            return
        signature, day = request
        self.query_one("#vardgivare", Input).value = signature
        if day is not None:
            self.query_one("#datum", Input).value = day.isoformat()
        self.action_read()

    # -- reading ---------------------------------------------------------------------------------

    def _choice(self, widget_id: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return "" if value is Select.NULL or value is None else str(value)

    @on(Input.Submitted, "#vardgivare, #datum")
    def _submitted(self) -> None:
        self.action_read()

    @on(Select.Changed, "#vy")
    def _view_changed(self) -> None:
        if self.query_one("#vardgivare", Input).value.strip():
            self.action_read()

    def action_step(self, direction: int) -> None:
        try:
            day = parse_date(self.query_one("#datum", Input).value, field="day")
        except PasisError as error:
            self.show_error(error)
            return
        day = day or self.ctx.clock.now().date()
        step = 7 if self._choice("vy") == "vecka" else 1
        self.query_one("#datum", Input).value = (
            day + dt.timedelta(days=step * direction)
        ).isoformat()
        self.action_read()

    def action_read(self, message: str = "") -> None:
        signature = self.query_one("#vardgivare", Input).value
        date_text = self.query_one("#datum", Input).value
        week = self._choice("vy") == "vecka"

        def work(ctx: WorkContext) -> tuple[str, list[SlotLine]]:
            day = parse_date(date_text, field="day") or ctx.clock.now().date()
            first = day - dt.timedelta(days=day.weekday()) if week else day
            last = first + dt.timedelta(days=6) if week else day
            with ctx.read() as session:
                resource = find_resource(
                    session, unit_id=ctx.unit.id, signature=signature, kind=None
                )
                assert resource.id is not None
                lines = book_lines(session, caregiver_id=resource.id, first=first, last=last)
            if week:
                title = f"{resource.signature} {resource.name}, vecka {first.isocalendar().week}"
            else:
                title = f"{resource.signature} {resource.name}, {DAY_NAMES[day.weekday()]} {day}"
            return title, lines

        self.run_db(work, lambda result: self._show(*result, message=message))

    def _show(self, title: str, lines: list[SlotLine], *, message: str = "") -> None:
        self.clear_errors()
        self.query_one("#tidbok_rubrik", Label).update(title)
        table = self.query_one("#tider", DataTable)
        cursor = table.cursor_row
        table.clear()
        self.lines = {str(line.slot_id): line for line in lines}
        for line in lines:
            patients = "; ".join(line.patients)
            table.add_row(
                f"{DAY_NAMES[line.day.weekday()][:2]} {line.day:%m-%d}",
                line.time_text,
                f"{line.activity_code} {line.activity_name}",
                f"{line.visit_length_min} min",
                str(line.level_1177),
                line.clinic_code,
                line.reason,
                line.status,
                patients,
                key=str(line.slot_id),
            )
        if lines:
            table.move_cursor(row=min(cursor, len(lines) - 1))
        free = sum(1 for line in lines if line.status.startswith("ledig"))
        self.status(message or f"{len(lines)} tider, {free} lediga")

    # -- booking ---------------------------------------------------------------------------------

    def _selected(self) -> SlotLine | None:
        table = self.query_one("#tider", DataTable)
        if not self.lines or table.row_count == 0:
            self.show_error(PasisError("Välj en tid i listan", field="slot"))
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(str(key))

    def on_button_pressed(self, event: PasisButton.Pressed) -> None:
        actions = {
            "las": self.action_read,
            "boka": lambda: self._book(overbook=False),
            "overboka": lambda: self._book(overbook=True),
            "avboka": self._cancel,
        }
        if event.button.id in actions:
            event.stop()
            self.clear_errors()
            actions[event.button.id]()

    def _book(self, *, overbook: bool) -> None:
        line = self._selected()
        if line is None:
            return
        text = self.query_one("#personnummer", Input).value

        def work(ctx: WorkContext) -> str:
            with ctx.write() as session:
                patient = find_patient(session, text=text, today=ctx.clock.now().date())
                booking = book_slot(
                    session,
                    clock=ctx.clock,
                    slot_id=line.slot_id,
                    patient_id=patient.id,  # type: ignore[arg-type]
                    overbook=overbook,
                )
                name = f"{patient.first_name} {patient.last_name}"
            kind = "överbokad" if booking.overbooked else "bokad"
            return f"{name} är {kind} {line.day} {line.time_text}"

        self.run_db(work, lambda message: self.action_read(message))

    def _cancel(self) -> None:
        line = self._selected()
        if line is None:
            return
        if not line.patients:
            self.show_error(PasisError("Tiden har ingen bokning att avboka", field="slot"))
            return
        question = (
            f"Avboka {line.day} {line.time_text} för mottagningens räkning?\n"
            + "\n".join(f"  {name}" for name in line.patients)
            + ("\nPatienten" if len(line.patients) == 1 else "\nPatienterna")
            + " får ett avbokningsmeddelande i 1177."
        )

        def confirmed(answer: bool | None) -> None:
            if not answer:
                self.status("Inget avbokades")
                return

            def work(ctx: WorkContext) -> str:
                with ctx.write() as session:
                    ids = active_booking_ids(session, slot_id=line.slot_id)
                    cancel_by_clinic(
                        session, clock=ctx.clock, booking_ids=ids, reason="Avbokad av mottagningen"
                    )
                count = "1 bokning" if len(ids) == 1 else f"{len(ids)} bokningar"
                return f"{count} avbokades {line.day} {line.time_text}"

            self.run_db(work, lambda message: self.action_read(message))

        self.app.push_screen(ConfirmModal(question), confirmed)
