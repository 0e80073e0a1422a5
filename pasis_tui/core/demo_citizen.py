"""The 1177 side of the demo: Invånarmallar, a GASTRO schedule with interpreter and nivå-4 times,
and patients at every step of the loop — an invitation waiting, a booking, the rebookings used
up, a deadline passed with a Kontakta oss request, a tolk booking that cannot be cancelled, and a
Boka tid direkt booking. Everything goes through the same services as the screens."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.activities import ActivityForm, save_activity
from pasis_tui.core.citizen_booking import (
    Actor,
    book_direct,
    book_offered,
    rebook,
    rebook_times,
)
from pasis_tui.core.citizen_offers import direct_offer_times, offered_times
from pasis_tui.core.citizen_templates import attach_template, load_demo_templates
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.contact_requests import send_request
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template
from pasis_tui.core.invitations import send_due_invitations
from pasis_tui.core.publishing import publish_schedule
from pasis_tui.core.schedule_laying import lay_preliminary
from pasis_tui.core.scheduling import find_resource, parse_weekdays
from pasis_tui.core.watches import WatchForm, save_watch

#: The demo patients of the 1177 side (test personnummer of data/demo/patienter.csv).
WAITING = "190910199827"  # Greta Holm: a Kallelse with an Invånarmall, not booked yet
BOOKED = "190910799824"  # Mikael Virtanen: booked in 1177, an SMS reminder waiting
REBOOKED = "192112792383"  # Jonas Kowalski: booked and rebooked twice — no rebooking left
DEADLINE = "189912299816"  # Oskar Lindqvist: GASTRO, inside the deadlines, asks Kontakta oss
TOLK = "191611882398"  # Ahmed Hassan: an interpreter time (Mottagningstid med tolk)
DIRECT = "189001019802"  # Agda Bengtsson: Boka tid direkt at LUEM (nivå 4)
CONTACT_TEXT = "Jag kan inte komma på min tid. Kan ni boka om den till en eftermiddag?"


def _unit_id(session: Session, code: str) -> int:
    unit = session.exec(select(models.Unit).where(models.Unit.code == code)).one()
    assert unit.id is not None
    return unit.id


def _patient_id(session: Session, personnummer: str) -> int:
    patient = session.exec(
        select(models.Patient).where(models.Patient.personnummer == personnummer)
    ).one()
    assert patient.id is not None
    return patient.id


def _tolk_and_direct(session: Session, clock: Clock, spec: dict[str, Any]) -> None:
    """GASTRO's own activities with PMO booking types, a day template, and a caregiver of its own
    (so that no screen's demo of another unit changes) with weeks of it at LUEM."""
    unit_id = _unit_id(session, spec["enhet"])
    person = spec["vardgivare"]
    session.add(
        models.Caregiver(
            unit_id=unit_id,
            signature=person["signatur"],
            name=person["namn"],
            category=person["kategori"],
            category_name=person["kategorinamn"],
        )
    )
    session.flush()
    for row in spec["aktiviteter"]:
        booking_type = session.exec(
            select(models.BookingType).where(models.BookingType.name == row["tidbokstyp"])
        ).one()
        save_activity(
            session,
            unit_id=unit_id,
            form=ActivityForm(
                code=row["kod"],
                name=row["namn"],
                activity_type=row["aktivitetstyp"],
                contact_type=row["kontakttyp"],
                booking_type_id=booking_type.id,
            ),
        )
    template = spec["dagmall"]
    create_template(
        session,
        unit_id=unit_id,
        basics=BasicsForm(
            code=template["kod"], name=template["namn"], from_time=template["from_kl"]
        ),
        rows=[
            RowForm(
                activity_code=r["aktivitet"],
                start=r["starttid"],
                end=r["sluttid"],
                visit_length=str(r["besokslangd"]),
                level=str(r["niva_1177"]),
            )
            for r in template["rader"]
        ],
    )
    caregiver = find_resource(session, unit_id=unit_id, signature=person["signatur"])
    assert caregiver.id is not None
    monday = clock.now().date() - dt.timedelta(days=clock.now().weekday())
    weeks = []
    for n in range(spec["veckor"]):
        iso = (monday + dt.timedelta(weeks=n)).isocalendar()
        weeks.append((iso.year, iso.week))
    lay_preliminary(
        session,
        clock=clock,
        unit_id=unit_id,
        caregiver_id=caregiver.id,
        template_code=template["kod"],
        weeks=weeks,
        weekdays=parse_weekdays("Må-Fr"),
        clinic_code=spec["mottagning"],
        letter_code=spec["brevmall"],
        allow_past=True,
    )
    publish_schedule(session, clock=clock, caregiver_ids=[caregiver.id], allow_past=True)


def _sent_watch(
    session: Session,
    clock: Clock,
    *,
    unit: str,
    personnummer: str,
    form: WatchForm,
    template_id: int | None = None,
) -> int:
    """Save an ÖK watch as SP 090 does, attach its Invånarmall, and send it to 1177 now."""
    result = save_watch(
        session=session,
        clock=clock,
        unit_id=_unit_id(session, unit),
        patient_id=_patient_id(session, personnummer),
        form=form,
        confirmed=True,
    )
    assert result.watch is not None
    watch_id = result.watch.watch_id
    if template_id is not None:
        attach_template(session=session, watch_id=watch_id, template_id=template_id)
    session.connection().execute(
        update(models.Invitation)
        .where(col(models.Invitation.watch_id) == watch_id)
        .values(due_at=utc_naive(clock.now()))
    )
    send_due_invitations(session=session, clock=clock)
    return watch_id


def _form(
    clinic: str,
    caregiver: str,
    activity: str,
    length: int,
    first: dt.date,
    last: dt.date,
    purpose: str,
) -> WatchForm:
    return WatchForm(
        clinic=clinic,
        caregiver=caregiver,
        watch_type="ÖK",
        contact_type="NY",
        visit_length=str(length),
        activity=activity,
        booking_letter="Ja",
        booking_letter_code="NY1",
        booking_standard_text="AVB",
        book_from=first.isoformat(),
        book_to=last.isoformat(),
        purpose=purpose,
        internal_text="Demo: syns aldrig för patienten",
    )


def demo_citizen(session: Session, clock: Clock, directory: Path) -> None:
    """The demo step of the 1177 side (see the module docstring)."""
    spec = json.loads((directory / "demo" / "invanarmallar.json").read_text("utf-8"))
    templates = load_demo_templates(session, directory=directory)
    _tolk_and_direct(session, clock, spec["tolk_och_direkt"])
    today = clock.now().date()
    # HAN's times from the fifth week on, so the weeks other demos and tests use stay as they were.
    first = today + dt.timedelta(days=28 + (7 - (today + dt.timedelta(days=28)).weekday()) % 7)
    last = first + dt.timedelta(days=27)
    reum = ("M11", "HAN", "ÖKNY", 60, first, last, "Nybesök hos läkare, ca 60 minuter")
    _sent_watch(
        session,
        clock,
        unit="REUM",
        personnummer=WAITING,
        form=_form(*reum),
        template_id=templates["Boka själv ditt nästa besök hos oss"],
    )
    for personnummer, rebookings in ((BOOKED, 0), (REBOOKED, 2)):
        watch_id = _sent_watch(
            session, clock, unit="REUM", personnummer=personnummer, form=_form(*reum)
        )
        _book_and_rebook(session, clock, personnummer, watch_id, rebookings)
    gastro = _sent_watch(
        session,
        clock,
        unit="GASTRO",
        personnummer=DEADLINE,
        form=_form(
            "LUEM",
            "SKOPILINJEN",
            "ÖKNY",
            60,
            today,
            today + dt.timedelta(days=27),
            "Undersökning av tunntarmen med kapsel, ca 60 minuter",
        ),
        template_id=templates["Information inför tunntarmsundersökning"],
    )
    booking_id = _book_and_rebook(session, clock, DEADLINE, gastro, 0)
    if booking_id is not None:
        send_request(
            session=session,
            clock=clock,
            patient_id=_patient_id(session, DEADLINE),
            booking_id=booking_id,
            text=CONTACT_TEXT,
        )
    week_on = today + dt.timedelta(days=7)
    tolk = _sent_watch(
        session,
        clock,
        unit="GASTRO",
        personnummer=TOLK,
        form=_form(
            "LUEM",
            "LEK",
            "TOLK",
            60,
            week_on,
            week_on + dt.timedelta(days=13),
            "Nybesök hos läkare med tolk, ca 60 minuter",
        ),
    )
    _book_and_rebook(session, clock, TOLK, tolk, 0)
    luem = session.exec(select(models.Clinic.id).where(models.Clinic.code == "LUEM")).one()
    assert luem is not None
    direct = [
        t
        for t in direct_offer_times(session=session, clock=clock, clinic_id=luem)
        if t.starts_at.date() >= week_on
    ]
    if direct:
        book_direct(
            session=session,
            clock=clock,
            actor=Actor.patient(DIRECT),
            patient_id=_patient_id(session, DIRECT),
            slot_id=direct[0].slot_id,
        )
    session.flush()


def _book_and_rebook(
    session: Session, clock: Clock, personnummer: str, watch_id: int, rebookings: int
) -> int | None:
    """Book the first offered time as the patient, then rebook to the next one N times."""
    actor = Actor.patient(personnummer)
    patient_id = _patient_id(session, personnummer)
    offered = offered_times(session=session, clock=clock, watch_id=watch_id)
    if not offered:
        return None
    receipt = book_offered(
        session=session,
        clock=clock,
        actor=actor,
        patient_id=patient_id,
        watch_id=watch_id,
        slot_id=offered[0].slot_id,
    )
    for _ in range(rebookings):
        later = rebook_times(
            session=session, clock=clock, patient_id=patient_id, booking_id=receipt.booking_id
        )
        if not later:
            break
        receipt = rebook(
            session=session,
            clock=clock,
            actor=actor,
            patient_id=patient_id,
            booking_id=receipt.booking_id,
            slot_id=later[0].slot_id,
        )
    return receipt.booking_id
