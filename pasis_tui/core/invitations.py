"""Sending open invitations to the patient's 1177 inbox, exactly once, and withdrawing them.

An ÖK watch has one Invitation (the database: one per watch), due at Skicka till 1177 or, when
that is empty, at the next whole hour after saving ("inom 1 timme", seed 5.1). A sender — the
app's worker on the application clock, or `send_due_invitations` from a server's timer — puts
the Kallelse in the inbox and marks the invitation sent in one savepoint: the message first (the
partial unique index allows one Kallelse per watch), then a conditional UPDATE that must touch
exactly one row. Two senders at once: one wins, the other changes nothing. State lives in the
database only, so a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.clock import Clock, from_utc_naive, utc_naive
from pasis_tui.core.code_lists import CodeList, name_of
from pasis_tui.core.hsa import mapped_name

INVITATION_SUBJECT = "Kallelse: boka tid hos {clinic}"
WITHDRAWN_SUBJECT = "Kallelsen är återkallad"
WITHDRAWN_BODY = (
    "Kallelsen från {clinic} ({purpose}) gäller inte längre och kan inte bokas. "
    "Mottagningen kontaktar dig om det behövs."
)
#: "Kallelsen gäller": the visit's kind by kontakttyp (seed 7: "Besök Läkare").
VISIT_KIND = {
    models.ContactType.NEW: "Besök",
    models.ContactType.RETURN: "Besök",
    models.ContactType.PHONE: "Telefonkontakt",
    models.ContactType.PHONE_QUALIFIED: "Telefonkontakt",
}
#: How many invitations one sender run handles (a timer runs again soon).
SEND_BATCH = 500


@dataclass(frozen=True)
class SentInvitation:
    invitation_id: int
    watch_id: int
    patient_id: int
    patient_name: str
    sent_at: dt.datetime  # Swedish local time

    @property
    def text(self) -> str:
        return f"Kallelse skickad till {self.patient_name} {self.sent_at:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class SendResult:
    sent: tuple[SentInvitation, ...]

    @property
    def message(self) -> str:
        if not self.sent:
            return "Inga kallelser att skicka"
        names = ", ".join(item.patient_name for item in self.sent[:5])
        more = f" och {len(self.sent) - 5} till" if len(self.sent) > 5 else ""
        return f"{len(self.sent)} kallelser skickade till 1177: {names}{more}"


def due_time(*, saved_at: dt.datetime, send_at: dt.datetime | None) -> dt.datetime:
    """When an invitation is due (naive UTC): Skicka till 1177, else the next whole hour."""
    if send_at is not None:
        return send_at
    hour = saved_at.replace(minute=0, second=0, microsecond=0)
    return hour + dt.timedelta(hours=1)


def schedule_invitation(*, session: Session, clock: Clock, watch: models.Watch) -> None:
    """After an ÖK watch is saved: create its invitation, or move a not yet sent one's due time."""
    assert watch.id is not None
    invitation = session.exec(
        select(models.Invitation).where(models.Invitation.watch_id == watch.id)
    ).first()
    due = due_time(saved_at=utc_naive(clock.now()), send_at=watch.send_to_1177_at)
    if invitation is None:
        session.add(models.Invitation(watch_id=watch.id, patient_id=watch.patient_id, due_at=due))
    elif invitation.sent_at is None and invitation.withdrawn_at is None:
        if invitation.due_at != due and (
            watch.send_to_1177_at is not None or invitation.due_at < due
        ):
            invitation.due_at = due
            session.add(invitation)
    session.flush()


def invitation_body(session: Session, watch: models.Watch, *, day: dt.date) -> tuple[str, str]:
    """The Kallelse as seed 7's picture shows it: (mottagning, body); never Intern text."""
    clinic = session.get(models.Clinic, watch.clinic_id) if watch.clinic_id else None
    caregiver = session.get(models.Caregiver, watch.caregiver_id) if watch.caregiver_id else None
    mapping = (
        mapped_name(session=session, clinic_id=clinic.id, day=day)
        if clinic is not None and clinic.id is not None
        else None
    )
    clinic_name = mapping.name if mapping else (clinic.name if clinic else "")
    category = watch.caregiver_category or (caregiver.category if caregiver else "")
    category_name = name_of(CodeList.CAREGIVER_CATEGORY, category) or (
        caregiver.category_name if caregiver else ""
    )
    kind = (
        VISIT_KIND.get(models.ContactType(watch.contact_type), "Besök")
        if watch.contact_type
        else "Besök"
    )
    concerns = f"{kind} {category_name.capitalize()}".strip()
    who = caregiver.signature if caregiver else ""
    if who and category_name:
        who = f"{who}, {category_name}"
    lines = [
        f"Kallelsen gäller: {concerns}",
        f"Mottagning: {clinic_name}",
        f"Du får boka tid till: {who}",
        f"Ort: {clinic.city if clinic else ''}",
        f"Syfte: {watch.purpose}",
        "",
        "Vänligen välj Boka tid för att reservera en tid som passar dig.",
    ]
    return clinic_name, "\n".join(lines)


class _NotSent(Exception):
    """Raised inside the savepoint when another sender (or a withdrawal) came first."""


def send_due_invitations(*, session: Session, clock: Clock, limit: int = SEND_BATCH) -> SendResult:
    """Send every invitation that is due, not sent and not withdrawn, each exactly once."""
    now = clock.now()
    now_utc = utc_naive(now)
    due = session.exec(
        select(models.Invitation.id)
        .where(
            col(models.Invitation.sent_at).is_(None),
            col(models.Invitation.withdrawn_at).is_(None),
            col(models.Invitation.due_at) <= now_utc,
        )
        .order_by(col(models.Invitation.due_at), col(models.Invitation.id))
        .limit(limit)
    ).all()
    sent: list[SentInvitation] = []
    for invitation_id in due:
        assert invitation_id is not None
        item = _send_one(session, invitation_id=invitation_id, now=now)
        if item is not None:
            sent.append(item)
    return SendResult(sent=tuple(sent))


def _send_one(session: Session, *, invitation_id: int, now: dt.datetime) -> SentInvitation | None:
    now_utc = utc_naive(now)
    invitation = session.get(models.Invitation, invitation_id)
    if invitation is None:
        return None
    watch = session.get(models.Watch, invitation.watch_id)
    patient = session.get(models.Patient, invitation.patient_id)
    assert watch is not None and patient is not None
    clinic_name, body = invitation_body(session, watch, day=now.date())
    try:
        with session.begin_nested():
            message = models.Message(
                patient_id=invitation.patient_id,
                kind=models.MessageKind.INVITATION,
                watch_id=invitation.watch_id,
                clinic_name=clinic_name[:80],
                subject=INVITATION_SUBJECT.format(clinic=clinic_name)[:120],
                body=body,
                sent_at=now_utc,
            )
            session.add(message)
            session.flush()
            claimed = session.connection().execute(
                update(models.Invitation)
                .where(
                    col(models.Invitation.id) == invitation_id,
                    col(models.Invitation.sent_at).is_(None),
                    col(models.Invitation.withdrawn_at).is_(None),
                )
                .values(sent_at=now_utc, message_id=message.id, updated_at=now_utc)
            )
            if claimed.rowcount != 1:
                raise _NotSent
            _send_citizen_template(session, watch, clinic_name=clinic_name, now_utc=now_utc)
    except (IntegrityError, _NotSent):
        session.expire(invitation)
        return None
    session.expire(invitation)
    return SentInvitation(
        invitation_id=invitation_id,
        watch_id=invitation.watch_id,
        patient_id=invitation.patient_id,
        patient_name=f"{patient.first_name} {patient.last_name}",
        sent_at=from_utc_naive(now_utc),
    )


def _send_citizen_template(
    session: Session, watch: models.Watch, *, clinic_name: str, now_utc: dt.datetime
) -> None:
    """Seed 10: the Invånarmall chosen on the watch goes to the inbox with the invitation."""
    if watch.citizen_template_id is None:
        return
    template = session.get(models.CitizenTemplate, watch.citizen_template_id)
    if template is None:
        return
    session.add(
        models.Message(
            patient_id=watch.patient_id,
            kind=models.MessageKind.INFORMATION,
            watch_id=watch.id,
            clinic_name=clinic_name[:80],
            subject=template.title[:120],
            body=template.body,
            sent_at=now_utc,
        )
    )
    session.flush()


def withdraw_invitation(*, session: Session, clock: Clock, watch_id: int) -> bool:
    """Borttag: the invitation is withdrawn; if it had reached the inbox, an Information message
    tells the patient. Returns whether the patient was told."""
    invitation = session.exec(
        select(models.Invitation).where(models.Invitation.watch_id == watch_id)
    ).first()
    if invitation is None or invitation.withdrawn_at is not None:
        return False
    now_utc = utc_naive(clock.now())
    withdrawn = session.connection().execute(
        update(models.Invitation)
        .where(
            col(models.Invitation.id) == invitation.id,
            col(models.Invitation.withdrawn_at).is_(None),
        )
        .values(withdrawn_at=now_utc, withdrawn_by=session.info.get("user", "")[:12])
    )
    session.expire(invitation)
    if withdrawn.rowcount != 1:
        return False
    session.refresh(invitation)
    if invitation.sent_at is None:
        return False
    watch = session.get(models.Watch, watch_id)
    assert watch is not None
    clinic_name, _body = invitation_body(session, watch, day=clock.now().date())
    session.add(
        models.Message(
            patient_id=invitation.patient_id,
            kind=models.MessageKind.INFORMATION,
            watch_id=watch_id,
            clinic_name=clinic_name[:80],
            subject=WITHDRAWN_SUBJECT,
            body=WITHDRAWN_BODY.format(clinic=clinic_name, purpose=watch.purpose or "besök"),
            sent_at=now_utc,
        )
    )
    session.flush()
    return True


def send_due(*, engine: Engine, clock: Clock, user: str) -> SendResult:
    """One sender run in its own transaction: the app's worker and the server's timer call this."""
    from pasis_tui.core.db import write_session

    with write_session(engine, user=user, clock=clock) as session:
        return send_due_invitations(session=session, clock=clock)
