"""SP 090 Bevakning: save and remove watches (ÖK and the ordinary types), seed 5.1–5.3.

`save_watch` refuses what breaks a rule (a PasisError naming the field) and warns about what
will not work as staff expect: the warnings come back as Swedish sentences for the screen to
list; with `confirmed=False` a watch that has warnings is not kept (the screen asks, then saves
again with `confirmed=True`). An ÖK watch schedules its invitation (see invitations.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, select

from pasis_tui.core import models
from pasis_tui.core.activities import find_activity
from pasis_tui.core.citizen_templates import NOT_OPEN_INVITATION, WRONG_CLINIC
from pasis_tui.core.clock import STOCKHOLM, Clock, from_utc_naive, utc_naive
from pasis_tui.core.code_lists import CodeList, label_of, parse_code_of
from pasis_tui.core.errors import PasisError
from pasis_tui.core.invitations import schedule_invitation, withdraw_invitation
from pasis_tui.core.offers import offers_for_watch
from pasis_tui.core.parse import parse_date, parse_int, parse_time
from pasis_tui.core.scheduling import find_clinic
from pasis_tui.core.watch_views import (
    WATCH_UNKNOWN,
    WatchForm,
    WatchView,
    next_watch_of_patient,
    patient_watch_ids,
    read_watch,
    watch_state,
    watch_view,
)

# Refusals (seed 5.1–5.3), each at its field.
LOCATION_ON_OK = "Var ska lämnas tomt vid öppen kallelse (ÖK)"
PURPOSE_TOO_LONG = "Syfte får vara högst 80 tecken inklusive blanksteg (nu {count})"
WINDOW_ORDER = "Boka fr o m måste vara före eller lika med Boka t o m"
BOOK_TO_PAST = "Boka t o m har redan passerat ({day})"
SEND_AFTER_BOOK_TO = "Skicka till 1177 ligger efter Boka t o m: patienten hinner inte boka"
SEND_INVALID = "Skicka till 1177: skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM"
RETURN_DECISION_MISSING = "Beslut om återbesök måste fyllas i vid kontakttyp {contact}"
ACTIVITY_NOT_BOOKABLE = "Aktiviteten {code} är {kind} och kan inte bokas"
ACTIVITY_UNKNOWN = "Okänd aktivitet {code}"
CAREGIVER_UNKNOWN = "Okänd vårdgivare {signature} på enheten"
REQUIRED_ON_OK = "{label} måste fyllas i vid öppen kallelse (ÖK)"
YES_NO = "{label}: skriv Ja, Nej eller lämna tomt"
PATIENT_UNKNOWN = "Okänd patient"
WATCH_CLOSED = "Bevakningen är {state} och kan inte ändras"
TEMPLATE_UNKNOWN = "Invånarmall {code} finns inte på enheten. F4 visar mallarna"
DETAIL_PROBLEM_LONG = "Problem/Diagnos får vara högst 40 tecken (nu {count})"

# Warnings: saved all the same once the user confirms.
WARN_NO_OFFER = "Inga tider erbjuds patienten idag: {reason}"
WARN_WATCH_LETTER = "(Bevakn) Brev = Ja vid ÖK: instruktionen säger Nej (seed 5.1)"
WARN_CONFIRM_PATIENT = "Bekr (patient) = Ja vid ÖK: instruktionen säger Nej (seed 5.1)"
WARN_NO_BOOKING_LETTER = (
    "(Bokn) Brev = Nej: ingen digital kallelse (brevkod och standardtext) följer bokningen"
)
WARN_NO_ACCOUNT = "Patienten har inget aktivt konto på 1177 och kan inte se kallelsen"
WARN_NOTIFICATIONS_OFF = "Patienten har aviseringar avstängda och märker kanske inte kallelsen"
WARN_PAPER = "Patienten har valt papperskallelse (Post) i 1177"
WARN_TEMPLATE_LATE = "Kallelsen skickades redan {sent}: invånarmallen når inte patienten"

#: Utskrivet (seed 5.1): Pasis prints the confirmation or letter when a watch is saved with Ja;
#: the date stays as the record that it went out (a later Nej does not unprint it).
PRINTED = (
    ("confirm_referrer", "confirm_referrer_printed"),
    ("confirm_patient", "confirm_patient_printed"),
    ("watch_letter", "watch_letter_printed"),
)

YES, NO = "JA", "NEJ"

#: Kontakttyper that need Beslut om återbesök (seed 5.2, 5.3).
NEEDS_RETURN_DECISION = frozenset(
    {models.ContactType.RETURN, models.ContactType.PHONE, models.ContactType.PHONE_QUALIFIED}
)


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    watch: WatchView | None
    warnings: tuple[str, ...]

    @property
    def message(self) -> str:
        if self.saved:
            return "Bevakningen är sparad" + (" (med varningar)" if self.warnings else "")
        return "Bevakningen är inte sparad: bekräfta varningarna"


PURPOSE_MAX = 80


def purpose_count(text: str) -> str:
    """What SP 090 shows beside Syfte as staff type: `23/80`, spaces counted (seed 5.1)."""
    return f"{len(text.strip())}/{PURPOSE_MAX}"


def _yes_no(text: str, *, field: str, label: str) -> bool | None:
    value = text.strip().upper()
    if not value:
        return None
    if value in (YES, "J"):
        return True
    if value in (NO, "N"):
        return False
    raise PasisError(YES_NO.format(label=label), field=field)


def _send_at(text: str) -> dt.datetime | None:
    """Skicka till 1177 as naive UTC: a date means the start of that Swedish day."""
    value = text.strip()
    if not value:
        return None
    day_part, _, time_part = value.partition(" ")
    try:
        day = parse_date(day_part, field="send_to_1177_at")
        at = parse_time(time_part, field="send_to_1177_at", default=dt.time(0, 0))
    except PasisError:
        raise PasisError(SEND_INVALID, field="send_to_1177_at") from None
    assert day is not None and at is not None
    return utc_naive(dt.datetime.combine(day, at, tzinfo=STOCKHOLM))


def _parse(session: Session, *, clock: Clock, unit_id: int, form: WatchForm) -> dict[str, object]:
    today = clock.now().date()
    watch_type = models.WatchType(
        parse_code_of(CodeList.WATCH_TYPE, form.watch_type, field="watch_type", required=True)
    )
    is_ok = watch_type == models.WatchType.OPEN_INVITATION
    contact_text = parse_code_of(CodeList.CONTACT_TYPE, form.contact_type, field="contact_type")
    contact = models.ContactType(contact_text) if contact_text else None
    clinic_id = None
    if form.clinic.strip():
        clinic_id = find_clinic(session, unit_id=unit_id, code=form.clinic, field="clinic_id").id
    caregiver = None
    if form.caregiver.strip():
        signature = form.caregiver.strip().upper()
        caregiver = session.exec(
            select(models.Caregiver).where(
                models.Caregiver.unit_id == unit_id, models.Caregiver.signature == signature
            )
        ).first()
        if caregiver is None:
            raise PasisError(CAREGIVER_UNKNOWN.format(signature=signature), field="caregiver_id")
    category = parse_code_of(
        CodeList.CAREGIVER_CATEGORY, form.caregiver_category, field="caregiver_category"
    )
    if not category and caregiver is not None:
        category = caregiver.category
    visit_length = parse_int(form.visit_length, field="visit_length_min", low=1, high=999)
    activity = None
    if form.activity.strip():
        activity = find_activity(session, unit_id=unit_id, code=form.activity)
        if activity is None:
            code = form.activity.strip().upper()
            raise PasisError(ACTIVITY_UNKNOWN.format(code=code), field="activity_id")
        if activity.activity_type not in models.BOOKABLE_TYPES:
            raise PasisError(
                ACTIVITY_NOT_BOOKABLE.format(code=activity.code, kind=activity.activity_type),
                field="activity_id",
            )
    if is_ok:  # seed 5.1: the same Mott, Vg, Besökets längd and Aktivitet as the schedule
        for value, field, label in (
            (clinic_id, "clinic_id", "Mott"),
            (caregiver, "caregiver_id", "Vg"),
            (visit_length, "visit_length_min", "Besökets längd"),
            (activity, "activity_id", "Aktivitet"),
        ):
            if value is None:
                raise PasisError(REQUIRED_ON_OK.format(label=label), field=field)
        if form.location.strip():
            raise PasisError(LOCATION_ON_OK, field="location")
    return_decision = parse_date(form.return_decision_date, field="return_decision_date")
    if contact in NEEDS_RETURN_DECISION and return_decision is None:
        raise PasisError(
            RETURN_DECISION_MISSING.format(contact=label_of(CodeList.CONTACT_TYPE, contact)),
            field="return_decision_date",
        )
    purpose = form.purpose.strip()
    if len(purpose) > PURPOSE_MAX:
        raise PasisError(PURPOSE_TOO_LONG.format(count=len(purpose)), field="purpose")
    book_from = parse_date(form.book_from, field="book_from")
    book_to = parse_date(form.book_to, field="book_to")
    if book_from and book_to and book_from > book_to:
        raise PasisError(WINDOW_ORDER, field="book_from")
    if book_to and book_to < today:
        raise PasisError(BOOK_TO_PAST.format(day=book_to.isoformat()), field="book_to")
    template_id = _template(
        session, unit_id=unit_id, clinic_id=clinic_id, is_ok=is_ok, text=form.citizen_template
    )
    detail_problem = form.detail_problem.strip()
    if len(detail_problem) > 40:
        raise PasisError(
            DETAIL_PROBLEM_LONG.format(count=len(detail_problem)), field="detail_problem"
        )
    send_at = _send_at(form.send_to_1177)
    if send_at and book_to and from_utc_naive(send_at).date() > book_to:
        raise PasisError(SEND_AFTER_BOOK_TO, field="send_to_1177_at")
    return {
        "clinic_id": clinic_id,
        "caregiver_id": caregiver.id if caregiver else None,
        "caregiver_category": category,
        "target_date": parse_date(form.target_date, field="target_date"),
        "watch_type": watch_type,
        "contact_type": contact,
        "return_decision_date": return_decision,
        "visit_length_min": visit_length,
        "code": form.code.strip().upper()[:8],
        "reason": form.reason.strip()[:40],
        "internal_diagnosis": form.internal_diagnosis.strip().upper()[:10],
        "location": form.location.strip().upper()[:10],
        "internal_text": form.internal_text.strip()[:200],
        "referral": form.referral.strip()[:20],
        "waiting_months": parse_int(
            form.waiting_months, field="waiting_months", low=0, high=999, default=0
        ),
        "confirm_referrer": _yes_no(
            form.confirm_referrer, field="confirm_referrer", label="Bekr (inrem)"
        ),
        "confirm_patient": _yes_no(
            form.confirm_patient, field="confirm_patient", label="Bekr (patient)"
        ),
        "short_notice": parse_code_of(
            CodeList.SHORT_NOTICE, form.short_notice, field="short_notice"
        ),
        "watch_letter": bool(
            _yes_no(form.watch_letter, field="watch_letter", label="(Bevakn) Brev")
        ),
        "watch_letter_code": form.watch_letter_code.strip().upper()[:8],
        "booking_letter": bool(
            _yes_no(form.booking_letter, field="booking_letter", label="(Bokn) Brev")
        ),
        "booking_letter_code": form.booking_letter_code.strip().upper()[:8],
        "booking_standard_text": form.booking_standard_text.strip().upper()[:8],
        "letter_text": form.letter_text.strip()[:400],
        "activity_id": activity.id if activity else None,
        "cause": parse_code_of(CodeList.CAUSE, form.cause, field="cause"),
        "payment_method": parse_code_of(
            CodeList.PAYMENT_METHOD, form.payment_method, field="payment_method"
        ),
        "fee_exempt_reason": parse_code_of(
            CodeList.FEE_EXEMPT_REASON, form.fee_exempt_reason, field="fee_exempt_reason"
        ),
        "patient_may_cancel": _yes_no(
            form.patient_may_cancel,
            field="patient_may_cancel",
            label="Får avbokas av patient i 1177",
        ),
        "send_to_1177_at": send_at,
        "book_from": book_from,
        "book_to": book_to,
        "purpose": purpose,
        "cancelled_by": parse_code_of(
            CodeList.CANCELLED_BY, form.cancelled_by, field="cancelled_by"
        ),
        "citizen_template_id": template_id,
        "detail_problem": detail_problem,
        "control_patient": bool(
            _yes_no(form.control_patient, field="control_patient", label="Kontrollpat")
        ),
        "detail_date": parse_date(form.detail_date, field="detail_date"),
    }


def _template(
    session: Session, *, unit_id: int, clinic_id: int | None, is_ok: bool, text: str
) -> int | None:
    """Invånarmall (seed 10): one of the unit's templates (or the clinic's), on an ÖK only."""
    code = text.strip()
    if not code:
        return None
    template = session.get(models.CitizenTemplate, int(code)) if code.isdigit() else None
    if template is None or template.unit_id != unit_id:
        raise PasisError(TEMPLATE_UNKNOWN.format(code=code), field="citizen_template")
    if not is_ok:
        raise PasisError(NOT_OPEN_INVITATION, field="citizen_template")
    if template.clinic_id is not None and template.clinic_id != clinic_id:
        raise PasisError(WRONG_CLINIC, field="citizen_template")
    return template.id


def save_watch(
    *,
    session: Session,
    clock: Clock,
    unit_id: int,
    patient_id: int,
    form: WatchForm,
    watch_id: int | None = None,
    confirmed: bool = True,
) -> SaveResult:
    """`Spara`: a new watch (watch_id None) or a change; refuses broken rules, lists warnings."""
    patient = session.get(models.Patient, patient_id)
    if patient is None:
        raise PasisError(PATIENT_UNKNOWN, field="patient_id")
    values = _parse(session, clock=clock, unit_id=unit_id, form=form)
    savepoint = session.begin_nested()
    try:
        template_before: int | None = None
        if watch_id is None:
            watch = models.Watch(unit_id=unit_id, patient_id=patient_id, **values)  # type: ignore[arg-type]
        else:
            found = session.get(models.Watch, watch_id)
            if found is None or found.unit_id != unit_id or found.patient_id != patient_id:
                raise PasisError(WATCH_UNKNOWN, field="watch")
            if found.status != models.WatchStatus.OPEN:
                state = watch_state(session=session, clock=clock, watch=found)
                raise PasisError(WATCH_CLOSED.format(state=state.lower()), field="watch")
            watch, template_before = found, found.citizen_template_id
            for key, value in values.items():
                setattr(watch, key, value)
        for flag, printed in PRINTED:
            if getattr(watch, flag) and getattr(watch, printed) is None:
                setattr(watch, printed, clock.now().date())
        session.add(watch)
        session.flush()
        if watch.watch_type == models.WatchType.OPEN_INVITATION:
            schedule_invitation(session=session, clock=clock, watch=watch)
        else:
            withdraw_invitation(session=session, clock=clock, watch_id=watch.id)  # type: ignore[arg-type]
        warnings = _warnings(session, clock=clock, watch=watch, patient=patient)
        if watch.citizen_template_id not in (None, template_before):
            warnings += _template_too_late(session, watch_id=watch.id)  # type: ignore[arg-type]
    except BaseException:
        savepoint.rollback()
        raise
    if warnings and not confirmed:
        savepoint.rollback()
        return SaveResult(saved=False, watch=None, warnings=warnings)
    savepoint.commit()
    return SaveResult(saved=True, watch=watch_view(session, clock, watch), warnings=warnings)


def _warnings(
    session: Session, *, clock: Clock, watch: models.Watch, patient: models.Patient
) -> tuple[str, ...]:
    warnings: list[str] = []
    if watch.watch_type == models.WatchType.OPEN_INVITATION:
        assert watch.id is not None
        offers = offers_for_watch(session=session, clock=clock, watch_id=watch.id, limit=1)
        if not offers.matching:
            step = offers.blocking
            warnings.append(WARN_NO_OFFER.format(reason=step.text if step else ""))
        if watch.watch_letter:
            warnings.append(WARN_WATCH_LETTER)
        if watch.confirm_patient:
            warnings.append(WARN_CONFIRM_PATIENT)
        if not watch.booking_letter:
            warnings.append(WARN_NO_BOOKING_LETTER)
        if not patient.has_1177_account:
            warnings.append(WARN_NO_ACCOUNT)
        if not patient.notifications_on:
            warnings.append(WARN_NOTIFICATIONS_OFF)
        if not patient.digital_mail:
            warnings.append(WARN_PAPER)
    return tuple(warnings)


def _template_too_late(session: Session, *, watch_id: int) -> tuple[str, ...]:
    """A template attached after the invitation went out would never reach the patient."""
    sent = session.exec(
        select(models.Invitation.sent_at).where(models.Invitation.watch_id == watch_id)
    ).first()
    if sent is None:
        return ()
    return (WARN_TEMPLATE_LATE.format(sent=f"{from_utc_naive(sent):%Y-%m-%d %H:%M}"),)


@dataclass(frozen=True)
class RemoveResult:
    watch_id: int
    patient_told: bool

    @property
    def message(self) -> str:
        told = " och patienten har fått besked i 1177" if self.patient_told else ""
        return f"Bevakningen är borttagen{told}"


def remove_watch(*, session: Session, clock: Clock, watch_id: int) -> RemoveResult:
    """`Borttag`: the watch is closed and its invitation withdrawn (seed 5: it stays until booked).
    A booked watch keeps its booking: cancel the booking first (Avboka)."""
    watch = session.get(models.Watch, watch_id)
    if watch is None:
        raise PasisError(WATCH_UNKNOWN, field="watch")
    if watch.status != models.WatchStatus.OPEN:
        state = watch_state(session=session, clock=clock, watch=watch)
        raise PasisError(WATCH_CLOSED.format(state=state.lower()), field="watch")
    told = withdraw_invitation(session=session, clock=clock, watch_id=watch_id)
    watch.status = models.WatchStatus.CLOSED
    session.add(watch)
    session.flush()
    return RemoveResult(watch_id=watch_id, patient_told=told)


__all__ = [
    "RemoveResult",
    "SaveResult",
    "WatchForm",
    "WatchView",
    "next_watch_of_patient",
    "patient_watch_ids",
    "purpose_count",
    "read_watch",
    "remove_watch",
    "save_watch",
    "watch_state",
]
