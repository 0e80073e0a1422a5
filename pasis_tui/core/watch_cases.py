"""SP 090 Bevakning's use cases: one keyword-only function per key press, each one transaction.

Each returns frozen records (never ORM rows): what the screen shows after the press — the
patient, her 1177 situation, her care commitments, her watches, the watch on screen and a
message for the status line. Booking and cancelling go through the same service as the 1177
side (`citizen_booking`), in the signature of the staff member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from pasis_tui.core import models
from pasis_tui.core.care import CareCommitment, care_commitments
from pasis_tui.core.citizen_booking import Actor, book_offered, cancel
from pasis_tui.core.citizen_templates import list_templates
from pasis_tui.core.code_lists import CodeList, as_choices, codes, letter_codes
from pasis_tui.core.context import WorkContext
from pasis_tui.core.errors import PasisError
from pasis_tui.core.offers import offers_for_watch
from pasis_tui.core.patients import (
    NewPatientForm,
    Patient1177,
    PatientSummary,
    find_patients,
    patient_1177,
    register_patient,
    summary,
)
from pasis_tui.core.watch_views import (
    WatchForm,
    WatchView,
    next_watch_of_patient,
    patient_watch_ids,
    read_watch,
)
from pasis_tui.core.watches import remove_watch, save_watch

Choice = tuple[str, object]

NO_PATIENT = "Sök först fram patienten (personnummer eller början av namnet)"
NO_WATCH = "Ingen bevakning visas: läs fram eller spara en bevakning först"
NO_WATCHES = "Patienten har inga bevakningar på enheten: fyll i och spara en ny"
NEW_WATCH = "Ny bevakning: fyll i fälten och tryck Spara"
NOT_BOOKED = "Bevakningen har ingen bokad tid att avboka"
NO_SLOTS = "Inga tider att boka: {reason}"
WATCH_READ = "Bevakning {watch_id} ({position} av {count} för patienten)"
PATIENT_READ = "{name}: {count} bevakningar"
SEVERAL = "{count} patienter passar: välj en"
OUTSIDE_UNIT = "Bevakningen hör till en annan enhet"
STATE_NEW = "Ny bevakning (inte sparad)"


@dataclass(frozen=True)
class WatchOptions:
    """The choices of SP 090's code fields (label as listed, value typed), for the unit."""

    clinics: tuple[Choice, ...]
    caregivers: tuple[Choice, ...]
    activities: tuple[Choice, ...]
    letter_codes: tuple[Choice, ...]
    standard_texts: tuple[Choice, ...]
    templates: tuple[Choice, ...]  # Invånarmallar (seed 10): "3 Information inför …", "3"
    lists: tuple[tuple[str, tuple[Choice, ...]], ...]  # (WatchForm field, choices)


@dataclass(frozen=True)
class Sp090State:
    """What SP 090 shows: patient, 1177 panel, care commitments, her watches and the one shown."""

    patient: PatientSummary
    panel: Patient1177
    commitments: tuple[CareCommitment, ...]
    watch_ids: tuple[int, ...]
    watch: WatchView | None
    message: str

    @property
    def state_line(self) -> str:
        return self.watch.state if self.watch else STATE_NEW

    @property
    def position(self) -> int | None:
        if self.watch is None or self.watch.watch_id not in self.watch_ids:
            return None
        return self.watch_ids.index(self.watch.watch_id)


@dataclass(frozen=True)
class PatientCandidates:
    """A name that fits several patients: the screen lets the user choose one."""

    patients: tuple[PatientSummary, ...]
    message: str


@dataclass(frozen=True)
class SaveOutcome:
    """Spara: saved (with the new state), or not yet because warnings wait to be confirmed."""

    saved: bool
    warnings: tuple[str, ...]
    state: Sp090State | None
    message: str


@dataclass(frozen=True)
class SlotChoice:
    slot_id: int
    label: str  # "2026-12-16 ons 09:00–10:00  60 min  1 ledig"


@dataclass(frozen=True)
class BookingChoices:
    """Boka: the slots staff may book the watch on (offered for ÖK, matching otherwise)."""

    watch_id: int
    slots: tuple[SlotChoice, ...]
    message: str


WEEKDAYS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")


# ---------------------------------------------------------------------------------------------
# Reading


def watch_options(*, ctx: WorkContext) -> WatchOptions:
    """The unit's clinics, caregivers, bookable activities and letter texts, and the code lists."""
    unit_id = ctx.unit.id
    with ctx.read() as session:
        clinics = session.exec(
            select(models.Clinic)
            .where(models.Clinic.unit_id == unit_id)
            .order_by(col(models.Clinic.code))
        ).all()
        caregivers = session.exec(
            select(models.Caregiver)
            .where(models.Caregiver.unit_id == unit_id)
            .order_by(col(models.Caregiver.signature))
        ).all()
        activities = session.exec(
            select(models.Activity)
            .where(
                or_(models.Activity.unit_id == unit_id, col(models.Activity.unit_id).is_(None)),
                col(models.Activity.activity_type).in_(list(models.BOOKABLE_TYPES)),
            )
            .order_by(col(models.Activity.unit_id).is_(None), col(models.Activity.code))
        ).all()
        letters = letter_codes(session=session, unit_id=unit_id, kind=models.LetterKind.CODE)
        texts = letter_codes(session=session, unit_id=unit_id, kind=models.LetterKind.STANDARD_TEXT)
        clinic_codes = {c.id: c.code for c in clinics}
        templates = list_templates(session=session, unit_id=unit_id)
        return WatchOptions(
            clinics=tuple((c.name, c.code) for c in clinics),
            caregivers=tuple((f"{c.signature} {c.name}", c.signature) for c in caregivers),
            activities=tuple((f"{a.code} {a.name}", a.code) for a in activities),
            letter_codes=as_choices(letters),
            standard_texts=as_choices(texts),
            templates=tuple(
                (
                    _template_label(t.template_id, t.title, clinic_codes.get(t.clinic_id)),
                    str(t.template_id),
                )
                for t in templates
            ),  # fmt: skip
            lists=tuple(
                (field, as_choices(codes(which)))
                for field, which in (
                    ("watch_type", CodeList.WATCH_TYPE),
                    ("contact_type", CodeList.CONTACT_TYPE),
                    ("caregiver_category", CodeList.CAREGIVER_CATEGORY),
                    ("short_notice", CodeList.SHORT_NOTICE),
                    ("cause", CodeList.CAUSE),
                    ("payment_method", CodeList.PAYMENT_METHOD),
                    ("fee_exempt_reason", CodeList.FEE_EXEMPT_REASON),
                    ("cancelled_by", CodeList.CANCELLED_BY),
                )
            ),
        )


def _template_label(template_id: int, title: str, clinic: str | None) -> str:
    """`3 Information inför tunntarmsundersökning` (a clinic's own: `… (M11)`)."""
    return f"{template_id} {title}" + (f" ({clinic})" if clinic else "")


def _state(
    session: Session,
    ctx: WorkContext,
    *,
    patient_id: int,
    watch_id: int | None,
    message: str = "",
) -> Sp090State:
    patient = session.get(models.Patient, patient_id)
    if patient is None:
        raise PasisError(NO_PATIENT, field="personnummer")
    ids = tuple(patient_watch_ids(session=session, patient_id=patient_id, unit_id=ctx.unit.id))
    watch = None
    if watch_id is not None:
        watch = read_watch(session=session, clock=ctx.clock, watch_id=watch_id)
    if not message:
        if watch is not None and watch.watch_id in ids:
            message = WATCH_READ.format(
                watch_id=watch.watch_id, position=ids.index(watch.watch_id) + 1, count=len(ids)
            )
        else:
            message = NEW_WATCH if ids else NO_WATCHES
    return Sp090State(
        patient=summary(patient),
        panel=patient_1177(session=session, patient_id=patient_id),
        commitments=care_commitments(
            session=session,
            patient_id=patient_id,
            unit_id=ctx.unit.id,
            today=ctx.clock.now().date(),
        ),
        watch_ids=ids,
        watch=watch,
        message=message,
    )


def find_patient(*, ctx: WorkContext, text: str) -> Sp090State | PatientCandidates:
    """The patient line: a personnummer or the first letters of a name. One patient opens with
    her first watch (Första bev); several come back as candidates to choose from."""
    with ctx.read() as session:
        found = find_patients(session=session, text=text, today=ctx.clock.now().date())
        if len(found) > 1:
            return PatientCandidates(tuple(found), SEVERAL.format(count=len(found)))
        return _first(session, ctx, patient_id=found[0].patient_id)


def _first(session: Session, ctx: WorkContext, *, patient_id: int) -> Sp090State:
    ids = patient_watch_ids(session=session, patient_id=patient_id, unit_id=ctx.unit.id)
    return _state(session, ctx, patient_id=patient_id, watch_id=ids[0] if ids else None)


def open_patient(*, ctx: WorkContext, patient_id: int) -> Sp090State:
    """`Första bev` (and a chosen candidate): the patient's first watch at the unit."""
    with ctx.read() as session:
        return _first(session, ctx, patient_id=patient_id)


def open_watch(*, ctx: WorkContext, watch_id: int) -> Sp090State:
    """A watch by id (from SP 191's list): its patient and everything beside it."""
    with ctx.read() as session:
        watch = session.get(models.Watch, watch_id)
        if watch is None:
            read_watch(session=session, clock=ctx.clock, watch_id=watch_id)  # the refusal
            raise AssertionError("unreachable")
        if watch.unit_id != ctx.unit.id:
            raise PasisError(OUTSIDE_UNIT, field="watch")
        return _state(session, ctx, patient_id=watch.patient_id, watch_id=watch_id)


def next_of_patient(*, ctx: WorkContext, patient_id: int, after_watch_id: int | None) -> Sp090State:
    """`Nästa denna pat`: the patient's next watch (after the last, the first again)."""
    with ctx.read() as session:
        next_id = next_watch_of_patient(
            session=session, patient_id=patient_id, after_watch_id=after_watch_id,
            unit_id=ctx.unit.id,
        )  # fmt: skip
        return _state(session, ctx, patient_id=patient_id, watch_id=next_id)


def new_watch(*, ctx: WorkContext, patient_id: int) -> Sp090State:
    """`Ny bev`: the patient stays, the form empties."""
    with ctx.read() as session:
        return _state(session, ctx, patient_id=patient_id, watch_id=None, message=NEW_WATCH)


# ---------------------------------------------------------------------------------------------
# Writing


def new_patient(*, ctx: WorkContext, form: NewPatientForm) -> Sp090State:
    """`Ny patient`: register her and show an empty watch form for her."""
    with ctx.write() as session:
        patient = register_patient(session=session, clock=ctx.clock, form=form)
        message = f"Patienten {patient.shown_personnummer} {patient.name} är registrerad"
        return _state(session, ctx, patient_id=patient.patient_id, watch_id=None, message=message)


def save(
    *,
    ctx: WorkContext,
    patient_id: int | None,
    form: WatchForm,
    watch_id: int | None,
    confirmed: bool,
) -> SaveOutcome:
    """`Spara`: refusals raise at their field; warnings come back unsaved until confirmed."""
    if patient_id is None:
        raise PasisError(NO_PATIENT, field="personnummer")
    with ctx.write() as session:
        result = save_watch(
            session=session,
            clock=ctx.clock,
            unit_id=ctx.unit.id,
            patient_id=patient_id,
            form=form,
            watch_id=watch_id,
            confirmed=confirmed,
        )
        if not result.saved or result.watch is None:
            return SaveOutcome(False, result.warnings, None, result.message)
        state = _state(
            session, ctx, patient_id=patient_id, watch_id=result.watch.watch_id,
            message=result.message,
        )  # fmt: skip
        return SaveOutcome(True, result.warnings, state, result.message)


def remove(*, ctx: WorkContext, watch_id: int | None) -> Sp090State:
    """`Borttag` (after the question): the watch closes and its invitation is withdrawn."""
    if watch_id is None:
        raise PasisError(NO_WATCH, field="watch")
    with ctx.write() as session:
        patient_id = _patient_of(session, ctx, watch_id)
        result = remove_watch(session=session, clock=ctx.clock, watch_id=watch_id)
        return _state(
            session, ctx, patient_id=patient_id, watch_id=watch_id, message=result.message
        )


def _patient_of(session: Session, ctx: WorkContext, watch_id: int) -> int:
    watch = session.get(models.Watch, watch_id)
    if watch is None or watch.unit_id != ctx.unit.id:
        raise PasisError(NO_WATCH, field="watch")
    return watch.patient_id


def _slot_label(starts_at: dt.datetime, ends_at: dt.datetime, length: int, free: int) -> str:
    day = f"{starts_at:%Y-%m-%d} {WEEKDAYS[starts_at.weekday()]:<4}"
    return f"{day} {starts_at:%H:%M}–{ends_at:%H:%M}  {length} min  {free} ledig"


def booking_choices(*, ctx: WorkContext, watch_id: int | None) -> BookingChoices:
    """`Boka`: an ÖK watch's offered slots (what the patient sees in 1177); an ordinary watch's
    matching slots (same clinic, caregiver, activity, length, window)."""
    if watch_id is None:
        raise PasisError(NO_WATCH, field="watch")
    with ctx.read() as session:
        watch = session.get(models.Watch, watch_id)
        if watch is None or watch.unit_id != ctx.unit.id:
            raise PasisError(NO_WATCH, field="watch")
        result = offers_for_watch(session=session, clock=ctx.clock, watch_id=watch_id)
        is_ok = watch.watch_type == models.WatchType.OPEN_INVITATION
        slots = result.offered if is_ok else result.matching
        if not slots:
            step = result.blocking
            reason = step.text if step else ""
            raise PasisError(NO_SLOTS.format(reason=reason), field="watch")
        choices = tuple(
            SlotChoice(
                s.slot_id, _slot_label(s.starts_at, s.ends_at, s.visit_length_min, s.free_seats)
            )
            for s in slots
        )
        kind = "erbjuds patienten" if is_ok else "passar bevakningen"
        return BookingChoices(watch_id, choices, f"{len(choices)} tider {kind}")


def book(*, ctx: WorkContext, watch_id: int, slot_id: int) -> Sp090State:
    """A chosen slot: booked through the same service as 1177's Boka tid, in the staff's name."""
    with ctx.write() as session:
        patient_id = _patient_of(session, ctx, watch_id)
        receipt = book_offered(
            session=session,
            clock=ctx.clock,
            actor=Actor.staff(ctx.user),
            patient_id=patient_id,
            watch_id=watch_id,
            slot_id=slot_id,
        )
        return _state(
            session, ctx, patient_id=patient_id, watch_id=watch_id, message=receipt.message
        )


def cancel_booking(*, ctx: WorkContext, watch_id: int | None) -> Sp090State:
    """`Avboka` (after the question): the watch's booking is cancelled as from 1177 (the watch
    closes, the patient gets an Avbokning), in the staff's name."""
    if watch_id is None:
        raise PasisError(NO_WATCH, field="watch")
    with ctx.write() as session:
        patient_id = _patient_of(session, ctx, watch_id)
        booking_id = session.exec(
            select(models.Booking.id).where(
                models.Booking.watch_id == watch_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).first()
        if booking_id is None:
            raise PasisError(NOT_BOOKED, field="watch")
        receipt = cancel(
            session=session,
            clock=ctx.clock,
            actor=Actor.staff(ctx.user),
            patient_id=patient_id,
            booking_id=booking_id,
        )
        return _state(
            session, ctx, patient_id=patient_id, watch_id=watch_id, message=receipt.message
        )
