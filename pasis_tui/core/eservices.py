"""A clinic's 1177 e-tjänster (seed 8): Boka tid, Omboka eller avboka tid, Kontakta oss för att
omboka eller avboka tid — each on or off; a service that is off is not offered on the 1177 side."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError

CLINIC_UNKNOWN = "Okänd mottagning"
SERVICE_OFF = "{clinic} erbjuder inte e-tjänsten {service} i 1177"
#: SP 090's warning when an ÖK is saved for a clinic that does not offer Boka tid (seed 8).
NO_BOOKING_WARNING = (
    "Obs! {clinic} har inte e-tjänsten Boka tid: patienten kan inte boka kallelsen i 1177"
)


class Eservice(StrEnum):
    """The three e-tjänster of 1177 tidbokning, by their names in Personalverktyget."""

    BOOK = "Boka tid"
    CHANGE = "Omboka eller avboka tid"
    CONTACT = "Kontakta oss för att omboka eller avboka tid"


_COLUMN = {
    Eservice.BOOK: "eservice_book",
    Eservice.CHANGE: "eservice_change",
    Eservice.CONTACT: "eservice_contact",
}


@dataclass(frozen=True)
class ClinicEservices:
    """One row of the e-tjänster screen."""

    clinic_id: int
    clinic_code: str
    clinic_name: str
    book: bool
    change: bool
    contact: bool

    def is_on(self, service: Eservice) -> bool:
        return {Eservice.BOOK: self.book, Eservice.CHANGE: self.change}.get(service, self.contact)


def _row(clinic: models.Clinic) -> ClinicEservices:
    assert clinic.id is not None
    return ClinicEservices(
        clinic_id=clinic.id,
        clinic_code=clinic.code,
        clinic_name=clinic.name,
        book=clinic.eservice_book,
        change=clinic.eservice_change,
        contact=clinic.eservice_contact,
    )


def _clinic(session: Session, clinic_id: int) -> models.Clinic:
    clinic = session.get(models.Clinic, clinic_id)
    if clinic is None:
        raise PasisError(CLINIC_UNKNOWN, field="clinic")
    return clinic


def list_eservices(*, session: Session, unit_id: int) -> tuple[ClinicEservices, ...]:
    """The e-tjänster of every clinic of a unit, by clinic code."""
    clinics = session.exec(
        select(models.Clinic)
        .where(models.Clinic.unit_id == unit_id)
        .order_by(col(models.Clinic.code))
    ).all()
    return tuple(_row(clinic) for clinic in clinics)


def clinic_eservices(*, session: Session, clinic_id: int) -> ClinicEservices:
    return _row(_clinic(session, clinic_id))


def set_eservices(
    *, session: Session, clinic_id: int, book: bool, change: bool, contact: bool
) -> ClinicEservices:
    """Turn a clinic's e-tjänster on or off (stamped and audited by the session)."""
    clinic = _clinic(session, clinic_id)
    clinic.eservice_book = book
    clinic.eservice_change = change
    clinic.eservice_contact = contact
    session.add(clinic)
    session.flush()
    return _row(clinic)


def is_offered(*, session: Session, clinic_id: int, service: Eservice) -> bool:
    return bool(getattr(_clinic(session, clinic_id), _COLUMN[service]))


def require_eservice(*, session: Session, clinic_id: int, service: Eservice) -> None:
    """Raise the 1177 side's refusal when the clinic has the service off."""
    clinic = _clinic(session, clinic_id)
    if not getattr(clinic, _COLUMN[service]):
        raise PasisError(
            SERVICE_OFF.format(clinic=clinic.name, service=service.value), field="eservice"
        )


def booking_warning(*, session: Session, clinic_id: int | None) -> str | None:
    """The warning SP 090 shows when an ÖK is saved for a clinic without Boka tid, else None."""
    if clinic_id is None:
        return None
    clinic = _clinic(session, clinic_id)
    return None if clinic.eservice_book else NO_BOOKING_WARNING.format(clinic=clinic.name)
