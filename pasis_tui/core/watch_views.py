"""SP 090 as it reads: the form's fields, a saved watch's view and its state line, and the
patient's watches in order (Första bev, Nästa denna pat)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive
from pasis_tui.core.code_lists import CodeList, label_of
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import format_stamp

WATCH_UNKNOWN = "Bevakningen finns inte"


@dataclass(frozen=True)
class WatchForm:
    """SP 090's fields as typed (codes as codes; Ja/Nej as text; dates ÅÅÅÅ-MM-DD)."""

    clinic: str = ""
    caregiver: str = ""
    caregiver_category: str = ""
    target_date: str = ""
    watch_type: str = "ÖK"
    contact_type: str = ""
    return_decision_date: str = ""
    visit_length: str = ""
    code: str = ""
    reason: str = ""
    internal_diagnosis: str = ""
    location: str = ""
    internal_text: str = ""
    referral: str = ""
    waiting_months: str = ""
    confirm_referrer: str = ""
    confirm_referrer_printed: str = ""  # Utskrivet: shown, never typed (set by Spara with Ja)
    confirm_patient: str = ""
    confirm_patient_printed: str = ""
    short_notice: str = ""
    watch_letter: str = ""
    watch_letter_code: str = ""
    watch_letter_printed: str = ""
    booking_letter: str = ""
    booking_letter_code: str = ""
    booking_standard_text: str = ""
    letter_text: str = ""
    activity: str = ""
    cause: str = ""
    payment_method: str = ""
    fee_exempt_reason: str = ""
    patient_may_cancel: str = ""
    send_to_1177: str = ""
    book_from: str = ""
    book_to: str = ""
    purpose: str = ""
    cancelled_by: str = ""
    detail_problem: str = ""  # Detalj: Problem/Diagnos
    control_patient: str = ""  # Detalj: Kontrollpat JA/NEJ (empty: NEJ)
    detail_date: str = ""  # Detalj: Datum
    citizen_template: str = ""  # the Invånarmall's number (seed 10), sent with the invitation


@dataclass(frozen=True)
class WatchListParams:
    """How SP 191 opens SP 090 on a list of found watches: the list, the one to show first, and
    the order it came from (Översikt bev.utsök goes back to it; Nästa i bev. lista walks it)."""

    watch_ids: tuple[int, ...]
    index: int = 0
    order_no: int | None = None


@dataclass(frozen=True)
class WatchView:
    """A saved watch as SP 090 shows it, with its state line."""

    watch_id: int
    unit_id: int
    patient_id: int
    form: WatchForm
    state: str
    contact_label: str  # "NY NYBESÖK"
    type_label: str
    created: str
    updated: str


# ---------------------------------------------------------------------------------------------
# Reading and the state line


def watch_state(*, session: Session, clock: Clock, watch: models.Watch) -> str:
    """Sparad → Skickad till 1177 (time) → Bokad (slot) / Avbokad / Borttagen /
    Boka t o m passerat."""
    invitation = session.exec(
        select(models.Invitation).where(models.Invitation.watch_id == watch.id)
    ).first()
    bookings = session.exec(
        select(models.Booking, models.Slot)
        .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
        .where(models.Booking.watch_id == watch.id)
        .order_by(col(models.Booking.id).desc())
    ).all()
    active = next((slot for b, slot in bookings if b.status == models.BookingStatus.ACTIVE), None)
    if active is not None:
        return f"Bokad ({active.starts_at:%Y-%m-%d %H:%M})"
    if watch.status == models.WatchStatus.CLOSED:
        if invitation is not None and invitation.withdrawn_at is not None or not bookings:
            return "Borttagen"
        return "Avbokad"
    if watch.book_to is not None and watch.book_to < clock.now().date():
        return "Boka t o m passerat"
    if invitation is not None and invitation.sent_at is not None:
        return f"Skickad till 1177 ({from_utc_naive(invitation.sent_at):%Y-%m-%d %H:%M})"
    if invitation is not None and invitation.withdrawn_at is None:
        return f"Sparad (skickas {from_utc_naive(invitation.due_at):%Y-%m-%d %H:%M})"
    return "Sparad"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value.value if hasattr(value, "value") else value)


def watch_view(session: Session, clock: Clock, watch: models.Watch) -> WatchView:
    assert watch.id is not None
    clinic = session.get(models.Clinic, watch.clinic_id) if watch.clinic_id else None
    caregiver = session.get(models.Caregiver, watch.caregiver_id) if watch.caregiver_id else None
    activity = session.get(models.Activity, watch.activity_id) if watch.activity_id else None
    send = ""
    if watch.send_to_1177_at is not None:
        local = from_utc_naive(watch.send_to_1177_at)
        send = f"{local:%Y-%m-%d}" if local.time() == dt.time(0) else f"{local:%Y-%m-%d %H:%M}"
    form = WatchForm(
        clinic=clinic.code if clinic else "",
        caregiver=caregiver.signature if caregiver else "",
        caregiver_category=watch.caregiver_category,
        target_date=_text(watch.target_date),
        watch_type=_text(watch.watch_type),
        contact_type=_text(watch.contact_type),
        return_decision_date=_text(watch.return_decision_date),
        visit_length=_text(watch.visit_length_min),
        code=watch.code,
        reason=watch.reason,
        internal_diagnosis=watch.internal_diagnosis,
        location=watch.location,
        internal_text=watch.internal_text,
        referral=watch.referral,
        waiting_months=_text(watch.waiting_months),
        confirm_referrer=_text(watch.confirm_referrer),
        confirm_referrer_printed=_text(watch.confirm_referrer_printed),
        confirm_patient=_text(watch.confirm_patient),
        confirm_patient_printed=_text(watch.confirm_patient_printed),
        short_notice=watch.short_notice,
        watch_letter=_text(watch.watch_letter),
        watch_letter_code=watch.watch_letter_code,
        watch_letter_printed=_text(watch.watch_letter_printed),
        booking_letter=_text(watch.booking_letter),
        booking_letter_code=watch.booking_letter_code,
        booking_standard_text=watch.booking_standard_text,
        letter_text=watch.letter_text,
        activity=activity.code if activity else "",
        cause=watch.cause,
        payment_method=watch.payment_method,
        fee_exempt_reason=watch.fee_exempt_reason,
        patient_may_cancel=_text(watch.patient_may_cancel),
        send_to_1177=send,
        book_from=_text(watch.book_from),
        book_to=_text(watch.book_to),
        purpose=watch.purpose,
        cancelled_by=watch.cancelled_by,
        detail_problem=watch.detail_problem,
        control_patient="JA" if watch.control_patient else "NEJ",
        detail_date=_text(watch.detail_date),
        citizen_template=_text(watch.citizen_template_id),
    )
    return WatchView(
        watch_id=watch.id,
        unit_id=watch.unit_id,
        patient_id=watch.patient_id,
        form=form,
        state=watch_state(session=session, clock=clock, watch=watch),
        contact_label=label_of(CodeList.CONTACT_TYPE, _text(watch.contact_type)),
        type_label=label_of(CodeList.WATCH_TYPE, _text(watch.watch_type)),
        created=format_stamp(watch.created_at, watch.created_by),
        updated=format_stamp(watch.updated_at, watch.updated_by),
    )


def read_watch(*, session: Session, clock: Clock, watch_id: int) -> WatchView:
    watch = session.get(models.Watch, watch_id)
    if watch is None:
        raise PasisError(WATCH_UNKNOWN, field="watch")
    return watch_view(session, clock, watch)


def patient_watch_ids(
    *, session: Session, patient_id: int, unit_id: int | None = None
) -> list[int]:
    """The patient's watches, oldest first (Första bev, Nästa denna pat)."""
    query = select(models.Watch.id).where(models.Watch.patient_id == patient_id)
    if unit_id is not None:
        query = query.where(models.Watch.unit_id == unit_id)
    return [i for i in session.exec(query.order_by(col(models.Watch.id))).all() if i is not None]


def next_watch_of_patient(
    *, session: Session, patient_id: int, after_watch_id: int | None, unit_id: int | None = None
) -> int | None:
    """`Nästa denna pat`: the patient's next watch after the shown one (wrapping to the first)."""
    ids = patient_watch_ids(session=session, patient_id=patient_id, unit_id=unit_id)
    if not ids:
        return None
    later = [i for i in ids if after_watch_id is None or i > after_watch_id]
    return later[0] if later else ids[0]
