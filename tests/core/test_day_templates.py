"""SP 270 Dagmallar: working copy, rows, publishing, new working copy; both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from pasis_tui.core import models
from pasis_tui.core.activities import ActivityForm, save_activity
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.day_templates import (
    SEATS_ONLY_GROUP,
    BasicsForm,
    RowForm,
    delete_all_rows,
    delete_row,
    delete_template,
    new_working_copy,
    publish,
    published_version,
    save_basics,
    save_row,
    version_pattern,
)
from pasis_tui.core.day_view import day_view
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.template_cases import list_templates, load_version, read_template

USER = "VIS"
T = dt.time


@pytest.fixture
def unit_id(engine: Engine, clock: FixedClock) -> int:
    with write_session(engine, user=USER, clock=clock) as session:
        unit = models.Unit(code="KIR", name="Kirurgi")
        session.add(unit)
        session.flush()
        assert unit.id is not None
        for code, name, kind in [
            ("ÖKNY", "1177 ny", "Bokningsbar tid"),
            ("ÖKÅB", "1177 ÅB", "Bokningsbar tid"),
            ("GRP", "Reumaskola", "Grupptid"),
        ]:
            save_activity(
                session,
                unit_id=unit.id,
                form=ActivityForm(code=code, name=name, activity_type=kind),
            )
        return unit.id


@pytest.fixture
def version_id(engine: Engine, clock: FixedClock, unit_id: int) -> int:
    with write_session(engine, user=USER, clock=clock) as session:
        version = save_basics(
            session, unit_id=unit_id, form=BasicsForm(code="ökny", name="ÖK nybesök")
        )
        assert version.id is not None
        return version.id


def write(engine, clock, work):
    with write_session(engine, user=USER, clock=clock) as session:
        return work(session)


def refused(engine, clock, work, *, field: str, match: str) -> PasisError:
    with pytest.raises(PasisError, match=match) as caught:
        write(engine, clock, work)
    assert caught.value.field == field
    return caught.value


def add(engine, clock, version_id, *args: str, row_id: int | None = None):
    return write(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=RowForm(*args), row_id=row_id),
    )


def rows_of(engine, clock, version_id) -> list[tuple[dt.time, dt.time]]:
    with open_session(engine, user=USER, clock=clock) as session:
        return [
            (v.row.start_time, v.row.end_time)
            for v in load_version(session, version_id=version_id).rows
        ]


# -- Spara grundinformation -----------------------------------------------------------------


def test_basics_create_working_copy_with_defaults(engine, clock, unit_id, version_id):
    with open_session(engine, user=USER, clock=clock) as session:
        view = read_template(session, unit_id=unit_id, code="ÖKNY")
        assert view is not None and view.editable and view.has_working and not view.has_published
        version = view.version
        assert view.template.code == "ÖKNY" and version.status == "Arbetskopia"
        assert (version.overbookings, version.fixed, version.from_time) == (999, True, T(8, 0))
        assert (version.valid_from, version.valid_to) == (
            dt.date(2000, 1, 1),
            dt.date(2099, 12, 31),
        )
        assert version.resolution == "näst högsta" and version.created_by == USER
        assert read_template(session, unit_id=unit_id, code="NEJ") is None


def test_basics_code_unique_per_unit(engine, clock, unit_id, version_id):
    refused(
        engine,
        clock,
        lambda s: save_basics(s, unit_id=unit_id, form=BasicsForm(code="ÖKNY", name="Igen")),
        field="template_code",
        match="finns redan",
    )


@pytest.mark.parametrize(
    ("form", "field", "match"),
    [
        (BasicsForm(code="ABCDE", name="X"), "template_code", "1–4 tecken"),
        (BasicsForm(code="A", name=""), "name", "Namn måste fyllas i"),
        (BasicsForm(code="A", name="X", overbookings="1000"), "overbookings", "0–999"),
        (BasicsForm(code="A", name="X", valid_from="2026-02-30"), "valid_from", "Ogiltigt datum"),
        (
            BasicsForm(code="A", name="X", valid_from="2027-01-01", valid_to="2026-01-01"),
            "valid_to",
            "före eller lika",
        ),
        (BasicsForm(code="A", name="X", resolution="mycket"), "resolution", "Upplösning"),
        (BasicsForm(code="A", name="X", from_time="25:00"), "from_time", "Ogiltig tid"),
    ],
)
def test_basics_refusals_write_nothing(engine, clock, unit_id, form, field, match):
    refused(
        engine,
        clock,
        lambda s: save_basics(s, unit_id=unit_id, form=form),
        field=field,
        match=match,
    )
    with open_session(engine, user=USER, clock=clock) as session:
        assert session.exec(select(models.DayTemplate)).all() == []


def test_basics_update_working_copy(engine, clock, unit_id, version_id):
    form = BasicsForm(code="ÖKNY", name="ÖK ny", fixed=False, overbookings="2", from_time="0730")
    updated = write(
        engine, clock, lambda s: save_basics(s, unit_id=unit_id, form=form, version_id=version_id)
    )
    assert (updated.name, updated.fixed, updated.overbookings, updated.from_time) == (
        "ÖK ny",
        False,
        2,
        T(7, 30),
    )


# -- Rows -----------------------------------------------------------------------------------


def test_rows_are_split_into_the_slot_pattern(engine, clock, unit_id, version_id):
    add(engine, clock, version_id, "ökny", "10:00", "12:00", "60", "", "3")
    add(engine, clock, version_id, "RAST", "12:00", "13:00", "", "LUNCH", "0")
    add(engine, clock, version_id, "ÖKÅB", "1300", "1400", "30", "", "3")
    with open_session(engine, user=USER, clock=clock) as session:
        pattern = version_pattern(session, version_id=version_id)
    assert [(s.start, s.end, s.visit_length_min, s.level_1177) for s in pattern] == [
        (T(10), T(11), 60, 3),
        (T(11), T(12), 60, 3),
        (T(12), T(13), 60, 0),
        (T(13), T(13, 30), 30, 3),
        (T(13, 30), T(14), 30, 3),
    ]
    assert pattern[2].reason == "LUNCH"


def test_length_that_does_not_divide_names_nearest_end(engine, clock, unit_id, version_id):
    error = refused(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=RowForm("ÖKNY", "10:00", "11:40", "30")),
        field="visit_length",
        match="närmaste sluttid som passar är 11:30",
    )
    assert "30 min" in error.message


@pytest.mark.parametrize(
    ("form", "field", "match"),
    [
        (RowForm("", "10:00", "11:00"), "activity_code", "Aktivitet måste fyllas i"),
        (RowForm("NEJ", "10:00", "11:00"), "activity_code", "finns inte"),
        (RowForm("ÖKNY", "", "11:00"), "start_time", "Starttid måste fyllas i"),
        (RowForm("ÖKNY", "10:00", ""), "end_time", "Sluttid måste fyllas i"),
        (RowForm("ÖKNY", "10:00", "2500"), "end_time", "Ogiltig tid"),
        (RowForm("ÖKNY", "11:00", "10:00"), "end_time", "senare än starttiden"),
        (RowForm("ÖKNY", "10:00", "11:00", "90"), "visit_length", "längre än aktiviteten"),
        (RowForm("ÖKNY", "10:00", "11:00", "x"), "visit_length", "Besökslängd: ett antal minuter"),
        (RowForm("ÖKNY", "10:00", "11:00", "", "", "5"), "level_1177", "0–4"),
        (RowForm("RAST", "10:00", "11:00", "", "", "1"), "level_1177", "alltid 1177-nivå 0"),
        (RowForm("ADM", "10:00", "11:00", "", "", "3"), "level_1177", "kräver aktivitetstyp"),
        (RowForm("ÖKNY", "10:00", "11:00", "", "x" * 41), "reason", "högst 40"),
    ],
)
def test_row_refusals_write_nothing(engine, clock, unit_id, version_id, form, field, match):
    refused(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=form),
        field=field,
        match=match,
    )
    assert rows_of(engine, clock, version_id) == []


def test_level_rules_by_type(engine, clock, unit_id, version_id):
    add(engine, clock, version_id, "ADM", "08:00", "09:00", "", "", "2")  # Ev. bokningsbar: 0–2
    add(engine, clock, version_id, "TFF", "09:00", "10:00", "15", "", "4")  # Telefontid: 4 ok
    add(engine, clock, version_id, "RAST", "12:00", "13:00", "", "LUNCH", "0")
    assert len(rows_of(engine, clock, version_id)) == 3


def test_rows_may_not_overlap_but_may_touch(engine, clock, unit_id, version_id):
    add(engine, clock, version_id, "ÖKNY", "10:00", "12:00", "60", "", "3")
    refused(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=RowForm("RAST", "11:30", "12:30")),
        field="start_time",
        match="överlappar ÖKNY 10:00–12:00",
    )
    refused(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=RowForm("RAST", "09:00", "13:00")),
        field="start_time",
        match="överlappar",
    )
    add(engine, clock, version_id, "RAST", "12:00", "13:00")
    assert rows_of(engine, clock, version_id) == [(T(10), T(12)), (T(12), T(13))]


def test_change_row_in_place_not_overlapping_itself(engine, clock, unit_id, version_id):
    row = add(engine, clock, version_id, "ÖKNY", "10:00", "12:00", "60", "", "3")
    changed = add(engine, clock, version_id, "ÖKNY", "10:00", "12:30", "30", "", "3", row_id=row.id)
    assert changed.id == row.id and changed.end_time == T(12, 30) and changed.visit_length_min == 30


def test_remove_one_and_all_rows(engine, clock, unit_id, version_id):
    first = add(engine, clock, version_id, "ÖKNY", "10:00", "11:00")
    add(engine, clock, version_id, "ÖKÅB", "11:00", "12:00")
    write(engine, clock, lambda s: delete_row(s, version_id=version_id, row_id=first.id))
    assert rows_of(engine, clock, version_id) == [(T(11), T(12))]
    assert write(engine, clock, lambda s: delete_all_rows(s, version_id=version_id)) == 1
    assert rows_of(engine, clock, version_id) == []


# -- Antal platser (Grupptid) -----------------------------------------------------------------


def seats_of(engine, clock, version_id) -> list[int]:
    with open_session(engine, user=USER, clock=clock) as session:
        return [v.row.seats for v in load_version(session, version_id=version_id).rows]


def test_group_row_stores_its_places(engine, clock, unit_id, version_id):
    row = add(engine, clock, version_id, "grp", "14:00", "16:00", "60", "", "3", " 8 ")
    assert row.seats == 8
    add(engine, clock, version_id, "ÖKNY", "10:00", "11:00", "", "", "3", "")  # empty = 1
    add(engine, clock, version_id, "ÖKÅB", "11:00", "12:00", "", "", "3", "1")  # 1 is always ok
    add(engine, clock, version_id, "GRP", "12:00", "13:00", "", "", "3", "99")
    assert seats_of(engine, clock, version_id) == [1, 1, 99, 8]
    changed = add(engine, clock, version_id, "GRP", "14:00", "16:00", "60", "", "3", row_id=row.id)
    assert changed.id == row.id and changed.seats == 1  # emptied: back to one place


@pytest.mark.parametrize(
    ("activity", "seats", "match"),
    [
        ("GRP", "0", "heltal 1–99"),
        ("GRP", "100", "heltal 1–99"),
        ("GRP", "x", "heltal 1–99"),
        ("GRP", "-2", "heltal 1–99"),
        ("GRP", "2.5", "heltal 1–99"),
        ("GRP", "²", "heltal 1–99"),
        ("ÖKNY", "2", "Endast aktivitetstyp Grupptid kan ha flera platser"),
        ("TFF", "8", "Endast aktivitetstyp Grupptid"),  # Telefontid
        ("RAST", "3", "Endast aktivitetstyp Grupptid"),  # Ej bokningsbar tid
    ],
)
def test_seat_refusals_write_nothing(engine, clock, unit_id, version_id, activity, seats, match):
    form = RowForm(activity, "14:00", "15:00", "", "", "0", seats)
    refused(
        engine,
        clock,
        lambda s: save_row(s, version_id=version_id, form=form),
        field="seats",
        match=match,
    )
    assert rows_of(engine, clock, version_id) == []


def test_changing_a_group_row_to_another_type_keeps_no_places(engine, clock, unit_id, version_id):
    row = add(engine, clock, version_id, "GRP", "14:00", "15:00", "", "", "3", "8")
    error = refused(
        engine,
        clock,
        lambda s: save_row(
            s,
            version_id=version_id,
            form=RowForm("ÖKNY", "14:00", "15:00", "", "", "3", "8"),
            row_id=row.id,
        ),
        field="seats",
        match="Grupptid",
    )
    assert error.message == SEATS_ONLY_GROUP
    assert seats_of(engine, clock, version_id) == [8]  # the refused change wrote nothing


def test_group_places_reach_the_pattern_and_a_new_working_copy(engine, clock, unit_id, version_id):
    add(engine, clock, version_id, "GRP", "14:00", "16:00", "60", "", "3", "8")
    add(engine, clock, version_id, "ÖKNY", "10:00", "11:00", "", "", "3")
    write(engine, clock, lambda s: publish(s, version_id=version_id))
    with open_session(engine, user=USER, clock=clock) as session:
        published = published_version(session, unit_id=unit_id, code="ÖKNY")
        assert published is not None and published.id == version_id
        pattern = version_pattern(session, version_id=version_id)
        template_id = load_version(session, version_id=version_id).template.id
    assert [(s.start, s.end, s.seats, s.level_1177) for s in pattern] == [
        (T(10), T(11), 1, 3),
        (T(14), T(15), 8, 3),
        (T(15), T(16), 8, 3),
    ]
    copy = write(engine, clock, lambda s: new_working_copy(s, template_id=template_id))
    assert copy.id != version_id and seats_of(engine, clock, copy.id) == [1, 8]


# -- Publicera and Skapa ny arbetskopia ------------------------------------------------------


def test_publish_requires_rows(engine, clock, unit_id, version_id):
    refused(
        engine,
        clock,
        lambda s: publish(s, version_id=version_id),
        field="template_code",
        match="inga aktiviteter",
    )


def test_published_version_is_read_only(engine, clock, unit_id, version_id):
    row = add(engine, clock, version_id, "ÖKNY", "10:00", "11:00", "", "", "3")
    published = write(engine, clock, lambda s: publish(s, version_id=version_id))
    assert published.status == "Publicerad" and published.published_by == USER
    assert published.published_at == dt.datetime(2026, 11, 22, 9, 6)  # naive UTC
    for work in [
        lambda s: save_row(s, version_id=version_id, form=RowForm("ÖKÅB", "12:00", "13:00")),
        lambda s: save_row(
            s, version_id=version_id, form=RowForm("ÖKNY", "10:00", "11:30"), row_id=row.id
        ),
        lambda s: delete_row(s, version_id=version_id, row_id=row.id),
        lambda s: delete_all_rows(s, version_id=version_id),
        lambda s: save_basics(
            s, unit_id=unit_id, form=BasicsForm(code="ÖKNY", name="Nytt"), version_id=version_id
        ),
        lambda s: publish(s, version_id=version_id),
    ]:
        refused(
            engine,
            clock,
            work,
            field="template_code",
            match="publicerad och kan inte ändras",
        )
    with open_session(engine, user=USER, clock=clock) as session:
        found = published_version(session, unit_id=unit_id, code="ökny")
        assert found is not None and found.id == version_id
        assert published_version(session, unit_id=unit_id, code="NEJ") is None


def test_new_working_copy_and_republish_keeps_old_version_for_laid_days(
    engine, clock, unit_id, version_id
):
    add(engine, clock, version_id, "ÖKNY", "10:00", "12:00", "60", "", "3")
    write(engine, clock, lambda s: publish(s, version_id=version_id))
    with open_session(engine, user=USER, clock=clock) as session:
        template_id = load_version(session, version_id=version_id).template.id
    copy = write(engine, clock, lambda s: new_working_copy(s, template_id=template_id))
    assert (copy.version_no, copy.status, copy.name) == (2, "Arbetskopia", "ÖK nybesök")
    assert rows_of(engine, clock, copy.id) == [(T(10), T(12))]
    refused(
        engine,
        clock,
        lambda s: new_working_copy(s, template_id=template_id),
        field="template_code",
        match="redan en arbetskopia",
    )
    add(engine, clock, copy.id, "ÖKÅB", "13:00", "14:00", "30", "", "3")
    with open_session(engine, user=USER, clock=clock) as session:
        assert published_version(session, unit_id=unit_id, code="ÖKNY").id == version_id  # type: ignore[union-attr]
        view = read_template(session, unit_id=unit_id, code="ÖKNY")
        assert view is not None and view.version.id == copy.id and view.has_published
    write(engine, clock, lambda s: publish(s, version_id=copy.id))
    with open_session(engine, user=USER, clock=clock) as session:
        assert published_version(session, unit_id=unit_id, code="ÖKNY").id == copy.id  # type: ignore[union-attr]
        old = session.get(models.DayTemplateVersion, version_id)
        assert old is not None and old.status == "Ersatt"
        # a day laid with version 1 keeps its slots: the old version's pattern is unchanged
        assert len(version_pattern(session, version_id=version_id)) == 2
        assert len(version_pattern(session, version_id=copy.id)) == 4
        lines = list_templates(session, unit_id=unit_id)
        assert [(line.code, line.version_no, line.status) for line in lines] == [
            ("ÖKNY", 2, "Publicerad")
        ]


def test_new_working_copy_needs_a_published_version(engine, clock, unit_id, version_id):
    with open_session(engine, user=USER, clock=clock) as session:
        template_id = load_version(session, version_id=version_id).template.id
    write(engine, clock, lambda s: delete_all_rows(s, version_id=version_id))
    with write_session(engine, user=USER, clock=clock) as session:
        session.delete(session.get(models.DayTemplateVersion, version_id))
    refused(
        engine,
        clock,
        lambda s: new_working_copy(s, template_id=template_id),
        field="template_code",
        match="ingen publicerad version",
    )


# -- Ta bort Dagmall and overview -----------------------------------------------------------


def test_delete_template(engine, clock, unit_id, version_id):
    add(engine, clock, version_id, "ÖKNY", "10:00", "11:00")
    with open_session(engine, user=USER, clock=clock) as session:
        template_id = load_version(session, version_id=version_id).template.id
    write(engine, clock, lambda s: delete_template(s, template_id=template_id))
    with open_session(engine, user=USER, clock=clock) as session:
        assert read_template(session, unit_id=unit_id, code="ÖKNY") is None
        assert session.exec(select(models.DayTemplateRow)).all() == []


def test_delete_template_refused_while_a_schedule_day_uses_it(demo_engine, clock):
    with open_session(demo_engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "KIR")).one()
        version = published_version(session, unit_id=unit.id, code="ÖK")
        assert version is not None
        used = session.exec(
            select(models.ScheduleDay).where(models.ScheduleDay.template_version_id == version.id)
        ).first()
    if used is None:  # the scheduling demo may not lay ÖK; lay a day here
        with write_session(demo_engine, user=USER, clock=clock) as session:
            caregiver = session.exec(
                select(models.Caregiver).where(models.Caregiver.unit_id == unit.id)
            ).first()
            clinic = session.exec(
                select(models.Clinic).where(models.Clinic.unit_id == unit.id)
            ).first()
            letter = session.exec(
                select(models.LetterTemplate).where(models.LetterTemplate.unit_id == unit.id)
            ).first()
            session.add(
                models.ScheduleDay(
                    unit_id=unit.id,
                    caregiver_id=caregiver.id,
                    day=dt.date(2026, 11, 30),
                    template_version_id=version.id,
                    clinic_id=clinic.id,
                    letter_template_id=letter.id,
                )
            )
    error = refused(
        demo_engine,
        clock,
        lambda s: delete_template(s, template_id=version.template_id),
        field="template_code",
        match="används i lagt schema",
    )
    assert "ÖK" in error.message


def test_demo_templates_in_every_unit(demo_engine, clock):
    with open_session(demo_engine, user=USER, clock=clock) as session:
        for unit in session.exec(select(models.Unit)).all():
            version = published_version(session, unit_id=unit.id, code="ÖK")
            assert version is not None and version.name == "Öppen kallelse"
            slots = [
                (s.start, s.end, s.reason, s.level_1177)
                for s in version_pattern(session, version_id=version.id)
            ]
            assert slots == [
                (T(10), T(11), "", 3),
                (T(11), T(12), "", 3),
                (T(12), T(13), "LUNCH", 0),
                (T(13), T(13, 30), "", 3),
                (T(13, 30), T(14), "", 3),
            ]
        kir = session.exec(select(models.Unit).where(models.Unit.code == "KIR")).one()
        working = read_template(session, unit_id=kir.id, code="ÖKNY")
        assert working is not None and working.editable and working.rows
        statuses = {line.status for line in list_templates(session, unit_id=kir.id)}
        assert statuses == {"Arbetskopia", "Publicerad"}
        assert [
            line.code for line in list_templates(session, unit_id=kir.id, status="Arbetskopia")
        ] == ["ÖKNY"]
        assert [line.code for line in list_templates(session, unit_id=kir.id, text="öppen")] == [
            "ÖK"
        ]
        assert published_version(session, unit_id=kir.id, code="GRUP") is None


def test_demo_group_template_in_reum_is_published_and_not_laid(demo_engine, clock):
    with open_session(demo_engine, user=USER, clock=clock) as session:
        reum = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        version = published_version(session, unit_id=reum.id, code="GRUP")
        assert version is not None and version.name == "Gruppträff"
        view = load_version(session, version_id=version.id)
        activity = view.rows[0].activity
        assert (activity.code, activity.name, activity.activity_type, activity.contact_type) == (
            "GRP",
            "Reumaskola",
            "Grupptid",
            "NY",
        )
        assert [(s.start, s.end, s.seats, s.level_1177) for s in view.pattern()] == [
            (T(14), T(15), 8, 3)
        ]
        laid = session.exec(
            select(models.ScheduleDay).where(models.ScheduleDay.template_version_id == version.id)
        ).first()
        assert laid is None  # the scheduling demo lays ÖK only


# -- The day view (pure) --------------------------------------------------------------------


def test_day_view_draws_the_seed_picture():
    from pasis_tui.core.slot_pattern import PatternRow, slot_pattern

    slots = slot_pattern(
        [
            PatternRow(1, T(10), T(12), 60, 3),
            PatternRow(2, T(12), T(13), None, 0, "LUNCH"),
            PatternRow(3, T(13), T(14), 30, 3),
        ]
    )
    lines = day_view(
        from_time=T(8),
        resolution="näst högsta",
        slots=slots,
        names={1: "1177 ny", 2: "Rast", 3: "1177 ÅB"},
    )
    assert [(line.axis, line.text) for line in lines] == [
        ("08:00", ""),
        ("09:00", ""),
        ("10:00", "10:00 - 11:00  1177 ny"),
        ("", "  60 min · nivå 3"),
        ("11:00", "11:00 - 12:00  1177 ny"),
        ("", "  60 min · nivå 3"),
        ("12:00", "12:00 - 13:00  Rast"),  # Orsak never hides the activity
        ("", "  60 min · nivå 0"),
        ("", "  Orsak: LUNCH"),
        ("13:00", "13:00 - 13:30  1177 ÅB"),
        ("", "  30 min · nivå 3"),
        ("", "13:30 - 14:00  1177 ÅB"),
        ("", "  30 min · nivå 3"),
    ]
    group = slot_pattern([PatternRow(4, T(14), T(15), None, 3, seats=8)])
    one = slot_pattern([PatternRow(5, T(15), T(16), None, 3, seats=1)])
    lines = day_view(
        from_time=T(14),
        resolution="näst högsta",
        slots=group + one,
        names={4: "Gruppträff", 5: "X"},
    )
    assert [(line.axis, line.text) for line in lines][:4] == [
        ("14:00", "14:00 - 15:00  Gruppträff"),
        ("", "  60 min · nivå 3"),
        ("", "  (8 platser)"),
        ("15:00", "15:00 - 16:00  X"),
    ]
    assert lines[0].slot == lines[1].slot == group[0]  # either line picks the row
    empty = day_view(from_time=T(8), resolution="högsta", slots=[], names={})
    assert [line.axis for line in empty][:3] == ["08:00", "08:30", "09:00"] and len(empty) == 8


def test_database_guards_the_template_code(engine, clock, unit_id, version_id, monkeypatch):
    import pasis_tui.core.day_templates as day_templates

    monkeypatch.setattr(day_templates, "find_template", lambda *a, **k: None)  # the check raced
    refused(
        engine,
        clock,
        lambda s: save_basics(s, unit_id=unit_id, form=BasicsForm(code="ÖKNY", name="Igen")),
        field="template_code",
        match="finns redan",
    )
