"""The code field with a pop-up list (`kind="choice"`): the name beside the code, F4 chooses,
an unknown code is kept as typed and marked, and the form round-trips its value."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult

from pasis_tui.widgets.choice import ChoiceField, match
from pasis_tui.widgets.form import FormField, RecordForm

KINDS = (
    ("NY NYBESÖK", "NY"),
    ("ÅB ÅTERBESÖK", "ÅB"),
    ("TE TELEFON", "TE"),
    ("KT TELEFON KVAL", "KT"),
)
TYPES = (("Bokningsbar tid", 1), ("Grupptid", 2), ("Telefontid", 3))


@dataclass(frozen=True)
class Record:
    contact_type: str = ""
    type_id: int | None = None


class Form(RecordForm):
    FIELDS = (
        FormField("Kontakttyp", "kontakttyp", "contact_type", kind="choice", options=KINDS),
        FormField("Typ", "typ", "type_id", kind="choice", options=TYPES, blank=None, width=12),
    )


class FormApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Form()


def name_beside(app: App[None], widget_id: str) -> str:
    return str(app.query_one(f"#{widget_id}", ChoiceField).name_label.render())


def test_match_prefers_the_exact_code_and_otherwise_a_unique_start() -> None:
    assert match(KINDS, "te") == [("TE TELEFON", "TE")]
    assert match(KINDS, "t") == [("TE TELEFON", "TE")]  # the code TE starts with t, KT's does not
    assert match(TYPES, "tele") == [("Telefontid", 3)]
    assert len(match(TYPES, "")) == 0
    assert match(KINDS, "xx") == []


async def test_typing_a_code_shows_its_name_and_the_form_gives_the_value() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        form = app.query_one(Form)
        app.query_one("#kontakttyp_kod").focus()
        await pilot.press("å", "b")
        await pilot.pause()
        assert name_beside(app, "kontakttyp") == "ÅTERBESÖK"
        assert form.value("contact_type") == "ÅB"
        await pilot.press("tab", *"grupp")
        await pilot.pause()
        assert form.to_model(Record) == Record(contact_type="ÅB", type_id=2)


async def test_an_unknown_code_is_kept_as_typed_and_marked_on_leaving() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        form = app.query_one(Form)
        app.query_one("#kontakttyp_kod").focus()
        await pilot.press("x", "y", "tab")
        await pilot.pause()
        field = app.query_one("#kontakttyp", ChoiceField)
        assert field.input.value == "XY" and form.value("contact_type") == "XY"
        assert field.input.has_class("-invalid")
        assert field.problem() == "Kontakttyp: okänd kod XY. F4 visar valen"
        assert name_beside(app, "kontakttyp") == "?"


async def test_f4_lists_the_choices_and_enter_takes_one() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        form = app.query_one(Form)
        app.query_one("#kontakttyp_kod").focus()
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert form.value("contact_type") == "TE"
        assert app.focused is app.query_one("#kontakttyp_kod")
        await pilot.press("f4", "escape")  # Esc leaves the field as it was
        await pilot.pause()
        assert form.value("contact_type") == "TE"


async def test_load_and_marks_round_trip() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        form = app.query_one(Form)
        form.load(Record(contact_type="KT", type_id=3))
        await pilot.pause()
        assert form.to_model(Record) == Record(contact_type="KT", type_id=3)
        assert name_beside(app, "kontakttyp") == "TELEFON KVAL"
        assert app.query_one("#typ", ChoiceField).input.value == "Telefontid"  # no code: the name
        assert form.mark("type_id", "Typ måste anges")
        await pilot.pause()
        assert app.focused is app.query_one("#typ_kod")
        form.load(None)
        assert form.to_model(Record) == Record(contact_type="", type_id=None)
