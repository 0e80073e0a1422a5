"""SP 191 Bevakningsutsökning (seed 5.4): order a watch search, follow up the list it found.

1 Beställningsöversikt (the user's orders), 2 Beställning (the criteria; Beställ, Töm bild),
3 Översikt bevakningar (the order's watches; Space chooses, Enter opens SP 090 on the list,
F6 Felsökning), 4 Översikt rensningar, 5 Rensning, 6 Byte av vårdgivare, 7 Bevakningsbrev.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, TabbedContent, TabPane

from pasis_tui.core.errors import PasisError
from pasis_tui.core.watch_search_cases import (
    OrderForm,
    OrderList,
    Placed,
    order_list,
    place_search_order,
    remove_search_order,
)
from pasis_tui.core.watch_views import WatchListParams
from pasis_tui.widgets.form import RecordForm
from pasis_tui.widgets.overview import OverviewList
from pasis_tui.widgets.tables import show_rows
from screens.base import OpenScreenRequest
from screens.sp191_followup import FollowupScreen, compose_followup_tabs
from screens.sp191_lists import OrderFormView, OrderOverview, WatchOverview

HELP = """\
**Bevakningsutsökning (SP 191).** Sök fram bevakningar och följ upp dem som inte bokat.

- **2 Beställning** (Alt+2): fyll i urvalet (tomt = alla) och tryck **Beställ** (Alt+B). *Vid ÖK,
  boka t o m passerat* ger de ÖK-bevakningar som inte är bokade och vars Boka t o m är före datumet.
  **Töm bild** (Alt+T) tömmer fälten.
- **1 Beställningsöversikt** (Alt+1): dina beställningar. **Enter** öppnar beställningens
  bevakningar, **Delete** tar bort beställningen (bevakningarna finns kvar).
- **3 Översikt bevakningar** (Alt+3): **Mellanslag** väljer en bevakning, **Enter** öppnar den i
  SP 090 (Nästa i bev. lista går vidare i listan), **F6** Felsökning. **PgUp/PgDn** bläddrar.
- **4 Översikt rensningar**: vilka som rensats, av vem, när och varför.
- **5 Rensning** (Alt+R Rensa): de valda bevakningarna avslutas med en orsak; kallelsen
  dras tillbaka.
- **6 Byte av vårdgivare** (Alt+Y): de valda får en ny vårdgivare; saknar den tider i fönstret
  frågar bilden först.
- **7 Bevakningsbrev** (Alt+S Skicka): brev via 1177 till dem med konto, på papper (fil)
  till övriga.
"""


class WatchSearchScreen(FollowupScreen):
    HELP = HELP
    DEFAULT_CSS = """
    WatchSearchScreen .sp191_rubrik { margin: 1 0 0 1; text-style: bold; }
    WatchSearchScreen .sp191_knappar { height: auto; margin: 1 0 0 1; }
    WatchSearchScreen #brevtext { height: 6; margin: 1 1 0 1; }
    WatchSearchScreen #rensning_resultat, WatchSearchScreen #byte_resultat { margin: 1 1; }
    /* one space between the tabs instead of two: all seven labels fit 120 columns */
    WatchSearchScreen Tabs Tab { padding: 0 0 0 1; }
    WatchSearchScreen #brev_delar { height: 1fr; margin: 1 1 0 1; }
    WatchSearchScreen #brev_lista { width: 60; height: 1fr; }
    WatchSearchScreen #brev_resultat_ram { height: 1fr; margin: 0 0 0 1; }
    WatchSearchScreen #brev_antal { margin: 0 0 0 2; }
    WatchSearchScreen #rensning_lista, WatchSearchScreen #byte_lista { height: 1fr; margin: 0 1; }
    WatchSearchScreen #sp191_enhet { margin: 1 0 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete", "ta_bort", "Ta bort beställning", id="sp191.ta_bort"),
    ]
    #: Domain fields no form declares: where the message goes.
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "order_no": "bestallningar",
        "watches": "bevakningar",
        "letter_text": "brevtext",
    }

    def compose_body(self) -> ComposeResult:
        # an order received before the first showing (SP 090's "Översikt bev.utsök") opens on 3
        first = "bevakningar_flik" if self._received is not None else "bestallning"
        with TabbedContent(initial=first):
            with TabPane("1 Beställningsöversikt", id="oversikt"):
                yield OrderOverview(table_id="bestallningar")
            with TabPane("2 Beställning", id="bestallning"):
                yield Label("ENHET", id="sp191_enhet")
                yield OrderFormView(id="bestallning_form")
            with TabPane("3 Översikt bev.", id="bevakningar_flik"):
                yield WatchOverview(table_id="bevakningar")
            yield from compose_followup_tabs()

    # -- opening -------------------------------------------------------------------------------

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._received: int | None = None

    def receive(self, params: object) -> None:
        """An int order number (SP 090's "Översikt bev.utsök") opens tab 3 on that order."""
        if isinstance(params, int):
            self._received = params
        elif isinstance(params, WatchListParams) and params.order_no is not None:
            self._received = params.order_no

    def on_ready(self) -> None:
        self.query_one("#sp191_enhet", Label).update(f"ENHET*  {self.ctx.unit.label}")
        self.refresh_followup()

    def on_open(self) -> None:
        self.query_one(OrderOverview).load()
        if self._received is not None:
            number, self._received = self._received, None
            # at once (a deferred call is no signal tests can wait on): on a first open the
            # tabs were composed on tab 3 already (compose_body), and later ones are settled
            self.open_order(number)
        elif self.watches.order_no is not None:
            self.watches.load()
        self.load_cleaned()

    @property
    def order_form(self) -> OrderFormView:
        return self.query_one(OrderFormView)

    @on(TabbedContent.TabActivated)
    def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id != self.query_one(TabbedContent).active:
            return  # a late message of a tab already left (the first one, when an order opens)
        focused = self.focused
        if focused is not None and event.pane in focused.ancestors:
            return
        focus = {
            "oversikt": "#bestallningar",
            "bestallning": "#mott",
            "bevakningar_flik": "#bevakningar",
            "rensningar": "#rensade",
            "rensning": "#orsak",
            "byte": "#ny_vg",
            "brev": "#brevtext",
        }.get(event.pane.id or "")
        if focus:
            self.query_one(focus).focus()
        if event.pane.id == "rensningar":
            self.load_cleaned()
        self.refresh_followup()

    def show_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane

    def show_error(self, error: PasisError) -> None:
        """A field both forms know (Vg) is marked in the tab on screen first."""
        active = self.query_one(TabbedContent).active_pane
        forms = list(active.query(RecordForm)) if active else []
        if error.field and any(form.mark(error.field, error.message) for form in forms):
            self.status(error.message, error=True)
            return
        super().show_error(error)

    # -- 2 Beställning -------------------------------------------------------------------------

    def action_bestall(self) -> None:
        self.clear_errors()
        form = self.order_form.to_model(OrderForm)
        self.run_db(lambda ctx: place_search_order(ctx=ctx, form=form), self._placed, group=None)

    def _placed(self, placed: Placed) -> None:
        self.status(placed.message)
        self.query_one(OrderOverview).load()
        self.open_order(placed.order_no)

    def action_tom_bild(self) -> None:
        self.clear_errors()
        self.order_form.load(None)
        self.query_one("#mott").focus()
        self.status("Bilden är tömd")

    # -- 1 Beställningsöversikt ----------------------------------------------------------------

    def open_order(self, order_no: int) -> None:
        self.watches.open_order(order_no)
        self.show_tab("bevakningar_flik")
        self.watches.table.focus()
        self.refresh_followup()
        self.load_cleaned()

    @on(OverviewList.Opened)
    def _row_opened(self, event: OverviewList.Opened) -> None:
        event.stop()
        if isinstance(event.overview, OrderOverview):
            self.open_order(int(event.key))
        else:
            self._open_in_sp090(int(event.key))

    @work(exclusive=True, group="fraga")
    async def action_ta_bort(self) -> None:
        overview = self.query_one(OrderOverview)
        table = overview.table
        if self.query_one(TabbedContent).active != "oversikt" or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return
        order_no = int(key)
        if not await self.confirm(f"Ta bort beställning {order_no}? Bevakningarna finns kvar."):
            return

        def done(message: str) -> None:
            self.status(message)
            if self.watches.order_no == order_no:
                self.watches.order_no, self.watches.chosen = None, set()
                show_rows(self.watches.table, [])
                self.refresh_followup()
            overview.load()

        self.run_db(lambda ctx: remove_search_order(ctx=ctx, order_no=order_no), done, group=None)

    # -- 3 Översikt bevakningar ----------------------------------------------------------------

    def _open_in_sp090(self, watch_id: int) -> None:
        """Enter: SP 090 on this watch, with the order's whole list for Nästa i bev. lista."""
        order_no = self.watches.order_no
        if order_no is None:
            return

        def done(found: OrderList) -> None:
            ids = found.watch_ids
            index = ids.index(watch_id) if watch_id in ids else 0
            params = WatchListParams(watch_ids=ids, index=index, order_no=found.order_no)
            self.post_message(OpenScreenRequest("090", params))

        self.run_db(lambda ctx: order_list(ctx=ctx, order_no=order_no), done, group="sp090")
