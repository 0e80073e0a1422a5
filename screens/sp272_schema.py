"""SP 272 Schemaläggning: lay day templates into a caregiver's schedule and publish it (seed 4).

Every button is one action and one core call (pasis_tui.core.schedule_cases); the grid shows
only the days read for the view, and 1 Översikt reads its half year only when it is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    ProgressBar,
    Select,
    TabbedContent,
    TabPane,
)

from pasis_tui.core import schedule_cases as cases
from pasis_tui.core.appointment_book import BookRequest
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_date, week_example
from pasis_tui.core.schedule_cases import ResourceKind, ScheduleResult, Who
from pasis_tui.core.scheduling import DAY_NAMES, Choices, LaidDay, ScheduleView, code_and_name
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.buttons import underlined
from pasis_tui.widgets.choice import ChoiceField
from pasis_tui.widgets.fields import set_text
from pasis_tui.widgets.inputs import Stamps
from pasis_tui.widgets.tables import rows_changed, show_rows
from pasis_tui.widgets.toggles import OptionRow, WeekdayRow
from screens import sp272_grid as grid
from screens.base import OpenScreenRequest, PasisScreen
from screens.sp272_day import DayDetailModal
from screens.sp272_form import (
    CLINIC_FIELDS,
    LETTER_FIELDS,
    TEMPLATE_FIELDS,
    WEEKDAY_IDS,
    compose_form,
)
from screens.sp272_help import HELP

OVERVIEW_COLUMNS = (
    "Datum", "Vecka", "Dag", "Dagmall", "Namn", "Tid", "Mott", "Brevmall", "Status", "Upplagd",
    "Ändrad",
)  # fmt: skip


class ScheduleScreen(PasisScreen):
    HELP = HELP
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "read", "Läs", key_display="F5", show=True, id="sp272.las"),
    ]
    CSS_PATH = Path(__file__).with_suffix(".tcss")
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "caregiver": "vardgivare", "weeks": "vecka", "weekdays": "veckodag",
        "extend_weeks": "antal_veckor", "letter_template": "brevmall", "clinic": "mottagning",
        "template_code": "dagmall", "schedule_day": "valj_dagmall", "period_to": "period_tom",
        "from_date": "from_datum",
        **{f"weekday_{n}": widget_id for n, widget_id in enumerate(WEEKDAY_IDS)},
    }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.view: ScheduleView | None = None
        self.mode = grid.MONTH
        self.chosen_day = ""  # a laid day's id to choose once the schedule is read
        self.overview_stale = True
        self.choices: Choices | None = None
        self._grid_mode = ""  # the calendar's columns as drawn: month, week or work week
        self._day_options: list[tuple[str, str]] | None = None  # "Välj dagmall" as set

    # -- compose -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial="registrering"):
            with TabPane("1 Översikt", id="oversikt"):
                yield Label("Läs ett schema under 2 Registrering.", id="oversikt_rubrik")
                yield DataTable(cursor_type="row", id="dagar", zebra_stripes=True)
            with TabPane("2 Registrering", id="registrering"):
                with Vertical(id="form272"):
                    yield from compose_form()
                yield Label("", id="rubrik")
                yield DataTable(cursor_type="cell", id="schema_grid")

    def on_mount(self) -> None:
        self.query_one("#dagar", DataTable).add_columns(*OVERVIEW_COLUMNS)

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")
        dates = self.query_one("#from_datum", Input)
        today = self.ctx.clock.now().date()
        if not dates.value:
            dates.value = today.isoformat()
        self.query_one("#vecka", Input).placeholder = f"t.ex. {week_example(today)}"
        self.query_one("#vardgivare", ChoiceField).focus()
        self._show_stamps()
        self.run_db(lambda ctx: cases.choices(ctx=ctx), self._show_choices, group="val")

    def _show_choices(self, choices: Choices) -> None:
        self.choices = choices
        lists = (
            (TEMPLATE_FIELDS, choices.templates),
            (CLINIC_FIELDS, choices.clinics),
            (LETTER_FIELDS, choices.letters),
        )
        for widget_ids, pairs in lists:
            options = [(code_and_name(code, name), code) for code, name in pairs]
            for widget_id in widget_ids:
                self.query_one(f"#{widget_id}", ChoiceField).set_options(options)
        self._resources()

    def _resources(self) -> None:
        """Vårdgivare lists the unit's caregivers, Plats (Plattschema) its places (F4)."""
        if self.choices is None:
            return
        place = self._kind() == ResourceKind.PLACE
        pairs = self.choices.places if place else self.choices.caregivers
        field = self.query_one("#vardgivare", ChoiceField)
        field.label = "Plats" if place else "Vårdgivare"
        field.set_options([(code_and_name(code, name), code) for code, name in pairs])

    # -- reading values ------------------------------------------------------------------------

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def choice(self, widget_id: str) -> str:
        """A code field's code (or its text as typed), a visible choice's or a Select's value."""
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, (ChoiceField, OptionRow)):
            return str(widget.value or "")
        assert isinstance(widget, Select)
        value = widget.value
        return "" if value is Select.NULL or value is None else str(value)

    def _kind(self) -> ResourceKind:
        if self.choice("schema") == "plats":
            return ResourceKind.PLACE
        return ResourceKind.CAREGIVER

    def _who(self) -> Who:
        """What the core needs of the schedule fields, read on the UI thread."""
        days = grid.VIEW_DAYS[self.mode]
        return Who(self.choice("vardgivare"), self.text("from_datum"), self._kind(), days)

    def show_error(self, error: PasisError) -> None:
        """In Ändra/Ta bort, Mottagning and Brevmall are that part's own fields; a code
        field's code input is what is tinted."""
        if self.choice("del") == "del_andra" and error.field in ("clinic", "letter_template"):
            widget_id = {"clinic": "andra_mottagning", "letter_template": "andra_brevmall"}
            error = PasisError(error.message, field=widget_id[error.field])
        super().show_error(error)
        for field in self.query(ChoiceField).filter(".-invalid"):
            field.input.add_class("-invalid")
            field.input.focus()  # the field's code input takes the focus, its text kept

    # -- events --------------------------------------------------------------------------------

    @on(OptionRow.Changed, "#del")
    def _part_changed(self) -> None:
        part = self.choice("del") or "del_dagmall"
        self.query_one("#delar", ContentSwitcher).current = part
        self.query_one("#gemensam").display = part in ("del_dagmall", "del_veckomall")

    @on(OptionRow.Changed, "#schema")
    def _kind_changed(self) -> None:
        """Plattschema is laid on a place (room, equipment) instead of a caregiver."""
        label = "Plats *" if self._kind() == ResourceKind.PLACE else "Vårdgivare *"
        self.query_one("#vardgivare_falt > Label", Label).update(label)
        self._resources()

    @on(OptionRow.Changed, "#vy")
    def _view_changed(self) -> None:
        self.mode = self.choice("vy") or grid.MONTH
        if self.view is not None:
            self.action_read()

    @on(Select.Changed, "#valj_dagmall")
    def _day_chosen(self) -> None:
        laid = self._laid(self.choice("valj_dagmall"))
        if laid is None:
            self._show_stamps()
            return
        self.query_one("#stamps", Stamps).show_stamps(laid.created, laid.changed)
        self.query_one("#andra_mottagning", ChoiceField).value = laid.clinic_code
        self.query_one("#andra_brevmall", ChoiceField).value = laid.letter_code

    def _show_stamps(self) -> None:
        """The schedule's Upplagd/Ändrad (a chosen day shows its own)."""
        created, changed = self.view.stamps if self.view is not None else ("", "")
        self.query_one("#stamps", Stamps).show_stamps(created, changed)

    def _laid(self, value: str) -> LaidDay | None:
        if not value or self.view is None:
            return None
        return next((laid for laid in self.view.laid() if str(laid.id) == value), None)

    @on(DataTable.RowSelected, "#dagar")
    def _open_day(self, event: DataTable.RowSelected) -> None:
        """A row of 1 Översikt opens its day under 2 Registrering, chosen in the list."""
        day = str(event.data_table.get_row(event.row_key)[0])
        self.query_one("#from_datum", Input).value = day
        self.chosen_day = str(event.row_key.value)
        self.query_one(TabbedContent).active = "registrering"
        self.action_read()

    @on(TabbedContent.TabActivated)
    def _tab_opened(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "oversikt":
            self._load_overview()

    def _load_overview(self) -> None:
        """1 Översikt's half year, read only when it is shown and the schedule changed."""
        if self.overview_stale and self.view is not None:
            who = self._who()
            work = lambda ctx: cases.read_overview(ctx=ctx, who=who)  # noqa: E731
            self.run_db(work, self._show_overview, group="oversikt")

    @on(Input.Submitted, "#vardgivare_kod, #from_datum")
    def _submitted(self) -> None:
        self.action_read()

    @on(DataTable.CellSelected, "#schema_grid")
    def _day_selected(self, event: DataTable.CellSelected) -> None:
        """Enter on a day of the calendar: its templates, times, slots and bookings."""
        day = grid.day_at(str(event.cell_key.row_key.value), event.coordinate.column)
        if day is None or self.view is None:
            return
        who = self._who()
        self.run_db(
            lambda ctx: cases.day_detail(ctx=ctx, who=who, day=day),
            lambda detail: self.app.push_screen(DayDetailModal(detail)),
            group="dag",
        )

    # -- reading the schedule ------------------------------------------------------------------

    def action_read(self) -> None:
        self.clear_errors()
        who = self._who()
        self.run_db(lambda ctx: cases.read_view(ctx=ctx, who=who), self._show, group="las")

    def _show(self, result: ScheduleResult) -> None:
        view = self.view = result.view
        if result.day_removed:
            self.query_one("#valj_dagmall", Select).clear()
        set_text(self.query_one("#rubrik", Label), grid.title(view, self.mode))
        table = self.query_one("#schema_grid", DataTable)
        if self._grid_mode != self.mode:
            self._grid_mode = self.mode
            table.clear(columns=True)
            rows_changed(table)
            for name, width in grid.columns(self.mode):
                table.add_column(name, key=name, width=width)
        rows = [(row.key, tuple(row.cells), row.height) for row in grid.rows(view, self.mode)]
        if show_rows(table, rows):  # the same days read again keep their drawn cells
            table.move_cursor(row=0, column=1)  # on a day (Enter shows it), not on the week
        chosen, self.chosen_day = self.chosen_day or self.choice("valj_dagmall"), ""
        options = [(grid.choice_label(laid), str(laid.id)) for laid in view.laid()]
        select = self.query_one("#valj_dagmall", Select)
        if options != self._day_options:
            self._day_options = options
            select.set_options(options)
        if chosen and any(value == chosen for _, value in options):
            select.value = chosen
        self.overview_stale = True
        if self.query_one(TabbedContent).active == "oversikt":
            self._load_overview()
        read_button = self.query_one("#las", PasisButton)
        read_again = underlined("Läs annan", "l")  # as the seed, once a schedule is read
        if read_button.label != read_again:
            read_button.label = read_again
            read_button.refresh(layout=True)
        if self.choice("valj_dagmall") == "":
            self._show_stamps()
        self.status(result.message)

    def _show_overview(self, overview: ScheduleView) -> None:
        self.overview_stale = False
        table = self.query_one("#dagar", DataTable)
        table.clear()
        for laid in overview.laid():
            table.add_row(
                laid.day.isoformat(), f"{laid.day.isocalendar().week:02d}",
                DAY_NAMES[laid.day.weekday()], laid.template_code, laid.template_name,
                f"{laid.start:%H:%M}–{laid.end:%H:%M}", laid.clinic_code, laid.letter_code,
                "Preliminärt" if laid.preliminary else "Publicerat", laid.created, laid.changed,
                key=str(laid.id),
            )  # fmt: skip
        self.query_one("#oversikt_rubrik", Label).update(
            f"{overview.signature} {overview.name}: upplagda dagar {overview.first} – "
            f"{overview.last} ({len(overview.laid())})"
        )

    def _write(self, work: Any, *, group: str | None = None) -> None:
        self.clear_errors()
        self.run_db(work, self._show, group=group)

    # -- preliminary schedule ------------------------------------------------------------------

    def action_lay(self) -> None:
        request = cases.LayRequest(
            week_template=self.choice("del") == "del_veckomall",
            weeks_text=self.text("vecka"),
            weekdays_text=self.query_one("#veckodag", WeekdayRow).text,
            template_code=self.choice("dagmall"),
            per_day={n: self.choice(widget_id) for n, widget_id in enumerate(WEEKDAY_IDS)},
            clinic_code=self.choice("mottagning"),
            letter_code=self.choice("brevmall"),
            include_red_days=self.query_one("#roda_dagar", Checkbox).value,
        )
        who = self._who()
        self.clear_errors()
        self.run_db(
            lambda ctx: cases.lay_days(ctx=ctx, who=who, request=request),
            lambda result: self._ask_lay(result, who, request),
            group=None,
        )

    @work(exclusive=True, group="fraga")
    async def _ask_lay(self, result: ScheduleResult, who: Who, request: cases.LayRequest) -> None:
        """Weeks across the new year or before From datum's week: laid only once confirmed."""
        if not result.question:
            self._show(result)
            return
        if not await self.confirm(result.question):
            self.status("Inget lades in")
            return
        self._write(lambda ctx: cases.lay_days(ctx=ctx, who=who, request=request, confirmed=True))

    def action_remove_preliminary(self) -> None:
        who, day_id = self._who(), self.choice("valj_dagmall")
        self._write(lambda ctx: cases.remove_preliminary_day(ctx=ctx, who=who, day_id=day_id))

    @work(exclusive=True, group="fraga")
    async def action_clear_preliminary(self) -> None:
        who = self._who()
        if await self.confirm(f"Töm hela det preliminära schemat för {who.signature}?"):
            self._write(lambda ctx: cases.clear_preliminary(ctx=ctx, who=who))

    def action_publish(self) -> None:
        bar = self.query_one("#publicering", ProgressBar)
        button = self.query_one("#publicera_schema", PasisButton)
        bar.update(total=None, progress=0)
        bar.add_class("-visas")
        button.disabled = True  # one publish at a time; the rest of the screen stays usable
        app, who = self.app, self._who()

        def shown(done: int, total: int) -> None:
            bar.update(total=total, progress=done)
            self.status(f"Publicerar schemat … {done} av {cases.days_text(total)}")

        def finished() -> None:
            bar.remove_class("-visas")
            button.disabled = False

        def work(ctx: Any) -> ScheduleResult:
            try:
                return cases.publish(
                    ctx=ctx, who=who, progress=lambda d, t: app.call_from_thread(shown, d, t)
                )
            finally:  # also when the publish is refused or fails
                app.call_from_thread(finished)

        self.status("Publicerar schemat …")
        # Its own group: a read started meanwhile never drops the publish's outcome.
        self._write(work, group="publicering")

    def action_extend(self) -> None:
        who, weeks_text = self._who(), self.text("antal_veckor")
        include_red = self.query_one("#roda_dagar", Checkbox).value
        self._write(
            lambda ctx: cases.extend(
                ctx=ctx, who=who, weeks_text=weeks_text, include_red_days=include_red
            )
        )

    # -- published schedule --------------------------------------------------------------------

    def action_change_day(self) -> None:
        who, day_id = self._who(), self.choice("valj_dagmall")
        clinic, letter = self.choice("andra_mottagning"), self.choice("andra_brevmall")
        self._write(
            lambda ctx: cases.change_day(
                ctx=ctx, who=who, day_id=day_id, clinic_code=clinic, letter_code=letter
            )
        )

    def action_remove_day(self) -> None:
        day_id = self.choice("valj_dagmall")
        self._check(lambda ctx: cases.check_day_removal(ctx=ctx, day_id=day_id))

    def action_remove_period(self) -> None:
        who, first, last = self._who(), self.text("period_from"), self.text("period_tom")
        self._check(
            lambda ctx: cases.check_period_removal(
                ctx=ctx, who=who, first_text=first, last_text=last
            )
        )

    def _check(self, work: Any) -> None:
        """Never silently: the booked slots are listed, and removed only once confirmed."""
        self.clear_errors()
        self.run_db(work, self._ask_removal, group="borttag")

    @work(exclusive=True, group="fraga")
    async def _ask_removal(self, check: cases.RemovalCheck) -> None:
        if not await self.confirm(check.question):
            self.status(cases.NOTHING_REMOVED)
            return
        who = self._who()
        self._write(lambda ctx: cases.remove_days(ctx=ctx, who=who, check=check))

    # -- the appointment book ------------------------------------------------------------------

    def action_open_book(self) -> None:
        laid = self._laid(self.choice("valj_dagmall"))
        day = laid.day if laid is not None else None
        if day is None:
            try:
                day = parse_date(self.text("from_datum"), field="from_date")
            except PasisError as error:
                self.show_error(error)
                return
        request = BookRequest(self.choice("vardgivare"), day)
        self.post_message(OpenScreenRequest("tidbok", request))
