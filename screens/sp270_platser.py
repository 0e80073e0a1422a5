"""SP 270 Dagmallar: the 'Antal platser' field of a Grupptid row (seed 3.2: Grupptid)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input

from pasis_tui.core.day_templates import MAX_SEATS, seats_allowed
from screens.sp270_common import field

SEATS_HELP = f"""\
- **Antal platser** (tomt = 1, högst {MAX_SEATS}) går bara att fylla i när aktiviteten har
  aktivitetstyp **Grupptid**: varje tid i raden får så många platser, och patienterna bokas på
  var sin plats. Dagvyn visar platserna på raden under tiden, t.ex. `(8 platser)`.
"""


class GroupSeatsField(Horizontal):
    """`Antal platser` beside Besökslängd: open only while the chosen activity is Grupptid."""

    DEFAULT_CSS = """
    GroupSeatsField { width: auto; height: auto; margin-left: 2; }
    GroupSeatsField #antal_platser { width: 5; }
    GroupSeatsField.-stangd Label { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield field("Antal platser", Input(id="antal_platser", placeholder="1", max_length=2))

    @property
    def seats_input(self) -> Input:
        return self.query_one("#antal_platser", Input)

    def allow(self, activity_type: str | None, *, editable: bool) -> None:
        """Open for a Grupptid activity in an Arbetskopia; otherwise closed and empty."""
        allowed = editable and seats_allowed(activity_type)
        if not allowed:
            self.seats_input.value = ""
        self.seats_input.disabled = not allowed
        self.set_class(not allowed, "-stangd")

    def load(self, seats: int, activity_type: str | None, *, editable: bool) -> None:
        """A row picked in the day view (or none): its places; one place shows as empty."""
        self.allow(activity_type, editable=editable)
        self.seats_input.value = str(seats) if seats > 1 else ""

    def to_form(self) -> str:
        """What goes into RowForm.seats: empty (= 1) while the field is closed."""
        return "" if self.seats_input.disabled else self.seats_input.value
