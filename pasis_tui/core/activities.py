"""SP 270 Aktivitet: a unit's own activities beside the seven general ones (seed 3.2, 3.2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, or_, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import parse_code, parse_date, required

ACTIVITY_EXISTS = "Aktiviteten {code} finns redan på enheten – tryck Läs"
GENERAL_READ_ONLY = "{code} är en generell aktivitet och kan inte ändras av enheten"
GENERAL_CODE_TAKEN = "{code} är koden för en generell aktivitet – välj en annan kod"
TYPE_REQUIRED = "Välj Aktivitetstyp: " + ", ".join(t.value for t in models.ActivityType)
CONTACT_UNKNOWN = (
    "Kontakttyp: välj " + ", ".join(c.value for c in models.ContactType) + " eller tomt"
)
PERIOD_ORDER = "Gäller from måste vara före eller lika med Gäller tom"
BOOKING_TYPE_UNKNOWN = "Okänd tidbokstyp"
UNKNOWN = "Aktiviteten finns inte längre"
USED_IN_TEMPLATE = "Aktiviteten {code} används i dagmall {templates} och kan inte tas bort"
USED_BY_WATCH = "Aktiviteten {code} används av {count} bevakningar och kan inte tas bort"
TYPE_BREAKS_ROWS = (
    "Aktivitetstypen kan inte bli {new} så länge dagmall {templates} har rader som kräver "
    "{need} – ändra raderna först"
)
USED_BY_SLOT = "Aktiviteten {code} finns i lagt schema ({count} tider) och kan inte tas bort"


@dataclass(frozen=True)
class ActivityForm:
    """The Registrering form as typed."""

    code: str
    name: str
    activity_type: str
    contact_type: str = ""
    valid_from: str = ""
    valid_to: str = ""
    booking_type_id: int | None = None


def text_filter(text: str, *columns: Any) -> Any:
    """`column ILIKE %text%` on any column; SQLite folds only ASCII, so ÅÄÖ cases are tried too."""
    value = text.strip()
    variants = {value, value.lower(), value.upper(), value.capitalize(), value.title()}
    return or_(*(col(c).ilike(f"%{v}%") for c in columns for v in sorted(variants)))


def find_activity(session: Session, *, unit_id: int, code: str) -> models.Activity | None:
    """The unit's activity `code`, or the general one of that code."""
    query = select(models.Activity).where(
        models.Activity.code == code.strip().upper(),
        or_(models.Activity.unit_id == unit_id, col(models.Activity.unit_id).is_(None)),
    )
    found = session.exec(query.order_by(col(models.Activity.unit_id).is_(None))).all()
    return found[0] if found else None


def read_activity(session: Session, *, unit_id: int, code: str) -> models.Activity | None:
    """`Läs`: the activity of that code (the unit's or a general one); None means Nyuppläggning."""
    return find_activity(session, unit_id=unit_id, code=parse_code(code, field="activity_code"))


def list_activities(
    session: Session,
    *,
    unit_id: int,
    text: str = "",
    activity_type: str = "",
    offset: int = 0,
    limit: int = 200,
) -> list[models.Activity]:
    """1 Översikt: the unit's activities and the general ones, by code."""
    query = select(models.Activity).where(
        or_(models.Activity.unit_id == unit_id, col(models.Activity.unit_id).is_(None))
    )
    if text.strip():
        query = query.where(text_filter(text, models.Activity.code, models.Activity.name))
    if activity_type:
        query = query.where(models.Activity.activity_type == activity_type)
    query = query.order_by(col(models.Activity.code), col(models.Activity.id))
    return list(session.exec(query.offset(offset).limit(limit)).all())


def _parse(session: Session, form: ActivityForm) -> dict[str, object]:
    name = required(form.name, field="name", label="Namn")
    if len(name) > 40:
        raise PasisError("Namn får vara högst 40 tecken", field="name")
    try:
        activity_type = models.ActivityType(form.activity_type.strip())
    except ValueError:
        raise PasisError(TYPE_REQUIRED, field="activity_type") from None
    contact_text = form.contact_type.strip().upper()
    try:
        contact = models.ContactType(contact_text) if contact_text else None
    except ValueError:
        raise PasisError(CONTACT_UNKNOWN, field="contact_type") from None
    valid_from = parse_date(form.valid_from, field="valid_from", default=models.FIRST_DATE)
    valid_to = parse_date(form.valid_to, field="valid_to", default=models.LAST_DATE)
    assert valid_from is not None and valid_to is not None
    if valid_from > valid_to:
        raise PasisError(PERIOD_ORDER, field="valid_to")
    if form.booking_type_id is not None:
        if session.get(models.BookingType, form.booking_type_id) is None:
            raise PasisError(BOOKING_TYPE_UNKNOWN, field="booking_type")
    return {
        "name": name,
        "activity_type": activity_type,
        "contact_type": contact,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "booking_type_id": form.booking_type_id,
    }


def save_activity(
    session: Session, *, unit_id: int, form: ActivityForm, activity_id: int | None = None
) -> models.Activity:
    """`Spara`: a new activity of the unit (activity_id None) or a change to one of its own."""
    code = parse_code(form.code, field="activity_code")
    values = _parse(session, form)
    if activity_id is None:
        existing = find_activity(session, unit_id=unit_id, code=code)
        if existing is not None and existing.unit_id is None:
            raise PasisError(GENERAL_CODE_TAKEN.format(code=code), field="activity_code")
        if existing is not None:
            raise PasisError(ACTIVITY_EXISTS.format(code=code), field="activity_code")
        activity = models.Activity(unit_id=unit_id, code=code, **values)  # type: ignore[arg-type]
    else:
        found = session.get(models.Activity, activity_id)
        if found is None:
            raise PasisError(UNKNOWN, field="activity_code")
        if found.unit_id is None:
            raise PasisError(GENERAL_READ_ONLY.format(code=found.code), field="activity_code")
        if found.unit_id != unit_id or found.code != code:
            raise PasisError(UNKNOWN, field="activity_code")
        activity = found
        new_type = models.ActivityType(str(values["activity_type"]))
        if new_type != found.activity_type:
            _check_rows_allow_type(session, activity=found, new_type=new_type)
        for key, value in values.items():
            setattr(activity, key, value)
    session.add(activity)
    try:
        session.flush()
    except IntegrityError:  # another user saved the same code a moment ago: the database says no
        raise PasisError(ACTIVITY_EXISTS.format(code=code), field="activity_code") from None
    return activity


def _check_rows_allow_type(
    session: Session, *, activity: models.Activity, new_type: models.ActivityType
) -> None:
    """A new type must still fit the template rows that use the activity (seed 3.2, 3.3):
    nivå 3–4 needs a bookable type, Ej bokningsbar tid is nivå 0, several places need Grupptid."""
    rows = (
        select(
            models.DayTemplate.code, models.DayTemplateRow.level_1177, models.DayTemplateRow.seats
        )
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.template_id) == models.DayTemplate.id,
        )
        .join(
            models.DayTemplateRow,
            col(models.DayTemplateRow.version_id) == models.DayTemplateVersion.id,
        )
        .where(models.DayTemplateRow.activity_id == activity.id)
    )
    found = session.exec(rows).all()
    rules = []
    if new_type not in models.BOOKABLE_TYPES:
        rules.append(("1177-nivå 3–4", {code for code, level, _ in found if level >= 3}))
    if new_type == models.ActivityType.NOT_BOOKABLE:
        rules.append(("en 1177-nivå över 0", {code for code, level, _ in found if level > 0}))
    if new_type != models.ActivityType.GROUP:
        rules.append(("flera platser", {code for code, _, seats in found if seats > 1}))
    for need, templates in rules:
        if templates:
            raise PasisError(
                TYPE_BREAKS_ROWS.format(
                    new=new_type.value, templates=", ".join(sorted(templates)), need=need
                ),
                field="activity_type",
            )


def delete_activity(session: Session, *, unit_id: int, activity_id: int) -> None:
    """`Borttag`: refused for general activities and while a template row, slot or watch uses it."""
    activity = session.get(models.Activity, activity_id)
    if activity is None or activity.unit_id not in (None, unit_id):
        raise PasisError(UNKNOWN, field="activity_code")
    if activity.unit_id is None:
        raise PasisError(GENERAL_READ_ONLY.format(code=activity.code), field="activity_code")
    templates = session.exec(
        select(models.DayTemplate.code)
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.template_id) == models.DayTemplate.id,
        )
        .join(
            models.DayTemplateRow,
            col(models.DayTemplateRow.version_id) == models.DayTemplateVersion.id,
        )
        .where(models.DayTemplateRow.activity_id == activity_id)
        .distinct()
    ).all()
    if templates:
        raise PasisError(
            USED_IN_TEMPLATE.format(code=activity.code, templates=", ".join(sorted(templates))),
            field="activity_code",
        )
    slots = session.exec(
        select(func.count()).select_from(models.Slot).where(models.Slot.activity_id == activity_id)
    ).one()
    if slots:
        raise PasisError(
            USED_BY_SLOT.format(code=activity.code, count=slots), field="activity_code"
        )
    watches = session.exec(
        select(func.count())
        .select_from(models.Watch)
        .where(models.Watch.activity_id == activity_id)
    ).one()
    if watches:
        raise PasisError(
            USED_BY_WATCH.format(code=activity.code, count=watches), field="activity_code"
        )
    session.delete(activity)
    session.flush()
