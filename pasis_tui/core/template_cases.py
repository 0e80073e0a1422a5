"""SP 270 Dagmallar's reads and use cases: one keyword-only function per button, one transaction.

The use cases return `TemplateResult` (frozen records of the version and its rows, its day view
pattern, and the message) — never ORM rows. The ORM-level readers above them stay for the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from pasis_tui.core import day_templates as core
from pasis_tui.core import models
from pasis_tui.core.activities import text_filter
from pasis_tui.core.context import WorkContext
from pasis_tui.core.day_templates import (
    TEMPLATE_UNKNOWN,
    Status,
    find_template,
    pattern_row,
    template_versions,
)
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paging import PAGE_SIZE, Page, count_rows
from pasis_tui.core.parse import count_text, format_stamp, parse_code
from pasis_tui.core.slot_pattern import PatternSlot, slot_pattern

NEW = "Nyuppläggning"
READ_FIRST = "Läs först fram dagmallen (Läs annan)"
PICK_ROW = "Välj en tid i dagvyn (Enter) först"


@dataclass(frozen=True)
class RowView:
    row: models.DayTemplateRow
    activity: models.Activity


@dataclass(frozen=True)
class TemplateView:
    """What Registrering shows: the template, the version on screen and its rows."""

    template: models.DayTemplate
    version: models.DayTemplateVersion
    rows: list[RowView]
    has_working: bool
    has_published: bool

    @property
    def editable(self) -> bool:
        return self.version.status == Status.WORKING

    def pattern(self) -> list[PatternSlot]:
        return slot_pattern(pattern_row(view.row) for view in self.rows)


@dataclass(frozen=True)
class TemplateLine:
    """One line of 1 Översikt."""

    version_id: int
    code: str
    name: str
    status: str
    version_no: int
    fixed: bool
    valid_from: dt.date
    valid_to: dt.date
    rows: int


def load_version(session: Session, *, version_id: int) -> TemplateView:
    version = session.get(models.DayTemplateVersion, version_id)
    if version is None:
        raise PasisError(TEMPLATE_UNKNOWN, field="template_code")
    template = session.get(models.DayTemplate, version.template_id)
    assert template is not None
    statuses = {v.status for v in template_versions(session, version.template_id)}
    query = (
        select(models.DayTemplateRow, models.Activity)
        .join(models.Activity, col(models.Activity.id) == models.DayTemplateRow.activity_id)
        .where(models.DayTemplateRow.version_id == version_id)
        .order_by(col(models.DayTemplateRow.start_time))
    )
    rows = [RowView(row, activity) for row, activity in session.exec(query).all()]
    return TemplateView(
        template, version, rows, Status.WORKING in statuses, Status.PUBLISHED in statuses
    )


def read_template(session: Session, *, unit_id: int, code: str) -> TemplateView | None:
    """`Läs`: the Arbetskopia if there is one, else the published version; None if new."""
    found = find_template(session, unit_id=unit_id, code=parse_code(code, field="template_code"))
    if found is None or found.id is None:
        return None
    versions = template_versions(session, found.id)
    for status in (Status.WORKING, Status.PUBLISHED, Status.RETIRED):
        chosen = [v for v in versions if v.status == status]
        if chosen and chosen[-1].id is not None:
            return load_version(session, version_id=chosen[-1].id)
    return None


def _list_query(*, unit_id: int, text: str, status: str):  # type: ignore[no-untyped-def]
    rows = (
        select(models.DayTemplateRow.version_id, func.count().label("n"))
        .group_by(col(models.DayTemplateRow.version_id))
        .subquery()
    )
    query = (
        select(models.DayTemplate, models.DayTemplateVersion, rows.c.n)
        .join(
            models.DayTemplateVersion,
            col(models.DayTemplateVersion.template_id) == models.DayTemplate.id,
        )
        .outerjoin(rows, rows.c.version_id == models.DayTemplateVersion.id)
        .where(models.DayTemplate.unit_id == unit_id)
        .where(models.DayTemplateVersion.status != Status.RETIRED)
    )
    if text.strip():
        query = query.where(
            text_filter(text, models.DayTemplate.code, models.DayTemplateVersion.name)
        )
    if status:
        query = query.where(models.DayTemplateVersion.status == status)
    return query


def list_templates(
    session: Session,
    *,
    unit_id: int,
    text: str = "",
    status: str = "",
    offset: int = 0,
    limit: int = 200,
) -> list[TemplateLine]:
    """1 Översikt: the unit's templates (working copies and published versions)."""
    query = _list_query(unit_id=unit_id, text=text, status=status).order_by(
        col(models.DayTemplate.code), col(models.DayTemplateVersion.version_no)
    )
    return [
        TemplateLine(
            version_id=version.id or 0,
            code=template.code,
            name=version.name,
            status=version.status,
            version_no=version.version_no,
            fixed=version.fixed,
            valid_from=version.valid_from,
            valid_to=version.valid_to,
            rows=count or 0,
        )
        for template, version, count in session.exec(query.offset(offset).limit(limit)).all()
    ]


# --------------------------------------------------------------------------------------------
# Records for the screen


@dataclass(frozen=True)
class RowRecord:
    """One activity row; attribute names are the row form's fields (core.RowForm)."""

    id: int
    activity_code: str
    activity_name: str
    activity_type: str
    start: dt.time
    end: dt.time
    visit_length: str  # minutes, or "" for "Från starttid till sluttid"
    reason: str
    level: str  # "0" … "4"
    seats: int


@dataclass(frozen=True)
class TemplateRecord:
    """The version on screen; attribute names are Grundinformation's fields (core.BasicsForm)."""

    template_id: int
    version_id: int
    code: str
    status: str
    version_no: int
    name: str
    fixed: bool
    overbookings: int
    valid_from: dt.date
    valid_to: dt.date
    resolution: str
    from_time: dt.time
    created: str
    changed: str
    editable: bool
    rows: tuple[RowRecord, ...]
    slots: tuple[PatternSlot, ...]  # the day view's pattern
    names: tuple[tuple[int, str], ...]  # activity id → name, for the day view

    def row_at(self, start: dt.time) -> RowRecord | None:
        """The row whose span holds `start` (a slot of the day view)."""
        return next((row for row in self.rows if row.start <= start < row.end), None)


@dataclass(frozen=True)
class TemplateResult:
    """What a Dagmallar action leaves on screen: code, record (None: new), message."""

    code: str
    record: TemplateRecord | None
    message: str
    #: The row form keeps what was typed (Grundinformation saved, a row refused).
    keep_row: bool = False

    @property
    def state(self) -> str:
        return self.record.status if self.record else (NEW if self.code else "")


@dataclass(frozen=True)
class ActivityChoice:
    code: str
    name: str
    activity_type: str


def _record(view: TemplateView) -> TemplateRecord:
    version = view.version
    rows = tuple(
        RowRecord(
            id=r.row.id or 0,
            activity_code=r.activity.code,
            activity_name=r.activity.name,
            activity_type=r.activity.activity_type,
            start=r.row.start_time,
            end=r.row.end_time,
            visit_length=str(r.row.visit_length_min or ""),
            reason=r.row.reason,
            level=str(r.row.level_1177),
            seats=r.row.seats,
        )
        for r in view.rows
    )
    names = tuple(sorted({(r.activity.id or 0, r.activity.name) for r in view.rows}))
    return TemplateRecord(
        template_id=view.template.id or 0,
        version_id=version.id or 0,
        code=view.template.code,
        status=version.status,
        version_no=version.version_no,
        name=version.name,
        fixed=version.fixed,
        overbookings=version.overbookings,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        resolution=version.resolution,
        from_time=version.from_time,
        created=format_stamp(version.created_at, version.created_by),
        changed=format_stamp(version.updated_at, version.updated_by),
        editable=view.editable,
        rows=rows,
        slots=tuple(view.pattern()),
        names=names,
    )


def _fresh(
    session: Session, version_id: int, message: str, *, keep_row: bool = False
) -> TemplateResult:
    view = load_version(session, version_id=version_id)
    return TemplateResult(view.template.code, _record(view), message, keep_row=keep_row)


def _needs(version_id: int | None) -> int:
    if version_id is None:
        raise PasisError(READ_FIRST, field="template_code")
    return version_id


# --------------------------------------------------------------------------------------------
# The use cases: one per button


def template_page(
    *, ctx: WorkContext, text: str = "", status: str = "", offset: int = 0,
    limit: int = PAGE_SIZE,
) -> Page[TemplateLine]:  # fmt: skip
    """1 Översikt: one page of the unit's templates and the count behind the filter."""
    with ctx.read() as session:
        total = count_rows(session, _list_query(unit_id=ctx.unit.id, text=text, status=status))
        lines = list_templates(
            session, unit_id=ctx.unit.id, text=text, status=status, offset=offset, limit=limit
        )
    return Page(lines=tuple(lines), total=total, offset=offset)


def activity_choices(*, ctx: WorkContext) -> tuple[ActivityChoice, ...]:
    """The activities a row may use (the unit's and the general ones), for Aktivitetstyp."""
    from pasis_tui.core.activities import list_activities

    with ctx.read() as session:
        found = list_activities(session, unit_id=ctx.unit.id, limit=1000)
        return tuple(ActivityChoice(a.code, a.name, a.activity_type) for a in found)


def read_template_record(*, ctx: WorkContext, code: str) -> TemplateResult:
    """`Läs annan`: the Arbetskopia if there is one, else the published version; or new."""
    normal = parse_code(code, field="template_code")
    with ctx.read() as session:
        view = read_template(session, unit_id=ctx.unit.id, code=normal)
        record = _record(view) if view else None
    message = f"Dagmallen {normal} är läst" if record else f"{normal}: {NEW}"
    return TemplateResult(normal, record, message)


def open_template_version(*, ctx: WorkContext, version_id: int) -> TemplateResult:
    """A row of 1 Översikt: that version."""
    with ctx.read() as session:
        result = _fresh(session, version_id, "")
    return TemplateResult(result.code, result.record, f"Dagmallen {result.code} är läst")


def save_template_basics(
    *, ctx: WorkContext, form: core.BasicsForm, version_id: int | None
) -> TemplateResult:
    """`Spara grundinformation`: creates the Arbetskopia (new code) or updates it."""
    with ctx.write() as session:
        saved = core.save_basics(session, unit_id=ctx.unit.id, form=form, version_id=version_id)
        assert saved.id is not None
        result = _fresh(session, saved.id, "", keep_row=True)
    message = f"Grundinformationen för {result.code} är sparad"
    return TemplateResult(result.code, result.record, message, keep_row=True)


def save_template_row(
    *, ctx: WorkContext, version_id: int | None, form: core.RowForm, row_id: int | None
) -> TemplateResult:
    """`Spara aktivitet`: adds the row (or changes row `row_id`)."""
    version_id = _needs(version_id)
    with ctx.write() as session:
        core.save_row(session, version_id=version_id, form=form, row_id=row_id)
        code = form.activity_code.strip().upper()
        return _fresh(session, version_id, f"Aktiviteten {code} är sparad i dagmallen")


def delete_template_row(
    *, ctx: WorkContext, version_id: int | None, row_id: int | None
) -> TemplateResult:
    """`Ta bort aktivitet`: the row picked in the day view."""
    version_id = _needs(version_id)
    if row_id is None:
        raise PasisError(PICK_ROW, field="day_view")
    with ctx.write() as session:
        core.delete_row(session, version_id=version_id, row_id=row_id)
        return _fresh(session, version_id, "Aktiviteten är borttagen ur dagmallen")


def delete_all_template_rows(*, ctx: WorkContext, version_id: int | None) -> TemplateResult:
    """`Ta bort alla aktiviteter` (after the question)."""
    version_id = _needs(version_id)
    with ctx.write() as session:
        count = core.delete_all_rows(session, version_id=version_id)
        removed = count_text(count, "aktivitet är borttagen", "aktiviteter är borttagna")
        return _fresh(session, version_id, f"{removed} ur dagmallen")


def publish_template(*, ctx: WorkContext, version_id: int | None) -> TemplateResult:
    """`Publicera`: the Arbetskopia becomes the Publicerad version."""
    version_id = _needs(version_id)
    with ctx.write() as session:
        core.publish(session, version_id=version_id)
        result = _fresh(session, version_id, "")
    return TemplateResult(result.code, result.record, f"Dagmallen {result.code} är publicerad")


def new_template_copy(*, ctx: WorkContext, template_id: int | None) -> TemplateResult:
    """`Skapa ny arbetskopia`: a working copy of the published version."""
    if template_id is None:
        raise PasisError(READ_FIRST, field="template_code")
    with ctx.write() as session:
        copy = core.new_working_copy(session, template_id=template_id)
        assert copy.id is not None
        result = _fresh(session, copy.id, "")
    assert result.record is not None
    message = f"Ny arbetskopia av {result.code} (version {result.record.version_no})"
    return TemplateResult(result.code, result.record, message)


def delete_template_record(
    *, ctx: WorkContext, template_id: int | None, code: str
) -> TemplateResult:
    """`Ta bort Dagmall` (after the question): refused while a schedule uses it."""
    if template_id is None:
        raise PasisError(READ_FIRST, field="template_code")
    with ctx.write() as session:
        core.delete_template(session, template_id=template_id)
    return TemplateResult(code, None, f"Dagmallen {code} är borttagen")
