"""What a patient may change herself in 1177, and why not (seed 000 sections 6 and 8, seed 002).

Deadlines are real hours before the slot's instant (`starts_at_utc`), so "24 hours before" a
visit on 2026-03-29 10:00 is 2026-03-28 09:00 local time, across the switch to summer time. At
the deadline itself the change is still allowed ("senast N timmar före").

Patientombokningar (SP 177) counts the rebookings the patient made herself in the booking's
chain; a rebooking by staff does not use up one of hers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive
from pasis_tui.core.reminders import booking_type_of
from pasis_tui.core.settings_1177 import EffectiveSettings, effective_settings

SERVICE_OFF_CHANGE = "Mottagningen erbjuder inte ombokning eller avbokning i 1177"
PAST = "Tiden har redan passerat"
NOT_REBOOKABLE = "Tiden kan inte ombokas i 1177 ({kind})"
NOT_CANCELLABLE = "Tiden kan inte avbokas i 1177 ({kind})"
WATCH_NO_CANCEL = "Mottagningen har bestämt att tiden inte kan avbokas i 1177"
REBOOKINGS_USED = "Du har redan ombokat tiden {used} gånger, vilket är det högsta antalet ({limit})"
REBOOK_DEADLINE = "Tiden kan inte ombokas senare än {hours} timmar före besöket (senast {deadline})"
CANCEL_DEADLINE = "Tiden kan inte avbokas senare än {hours} timmar före besöket (senast {deadline})"
CONTACT_HINT = "Kontakta oss för att omboka eller avboka tid"


@dataclass(frozen=True)
class ChangeRights:
    """Whether the patient may rebook or cancel one booking herself, and if not, why."""

    may_rebook: bool
    rebook_refusal: str | None
    may_cancel: bool
    cancel_refusal: str | None
    may_contact: bool
    rebookings_used: int
    rebookings_allowed: int
    rebook_deadline: dt.datetime  # Swedish local time
    cancel_deadline: dt.datetime  # Swedish local time


def patient_rebookings_used(session: Session, booking: models.Booking) -> int:
    """How many rebookings in this booking's chain the patient made herself (via 1177)."""
    used = 0
    current: models.Booking | None = booking
    while current is not None and current.rebooked_from_id is not None:
        if current.booked_via == models.BookedVia.CITIZEN:
            used += 1
        current = session.get(models.Booking, current.rebooked_from_id)
    return used


def deadline(slot: models.Slot, hours: int) -> dt.datetime:
    """The last moment (naive UTC) a change is allowed: N real hours before the slot starts."""
    return slot.starts_at_utc - dt.timedelta(hours=hours)


def _local(moment_utc: dt.datetime) -> str:
    return f"{from_utc_naive(moment_utc):%Y-%m-%d %H:%M}"


def change_rights(
    session: Session,
    *,
    clock: Clock,
    booking: models.Booking,
    slot: models.Slot,
    settings: EffectiveSettings | None = None,
) -> ChangeRights:
    """The patient's rights on one active booking, by the rules in the module docstring."""
    now = clock.now()
    now_utc = utc_naive(now)
    clinic = session.get(models.Clinic, slot.clinic_id)
    assert clinic is not None
    rules = settings or effective_settings(
        session=session, clinic_id=slot.clinic_id, day=now.date()
    )
    booking_type = booking_type_of(session, slot)
    kind = booking_type.name if booking_type else ""
    watch = session.get(models.Watch, booking.watch_id) if booking.watch_id else None
    used = patient_rebookings_used(session, booking)
    rebook_until = deadline(slot, rules.rebook_limit_hours)
    cancel_until = deadline(slot, rules.cancel_limit_hours)

    rebook: str | None = None
    cancel: str | None = None
    if slot.starts_at_utc <= now_utc:
        rebook = cancel = PAST
    elif not clinic.eservice_change:
        rebook = cancel = SERVICE_OFF_CHANGE
    if rebook is None:
        if booking_type is not None and not booking_type.rebookable:
            rebook = NOT_REBOOKABLE.format(kind=kind)
        elif used >= rules.patient_rebookings:
            rebook = REBOOKINGS_USED.format(used=used, limit=rules.patient_rebookings)
        elif now_utc > rebook_until:
            rebook = REBOOK_DEADLINE.format(
                hours=rules.rebook_limit_hours, deadline=_local(rebook_until)
            )
    if cancel is None:
        if watch is not None and watch.patient_may_cancel is False:
            cancel = WATCH_NO_CANCEL
        elif booking_type is not None and not booking_type.cancellable:
            cancel = NOT_CANCELLABLE.format(kind=kind)
        elif now_utc > cancel_until:
            cancel = CANCEL_DEADLINE.format(
                hours=rules.cancel_limit_hours, deadline=_local(cancel_until)
            )
    return ChangeRights(
        may_rebook=rebook is None,
        rebook_refusal=rebook,
        may_cancel=cancel is None,
        cancel_refusal=cancel,
        may_contact=clinic.eservice_contact and (rebook is not None or cancel is not None),
        rebookings_used=used,
        rebookings_allowed=rules.patient_rebookings,
        rebook_deadline=from_utc_naive(rebook_until),
        cancel_deadline=from_utc_naive(cancel_until),
    )
