"""SQLModel tables for the whole Pasis domain of SPEC.md (identifiers in English, see its glossary).

Instants (stamps, send times, slot starts for "hours before" rules) are stored as naive UTC;
calendar facts (a slot's day and wall-clock start) as naive Swedish local time beside them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)


def _unique_where(name: str, *columns: str, where: str) -> Index:
    """A partial unique index, the same on SQLite and PostgreSQL (ENGINEERING.md)."""
    return Index(
        name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where)
    )


def _in(column: str, values: type[StrEnum]) -> str:
    quoted = ", ".join("'" + v.value.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


class ActivityType(StrEnum):
    """Aktivitetstyp (seed 3.2)."""

    BOOKABLE = "Bokningsbar tid"
    MAYBE_BOOKABLE = "Ev. bokningsbar tid"
    NOT_BOOKABLE = "Ej bokningsbar tid"
    GROUP = "Grupptid"
    PHONE = "Telefontid"


#: Activity types that can carry 1177-nivå 3/4 and be offered in an open invitation (seed 3.2).
BOOKABLE_TYPES = frozenset({ActivityType.BOOKABLE, ActivityType.GROUP, ActivityType.PHONE})


class ContactType(StrEnum):
    """Kontakttyp of an activity or a watch (seed 5.1–5.3)."""

    NEW = "NY"
    RETURN = "ÅB"
    PHONE = "TE"
    PHONE_QUALIFIED = "KT"


CONTACT_TYPE_NAMES = {
    ContactType.NEW: "NYBESÖK",
    ContactType.RETURN: "ÅTERBESÖK",
    ContactType.PHONE: "TELEFON",
    ContactType.PHONE_QUALIFIED: "TELEFON KVAL",
}


class TemplateStatus(StrEnum):
    WORKING = "Arbetskopia"
    PUBLISHED = "Publicerad"
    RETIRED = "Ersatt"


class ScheduleStatus(StrEnum):
    PRELIMINARY = "Preliminär"
    PUBLISHED = "Publicerad"


class ResourceKind(StrEnum):
    """Vårdgivarschema is laid on a caregiver, Plattschema on a place (room, equipment)."""

    CAREGIVER = "Vårdgivare"
    PLACE = "Plats"


class WatchType(StrEnum):
    """Bevakningstyp in SP 090; ÖK is the open invitation."""

    OPEN_INVITATION = "ÖK"
    WAITING_LIST = "V"
    RETURN_VISIT = "ÅB"
    REFERRAL = "R"


class WatchStatus(StrEnum):
    OPEN = "Öppen"
    BOOKED = "Bokad"
    CLOSED = "Avslutad"


class BookingStatus(StrEnum):
    ACTIVE = "Bokad"
    CANCELLED = "Avbokad"
    REBOOKED = "Ombokad"


class BookedVia(StrEnum):
    CITIZEN = "1177"
    STAFF = "Personal"


class MessageKind(StrEnum):
    """Kinds of 1177 inbox messages (SPEC.md, the 1177 row)."""

    INVITATION = "Kallelse"
    CONFIRMATION = "Bekräftelse"
    DIGITAL_LETTER = "Digital kallelse"
    REBOOKING = "Ombokning"
    CANCELLATION = "Avbokning"
    INFORMATION = "Information"


class LetterKind(StrEnum):
    TEMPLATE = "Brevmall"
    CODE = "Brevkod"
    STANDARD_TEXT = "Std"


class AuditAction(StrEnum):
    INSERT = "Ny"
    UPDATE = "Ändrad"
    DELETE = "Borttag"
    EVENT = "Händelse"


# --------------------------------------------------------------------------------------------
# Stamps: every record shows Upplagd / Ändrad with date and the user's signature.


class Stamped(SQLModel):
    """Upplagd/Ändrad; filled in by the session's flush hook (pasis_tui.core.db)."""

    created_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    created_by: str = Field(default="", max_length=12)
    updated_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    updated_by: str | None = Field(default=None, max_length=12)


# --------------------------------------------------------------------------------------------
# Organisation


class UnitBase(SQLModel):
    prefix: str = Field(default="16", max_length=4)
    code: str = Field(max_length=8)
    name: str = Field(max_length=60)


class Unit(UnitBase, Stamped, table=True):
    """Enhet, shown as prefix and code: `16 KIR`."""

    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (UniqueConstraint("code"),)


class ClinicBase(SQLModel):
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str = Field(max_length=8)
    name: str = Field(max_length=80)
    city: str = Field(default="", max_length=40)


class Clinic(ClinicBase, Stamped, table=True):
    """Mottagning (Mott), e.g. M11 REUM DAGSJUKVÅRD MALMÖ."""

    id: int | None = Field(default=None, primary_key=True)
    # seed 8: the clinic's 1177 e-tjänster — Boka tid; Omboka eller avboka tid; Kontakta oss för
    # att omboka eller avboka tid. A service that is off is not offered on the 1177 side.
    eservice_book: bool = True
    eservice_change: bool = True
    eservice_contact: bool = True
    __table_args__ = (UniqueConstraint("unit_id", "code"),)


class HsaMappingBase(SQLModel):
    clinic_id: int = Field(foreign_key="clinic.id", index=True)
    map_type: str = Field(default="", max_length=8)
    valid_from: dt.date = Field(default=FIRST_DATE)
    valid_to: dt.date = Field(default=LAST_DATE)
    org_number: str = Field(max_length=11)
    hsa_id: str = Field(max_length=31)
    name: str = Field(max_length=80)


class HsaMapping(HsaMappingBase, Stamped, table=True):
    """SP 721: the HSA-id and name a clinic is mapped to for a period (the patient's 1177 view);
    one clinic's periods never overlap (database triggers, migration 0002)."""

    __tablename__ = "hsa_mapping"
    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (
        CheckConstraint("valid_from <= valid_to", name="period"),
        UniqueConstraint("clinic_id", "map_type", "valid_from"),
    )


class CaregiverBase(SQLModel):
    unit_id: int = Field(foreign_key="unit.id", index=True)
    signature: str = Field(max_length=12)
    name: str = Field(max_length=60)
    category: str = Field(default="", max_length=8)
    category_name: str = Field(default="", max_length=30)
    kind: ResourceKind = Field(default=ResourceKind.CAREGIVER, sa_type=String(12))


class Caregiver(CaregiverBase, Stamped, table=True):
    """Vårdgivare (or a place for Plattschema), with vårdgivarkategori (Vg-kat)."""

    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (
        UniqueConstraint("unit_id", "signature"),
        CheckConstraint(_in("kind", ResourceKind), name="kind"),
    )


# --------------------------------------------------------------------------------------------
# Reference data


class BookingTypeBase(SQLModel):
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=200)
    visible_to_patient: bool
    cancellable: bool
    rebookable: bool
    sms_reminder: bool


class BookingType(BookingTypeBase, table=True):
    """A PMO Tidbokstyp på 1177 (seed 002) with its four flags."""

    __tablename__ = "booking_type"
    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (UniqueConstraint("name"),)


class LetterTemplateBase(SQLModel):
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: LetterKind = Field(sa_type=String(10))
    code: str = Field(max_length=8)
    name: str = Field(max_length=60)
    body: str = Field(default="", max_length=4000)


class LetterTemplate(LetterTemplateBase, Stamped, table=True):
    """Brevmall (schedule), Brevkod and standard text (Std) of a booking letter."""

    __tablename__ = "letter_template"
    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (
        UniqueConstraint("unit_id", "kind", "code"),
        CheckConstraint(_in("kind", LetterKind), name="kind"),
    )


# --------------------------------------------------------------------------------------------
# SP 270: activities and day templates


class ActivityBase(SQLModel):
    code: str = Field(max_length=4)
    name: str = Field(max_length=40)
    activity_type: ActivityType = Field(sa_type=String(20))
    contact_type: ContactType | None = Field(default=None, sa_type=String(2))
    valid_from: dt.date = Field(default=FIRST_DATE)
    valid_to: dt.date = Field(default=LAST_DATE)
    booking_type_id: int | None = Field(default=None, foreign_key="booking_type.id")


class Activity(ActivityBase, Stamped, table=True):
    """Aktivitet; `unit_id` None marks one of the seven general activities (seed 3.2)."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    __table_args__ = (
        CheckConstraint("length(code) BETWEEN 1 AND 4", name="code_length"),
        CheckConstraint("valid_from <= valid_to", name="period"),
        CheckConstraint(_in("activity_type", ActivityType), name="activity_type"),
        CheckConstraint(
            "contact_type IS NULL OR " + _in("contact_type", ContactType), name="contact_type"
        ),
        Index("uq_activity_unit_code", "unit_id", "code", unique=True),
        _unique_where("uq_activity_general_code", "code", where="unit_id IS NULL"),
    )


class DayTemplate(Stamped, table=True):
    """Dagmall identity (code per unit); its content lives in versions."""

    __tablename__ = "day_template"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    code: str = Field(max_length=4)
    __table_args__ = (
        UniqueConstraint("unit_id", "code"),
        CheckConstraint("length(code) BETWEEN 1 AND 4", name="code_length"),
    )


class DayTemplateVersionBase(SQLModel):
    name: str = Field(max_length=40)
    fixed: bool = True
    overbookings: int = Field(default=999)
    valid_from: dt.date = Field(default=FIRST_DATE)
    valid_to: dt.date = Field(default=LAST_DATE)
    resolution: str = Field(default="näst högsta", max_length=20)
    from_time: dt.time = Field(default=dt.time(8, 0))


class DayTemplateVersion(DayTemplateVersionBase, Stamped, table=True):
    """One version of a day template: the Arbetskopia, or a published (read-only) version."""

    __tablename__ = "day_template_version"
    id: int | None = Field(default=None, primary_key=True)
    template_id: int = Field(foreign_key="day_template.id", index=True)
    version_no: int = 1
    status: TemplateStatus = Field(default=TemplateStatus.WORKING, sa_type=String(12))
    published_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    published_by: str | None = Field(default=None, max_length=12)
    __table_args__ = (
        UniqueConstraint("template_id", "version_no"),
        CheckConstraint(_in("status", TemplateStatus), name="status"),
        CheckConstraint("overbookings BETWEEN 0 AND 999", name="overbookings"),
        CheckConstraint("valid_from <= valid_to", name="period"),
        _unique_where(
            "uq_day_template_version_one_working", "template_id", where="status = 'Arbetskopia'"
        ),
    )


class DayTemplateRowBase(SQLModel):
    activity_id: int = Field(foreign_key="activity.id", index=True)
    start_time: dt.time
    end_time: dt.time
    visit_length_min: int | None = None
    reason: str = Field(default="", max_length=40)
    level_1177: int = 0
    seats: int = 1


class DayTemplateRow(DayTemplateRowBase, Stamped, table=True):
    """A 'Lägg till/Ändra aktivitet' row: an activity from start to end split by visit length."""

    __tablename__ = "day_template_row"
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="day_template_version.id", index=True)
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="times"),
        CheckConstraint("level_1177 BETWEEN 0 AND 4", name="level"),
        CheckConstraint("visit_length_min IS NULL OR visit_length_min > 0", name="length"),
        CheckConstraint("seats >= 1", name="seats"),
    )


# --------------------------------------------------------------------------------------------
# SP 272: schedules and slots


class ScheduleDay(Stamped, table=True):
    """A day template laid on a caregiver's day: preliminary until the schedule is published."""

    __tablename__ = "schedule_day"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    caregiver_id: int = Field(foreign_key="caregiver.id")
    day: dt.date
    template_version_id: int = Field(foreign_key="day_template_version.id", index=True)
    clinic_id: int = Field(foreign_key="clinic.id")
    letter_template_id: int = Field(foreign_key="letter_template.id")
    status: ScheduleStatus = Field(default=ScheduleStatus.PRELIMINARY, sa_type=String(12))
    published_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    published_by: str | None = Field(default=None, max_length=12)
    __table_args__ = (
        CheckConstraint(_in("status", ScheduleStatus), name="status"),
        UniqueConstraint("caregiver_id", "day", "template_version_id"),
        Index("ix_schedule_day_caregiver_day", "caregiver_id", "day"),
    )


class Slot(SQLModel, table=True):
    """A bookable time in the appointment book, created by publishing a schedule day.

    A removed day's slots are kept, marked `removed_at` and detached from the day, so that who
    was booked at what time stays answerable; they are hidden from the Tidbok and from offers.
    """

    id: int | None = Field(default=None, primary_key=True)
    schedule_day_id: int | None = Field(default=None, foreign_key="schedule_day.id", index=True)
    caregiver_id: int = Field(foreign_key="caregiver.id")
    clinic_id: int = Field(foreign_key="clinic.id")
    activity_id: int = Field(foreign_key="activity.id", index=True)
    template_version_id: int = Field(foreign_key="day_template_version.id", index=True)
    letter_template_id: int = Field(foreign_key="letter_template.id", index=True)
    day: dt.date
    starts_at: dt.datetime = Field(sa_type=DateTime)  # Swedish wall-clock time, naive
    ends_at: dt.datetime = Field(sa_type=DateTime)  # Swedish wall-clock time, naive
    starts_at_utc: dt.datetime = Field(
        sa_type=DateTime
    )  # the same instant in UTC, for "N hours before" rules
    # The real end: start + visit length, also when the wall clock repeats an hour (autumn).
    ends_at_utc: dt.datetime = Field(sa_type=DateTime)
    visit_length_min: int
    level_1177: int = 0
    reason: str = Field(default="", max_length=40)
    seats: int = 1
    overbookings: int = 999
    removed_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    removed_by: str | None = Field(default=None, max_length=12)
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="times"),
        CheckConstraint("starts_at_utc < ends_at_utc", name="instants"),
        CheckConstraint("seats >= 1", name="seats"),
        CheckConstraint("level_1177 BETWEEN 0 AND 4", name="level"),
        # The offered-slot query (ENGINEERING.md: 100 ms → 0.07 ms at 1 M slots).
        Index(
            "ix_slot_offer",
            "clinic_id",
            "caregiver_id",
            "activity_id",
            "visit_length_min",
            "level_1177",
            "starts_at",
        ),
        Index("ix_slot_caregiver_start", "caregiver_id", "starts_at"),
    )


# --------------------------------------------------------------------------------------------
# Patients, watches, bookings, messages


class PatientBase(SQLModel):
    personnummer: str = Field(max_length=12, min_length=12)
    first_name: str = Field(max_length=40)
    last_name: str = Field(max_length=40)
    city: str = Field(default="", max_length=40)
    has_1177_account: bool = True
    notifications_on: bool = True
    digital_mail: bool = True
    mobile: str | None = Field(default=None, max_length=20)


class Patient(PatientBase, Stamped, table=True):
    """A patient with her 1177 preferences (account, notifications, digital or paper, mobile)."""

    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (
        UniqueConstraint("personnummer"),
        CheckConstraint("length(personnummer) = 12", name="personnummer_length"),
    )


class WatchBase(SQLModel):
    unit_id: int = Field(foreign_key="unit.id")
    patient_id: int = Field(foreign_key="patient.id", index=True)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")
    caregiver_id: int | None = Field(default=None, foreign_key="caregiver.id")
    caregiver_category: str = Field(default="", max_length=8)
    target_date: dt.date | None = None
    watch_type: WatchType = Field(default=WatchType.OPEN_INVITATION, sa_type=String(4))
    contact_type: ContactType | None = Field(default=None, sa_type=String(2))
    return_decision_date: dt.date | None = None
    visit_length_min: int | None = None
    code: str = Field(default="", max_length=8)
    reason: str = Field(default="", max_length=40)
    internal_diagnosis: str = Field(default="", max_length=10)
    location: str = Field(default="", max_length=10)
    internal_text: str = Field(default="", max_length=200)
    referral: str = Field(default="", max_length=20)
    waiting_months: int = 0
    confirm_referrer: bool | None = None
    confirm_referrer_printed: dt.date | None = None  # Utskrivet: the confirmation went out
    confirm_patient: bool | None = None
    confirm_patient_printed: dt.date | None = None
    short_notice: str = Field(default="", max_length=10)
    watch_letter: bool = False
    watch_letter_code: str = Field(default="", max_length=8)
    watch_letter_printed: dt.date | None = None
    booking_letter: bool = False
    booking_letter_code: str = Field(default="", max_length=8)
    booking_standard_text: str = Field(default="", max_length=8)
    letter_text: str = Field(default="", max_length=400)
    activity_id: int | None = Field(default=None, foreign_key="activity.id")
    cause: str = Field(default="", max_length=20)
    payment_method: str = Field(default="", max_length=20)
    fee_exempt_reason: str = Field(default="", max_length=40)
    patient_may_cancel: bool | None = None  # empty means yes (seed 5.1)
    send_to_1177_at: dt.datetime | None = Field(
        default=None, sa_type=DateTime
    )  # naive UTC; empty = within one hour
    book_from: dt.date | None = None
    book_to: dt.date | None = None
    purpose: str = Field(default="", max_length=80)
    cancelled_by: str = Field(default="", max_length=12)
    # seed 10: an Invånarmall whose information message goes with the invitation.
    citizen_template_id: int | None = Field(default=None, foreign_key="citizen_template.id")
    # Detalj (seed 5.1): Problem/Diagnos, Kontrollpat (JA/NEJ, NEJ by default), Datum.
    detail_problem: str = Field(default="", max_length=40)
    control_patient: bool = False
    detail_date: dt.date | None = None


class Watch(WatchBase, Stamped, table=True):
    """Bevakning (SP 090); type ÖK sends an open invitation to the patient's 1177 inbox."""

    id: int | None = Field(default=None, primary_key=True)
    status: WatchStatus = Field(default=WatchStatus.OPEN, sa_type=String(10))
    __table_args__ = (
        CheckConstraint(_in("status", WatchStatus), name="status"),
        CheckConstraint(_in("watch_type", WatchType), name="watch_type"),
        CheckConstraint(
            "contact_type IS NULL OR " + _in("contact_type", ContactType), name="contact_type"
        ),
        CheckConstraint("length(purpose) <= 80", name="purpose_length"),
        CheckConstraint(
            "book_from IS NULL OR book_to IS NULL OR book_from <= book_to", name="book_window"
        ),
        # seed 5.1: the Var field cannot be used with öppen kallelse.
        CheckConstraint("watch_type <> 'ÖK' OR location = ''", name="ok_without_location"),
        # SP 191's "Vid ÖK, boka t o m passerat" sorted by Datum, read from the index alone.
        Index("ix_watch_search", "unit_id", "watch_type", "status", "book_to", "target_date"),
    )


class Booking(SQLModel, table=True):
    """A patient in one seat of a slot; the database allows one active booking per seat."""

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="slot.id", index=True)
    seat_no: int = 1
    patient_id: int = Field(foreign_key="patient.id", index=True)
    watch_id: int | None = Field(default=None, foreign_key="watch.id", index=True)
    status: BookingStatus = Field(default=BookingStatus.ACTIVE, sa_type=String(10))
    booked_via: BookedVia = Field(default=BookedVia.STAFF, sa_type=String(10))
    overbooked: bool = False
    booked_at: dt.datetime = Field(sa_type=DateTime)
    booked_by: str = Field(max_length=12)
    cancelled_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_by: str | None = Field(default=None, max_length=12)
    cancelled_via: BookedVia | None = Field(default=None, sa_type=String(10))
    cancel_reason: str = Field(default="", max_length=80)
    rebooked_from_id: int | None = Field(default=None, foreign_key="booking.id")
    # How many rebookings lie behind this booking in its chain (0: the first booking), so SP 177's
    # Patientombokningar can be checked without walking the chain.
    rebooking_no: int = 0
    __table_args__ = (
        CheckConstraint(_in("status", BookingStatus), name="status"),
        CheckConstraint("seat_no >= 1", name="seat_no"),
        CheckConstraint("rebooking_no >= 0", name="rebooking_no"),
        CheckConstraint(
            "cancelled_via IS NULL OR " + _in("cancelled_via", BookedVia), name="cancelled_via"
        ),
        CheckConstraint("(rebooked_from_id IS NULL) = (rebooking_no = 0)", name="rebooking_chain"),
        # Statistik reads a period's bookings and cancellations from these alone (statistics.py).
        Index("ix_booking_booked", "booked_at", "booked_via", "rebooked_from_id", "slot_id"),
        Index("ix_booking_cancelled", "cancelled_at", "cancelled_via", "status", "slot_id"),
        # A booking is rebooked at most once: two racing rebookings cannot both succeed.
        _unique_where(
            "uq_booking_rebooked_from", "rebooked_from_id", where="rebooked_from_id IS NOT NULL"
        ),
        _unique_where("uq_booking_active_seat", "slot_id", "seat_no", where="status = 'Bokad'"),
        # One patient holds at most one active seat of a slot (a seat and an overbooking alike).
        _unique_where(
            "uq_booking_active_patient", "slot_id", "patient_id", where="status = 'Bokad'"
        ),
        _unique_where(
            "uq_booking_active_watch", "watch_id", where="status = 'Bokad' AND watch_id IS NOT NULL"
        ),
    )


class Message(SQLModel, table=True):
    """A message in the patient's 1177 inbox; one invitation per watch, guarded by the database."""

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    kind: MessageKind = Field(sa_type=String(20))
    watch_id: int | None = Field(default=None, foreign_key="watch.id", index=True)
    booking_id: int | None = Field(default=None, foreign_key="booking.id")
    clinic_name: str = Field(default="", max_length=80)
    subject: str = Field(max_length=120)
    body: str = Field(default="", max_length=4000)
    sent_at: dt.datetime = Field(sa_type=DateTime)  # naive UTC
    read_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    __table_args__ = (
        CheckConstraint(_in("kind", MessageKind), name="kind"),
        _unique_where("uq_message_one_invitation", "watch_id", where="kind = 'Kallelse'"),
        Index("ix_message_patient_sent", "patient_id", "sent_at"),
    )


class Invitation(Stamped, table=True):
    """The open invitation of a watch: due at Skicka till 1177 (or within one hour of saving),
    sent once (`sent_at`, with its inbox message), or withdrawn. One per watch, by the database."""

    id: int | None = Field(default=None, primary_key=True)
    watch_id: int = Field(foreign_key="watch.id")
    patient_id: int = Field(foreign_key="patient.id", index=True)
    due_at: dt.datetime = Field(sa_type=DateTime)  # naive UTC
    sent_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    message_id: int | None = Field(default=None, foreign_key="message.id")
    withdrawn_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    withdrawn_by: str | None = Field(default=None, max_length=12)
    __table_args__ = (
        UniqueConstraint("watch_id"),
        CheckConstraint("sent_at IS NULL OR message_id IS NOT NULL", name="sent_with_message"),
        # The sender's query: what is due and neither sent nor withdrawn.
        Index("ix_invitation_due", "sent_at", "withdrawn_at", "due_at"),
    )


class SmsOutbox(SQLModel, table=True):
    """An SMS to send (reminder 48 h before, where the booking type allows it)."""

    __tablename__ = "sms_outbox"
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id")
    booking_id: int | None = Field(default=None, foreign_key="booking.id", index=True)
    mobile: str = Field(max_length=20)
    body: str = Field(max_length=320)
    due_at: dt.datetime = Field(sa_type=DateTime)  # naive UTC
    sent_at: dt.datetime | None = Field(default=None, sa_type=DateTime)
    cancelled_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    __table_args__ = (
        # One reminder waiting per booking: a moved booking moves it, a cancelled one cancels it.
        _unique_where(
            "uq_sms_outbox_one_pending",
            "booking_id",
            where="sent_at IS NULL AND cancelled_at IS NULL",
        ),
        Index("ix_sms_outbox_due", "sent_at", "cancelled_at", "due_at"),
    )


class CitizenTemplate(Stamped, table=True):
    """Invånarmall (seed 10): information a clinic sends with an open invitation."""

    __tablename__ = "citizen_template"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")
    title: str = Field(max_length=120)
    body: str = Field(max_length=4000)


class ContactRequest(Stamped, table=True):
    """Kontakta oss för att omboka eller avboka tid (seed 8): a patient's request, with her own
    text, that staff read and answer where she may not change a booking herself."""

    __tablename__ = "contact_request"
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    clinic_id: int = Field(foreign_key="clinic.id")
    booking_id: int | None = Field(default=None, foreign_key="booking.id")
    text: str = Field(max_length=1000)
    sent_at: dt.datetime = Field(sa_type=DateTime)  # naive UTC
    answered_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    answered_by: str | None = Field(default=None, max_length=12)
    answer: str = Field(default="", max_length=1000)
    __table_args__ = (Index("ix_contact_request_open", "clinic_id", "answered_at"),)


# --------------------------------------------------------------------------------------------
# SP 177 settings and SP 191 orders


#: SP 177's defaults: 0 or an empty value means these (SPEC.md, the SP 177 row).
DEFAULT_SEARCHABLE_WEEKS = 8
DEFAULT_PATIENT_REBOOKINGS = 2
DEFAULT_REBOOK_LIMIT_HOURS = 24
DEFAULT_CANCEL_LIMIT_HOURS = 24


class Settings1177Base(SQLModel):
    unit_id: int = Field(foreign_key="unit.id")
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")
    valid_from: dt.date = Field(default=FIRST_DATE)
    valid_to: dt.date = Field(default=LAST_DATE)
    searchable_weeks: int | None = None  # 1–999, empty or 0: DEFAULT_SEARCHABLE_WEEKS
    patient_rebookings: int | None = None  # 1–999, empty or 0: DEFAULT_PATIENT_REBOOKINGS
    rebook_limit_hours: int | None = None  # 25–99, empty or 0: DEFAULT_REBOOK_LIMIT_HOURS
    cancel_limit_hours: int | None = None  # 25–99, empty or 0: DEFAULT_CANCEL_LIMIT_HOURS


class Settings1177(Settings1177Base, Stamped, table=True):
    """SP 177 '1177 Inställning tidbok' for a unit (clinic empty) or one of its clinics, for a
    period; periods of one unit row or one clinic never overlap (database triggers, 0002)."""

    __tablename__ = "settings_1177"
    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (
        CheckConstraint("valid_from <= valid_to", name="period"),
        CheckConstraint(
            "searchable_weeks IS NULL OR searchable_weeks BETWEEN 0 AND 999", name="weeks"
        ),
        CheckConstraint(
            "patient_rebookings IS NULL OR patient_rebookings BETWEEN 0 AND 999",
            name="rebookings",
        ),
        CheckConstraint(
            "rebook_limit_hours IS NULL OR rebook_limit_hours = 0 "
            "OR rebook_limit_hours BETWEEN 25 AND 99",
            name="rebook_hours",
        ),
        CheckConstraint(
            "cancel_limit_hours IS NULL OR cancel_limit_hours = 0 "
            "OR cancel_limit_hours BETWEEN 25 AND 99",
            name="cancel_hours",
        ),
        _unique_where(
            "uq_settings_1177_unit_from", "unit_id", "valid_from", where="clinic_id IS NULL"
        ),
        _unique_where(
            "uq_settings_1177_clinic_from", "clinic_id", "valid_from", where="clinic_id IS NOT NULL"
        ),
    )


class WatchSearchOrder(Stamped, table=True):
    """SP 191 Beställning: a saved watch search with its criteria; Beställningsnr is the id."""

    __tablename__ = "watch_search_order"
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    clinic_id: int | None = Field(default=None, foreign_key="clinic.id")
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    watch_type: str = Field(default="", max_length=4)
    book_to_passed: dt.date | None = None
    caregiver_id: int | None = Field(default=None, foreign_key="caregiver.id")
    caregiver_category: str = Field(default="", max_length=8)
    code: str = Field(default="", max_length=8)
    short_notice: str = Field(default="", max_length=10)
    contact_type: str = Field(default="", max_length=2)
    birth_year_from: int | None = None
    birth_year_to: int | None = None
    internal_diagnosis_from: str = Field(default="", max_length=10)
    internal_diagnosis_to: str = Field(default="", max_length=10)
    sort_order: str = Field(default="", max_length=20)
    result_count: int | None = None
    # The found watch ids in the order's sort order, packed (`watch_search.pack_ids`): one value
    # written per Beställ, not 100 000 rows. A watch gets a WatchSearchResult row when acted on.
    watch_list: bytes = Field(default=b"", sa_type=LargeBinary)


class WatchSearchResult(SQLModel, table=True):
    """What was done to one watch of an SP 191 order's fixed list (the list itself is
    `WatchSearchOrder.watch_list`): Rensning, Byte av vårdgivare and Bevakningsbrev, by whom and
    when. `position` is the watch's place in that list."""

    __tablename__ = "watch_search_result"
    order_id: int = Field(foreign_key="watch_search_order.id", primary_key=True)
    watch_id: int = Field(foreign_key="watch.id", primary_key=True, index=True)
    position: int
    # 5 Rensning: the watch was closed from this order, by whom, when and why.
    cleaned_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    cleaned_by: str | None = Field(default=None, max_length=12)
    clean_reason: str = Field(default="", max_length=60)
    # 6 Byte av vårdgivare: moved from this caregiver, by whom, when.
    moved_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    moved_by: str | None = Field(default=None, max_length=12)
    moved_from_caregiver_id: int | None = Field(default=None, foreign_key="caregiver.id")
    # 7 Bevakningsbrev: when the letter went out, and how (1177 or Post).
    letter_sent_at: dt.datetime | None = Field(default=None, sa_type=DateTime)  # naive UTC
    letter_channel: str | None = Field(default=None, max_length=10)
    __table_args__ = (
        UniqueConstraint("order_id", "position"),
        CheckConstraint(
            "letter_channel IS NULL OR letter_channel IN ('1177', 'Post')", name="letter_channel"
        ),
    )


# --------------------------------------------------------------------------------------------
# Audit and installation facts


class AuditEntry(SQLModel, table=True):
    """Who changed what and when, with the values before and after (JSON)."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=DateTime)  # naive UTC
    user: str = Field(max_length=12)
    action: AuditAction = Field(sa_type=String(10))
    table_name: str = Field(max_length=40)
    row_id: int | None = None
    summary: str = Field(default="", max_length=200)
    before: str | None = None
    after: str | None = None
    __table_args__ = (Index("ix_audit_log_table_row", "table_name", "row_id"),)


class AppMeta(SQLModel, table=True):
    """Facts about this database, e.g. `demo` = '1' for a database built by `pasis demo`."""

    __tablename__ = "app_meta"
    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
