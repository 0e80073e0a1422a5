"""The messages a booking, rebooking or cancellation puts in the patient's 1177 inbox.

Bekräftelse "Tid bokad hos …" reads like the seed's picture (seed 000 section 7: Dag och tid,
Mottagning, Bokningen avser); with (Bokn) Brev = Ja the Digital kallelse follows — the brevkod's
text, the standard text and the watch's Brevtext (seed 13). The watch's Intern text is never part
of any of them (seed 5.1: "den visas inte ut mot patienten").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.citizen_text import caregiver_text, clinic_display_name, time_text, visit_text

CONFIRMATION_SUBJECT = "Tid bokad hos {clinic}"
REBOOKING_SUBJECT = "Tid ombokad hos {clinic}"
CANCELLATION_SUBJECT = "Tid avbokad hos {clinic}"
DIGITAL_LETTER_SUBJECT = "Kallelse till {visit} {time}"
MANAGE_HINT = "Om du vill hantera ditt ärende, gå till bokningen."
CANCELLED_LINE = "Din tid {time} är avbokad."
CANCELLED_PATIENT = "Du har själv avbokat tiden i 1177. Mottagningen avslutar ditt ärende."
CANCELLED_STAFF = "Tiden har avbokats av mottagningen."


@dataclass(frozen=True)
class VisitFacts:
    """What the patient is told about one booked time."""

    clinic_name: str  # the SP 721 HSA name
    when: str  # "Måndag 14 juli 2025 kl. 10:00"
    place: str  # "Endoskopimottagning Lund, SKOPILINJEN, LÄKARE"
    visit: str  # "Besök Läkare"


def visit_facts(session: Session, *, slot: models.Slot, watch: models.Watch | None) -> VisitFacts:
    caregiver = session.get(models.Caregiver, slot.caregiver_id)
    activity = session.get(models.Activity, slot.activity_id)
    contact_type = (watch.contact_type if watch else None) or (
        activity.contact_type if activity else None
    )
    clinic_name = clinic_display_name(session, clinic_id=slot.clinic_id, day=slot.day)
    who = caregiver_text(caregiver)
    return VisitFacts(
        clinic_name=clinic_name,
        when=time_text(slot.starts_at),
        place=f"{clinic_name}, {who}" if who else clinic_name,
        visit=visit_text(contact_type, caregiver),
    )


def _facts_block(facts: VisitFacts, *, label: str = "Dag och tid:") -> list[str]:
    return [
        label,
        facts.when,
        "",
        "Mottagning:",
        facts.place,
        "",
        "Bokningen avser:",
        facts.visit,
    ]


def _message(
    *,
    booking: models.Booking,
    kind: models.MessageKind,
    clinic_name: str,
    subject: str,
    body: str,
    now_utc: dt.datetime,
) -> models.Message:
    return models.Message(
        patient_id=booking.patient_id,
        kind=kind,
        watch_id=booking.watch_id,
        booking_id=booking.id,
        clinic_name=clinic_name[:80],
        subject=subject[:120],
        body=body[:4000],
        sent_at=now_utc,
    )


def _letter_text(session: Session, *, unit_id: int, kind: models.LetterKind, code: str) -> str:
    if not code:
        return ""
    letter = session.exec(
        select(models.LetterTemplate).where(
            models.LetterTemplate.unit_id == unit_id,
            models.LetterTemplate.kind == kind,
            models.LetterTemplate.code == code,
        )
    ).first()
    return letter.body if letter else ""


def digital_letter(
    session: Session,
    *,
    booking: models.Booking,
    watch: models.Watch,
    facts: VisitFacts,
    now_utc: dt.datetime,
) -> models.Message:
    """The Digital kallelse: time and place, then brevkod, standard text and Brevtext."""
    parts = [
        _letter_text(
            session,
            unit_id=watch.unit_id,
            kind=models.LetterKind.CODE,
            code=watch.booking_letter_code,
        ),
        _letter_text(
            session,
            unit_id=watch.unit_id,
            kind=models.LetterKind.STANDARD_TEXT,
            code=watch.booking_standard_text,
        ),
        watch.letter_text,
    ]
    body = "\n".join([*_facts_block(facts), "", *(p for p in parts if p.strip())])
    return _message(
        booking=booking,
        kind=models.MessageKind.DIGITAL_LETTER,
        clinic_name=facts.clinic_name,
        subject=DIGITAL_LETTER_SUBJECT.format(visit=facts.visit.lower(), time=facts.when),
        body=body,
        now_utc=now_utc,
    )


def booking_messages(
    session: Session,
    *,
    booking: models.Booking,
    slot: models.Slot,
    watch: models.Watch | None,
    now_utc: dt.datetime,
    previous_slot: models.Slot | None = None,
) -> list[models.Message]:
    """Bekräftelse (or, for a rebooking, Ombokning) and, with (Bokn) Brev = Ja, Digital kallelse."""
    facts = visit_facts(session, slot=slot, watch=watch)
    if previous_slot is None:
        kind = models.MessageKind.CONFIRMATION
        subject = CONFIRMATION_SUBJECT.format(clinic=facts.clinic_name)
        lines = ["Din bokade tid", "", *_facts_block(facts)]
    else:
        kind = models.MessageKind.REBOOKING
        subject = REBOOKING_SUBJECT.format(clinic=facts.clinic_name)
        lines = [
            "Din tid är ombokad",
            "",
            *_facts_block(facts, label="Ny dag och tid:"),
            "",
            "Tidigare tid:",
            time_text(previous_slot.starts_at),
        ]
    messages = [
        _message(
            booking=booking,
            kind=kind,
            clinic_name=facts.clinic_name,
            subject=subject,
            body="\n".join([*lines, "", MANAGE_HINT]),
            now_utc=now_utc,
        )
    ]
    if watch is not None and watch.booking_letter:
        messages.append(
            digital_letter(session, booking=booking, watch=watch, facts=facts, now_utc=now_utc)
        )
    return messages


def cancellation_message(
    session: Session,
    *,
    booking: models.Booking,
    slot: models.Slot,
    watch: models.Watch | None,
    by_patient: bool,
    now_utc: dt.datetime,
) -> models.Message:
    facts = visit_facts(session, slot=slot, watch=watch)
    body = "\n".join(
        [
            CANCELLED_LINE.format(time=facts.when),
            "",
            "Mottagning:",
            facts.place,
            "",
            "Bokningen avsåg:",
            facts.visit,
            "",
            CANCELLED_PATIENT if by_patient else CANCELLED_STAFF,
        ]
    )
    return _message(
        booking=booking,
        kind=models.MessageKind.CANCELLATION,
        clinic_name=facts.clinic_name,
        subject=CANCELLATION_SUBJECT.format(clinic=facts.clinic_name),
        body=body,
        now_utc=now_utc,
    )
