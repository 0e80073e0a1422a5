"""The offered-slot engine: which slots the holder of a watch is offered, and why not others.

SPEC.md's rule, exactly: same clinic, caregiver, activity and visit length; 1177-nivå 3; a
bookable activity type; a free seat; inside Boka fr o m … t o m and today … today + Sökbara
schemaveckor (SP 177); starting in the future; the clinic mapped to an HSA id on the slot's day
(SP 721); the invitation sent. The slots come from ONE query on `ix_slot_offer`; the
troubleshooting funnel (seed 12) from one more, a row of cumulative counts, so that a finding can
say which condition removed how many candidates. The 1177 side, SP 090's Boka and Felsökning all
call `offers_for_watch`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Boolean,
    DateTime,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, utc_naive
from pasis_tui.core.errors import PasisError
from pasis_tui.core.settings_1177 import effective_settings

#: The 1177-nivå a slot needs to be offered in an open invitation (seed 3.3: "3 – ombokningsbar").
OFFER_LEVEL = 3
#: Offers are listed in time order, at most this many (the 1177 side pages within them).
OFFER_LIMIT = 500

WATCH_UNKNOWN = "Bevakningen finns inte"
INCOMPLETE = "Bevakningen saknar {missing}: inga tider kan matchas"
NOT_OPEN = "Bevakningen är {status}: inga tider erbjuds"
NOT_SENT = "0 av {count} erbjuds ännu: kallelsen har inte skickats till 1177"
WITHDRAWN = "0 av {count} erbjuds: kallelsen är återkallad (Borttag)"
NO_INVITATION = "0 av {count} erbjuds i 1177: bara typ ÖK skickar en öppen kallelse (boka med Boka)"

_slot = models.Slot.__table__  # type: ignore[attr-defined]
_booking = models.Booking.__table__  # type: ignore[attr-defined]
_hsa = models.HsaMapping.__table__  # type: ignore[attr-defined]


class OfferedSlot(NamedTuple):
    """One slot the patient may book (or staff may book for her). Immutable like the frozen
    dataclasses elsewhere, but a tuple: a frozen dataclass costs ≈ 5 µs to build, which at
    500 offers was more than the query itself (bench/offers.py)."""

    slot_id: int
    day: dt.date
    starts_at: dt.datetime  # Swedish wall time
    ends_at: dt.datetime
    visit_length_min: int
    free_seats: int


@dataclass(frozen=True)
class FunnelStep:
    """How many candidates are left after one condition, and what it removed (in words)."""

    condition: str
    remaining: int
    removed: int
    text: str


@dataclass(frozen=True)
class OfferResult:
    """The slots that match a watch, whether they are offered now, and the troubleshooting."""

    watch_id: int
    window_first: dt.date | None
    window_last: dt.date | None
    matching: tuple[OfferedSlot, ...]
    invitation_sent: bool
    steps: tuple[FunnelStep, ...]

    @property
    def offered(self) -> tuple[OfferedSlot, ...]:
        """What the patient sees in 1177: nothing until the invitation is in her inbox."""
        return self.matching if self.invitation_sent else ()

    @property
    def findings(self) -> tuple[str, ...]:
        """The conditions that removed candidates, in SPEC.md's order, as Swedish sentences."""
        return tuple(step.text for step in self.steps if step.removed or step.remaining == 0)

    @property
    def blocking(self) -> FunnelStep | None:
        """The first condition that left no candidate (None when something is offered)."""
        return next((step for step in self.steps if step.remaining == 0), None)


@dataclass(frozen=True)
class _Criteria:
    watch_id: int
    clinic_id: int
    clinic_code: str
    caregiver_id: int
    caregiver_signature: str
    activity_id: int
    activity_code: str
    activity_type: models.ActivityType
    visit_length_min: int
    first: dt.date
    last: dt.date
    now_utc: dt.datetime
    invitation: str

    @property
    def invitation_sent(self) -> bool:
        return self.invitation == "sent"


def searchable_last_day(*, today: dt.date, weeks: int) -> dt.date:
    """The last day 1177 searches: N weeks from today, today counted (8 weeks = 56 days)."""
    return today + dt.timedelta(days=7 * weeks - 1)


def offers_for_watch(
    *,
    session: Session,
    clock: Clock,
    watch_id: int,
    limit: int = OFFER_LIMIT,
    rebooking: bool = False,
) -> OfferResult:
    """The slots offered for a watch, by SPEC.md's rule, with the troubleshooting funnel.

    A booked watch is offered nothing, except to move its booking (`rebooking`, Omboka: the
    same invitation's times, her own seat still taken)."""
    watch = session.get(models.Watch, watch_id)
    if watch is None:
        raise PasisError(WATCH_UNKNOWN, field="watch")
    missing = [
        label
        for label, value in (
            ("Mott", watch.clinic_id),
            ("Vg", watch.caregiver_id),
            ("Aktivitet", watch.activity_id),
            ("Besökets längd", watch.visit_length_min),
        )
        if value is None
    ]
    invitation = _invitation(session, watch_id)
    sent = invitation == "sent"
    open_states = (
        (models.WatchStatus.OPEN, models.WatchStatus.BOOKED)
        if rebooking
        else (models.WatchStatus.OPEN,)
    )
    if missing or watch.status not in open_states:
        text = (
            INCOMPLETE.format(missing=", ".join(missing))
            if missing
            else NOT_OPEN.format(status=models.WatchStatus(watch.status).value.lower())
        )
        step = FunnelStep(condition="watch", remaining=0, removed=0, text=text)
        return OfferResult(watch_id, None, None, (), sent, (step,))
    criteria = _criteria(session, clock=clock, watch=watch, invitation=invitation)
    if criteria.first > criteria.last:
        matching: tuple[OfferedSlot, ...] = ()
    else:
        matching = _matching(session, criteria, limit=limit)
    steps = _funnel(session, criteria)
    return OfferResult(watch_id, criteria.first, criteria.last, matching, sent, steps)


def _invitation(session: Session, watch_id: int) -> str:
    """The invitation's state: "none", "due", "sent" or "withdrawn"."""
    row = session.execute(
        select(models.Invitation.sent_at, models.Invitation.withdrawn_at).where(  # type: ignore[call-overload]
            models.Invitation.watch_id == watch_id
        )
    ).first()
    if row is None:
        return "none"
    if row.withdrawn_at is not None:
        return "withdrawn"
    return "sent" if row.sent_at is not None else "due"


def _criteria(session: Session, *, clock: Clock, watch: models.Watch, invitation: str) -> _Criteria:
    assert watch.id is not None and watch.clinic_id is not None
    assert watch.caregiver_id is not None and watch.activity_id is not None
    assert watch.visit_length_min is not None
    now = clock.now()
    today = now.date()
    settings = effective_settings(session=session, clinic_id=watch.clinic_id, day=today)
    last = searchable_last_day(today=today, weeks=settings.searchable_weeks)
    first = today
    if watch.book_from is not None:
        first = max(first, watch.book_from)
    if watch.book_to is not None:
        last = min(last, watch.book_to)
    clinic = session.get(models.Clinic, watch.clinic_id)
    caregiver = session.get(models.Caregiver, watch.caregiver_id)
    activity = session.get(models.Activity, watch.activity_id)
    assert clinic is not None and caregiver is not None and activity is not None
    return _Criteria(
        watch_id=watch.id,
        clinic_id=watch.clinic_id,
        clinic_code=clinic.code,
        caregiver_id=watch.caregiver_id,
        caregiver_signature=caregiver.signature,
        activity_id=watch.activity_id,
        activity_code=activity.code,
        activity_type=models.ActivityType(activity.activity_type),
        visit_length_min=watch.visit_length_min,
        first=first,
        last=last,
        now_utc=utc_naive(now),
        invitation=invitation,
    )


def _taken_seats() -> Any:
    """Active bookings in a slot's own seats (overbookings sit above them and take none)."""
    return (
        select(func.count())
        .where(
            _booking.c.slot_id == _slot.c.id,
            # Written into the SQL, so that SQLite can use the partial uq_booking_active_seat.
            _booking.c.status == literal_column(f"'{models.BookingStatus.ACTIVE.value}'"),
            _booking.c.seat_no <= _slot.c.seats,
        )
        .scalar_subquery()
    )


def _hsa_mapped() -> ColumnElement[bool]:
    return exists().where(
        _hsa.c.clinic_id == _slot.c.clinic_id,
        _hsa.c.valid_from <= _slot.c.day,
        _hsa.c.valid_to >= _slot.c.day,
    )


def _window(c: _Criteria) -> list[ColumnElement[bool]]:
    """Slots of the watch's clinic and caregiver whose day lies in the booking window."""
    return [
        _slot.c.clinic_id == c.clinic_id,
        _slot.c.caregiver_id == c.caregiver_id,
        _slot.c.starts_at >= dt.datetime.combine(c.first, dt.time.min),
        _slot.c.starts_at < dt.datetime.combine(c.last + dt.timedelta(days=1), dt.time.min),
        _slot.c.removed_at.is_(None),
    ]


@cache
def _offer_statement() -> Any:
    """The offered-slot query, built once with bound parameters: building a SELECT of this size
    and its cache key costs more than running it (bench/offers.py)."""
    taken = _taken_seats()
    return (
        select(
            _slot.c.id,
            # Wall times as stored: SQLAlchemy's SQLite DateTime parses each value with a regex,
            # 3× the whole query at 500 rows; fromisoformat is C.
            type_coerce(_slot.c.starts_at, String),
            type_coerce(_slot.c.ends_at, String),
            _slot.c.visit_length_min,
            (_slot.c.seats - taken).label("free_seats"),
        )
        .where(
            _slot.c.clinic_id == bindparam("clinic_id"),
            _slot.c.caregiver_id == bindparam("caregiver_id"),
            _slot.c.activity_id == bindparam("activity_id"),
            _slot.c.visit_length_min == bindparam("visit_length_min"),
            _slot.c.level_1177 == literal_column(str(OFFER_LEVEL)),
            _slot.c.starts_at >= bindparam("first", type_=DateTime),
            _slot.c.starts_at < bindparam("after_last", type_=DateTime),
            _slot.c.removed_at.is_(None),
            _slot.c.starts_at_utc > bindparam("now_utc", type_=DateTime),
            taken < _slot.c.seats,
            _hsa_mapped(),
        )
        .order_by(_slot.c.starts_at)
        .limit(bindparam("limit"))
    )


def _matching(session: Session, c: _Criteria, *, limit: int) -> tuple[OfferedSlot, ...]:
    """The one offered-slot query: an index range on ix_slot_offer, then the per-slot checks."""
    if c.activity_type not in models.BOOKABLE_TYPES:
        return ()
    parameters = {
        "clinic_id": c.clinic_id,
        "caregiver_id": c.caregiver_id,
        "activity_id": c.activity_id,
        "visit_length_min": c.visit_length_min,
        "first": dt.datetime.combine(c.first, dt.time.min),
        "after_last": dt.datetime.combine(c.last + dt.timedelta(days=1), dt.time.min),
        "now_utc": c.now_utc,
        "limit": limit,
    }
    rows = session.connection().execute(_offer_statement(), parameters).fetchall()
    offered = []
    for slot_id, starts, ends, length, free in rows:
        starts_at, ends_at = _wall(starts), _wall(ends)
        offered.append(OfferedSlot(slot_id, starts_at.date(), starts_at, ends_at, length, free))
    return tuple(offered)


def _wall(value: str | dt.datetime) -> dt.datetime:
    """A stored wall time: text from SQLite, a datetime from PostgreSQL's driver."""
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


# ---------------------------------------------------------------------------------------------
# The troubleshooting funnel (seed 12: "Kan inte se lediga tider i kalendern i 1177")


#: The funnel's conditions, in SPEC.md's order after the window (clinic, caregiver, days).
FUNNEL_CONDITIONS = ("future", "activity", "visit_length", "level", "activity_type", "free", "hsa")


@cache
def _funnel_statement() -> Any:
    """One row of cumulative counts: how many window candidates pass each condition and all
    before it. Built once with bound parameters, like the offered-slot query."""
    conditions: list[ColumnElement[bool]] = [
        _slot.c.starts_at_utc > bindparam("now_utc", type_=DateTime),
        _slot.c.activity_id == bindparam("activity_id"),
        _slot.c.visit_length_min == bindparam("visit_length_min"),
        _slot.c.level_1177 == literal_column(str(OFFER_LEVEL)),
        bindparam("bookable", type_=Boolean) == literal(True),
        _taken_seats() < _slot.c.seats,
        _hsa_mapped(),
    ]
    columns: list[Any] = [func.count()]
    for index in range(1, len(conditions) + 1):
        passing = case((and_(*conditions[:index]), 1), else_=0)
        columns.append(func.coalesce(func.sum(passing), 0))
    return select(*columns).where(
        _slot.c.clinic_id == bindparam("clinic_id"),
        _slot.c.caregiver_id == bindparam("caregiver_id"),
        _slot.c.starts_at >= bindparam("first", type_=DateTime),
        _slot.c.starts_at < bindparam("after_last", type_=DateTime),
        _slot.c.removed_at.is_(None),
    )


def _funnel(session: Session, c: _Criteria) -> tuple[FunnelStep, ...]:
    conditions = FUNNEL_CONDITIONS
    if c.first > c.last:
        counts = [0] * (len(conditions) + 1)
    else:
        parameters = {
            "clinic_id": c.clinic_id,
            "caregiver_id": c.caregiver_id,
            "first": dt.datetime.combine(c.first, dt.time.min),
            "after_last": dt.datetime.combine(c.last + dt.timedelta(days=1), dt.time.min),
            "now_utc": c.now_utc,
            "activity_id": c.activity_id,
            "visit_length_min": c.visit_length_min,
            "bookable": c.activity_type in models.BOOKABLE_TYPES,
        }
        row = session.connection().execute(_funnel_statement(), parameters).one()
        counts = [int(value) for value in row]
    period = f"{c.first:%Y-%m-%d}–{c.last:%Y-%m-%d}"
    who = f"{c.clinic_code}/{c.caregiver_signature}"
    steps = [
        FunnelStep(
            condition="window",
            remaining=counts[0],
            removed=0,
            text=_window_text(c, counts[0], who=who, period=period),
        )
    ]
    for index, name in enumerate(conditions, start=1):
        before, after = counts[index - 1], counts[index]
        if before == after:
            text = f"{after} kvar: {_KEPT[name]}"
        else:
            text = _removed_text(session, c, name, before=before, after=after)
        steps.append(FunnelStep(condition=name, remaining=after, removed=before - after, text=text))
    sent_left = counts[-1] if c.invitation_sent else 0
    steps.append(
        FunnelStep(
            condition="sent",
            remaining=sent_left,
            removed=counts[-1] - sent_left,
            text=(
                f"{sent_left} erbjuds: kallelsen finns i patientens inkorg"
                if c.invitation_sent
                else _NOT_OFFERED[c.invitation].format(count=counts[-1])
            ),
        )
    )
    return tuple(steps)


_NOT_OFFERED = {"due": NOT_SENT, "withdrawn": WITHDRAWN, "none": NO_INVITATION}

_KEPT = {
    "future": "alla ligger framåt i tiden",
    "activity": "alla har aktiviteten",
    "visit_length": "alla har besökslängden",
    "level": "alla har 1177-nivå 3",
    "activity_type": "aktivitetstypen är bokningsbar",
    "free": "alla har en ledig plats",
    "hsa": "mottagningen är mappad till ett HSA-id alla dagarna (SP 721)",
}


def _window_text(c: _Criteria, count: int, *, who: str, period: str) -> str:
    if c.first > c.last:
        return (
            f"Inga dagar att söka i: Boka fr o m … t o m och idag … idag + Sökbara "
            f"schemaveckor möts inte ({c.first:%Y-%m-%d} > {c.last:%Y-%m-%d})"
        )
    return f"{count} tider för {who} i perioden {period}"


def _removed_text(session: Session, c: _Criteria, name: str, *, before: int, after: int) -> str:
    lead = f"{after} av {before}"
    if name == "future":
        return f"{lead} ligger framåt i tiden — de andra har redan passerat"
    if name == "activity":
        return f"{lead} med aktivitet {c.activity_code} — de har {_others(session, c, 'activity')}"
    if name == "visit_length":
        return (
            f"{lead} på {c.visit_length_min} min — de är "
            f"{_others(session, c, 'visit_length')} (samma besökslängd i bevakning och schema?)"
        )
    if name == "level":
        return f"{lead} med 1177-nivå 3 — de har nivå {_others(session, c, 'level')}"
    if name == "activity_type":
        return f"0 av {before}: aktivitetstypen {c.activity_type.value} är inte bokningsbar i 1177"
    if name == "free":
        return f"{lead} har en ledig plats — de andra är bokade"
    return (
        f"{lead} ligger på dagar då mottagningen {c.clinic_code} är mappad till ett HSA-id "
        "— stämmer mappningen i SP 721?"
    )


def _others(session: Session, c: _Criteria, name: str) -> str:
    """What the removed candidates have instead (e.g. "60 min (14)"), most common first."""
    activity = models.Activity.__table__  # type: ignore[attr-defined]
    future = _slot.c.starts_at_utc > c.now_utc
    where: list[ColumnElement[bool]] = [*_window(c), future]
    if name == "activity":
        value: Any = activity.c.code
        source: Any = _slot.join(activity, activity.c.id == _slot.c.activity_id)
        where.append(_slot.c.activity_id != c.activity_id)
        unit = ""
    elif name == "visit_length":
        value, source, unit = _slot.c.visit_length_min, _slot, " min"
        where += [
            _slot.c.activity_id == c.activity_id,
            _slot.c.visit_length_min != c.visit_length_min,
        ]
    else:
        value, source, unit = _slot.c.level_1177, _slot, ""
        where += [
            _slot.c.activity_id == c.activity_id,
            _slot.c.visit_length_min == c.visit_length_min,
            _slot.c.level_1177 != OFFER_LEVEL,
        ]
    rows = session.connection().execute(
        select(value, func.count()).select_from(source).where(*where).group_by(value)
    )
    parts = sorted(rows, key=lambda row: (-row[1], str(row[0])))
    return ", ".join(f"{v}{unit} ({n})" for v, n in parts)
