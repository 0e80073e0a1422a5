"""1177 Invånare: the patient's side of öppen kallelse (seed 000 sections 7, 8 and 10).

Log in by personnummer; Inkorg; a Kallelse with Boka tid → the offered times by day → a
confirmation step → the Bekräftelse (and the Digital kallelse); Bokade tider with Omboka, Avboka
and, where she may not change a booking herself, Kontakta oss; Boka tid direkt (nivå 4).

The screen keeps only the logged-in `Citizen` and ids that her own results gave it; every worker
makes one call into `pasis_tui.core.citizen_cases`, which checks each id against her.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, Static

from pasis_tui.core.citizen_cases import (
    BookedTimesView,
    BookingOutcome,
    ChangeOffer,
    Citizen,
    InboxView,
    LoginResult,
    OfferedTime,
    OpenedMessage,
    ReceiptView,
    SlotList,
    book_time,
    booked_times_view,
    cancel_booking,
    cancel_offer,
    direct_clinic_list,
    direct_times,
    inbox_view,
    invitation_times,
    log_in_citizen,
    read_message,
    rebook_offer,
    send_contact,
)
from pasis_tui.core.citizen_offers import DirectClinic
from pasis_tui.core.contact_requests import ContactLine
from pasis_tui.widgets import PasisButton, StatusLine
from pasis_tui.widgets.grouped_list import GroupedList
from screens.base import PasisScreen
from screens.invanare_1177_help import HELP
from screens.invanare_1177_views import (
    BookedPart,
    ConfirmPart,
    ContactPart,
    DirectPart,
    InboxPart,
    InboxTable,
    LoginPart,
    MessagePart,
    ReceiptPart,
    RefusalPart,
    SlotListPart,
)

LOGGED_OUT = "Du är utloggad. Välkommen tillbaka!"
NOT_LOGGED_IN = "Inte inloggad"
#: The parts by view name; the widget a view focuses when it is shown.
FOCUS = {
    "inloggning": "#personnummer",
    "inkorg": "#inkorg_lista",
    "tider": "#tider",
    "bokade": "#bokade_lista",
    "kontakt": "#kontakt_text",
    "direkt": "#mottagningar",
}


class CitizenScreen(PasisScreen):
    """The 1177 screen: one view at a time in a ContentSwitcher, Esc goes back one view."""

    HELP = HELP
    CSS_PATH = "invanare_1177.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Tillbaka", id="1177.tillbaka"),
        Binding("f5", "inkorg", "Inkorg", key_display="F5", id="1177.inkorg"),
        Binding("f6", "bokade_tider", "Bokade tider", key_display="F6", id="1177.bokade_tider"),
        Binding("f7", "direkt", "Boka tid direkt", key_display="F7", id="1177.direkt"),
    ]
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {"text": "kontakt_text"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.citizen: Citizen | None = None
        self.trail: list[str] = []
        self.opened: OpenedMessage | None = None
        self.times: SlotList | None = None
        self.chosen: OfferedTime | None = None
        self.booked: BookedTimesView | None = None
        self.offer: ChangeOffer | None = None
        self.inbox: InboxView | None = None  # the inbox page shown

    # -- frame: 1177's own top bar instead of the staff header line -----------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="c1177_topp"):
            yield Static("1177 Vårdguiden", id="c1177_logga")
            yield Static("e-tjänster · Tidbokning", id="c1177_tjanst")
            yield Static(NOT_LOGGED_IN, id="c1177_vem")
            yield Static("", id="c1177_klocka")
        with Horizontal(id="c1177_meny"):
            yield PasisButton("Inkorg", "i", run="inkorg")
            yield PasisButton("Bokade tider", "t", run="bokade_tider")
            yield PasisButton("Boka tid direkt", "d", run="direkt")
            yield PasisButton("Logga ut", "u", run="logga_ut")
        with ContentSwitcher(initial="inloggning_vy", id="c1177_sida"):
            yield LoginPart(id="inloggning_vy")
            yield InboxPart(id="inkorg_vy")
            yield MessagePart(id="meddelande_vy")
            yield SlotListPart(id="tider_vy")
            yield ConfirmPart(id="bekrafta_vy")
            yield ReceiptPart(id="kvitto_vy")
            yield BookedPart(id="bokade_vy")
            yield RefusalPart(id="avslag_vy")
            yield ContactPart(id="kontakt_vy")
            yield DirectPart(id="direkt_vy")
        yield StatusLine(id="status_line")
        yield Static("", id="c1177_tangenter")

    def on_mount(self) -> None:
        self.query_one("#c1177_meny").display = False
        self.query_one("#c1177_tangenter", Static).update(self._key_line())

    def _key_line(self) -> str:
        """The shown keys, as the staff screens' Footer lists them, in one still line: the
        Footer rebuilds itself on every change of focus, which costs a frame its 100 ms."""
        shown = [
            f"{self.app.get_key_display(active.binding)} {active.binding.description}"
            for active in self.active_bindings.values()
            if active.binding.show and active.binding.description
        ]
        return "   ".join(dict.fromkeys(shown))

    def refresh_header(self) -> None:
        moment = self.host.header_values()[2]
        for clock in self.query("#c1177_klocka").results(Static):
            clock.update(moment)

    def on_open(self) -> None:
        self._focus_view()

    # -- views ---------------------------------------------------------------------------------

    @property
    def view(self) -> str:
        current = self.query_one(ContentSwitcher).current or ""
        return current.removesuffix("_vy")

    def show_view(self, name: str, *, remember: bool = True) -> None:
        """Show one part; with `remember`, Esc comes back to the part shown now."""
        if remember and self.view != name:
            self.trail.append(self.view)
        switcher = self.query_one(ContentSwitcher)
        switcher.current = f"{name}_vy"
        self._focus_view()

    def _focus_view(self) -> None:
        wanted = FOCUS.get(self.view)
        target: Widget | None = None
        if wanted:
            target = self.query_one(wanted)
        else:
            part = self.query_one(ContentSwitcher).visible_content
            buttons = [b for b in part.query(PasisButton) if b.display] if part else []
            target = buttons[0] if buttons else part
        if target is not None:
            self.call_after_refresh(target.focus)

    def action_back(self) -> None:
        if self.citizen is None or not self.trail:
            super().action_back()
            return
        name = self.trail.pop()
        self.show_view(name, remember=False)
        if name == "inkorg":
            self.action_inkorg(reset=False)
        elif name == "bokade":
            self.action_bokade_tider(reset=False)

    # -- log in and out ------------------------------------------------------------------------

    @on(Input.Submitted, "#personnummer")
    def _login_submitted(self) -> None:
        self.action_logga_in()

    def action_logga_in(self) -> None:
        self.clear_errors()
        typed = self.query_one("#personnummer", Input).value
        self.run_db(lambda ctx: log_in_citizen(ctx=ctx, personnummer=typed), self._logged_in)

    def _logged_in(self, result: LoginResult) -> None:
        self.citizen = result.citizen
        self.query_one("#c1177_vem", Static).update(
            f"Inloggad: {result.citizen.name} ({result.citizen.personnummer_text})"
        )
        self.query_one("#c1177_meny").display = True
        self.query_one("#personnummer", Input).value = ""
        self.action_inkorg()
        self.status(result.message)

    def action_logga_ut(self) -> None:
        if self.citizen is None:
            return
        self.citizen = None
        self.opened = self.times = self.chosen = self.booked = self.offer = None
        self.trail.clear()
        for table in self.query(DataTable):
            table.clear()
        for option_list in self.query(OptionList):
            option_list.clear_options()
        self.query_one("#c1177_vem", Static).update(NOT_LOGGED_IN)
        self.query_one("#c1177_meny").display = False
        self.show_view("inloggning", remember=False)
        self.status(LOGGED_OUT)

    # -- Inkorg and a message ------------------------------------------------------------------

    def action_inkorg(self, reset: bool = True) -> None:
        citizen = self.citizen
        if citizen is None:
            return
        if reset:
            self.trail.clear()
            self.show_view("inkorg", remember=False)
            self.inbox = None
        offset = self.inbox.offset if self.inbox else 0
        self._inbox_page(offset, cursor_at="same")

    def _inbox_page(self, offset: int, *, cursor_at: str) -> None:
        citizen = self.citizen
        if citizen is None:
            return

        def shown(view: InboxView) -> None:
            self.inbox = view
            self.query_one(InboxPart).show(view, cursor_at=cursor_at)

        self.run_db(
            lambda ctx: inbox_view(ctx=ctx, citizen=citizen, offset=offset), shown, group="inkorg"
        )

    @on(InboxTable.PageWanted)
    def _inbox_paged(self, event: InboxTable.PageWanted) -> None:
        view = self.inbox
        if view is None:
            return
        if event.step > 0 and view.has_older:
            self._inbox_page(view.offset + view.page_size, cursor_at="top")
        elif event.step < 0 and view.has_newer:
            self._inbox_page(view.offset - view.page_size, cursor_at="bottom")
        else:
            self.status("Inga äldre meddelanden" if event.step > 0 else "Inga nyare meddelanden")

    @on(DataTable.RowSelected, "#inkorg_lista")
    def _message_chosen(self, event: DataTable.RowSelected) -> None:
        citizen = self.citizen
        if citizen is None or event.row_key.value is None:
            return
        message_id = int(event.row_key.value)
        self.clear_errors()
        self.run_db(
            lambda ctx: read_message(ctx=ctx, citizen=citizen, message_id=message_id),
            self._message,
            group=None,
        )

    def _message(self, opened: OpenedMessage) -> None:
        self.opened = opened
        self.query_one(MessagePart).show(opened)
        self.show_view("meddelande")
        self.status(opened.message.sent_text)

    # -- Boka tid: the times, the confirmation step, the receipt ------------------------------

    def action_boka_tid(self) -> None:
        citizen, opened = self.citizen, self.opened
        if citizen is None or opened is None or opened.invitation is None:
            return
        message_id = opened.message.message_id
        self.clear_errors()
        self.run_db(
            lambda ctx: invitation_times(ctx=ctx, citizen=citizen, message_id=message_id),
            self._times,
            group="tider",
        )

    def _times(self, times: SlotList, *, error: bool = False) -> None:
        self.times = times
        self.query_one(SlotListPart).show(times)
        self.show_view("tider", remember=self.view != "tider")
        self.status(times.message, error=error)

    @on(GroupedList.Chosen, "#tider")
    def _time_chosen(self, event: GroupedList.Chosen) -> None:
        times = self.times
        chosen = times.time(int(event.key)) if times else None
        if times is None or chosen is None:
            return
        self.chosen = chosen
        self.query_one(ConfirmPart).show(times, chosen)
        self.show_view("bekrafta")
        self.status(f"Vald tid: {chosen.text}")

    def action_bekrafta(self) -> None:
        citizen, times, chosen = self.citizen, self.times, self.chosen
        if citizen is None or times is None or chosen is None or self.view != "bekrafta":
            return
        self.clear_errors()
        self.run_db(
            lambda ctx: book_time(ctx=ctx, citizen=citizen, times=times, slot_id=chosen.slot_id),
            self._booked,
            group=None,
        )

    def _booked(self, outcome: BookingOutcome) -> None:
        if outcome.taken is not None:
            if self.trail and self.trail[-1] == "tider":
                self.trail.pop()
            self._times(outcome.taken, error=True)
            return
        assert outcome.receipt is not None
        home = "bokade" if self.times and self.times.booking_id else "inkorg"
        self._receipt(outcome.receipt, home=home)

    def _receipt(self, receipt: ReceiptView, *, home: str) -> None:
        self.times = self.chosen = self.offer = None
        self.query_one(ReceiptPart).show(receipt)
        self.trail = [home]
        self.show_view("kvitto", remember=False)
        self.status(receipt.message)

    # -- Bokade tider: Omboka, Avboka, Kontakta oss -------------------------------------------

    def action_bokade_tider(self, reset: bool = True) -> None:
        citizen = self.citizen
        if citizen is None:
            return
        if reset:
            self.trail.clear()
            self.show_view("bokade", remember=False)
        self.run_db(
            lambda ctx: booked_times_view(ctx=ctx, citizen=citizen),
            self._booked_times,
            group="bokade",
        )

    def _booked_times(self, view: BookedTimesView) -> None:
        self.booked = view
        self.query_one(BookedPart).show(view)
        self.status(view.message)

    @on(DataTable.RowHighlighted, "#bokade_lista")
    def _booking_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.booked is not None and event.row_key.value is not None:
            self.query_one(BookedPart).detail(self.booked, int(event.row_key.value))

    def _highlighted_booking(self) -> int | None:
        table = self.query_one("#bokade_lista", DataTable)
        if self.view != "bokade" or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def _change(
        self, case: Callable[..., ChangeOffer], done: Callable[[ChangeOffer], None]
    ) -> None:
        """Omboka or Avboka on the highlighted booking: the core says what she may do."""
        citizen, booking_id = self.citizen, self._highlighted_booking()
        if citizen is None or booking_id is None:
            return
        self.clear_errors()
        self.run_db(lambda ctx: case(ctx=ctx, citizen=citizen, booking_id=booking_id), done)

    def action_omboka(self) -> None:
        self._change(rebook_offer, self._rebook_offer)

    def _rebook_offer(self, offer: ChangeOffer) -> None:
        self.offer = offer
        if offer.refusal is not None or offer.times is None:
            self._refused(offer, what="omboka")
            return
        self._times(offer.times)

    def _refused(self, offer: ChangeOffer, *, what: str) -> None:
        self.query_one(RefusalPart).show(offer, what=what)
        self.show_view("avslag")
        self.status(offer.refusal or "", error=True)

    def action_avboka(self) -> None:
        self._change(cancel_offer, self._cancel_offer)

    def _cancel_offer(self, offer: ChangeOffer) -> None:
        self.offer = offer
        if offer.refusal is not None:
            self._refused(offer, what="avboka")
            return
        self._ask_cancel(offer)

    @work(exclusive=True, group="fraga")
    async def _ask_cancel(self, offer: ChangeOffer) -> None:
        citizen = self.citizen
        if citizen is None or not await self.confirm(offer.question):
            self.status("Tiden är inte avbokad")
            return
        booking_id = offer.booked.booking_id
        self.run_db(
            lambda ctx: cancel_booking(ctx=ctx, citizen=citizen, booking_id=booking_id),
            lambda receipt: self._receipt(receipt, home="bokade"),
            group=None,
        )

    def action_kontakta(self) -> None:
        if self.offer is None or not self.offer.may_contact or self.view != "avslag":
            return
        self.query_one(ContactPart).start(self.offer)
        self.show_view("kontakt")
        self.status("")

    @on(Input.Submitted, "#kontakt_text")
    def _contact_submitted(self) -> None:
        self.action_skicka()

    def action_skicka(self) -> None:
        citizen, offer = self.citizen, self.offer
        if citizen is None or offer is None or self.view != "kontakt":
            return
        self.clear_errors()
        text = self.query_one("#kontakt_text", Input).value
        booking_id = offer.booked.booking_id
        self.run_db(
            lambda ctx: send_contact(ctx=ctx, citizen=citizen, booking_id=booking_id, text=text),
            self._contact_sent,
            group=None,
        )

    def _contact_sent(self, line: ContactLine) -> None:
        self.query_one(ContactPart).sent(line)
        self.trail = ["bokade"]
        self.status(line.message)

    # -- Boka tid direkt -----------------------------------------------------------------------

    def action_direkt(self) -> None:
        if self.citizen is None:
            return
        self.trail.clear()
        self.show_view("direkt", remember=False)
        self.run_db(lambda ctx: direct_clinic_list(ctx=ctx), self._clinics, group="direkt")

    def _clinics(self, clinics: tuple[DirectClinic, ...]) -> None:
        self.query_one(DirectPart).show(
            tuple((c.clinic_id, f"{c.name}, {c.city}") for c in clinics)
        )
        self.status(f"{len(clinics)} mottagningar erbjuder Boka tid direkt")

    @on(OptionList.OptionSelected, "#mottagningar")
    def _clinic_chosen(self, event: OptionList.OptionSelected) -> None:
        clinic_id = int(event.option.id or 0)
        self.clear_errors()
        self.run_db(
            lambda ctx: direct_times(ctx=ctx, clinic_id=clinic_id), self._times, group="tider"
        )
