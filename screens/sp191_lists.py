"""SP 191's lists and forms: 1 Beställningsöversikt, 2 Beställning, 3 Översikt bevakningar."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Label

from pasis_tui.core.parse import format_date
from pasis_tui.core.watch_search_cases import (
    CATEGORY_CHOICES,
    CONTACT_CHOICES,
    SHORT_NOTICE_CHOICES,
    SORT_CHOICES,
    TYPE_CHOICES,
    OrderRow,
    order_page,
    watch_page,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.fields import set_text
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.overview import Cells, OverviewList
from pasis_tui.widgets.tables import rows_changed

W = 30  # label width of 2 Beställning
CHOSEN = "✓"


class OrderOverview(OverviewList):
    """1 Beställningsöversikt: the user's orders, newest first; Enter opens, Delete removes."""

    NOUN = "beställningar"
    SINGULAR = "beställning"
    COLUMNS = (
        ("Bestnr", 6), ("Antal", 7), ("Enhet", 6), ("Typ", 4), ("From", 10), ("Tom", 10),
        ("Vg", 6), ("Vgkat", 6), ("Rensning", 8), ("Byte vg", 7), ("Brev", 6), ("Ta bort", 7),
    )  # fmt: skip

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        return lambda ctx: order_page(ctx=ctx, offset=offset, limit=limit)

    def cells(self, line: OrderRow) -> tuple[str, Cells]:
        order = line.order
        return str(order.order_no), (
            order.order_no, order.count, order.unit_code, order.watch_type,
            format_date(order.from_date), format_date(order.to_date), order.caregiver,
            order.caregiver_category, line.cleaned or "", line.moved or "", line.letters or "",
            "Del",
        )  # fmt: skip


class WatchOverview(OverviewList):
    """3 Översikt bevakningar: the order's watches; Space chooses, Enter opens in SP 090."""

    NOUN = "bevakningar"
    SINGULAR = "bevakning"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "choose", "Välj", id="sp191.valj"),
        Binding("f6", "felsokning", "Felsökning", id="sp191.felsokning"),
    ]
    COLUMNS = (
        ("Vald", 4), ("Nr", 6), ("Personnummer", 13), ("Namn", 24), ("Typ", 4), ("Kontakt", 7),
        ("Datum", 10), ("Boka tom", 10), ("Vg", 5), ("Status", 10),
    )  # fmt: skip

    def __init__(self, *, table_id: str, id: str | None = None) -> None:
        super().__init__(table_id=table_id, id=id)
        self.order_no: int | None = None
        self.chosen: set[int] = set()
        self.shown_page: Any = None

    def fetch(self, filters: dict[str, Any], offset: int, limit: int) -> Any:
        order_no = self.order_no
        return lambda ctx: watch_page(ctx=ctx, order_no=order_no, offset=offset, limit=limit)

    def cells(self, line: Any) -> tuple[str, Cells]:
        return str(line.watch_id), (
            CHOSEN if line.watch_id in self.chosen else "", line.position, line.personnummer,
            line.patient_name, line.watch_type, line.contact_type, format_date(line.target_date),
            format_date(line.book_to), line.caregiver, line.status,
        )  # fmt: skip

    def show(self, page: Any) -> None:
        self.shown_page = page
        super().show(page)

    def count_text(self, page: Any) -> str:
        text = super().count_text(page)
        return f"Beställning {self.order_no}: {text}; valda {len(self.chosen)} (Mellanslag väljer)"

    def open_order(self, order_no: int) -> None:
        if order_no != self.order_no:
            self.order_no, self.chosen = order_no, set()
        self.load(offset=0)

    def highlighted(self) -> int | None:
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    def action_choose(self) -> None:
        watch_id = self.highlighted()
        if watch_id is None:
            return
        self.chosen.symmetric_difference_update({watch_id})
        table = self.table
        table.update_cell(str(watch_id), table.ordered_columns[0].key, self._mark(watch_id))
        rows_changed(table)  # the next page shown is drawn whole, even the same page
        if self.shown_page is not None:
            set_text(self.query_one(".lista_antal", Label), self.count_text(self.shown_page))
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def _mark(self, watch_id: int) -> str:
        return CHOSEN if watch_id in self.chosen else ""

    def action_felsokning(self) -> None:
        watch_id = self.highlighted()
        if watch_id is not None:
            from screens.felsokning import TroubleshootingModal

            self.app.push_screen(TroubleshootingModal(watch_id))


class OrderFormView(RecordForm):
    """2 Beställning: the seed's fields; Beställ stores the order, Töm bild empties the form."""

    FIELDS = (
        FormField("Mott", "mott", "clinic_code", max_length=4, label_width=W, row=1,
                  aliases=("clinic",)),
        FormField("From datum", "from_datum", "from_date", kind="date", label_width=W, row=2),
        FormField("Tom datum", "tom_datum", "to_date", kind="date", row=2),
        FormField("Typ", "typ", "watch_type", kind="choice", options=TYPE_CHOICES, width=6,
                  max_length=4, label_width=W, row=3),
        FormField("Vid ÖK, boka t o m passerat", "passerat", "book_to_passed", kind="date",
                  label_width=W, row=4),
        FormField("Vg/Resurs", "vg", "caregiver_signature", max_length=8, label_width=W, row=5,
                  aliases=("caregiver",)),
        FormField("Vg-kat", "vgkat", "caregiver_category", kind="choice",
                  options=CATEGORY_CHOICES, max_length=6, width=8, row=5),
        FormField("Kod", "kod", "code", max_length=8, width=10, label_width=W, row=6),
        FormField("Kort varsel", "kort_varsel", "short_notice", kind="choice",
                  options=SHORT_NOTICE_CHOICES, max_length=6, width=8, row=6),
        FormField("Kontakttyp", "kontakttyp", "contact_type", kind="choice",
                  options=CONTACT_CHOICES, max_length=4, width=6, label_width=W, row=7),
        FormField("Patientens födelseår from", "ar_from", "birth_year_from", max_length=4,
                  width=6, label_width=W, row=8),
        FormField("tom", "ar_tom", "birth_year_to", max_length=4, width=6, row=8),
        FormField("Intern diagnos from", "diagnos_from", "internal_diagnosis_from",
                  max_length=8, width=10, label_width=W, row=9),
        FormField("tom", "diagnos_tom", "internal_diagnosis_to", max_length=8, width=10, row=9),
        FormField("Sorteringsordning", "sortering", "sort_order", kind="select",
                  options=SORT_CHOICES, width=18, label_width=W, row=10),
    )  # fmt: skip

    def compose_tail(self) -> ComposeResult:
        with Horizontal(classes="sp191_knappar"):
            yield PasisButton("Beställ", "b", run="bestall")
            yield PasisButton("Töm bild", "t", run="tom_bild")


class CleanForm(RecordForm):
    FIELDS = (
        FormField("Orsak", "orsak", "reason", max_length=60, width=62, label_width=12, row=1),
    )

    def compose_tail(self) -> ComposeResult:
        with Horizontal(classes="sp191_knappar"):
            yield PasisButton("Rensa", "r", run="rensa")


class MoveForm(RecordForm):
    FIELDS = (
        FormField("Ny vårdgivare", "ny_vg", "caregiver", max_length=8, width=10, label_width=16,
                  row=1),
    )  # fmt: skip

    def compose_tail(self) -> ComposeResult:
        with Horizontal(classes="sp191_knappar"):
            yield PasisButton("Byt vårdgivare", "y", run="byt")
