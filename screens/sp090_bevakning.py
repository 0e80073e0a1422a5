"""SP 090 Bevakning (seed 5.1–5.3): a patient's watches, ÖK and the ordinary types.

The patient line finds the patient (personnummer or the first letters of a name); the form is
the seed's; the 1177 panel beside it is the patient's situation (seed 9); the state line shows
where the watch is. Every button is one core call (`pasis_tui.core.watch_cases`).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from pasis_tui.core.care import form_via_commitment
from pasis_tui.core.errors import PasisError
from pasis_tui.core.patients import NewPatientForm
from pasis_tui.core.watch_cases import (
    NO_PATIENT,
    NO_WATCH,
    BookingChoices,
    PatientCandidates,
    SaveOutcome,
    Sp090State,
    WatchOptions,
    book,
    booking_choices,
    cancel_booking,
    find_patient,
    new_patient,
    new_watch,
    next_of_patient,
    open_patient,
    open_watch,
    remove,
    save,
    watch_options,
)
from pasis_tui.core.watch_views import WatchForm, WatchListParams
from pasis_tui.core.watches import PURPOSE_MAX, purpose_count
from pasis_tui.widgets.choice import ChoiceField, ChoiceList
from pasis_tui.widgets.fields import set_text
from pasis_tui.widgets.inputs import Stamps
from screens.base import OpenScreenRequest, PasisScreen
from screens.sp090_form import (
    BUTTON_KEYS,
    Panel1177,
    WatchRecordForm,
    buttons,
    commitment_choices,
    patient_line,
)
from screens.sp090_help import HELP

NO_LIST = "Ingen bevakningslista: öppna bevakningarna från SP 191 Bevakningsutsökning"
LIST_END = "Sista bevakningen i listan ({count} st)"
WARNINGS_QUESTION = "Bevakningen har varningar:\n\n{lines}\n\nSpara ändå?"


class WatchScreen(PasisScreen):
    HELP = HELP
    CSS_PATH = "sp090.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(f"alt+{letter}", action, label, show=False, key_display=f"Alt+{letter.upper()}",
                    priority=True,
                    id=f"sp090.{action}")
            for action, letter, label in BUTTON_KEYS
        ),
        Binding("f4", "valj", "Välj", key_display="F4", id="sp090.valj"),
        Binding("f6", "felsokning", "Felsökning", key_display="F6", id="sp090.felsokning"),
    ]  # fmt: skip
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {
        "personnummer": "patient",
        "patient_id": "patient",
        "watch": "patient",
        "slot": "patient",
        "booking": "patient",
        "cancel": "patient",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state: Sp090State | None = None
        self.watch_list: WatchListParams | None = None
        self._pending: int | None = None  # a watch to read when the screen opens
        self._filling = False
        self._writes = 0  # a refresh that started before a write is not shown after it
        self._seen_at: object = None  # the application time of what is shown

    def compose_body(self) -> ComposeResult:
        with Vertical(id="sp090"):
            yield from patient_line()
            with Horizontal(id="sp090_mitt"):
                yield WatchRecordForm(id="sp090_form")
                yield Panel1177(id="panel_1177")
            yield Label("", id="tillstand")
            yield from buttons()

    @property
    def form(self) -> WatchRecordForm:
        return self.query_one(WatchRecordForm)

    @property
    def patient_id(self) -> int | None:
        return self.state.patient.patient_id if self.state else None

    @property
    def watch_id(self) -> int | None:
        return self.state.watch.watch_id if self.state and self.state.watch else None

    # -- opening ---------------------------------------------------------------------------------

    def receive(self, params: object) -> None:
        """SP 191's `WatchListParams`: the list, and the watch to show first."""
        if isinstance(params, WatchListParams) and params.watch_ids:
            index = min(max(params.index, 0), len(params.watch_ids) - 1)
            self.watch_list = dataclasses.replace(params, index=index)
            self._pending = params.watch_ids[index]

    def on_ready(self) -> None:
        self.query_one("#enhet", Label).update(f"Enhet  {self.ctx.unit.label}")
        self.run_db(lambda ctx: watch_options(ctx=ctx), self._options, group="val")
        if self._pending is None:  # else on_open shows that watch: one form load, not two
            self._show(None)

    def on_open(self) -> None:
        watch_id, self._pending = self._pending, None
        if watch_id is not None:
            self.run_db(lambda ctx: open_watch(ctx=ctx, watch_id=watch_id), self._show)
        elif self.state is None:
            self.query_one("#patient").focus()
        elif self.ctx.clock.now() != self._seen_at:
            self._refresh_side()

    def _refresh_side(self) -> None:
        """The clock moved (F9) or time passed: the state line and the 1177 panel again; the
        form keeps what is typed in it."""
        state, started = self.state, self._writes
        if state is None:
            return
        patient_id, watch_id = state.patient.patient_id, self.watch_id

        def work(ctx: Any) -> Sp090State:
            if watch_id is None:
                return new_watch(ctx=ctx, patient_id=patient_id)
            return open_watch(ctx=ctx, watch_id=watch_id)

        def done(fresh: Sp090State) -> None:
            if self._writes != started or self.state is None or self.watch_id != watch_id:
                return
            self.state = dataclasses.replace(fresh, message=self.state.message)
            self._seen_at = self.ctx.clock.now()
            self.query_one(Panel1177).show(fresh.panel)
            self._show_state()

        self.run_db(work, done, group="sida")

    def _write(self, work: Any, done: Any) -> None:
        """A press that changes data: always shown, and it outdates a refresh in flight."""
        self._writes += 1
        self.run_db(work, done, group=None)

    def _options(self, options: WatchOptions) -> None:
        form = self.form
        for domain, choices in (
            ("clinic", options.clinics),
            ("caregiver", options.caregivers),
            ("activity", options.activities),
            ("booking_letter_code", options.letter_codes),
            ("booking_standard_text", options.standard_texts),
            ("citizen_template", options.templates),
            *options.lists,
        ):
            form.set_options(domain, choices)

    # -- showing ---------------------------------------------------------------------------------

    def _show(self, state: Sp090State | None) -> None:
        self.clear_errors()
        self.state = state
        self._seen_at = self.ctx.clock.now()
        self._filling = True
        try:
            patient = self.query_one("#patient", Input)
            patient.value = state.patient.shown_personnummer if state else ""
            name = f"{state.patient.name}, {state.patient.city}" if state else ""
            set_text(self.query_one("#patient_namn", Label), name)
            commitments = self.query_one("#vardatagande", ChoiceField)
            commitments.set_options(commitment_choices(state.commitments) if state else ())
            commitments.value = ""
            watch = state.watch if state else None
            self.form.load(watch.form if watch else None)
            self.query_one(Stamps).show_stamps(
                watch.created if watch else "", watch.updated if watch else ""
            )
            self.query_one(Panel1177).show(state.panel if state else None)
            self._count_purpose()
        finally:
            self._filling = False
        self._show_state()
        if state is not None:
            self.status(state.message)

    def _show_state(self) -> None:
        state = self.state
        if state is None:
            line = ""
        elif self.watch_id:
            line = f"Bevakning {self.watch_id}: {state.state_line}"
        else:
            line = state.state_line
        if self.watch_list is not None and self.watch_id in self.watch_list.watch_ids:
            place = self.watch_list.watch_ids.index(self.watch_id) + 1  # type: ignore[arg-type]
            line += f"   (bevakningslista {place} av {len(self.watch_list.watch_ids)})"
        set_text(self.query_one("#tillstand", Label), f"Tillstånd: {line}" if line else "")

    def _count_purpose(self) -> None:
        text = self.form.value("purpose")
        label = self.query_one("#syfte_antal", Label)
        set_text(label, purpose_count(text))
        label.set_class(len(text.strip()) > PURPOSE_MAX, "-over")

    @on(Input.Changed, "#syfte")
    def _purpose_typed(self) -> None:
        self._count_purpose()

    @on(ChoiceField.Changed, "#vardatagande")
    def _via_commitment(self, event: ChoiceField.Changed) -> None:
        """Seed 5.1: via the care commitment, Datum (medicinskt måldatum) and Remiss are filled."""
        if self._filling or self.state is None or not isinstance(event.value, str):
            return
        if not event.value.isdigit() or not 1 <= int(event.value) <= len(self.state.commitments):
            return
        commitment = self.state.commitments[int(event.value) - 1]
        filled = form_via_commitment(form=self._typed(), commitment=commitment)
        self.form.set_value("target_date", filled.target_date)
        self.form.set_value("referral", filled.referral)
        self.status(f"Via vårdåtagandet {commitment.commitment_id}: Datum och Remiss ifyllda")

    # -- the patient line ------------------------------------------------------------------------

    @on(Input.Submitted, "#patient")
    def _patient_entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.clear_errors()
        text = event.value
        self.run_db(lambda ctx: find_patient(ctx=ctx, text=text), self._found)

    def _found(self, result: Sp090State | PatientCandidates) -> None:
        if isinstance(result, Sp090State):
            self._shown_first(result)
            return
        self.status(result.message)
        choices = [(f"{p.shown_personnummer}  {p.name}, {p.city}", p.patient_id)
                   for p in result.patients]  # fmt: skip

        def chosen(choice: tuple[str, int] | None) -> None:
            if choice is not None:
                patient_id = choice[1]
                self.run_db(lambda ctx: open_patient(ctx=ctx, patient_id=patient_id),
                            self._shown_first)  # fmt: skip

        self.app.push_screen(ChoiceList("Välj patient", choices, None), chosen)

    def _shown_first(self, state: Sp090State) -> None:
        """The next field in reading order: Vårdåtagande when she has one, else Mott."""
        self._show(state)
        if state.commitments:
            self.query_one("#vardatagande", ChoiceField).focus()
        else:
            self.form.widget("clinic").focus()

    # -- the buttons -----------------------------------------------------------------------------

    def _typed(self) -> WatchForm:
        return self.form.to_model(WatchForm)

    def _need_patient(self) -> int | None:
        if self.patient_id is None:
            self.show_error(PasisError(NO_PATIENT, field="personnummer"))
        return self.patient_id

    def _need_watch(self) -> int | None:
        if self.watch_id is None:
            self.show_error(PasisError(NO_WATCH, field="watch"))
        return self.watch_id

    def action_spara(self) -> None:
        self.clear_errors()
        patient_id = self._need_patient()
        if patient_id is None:
            return
        form, watch_id = self._typed(), self.watch_id
        self._write(
            lambda ctx: save(ctx=ctx, patient_id=patient_id, form=form, watch_id=watch_id,
                             confirmed=False),
            lambda outcome: self._saved(outcome, form, watch_id),
        )  # fmt: skip

    def _saved(self, outcome: SaveOutcome, form: WatchForm, watch_id: int | None) -> None:
        if outcome.saved:
            self._show(outcome.state)
            return
        self._confirm_warnings(outcome.warnings, form, watch_id)

    @work(exclusive=True, group="fraga")
    async def _confirm_warnings(
        self, warnings: tuple[str, ...], form: WatchForm, watch_id: int | None
    ) -> None:
        lines = "\n".join(f"• {warning}" for warning in warnings)
        if not await self.confirm(WARNINGS_QUESTION.format(lines=lines)):
            self.status("Inte sparad: varningarna bekräftades inte")
            return
        patient_id = self.patient_id
        self._write(
            lambda ctx: save(ctx=ctx, patient_id=patient_id, form=form, watch_id=watch_id,
                             confirmed=True),
            lambda outcome: self._show(outcome.state),
        )  # fmt: skip

    @work(exclusive=True, group="fraga")
    async def action_avboka(self) -> None:
        self.clear_errors()
        watch_id = self._need_watch()
        if watch_id is None or not await self.confirm("Avboka bevakningens bokade tid?"):
            return
        self._write(lambda ctx: cancel_booking(ctx=ctx, watch_id=watch_id), self._show)

    def action_boka(self) -> None:
        self.clear_errors()
        watch_id = self._need_watch()
        if watch_id is not None:
            self.run_db(lambda ctx: booking_choices(ctx=ctx, watch_id=watch_id), self._choose_slot)

    def _choose_slot(self, choices: BookingChoices) -> None:
        self.status(choices.message)
        listed = [(slot.label, slot.slot_id) for slot in choices.slots]

        def chosen(choice: tuple[str, int] | None) -> None:
            if choice is not None:
                slot_id = choice[1]
                self._write(
                    lambda ctx: book(ctx=ctx, watch_id=choices.watch_id, slot_id=slot_id),
                    self._show,
                )

        self.app.push_screen(ChoiceList(f"Boka — {choices.message}", listed, None), chosen)

    def action_nasta_pat(self) -> None:
        patient_id = self._need_patient()
        if patient_id is not None:
            after = self.watch_id
            self.run_db(
                lambda ctx: next_of_patient(ctx=ctx, patient_id=patient_id, after_watch_id=after),
                self._show,
            )

    def action_forsta_bev(self) -> None:
        patient_id = self._need_patient()
        if patient_id is not None:
            self.run_db(lambda ctx: open_patient(ctx=ctx, patient_id=patient_id), self._show)

    def action_ny_bev(self) -> None:
        patient_id = self._need_patient()
        if patient_id is not None:
            self.run_db(lambda ctx: new_watch(ctx=ctx, patient_id=patient_id), self._shown_first)

    def action_ny_patient(
        self, typed: NewPatientForm | None = None, error: PasisError | None = None
    ) -> None:
        """The dialog; a refusal brings it back as typed with the field marked."""
        from screens.sp090_modals import NewPatientModal

        def attempt(ctx: Any, form: NewPatientForm) -> Sp090State | PasisError:
            try:
                return new_patient(ctx=ctx, form=form)
            except PasisError as refused:
                return refused

        def registered(form: NewPatientForm, result: Sp090State | PasisError) -> None:
            if isinstance(result, PasisError):
                self.status(result.message, error=True)
                self.action_ny_patient(form, result)
            else:
                self._shown_first(result)

        def typed_in(form: NewPatientForm | None) -> None:
            if form is not None:
                self._write(lambda ctx: attempt(ctx, form), lambda result: registered(form, result))

        self.app.push_screen(NewPatientModal(typed, error), typed_in)

    @work(exclusive=True, group="fraga")
    async def action_borttag(self) -> None:
        self.clear_errors()
        watch_id = self._need_watch()
        if watch_id is None or not await self.confirm(
            f"Ta bort bevakning {watch_id}? Kallelsen i 1177 återkallas."
        ):
            return
        self._write(lambda ctx: remove(ctx=ctx, watch_id=watch_id), self._show)

    def action_oversikt(self) -> None:
        order_no = self.watch_list.order_no if self.watch_list else None
        self.post_message(OpenScreenRequest("191", order_no))

    def action_nasta_lista(self) -> None:
        params = self.watch_list
        if params is None:
            self.status(NO_LIST, error=True)
            return
        if params.index + 1 >= len(params.watch_ids):
            self.status(LIST_END.format(count=len(params.watch_ids)))
            return
        self.watch_list = dataclasses.replace(params, index=params.index + 1)
        watch_id = params.watch_ids[params.index + 1]
        self.run_db(lambda ctx: open_watch(ctx=ctx, watch_id=watch_id), self._show)

    def action_valj(self) -> None:
        """F4 outside a code field (in one, the field's own F4 lists its choices)."""
        self.status("F4 visar valen i ett kodfält (t.ex. Mott, Typ, Kontakttyp)")

    def action_felsokning(self) -> None:
        watch_id = self._need_watch()
        if watch_id is not None:
            from screens.felsokning import TroubleshootingModal

            self.app.push_screen(TroubleshootingModal(watch_id))
