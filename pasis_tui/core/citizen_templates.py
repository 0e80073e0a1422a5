"""Invånarmallar (seed 10): information a clinic sends to the patient with an open invitation.

Staff keep templates (title + text) per unit, optionally for one clinic, and attach one to an ÖK
watch; when the invitation is sent, the template's text reaches the inbox as an Information
message in the sender's own savepoint (pasis_tui.core.invitations), so exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, func, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError

TITLE_EMPTY = "Rubrik måste fyllas i"
BODY_EMPTY = "Text måste fyllas i"
TITLE_LONG = "Rubriken får vara högst 120 tecken"
BODY_LONG = "Texten får vara högst 4000 tecken"
TEMPLATE_UNKNOWN = "Invånarmallen finns inte"
WRONG_CLINIC = "Invånarmallen hör till en annan mottagning än bevakningen"
WRONG_UNIT = "Invånarmallen hör till en annan enhet än bevakningen"
NOT_OPEN_INVITATION = "En invånarmall kan bara skickas med en öppen kallelse (typ ÖK)"
IN_USE = "Invånarmallen används av {count} öppna bevakningar och kan inte tas bort"
WATCH_UNKNOWN = "Bevakningen finns inte"


@dataclass(frozen=True)
class TemplateView:
    template_id: int
    unit_id: int
    clinic_id: int | None
    title: str
    body: str
    created: str
    updated: str


def _stamp(at: dt.datetime | None, by: str | None) -> str:
    return f"{at:%Y-%m-%d} {by or ''}".strip() if at else ""


def _view(template: models.CitizenTemplate) -> TemplateView:
    assert template.id is not None
    return TemplateView(
        template_id=template.id,
        unit_id=template.unit_id,
        clinic_id=template.clinic_id,
        title=template.title,
        body=template.body,
        created=_stamp(template.created_at, template.created_by),
        updated=_stamp(template.updated_at, template.updated_by),
    )


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise PasisError(TITLE_EMPTY, field="title")
    if len(title) > 120:
        raise PasisError(TITLE_LONG, field="title")
    if not body:
        raise PasisError(BODY_EMPTY, field="body")
    if len(body) > 4000:
        raise PasisError(BODY_LONG, field="body")
    return title, body


def _get(session: Session, template_id: int) -> models.CitizenTemplate:
    template = session.get(models.CitizenTemplate, template_id)
    if template is None:
        raise PasisError(TEMPLATE_UNKNOWN, field="template")
    return template


def create_template(
    *, session: Session, unit_id: int, clinic_id: int | None, title: str, body: str
) -> TemplateView:
    title, body = _checked(title, body)
    if clinic_id is not None:
        clinic = session.get(models.Clinic, clinic_id)
        if clinic is None or clinic.unit_id != unit_id:
            raise PasisError("Okänd mottagning", field="clinic")
    template = models.CitizenTemplate(unit_id=unit_id, clinic_id=clinic_id, title=title, body=body)
    session.add(template)
    session.flush()
    return _view(template)


def update_template(*, session: Session, template_id: int, title: str, body: str) -> TemplateView:
    template = _get(session, template_id)
    template.title, template.body = _checked(title, body)
    session.add(template)
    session.flush()
    return _view(template)


def delete_template(*, session: Session, template_id: int) -> None:
    """Borttag; refused while an open watch would still send it."""
    template = _get(session, template_id)
    in_use = session.exec(
        select(func.count())
        .select_from(models.Watch)
        .where(
            models.Watch.citizen_template_id == template_id,
            models.Watch.status == models.WatchStatus.OPEN,
        )
    ).one()
    if in_use:
        raise PasisError(IN_USE.format(count=in_use), field="template")
    for watch in session.exec(
        select(models.Watch).where(models.Watch.citizen_template_id == template_id)
    ).all():
        watch.citizen_template_id = None
        session.add(watch)
    session.delete(template)
    session.flush()


def list_templates(
    *, session: Session, unit_id: int, clinic_id: int | None = None
) -> tuple[TemplateView, ...]:
    """A unit's templates (with a clinic: the unit-wide ones and that clinic's), by title."""
    query = select(models.CitizenTemplate).where(models.CitizenTemplate.unit_id == unit_id)
    if clinic_id is not None:
        query = query.where(
            col(models.CitizenTemplate.clinic_id).is_(None)
            | (col(models.CitizenTemplate.clinic_id) == clinic_id)
        )
    rows = session.exec(query.order_by(col(models.CitizenTemplate.title))).all()
    return tuple(_view(t) for t in rows)


def read_template(*, session: Session, template_id: int) -> TemplateView:
    return _view(_get(session, template_id))


def attach_template(*, session: Session, watch_id: int, template_id: int | None) -> None:
    """Attach an Invånarmall to an ÖK watch (None detaches it)."""
    watch = session.get(models.Watch, watch_id)
    if watch is None:
        raise PasisError(WATCH_UNKNOWN, field="watch")
    if template_id is not None:
        if watch.watch_type != models.WatchType.OPEN_INVITATION:
            raise PasisError(NOT_OPEN_INVITATION, field="template")
        template = _get(session, template_id)
        if template.unit_id != watch.unit_id:
            raise PasisError(WRONG_UNIT, field="template")
        if template.clinic_id is not None and template.clinic_id != watch.clinic_id:
            raise PasisError(WRONG_CLINIC, field="template")
    watch.citizen_template_id = template_id
    session.add(watch)
    session.flush()


def load_demo_templates(session: Session, *, directory: Path) -> dict[str, int]:
    """The demo's Invånarmallar from `data/demo/invanarmallar.json`: title → id."""
    spec = json.loads((directory / "demo" / "invanarmallar.json").read_text("utf-8"))
    ids: dict[str, int] = {}
    for row in spec["mallar"]:
        unit = session.exec(select(models.Unit).where(models.Unit.code == row["enhet"])).one()
        clinic_id = None
        if row.get("mottagning"):
            clinic = session.exec(
                select(models.Clinic).where(
                    models.Clinic.unit_id == unit.id, models.Clinic.code == row["mottagning"]
                )
            ).one()
            clinic_id = clinic.id
        view = create_template(
            session=session,
            unit_id=unit.id,  # type: ignore[arg-type]
            clinic_id=clinic_id,
            title=row["rubrik"],
            body="\n".join(row["text"]),
        )
        ids[view.title] = view.template_id
    return ids
