"""What the 1177 side sends when the application clock moves (or a server's timer fires): the
invitations that became due with their Invånarmall information, and the SMS reminders that
became due — in one transaction, each message exactly once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from pasis_tui.core.clock import Clock
from pasis_tui.core.invitations import SendResult, send_due_invitations
from pasis_tui.core.reminders import send_due_reminders


@dataclass(frozen=True)
class DispatchResult:
    invitations: SendResult
    reminders: int

    @property
    def message(self) -> str:
        """For the status line, e.g. "2 kallelser skickade, 1 SMS-påminnelse skickad"."""
        parts = []
        if self.invitations.sent:
            parts.append(self.invitations.message)
        if self.reminders:
            plural = "SMS-påminnelser skickade" if self.reminders > 1 else "SMS-påminnelse skickad"
            parts.append(f"{self.reminders} {plural}")
        return ", ".join(parts) if parts else "Inget blev aktuellt"


def dispatch_due(*, session: Session, clock: Clock) -> DispatchResult:
    """Send what is due now, in the caller's transaction."""
    invitations = send_due_invitations(session=session, clock=clock)
    reminders = send_due_reminders(session=session, clock=clock)
    return DispatchResult(invitations=invitations, reminders=reminders)


def dispatch(*, engine: Engine, clock: Clock, user: str) -> DispatchResult:
    """One run in its own transaction (the app's worker after a clock move, a server's timer)."""
    from pasis_tui.core.db import write_session

    with write_session(engine, user=user, clock=clock) as session:
        return dispatch_due(session=session, clock=clock)
