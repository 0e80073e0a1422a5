"""SP 191 Bevakningsutsökning: a Beställning finds watches by its criteria and keeps the list.

The found watches are stored with the order, in its sort order, so that Rensning, Byte av
vårdgivare and Bevakningsbrev act on exactly the list the user saw (seed 5.4). The list is one
packed value on the order (100 000 ids are 800 kB, written at once); what is done to a watch of
the list is a `WatchSearchResult` row, made when it is done.
"""

from __future__ import annotations

import datetime as dt
import sys
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer

ORDER_UNKNOWN = "Beställningen finns inte (längre)"
CLINIC_UNKNOWN = "Mott: okänd mottagning i enheten"
CAREGIVER_UNKNOWN = "Vg/Resurs: okänd vårdgivare i enheten"
TYPE_UNKNOWN = "Typ: okänd bevakningstyp {value} (finns: {known})"
CONTACT_UNKNOWN = "Kontakttyp: okänd kontakttyp {value} (finns: {known})"
PERIOD_ORDER = "Tom datum måste vara samma dag som From datum eller senare"
YEARS_ORDER = "Patientens födelseår tom måste vara samma år som from eller senare"
YEAR_RANGE = "Patientens födelseår: ett årtal, t.ex. 1987"
DIAGNOSIS_ORDER = "Intern diagnos tom måste komma efter from i bokstavsordning"
SORT_UNKNOWN = "Sorteringsordning: välj {known}"

#: Sorteringsordning: what a user may choose, and the columns it sorts by.
SORT_ORDERS: dict[str, tuple[Any, ...]] = {
    "DATUM": (col(models.Watch.target_date), col(models.Watch.id)),
    "BOKA TOM": (col(models.Watch.book_to), col(models.Watch.id)),
    "PERSONNUMMER": (col(models.Patient.personnummer), col(models.Watch.id)),
    "NAMN": (
        col(models.Patient.last_name),
        col(models.Patient.first_name),
        col(models.Watch.id),
    ),
}
DEFAULT_SORT = "DATUM"
#: SQLite allows 32 766 bound values in a statement; ids of a long list are asked for in chunks.
ID_CHUNK = 10_000


def pack_ids(ids: Sequence[int]) -> bytes:
    """Watch ids as 8-byte little-endian integers (the same bytes on every machine)."""
    packed = array("q", ids)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def unpack_ids(data: bytes | None) -> list[int]:
    packed = array("q")
    packed.frombytes(data or b"")
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tolist()


def chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass(frozen=True)
class OrderCriteria:
    """2 Beställning, as typed: empty values mean "any"."""

    clinic_code: str = ""
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    watch_type: str = ""
    book_to_passed: dt.date | None = None
    caregiver_signature: str = ""
    caregiver_category: str = ""
    code: str = ""
    short_notice: str = ""
    contact_type: str = ""
    birth_year_from: int | None = None
    birth_year_to: int | None = None
    internal_diagnosis_from: str = ""
    internal_diagnosis_to: str = ""
    sort_order: str = ""


@dataclass(frozen=True)
class OrderLine:
    """1 Beställningsöversikt: one of the user's orders."""

    order_no: int
    count: int
    unit_code: str
    watch_type: str
    from_date: dt.date | None
    to_date: dt.date | None
    caregiver: str
    caregiver_category: str


@dataclass(frozen=True)
class OrderPlaced:
    order: OrderLine
    message: str


@dataclass(frozen=True)
class FoundWatch:
    """3 Översikt bevakningar: one watch of an order, in the order's sort order."""

    position: int
    watch_id: int
    personnummer: str
    patient_name: str
    watch_type: str
    contact_type: str
    target_date: dt.date | None
    book_to: dt.date | None
    caregiver: str
    status: str


@dataclass(frozen=True)
class FoundPage:
    rows: list[FoundWatch]
    total: int
    offset: int


def _one_of(value: str, known: list[str], message: str, field: str) -> str:
    wanted = value.strip().upper()
    if wanted and wanted not in known:
        raise PasisError(message.format(value=wanted, known=", ".join(known)), field=field)
    return wanted


def _check(criteria: OrderCriteria) -> None:
    if criteria.from_date and criteria.to_date and criteria.to_date < criteria.from_date:
        raise PasisError(PERIOD_ORDER, field="to_date")
    for name in ("birth_year_from", "birth_year_to"):
        year = getattr(criteria, name)
        if year is not None and not 1800 <= year <= 2200:
            raise PasisError(YEAR_RANGE, field=name)
    low, high = criteria.birth_year_from, criteria.birth_year_to
    if low is not None and high is not None and high < low:
        raise PasisError(YEARS_ORDER, field="birth_year_to")
    d_low = criteria.internal_diagnosis_from.strip().upper()
    d_high = criteria.internal_diagnosis_to.strip().upper()
    if d_low and d_high and d_high < d_low:
        raise PasisError(DIAGNOSIS_ORDER, field="internal_diagnosis_to")
    sort = criteria.sort_order.strip().upper()
    if sort and sort not in SORT_ORDERS:
        raise PasisError(SORT_UNKNOWN.format(known=", ".join(SORT_ORDERS)), field="sort_order")


def _resolve(session: Session, *, unit_id: int, criteria: OrderCriteria) -> dict[str, Any]:
    """The order's stored values: codes resolved to ids, everything checked first."""
    _check(criteria)
    clinic_id = caregiver_id = None
    if criteria.clinic_code.strip():
        clinic = session.exec(
            select(models.Clinic).where(
                models.Clinic.unit_id == unit_id,
                func.upper(models.Clinic.code) == criteria.clinic_code.strip().upper(),
            )
        ).first()
        if clinic is None:
            raise PasisError(CLINIC_UNKNOWN, field="clinic")
        clinic_id = clinic.id
    if criteria.caregiver_signature.strip():
        caregiver = session.exec(
            select(models.Caregiver).where(
                models.Caregiver.unit_id == unit_id,
                func.upper(models.Caregiver.signature)
                == criteria.caregiver_signature.strip().upper(),
            )
        ).first()
        if caregiver is None:
            raise PasisError(CAREGIVER_UNKNOWN, field="caregiver")
        caregiver_id = caregiver.id
    watch_type = _one_of(
        criteria.watch_type, [t.value for t in models.WatchType], TYPE_UNKNOWN, "watch_type"
    )
    contact_type = _one_of(
        criteria.contact_type,
        [c.value for c in models.ContactType],
        CONTACT_UNKNOWN,
        "contact_type",
    )
    return {
        "unit_id": unit_id,
        "clinic_id": clinic_id,
        "from_date": criteria.from_date,
        "to_date": criteria.to_date,
        "watch_type": watch_type,
        "book_to_passed": criteria.book_to_passed,
        "caregiver_id": caregiver_id,
        "caregiver_category": criteria.caregiver_category.strip().upper(),
        "code": criteria.code.strip().upper(),
        "short_notice": criteria.short_notice.strip().upper(),
        "contact_type": contact_type,
        "birth_year_from": criteria.birth_year_from,
        "birth_year_to": criteria.birth_year_to,
        "internal_diagnosis_from": criteria.internal_diagnosis_from.strip().upper(),
        "internal_diagnosis_to": criteria.internal_diagnosis_to.strip().upper(),
        "sort_order": criteria.sort_order.strip().upper() or DEFAULT_SORT,
    }


def _matching(order: models.WatchSearchOrder) -> Any:
    """The ids of the order's watches in its sort order (one query). The patient is joined only
    when the order sorts or filters on her: the search index alone then answers the rest."""
    w, p = models.Watch, models.Patient
    sort = SORT_ORDERS.get(order.sort_order, SORT_ORDERS[DEFAULT_SORT])
    query = select(w.id).where(w.unit_id == order.unit_id).order_by(*sort)
    by_patient = order.sort_order in ("PERSONNUMMER", "NAMN")
    if by_patient or order.birth_year_from is not None or order.birth_year_to is not None:
        query = query.join(p, col(p.id) == w.patient_id)
    equal = {
        "clinic_id": order.clinic_id,
        "caregiver_id": order.caregiver_id,
        "watch_type": order.watch_type or None,
        "caregiver_category": order.caregiver_category or None,
        "code": order.code or None,
        "short_notice": order.short_notice or None,
        "contact_type": order.contact_type or None,
    }
    for name, value in equal.items():
        if value is not None:
            query = query.where(getattr(w, name) == value)
    if order.from_date:
        query = query.where(col(w.target_date) >= order.from_date)
    if order.to_date:
        query = query.where(col(w.target_date) <= order.to_date)
    if order.book_to_passed:
        # seed 5.4 "Vid ÖK, boka t o m passerat": ÖK watches, not booked, whose window closed.
        query = query.where(
            w.watch_type == models.WatchType.OPEN_INVITATION,
            w.status == models.WatchStatus.OPEN,
            col(w.book_to) < order.book_to_passed,
        )
    birth_year = func.substr(p.personnummer, 1, 4)
    if order.birth_year_from is not None:
        query = query.where(birth_year >= f"{order.birth_year_from:04d}")
    if order.birth_year_to is not None:
        query = query.where(birth_year <= f"{order.birth_year_to:04d}")
    if order.internal_diagnosis_from:
        query = query.where(col(w.internal_diagnosis) >= order.internal_diagnosis_from)
    if order.internal_diagnosis_to:
        # A code "up to" K50 includes K50.1: compare with what sorts after every such code.
        query = query.where(col(w.internal_diagnosis) <= order.internal_diagnosis_to + "\uffff")
    return query


def place_order(*, session: Session, unit_id: int, criteria: OrderCriteria) -> OrderPlaced:
    """Beställ: store the order with the next Beställningsnr and the watches it finds."""
    values = _resolve(session, unit_id=unit_id, criteria=criteria)
    order = models.WatchSearchOrder(**values)
    # 100 000 plain ints straight from the driver's cursor: no row objects on the way.
    found = session.connection().execute(_matching(order))
    ids = [row[0] for row in found.cursor.fetchall()]
    found.close()
    count = len(ids)
    order.result_count = count
    order.watch_list = pack_ids(ids)
    session.add(order)
    session.flush()
    assert order.id is not None
    line = _order_line(session, order)
    noun = "bevakning" if count == 1 else "bevakningar"
    return OrderPlaced(order=line, message=f"Beställning {order.id}: {count} {noun}")


def _order_line(session: Session, order: models.WatchSearchOrder) -> OrderLine:
    assert order.id is not None
    unit = session.get(models.Unit, order.unit_id)
    caregiver = session.get(models.Caregiver, order.caregiver_id) if order.caregiver_id else None
    return OrderLine(
        order_no=order.id,
        count=order.result_count or 0,
        unit_code=unit.code if unit else "",
        watch_type=order.watch_type,
        from_date=order.from_date,
        to_date=order.to_date,
        caregiver=caregiver.signature if caregiver else "",
        caregiver_category=order.caregiver_category,
    )


def list_orders(
    *, session: Session, user: str, offset: int = 0, limit: int = 50
) -> list[OrderLine]:
    """1 Beställningsöversikt: the user's own orders, newest first."""
    query = (
        select(models.WatchSearchOrder)
        .options(defer(models.WatchSearchOrder.watch_list))  # type: ignore[arg-type]
        .where(models.WatchSearchOrder.created_by == user)
        .order_by(col(models.WatchSearchOrder.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return [_order_line(session, order) for order in session.exec(query).all()]


def found_watches(
    *, session: Session, ids: Sequence[int], positions: Sequence[int]
) -> list[FoundWatch]:
    """The watches `ids` as they are now, in that order, numbered by `positions`."""
    w, p, c = models.Watch, models.Patient, models.Caregiver
    query = (
        select(w, p, c.signature)
        .join(p, col(p.id) == w.patient_id)
        .outerjoin(c, col(c.id) == w.caregiver_id)
        .where(col(w.id).in_(ids))
    )
    found = {row[0].id: row for row in session.exec(query).all()}
    return [
        FoundWatch(
            position=position,
            watch_id=watch.id,  # type: ignore[arg-type]
            personnummer=format_personnummer(patient.personnummer),
            patient_name=f"{patient.first_name} {patient.last_name}",
            watch_type=watch.watch_type,
            contact_type=watch.contact_type or "",
            target_date=watch.target_date,
            book_to=watch.book_to,
            caregiver=signature or "",
            status=watch.status,
        )
        for watch, patient, signature, position in (
            (*found[i], place) for i, place in zip(ids, positions, strict=True) if i in found
        )
    ]


def order_watches(
    *, session: Session, order_no: int, offset: int = 0, limit: int = 50
) -> FoundPage:
    """3 Översikt bevakningar: a page of the order's stored list, as the watches are now."""
    order = session.get(models.WatchSearchOrder, order_no)
    if order is None:
        raise PasisError(ORDER_UNKNOWN, field="order_no")
    ids = unpack_ids(order.watch_list)[offset : offset + limit]
    places = range(offset + 1, offset + len(ids) + 1)
    rows = found_watches(session=session, ids=ids, positions=places)
    return FoundPage(rows=rows, total=order.result_count or 0, offset=offset)


def chosen_watches(
    *, session: Session, order_no: int, watch_ids: Sequence[int]
) -> list[FoundWatch]:
    """5 Rensning and 6 Byte av vårdgivare: the chosen watches of the order, in list order."""
    listed = order_ids(session=session, order_no=order_no)
    wanted = set(watch_ids)
    places = [(i, place) for place, i in enumerate(listed, start=1) if i in wanted]
    return found_watches(
        session=session, ids=[i for i, _ in places], positions=[place for _, place in places]
    )


def neighbour_watch(*, session: Session, order_no: int, watch_id: int, step: int = 1) -> int | None:
    """Nästa i bev. lista: the watch after (or before) `watch_id` in the order's list."""
    ids = order_ids(session=session, order_no=order_no)
    if watch_id not in ids:
        raise PasisError(ORDER_UNKNOWN, field="order_no")
    there = ids.index(watch_id) + step
    return ids[there] if 0 <= there < len(ids) else None


def order_ids(*, session: Session, order_no: int) -> list[int]:
    """The order's whole list of watch ids, in its order."""
    order = session.get(models.WatchSearchOrder, order_no)
    if order is None:
        raise PasisError(ORDER_UNKNOWN, field="order_no")
    return unpack_ids(order.watch_list)


def delete_order(*, session: Session, order_no: int, user: str) -> str:
    """Ta bort: the user's order and its stored list (the watches themselves stay)."""
    order = session.get(models.WatchSearchOrder, order_no)
    if order is None or order.created_by != user:
        raise PasisError(ORDER_UNKNOWN, field="order_no")
    session.connection().execute(
        delete(models.WatchSearchResult).where(col(models.WatchSearchResult.order_id) == order_no)
    )
    session.delete(order)
    session.flush()
    return f"Beställning {order_no} är borttagen"
