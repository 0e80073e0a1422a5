"""SP 090 Bevakning by keyboard alone on the demo (unit REUM): seed 5.1, 5.2 and 5.3 from an
empty form to a saved watch; a refusal keeps what was typed; the warning list; Boka; Avboka;
Borttag; Nästa denna pat; the list from SP 191; Ny patient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlmodel import col, select
from textual.widgets import Input, Label, Static

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.watch_views import WatchListParams
from pasis_tui.widgets.choice import ChoiceList
from screens.felsokning import TroubleshootingModal
from screens.modals import ConfirmModal
from screens.sp090_bevakning import NO_LIST, WatchScreen
from screens.sp090_modals import NewPatientModal
from tests.screens.conftest import SIZE, settle
from tests.screens.sp090_flows import (
    AB,
    GRETA,
    KARIN,
    KT,
    NY,
    TOLVAN,
    find,
    new_watch_saved,
    type_form,
)

MakeApp = Callable[..., PasisApp]


def _app(make_app: MakeApp) -> PasisApp:
    return make_app(unit="REUM", screen="090")


def _screen(app: PasisApp) -> WatchScreen:
    screen = app.screen
    assert isinstance(screen, WatchScreen)
    return screen


def _text(app: PasisApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


def _status(app: PasisApp) -> str:
    return str(app.screen.query_one("#status_line", Static).render())


def _watches_of(app: PasisApp, personnummer: str) -> list[models.Watch]:
    assert app.ctx is not None
    with app.ctx.read() as session:
        patient = session.exec(
            select(models.Patient).where(models.Patient.personnummer == personnummer)
        ).one()
        rows = session.exec(
            select(models.Watch)
            .where(models.Watch.patient_id == patient.id)
            .order_by(col(models.Watch.id))
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


async def test_seed_5_1_ny_via_care_commitment_from_empty_form_to_saved(
    make_app: MakeApp,
) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, TOLVAN)
        screen = _screen(app)
        assert _text(app, "#patient_namn") == "Tolvan Tolvansson, LUND"
        assert _text(app, "#tillstand") == "Tillstånd: Ny bevakning (inte sparad)"
        passed = await type_form(pilot, NY)
        # via vårdåtagandet: Datum (måldatum, 21 days on) and Remiss are filled
        assert screen.form.value("target_date") == "2026-12-13"
        assert screen.form.value("referral") == "REM-2026-0450"
        # reading order: the patient line, then the seed's rows top to bottom
        order = [name for name in passed if name in NY]
        assert order == list(NY)
        assert str(screen.query_one("#syfte_antal", Label).render()) == "18/80"
        await pilot.press("alt+s")
        await settle(pilot)
        assert _status(app) == "Bevakningen är sparad"
        assert _text(app, "#tillstand").startswith("Tillstånd: Bevakning ")
        assert "Sparad (skickas 2026-11-22 11:00)" in _text(app, "#tillstand")
    [watch] = _watches_of(app, TOLVAN)
    assert (watch.watch_type, watch.contact_type) == ("ÖK", "NY")
    assert (watch.visit_length_min, watch.referral) == (60, "REM-2026-0450")
    assert watch.target_date == dt.date(2026, 12, 13)
    assert watch.internal_text == "Tolk"
    assert watch.booking_letter and not watch.watch_letter and watch.confirm_patient is False


async def test_seed_5_2_ab_needs_beslut_om_aterbesok(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await new_watch_saved(pilot, TOLVAN, {**AB, "beslut_om_aterbesok": ""})
        assert "Beslut om återbesök måste fyllas i" in _status(app)
        screen = _screen(app)
        widget = screen.form.widget("return_decision_date")
        assert widget.has_class("-invalid") and app.focused is widget
        assert screen.form.value("purpose") == AB["syfte"]  # typed data kept
        assert _watches_of(app, TOLVAN) == []
        await pilot.press(*AB["beslut_om_aterbesok"], "alt+s")
        await settle(pilot)
        assert _status(app) == "Bevakningen är sparad"
    [watch] = _watches_of(app, TOLVAN)
    assert watch.contact_type == "ÅB" and watch.return_decision_date == dt.date(2026, 11, 20)
    assert watch.patient_may_cancel is False and watch.referral == ""


async def test_seed_5_3_kt_saved(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await new_watch_saved(pilot, TOLVAN, KT)
        assert _status(app) == "Bevakningen är sparad"
        name = _screen(app).query_one("#kontakttyp .choice-name", Static).render()
        assert str(name) == "TELEFON KVAL"
    [watch] = _watches_of(app, TOLVAN)
    assert watch.contact_type == "KT" and watch.confirm_referrer is True


async def test_refusal_marks_the_field_and_keeps_what_was_typed(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        long_purpose = "x" * 85
        values = {"mott": "M11", "typ": "V", "var": "R12", "syfte": long_purpose}
        await new_watch_saved(pilot, TOLVAN, values)
        screen = _screen(app)
        assert _status(app).startswith("Syfte får vara högst 80 tecken inklusive blanksteg")
        assert app.focused is screen.form.widget("purpose")
        assert screen.form.widget("purpose").has_class("-invalid")
        counter = screen.query_one("#syfte_antal", Label)
        assert str(counter.render()) == "85/80" and counter.has_class("-over")
        assert screen.form.value("clinic") == "M11" and screen.form.value("location") == "R12"
        assert screen.form.value("purpose") == long_purpose
        await pilot.press("end", *["backspace"] * 5)  # focus selects the text: End first
        assert str(counter.render()) == "80/80" and not counter.has_class("-over")
        # back to ÖK: the first rule it breaks (no Vg) is refused at that field
        for _ in range(31):  # back up to Typ (Shift+Tab, reading order backwards)
            await pilot.press("shift+tab")
            if app.focused is not None and app.focused.id == "typ_kod":
                break
        await pilot.press("home", "shift+end", *"ÖK", "alt+s")
        await settle(pilot)
        assert _status(app) == "Vg måste fyllas i vid öppen kallelse (ÖK)"
        assert app.focused is screen.form.widget("caregiver").input  # type: ignore[attr-defined]
        assert _watches_of(app, TOLVAN) == []


async def test_warnings_are_listed_and_confirming_saves(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, GRETA)
        before = len(_watches_of(app, GRETA))
        await pilot.press("alt+y")  # Ny bev: she has a watch already
        await settle(pilot)
        values = {k: v for k, v in NY.items() if k != "vardatagande"}
        await type_form(pilot, {**values, "bokn_brev": "Nej"})
        await pilot.press("alt+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        question = str(modal.query_one("#fraga", Label).render())
        assert "(Bokn) Brev = Nej" in question
        assert "Patienten har valt papperskallelse (Post) i 1177" in question
        assert len(_watches_of(app, GRETA)) == before  # nothing kept until confirmed
        await pilot.press("escape")
        await settle(pilot)
        assert _status(app) == "Inte sparad: varningarna bekräftades inte"
        assert len(_watches_of(app, GRETA)) == before
        await pilot.press("alt+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("tab", "enter")  # from Nej to Ja
        await settle(pilot)
        assert _status(app) == "Bevakningen är sparad (med varningar)"
    assert len(_watches_of(app, GRETA)) == before + 1


async def test_boka_books_an_offered_slot_and_avboka_cancels_it(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, KARIN)
        assert "Skickad till 1177" in _text(app, "#tillstand")
        await pilot.press("alt+k")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, ChoiceList) and listing.choices
        first_label, slot_id = listing.choices[1]
        assert "60 min" in first_label
        await pilot.press("down", "enter")
        await settle(pilot)
        assert _status(app) == "Tid bokad 2026-11-24 10:00"
        assert _text(app, "#tillstand") == "Tillstånd: Bevakning 1: Bokad (2026-11-24 10:00)"
        assert "Bekräftelse" in str(_screen(app).query_one("#panel_utskick", Static).render())
        assert app.ctx is not None
        with app.ctx.read() as session:
            booking = session.exec(select(models.Booking).where(models.Booking.watch_id == 1)).one()
            assert (booking.slot_id, booking.booked_by, booking.booked_via) == (
                slot_id,
                "VIS",
                models.BookedVia.STAFF,
            )
        await pilot.press("alt+a")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert _status(app) == "Tiden 2026-11-24 10:00 är avbokad"
        assert _text(app, "#tillstand") == "Tillstånd: Bevakning 1: Avbokad"


async def test_boka_on_an_ordinary_watch_lists_the_matching_slots(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, "189102279800")  # Hilma Olsson: typ V, no invitation
        await pilot.press("alt+k")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceList)
        await pilot.press("enter")
        await settle(pilot)
        assert _status(app).startswith("Tid bokad ")
        assert "Bokad (" in _text(app, "#tillstand")


async def test_borttag_asks_then_withdraws(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, KARIN)
        await pilot.press("alt+b")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # Nej has the cursor
        await settle(pilot)
        assert "Skickad" in _text(app, "#tillstand")
        await pilot.press("alt+b")
        await settle(pilot)
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert _status(app) == "Bevakningen är borttagen och patienten har fått besked i 1177"
        assert _text(app, "#tillstand") == "Tillstånd: Bevakning 1: Borttagen"


async def test_nasta_i_bev_lista_walks_the_list_from_sp_191(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+l")
        assert _status(app) == NO_LIST
        app.open_by_text("090", params=WatchListParams(watch_ids=(3, 7, 2), index=0, order_no=5))
        await settle(pilot)
        seen = [_screen(app).watch_id]
        for _ in range(2):
            await pilot.press("alt+l")
            await settle(pilot)
            seen.append(_screen(app).watch_id)
        assert seen == [3, 7, 2]
        assert "(bevakningslista 3 av 3)" in _text(app, "#tillstand")
        assert _text(app, "#patient_namn") == "Sara Lund, LUND"  # watch 2's patient
        await pilot.press("alt+l")
        assert _status(app) == "Sista bevakningen i listan (3 st)"
        await pilot.press("alt+ö")  # Översikt bev.utsök: SP 191 (or its placeholder)
        await settle(pilot)
        assert not isinstance(app.screen, WatchScreen)


async def test_nasta_denna_pat_ny_bev_and_forsta_bev(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await find(pilot, KARIN)  # her ÖK watch 1; Ny bev adds an ordinary one (typ V)
        await pilot.press("alt+y")
        await settle(pilot)
        assert _screen(app).watch_id is None and _screen(app).form.value("clinic") == ""
        await type_form(pilot, {"typ": "V"})
        await pilot.press("alt+s")
        await settle(pilot)
        ids = [w.id for w in _watches_of(app, KARIN)]
        assert len(ids) == 2 and _screen(app).watch_id == ids[1]
        assert "Bevakning " in _text(app, "#tillstand")
        await pilot.press("alt+n")  # after the last: the first again
        await settle(pilot)
        assert _screen(app).watch_id == ids[0]
        assert _screen(app).form.value("watch_type") == "ÖK"
        await pilot.press("alt+n")
        await settle(pilot)
        assert _screen(app).watch_id == ids[1]
        assert _screen(app).form.value("watch_type") == "V"
        await pilot.press("alt+f")
        await settle(pilot)
        assert _screen(app).watch_id == ids[0]


async def test_ny_patient_keeps_what_was_typed_when_refused(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("alt+p")
        await settle(pilot)
        assert isinstance(app.screen, NewPatientModal)
        await pilot.press(*"19121212-1213", "tab", *"Test", "tab", *"Testsson", "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewPatientModal)  # back, as typed, the field marked
        error = str(modal.query_one("#ny_patient_fel", Label).render())
        assert error == "Ogiltigt personnummer: kontrollsiffran stämmer inte"
        number = modal.query_one("#ny_personnummer", Input)
        assert number.value == "19121212-1213" and number.has_class("-invalid")
        assert modal.query_one("#ny_efternamn", Input).value == "Testsson"
        await pilot.press("home", "shift+end", "backspace", *"19121212-1212", "enter")
        await settle(pilot)
        assert "finns redan" in str(app.screen.query_one("#ny_patient_fel", Label).render())
        # a valid number that is not a published test number: the demo refuses it
        await pilot.press("home", "shift+end", "backspace", *"20121212-1212", "enter")
        await settle(pilot)
        error = str(app.screen.query_one("#ny_patient_fel", Label).render())
        assert error.startswith("Demodatabasen tar bara publicerade testpersonnummer")
        # the demo's free test number (a samordningsnummer), without an account on 1177 but
        # with notifications on: refused at Aviseringar, then Av and Post by leaving them empty
        await pilot.press("home", "shift+end", "backspace", *"19191161-2388")
        await pilot.press(*["tab"] * 5, "home", "shift+end", "backspace", *"Inget konto")
        await pilot.press("tab", *"På", "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewPatientModal)
        assert str(modal.query_one("#ny_patient_fel", Label).render()).startswith(
            "Aviseringar kräver ett aktivt konto på 1177"
        )
        assert app.focused is modal.query_one("#ny_aviseringar_kod", Input)
        await pilot.press("home", "shift+end", "backspace", "enter")
        await settle(pilot)
        assert _status(app) == "Patienten 19191161-2388 Test Testsson är registrerad"
        assert _text(app, "#tillstand") == "Tillstånd: Ny bevakning (inte sparad)"
        konto = str(app.screen.query_one("#panel_konto", Static).render())
        assert konto.splitlines()[:3] == ["Inget konto på 1177", "Aviseringar avstängda", "Post"]


async def test_f6_opens_felsokning_for_the_watch(make_app: MakeApp) -> None:
    app = _app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        assert "Ingen bevakning visas" in _status(app)
        await find(pilot, KARIN)
        await pilot.press("f6")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, TroubleshootingModal) and modal.watch_id == 1
