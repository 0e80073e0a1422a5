"""SP 191's follow-up on an order's stored list: 5 Rensning (with 4 Översikt rensningar),
6 Byte av vårdgivare and 7 Bevakningsbrev (seed 5.4). Each acts on exactly the watches the order
found, and records who did what and when on that list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive
from pasis_tui.core.db import audit_event
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import format_personnummer
from pasis_tui.core.watch_search import CAREGIVER_UNKNOWN, chunks, order_ids

REASON_REQUIRED = "Orsak måste fyllas i (t.ex. Patienten har inte bokat)"
REASON_LONG = "Orsak: högst {limit} tecken (du skrev {length})"
NONE_CHOSEN = "Välj minst en bevakning i listan"
NOT_ON_LIST = "Bevakning {watch_id} finns inte i beställning {order_no}"
NOT_OPEN = "bevakningen är {status}"
SAME_CAREGIVER = "har redan vårdgivaren"
LETTER_REQUIRED = "Brevtext måste fyllas i"
LETTER_LONG = "Brevtext: högst {limit} tecken (du skrev {length})"
LETTER_SUBJECT = "Du har inte bokat din tid ännu"
REASON_LIMIT = 60
LETTER_LIMIT = 2000


@dataclass(frozen=True)
class Skipped:
    watch_id: int
    why: str


@dataclass(frozen=True)
class CleanResult:
    closed: tuple[int, ...]
    skipped: tuple[Skipped, ...]
    message: str


@dataclass(frozen=True)
class CleanedLine:
    """4 Översikt rensningar: who closed which watch of the order, when and why."""

    watch_id: int
    patient_name: str
    personnummer: str
    cleaned_at: dt.datetime  # Swedish local time
    cleaned_by: str
    reason: str


@dataclass(frozen=True)
class MoveResult:
    moved: tuple[int, ...]
    skipped: tuple[Skipped, ...]
    warnings: tuple[str, ...]
    saved: bool
    message: str


@dataclass(frozen=True)
class LetterResult:
    digital: tuple[int, ...]
    paper: tuple[int, ...]
    paper_text: str
    message: str


def _result_rows(
    session: Session, order_no: int, watch_ids: list[int], listed: list[int]
) -> list[models.WatchSearchResult]:
    """The order's rows for `watch_ids` (all on its list `listed`), made for those that have
    none yet, with their place in the list."""
    r = models.WatchSearchResult
    rows: dict[int, models.WatchSearchResult] = {}
    for part in chunks(watch_ids):
        query = select(r).where(r.order_id == order_no, col(r.watch_id).in_(part))
        rows.update((row.watch_id, row) for row in session.exec(query).all())
    wanted = set(watch_ids) - set(rows)
    if wanted:
        for place, watch_id in enumerate(listed, start=1):
            if watch_id in wanted:
                rows[watch_id] = r(order_id=order_no, watch_id=watch_id, position=place)
    return [rows[w] for w in watch_ids]


def _chosen(
    session: Session, order_no: int, watch_ids: list[int]
) -> list[models.WatchSearchResult]:
    listed = order_ids(session=session, order_no=order_no)
    if not watch_ids:
        raise PasisError(NONE_CHOSEN, field="watches")
    known = set(listed)
    missing = [w for w in watch_ids if w not in known]
    if missing:
        raise PasisError(
            NOT_ON_LIST.format(watch_id=missing[0], order_no=order_no), field="watches"
        )
    return _result_rows(session, order_no, watch_ids, listed)


def _text_limit(text: str, *, limit: int, empty: str, long: str, field: str) -> str:
    value = text.strip()
    if not value:
        raise PasisError(empty, field=field)
    if len(value) > limit:
        raise PasisError(long.format(limit=limit, length=len(value)), field=field)
    return value


def _status_word(session: Session, watch_id: int) -> str:
    watch = session.get(models.Watch, watch_id)
    return models.WatchStatus(watch.status).value.lower() if watch else "borttagen"


def clean_watches(
    *, session: Session, clock: Clock, order_no: int, watch_ids: list[int], reason: str
) -> CleanResult:
    """5 Rensning: close the chosen open watches of an order with a reason; each invitation is
    withdrawn (the patient told by an Information message). A booked or closed watch is skipped
    and said so; each close is a conditional update, so it happens once."""
    from pasis_tui.core.invitations import withdraw_invitation

    why = _text_limit(
        reason, limit=REASON_LIMIT, empty=REASON_REQUIRED, long=REASON_LONG, field="reason"
    )
    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    closed: list[int] = []
    skipped: list[Skipped] = []
    for row in _chosen(session, order_no, watch_ids):
        done = session.connection().execute(
            update(models.Watch)
            .where(
                col(models.Watch.id) == row.watch_id,
                col(models.Watch.status) == models.WatchStatus.OPEN,
            )
            .values(status=models.WatchStatus.CLOSED, updated_at=now, updated_by=user)
        )
        if done.rowcount != 1:
            skipped.append(
                Skipped(row.watch_id, NOT_OPEN.format(status=_status_word(session, row.watch_id)))
            )
            continue
        withdraw_invitation(session=session, clock=clock, watch_id=row.watch_id)
        row.cleaned_at, row.cleaned_by, row.clean_reason = now, user, why
        session.add(row)
        closed.append(row.watch_id)
    session.flush()
    audit_event(
        session,
        table="watch",
        row_id=None,
        summary=f"Rensning beställning {order_no}: {len(closed)} avslutade ({why})",
    )
    message = f"{len(closed)} av {len(watch_ids)} bevakningar avslutade"
    if skipped:
        message += "; " + ", ".join(f"{s.watch_id}: {s.why}" for s in skipped)
    return CleanResult(closed=tuple(closed), skipped=tuple(skipped), message=message)


def cleaned(*, session: Session, order_no: int) -> list[CleanedLine]:
    """4 Översikt rensningar: the order's closed watches with who, when and why."""
    r, w, p = models.WatchSearchResult, models.Watch, models.Patient
    rows = session.exec(
        select(r, p)
        .join(w, col(w.id) == r.watch_id)
        .join(p, col(p.id) == w.patient_id)
        .where(r.order_id == order_no, col(r.cleaned_at).isnot(None))
        .order_by(col(r.cleaned_at), col(r.position))
    ).all()
    return [
        CleanedLine(
            watch_id=row.watch_id,
            patient_name=f"{patient.first_name} {patient.last_name}",
            personnummer=format_personnummer(patient.personnummer),
            cleaned_at=from_utc_naive(row.cleaned_at).replace(tzinfo=None),  # type: ignore[arg-type]
            cleaned_by=row.cleaned_by or "",
            reason=row.clean_reason,
        )
        for row, patient in rows
    ]


def move_watches(
    *,
    session: Session,
    clock: Clock,
    order_no: int,
    watch_ids: list[int],
    caregiver_signature: str,
    confirmed: bool = False,
) -> MoveResult:
    """6 Byte av vårdgivare: the chosen open watches get another caregiver. Where the new
    caregiver has no matching schedule in a watch's window, the offered-slot engine says so and
    (unless `confirmed`) nothing is moved: the warnings are returned to be confirmed first."""
    from pasis_tui.core.offers import offers_for_watch

    rows = _chosen(session, order_no, watch_ids)
    order = session.get(models.WatchSearchOrder, order_no)
    assert order is not None
    caregiver = session.exec(
        select(models.Caregiver).where(
            models.Caregiver.unit_id == order.unit_id,
            func.upper(models.Caregiver.signature) == caregiver_signature.strip().upper(),
        )
    ).first()
    if caregiver is None or caregiver.id is None:
        raise PasisError(CAREGIVER_UNKNOWN, field="caregiver")
    now = utc_naive(clock.now())
    user = session.info.get("user", "")
    savepoint = session.begin_nested()
    moved: list[int] = []
    skipped: list[Skipped] = []
    warnings: list[str] = []
    for row in rows:
        watch = session.get(models.Watch, row.watch_id)
        assert watch is not None
        if watch.status != models.WatchStatus.OPEN:
            status = _status_word(session, row.watch_id)
            skipped.append(Skipped(row.watch_id, NOT_OPEN.format(status=status)))
            continue
        if watch.caregiver_id == caregiver.id:
            skipped.append(Skipped(row.watch_id, SAME_CAREGIVER))
            continue
        row.moved_from_caregiver_id = watch.caregiver_id
        row.moved_at, row.moved_by = now, user
        watch.caregiver_id = caregiver.id
        session.add_all([watch, row])
        session.flush()
        if watch.watch_type == models.WatchType.OPEN_INVITATION:
            offers = offers_for_watch(session=session, clock=clock, watch_id=row.watch_id)
            blocking = offers.blocking
            if blocking is not None and blocking.condition != "sent":
                warnings.append(f"Bevakning {row.watch_id}: {blocking.text}")
        moved.append(row.watch_id)
    if warnings and not confirmed:
        savepoint.rollback()
        message = f"{len(warnings)} bevakningar får inga tider hos {caregiver.signature}: bekräfta"
        return MoveResult((), tuple(skipped), tuple(warnings), False, message)
    savepoint.commit()
    message = f"{len(moved)} av {len(watch_ids)} bevakningar flyttade till {caregiver.signature}"
    return MoveResult(tuple(moved), tuple(skipped), tuple(warnings), True, message)


@dataclass(frozen=True)
class Recipient:
    """7 Bevakningsbrev: a patient of the order whose watch is open, and how her letter goes."""

    watch_id: int
    personnummer: str
    patient_name: str
    channel: str  # "1177" or "Post"


@dataclass(frozen=True)
class Recipients:
    lines: tuple[Recipient, ...]  # the first `limit`, in list order
    digital: int
    paper: int


def channel(patient: models.Patient) -> str:
    """A letter goes by 1177 to a patient with an account and digital mail, else by post."""
    return "1177" if patient.has_1177_account and patient.digital_mail else "Post"


def _open_on_list(
    session: Session, listed: list[int]
) -> dict[int, tuple[models.Watch, models.Patient]]:
    """The open watches of a list with their patients, in list order."""
    w, p = models.Watch, models.Patient
    found: dict[int | None, tuple[models.Watch, models.Patient]] = {}
    for part in chunks(listed):
        query = select(w, p).join(p, col(p.id) == w.patient_id)
        query = query.where(col(w.id).in_(part), w.status == models.WatchStatus.OPEN)
        found.update((watch.id, (watch, patient)) for watch, patient in session.exec(query))
    return {i: found[i] for i in listed if i in found}


def letter_recipients(*, session: Session, order_no: int, limit: int) -> Recipients:
    """Who Skicka would write to now, and by which way (the first `limit` of them listed)."""
    found = _open_on_list(session, order_ids(session=session, order_no=order_no))
    lines = [
        Recipient(
            watch_id=watch_id,
            personnummer=format_personnummer(patient.personnummer),
            patient_name=f"{patient.first_name} {patient.last_name}",
            channel=channel(patient),
        )
        for watch_id, (_watch, patient) in found.items()
    ]
    digital = sum(1 for line in lines if line.channel == "1177")
    return Recipients(tuple(lines[:limit]), digital=digital, paper=len(lines) - digital)


def send_letters(*, session: Session, clock: Clock, order_no: int, text: str) -> LetterResult:
    """7 Bevakningsbrev: a letter to each patient of the order whose watch is still open — a 1177
    message to those with an account and digital mail, the rest gathered as paper letters (the
    text to print or write to a file)."""
    body = _text_limit(
        text, limit=LETTER_LIMIT, empty=LETTER_REQUIRED, long=LETTER_LONG, field="letter_text"
    )
    listed = order_ids(session=session, order_no=order_no)
    found = _open_on_list(session, listed)
    result_rows = _result_rows(session, order_no, list(found), listed)
    rows = [(row, *found[row.watch_id]) for row in result_rows]
    now_utc = utc_naive(clock.now())
    digital: list[int] = []
    paper: list[int] = []
    pages: list[str] = []
    for row, watch, patient in rows:
        clinic = session.get(models.Clinic, watch.clinic_id) if watch.clinic_id else None
        greeting = f"Hej {patient.first_name},\n\n{body}"
        if channel(patient) == "1177":
            session.add(
                models.Message(
                    patient_id=patient.id,  # type: ignore[arg-type]
                    kind=models.MessageKind.INFORMATION,
                    watch_id=watch.id,
                    clinic_name=(clinic.name if clinic else "")[:80],
                    subject=LETTER_SUBJECT,
                    body=greeting,
                    sent_at=now_utc,
                )
            )
            row.letter_channel = "1177"
            digital.append(watch.id)  # type: ignore[arg-type]
        else:
            pages.append(
                f"{patient.first_name} {patient.last_name}\n{patient.city}\n"
                f"{format_personnummer(patient.personnummer)}\n\n{greeting}\n"
            )
            row.letter_channel = "Post"
            paper.append(watch.id)  # type: ignore[arg-type]
        row.letter_sent_at = now_utc
        session.add(row)
    session.flush()
    message = f"Bevakningsbrev: {len(digital)} via 1177, {len(paper)} per post"
    return LetterResult(tuple(digital), tuple(paper), "\f\n".join(pages), message)
