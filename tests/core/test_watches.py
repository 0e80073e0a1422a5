"""SP 090 watch services: each refusal at its field, each warning, state line, Borttag."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.watches import (
    WARN_CONFIRM_PATIENT,
    WARN_NO_ACCOUNT,
    WARN_NO_BOOKING_LETTER,
    WARN_NOTIFICATIONS_OFF,
    WARN_PAPER,
    WARN_WATCH_LETTER,
    WatchForm,
    next_watch_of_patient,
    purpose_count,
    read_watch,
    remove_watch,
    save_watch,
)
from tests.conftest import USER
from tests.core.watch_setup import AGDA, GUSTAV, NY_FORM, patient_id, save, saved_watch_id, unit_id


def _count(engine: Engine, table: type[models.SQLModel]) -> int:
    with open_session(engine, user=USER, clock=FixedClock(dt.datetime(2026, 1, 1))) as session:
        return session.exec(select(func.count()).select_from(table)).one()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"location": "R12"}, "location", "Var ska lämnas tomt"),
        ({"purpose": "x" * 81}, "purpose", "högst 80 tecken inklusive blanksteg (nu 81)"),
        ({"book_from": "2026-12-10", "book_to": "2026-12-01"}, "book_from", "Boka fr o m"),
        ({"book_from": "", "book_to": "2026-11-21"}, "book_to", "Boka t o m har redan passerat"),
        ({"send_to_1177": "2027-01-05"}, "send_to_1177_at", "efter Boka t o m"),
        ({"contact_type": "ÅB"}, "return_decision_date", "Beslut om återbesök"),
        ({"contact_type": "TE"}, "return_decision_date", "TE TELEFON"),
        ({"contact_type": "KT"}, "return_decision_date", "KT TELEFON KVAL"),
        ({"activity": "RAST"}, "activity_id", "Ej bokningsbar tid och kan inte bokas"),
        ({"clinic": ""}, "clinic_id", "Mott måste fyllas i"),
        ({"caregiver": ""}, "caregiver_id", "Vg måste fyllas i"),
        ({"visit_length": ""}, "visit_length_min", "Besökets längd måste fyllas i"),
        ({"activity": ""}, "activity_id", "Aktivitet måste fyllas i"),
        ({"contact_type": "XX"}, "contact_type", "Kontakttyp: okänd kod XX"),
        ({"cause": "NOPE"}, "cause", "Anledning: okänd kod"),
        ({"send_to_1177": "i morgon"}, "send_to_1177_at", "Skicka till 1177: skriv"),
        ({"caregiver": "XYZ"}, "caregiver_id", "Okänd vårdgivare XYZ"),
    ],
)
def test_refusals_name_their_field_and_save_nothing(
    demo_engine: Engine, clock: FixedClock, changes: dict[str, str], field: str, words: str
) -> None:
    watches_before = _count(demo_engine, models.Watch)
    invitations_before = _count(demo_engine, models.Invitation)
    with pytest.raises(PasisError) as refused:
        save(demo_engine, clock, **changes)
    assert refused.value.field == field
    assert words in refused.value.message
    assert _count(demo_engine, models.Watch) == watches_before
    assert _count(demo_engine, models.Invitation) == invitations_before


def test_purpose_of_exactly_80_characters_is_accepted(
    demo_engine: Engine, clock: FixedClock
) -> None:
    purpose = ("Nybesök hos läkare " * 5)[:80]
    assert len(purpose) == 80
    result = save(demo_engine, clock, purpose=purpose)
    assert result.saved and result.watch is not None and result.watch.form.purpose == purpose


def test_purpose_count_as_typed() -> None:
    assert purpose_count("Nybesök hos läkare") == "18/80"
    assert purpose_count(" " * 3) == "0/80"


def test_location_is_allowed_on_an_ordinary_watch(demo_engine: Engine, clock: FixedClock) -> None:
    invitations_before = _count(demo_engine, models.Invitation)
    result = save(demo_engine, clock, watch_type="V", location="R12", clinic="", activity="")
    assert result.saved and result.watch is not None
    assert result.watch.form.location == "R12" and result.warnings == ()
    assert _count(demo_engine, models.Invitation) == invitations_before  # it sends nothing


def test_a_clean_ok_watch_saves_without_warnings(demo_engine: Engine, clock: FixedClock) -> None:
    result = save(demo_engine, clock, confirmed=False)
    assert result.saved and result.warnings == ()
    assert result.watch is not None
    assert result.watch.contact_label == "NY NYBESÖK"
    assert result.watch.type_label == "ÖK ÖPPEN KALLELSE"
    assert result.watch.form.caregiver_category == "LÄK"  # from the caregiver
    assert result.watch.state == "Sparad (skickas 2026-11-22 11:00)"
    assert result.watch.created == "20261122 VIS"


def test_no_offer_warns_with_the_condition_that_removed_them(
    demo_engine: Engine, clock: FixedClock
) -> None:
    before = _count(demo_engine, models.Watch)
    result = save(demo_engine, clock, visit_length="30", confirmed=False)
    assert not result.saved and _count(demo_engine, models.Watch) == before
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("Inga tider erbjuds patienten idag: 0 av ")
    assert "på 30 min — de är 60 min" in result.warnings[0]
    confirmed = save(demo_engine, clock, visit_length="30", confirmed=True)
    assert confirmed.saved and confirmed.warnings == result.warnings
    assert _count(demo_engine, models.Watch) == before + 1


@pytest.mark.parametrize(
    ("changes", "personnummer", "expected"),
    [
        ({"watch_letter": "Ja"}, None, WARN_WATCH_LETTER),
        ({"confirm_patient": "Ja"}, None, WARN_CONFIRM_PATIENT),
        ({"booking_letter": "Nej"}, None, WARN_NO_BOOKING_LETTER),
        ({"booking_letter": ""}, None, WARN_NO_BOOKING_LETTER),
        ({}, GUSTAV, WARN_NO_ACCOUNT),
        ({}, AGDA, WARN_NOTIFICATIONS_OFF),
        ({}, AGDA, WARN_PAPER),
    ],
)
def test_warnings_are_listed_and_saved_once_confirmed(
    demo_engine: Engine,
    clock: FixedClock,
    changes: dict[str, str],
    personnummer: str | None,
    expected: str,
) -> None:
    who = {"personnummer": personnummer} if personnummer else {}
    before = (_count(demo_engine, models.Watch), _count(demo_engine, models.Invitation))
    asked = save(demo_engine, clock, confirmed=False, **who, **changes)  # type: ignore[arg-type]
    assert not asked.saved and expected in asked.warnings
    assert (_count(demo_engine, models.Watch), _count(demo_engine, models.Invitation)) == before
    saved = save(demo_engine, clock, confirmed=True, **who, **changes)  # type: ignore[arg-type]
    assert saved.saved and expected in saved.warnings


def test_ab_and_kt_from_the_seed_save(demo_engine: Engine, clock: FixedClock) -> None:
    ab = save(
        demo_engine,
        clock,
        contact_type="ÅB",
        return_decision_date="2026-11-20",
        activity="ÖKÅB",
        visit_length="30",
        confirm_referrer="Nej",
        confirm_patient="Nej",
    )
    assert ab.saved and ab.warnings == () and ab.watch is not None
    assert ab.watch.contact_label == "ÅB ÅTERBESÖK"
    kt = save(
        demo_engine,
        clock,
        contact_type="KT",
        return_decision_date="2026-11-20",
        activity="ÖKÅB",
        visit_length="30",
        confirm_referrer="Ja",
    )
    assert kt.saved and kt.watch is not None and kt.watch.contact_label == "KT TELEFON KVAL"
    assert kt.watch.form.confirm_referrer == "Ja"


def test_change_moves_an_unsent_invitation_and_keeps_one(
    demo_engine: Engine, clock: FixedClock
) -> None:
    before = _count(demo_engine, models.Invitation)
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = save_watch(
            session=session,
            clock=clock,
            unit_id=unit_id(session),
            patient_id=patient_id(session),
            form=dataclasses.replace(NY_FORM, send_to_1177="2026-11-24 07:30"),
            watch_id=watch_id,
        )
        assert result.watch is not None
        assert result.watch.state == "Sparad (skickas 2026-11-24 07:30)"
        assert result.watch.form.send_to_1177 == "2026-11-24 07:30"
        assert result.watch.updated == "20261122 VIS"
    assert _count(demo_engine, models.Invitation) == before + 1


def test_type_change_to_ordinary_withdraws_the_unsent_invitation(
    demo_engine: Engine, clock: FixedClock
) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        save_watch(
            session=session,
            clock=clock,
            unit_id=unit_id(session),
            patient_id=patient_id(session),
            form=dataclasses.replace(NY_FORM, watch_type="V"),
            watch_id=watch_id,
        )
        invitation = session.exec(
            select(models.Invitation).where(models.Invitation.watch_id == watch_id)
        ).one()
        assert invitation.withdrawn_at is not None and invitation.sent_at is None
        assert (
            session.exec(select(models.Message).where(models.Message.watch_id == watch_id)).all()
            == []
        )


def test_remove_closes_the_watch_and_refuses_twice(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = remove_watch(session=session, clock=clock, watch_id=watch_id)
        assert not result.patient_told and result.message == "Bevakningen är borttagen"
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert read_watch(session=session, clock=clock, watch_id=watch_id).state == "Borttagen"
        with pytest.raises(PasisError, match="borttagen"):
            remove_watch(session=session, clock=clock, watch_id=watch_id)
        with pytest.raises(PasisError, match="kan inte ändras"):
            save_watch(
                session=session,
                clock=clock,
                unit_id=unit_id(session),
                patient_id=patient_id(session),
                form=NY_FORM,
                watch_id=watch_id,
            )


def test_state_book_to_passed(demo_engine: Engine, clock: FixedClock) -> None:
    watch_id = saved_watch_id(save(demo_engine, clock, book_to="2026-11-30"))
    clock.set(dt.datetime(2026, 12, 1, 8, 0))
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert read_watch(session=session, clock=clock, watch_id=watch_id).state == (
            "Boka t o m passerat"
        )


def test_next_watch_of_the_patient_wraps(demo_engine: Engine, clock: FixedClock) -> None:
    first = saved_watch_id(save(demo_engine, clock))
    second = saved_watch_id(save(demo_engine, clock, watch_type="V"))
    with open_session(demo_engine, user=USER, clock=clock) as session:
        pid = patient_id(session)
        assert next_watch_of_patient(session=session, patient_id=pid, after_watch_id=None) == first
        assert (
            next_watch_of_patient(session=session, patient_id=pid, after_watch_id=first) == second
        )
        assert (
            next_watch_of_patient(session=session, patient_id=pid, after_watch_id=second) == first
        )


def test_empty_form_defaults(demo_engine: Engine, clock: FixedClock) -> None:
    assert WatchForm().watch_type == "ÖK"
    with pytest.raises(PasisError) as refused:
        save(demo_engine, clock, WatchForm())
    assert refused.value.field == "clinic_id"
