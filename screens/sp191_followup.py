"""SP 191's tabs 4–7 on the chosen order: Översikt rensningar, Rensning, Byte av vårdgivare and
Bevakningsbrev. Each action is one core call; the chosen watches come from 3 Översikt."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, Static, TabbedContent, TabPane, TextArea

from pasis_tui.core.watch_followup import CleanedLine, CleanResult, MoveResult, Recipients
from pasis_tui.core.watch_search import FoundWatch
from pasis_tui.core.watch_search_cases import (
    LettersSent,
    chosen_order_watches,
    clean_order_watches,
    cleaned_lines,
    move_order_watches,
    order_recipients,
    send_order_letters,
)
from pasis_tui.widgets import PasisButton
from screens.base import PasisScreen
from screens.sp191_lists import CleanForm, MoveForm, WatchOverview

LETTER_TEXT = (
    "Du har fått en kallelse att boka en tid hos oss men har inte bokat ännu. "
    "Logga in på 1177 och boka en tid som passar dig, eller ring mottagningen."
)
CHOOSE_HINT = "Välj bevakningar med Mellanslag i 3 Översikt bevakningar."


def chosen_text(order_no: int | None, chosen: int) -> str:
    if order_no is None:
        return "Ingen beställning vald: Enter på en rad i 1 Beställningsöversikt."
    return f"Beställning {order_no}: {chosen} valda bevakningar. {CHOOSE_HINT}"


#: 5 Rensning's and 6 Byte av vårdgivare's lists of the chosen watches.
CHOSEN_COLUMNS = (
    ("Nr", 6), ("Bev", 6), ("Personnummer", 13), ("Namn", 24), ("Boka t o m", 10), ("Vg", 6),
    ("Status", 8),
)  # fmt: skip
RECIPIENT_COLUMNS = (("Bev", 6), ("Personnummer", 13), ("Namn", 24), ("Brev via", 8))
CHOSEN_TABLES = ("#rensning_lista", "#byte_lista")


def _table(table_id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[object]:
    table: DataTable[object] = DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
    for label, width in columns:
        table.add_column(label, width=width)
    return table


def compose_followup_tabs() -> ComposeResult:
    # "bev." and "rens." as in SP 090's "Översikt bev.utsök": all seven tabs fit 120 columns.
    with TabPane("4 Översikt rens.", id="rensningar"):
        yield Label("", id="rensningar_rubrik", classes="sp191_rubrik")
        yield DataTable(id="rensade", cursor_type="row", zebra_stripes=True)
    with TabPane("5 Rensning", id="rensning"):
        yield Label("", id="rensning_valda", classes="sp191_rubrik")
        yield CleanForm(id="rensning_form")
        yield Static("", id="rensning_resultat")
        yield _table("rensning_lista", CHOSEN_COLUMNS)
    with TabPane("6 Byte av vårdgivare", id="byte"):
        yield Label("", id="byte_valda", classes="sp191_rubrik")
        yield MoveForm(id="byte_form")
        yield Static("", id="byte_resultat")
        yield _table("byte_lista", CHOSEN_COLUMNS)
    with TabPane("7 Bevakningsbrev", id="brev"):
        yield Label("", id="brev_rubrik", classes="sp191_rubrik")
        yield TextArea(LETTER_TEXT, id="brevtext", soft_wrap=True)
        with Horizontal(classes="sp191_knappar"):
            yield PasisButton("Skicka", "s", run="skicka")
            yield Label("", id="brev_antal")
        with Horizontal(id="brev_delar"):
            yield _table("brev_lista", RECIPIENT_COLUMNS)
            with VerticalScroll(id="brev_resultat_ram"):
                yield Static("", id="brev_resultat")


class FollowupScreen(PasisScreen):
    """The SP 191 screen's tabs 4–7 (the screen itself subclasses this)."""

    @property
    def watches(self) -> WatchOverview:
        return self.query_one(WatchOverview)

    def chosen(self) -> tuple[int, ...]:
        """The chosen watches in list order (the highlighted one when none is chosen)."""
        return tuple(sorted(self.watches.chosen))

    def refresh_followup(self) -> None:
        """Labels and lists of tabs 5–7 for the order and choice now."""
        order_no, n = self.watches.order_no, len(self.watches.chosen)
        for label_id in ("#rensning_valda", "#byte_valda"):
            self.query_one(label_id, Label).update(chosen_text(order_no, n))
        brev = (
            f"Beställning {order_no}: brev till varje patient vars bevakning är öppen."
            if order_no is not None
            else chosen_text(None, 0)
        )
        self.query_one("#brev_rubrik", Label).update(brev)
        self._load_lists(order_no)

    def _load_lists(self, order_no: int | None) -> None:
        """5 and 6: the chosen watches; 7: who gets a letter and how. Read in the open tab only."""
        tab = self.query_one(TabbedContent).active
        for table_id in (*CHOSEN_TABLES, "#brev_lista"):
            self.query_one(table_id, DataTable).clear()
        self.query_one("#brev_antal", Label).update("")
        if order_no is None:
            return
        if tab in ("rensning", "byte") and self.watches.chosen:
            ids = self.chosen()
            self.run_db(
                lambda ctx: chosen_order_watches(ctx=ctx, order_no=order_no, watch_ids=ids),
                self._show_chosen,
                group="valda",
            )
        elif tab == "brev":
            self.run_db(
                lambda ctx: order_recipients(ctx=ctx, order_no=order_no),
                self._show_recipients,
                group="mottagare",
            )

    def _show_chosen(self, rows: tuple[FoundWatch, ...]) -> None:
        for table_id in CHOSEN_TABLES:
            table = self.query_one(table_id, DataTable)
            table.clear()
            for r in rows:
                table.add_row(
                    r.position, r.watch_id, r.personnummer, r.patient_name,
                    str(r.book_to or ""), r.caregiver, r.status, key=str(r.watch_id),
                )  # fmt: skip

    def _show_recipients(self, found: Recipients) -> None:
        table = self.query_one("#brev_lista", DataTable)
        table.clear()
        for r in found.lines:
            table.add_row(
                r.watch_id, r.personnummer, r.patient_name, r.channel, key=str(r.watch_id)
            )
        total = found.digital + found.paper
        shown = f" (de {len(found.lines)} första visas)" if len(found.lines) < total else ""
        self.query_one("#brev_antal", Label).update(
            f"{total} brev: {found.digital} via 1177, {found.paper} per post{shown}"
        )

    # -- 4 Översikt rensningar -----------------------------------------------------------------

    def load_cleaned(self) -> None:
        order_no = self.watches.order_no
        if order_no is None:
            self.query_one("#rensningar_rubrik", Label).update(chosen_text(None, 0))
            return
        self.run_db(
            lambda ctx: cleaned_lines(ctx=ctx, order_no=order_no), self._show_cleaned, group="rens"
        )

    def _show_cleaned(self, lines: tuple[CleanedLine, ...]) -> None:
        table = self.query_one("#rensade", DataTable)
        if not table.columns:
            for label, width in (
                ("Bev", 6), ("Personnummer", 13), ("Namn", 24), ("Rensad", 16), ("Av", 6),
                ("Orsak", 40),
            ):  # fmt: skip
                table.add_column(label, width=width)
        table.clear()
        for line in lines:
            table.add_row(
                line.watch_id, line.personnummer, line.patient_name,
                line.cleaned_at.strftime("%Y-%m-%d %H:%M"), line.cleaned_by, line.reason,
            )  # fmt: skip
        self.query_one("#rensningar_rubrik", Label).update(
            f"Beställning {self.watches.order_no}: {len(lines)} rensade bevakningar"
        )

    # -- 5 Rensning ----------------------------------------------------------------------------

    def action_rensa(self) -> None:
        self.clear_errors()
        order_no, ids = self.watches.order_no, self.chosen()
        reason = self.query_one(CleanForm).value("reason")
        self.run_db(
            lambda ctx: clean_order_watches(
                ctx=ctx, order_no=order_no, watch_ids=ids, reason=reason
            ),
            self._cleaned,
            group=None,
        )

    def _cleaned(self, result: CleanResult) -> None:
        self.watches.chosen.difference_update(result.closed)
        self.query_one("#rensning_resultat", Static).update(result.message)
        self.status(result.message)
        self.after_change()

    # -- 6 Byte av vårdgivare ------------------------------------------------------------------

    @work(exclusive=True, group="fraga")
    async def action_byt(self) -> None:
        self.clear_errors()
        order_no, ids = self.watches.order_no, self.chosen()
        caregiver = self.query_one(MoveForm).value("caregiver")

        def done(result: MoveResult) -> None:
            if not result.saved:
                self._confirm_move(result, order_no, ids, caregiver)
                return
            self._moved(result)

        self.run_db(
            lambda ctx: move_order_watches(
                ctx=ctx, order_no=order_no, watch_ids=ids, caregiver=caregiver
            ),
            done,
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def _confirm_move(
        self, result: MoveResult, order_no: int | None, ids: tuple[int, ...], caregiver: str
    ) -> None:
        warnings = "\n".join(result.warnings)
        self.query_one("#byte_resultat", Static).update(warnings)
        question = f"{result.message}?\n\n{warnings}\n\nFlytta ändå?"
        if not await self.confirm(question):
            self.status("Byte av vårdgivare avbrutet: inget flyttades")
            return
        self.run_db(
            lambda ctx: move_order_watches(
                ctx=ctx, order_no=order_no, watch_ids=ids, caregiver=caregiver, confirmed=True
            ),
            self._moved,
            group=None,
        )

    def _moved(self, result: MoveResult) -> None:
        lines = [
            result.message,
            *result.warnings,
            *(f"{s.watch_id}: {s.why}" for s in result.skipped),
        ]
        self.query_one("#byte_resultat", Static).update("\n".join(lines))
        self.status(result.message)
        self.after_change()

    # -- 7 Bevakningsbrev ----------------------------------------------------------------------

    def action_skicka(self) -> None:
        self.clear_errors()
        order_no = self.watches.order_no
        text = self.query_one("#brevtext", TextArea).text
        self.run_db(
            lambda ctx: send_order_letters(ctx=ctx, order_no=order_no, text=text),
            self._sent,
            group=None,
        )

    def _sent(self, result: LettersSent) -> None:
        lines = [result.message, "", f"Via 1177 ({len(result.digital)}):"]
        lines += [f"  {name}" for name in result.digital] or ["  –"]
        lines += ["", f"Per post ({len(result.paper)}):"]
        lines += [f"  {name}" for name in result.paper] or ["  –"]
        if result.paper_file:
            lines += ["", f"Pappersbreven finns i {result.paper_file}"]
        self.query_one("#brev_resultat", Static).update("\n".join(lines))
        self.status(result.message)
        self.after_change()

    def after_change(self) -> None:
        """A follow-up changed the order's list: lists and labels are read again."""
        self.watches.load()
        self.refresh_followup()
        self.load_cleaned()
