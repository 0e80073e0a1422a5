"""SP 090's parts: the watch form as seed 5.1–5.3 draw it (row by row), the patient line, and the
patient's 1177 panel (seed 9). Declarations only; the screen (sp090_bevakning.py) acts."""

from __future__ import annotations

from collections.abc import Sequence
from textwrap import wrap

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from pasis_tui.core.care import CareCommitment
from pasis_tui.core.patients import Dispatch, Patient1177
from pasis_tui.widgets import PasisButton
from pasis_tui.widgets.choice import ChoiceField
from pasis_tui.widgets.fields import LabeledField, set_text
from pasis_tui.widgets.form import FormField, RecordForm
from pasis_tui.widgets.inputs import Stamps, TextInput

W = 17  # the first column's labels: "Avgiftsfri orsak", "Skicka till 1177"
YES_NO = (("Ja", "Ja"), ("Nej", "Nej"))


def _code(label: str, wid: str, domain: str, row: int, **kw: object) -> FormField:
    """A code field (kind "choice"): the code typed, its name beside it, F4 lists the codes."""
    return FormField(label, wid, domain, kind="choice", max_length=12, row=row, **kw)  # type: ignore[arg-type]


def _yes_no(label: str, wid: str, domain: str, row: int, **kw: object) -> FormField:
    return FormField(label, wid, domain, kind="choice", options=YES_NO, width=5, row=row, **kw)  # type: ignore[arg-type]


def _printed(wid: str, domain: str, row: int) -> FormField:
    """Utskrivet: the day the confirmation or letter was printed (set by Spara, never typed)."""
    return FormField("Utskrivet", wid, domain, width=10, max_length=10, row=row, editable=False,
                     counter=False)  # fmt: skip


DETALJ = 18  # the Detalj row: Problem/Diagnos, Kontrollpat, Datum

FIELDS = (
    _code("Mott", "mott", "clinic", 1, width=6, required=True, label_width=W,
          aliases=("clinic_id",)),
    _code("Vg/vg-kat/Resurs", "vg", "caregiver", 1, width=6, required=True,
          aliases=("caregiver_id",), name="Vg"),
    _code("", "vg_kat", "caregiver_category", 1, width=5, name="Vg-kat"),
    FormField("Datum", "datum", "target_date", kind="date", label_width=W, row=2),
    _code("Typ", "typ", "watch_type", 2, default="ÖK", width=4, required=True),
    _code("Kontakttyp", "kontakttyp", "contact_type", 2, width=4),
    FormField("Beslut om återbesök", "beslut_om_aterbesok", "return_decision_date", kind="date",
              label_width=W + 3, row=3),
    FormField("Besökets längd", "besokets_langd", "visit_length", kind="number", width=5,
              max_length=3, row=3, aliases=("visit_length_min",)),
    FormField("Kod", "kod", "code", width=8, max_length=8, label_width=W, row=4),
    FormField("Orsak", "orsak", "reason", width=13, row=4),
    FormField("Interndiagnos", "interndiagnos", "internal_diagnosis", width=8, max_length=10,
              row=4),
    FormField("Var", "var", "location", width=7, max_length=10, row=4),
    FormField("Intern text", "intern_text", "internal_text", width=62, max_length=200,
              label_width=W, row=5),
    FormField("Remiss", "remiss", "referral", width=20, max_length=20, label_width=W, row=6),
    FormField("Väntetid", "vantetid", "waiting_months", kind="number", width=4, max_length=3,
              row=6),
    _yes_no("Bekr(Inrem)", "bekr_inrem", "confirm_referrer", 7, label_width=W),
    _printed("bekr_inrem_utskrivet", "confirm_referrer_printed", 7),
    _yes_no("Bekr(patient)", "bekr_patient", "confirm_patient", 7),
    _printed("bekr_patient_utskrivet", "confirm_patient_printed", 7),
    # The seed's row goes on with Kort varsel; beside the 1177 panel it takes the next line.
    _code("Kort varsel", "kort_varsel", "short_notice", 8, width=5, label_width=W),
    _yes_no("(Bevakn) Brev", "bevakn_brev", "watch_letter", 9, label_width=W),
    FormField("Brevkod", "bevakn_brevkod", "watch_letter_code", width=10, max_length=8, row=9),
    _printed("bevakn_utskrivet", "watch_letter_printed", 9),
    _yes_no("(Bokn) Brev", "bokn_brev", "booking_letter", 10, label_width=W),
    _code("Brevkod", "bokn_brevkod", "booking_letter_code", 10, width=6),
    _code("Std", "std", "booking_standard_text", 10, width=6),
    FormField("Brevtext", "brevtext", "letter_text", width=62, max_length=400, label_width=W,
              row=11),
    _code("Aktivitet", "aktivitet", "activity", 12, width=6, label_width=W,
          aliases=("activity_id",)),
    _code("Anledning", "anledning", "cause", 12, width=7),
    _code("Betalningssätt", "betalningssatt", "payment_method", 13, width=7, label_width=W),
    _yes_no("Får avbokas av patient i 1177", "far_avbokas", "patient_may_cancel", 13),
    _code("Avgiftsfri orsak", "avgiftsfri_orsak", "fee_exempt_reason", 14, width=8,
          label_width=W),
    FormField("Skicka till 1177", "skicka_till_1177", "send_to_1177", width=17, max_length=16,
              placeholder="ÅÅÅÅ-MM-DD", label_width=W, row=15, aliases=("send_to_1177_at",),
              counter=False),
    FormField("Boka fr o m", "boka_fr_o_m", "book_from", kind="date", row=15),
    FormField("Boka t o m", "boka_t_o_m", "book_to", kind="date", row=15),
    FormField("Syfte", "syfte", "purpose", width=58, max_length=120, label_width=W, row=16,
              counter=False),
    _code("Avbokas av", "avbokas_av", "cancelled_by", 17, width=6, label_width=W),
    FormField("Problem/Diagnos:", "problem_diagnos", "detail_problem", width=13, row=DETALJ,
              counter=False),
    FormField("Kontrollpat:", "kontrollpat", "control_patient", kind="choice", width=5,
              options=(("JA", "JA"), ("NEJ", "NEJ")), default="NEJ", row=DETALJ),
    FormField("Datum:", "detalj_datum", "detail_date", kind="date", width=11, row=DETALJ),
    _code("Invånarmall", "invanarmall", "citizen_template", 19, width=4, label_width=W),
)  # fmt: skip


class WatchRecordForm(RecordForm):
    """The watch's fields in the seed's rows and order; Syfte's count beside it."""

    FIELDS = FIELDS

    def compose_row_start(self, row: int) -> ComposeResult:
        if row == DETALJ:
            yield Label("Detalj", classes="sp090_radrubrik")

    def compose_row_end(self, row: int) -> ComposeResult:
        if row == 3:
            yield Label("min", classes="sp090_enhetstext")
        elif row == 6:
            yield Label("mån", classes="sp090_enhetstext")
        elif row == 16:
            yield Label("0/80", id="syfte_antal")

    def compose_tail(self) -> ComposeResult:
        yield Stamps("", id="stamps")


def patient_line() -> ComposeResult:
    """`Patient [personnummer or name] Name, Ort   Vårdåtagande [n] …` (seed 5.1: via
    vårdåtagandet fills Datum and Remiss)."""
    with Horizontal(id="patientrad", classes="form_rad"):
        yield Label("Enhet", id="enhet", classes="sp090_enhet")
        # a LimitedInput: the 31st character is refused with a message, not dropped silently
        patient = TextInput(id="patient", max_length=30, placeholder="personnummer eller namn")
        patient.compact = True
        yield LabeledField("Patient", patient)
        yield Label("", id="patient_namn")
        commitment = ChoiceField((), id="vardatagande", label="Vårdåtagande", max_length=3)
        yield LabeledField("Vårdåtagande", commitment)


def commitment_choices(commitments: tuple[CareCommitment, ...]) -> tuple[tuple[str, str], ...]:
    """(label, value) per care commitment: `1 VÅ-REUM-0001 mål 2026-12-20 REM-2026-0412`."""
    choices = []
    for number, commitment in enumerate(commitments, start=1):
        referral = commitment.referrals[0].number if commitment.referrals else "ingen remiss"
        label = f"{number} {commitment.commitment_id} mål {commitment.target_date:%Y-%m-%d}"
        choices.append((f"{label} {referral}", str(number)))
    return tuple(choices)


#: Inside the panel's border (sp090.tcss): 28 columns, and 10 rows for Utskick, so that no
#: patient's messages change the panel's size (opening a watch then needs no layout pass).
PANEL_WIDTH, UTSKICK_ROWS = 28, 10


def utskick_lines(dispatches: Sequence[Dispatch], rows: int = UTSKICK_ROWS) -> list[str]:
    """The newest messages that fit `rows`, each wrapped to the panel's width, then how many
    older ones there are (`… och 3 äldre`): none is left out without a word."""
    blocks = []
    for item in dispatches:
        block = wrap(
            f"{item.sent_at:%y-%m-%d %H:%M} {item.kind}", PANEL_WIDTH, subsequent_indent="  "
        )
        if item.visit_at is not None:
            block.append(f"  Besökstid {item.visit_at:%y-%m-%d %H:%M}")
        blocks.append(block)
    lines: list[str] = []
    for number, block in enumerate(blocks):
        spare = 0 if number == len(blocks) - 1 else 1  # a row kept for "… och N äldre"
        if len(lines) + len(block) + spare > rows:
            lines.append(f"… och {len(blocks) - number} äldre")
            break
        lines.extend(block)
    return lines


class Panel1177(Vertical):
    """The patient's 1177 situation as the medarbetarportal shows it (seed 9)."""

    def compose(self) -> ComposeResult:
        yield Label("Konto på 1177", classes="panel_rubrik")
        yield Static("Ingen patient vald", id="panel_konto")
        yield Label("Utskick", classes="panel_rubrik")
        yield Static("", id="panel_utskick")

    def show(self, panel: Patient1177 | None) -> None:
        if panel is None:
            set_text(self.query_one("#panel_konto", Static), "Ingen patient vald")
            set_text(self.query_one("#panel_utskick", Static), "")
            return
        set_text(self.query_one("#panel_konto", Static), "\n".join(panel.lines))
        lines = utskick_lines(panel.dispatches)
        set_text(self.query_one("#panel_utskick", Static), "\n".join(lines) or "Inga utskick")


BUTTON_KEYS = (
    ("spara", "s", "Spara"),
    ("avboka", "a", "Avboka"),
    ("boka", "k", "Boka"),
    ("nasta_pat", "n", "Nästa denna pat"),
    ("forsta_bev", "f", "Första bev"),
    ("ny_patient", "p", "Ny patient"),
    ("ny_bev", "y", "Ny bev"),
    ("borttag", "b", "Borttag"),
    ("oversikt", "ö", "Översikt bev.utsök"),
    ("nasta_lista", "l", "Nästa i bev. lista"),
)


def buttons() -> ComposeResult:
    """The seed's buttons in its two rows, Alt + the underlined letter."""
    for row in (BUTTON_KEYS[:8], BUTTON_KEYS[8:]):
        with Horizontal(classes="sp090_knappar"):
            for action, letter, label in row:
                yield PasisButton(label, letter, run=action)
