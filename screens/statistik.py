"""Statistik (seed 11): bookings, rebookings and cancellations per week and clinic, split by 1177
and staff; the ÖK funnel and the median days to booking; as a table and terminal charts."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Label, Static
from textual_plotext import PlotextPlot

from pasis_tui.core.statistics_cases import (
    Exported,
    StatisticsFilter,
    StatisticsView,
    booking_statistics_view,
    export_statistics_csv,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.form import FormField, RecordForm
from screens.base import PasisScreen

HELP = """\
**Statistik.** Bokningar, ombokningar och avbokningar per vecka och mottagning, uppdelat på
1177 och personal, och hur de öppna kallelserna (ÖK) gick: skickade → bokade → passerade obokade →
avslutade, med mediantiden i dagar från kallelse till bokning.

- Filtrera på **Enhet**, **Mott** och period (**From/Tom datum**; tomt = de senaste 52 veckorna)
  och tryck **Visa** (Alt+V eller Enter).
- **Exportera CSV** (Alt+E) skriver tabellen till en fil; filens namn står i statusraden.
"""

COLUMNS = (("Vecka", 8), ("Mott", 5), ("Händelse", 11), ("1177", 5), ("Personal", 8), ("Tot", 5))


class StatisticsFilterForm(RecordForm):
    FIELDS = (
        FormField("Enhet", "stat_enhet", "unit_code", max_length=8, width=8, row=1),
        FormField("Mott", "stat_mott", "clinic_code", max_length=4, width=6, row=1),
        FormField("From datum", "stat_from", "from_date", kind="date", row=1),
        FormField("Tom datum", "stat_tom", "to_date", kind="date", row=1),
    )

    def compose_row_end(self, row: int) -> ComposeResult:
        yield PasisButton("Visa", "v", run="visa")
        yield PasisButton("Exportera CSV", "e", run="exportera")


def funnel_text(view: StatisticsView) -> str:
    f = view.funnel
    median = "–" if f.median_days_to_booking is None else f"{f.median_days_to_booking:.1f}"
    return (
        f"ÖK {view.first} – {view.last}: skickade {f.sent} → bokade {f.booked} → passerade "
        f"obokade {f.passed_unbooked} → avslutade {f.closed}.  Median {median.replace('.', ',')} "
        "dagar från kallelse till bokning."
    )


class StatisticsScreen(PasisScreen):
    HELP = HELP
    DEFAULT_CSS = """
    StatisticsScreen #stat_tratt { margin: 0 1; height: auto; }
    StatisticsScreen #stat_delar { height: 1fr; }
    StatisticsScreen #stat_tabell { width: 56; height: 1fr; }
    StatisticsScreen #stat_diagram { width: 1fr; height: 1fr; }
    StatisticsScreen #stat_veckor { height: 2fr; }
    StatisticsScreen #stat_trattdiagram { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "visa", "Visa", id="stat.visa"),
    ]

    def compose_body(self) -> ComposeResult:
        yield StatisticsFilterForm(id="stat_filter")
        yield Static("", id="stat_tratt")
        with Horizontal(id="stat_delar"):
            yield DataTable(id="stat_tabell", cursor_type="row", zebra_stripes=True)
            with Vertical(id="stat_diagram"):
                yield PlotextPlot(id="stat_veckor")
                yield PlotextPlot(id="stat_trattdiagram")
        yield Label("", id="stat_antal")

    def on_ready(self) -> None:
        table = self.query_one("#stat_tabell", DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)

    def on_open(self) -> None:
        self.action_visa()

    def filters(self) -> StatisticsFilter:
        return self.query_one(StatisticsFilterForm).to_model(StatisticsFilter)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_visa()

    def action_visa(self) -> None:
        self.clear_errors()
        filters = self.filters()
        self.run_db(
            lambda ctx: booking_statistics_view(ctx=ctx, filters=filters), self._show, group="stat"
        )

    def action_exportera(self) -> None:
        self.clear_errors()
        filters = self.filters()
        self.run_db(
            lambda ctx: export_statistics_csv(ctx=ctx, filters=filters), self._exported, group=None
        )

    def _exported(self, result: Exported) -> None:
        self.status(result.message)

    _shown: StatisticsView | None = None

    def _show(self, view: StatisticsView) -> None:
        if view != self._shown:  # the same figures again (a re-open): nothing to draw anew
            self._shown = view
            self._fill(view)
        self.status(view.message)

    def _fill(self, view: StatisticsView) -> None:
        self.query_one("#stat_tratt", Static).update(funnel_text(view))
        table = self.query_one("#stat_tabell", DataTable)
        table.clear()
        for r in view.rows:
            table.add_row(r.week[5:], r.clinic_code, r.kind, r.via_1177, r.via_staff, r.total)
        clinic = f" mott {view.clinic_code}" if view.clinic_code else ""
        self.query_one("#stat_antal", Label).update(
            f"Enhet {view.unit_code}{clinic}: {len(view.rows)} rader, {len(view.weeks)} veckor"
        )
        self._draw(view)

    def _draw(self, view: StatisticsView) -> None:
        weeks = self.query_one("#stat_veckor", PlotextPlot)
        plt = weeks.plt
        plt.clear_data()
        plt.clear_figure()
        if view.weeks:
            # Lines, not bars: a year's 52 weeks are fewer columns than bars need, and stacked
            # bars that narrow ran together into one block.
            xs = [float(n) for n in range(len(view.weeks))]
            for label, values, color in (
                ("Bokade via 1177", [w.booked_1177 for w in view.weeks], "green"),
                ("Bokade av personal", [w.booked_staff for w in view.weeks], "magenta"),
            ):
                plt.plot(xs, values, label=label, color=color, marker="braille")
            step = max(1, len(xs) // 8)
            plt.xticks(xs[::step], [w.week[5:] for w in view.weeks][::step])
            top = max(max(w.booked_1177, w.booked_staff) for w in view.weeks)
            plt.yticks(list(range(0, top + 1, max(1, top // 5))))  # whole bookings, not 10.8
        plt.title("Bokningar per vecka")
        weeks.refresh()
        funnel = self.query_one("#stat_trattdiagram", PlotextPlot)
        fplt = funnel.plt
        fplt.clear_data()
        fplt.clear_figure()
        f = view.funnel
        fplt.bar(
            ["Skickade", "Bokade", "Passerade", "Avslutade"],
            [f.sent, f.booked, f.passed_unbooked, f.closed],
            orientation="horizontal",
        )
        fplt.title("Öppna kallelser (ÖK)")
        funnel.refresh()
