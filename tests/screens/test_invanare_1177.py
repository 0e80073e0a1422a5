"""1177 Invånare by keyboard on the demo (seed 000 sections 7, 8): log in, Inkorg, Kallelse,
Boka tid, the confirmation step, the receipt; Omboka, Avboka and their refusals; Kontakta oss;
Boka tid direkt; a lost race; and that no key path opens another patient's message or booking."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select
from textual.widgets import DataTable, Input, OptionList

from pasis_tui.app import PasisApp
from pasis_tui.core import models
from pasis_tui.core.booking import book_slot
from pasis_tui.core.citizen import BOOKING_UNKNOWN, MESSAGE_UNKNOWN
from pasis_tui.core.citizen_booking import SLOT_TAKEN, WATCH_UNKNOWN
from pasis_tui.core.citizen_cases import (
    SlotList,
    book_time,
    cancel_booking,
    cancel_offer,
    log_in_citizen,
    read_message,
    rebook_offer,
    send_contact,
)
from pasis_tui.core.citizen_offers import BOOK_OFF
from pasis_tui.core.citizen_rules import SERVICE_OFF_CHANGE
from pasis_tui.core.db import make_engine
from pasis_tui.core.demo_citizen import BOOKED, DEADLINE, REBOOKED, TOLK, WAITING
from pasis_tui.core.errors import PasisError
from pasis_tui.widgets.grouped_list import GroupedList
from screens.invanare_1177_views import UNREAD
from tests.conftest import demo_clock
from tests.screens.citizen_steps import (
    log_in,
    open_inbox_row,
    patient_id_of,
    press,
    status_text,
    text_of,
)
from tests.screens.conftest import SIZE, settle

MakeApp = Callable[..., PasisApp]


@pytest.fixture
def db(demo_url: str) -> Iterator[Session]:
    """A session on the app's database, to check what the keys did (and to race it)."""
    engine = make_engine(demo_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _app(make_app: MakeApp) -> PasisApp:
    return make_app(unit="REUM", screen="1177")


def _watch_of(db: Session, personnummer: str) -> models.Watch:
    db.rollback()  # a new snapshot: see what the app committed
    return db.exec(
        select(models.Watch)
        .join(models.Patient, col(models.Patient.id) == models.Watch.patient_id)
        .where(models.Patient.personnummer == personnummer)
    ).one()


def _active_bookings(db: Session, personnummer: str) -> list[models.Booking]:
    db.rollback()  # a new snapshot: see what the app committed
    return list(
        db.exec(
            select(models.Booking)
            .join(models.Patient, col(models.Patient.id) == models.Booking.patient_id)
            .where(
                models.Patient.personnummer == personnummer,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).all()
    )


async def test_bad_personnummer_is_refused_at_the_field_and_kept(make_app: MakeApp) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, "19091019-9828")
        field = screen.query_one("#personnummer", Input)
        assert screen.citizen is None and screen.view == "inloggning"
        assert "kontrollsiffran" in status_text(pilot)
        assert field.has_class("-invalid") and field.value == "19091019-9828"
        await press(pilot, *["backspace"] * 13, *"abc", "enter")
        assert status_text(pilot).startswith("Ogiltigt personnummer")
        assert field.value == "abc"


async def test_log_in_inbox_kallelse_boka_tid_confirm_receipt(
    make_app: MakeApp, db: Session
) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, "091019+9827")  # Greta Holm, in the short form
        assert screen.citizen is not None and screen.citizen.name == "Greta Holm"
        inbox = screen.query_one("#inkorg_lista", DataTable)
        rows = [inbox.get_row_at(n) for n in range(inbox.row_count)]
        assert [str(r[2]) for r in rows] == ["Information", "Kallelse"]  # newest first
        assert all(r[0] == UNREAD for r in rows)

        await open_inbox_row(pilot, "Kallelse")
        assert screen.view == "meddelande"
        shown = text_of(pilot, "#meddelande_text")
        for label in ("Kallelsen gäller:", "Mottagning:", "Du får boka tid till:", "Ort:", "Syfte"):
            assert label in shown
        assert "Besök Läkare" in shown and "HAN, LÄKARE" in shown and "MALMÖ" in shown
        assert "Demo: syns aldrig" not in shown  # the Intern text never reaches the patient

        await press(pilot, "alt+b")
        assert screen.view == "tider" and screen.times is not None
        lines = screen.query_one("#tider", GroupedList).lines
        first_day = screen.times.days[0]
        assert lines[0] == (first_day.label, None)  # the day, then its times
        assert lines[1] == (
            f"   kl. {first_day.times[0].clock_text}",
            str(first_day.times[0].slot_id),
        )
        assert first_day.label.startswith(("Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag"))
        chosen = first_day.times[0]

        await press(pilot, "enter")
        assert screen.view == "bekrafta"
        assert chosen.text in text_of(pilot, "#bekrafta_fakta")
        assert _active_bookings(db, WAITING) == []  # nothing booked before the confirmation

        await press(pilot, "alt+k")
        assert screen.view == "kvitto"
        assert text_of(pilot, "#kvitto_rubrik").startswith("Tid bokad hos ")
        receipt = text_of(pilot, "#kvitto_fakta")
        for label in ("Dag och tid:", "Mottagning:", "Bokningen avser:", chosen.text):
            assert label in receipt
        assert "Digital kallelse" in text_of(pilot, "#kvitto_brev")  # (Bokn) Brev = Ja
        [booking] = _active_bookings(db, WAITING)
        assert booking.slot_id == chosen.slot_id
        assert booking.booked_via == models.BookedVia.CITIZEN
        assert _watch_of(db, WAITING).status == models.WatchStatus.BOOKED

        await press(pilot, "f5")  # the Kallelse is read now, the new messages are not
        rows = [inbox.get_row_at(n) for n in range(inbox.row_count)]
        read = {str(r[2]): r[0] for r in rows}
        assert read["Kallelse"] == "" and read["Bekräftelse"] == UNREAD


async def test_rebook_twice_then_the_third_is_refused_with_the_reason(
    make_app: MakeApp, db: Session
) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, BOOKED)
        for attempt in (1, 2):
            await press(pilot, "f6", "alt+o")
            assert screen.view == "tider", status_text(pilot)
            await press(pilot, "enter", "alt+k")
            assert text_of(pilot, "#kvitto_rubrik").startswith("Tid ombokad hos "), attempt
            [booking] = _active_bookings(db, BOOKED)
            assert booking.rebooking_no == attempt
        await press(pilot, "f6")
        assert "Du kan inte omboka tiden" in text_of(pilot, "#bokade_detalj")
        await press(pilot, "alt+o")
        assert screen.view == "avslag"
        reason = "Du har redan ombokat tiden 2 gånger, vilket är det högsta antalet (2)"
        assert text_of(pilot, "#avslag_orsak") == reason
        assert status_text(pilot) == reason
        assert len(_active_bookings(db, BOOKED)) == 1


async def test_cancel_inside_the_deadline_is_refused_outside_allowed_and_the_watch_closes(
    make_app: MakeApp, db: Session
) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, DEADLINE)  # a time tomorrow: inside 25 hours
        await press(pilot, "f6", "alt+a")
        assert screen.view == "avslag"
        assert text_of(pilot, "#avslag_orsak").startswith(
            "Tiden kan inte avbokas senare än 25 timmar före besöket (senast "
        )
        assert len(_active_bookings(db, DEADLINE)) == 2
        await press(pilot, "alt+u")
        assert screen.view == "inloggning" and screen.citizen is None

        await log_in(pilot, BOOKED)  # four weeks ahead: outside the deadline
        await press(pilot, "f6", "alt+a")
        assert "Vill du avboka tiden" in str(pilot.app.screen.query_one("#fraga").render())
        await press(pilot, "escape")  # Nej: nothing changes
        assert len(_active_bookings(db, BOOKED)) == 1
        await press(pilot, "alt+a", "shift+tab", "enter")  # Ja
        assert screen.view == "kvitto"
        assert text_of(pilot, "#kvitto_rubrik").startswith("Tid avbokad hos ")
        assert _active_bookings(db, BOOKED) == []
        watch = _watch_of(db, BOOKED)
        assert watch.status == models.WatchStatus.CLOSED
        assert watch.cancelled_by == BOOKED


async def test_a_tolk_time_cannot_be_cancelled_and_kontakta_oss_sends_a_request(
    make_app: MakeApp, db: Session
) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, TOLK)
        await press(pilot, "f6", "alt+a")
        assert text_of(pilot, "#avslag_orsak") == (
            "Tiden kan inte avbokas i 1177 (Mottagningstid med tolk)"
        )
        await press(pilot, "alt+n")
        assert screen.view == "kontakt"
        await press(pilot, "enter")  # empty: refused at the field
        assert status_text(pilot) == "Skriv vad du vill ändra"
        assert screen.query_one("#kontakt_text", Input).has_class("-invalid")
        text = "Jag behöver en annan dag, helst en fredag."
        await press(pilot, *text, "enter")
        assert status_text(pilot).startswith("Ditt meddelande är skickat till ")
        assert text in text_of(pilot, "#kontakt_skickat")
        db.rollback()  # a new snapshot: see what the app committed
        request = db.exec(
            select(models.ContactRequest).where(
                models.ContactRequest.patient_id == patient_id_of(db, TOLK)
            )
        ).one()
        assert request.text == text and request.booking_id is not None
        await press(pilot, "escape")  # back to Bokade tider, where it shows as sent
        assert screen.view == "bokade"
        assert text in text_of(pilot, "#bokade_detalj")


async def test_a_race_loser_sees_tiden_ar_inte_langre_ledig_and_what_is_left(
    make_app: MakeApp, db: Session
) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, WAITING)
        await open_inbox_row(pilot, "Kallelse")
        await press(pilot, "alt+b", "enter")
        assert screen.view == "bekrafta" and screen.chosen is not None and screen.times
        lost, before = screen.chosen, screen.times.count
        other = patient_id_of(db, TOLK)  # someone else takes the seat meanwhile
        book_slot(db, clock=demo_clock(), slot_id=lost.slot_id, patient_id=other)
        db.commit()

        await press(pilot, "alt+k")
        assert screen.view == "tider"
        assert status_text(pilot).startswith(SLOT_TAKEN)
        assert screen.times.count == before - 1 and screen.times.time(lost.slot_id) is None
        assert _active_bookings(db, WAITING) == []
        assert _watch_of(db, WAITING).status == models.WatchStatus.OPEN


async def test_boka_tid_direkt_books_a_niva_4_time(make_app: MakeApp, db: Session) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, WAITING)
        await press(pilot, "f7")
        clinics = screen.query_one("#mottagningar", OptionList)
        assert str(clinics.get_option_at_index(0).prompt) == "Endoskopimottagning Lund, LUND"
        await press(pilot, "enter")
        assert screen.view == "tider" and screen.times and screen.times.count
        chosen = screen.times.days[0].times[0]
        await press(pilot, "enter", "alt+k")
        assert text_of(pilot, "#kvitto_rubrik") == "Tid bokad hos Endoskopimottagning Lund"
        [booking] = _active_bookings(db, WAITING)
        assert booking.slot_id == chosen.slot_id and booking.watch_id is None


async def test_services_off_in_the_clinics_e_tjanster_are_not_offered(
    make_app: MakeApp, db: Session
) -> None:
    db.execute(update(models.Clinic).values(eservice_book=False, eservice_change=False))
    db.execute(update(models.Clinic).values(eservice_contact=False))
    db.commit()
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, WAITING)
        await open_inbox_row(pilot, "Kallelse")
        assert not screen.query_one("#boka_tid").display
        assert text_of(pilot, "#kallelse_ledtext") == BOOK_OFF
        await press(pilot, "alt+b")
        assert screen.view == "meddelande"
        await press(pilot, "f7")
        assert screen.query_one("#mottagningar", OptionList).option_count == 0
        await press(pilot, "alt+u")
        await log_in(pilot, BOOKED)
        await press(pilot, "f6", "alt+o")
        assert text_of(pilot, "#avslag_orsak") == SERVICE_OFF_CHANGE
        assert not screen.query_one("#kontakta_oss_for_att_omboka_eller_avboka_tid").display


async def test_no_key_path_opens_another_patients_message_or_booking(
    make_app: MakeApp, db: Session
) -> None:
    greta, jonas = patient_id_of(db, WAITING), patient_id_of(db, REBOOKED)
    theirs = db.exec(select(models.Message).where(models.Message.patient_id == jonas)).all()
    their_booking = _active_bookings(db, REBOOKED)[0]
    their_watch = _watch_of(db, REBOOKED)
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, WAITING)
        # Every id the screen holds came from her own results.
        inbox = screen.query_one("#inkorg_lista", DataTable)
        keys = {int(str(k.value)) for k in inbox.rows}
        mine = db.exec(select(models.Message.id).where(models.Message.patient_id == greta)).all()
        assert keys == set(mine) and not keys & {m.id for m in theirs}
        await press(pilot, "f6")
        assert screen.query_one("#bokade_lista", DataTable).row_count == 0

        # Even a row keyed by someone else's message id opens nothing.
        inbox_rows = screen.query_one("#inkorg_lista", DataTable)
        await press(pilot, "f5")
        inbox_rows.add_row("", "x", "Kallelse", "x", "x", key=str(theirs[0].id))
        inbox_rows.move_cursor(row=inbox_rows.row_count - 1)
        await press(pilot, "enter")
        assert screen.view == "inkorg" and status_text(pilot) == MESSAGE_UNKNOWN
        db.rollback()  # a new snapshot: see what the app committed
        assert all(db.get(models.Message, m.id).read_at is None for m in theirs)  # type: ignore[union-attr]

        # The core refuses her every use of another patient's ids, as if they did not exist.
        ctx = pilot.app.ctx  # type: ignore[attr-defined]
        citizen = log_in_citizen(ctx=ctx, personnummer=WAITING).citizen
        booking_id = their_booking.id or 0
        calls = [
            (lambda: read_message(ctx=ctx, citizen=citizen, message_id=theirs[0].id or 0),
             MESSAGE_UNKNOWN),
            (lambda: rebook_offer(ctx=ctx, citizen=citizen, booking_id=booking_id),
             BOOKING_UNKNOWN),
            (lambda: cancel_offer(ctx=ctx, citizen=citizen, booking_id=booking_id),
             BOOKING_UNKNOWN),
            (lambda: cancel_booking(ctx=ctx, citizen=citizen, booking_id=booking_id),
             BOOKING_UNKNOWN),
            (lambda: send_contact(ctx=ctx, citizen=citizen, booking_id=booking_id, text="x"),
             BOOKING_UNKNOWN),
            (lambda: book_time(ctx=ctx, citizen=citizen, slot_id=their_booking.slot_id,
                               times=SlotList("", "", "", (), booking_id=booking_id)),
             BOOKING_UNKNOWN),
            (lambda: book_time(ctx=ctx, citizen=citizen, slot_id=their_booking.slot_id,
                               times=SlotList("", "", "", (), watch_id=their_watch.id)),
             WATCH_UNKNOWN),
        ]  # fmt: skip
        for call, refusal in calls:
            with pytest.raises(PasisError) as refused:
                call()
            assert refused.value.message == refusal
        assert len(_active_bookings(db, REBOOKED)) == 1


async def test_logga_ut_forgets_her_and_help_is_swedish(make_app: MakeApp) -> None:
    async with _app(make_app).run_test(size=SIZE) as pilot:
        screen = await log_in(pilot, WAITING)
        await press(pilot, "alt+u")
        assert screen.citizen is None and screen.view == "inloggning"
        assert screen.query_one("#inkorg_lista", DataTable).row_count == 0
        assert not screen.query_one("#c1177_meny").display
        await press(pilot, "f1")
        help_text = str(pilot.app.screen.query_one("#hjalp_text").source)  # type: ignore[attr-defined]
        assert "1177 Invånare" in help_text and "Logga in" in help_text
        await settle(pilot)
