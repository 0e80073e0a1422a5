"""The staff's 1177 lists: Kontakta oss-ärenden (answered from here) and the Sms-utkorg."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static, TextArea

from pasis_tui.core.staff_lists import (
    ANSWERED,
    OPEN,
    AnswerResult,
    ContactListLine,
    SmsListLine,
    answer_contact,
    contact_page,
    read_contact,
    sms_page,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField
from pasis_tui.widgets.overview import Cells, OverviewList
from screens.base import PasisScreen

CONTACT_HELP = """\
**Kontakta oss-ärenden (seed 8).** Meddelanden som patienter skickat via 1177 e-tjänsten
*Kontakta oss för att omboka eller avboka tid*, där de inte själva får ändra en bokning.

- Listan visar det senaste först; **Visa** filtrerar Obesvarat / Besvarat.
- **Enter** öppnar ärendet. Skriv svaret i **Svar** och tryck **Skicka svar** (Alt+S): svaret
  hamnar i patientens inkorg i 1177. Ett ärende besvaras en gång.
- Gör om- eller avbokningen i Tidbok eller SP 090 som vanligt.
"""

SMS_HELP = """\
**Sms-utkorg (seed 002).** Sms-påminnelser går ut 48 timmar före bokad tid, för tidbokstyper
med sms-flagga och patienter med mobilnummer. En ombokning flyttar påminnelsen, en avbokning
makulerar den. Status: **Väntar**, **Skickad** eller **Makulerad**.

- Listan visar den senaste tiden först; **PgUp/PgDn** bläddrar.
- Med övningsklockan (F9) skickas påminnelser när klockan passerar deras tid.
"""

STATES = (("Alla", ""), (OPEN, OPEN), (ANSWERED, ANSWERED))
NOTHING_OPEN = "Välj ett ärende i listan och tryck Enter"


class ContactList(OverviewList):
    NOUN = "ärenden"
    SINGULAR = "ärende"
    FILTERS = (
        FormField("Visa", "visa", "state", kind="select", options=STATES, allow_blank=False,
                  default=""),
    )  # fmt: skip
    COLUMNS = (
        ("Skickat", 16), ("Personnummer", 13), ("Patient", 18), ("Mottagning", 24),
        ("Status", 9), ("Meddelande", 24),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: contact_page(ctx=ctx, **filters, offset=offset, limit=limit)

    def cells(self, line: ContactListLine) -> tuple[str, Cells]:
        return str(line.request_id), (
            line.sent, line.personnummer, line.patient_name, line.clinic_name, line.state,
            line.text.replace("\n", " "),
        )  # fmt: skip


class ContactScreen(PasisScreen):
    HELP = CONTACT_HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+s", "svara", "Skicka svar", show=False, key_display="Alt+S",
                id="kontakt.svara"),
    ]  # fmt: skip
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {"text": "svar", "request": "kontakt_lista"}
    DEFAULT_CSS = """
    ContactScreen #kontakt { height: 1fr; padding: 0 1; }
    ContactScreen ContactList { height: 1fr; }
    ContactScreen #arende { height: auto; max-height: 8; margin-top: 1; padding: 0 1;
        border-left: thick $accent; }
    ContactScreen #svar { height: 5; margin-top: 1; }
    ContactScreen #svar.-invalid { border: tall $error; }
    ContactScreen .kontakt_knappar { height: 1; margin-top: 1; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_id: int | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="kontakt"):
            yield ContactList(table_id="kontakt_lista")
            yield Static(NOTHING_OPEN, id="arende")
            answer = TextArea(id="svar", show_line_numbers=False, soft_wrap=True)
            answer.border_title = "Svar till patienten"
            yield answer
            with Horizontal(classes="kontakt_knappar"):
                yield PasisButton("Skicka svar", "s", run="svara")

    def on_open(self) -> None:
        self.query_one(ContactList).load()

    def on_overview_list_opened(self, event: OverviewList.Opened) -> None:
        request_id = int(event.key)
        self.clear_errors()
        self.run_db(lambda ctx: read_contact(ctx=ctx, request_id=request_id), self._request_opened)

    def _request_opened(self, line: ContactListLine) -> None:
        self.request_id = line.request_id
        self._show_request(line)
        answer = self.query_one("#svar", TextArea)
        answered = line.state == ANSWERED
        answer.text = line.answer if answered else ""
        answer.read_only = answered
        answer.focus()
        self.status(
            f"Besvarat {line.answered}" if answered else f"Ärende från {line.patient_name}: "
            "skriv svaret och tryck Skicka svar (Alt+S)"
        )  # fmt: skip

    def _show_request(self, line: ContactListLine) -> None:
        booking = f"   Bokad tid: {line.booking_time}" if line.booking_time else ""
        self.query_one("#arende", Static).update(
            Content.assemble(
                (line.patient_name, "bold"),
                "  ",
                f"{line.personnummer}   {line.clinic_name}{booking}\n",
                f"Skickat {line.sent} ({line.state})\n{line.text}",
            )
        )

    def action_svara(self) -> None:
        self.clear_errors()
        request_id = self.request_id
        answer = self.query_one("#svar", TextArea).text

        def done(result: AnswerResult) -> None:
            self._show_request(result.request)
            self.query_one("#svar", TextArea).read_only = True
            self.query_one(ContactList).load()
            self.status(result.message)

        self.run_db(
            lambda ctx: answer_contact(ctx=ctx, request_id=request_id, answer=answer),
            done,
            group=None,
        )


class SmsList(OverviewList):
    NOUN = "sms"
    COLUMNS = (
        ("Skickas", 16), ("Status", 9), ("Skickat/makulerat", 17), ("Patient", 18),
        ("Mobil", 12), ("Meddelande", 30),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: sms_page(ctx=ctx, offset=offset, limit=limit)

    def cells(self, line: SmsListLine) -> tuple[str, Cells]:
        return str(line.sms_id), (
            line.due, line.status, line.done, line.patient_name, line.mobile, line.body,
        )  # fmt: skip


class SmsScreen(PasisScreen):
    HELP = SMS_HELP
    DEFAULT_CSS = """
    SmsScreen #sms { height: 1fr; padding: 0 1; }
    SmsScreen #sms_text { height: auto; margin-top: 1; padding: 0 1; border-left: thick $accent; }
    """

    def compose_body(self) -> ComposeResult:
        with Vertical(id="sms"):
            yield SmsList(table_id="sms_lista")
            yield Static("", id="sms_text")

    @on(DataTable.RowHighlighted, "#sms_lista")
    def _show_text(self, event: DataTable.RowHighlighted) -> None:
        """The whole text of the reminder under the cursor (the column shows its start)."""
        row = event.data_table.get_row(event.row_key) if event.row_key.value else ()
        self.query_one("#sms_text", Static).update(f"Sms till {row[4]}: {row[5]}" if row else "")

    def on_open(self) -> None:
        self.query_one(SmsList).load()
