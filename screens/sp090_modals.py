"""SP 090's small dialog: Ny patient (personnummer and name; what was typed comes back with the
core's refusal marked at its field, so nothing typed is lost)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from pasis_tui.core.errors import PasisError
from pasis_tui.core.patients import (
    ACCOUNT_CHOICES,
    MAIL_CHOICES,
    NOTIFICATION_CHOICES,
    NewPatientForm,
)
from pasis_tui.widgets.form import FormField, RecordForm

W = 14
HINT = (
    "Personnummer 10 eller 12 siffror (även samordningsnummer). F4 visar valen.\n"
    "Aviseringar och Utskick tomma: På och Digitalt med konto, Av och Post utan.\n"
    "Enter sparar, Esc avbryter."
)


def _choices(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((value, value) for value in values)


class NewPatientFields(RecordForm):
    FIELDS = (
        FormField("Personnummer", "ny_personnummer", "personnummer", required=True, width=16,
                  max_length=13, label_width=W, row=1),
        FormField("Förnamn", "ny_fornamn", "first_name", required=True, width=30, label_width=W,
                  row=2),
        FormField("Efternamn", "ny_efternamn", "last_name", required=True, width=30,
                  label_width=W, row=3),
        FormField("Ort", "ny_ort", "city", width=30, label_width=W, row=4),
        FormField("Mobilnummer", "ny_mobil", "mobile", width=16, max_length=20, label_width=W,
                  row=5),
        FormField("1177-konto", "ny_konto", "account", kind="choice", width=12, max_length=11,
                  options=_choices(ACCOUNT_CHOICES), default="Aktivt", label_width=W, row=6),
        FormField("Aviseringar", "ny_aviseringar", "notifications", kind="choice", width=12,
                  max_length=3, options=_choices(NOTIFICATION_CHOICES), label_width=W, row=7),
        FormField("Utskick", "ny_utskick", "mail", kind="choice", width=12, max_length=8,
                  options=_choices(MAIL_CHOICES), label_width=W, row=8),
    )  # fmt: skip


class NewPatientModal(ModalScreen[NewPatientForm | None]):
    """Returns the form as typed (the screen registers it), or None on Esc."""

    DEFAULT_CSS = """
    NewPatientModal { align: center middle; }
    NewPatientModal > Vertical { width: 80; height: auto; border: thick $accent;
        background: $surface; padding: 0 1; }
    NewPatientModal Input.-invalid { border: none; height: 1; }
    NewPatientModal #ny_patient_fel { color: $error; text-style: bold; width: 100%; }
    NewPatientModal Horizontal.ny_knappar { height: auto; margin-top: 1; }
    NewPatientModal Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Avbryt", id="ny_patient.avbryt")
    ]

    def __init__(self, typed: NewPatientForm | None = None, error: PasisError | None = None):
        super().__init__()
        self.typed = typed
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Ny patient", classes="panel_rubrik")
            yield NewPatientFields()
            yield Label(self.error.message if self.error else "", id="ny_patient_fel")
            yield Label(HINT, classes="hint")
            with Horizontal(classes="ny_knappar"):
                yield Button("Spara", id="ny_spara", variant="primary", compact=True)
                yield Button("Avbryt", id="ny_avbryt", compact=True)

    def on_mount(self) -> None:
        fields = self.query_one(NewPatientFields)
        fields.load(self.typed)
        if self.error and self.error.field and fields.mark(self.error.field, self.error.message):
            return
        self.query_one("#ny_personnummer").focus()

    def _form(self) -> NewPatientForm:
        return self.query_one(NewPatientFields).to_model(NewPatientForm)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._form())

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._form() if event.button.id == "ny_spara" else None)
