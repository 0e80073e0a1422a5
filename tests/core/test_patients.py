"""Patients: found by personnummer (ids rules) or the first letters of the name, Ny patient,
the 1177 panel; and the code lists as data."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.code_lists import CodeList, check_code_lists, codes, label_of
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.demo_numbers import published_test_numbers
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.patients import NewPatientForm, find_patients, patient_1177, register_patient
from tests.conftest import USER
from tests.core.watch_setup import AGDA, GUSTAV, TOLVAN, patient_id, save

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "typed",
    ["19121212-1212", "191212121212", "121212-1212", "1212121212"],
)
def test_find_by_personnummer_in_every_form(demo_engine: Engine, typed: str) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 22, 10, 6))
    with open_session(demo_engine, user=USER, clock=clock) as session:
        if typed.startswith("12"):  # 10 digits: the latest birth year not in the future (2012)
            with pytest.raises(PasisError, match="Ingen patient med personnummer 20121212"):
                find_patients(session=session, text=typed, today=TODAY)
            return
        [found] = find_patients(session=session, text=typed, today=TODAY)
    assert found.personnummer == TOLVAN and found.shown_personnummer == "19121212-1212"


def test_find_plus_form_and_samordningsnummer(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user=USER, clock=clock) as session:
        [gustav] = find_patients(session=session, text="900118+9811", today=TODAY)
        assert gustav.personnummer == GUSTAV
        [mikael] = find_patients(session=session, text="19091079-9824", today=TODAY)
        assert mikael.name == "Mikael Virtanen"
        with pytest.raises(PasisError, match="kontrollsiffran") as refused:
            find_patients(session=session, text="19121212-1213", today=TODAY)
        assert refused.value.field == "personnummer"


def test_find_by_first_letters_of_the_name(demo_engine: Engine, clock: FixedClock) -> None:
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert [p.name for p in find_patients(session=session, text="tol", today=TODAY)] == [
            "Tolvan Tolvansson"
        ]
        assert [p.name for p in find_patients(session=session, text="åke", today=TODAY)] == [
            "Karin Åkesson"
        ]
        assert {p.name for p in find_patients(session=session, text="E", today=TODAY)} >= {
            "Elsa Ek",
            "Emma Berg",
            "Erik Sandberg",
            "Ella Svensson",
        }
        with pytest.raises(PasisError, match="Ingen patient vars namn börjar med Zz"):
            find_patients(session=session, text="Zz", today=TODAY)
        with pytest.raises(PasisError, match="Skriv personnummer"):
            find_patients(session=session, text="  ", today=TODAY)


def test_register_a_patient(engine: Engine, clock: FixedClock) -> None:
    form = NewPatientForm(
        personnummer="20170101-2393", first_name="Liam", last_name="Nilsson", mobile="070-1"
    )
    with write_session(engine, user=USER, clock=clock) as session, pytest.raises(PasisError) as bad:
        register_patient(session=session, clock=clock, form=form)
    assert bad.value.field == "mobile"
    form = NewPatientForm(
        personnummer="20170101-2393",
        first_name="Liam",
        last_name="Nilsson",
        city="Malmö",
        account="Inget konto",
    )
    with write_session(engine, user=USER, clock=clock) as session:
        new = register_patient(session=session, clock=clock, form=form)
        assert new.personnummer == "201701012393" and new.city == "MALMÖ"
        panel = patient_1177(session=session, patient_id=new.patient_id)
        assert panel.lines[0] == "Inget konto på 1177"
    with (
        write_session(engine, user=USER, clock=clock) as session,
        pytest.raises(PasisError) as twice,
    ):
        register_patient(session=session, clock=clock, form=form)
    assert "finns redan" in twice.value.message
    with (
        write_session(engine, user=USER, clock=clock) as session,
        pytest.raises(PasisError) as empty,
    ):
        register_patient(
            session=session,
            clock=clock,
            form=NewPatientForm(personnummer="198107249289", first_name="", last_name="Lund"),
        )
    assert empty.value.field == "first_name"


def test_the_1177_panel_shows_choices_and_dispatches(
    demo_engine: Engine, clock: FixedClock
) -> None:
    save(demo_engine, clock, personnummer=AGDA)
    clock.advance(dt.timedelta(hours=1))
    with write_session(demo_engine, user=USER, clock=clock) as session:
        send_due_invitations(session=session, clock=clock)
        panel = patient_1177(session=session, patient_id=patient_id(session, AGDA))
        tolvan = patient_1177(session=session, patient_id=patient_id(session, TOLVAN))
    assert panel.lines == (
        "Aktivt konto finns",
        "Aviseringar avstängda",
        "Post",
        "Mobilnummer saknas eller invånaren delar inte mobilnummer",
    )
    assert [(d.kind, f"{d.sent_at:%Y-%m-%d %H:%M}") for d in panel.dispatches][0] == (
        "Kallelse",
        "2026-11-22 11:06",
    )
    assert tolvan.lines[2:] == ("Digitalt via 1177", "Mobil: 070-0000012")


def test_code_lists_carry_names_beside_codes() -> None:
    assert check_code_lists() > 30
    assert label_of(CodeList.CONTACT_TYPE, "NY") == "NY NYBESÖK"
    assert label_of(CodeList.CONTACT_TYPE, "KT") == "KT TELEFON KVAL"
    assert [c.code for c in codes(CodeList.CONTACT_TYPE)] == ["NY", "ÅB", "TE", "KT"]
    assert "ÖK" in {c.code for c in codes(CodeList.WATCH_TYPE)}
    for which in CodeList:
        assert codes(which), which


def test_a_broken_code_list_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from pasis_tui.core.paths import data_dir

    shutil.copytree(data_dir() / "kodlistor", tmp_path / "kodlistor")
    (tmp_path / "kodlistor" / "anledning.csv").write_text("kod,namn\nA,X\nA,Y\n", "utf-8")
    with pytest.raises(PasisError, match="anledning.csv är felaktig: koden A finns två gånger"):
        check_code_lists(tmp_path)


@pytest.mark.parametrize(
    ("account", "notifications", "mail", "stored"),
    [
        ("Aktivt", "", "", (True, True, True)),
        ("aktivt", "Av", "Post", (True, False, False)),
        ("Inget konto", "", "", (False, False, False)),
        ("I", "av", "p", (False, False, False)),  # a prefix will do, as in the F4 list
    ],
)
def test_new_patient_1177_choices_follow_the_account(
    engine: Engine,
    clock: FixedClock,
    account: str,
    notifications: str,
    mail: str,
    stored: tuple[bool, bool, bool],
) -> None:
    form = NewPatientForm(
        personnummer="20170101-2393", first_name="Liam", last_name="Nilsson",
        account=account, notifications=notifications, mail=mail,
    )  # fmt: skip
    with write_session(engine, user=USER, clock=clock) as session:
        new = register_patient(session=session, clock=clock, form=form)
        panel = patient_1177(session=session, patient_id=new.patient_id)
        assert (panel.has_account, panel.notifications_on, panel.digital_mail) == stored


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"account": ""}, "account", "1177-konto: välj Aktivt eller Inget konto"),
        ({"account": "Ja"}, "account", "1177-konto: välj Aktivt eller Inget konto"),
        ({"account": "Inget konto", "notifications": "På"}, "notifications", "kräver ett aktivt"),
        ({"account": "Inget konto", "mail": "Digitalt"}, "mail", "Digitalt via 1177 kräver"),
        ({"notifications": "kanske"}, "notifications", "Aviseringar: välj På eller Av"),
        ({"mail": "brevduva"}, "mail", "Utskick: välj Digitalt eller Post"),
    ],
)
def test_new_patient_1177_choices_refused_at_their_field(
    engine: Engine, clock: FixedClock, changes: dict[str, str], field: str, words: str
) -> None:
    form = NewPatientForm(personnummer="20170101-2393", first_name="Liam", last_name="Nilsson")
    with write_session(engine, user=USER, clock=clock) as session, pytest.raises(PasisError) as bad:
        register_patient(session=session, clock=clock, form=dataclasses.replace(form, **changes))
    assert bad.value.field == field and words in bad.value.message


def test_the_demo_registers_published_test_numbers_only(
    demo_engine: Engine, clock: FixedClock
) -> None:
    real_looking = NewPatientForm(personnummer="20121212-1212", first_name="A", last_name="B")
    with (
        write_session(demo_engine, user=USER, clock=clock) as session,
        pytest.raises(PasisError) as refused,
    ):
        register_patient(session=session, clock=clock, form=real_looking)
    assert refused.value.field == "personnummer"
    assert "20121212-1212 är inget testnummer" in refused.value.message
    with open_session(
        demo_engine, user=USER, clock=clock
    ) as session:  # the whole demo, its history included
        registered = set(session.exec(select(models.Patient.personnummer)).all())
    assert registered <= published_test_numbers()
    assert "191911612388" not in registered
    free = dataclasses.replace(real_looking, personnummer="19191161-2388")  # kept free in demo
    with write_session(demo_engine, user=USER, clock=clock) as session:
        assert register_patient(session=session, clock=clock, form=free).name == "A B"
