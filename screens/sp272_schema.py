"""SP 272 Schemaläggning: lay day templates into a caregiver's schedule and publish it (seed 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on
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

from pasis_tui.core import models
from pasis_tui.core.appointment_book import BookRequest
from pasis_tui.core.booking import BookedLine, active_bookings
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_date, parse_int, required
from pasis_tui.core.publishing import publish_schedule
from pasis_tui.core.schedule_changes import change_laid_day, day_ids_in_period, remove_laid_days
from pasis_tui.core.schedule_laying import (
    extend_schedule,
    lay_preliminary,
    lay_week_template,
    preliminary_day_ids,
    remove_preliminary,
)
from pasis_tui.core.scheduling import (
    DAY_NAMES,
    DAY_UNKNOWN,
    Choices,
    ScheduleView,
    code_and_name,
    find_resource,
    parse_weekdays,
    parse_weeks,
    read_schedule,
    schedule_choices,
)
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.inputs import Stamps
from screens import sp272_grid as grid
from screens.base import OpenScreenRequest, PasisScreen
from screens.modals import ConfirmModal
from screens.sp272_form import WEEKDAY_IDS, compose_form
from screens.sp272_help import HELP

OVERVIEW_DAYS = 182


@dataclass(frozen=True)
class _Who:
    signature: str
    from_text: str
    kind: models.ResourceKind

    def from_date(self, ctx: WorkContext) -> dt.date:
        day = parse_date(self.from_text, field="from_date")
        return day or ctx.clock.now().date()

    def resource_id(self, session: Any, ctx: WorkContext) -> int:
        resource = find_resource(
            session, unit_id=ctx.unit.id, signature=self.signature, kind=self.kind
        )
        assert resource.id is not None
        return resource.id


def _days(count: int) -> str:
    return f"{count} dag" if count == 1 else f"{count} dagar"


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

    def show_error(self, error: PasisError) -> None:
        """In Ändra/Ta bort, Mottagning and Brevmall are that part's own fields."""
        if self.choice("del") == "del_andra" and error.field in ("clinic", "letter_template"):
            widget_id = {"clinic": "andra_mottagning", "letter_template": "andra_brevmall"}
            error = PasisError(error.message, field=widget_id[error.field])
        super().show_error(error)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.view: ScheduleView | None = None
        self.mode = grid.MONTH
        self.chosen_day = ""  # a laid day's id to choose once the schedule is read

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
                yield DataTable(cursor_type="cell", id="schema_grid", show_cursor=False)

    def on_mount(self) -> None:
        self.query_one("#dagar", DataTable).add_columns(
            "Datum", "Vecka", "Dag", "Dagmall", "Namn", "Tid", "Mott", "Brevmall", "Status",
            "Upplagd", "Ändrad",
        )  # fmt: skip

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"ENHET  {self.ctx.unit.label}")
        dates = self.query_one("#from_datum", Input)
        if not dates.value:
            dates.value = self.ctx.clock.now().date().isoformat()
        self.query_one("#vardgivare", Input).focus()
        unit_id = self.ctx.unit.id

        def work(ctx: WorkContext) -> Choices:
            with ctx.read() as session:
                return schedule_choices(session, unit_id=unit_id)

        self.run_db(work, self._show_choices, group="val")

    def _show_choices(self, choices: Choices) -> None:
        templates = [(code_and_name(code, name), code) for code, name in choices.templates]
        clinics = [(code_and_name(code, name), code) for code, name in choices.clinics]
        letters = [(code_and_name(code, name), code) for code, name in choices.letters]
        for widget_id in ("dagmall", *WEEKDAY_IDS):
            self.query_one(f"#{widget_id}", Select).set_options(templates)
        for widget_id in ("mottagning", "andra_mottagning"):
            self.query_one(f"#{widget_id}", Select).set_options(clinics)
        for widget_id in ("brevmall", "andra_brevmall"):
            self.query_one(f"#{widget_id}", Select).set_options(letters)

    # -- reading values ------------------------------------------------------------------------

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def choice(self, widget_id: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        return "" if value is Select.NULL or value is None else str(value)

    def _kind(self) -> models.ResourceKind:
        if self.choice("schema") == "plats":
            return models.ResourceKind.PLACE
        return models.ResourceKind.CAREGIVER

    def _who(self) -> _Who:
        """What the worker needs of the schedule fields, read on the UI thread."""
        return _Who(self.text("vardgivare"), self.text("from_datum"), self._kind())

    def _selected_day(self) -> int:
        value = self.choice("valj_dagmall")
        if not value:
            raise PasisError(DAY_UNKNOWN, field="schedule_day")
        return int(value)

    # -- events --------------------------------------------------------------------------------

    @on(Select.Changed, "#del")
    def _part_changed(self) -> None:
        part = self.choice("del") or "del_dagmall"
        self.query_one("#delar", ContentSwitcher).current = part
        self.query_one("#gemensam").display = part in ("del_dagmall", "del_veckomall")

    @on(Select.Changed, "#schema")
    def _kind_changed(self) -> None:
        """Plattschema is laid on a place (room, equipment) instead of a caregiver."""
        label = "Plats *" if self._kind() == models.ResourceKind.PLACE else "Vårdgivare *"
        self.query_one("#vardgivare_falt Label", Label).update(label)

    @on(Select.Changed, "#vy")
    def _view_changed(self) -> None:
        self.mode = self.choice("vy") or grid.MONTH
        if self.view is not None:
            self.action_read()

    @on(Select.Changed, "#valj_dagmall")
    def _day_chosen(self) -> None:
        laid = self._laid(self.choice("valj_dagmall"))
        stamps = self.query_one("#stamps", Stamps)
        if laid is None:
            stamps.show_stamps("", "")
            return
        stamps.show_stamps(laid.created, laid.changed)
        self._set_select("andra_mottagning", laid.clinic_code)
        self._set_select("andra_brevmall", laid.letter_code)

    def _set_select(self, widget_id: str, value: str) -> None:
        select: Select[str] = self.query_one(f"#{widget_id}", Select)
        try:
            select.value = value
        except Exception:  # an option the list does not hold: leave the choice empty
            select.clear()

    def _laid(self, value: str) -> Any:
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

    @on(Input.Submitted, "#vardgivare, #from_datum")
    def _submitted(self) -> None:
        self.action_read()

    def on_button_pressed(self, event: PasisButton.Pressed) -> None:
        actions: dict[str, Callable[[], None]] = {
            "las": self.action_read,
            "lagg_in_i_prel_schema": self._lay,
            "ta_bort_dagmall": self._remove_preliminary_day,
            "tom_prel_schema": self._clear_preliminary,
            "publicera_schema": self._publish,
            "forlang": self._extend,
            "spara_andring": self._change_day,
            "ta_bort": self._remove_day,
            "ta_bort_period": self._remove_period,
            "tidbok": self._open_book,
        }
        if event.button.id in actions:
            event.stop()
            self.clear_errors()
            actions[event.button.id]()

    # -- reading the schedule ------------------------------------------------------------------

    def action_read(self, message: str = "") -> None:
        who = self._who()
        days = grid.VIEW_DAYS[self.mode]

        def work(ctx: WorkContext) -> tuple[ScheduleView, ScheduleView]:
            with ctx.read() as session:
                from_date = who.from_date(ctx)
                view = read_schedule(
                    session,
                    unit_id=ctx.unit.id,
                    signature=who.signature,
                    from_date=from_date,
                    days=days,
                    kind=who.kind,
                )
                overview = read_schedule(
                    session,
                    unit_id=ctx.unit.id,
                    signature=who.signature,
                    from_date=from_date,
                    days=OVERVIEW_DAYS,
                    kind=who.kind,
                )
                return view, overview

        self.run_db(work, lambda result: self._show(*result, message=message), group="las")

    def _show(self, view: ScheduleView, overview: ScheduleView, *, message: str = "") -> None:
        self.view = view
        self.query_one("#rubrik", Label).update(grid.title(view, self.mode))
        table = self.query_one("#schema_grid", DataTable)
        table.clear(columns=True)
        for name, width in grid.columns(self.mode):
            table.add_column(name, key=name, width=width)
        for row in grid.rows(view, self.mode):
            table.add_row(*row.cells, height=row.height, key=row.key)
        chosen, self.chosen_day = self.chosen_day or self.choice("valj_dagmall"), ""
        options = [(grid.choice_label(laid), str(laid.id)) for laid in view.laid()]
        select = self.query_one("#valj_dagmall", Select)
        select.set_options(options)
        if chosen and any(value == chosen for _, value in options):
            select.value = chosen
        self._show_overview(overview)
        self.status(message or f"{view.signature} {view.name}: schemat är läst")

    def _show_overview(self, overview: ScheduleView) -> None:
        table = self.query_one("#dagar", DataTable)
        table.clear()
        for laid in overview.laid():
            table.add_row(
                laid.day.isoformat(),
                f"{laid.day.isocalendar().week:02d}",
                DAY_NAMES[laid.day.weekday()],
                laid.template_code,
                laid.template_name,
                f"{laid.start:%H:%M}–{laid.end:%H:%M}",
                laid.clinic_code,
                laid.letter_code,
                "Preliminärt" if laid.preliminary else "Publicerat",
                laid.created,
                laid.changed,
                key=str(laid.id),
            )
        self.query_one("#oversikt_rubrik", Label).update(
            f"{overview.signature} {overview.name}: upplagda dagar {overview.first} – "
            f"{overview.last} ({len(overview.laid())})"
        )

    # -- preliminary schedule ------------------------------------------------------------------

    def _lay(self) -> None:
        part = self.choice("del")
        weeks_text = self.text("vecka")
        weekdays_text = self.text("veckodag")
        template = self.choice("dagmall")
        per_day = {n: self.choice(widget_id) for n, widget_id in enumerate(WEEKDAY_IDS)}
        clinic, letter = self.choice("mottagning"), self.choice("brevmall")
        include_red = self.query_one("#roda_dagar", Checkbox).value
        who = self._who()

        def work(ctx: WorkContext) -> str:
            with ctx.write() as session:
                caregiver_id = who.resource_id(session, ctx)
                weeks = parse_weeks(weeks_text, from_date=who.from_date(ctx))
                if part == "del_veckomall":
                    return lay_week_template(
                        session,
                        clock=ctx.clock,
                        unit_id=ctx.unit.id,
                        caregiver_id=caregiver_id,
                        templates=per_day,
                        weeks=weeks,
                        clinic_code=clinic,
                        letter_code=letter,
                        include_red_days=include_red,
                    ).message
                result = lay_preliminary(
                    session,
                    clock=ctx.clock,
                    unit_id=ctx.unit.id,
                    caregiver_id=caregiver_id,
                    template_code=template,
                    weeks=weeks,
                    weekdays=parse_weekdays(weekdays_text),
                    clinic_code=clinic,
                    letter_code=letter,
                    include_red_days=include_red,
                )
                return result.message

        self.run_db(work, lambda message: self.action_read(message))

    def _remove_preliminary_day(self) -> None:
        try:
            day_id = self._selected_day()
        except PasisError as error:
            self.show_error(error)
            return

        def work(ctx: WorkContext) -> str:
            with ctx.write() as session:
                remove_preliminary(session, schedule_day_ids=[day_id])
            return "Dagmallen har tagits bort ur det preliminära schemat"

        self.run_db(work, self._after_removal)

    def _after_removal(self, message: str) -> None:
        self.query_one("#valj_dagmall", Select).clear()
        self.action_read(message)

    def _clear_preliminary(self) -> None:
        who = self._who()

        def confirmed(answer: bool | None) -> None:
            if not answer:
                return

            def work(ctx: WorkContext) -> str:
                with ctx.write() as session:
                    ids = preliminary_day_ids(session, caregiver_id=who.resource_id(session, ctx))
                    if not ids:
                        raise PasisError("Det preliminära schemat är redan tomt")
                    count = remove_preliminary(session, schedule_day_ids=ids)
                return f"Det preliminära schemat är tömt ({count} dagar)"

            self.run_db(work, self._after_removal)

        self.app.push_screen(
            ConfirmModal(f"Töm hela det preliminära schemat för {self.text('vardgivare')}?"),
            confirmed,
        )

    def _publish(self) -> None:
        bar = self.query_one("#publicering", ProgressBar)
        button = self.query_one("#publicera_schema", PasisButton)
        bar.update(total=None, progress=0)
        bar.add_class("-visas")
        button.disabled = True  # one publish at a time; the rest of the screen stays usable
        app = self.app
        who = self._who()

        def shown(done: int, total: int) -> None:
            bar.update(total=total, progress=done)
            self.status(f"Publicerar schemat … {done} av {_days(total)}")

        def progress(done: int, total: int) -> None:
            app.call_from_thread(shown, done, total)

        def finished() -> None:
            bar.remove_class("-visas")
            button.disabled = False

        def work(ctx: WorkContext) -> str:
            try:
                with ctx.write() as session:
                    caregiver_id = who.resource_id(session, ctx)
                    result = publish_schedule(
                        session, clock=ctx.clock, caregiver_ids=[caregiver_id], progress=progress
                    )
            finally:  # also when the publish is refused or fails
                app.call_from_thread(finished)
            return result.message

        self.status("Publicerar schemat …")
        # Its own worker group: another action started meanwhile does not cancel the publish.
        self.run_db(work, lambda message: self.action_read(message), group="publicering")

    def _extend(self) -> None:
        count_text = self.text("antal_veckor")
        include_red = self.query_one("#roda_dagar", Checkbox).value
        who = self._who()

        def work(ctx: WorkContext) -> str:
            count = required(count_text, field="extend_weeks", label="Antal veckor")
            weeks = parse_int(count, field="extend_weeks", low=1, high=52)
            assert weeks is not None
            with ctx.write() as session:
                result = extend_schedule(
                    session,
                    clock=ctx.clock,
                    unit_id=ctx.unit.id,
                    caregiver_id=who.resource_id(session, ctx),
                    weeks=weeks,
                    include_red_days=include_red,
                )
            return result.message

        self.run_db(work, lambda message: self.action_read(message))

    # -- published schedule --------------------------------------------------------------------

    def _change_day(self) -> None:
        clinic, letter = self.choice("andra_mottagning"), self.choice("andra_brevmall")
        try:
            day_id = self._selected_day()
        except PasisError as error:
            self.show_error(error)
            return

        def work(ctx: WorkContext) -> str:
            with ctx.write() as session:
                change_laid_day(
                    session, schedule_day_id=day_id, clinic_code=clinic, letter_code=letter
                )
            return "Ändringen är sparad; tiderna följer med och bokningarna ligger kvar"

        self.run_db(work, lambda message: self.action_read(message))

    def _remove_day(self) -> None:
        try:
            day_id = self._selected_day()
        except PasisError as error:
            self.show_error(error)
            return
        self._remove(lambda session, ctx: [day_id], "den valda dagen")

    def _remove_period(self) -> None:
        first_text, last_text = self.text("period_from"), self.text("period_tom")
        who = self._who()

        def ids(session: Any, ctx: WorkContext) -> list[int]:
            first = parse_date(first_text, field="period_from")
            last = parse_date(last_text, field="period_to")
            if first is None:
                raise PasisError("Period from måste fyllas i", field="period_from")
            if last is None:
                raise PasisError("Period tom måste fyllas i", field="period_to")
            return day_ids_in_period(
                session, caregiver_id=who.resource_id(session, ctx), first=first, last=last
            )

        self._remove(ids, f"perioden {first_text} – {last_text}")

    def _remove(self, find: Callable[[Any, WorkContext], list[int]], what: str) -> None:
        """Never silently: list the booked slots and remove only once the user confirms."""

        def check(ctx: WorkContext) -> tuple[list[int], list[BookedLine]]:
            with ctx.read() as session:
                day_ids = find(session, ctx)
                return day_ids, active_bookings(session, schedule_day_ids=day_ids)

        def ask(found: tuple[list[int], list[BookedLine]]) -> None:
            day_ids, booked = found
            if booked:
                shown = "\n".join(f"  {line.text}" for line in booked[:8])
                more = f"\n  … och {len(booked) - 8} till" if len(booked) > 8 else ""
                question = (
                    f"{len(booked)} bokade tider finns i {what}:\n{shown}{more}\n\n"
                    f"Avboka dem (patienterna meddelas i 1177) och ta bort {_days(len(day_ids))}?"
                )
            else:
                question = f"Ta bort {_days(len(day_ids))} ({what}) ur schemat?"

            def confirmed(answer: bool | None) -> None:
                if answer:
                    self._remove_confirmed(day_ids, [line.booking_id for line in booked])
                else:
                    self.status("Inget togs bort")

            self.app.push_screen(ConfirmModal(question), confirmed)

        self.run_db(check, ask)

    def _remove_confirmed(self, day_ids: list[int], booking_ids: list[int]) -> None:
        def work(ctx: WorkContext) -> str:
            with ctx.write() as session:
                count = remove_laid_days(
                    session,
                    clock=ctx.clock,
                    schedule_day_ids=day_ids,
                    confirmed_booking_ids=booking_ids,
                )
            cancelled = f"; {len(booking_ids)} bokningar avbokades" if booking_ids else ""
            return f"{_days(count)} togs bort ur schemat{cancelled}"

        self.run_db(work, self._after_removal)

    # -- the appointment book ------------------------------------------------------------------

    def _open_book(self) -> None:
        laid = self._laid(self.choice("valj_dagmall"))
        day = laid.day if laid is not None else None
        if day is None:
            try:
                day = parse_date(self.text("from_datum"), field="from_date")
            except PasisError as error:
                self.show_error(error)
                return
        request = BookRequest(self.text("vardgivare"), day)
        self.post_message(OpenScreenRequest("tidbok", request))
