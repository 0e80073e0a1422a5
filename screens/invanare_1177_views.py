"""The parts of the 1177 screen: each draws one frozen record from `citizen_cases`.

None of them reads the database or decides a rule; the screen (`invanare_1177.py`) runs the core
call and hands the result to the part it shows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pasis_tui.core.citizen_cases import (
    CONTACT_HINT,
    BookedTimesView,
    ChangeOffer,
    InboxView,
    OfferedTime,
    OpenedMessage,
    ReceiptView,
    SlotList,
)
from pasis_tui.core.citizen_messages import CANCELLED_PATIENT, MANAGE_HINT
from pasis_tui.core.contact_requests import ContactLine
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.grouped_list import GroupedList, Line

UNREAD = "●"
LOGIN_HINT = (
    "Logga in med ditt personnummer, t.ex. 19121212-1212, 191212121212 eller 121212+1212. "
    "(Här ersätter personnumret e-legitimationen.)"
)
KALLELSE_HINT = "Vänligen välj Boka tid för att reservera en tid som passar dig"
SLOT_HINT = "↑/↓ väljer tid, Enter går vidare till bekräftelsen, Esc tillbaka."
CONFIRM_HINT = "Kontrollera tiden och tryck Bekräfta bokning (Alt+K). Esc väljer en annan tid."
CONTACT_INTRO = (
    "Skriv vad du vill ändra i bokningen. Mottagningen läser ditt meddelande och svarar i din "
    "inkorg."
)
NO_CONTACT = "Ring mottagningen om du behöver ändra tiden."


def facts(*rows: tuple[str, str]) -> Text:
    """`Label:` over its value, a blank line between, as 1177 prints its details."""
    text = Text()
    for number, (label, value) in enumerate(rows):
        if number:
            text.append("\n\n")
        text.append(label, style="bold")
        text.append("\n")
        text.append(value or "–")
    return text


class LoginPart(Vertical):
    def compose(self) -> ComposeResult:
        yield Static("Logga in", classes="c1177_rubrik")
        yield Static(LOGIN_HINT, classes="c1177_ledtext")
        with Horizontal(classes="c1177_rad"):
            yield Label("Personnummer", classes="c1177_etikett")
            yield Input(placeholder="ÅÅÅÅMMDD-NNNN", id="personnummer", max_length=20)
            yield PasisButton("Logga in", "l", run="logga_in")


class InboxTable(DataTable[Any]):
    """The inbox list: PgDn and PgUp at the list's end and start go to the older and newer page
    (a page of INBOX_PAGE messages); inside the list they move the cursor as usual."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "older", "Äldre", key_display="PgDn", id="1177.inkorg_aldre"),
        Binding("pageup", "newer", "Nyare", key_display="PgUp", id="1177.inkorg_nyare"),
    ]

    class PageWanted(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step  # +1 older, -1 newer

    def action_older(self) -> None:
        if self.row_count and self.cursor_row < self.row_count - 1:
            self.action_page_down()
        else:
            self.post_message(self.PageWanted(+1))

    def action_newer(self) -> None:
        if self.cursor_row > 0:
            self.action_page_up()
        else:
            self.post_message(self.PageWanted(-1))


class InboxPart(Vertical):
    """Inkorgen: newest first; an unread message is marked ● and bold."""

    COLUMNS = (("", 1), ("Ämne", 44), ("Typ", 16), ("Från", 24), ("Skickat", 16))

    def compose(self) -> ComposeResult:
        yield Static("Inkorg", classes="c1177_rubrik")
        yield Static("", id="inkorg_antal", classes="c1177_ledtext")
        yield InboxTable(cursor_type="row", id="inkorg_lista", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in self.COLUMNS:
            table.add_column(label, width=width)

    def show(self, view: InboxView, *, cursor_at: str = "same") -> None:
        """Draw the page; the cursor stays on its row ("same"), or goes to the page's "top" or
        "bottom" (PgDn to the older page starts at its top, PgUp back ends at the bottom)."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for line in view.lines:
            style = "bold" if line.unread else ""
            table.add_row(
                UNREAD if line.unread else "",
                Text(line.subject, style=style),
                line.kind.value,
                line.clinic_name,
                f"{line.sent_at:%Y-%m-%d %H:%M}",
                key=str(line.message_id),
            )
        if table.row_count:
            last = table.row_count - 1
            wanted = {"top": 0, "bottom": last}.get(cursor_at, min(max(row, 0), last))
            table.move_cursor(row=wanted, scroll=True)
        self.query_one("#inkorg_antal", Static).update(view.message)


class MessagePart(VerticalScroll):
    """One message; a Kallelse as the seed's picture, with Boka tid where she may book."""

    def compose(self) -> ComposeResult:
        yield Static("", id="meddelande_rubrik", classes="c1177_rubrik")
        yield Static("", id="meddelande_fran", classes="c1177_ledtext")
        yield Static("", id="meddelande_text", classes="c1177_kort")
        yield Static("", id="kallelse_ledtext", classes="c1177_ledtext")
        yield PasisButton("Boka tid", "b", run="boka_tid", classes="c1177_knapp")
        yield Static("", id="meddelande_skickat", classes="c1177_ledtext")

    def show(self, opened: OpenedMessage) -> None:
        message, invitation = opened.message, opened.invitation
        self.query_one("#meddelande_rubrik", Static).update(message.subject)
        self.query_one("#meddelande_fran", Static).update(
            f"{message.kind.value} från {message.clinic_name}"
        )
        body = self.query_one("#meddelande_text", Static)
        hint = self.query_one("#kallelse_ledtext", Static)
        button = self.query_one(PasisButton)
        if invitation is None:
            body.update(message.body)
            hint.update("")
            button.display = False
        else:
            body.update(
                Text.assemble(
                    ("Detaljer om kallelsen", "bold underline"),
                    "\n\n",
                    facts(
                        ("Kallelsen gäller:", invitation.gäller),
                        ("Mottagning:", invitation.mottagning),
                        ("Du får boka tid till:", invitation.boka_tid_till),
                        ("Ort:", invitation.ort),
                        ("Syfte", invitation.syfte),
                    ),
                )
            )
            hint.update(invitation.refusal or KALLELSE_HINT)
            hint.set_class(bool(invitation.refusal), "-avslag")
            button.display = invitation.can_book
        self.query_one("#meddelande_skickat", Static).update(message.sent_text)
        self.scroll_home(animate=False)


class SlotListPart(Vertical):
    """The offered times grouped by day: the day a heading, its times below it."""

    def compose(self) -> ComposeResult:
        yield Static("", id="tider_rubrik", classes="c1177_rubrik")
        yield Static("", id="tider_om", classes="c1177_ledtext")
        yield GroupedList(id="tider")
        yield Static(SLOT_HINT, classes="c1177_ledtext")

    def show(self, times: SlotList) -> None:
        self.query_one("#tider_rubrik", Static).update(times.title)
        self.query_one("#tider_om", Static).update(f"{times.visit} · {times.place}")
        lines: list[Line] = []
        for day in times.days:
            lines.append((day.label, None))
            for time in day.times:
                seats = f"   ({time.free_seats} platser kvar)" if time.free_seats > 1 else ""
                lines.append((f"   kl. {time.clock_text}{seats}", str(time.slot_id)))
        self.query_one(GroupedList).set_lines(lines)


class ConfirmPart(Vertical):
    """Step two of Boka tid: the chosen time, to confirm or to go back from."""

    def compose(self) -> ComposeResult:
        yield Static("Bekräfta din bokning", classes="c1177_rubrik")
        yield Static("", id="bekrafta_fakta", classes="c1177_kort")
        yield Static(CONFIRM_HINT, classes="c1177_ledtext")
        yield PasisButton("Bekräfta bokning", "k", run="bekrafta", classes="c1177_knapp")

    def show(self, times: SlotList, chosen: OfferedTime) -> None:
        self.query_one("#bekrafta_fakta", Static).update(
            facts(
                ("Dag och tid:", chosen.text),
                ("Mottagning:", times.place),
                ("Bokningen avser:", times.visit),
            )
        )


class ReceiptPart(VerticalScroll):
    """The Bekräftelse "Tid bokad hos …" (or the Avbokning), and the Digital kallelse."""

    def compose(self) -> ComposeResult:
        yield Static("", id="kvitto_rubrik", classes="c1177_rubrik")
        yield Static("", id="kvitto_fakta", classes="c1177_kort")
        yield Static(MANAGE_HINT, id="kvitto_ledtext", classes="c1177_ledtext")
        yield PasisButton("Till bokningen", "g", run="bokade_tider", classes="c1177_knapp")
        yield Static("", id="kvitto_brev", classes="c1177_kort")

    def show(self, receipt: ReceiptView) -> None:
        self.query_one("#kvitto_rubrik", Static).update(receipt.heading)
        title = "Din bokade tid" if receipt.booked else "Avbokad tid"
        self.query_one("#kvitto_fakta", Static).update(
            Text.assemble(
                (title, "bold underline"),
                "\n\n",
                facts(
                    ("Dag och tid:", receipt.when),
                    ("Mottagning:", receipt.place),
                    ("Bokningen avser:", receipt.visit),
                ),
            )
        )
        self.query_one("#kvitto_ledtext", Static).update(
            MANAGE_HINT if receipt.booked else CANCELLED_PATIENT
        )
        self.query_one(PasisButton).display = receipt.booked is not None
        letter = self.query_one("#kvitto_brev", Static)
        letter.display = bool(receipt.letter_subject)
        letter.update(
            Text.assemble(
                ("Digital kallelse: ", "bold"),
                (receipt.letter_subject, "bold"),
                "\n\n",
                receipt.letter_body,
            )  # fmt: skip
        )
        self.scroll_home(animate=False)


class BookedPart(Vertical):
    """Bokade tider: each booking, what she may change herself and why not, her requests."""

    COLUMNS = (("Dag och tid", 34), ("Mottagning", 34), ("Bokningen avser", 18), ("Omboka", 6),
               ("Avboka", 6))  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Static("Bokade tider", classes="c1177_rubrik")
        yield Static("", id="bokade_antal", classes="c1177_ledtext")
        yield DataTable(cursor_type="row", id="bokade_lista", zebra_stripes=True)
        yield Static("", id="bokade_detalj", classes="c1177_kort")
        with Horizontal(classes="c1177_knapprad"):
            yield PasisButton("Omboka", "o", run="omboka")
            yield PasisButton("Avboka", "a", run="avboka")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in self.COLUMNS:
            table.add_column(label, width=width)

    def show(self, view: BookedTimesView) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for time in view.times:
            table.add_row(
                time.time_text, time.clinic_name, time.visit,
                "Ja" if time.rights.may_rebook else "Nej",
                "Ja" if time.rights.may_cancel else "Nej",
                key=str(time.booking_id),
            )  # fmt: skip
        self.query_one("#bokade_antal", Static).update(view.message)
        table.display = bool(view.times)
        for button in self.query(PasisButton):
            button.display = bool(view.times)
        self.detail(view, view.times[0].booking_id if view.times else None)

    def detail(self, view: BookedTimesView, booking_id: int | None) -> None:
        """What the highlighted booking allows, in words, and the requests sent about it."""
        panel = self.query_one("#bokade_detalj", Static)
        time = next((t for t in view.times if t.booking_id == booking_id), None)
        panel.display = time is not None
        if time is None:
            return
        rights = time.rights
        rebook = (
            f"Du kan omboka tiden till och med {rights.rebook_deadline:%Y-%m-%d %H:%M} "
            f"({rights.rebookings_used} av {rights.rebookings_allowed} ombokningar gjorda)."
            if rights.may_rebook
            else f"Du kan inte omboka tiden: {rights.rebook_refusal}."
        )
        cancel = (
            f"Du kan avboka tiden till och med {rights.cancel_deadline:%Y-%m-%d %H:%M}."
            if rights.may_cancel
            else f"Du kan inte avboka tiden: {rights.cancel_refusal}."
        )
        text = Text.assemble(
            (time.time_text, "bold"), "\n", f"{time.clinic_name}, {time.caregiver}", "\n\n",
            rebook, "\n", cancel,
        )  # fmt: skip
        if rights.may_contact:
            text.append(f"\n\n{CONTACT_HINT}: tryck Omboka eller Avboka och välj den.")
        for request in view.requests_for(time.time_text):
            text.append("\n\n")
            text.append(f"Skickat {request.sent_at:%Y-%m-%d %H:%M}: ", style="bold")
            text.append(request.text)
            if request.answered_at:
                text.append(f"\nSvar {request.answered_at:%Y-%m-%d %H:%M}: {request.answer}")
        panel.update(text)


class RefusalPart(Vertical):
    """Why she may not change a booking herself, and Kontakta oss where the clinic offers it."""

    def compose(self) -> ComposeResult:
        yield Static("", id="avslag_rubrik", classes="c1177_rubrik")
        yield Static("", id="avslag_fakta", classes="c1177_kort")
        yield Static("", id="avslag_orsak", classes="c1177_ledtext -avslag")
        yield PasisButton(CONTACT_HINT, "n", run="kontakta", classes="c1177_knapp")
        yield Static("", id="avslag_ledtext", classes="c1177_ledtext")

    def show(self, offer: ChangeOffer, *, what: str) -> None:
        booked = offer.booked
        self.query_one("#avslag_rubrik", Static).update(f"Du kan inte {what} tiden i 1177")
        self.query_one("#avslag_fakta", Static).update(
            facts(
                ("Dag och tid:", booked.time_text),
                ("Mottagning:", f"{booked.clinic_name}, {booked.caregiver}"),
                ("Bokningen avser:", booked.visit),
            )
        )
        self.query_one("#avslag_orsak", Static).update(offer.refusal or "")
        self.query_one(PasisButton).display = offer.may_contact
        self.query_one("#avslag_ledtext", Static).update(
            "Esc går tillbaka till Bokade tider." if offer.may_contact else NO_CONTACT
        )


class ContactPart(Vertical):
    """Kontakta oss för att omboka eller avboka tid: her text, and the receipt once sent."""

    def compose(self) -> ComposeResult:
        yield Static(CONTACT_HINT, classes="c1177_rubrik")
        yield Static("", id="kontakt_om", classes="c1177_kort")
        yield Static(CONTACT_INTRO, classes="c1177_ledtext")
        with Horizontal(classes="c1177_rad"):
            yield Label("Meddelande", classes="c1177_etikett")
            yield Input(placeholder="Vad vill du ändra?", id="kontakt_text", max_length=1000)
            yield PasisButton("Skicka", "s", run="skicka")
        yield Static("", id="kontakt_skickat", classes="c1177_kort")

    def start(self, offer: ChangeOffer) -> None:
        booked = offer.booked
        self.query_one("#kontakt_om", Static).update(
            facts(
                ("Gäller bokningen:", booked.time_text),
                ("Mottagning:", f"{booked.clinic_name}, {booked.caregiver}"),
            )
        )
        self.query_one("#kontakt_text", Input).value = ""
        self.query_one("#kontakt_skickat", Static).display = False

    def sent(self, line: ContactLine) -> None:
        self.query_one("#kontakt_text", Input).value = ""
        sent = self.query_one("#kontakt_skickat", Static)
        sent.display = True
        sent.update(
            Text.assemble(
                (line.message, "bold"),
                "\n\n",
                (f"Skickat {line.sent_at:%Y-%m-%d %H:%M}:", "bold"),
                "\n",
                line.text,
            )  # fmt: skip
        )


class DirectPart(Vertical):
    """Boka tid direkt: the clinics that offer nivå-4 times; Enter shows a clinic's times."""

    def compose(self) -> ComposeResult:
        yield Static("Boka tid direkt", classes="c1177_rubrik")
        yield Static(
            "Välj mottagning med ↑/↓ och Enter för att se dess lediga tider.",
            classes="c1177_ledtext",
        )
        yield OptionList(id="mottagningar")

    def show(self, clinics: tuple[tuple[int, str], ...]) -> None:
        option_list = self.query_one(OptionList)
        option_list.set_options(Option(name, id=str(clinic_id)) for clinic_id, name in clinics)
        if clinics:
            option_list.highlighted = 0
