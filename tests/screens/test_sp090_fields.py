"""SP 090's fields beyond the seed's first rows, by keyboard: the Invånarmall chosen with F4 goes
to the inbox with the invitation (seed 10); Utskrivet is set by Spara and never typed; the
Detalj row (Problem/Diagnos, Kontrollpat, Datum) is saved and read back (seed 5.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import Session, col, select
from textual.widgets import DataTable, Input, Static

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.db import make_engine
from pasis_tui.core.patients import Dispatch
from pasis_tui.widgets.choice import ChoiceList
from screens.klocka import ClockModal
from screens.sp090_bevakning import WatchScreen
from screens.sp090_form import FIELDS, PANEL_WIDTH, UTSKICK_ROWS, utskick_lines
from tests.screens.citizen_steps import log_in
from tests.screens.conftest import SIZE, settle
from tests.screens.sp090_flows import NY, TOLVAN, field_id, find, new_watch_saved, type_form

MakeApp = Callable[..., PasisApp]
TEMPLATE = "Boka själv ditt nästa besök hos oss"  # the demo's REUM template


def _watch(url: str) -> models.Watch:
    engine = make_engine(url)
    with Session(engine) as session:
        watch = session.exec(
            select(models.Watch)
            .join(models.Patient, col(models.Patient.id) == models.Watch.patient_id)
            .where(models.Patient.personnummer == TOLVAN)
        ).one()
    engine.dispose()
    return watch


def _screen(app: PasisApp) -> WatchScreen:
    assert isinstance(app.screen, WatchScreen)
    return app.screen


def _status(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line", Static).render())


async def test_invanarmall_chosen_with_f4_reaches_the_inbox_with_the_invitation(
    make_app: MakeApp, demo_url: str
) -> None:
    app = make_app(unit="REUM", screen="090")
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, TOLVAN)
        passed = await type_form(pilot, {**NY, "avbokas_av": ""})
        while field_id(app.focused) != "invanarmall":  # the form's last field
            await pilot.press("tab")
        assert passed[-1] == "avbokas_av"
        await pilot.press("f4")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ChoiceList)
        assert [label.split(" ", 1)[1] for label, _ in listing.choices] == [TEMPLATE]
        await pilot.press("enter")
        await settle(pilot)
        screen = _screen(app)
        name = screen.query_one("#invanarmall .choice-name", Static).render()
        assert str(name) == TEMPLATE  # the attached template shows on the form
        await pilot.press("alt+s")
        await settle(pilot)
        assert _status(app) == "Bevakningen är sparad"
        watch = _watch(demo_url)
        assert watch.citizen_template_id is not None
        assert screen.form.value("citizen_template") == str(watch.citizen_template_id)

        await pilot.press("f9")  # the training clock: +1 tim sends the invitation
        await settle(pilot)
        assert isinstance(app.screen, ClockModal)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("escape", "alt+x", *"1177", "enter")
        await settle(pilot)
        await log_in(pilot, TOLVAN)
        table = app.screen.query_one("#inkorg_lista", DataTable)
        rows = [tuple(str(cell) for cell in table.get_row_at(n)) for n in range(table.row_count)]
        kinds = {row[2] for row in rows if any(TEMPLATE in cell for cell in row)}
        assert kinds == {"Information"}, rows
        assert any(row[2] == "Kallelse" for row in rows)


async def test_invanarmall_unknown_or_on_an_ordinary_watch_is_refused_at_the_field(
    make_app: MakeApp, demo_url: str
) -> None:
    app = make_app(unit="REUM", screen="090")
    async with app.run_test(size=SIZE) as pilot:
        await new_watch_saved(pilot, TOLVAN, {**NY, "invanarmall": "999"})
        screen = _screen(app)
        assert _status(app) == "Invånarmall 999 finns inte på enheten. F4 visar mallarna"
        field = screen.form.widget("citizen_template")
        assert app.focused is field.input  # type: ignore[attr-defined]
        assert screen.form.value("citizen_template") == "999"  # kept as typed
        await pilot.press("home", "shift+end", "backspace")
        choices = field.choices  # type: ignore[attr-defined]
        await pilot.press(*choices[0][1])
        for _ in range(40):  # back to Typ
            await pilot.press("shift+tab")
            if field_id(app.focused) == "typ":
                break
        await pilot.press("home", "shift+end", *"V", "alt+s")
        await settle(pilot)
        assert _status(app) == "En invånarmall kan bara skickas med en öppen kallelse (typ ÖK)"
        assert app.focused is field.input  # type: ignore[attr-defined]
    engine = make_engine(demo_url)
    with Session(engine) as session:
        patient = session.exec(
            select(models.Patient).where(models.Patient.personnummer == TOLVAN)
        ).one()
        assert (
            session.exec(select(models.Watch).where(models.Watch.patient_id == patient.id)).all()
            == []
        )
    engine.dispose()


async def test_utskrivet_is_set_by_spara_and_detalj_is_saved(
    make_app: MakeApp, demo_url: str
) -> None:
    app = make_app(unit="REUM", screen="090")
    async with app.run_test(size=SIZE) as pilot:
        values = {
            **NY,
            "bekr_inrem": "Ja",
            "problem_diagnos": "Polyartrit",
            "kontrollpat": "JA",
            "detalj_datum": "2027-02-01",
        }
        await find(pilot, TOLVAN)
        passed = await type_form(pilot, values)
        screen = _screen(app)
        for wid in ("bekr_inrem_utskrivet", "bekr_patient_utskrivet", "bevakn_utskrivet"):
            assert wid not in passed  # shown, never typed: Tab goes past
            assert screen.query_one(f"#{wid}", Input).disabled
        order = [name for name in passed if name in values]
        expected = ["vardatagande", *(f.widget_id for f in FIELDS if f.widget_id in values)]
        assert order == expected  # Detalj after Avbokas av, in the seed's order
        await pilot.press("alt+s")
        await settle(pilot)
        assert _status(app) == "Bevakningen är sparad"
        today = "2026-11-22"
        assert screen.query_one("#bekr_inrem_utskrivet", Input).value == today
        assert screen.query_one("#bekr_patient_utskrivet", Input).value == ""  # Nej
        assert screen.form.value("control_patient") == "JA"
    watch = _watch(demo_url)
    assert watch.confirm_referrer_printed == dt.date(2026, 11, 22)
    assert watch.confirm_patient_printed is None and watch.watch_letter_printed is None
    assert (watch.detail_problem, watch.control_patient) == ("Polyartrit", True)
    assert watch.detail_date == dt.date(2027, 2, 1)


async def test_a_code_field_without_a_label_of_its_own_is_named_in_its_message(
    make_app: MakeApp,
) -> None:
    """Vg-kat shares the label "Vg/vg-kat/Resurs": its message says Vg-kat, never its id."""
    app = make_app(unit="REUM", screen="090")
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, TOLVAN)
        screen = _screen(app)
        screen.form.widget("caregiver_category").input.focus()  # type: ignore[attr-defined]
        await pilot.press(*"ZZZ", "tab")  # left: said at once
        await settle(pilot)
        assert _status(app) == "Vg-kat: okänd kod ZZZ. F4 visar valen"
        await pilot.press("alt+s")  # and refused at the field by Spara
        await settle(pilot)
        assert _status(app).startswith("Vg-kat: okänd kod ZZZ")
        assert screen.form.value("caregiver_category") == "ZZZ"  # kept as typed


def test_utskick_fit_the_panel_and_say_how_many_more() -> None:
    """The panel has a fixed size (a watch opens without a layout pass): the newest messages
    that fit, each line within its width, then how many older ones were left out."""
    sent = dt.datetime(2026, 11, 22, 10, 6)
    visit = dt.datetime(2026, 11, 30, 10, 0)

    def dispatch(kind: str, *, booked: bool = False) -> Dispatch:
        return Dispatch(sent_at=sent, visit_at=visit if booked else None, kind=kind, subject="")

    few = utskick_lines([dispatch("Bekräftelse", booked=True), dispatch("Kallelse")])
    assert few == [
        "26-11-22 10:06 Bekräftelse",
        "  Besökstid 26-11-30 10:00",
        "26-11-22 10:06 Kallelse",
    ]
    many = utskick_lines([dispatch("Digital kallelse", booked=True) for _ in range(7)])
    assert len(many) <= UTSKICK_ROWS and all(len(line) <= PANEL_WIDTH for line in many)
    assert many[:3] == ["26-11-22 10:06 Digital", "  kallelse", "  Besökstid 26-11-30 10:00"]
    assert many[-1] == "… och 4 äldre"  # 3 of 7 fit (3 rows each), and a row for the rest
    exact = utskick_lines([dispatch("Kallelse") for _ in range(UTSKICK_ROWS)])
    assert len(exact) == UTSKICK_ROWS and "äldre" not in exact[-1]
