"""Patients for SP 090: find by personnummer or name, Ny patient, the 1177 situation (seed 9).

The 1177 panel mirrors the medarbetarportal of seed section 9: Aktivt konto / inget konto,
aviseringar på/av, Digitalt via 1177 or Post, the mobile number or "saknas", and the Utskick
(messages sent to the patient's inbox, with their time).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, or_, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive
from pasis_tui.core.demo_numbers import is_demo_session, published_test_numbers
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer, normalize_personnummer
from pasis_tui.core.parse import required

PATIENT_UNKNOWN = "Ingen patient med personnummer {pnr}. Välj Ny patient för att registrera"
NAME_NONE = "Ingen patient vars namn börjar med {text}"
SEARCH_EMPTY = "Skriv personnummer eller början av namnet"
PATIENT_EXISTS = "Patienten {pnr} finns redan"
MOBILE_INVALID = "Mobilnummer: skriv siffror, t.ex. 070-1234567"
NAME_TOO_LONG = "{label} får vara högst 40 tecken"
NOT_A_TEST_NUMBER = (
    "Demodatabasen tar bara publicerade testpersonnummer (Skatteverkets testnummer): "
    "{pnr} är inget testnummer"
)
CHOICE_UNKNOWN = "{label}: välj {choices} (F4 visar valen)"
NO_ACCOUNT_NOTIFICATIONS = "Aviseringar kräver ett aktivt konto på 1177: välj Av eller Aktivt"
NO_ACCOUNT_DIGITAL = "Digitalt via 1177 kräver ett aktivt konto på 1177: välj Post eller Aktivt"

#: Ny patient's 1177 choices as the dialog lists them (label = value typed).
ACCOUNT_CHOICES = ("Aktivt", "Inget konto")
NOTIFICATION_CHOICES = ("På", "Av")
MAIL_CHOICES = ("Digitalt", "Post")
SEARCH_LIMIT = 50

ACCOUNT_ACTIVE = "Aktivt konto finns"
ACCOUNT_NONE = "Inget konto på 1177"
NOTIFICATIONS_ON = "Aviseringar påslagna"
NOTIFICATIONS_OFF = "Aviseringar avstängda"
MAIL_DIGITAL = "Digitalt via 1177"
MAIL_PAPER = "Post"
MOBILE_MISSING = "Mobilnummer saknas eller invånaren delar inte mobilnummer"

_MOBILE_RE = re.compile(r"^\+?[0-9][0-9 -]{5,18}$")


@dataclass(frozen=True)
class PatientSummary:
    patient_id: int
    personnummer: str  # 12 digits
    name: str
    city: str

    @property
    def shown_personnummer(self) -> str:
        return format_personnummer(self.personnummer)


@dataclass(frozen=True)
class Dispatch:
    """One Utskick: a message in the patient's 1177 inbox."""

    sent_at: dt.datetime  # Swedish local time
    visit_at: dt.datetime | None  # the booked slot's wall time, if the message concerns one
    kind: str
    subject: str


@dataclass(frozen=True)
class Patient1177:
    """The patient's 1177 situation, beside the SP 090 form."""

    patient_id: int
    has_account: bool
    notifications_on: bool
    digital_mail: bool
    mobile: str | None
    dispatches: tuple[Dispatch, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        return (
            ACCOUNT_ACTIVE if self.has_account else ACCOUNT_NONE,
            NOTIFICATIONS_ON if self.notifications_on else NOTIFICATIONS_OFF,
            MAIL_DIGITAL if self.digital_mail else MAIL_PAPER,
            f"Mobil: {self.mobile}" if self.mobile else MOBILE_MISSING,
        )


def summary(patient: models.Patient) -> PatientSummary:
    assert patient.id is not None
    return PatientSummary(
        patient_id=patient.id,
        personnummer=patient.personnummer,
        name=f"{patient.first_name} {patient.last_name}",
        city=patient.city,
    )


def _looks_like_number(text: str) -> bool:
    return bool(text) and text[0].isdigit()


def find_patients(*, session: Session, text: str, today: dt.date) -> list[PatientSummary]:
    """A personnummer (any form the `ids` rules accept) finds one patient; letters find the
    patients whose first or last name begins with them, by name."""
    value = text.strip()
    if not value:
        raise PasisError(SEARCH_EMPTY, field="personnummer")
    if _looks_like_number(value):
        number = normalize_personnummer(value, today=today)
        patient = session.exec(
            select(models.Patient).where(models.Patient.personnummer == number)
        ).first()
        if patient is None:
            raise PasisError(
                PATIENT_UNKNOWN.format(pnr=format_personnummer(number)), field="personnummer"
            )
        return [summary(patient)]
    starts = or_(
        _prefix(col(models.Patient.first_name), value),
        _prefix(col(models.Patient.last_name), value),
        _prefix(col(models.Patient.first_name) + " " + col(models.Patient.last_name), value),
    )
    found = session.exec(
        select(models.Patient)
        .where(starts)
        .order_by(col(models.Patient.last_name), col(models.Patient.first_name))
        .limit(SEARCH_LIMIT)
    ).all()
    if not found:
        raise PasisError(NAME_NONE.format(text=value), field="personnummer")
    return [summary(patient) for patient in found]


def _prefix(column: Any, value: str) -> ColumnElement[bool]:
    # SQLite folds only ASCII case: ÅÄÖ capitalisations are tried too (as text_filter does).
    variants = {value, value.lower(), value.upper(), value.capitalize(), value.title()}
    return or_(*(column.like(f"{v}%") for v in sorted(variants)))


@dataclass(frozen=True)
class NewPatientForm:
    personnummer: str
    first_name: str
    last_name: str
    city: str = ""
    account: str = "Aktivt"  # 1177-konto: Aktivt / Inget konto
    notifications: str = ""  # Aviseringar: På / Av (empty: På with an account, else Av)
    mail: str = ""  # Utskick: Digitalt (via 1177) / Post (empty: Digitalt with an account)
    mobile: str = ""


def _choice(text: str, choices: tuple[str, str], *, field: str, label: str) -> bool | None:
    """True for the first choice, False for the second, None for empty (a prefix will do)."""
    wanted = text.strip().casefold()
    if not wanted:
        return None
    for value, meaning in zip(choices, (True, False), strict=True):
        if value.casefold().startswith(wanted):
            return meaning
    shown = " eller ".join(choices)
    raise PasisError(CHOICE_UNKNOWN.format(label=label, choices=shown), field=field)


def _account_choices(form: NewPatientForm) -> tuple[bool, bool, bool]:
    """(has account, notifications on, digital mail) by seed 9: without an account on 1177
    there are no notifications and no digital mail; empty choices follow the account."""
    account = _choice(form.account, ACCOUNT_CHOICES, field="account", label="1177-konto")
    if account is None:
        raise PasisError(
            CHOICE_UNKNOWN.format(label="1177-konto", choices=" eller ".join(ACCOUNT_CHOICES)),
            field="account",
        )
    notify = _choice(
        form.notifications, NOTIFICATION_CHOICES, field="notifications", label="Aviseringar"
    )
    digital = _choice(form.mail, MAIL_CHOICES, field="mail", label="Utskick")
    if not account and notify:
        raise PasisError(NO_ACCOUNT_NOTIFICATIONS, field="notifications")
    if not account and digital:
        raise PasisError(NO_ACCOUNT_DIGITAL, field="mail")
    return account, account if notify is None else notify, account if digital is None else digital


def register_patient(*, session: Session, clock: Clock, form: NewPatientForm) -> PatientSummary:
    """`Ny patient`: register a patient by personnummer (or samordningsnummer) and name."""
    number = normalize_personnummer(form.personnummer, today=clock.now().date())
    first = required(form.first_name, field="first_name", label="Förnamn")
    last = required(form.last_name, field="last_name", label="Efternamn")
    for value, field, label in ((first, "first_name", "Förnamn"), (last, "last_name", "Efternamn")):
        if len(value) > 40:
            raise PasisError(NAME_TOO_LONG.format(label=label), field=field)
    mobile = form.mobile.strip()
    if mobile and not _MOBILE_RE.match(mobile):
        raise PasisError(MOBILE_INVALID, field="mobile")
    account, notify, digital = _account_choices(form)
    if is_demo_session(session) and number not in published_test_numbers():
        raise PasisError(
            NOT_A_TEST_NUMBER.format(pnr=format_personnummer(number)), field="personnummer"
        )
    exists = session.exec(select(models.Patient.id).where(models.Patient.personnummer == number))
    if exists.first() is not None:
        raise PasisError(
            PATIENT_EXISTS.format(pnr=format_personnummer(number)), field="personnummer"
        )
    patient = models.Patient(
        personnummer=number,
        first_name=first,
        last_name=last,
        city=form.city.strip().upper()[:40],
        has_1177_account=account,
        notifications_on=notify,
        digital_mail=digital,
        mobile=mobile or None,
    )
    try:
        with session.begin_nested():
            session.add(patient)
    except IntegrityError:  # registered by someone else a moment ago
        raise PasisError(
            PATIENT_EXISTS.format(pnr=format_personnummer(number)), field="personnummer"
        ) from None
    return summary(patient)


def patient_1177(*, session: Session, patient_id: int) -> Patient1177:
    """The patient's 1177 account, choices and Utskick, newest first."""
    patient = session.get(models.Patient, patient_id)
    if patient is None:
        raise PasisError("Okänd patient", field="personnummer")
    rows = session.exec(
        select(models.Message, models.Slot.starts_at)
        .outerjoin(models.Booking, col(models.Booking.id) == models.Message.booking_id)
        .outerjoin(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
        .where(models.Message.patient_id == patient_id)
        .order_by(col(models.Message.sent_at).desc(), col(models.Message.id).desc())
    ).all()
    dispatches = tuple(
        Dispatch(
            sent_at=from_utc_naive(message.sent_at),
            visit_at=starts_at,
            kind=message.kind.value if hasattr(message.kind, "value") else str(message.kind),
            subject=message.subject,
        )
        for message, starts_at in rows
    )
    return Patient1177(
        patient_id=patient_id,
        has_account=patient.has_1177_account,
        notifications_on=patient.notifications_on,
        digital_mail=patient.digital_mail,
        mobile=patient.mobile,
        dispatches=dispatches,
    )
