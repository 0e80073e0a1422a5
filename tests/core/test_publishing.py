"""Publicera schema's slot insert path on both backends: COPY on PostgreSQL (binary and text),
executemany on SQLite — all-or-nothing when the database fails half-way, and the values stored
exactly as SQLAlchemy would store them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from pasis_tui.core import models, slot_writer
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.publishing import publish_schedule
from pasis_tui.core.schedule_laying import lay_preliminary, preliminary_day_ids
from pasis_tui.core.scheduling import find_resource
from pasis_tui.core.slot_pattern import PatternSlot, lay_on_day
from tests.conftest import USER

#: Two weeks of the demo template ÖK for VV: 10 days of 5 slots; the second week fails.
WEEKS = [(2026, 49), (2026, 50)]
SECOND_WEEK = dt.date(2026, 12, 7)
SLOTS_PER_DAY = 5


@pytest.fixture(params=["binary", "text"])
def copy_format(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both COPY formats on PostgreSQL (SQLite's executemany path ignores the setting)."""
    monkeypatch.setattr(slot_writer, "COPY_FORMAT", request.param)
    return request.param


def _caregiver_id(session, signature: str = "VV") -> int:  # noqa: ANN001
    unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
    caregiver = find_resource(session, unit_id=unit.id, signature=signature)
    assert caregiver.id is not None
    return caregiver.id


def _lay_two_weeks(engine: Engine, clock: FixedClock) -> int:
    with write_session(engine, user=USER, clock=clock) as session:
        unit = session.exec(select(models.Unit).where(models.Unit.code == "REUM")).one()
        caregiver_id = _caregiver_id(session)
        lay_preliminary(
            session,
            clock=clock,
            unit_id=unit.id,  # type: ignore[arg-type]
            caregiver_id=caregiver_id,
            template_code="ÖK",
            weeks=WEEKS,
            weekdays=[0, 1, 2, 3, 4],
            clinic_code="M11",
            letter_code="ÖK",
        )
    return caregiver_id


def _slots_of(engine: Engine, clock: FixedClock, caregiver_id: int) -> list[models.Slot]:
    with open_session(engine, user=USER, clock=clock) as session:
        return list(
            session.exec(
                select(models.Slot)
                .where(models.Slot.caregiver_id == caregiver_id)
                .order_by(col(models.Slot.starts_at))
            ).all()
        )


def _install_failure(engine: Engine, from_day: dt.date) -> None:
    """A trigger that refuses every slot from `from_day` on: a real database error mid-insert."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER fail_half_way BEFORE INSERT ON slot "
                f"WHEN NEW.day >= '{from_day.isoformat()}' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
            return
        connection.exec_driver_sql(
            "CREATE FUNCTION fail_half_way() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full' USING ERRCODE = 'check_violation'; END $$"
        )
        connection.exec_driver_sql(
            "CREATE TRIGGER fail_half_way BEFORE INSERT ON slot FOR EACH ROW "
            f"WHEN (NEW.day >= DATE '{from_day.isoformat()}') EXECUTE FUNCTION fail_half_way()"
        )


def test_database_failure_half_way_leaves_no_slot_and_no_published_day(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    caregiver_id = _lay_two_weeks(demo_engine, clock)
    _install_failure(demo_engine, SECOND_WEEK)
    seen: list[int] = []
    with pytest.raises(IntegrityError, match="disk full"):
        with write_session(demo_engine, user=USER, clock=clock) as session:
            publish_schedule(
                session,
                clock=clock,
                caregiver_ids=[caregiver_id],
                progress=lambda done, total: seen.append(done),
                chunk_rows=SLOTS_PER_DAY,  # one flush a day: the first week is sent before
            )
    assert seen == [1, 2, 3, 4, 5]  # the first week went to the database, then it failed
    assert _slots_of(demo_engine, clock, caregiver_id) == []
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert len(preliminary_day_ids(session, caregiver_id=caregiver_id)) == 10
        published = session.exec(
            select(func.count())
            .select_from(models.ScheduleDay)
            .where(
                models.ScheduleDay.caregiver_id == caregiver_id,
                models.ScheduleDay.status == models.ScheduleStatus.PUBLISHED.value,
            )
        ).one()
        assert published == 0


def test_after_a_failed_publish_the_next_one_lays_every_slot(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    """The aborted COPY leaves the pooled connection usable, and nothing of the first attempt."""
    caregiver_id = _lay_two_weeks(demo_engine, clock)

    def fail_in_second_week(done: int, total: int) -> None:
        if done == 7:
            raise RuntimeError("avbruten")

    for progress in (fail_in_second_week, None):
        try:
            with write_session(demo_engine, user=USER, clock=clock) as session:
                result = publish_schedule(
                    session,
                    clock=clock,
                    caregiver_ids=[caregiver_id],
                    progress=progress,
                    chunk_rows=3,
                )
        except RuntimeError:
            assert progress is fail_in_second_week
            assert _slots_of(demo_engine, clock, caregiver_id) == []
    assert (result.days, result.slots) == (10, 10 * SLOTS_PER_DAY)
    slots = _slots_of(demo_engine, clock, caregiver_id)
    assert len(slots) == 10 * SLOTS_PER_DAY
    assert len({slot.id for slot in slots}) == len(slots)


def test_progress_may_read_the_session_between_flushes(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    """No COPY is left open while progress runs (a query then would wait for ever); the slots
    sent so far are visible inside the publish's own transaction."""
    caregiver_id = _lay_two_weeks(demo_engine, clock)
    counts: list[int] = []
    with write_session(demo_engine, user=USER, clock=clock) as session:

        def progress(done: int, total: int) -> None:
            counts.append(
                session.exec(
                    select(func.count())
                    .select_from(models.Slot)
                    .where(models.Slot.caregiver_id == caregiver_id)
                ).one()
            )

        publish_schedule(
            session,
            clock=clock,
            caregiver_ids=[caregiver_id],
            progress=progress,
            progress_steps=5,  # a report (and a flush) every second day
        )
    assert counts == [10, 20, 30, 40, 50]


def test_written_values_are_what_sqlalchemy_stores(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    """Every column type through the writer, on the autumn clock-change day (a repeated hour)
    and with a reason holding COPY's special characters, read back through the ORM."""
    with open_session(demo_engine, user=USER, clock=clock) as session:
        model = session.exec(select(models.Slot).order_by(col(models.Slot.id))).first()
        assert model is not None
        head = (
            model.schedule_day_id,
            model.caregiver_id,
            model.clinic_id,
            model.template_version_id,
            model.letter_template_id,
            7,
        )
    reason = "a\\b\tc\nd\re \\N Å"
    pattern = [
        PatternSlot(model.activity_id, dt.time(1, 30), dt.time(2, 30), 60, 3, reason, 2),
        PatternSlot(model.activity_id, dt.time(2, 30), dt.time(3, 0), 30, 4, "", 1),
        PatternSlot(model.activity_id, dt.time(23, 0), dt.time(23, 59), 59, 0, "", 1),
    ]
    day = dt.date(2027, 10, 31)
    laid = lay_on_day(day, pattern)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        connection = session.connection()
        before = connection.execute(text("SELECT max(id) FROM slot")).scalar_one()
        with slot_writer.open_slot_writer(connection) as writer:
            assert writer.add(head, writer.fragments(laid)) == 3
    with open_session(demo_engine, user=USER, clock=clock) as session:
        stored = session.exec(
            select(models.Slot).where(models.Slot.id > before).order_by(col(models.Slot.id))
        ).all()
    assert [
        (
            s.schedule_day_id,
            s.caregiver_id,
            s.clinic_id,
            s.template_version_id,
            s.letter_template_id,
            s.overbookings,
            s.activity_id,
            s.day,
            s.starts_at,
            s.ends_at,
            s.starts_at_utc,
            s.ends_at_utc,
            s.visit_length_min,
            s.level_1177,
            s.reason,
            s.seats,
            s.removed_at,
            s.removed_by,
        )
        for s in stored
    ] == [
        (
            *head,
            item.slot.activity_id,
            day,
            item.starts_at,
            item.ends_at,
            item.starts_at_utc,
            item.ends_at_utc,
            item.slot.visit_length_min,
            item.slot.level_1177,
            item.slot.reason,
            item.slot.seats,
            None,
            None,
        )
        for item in laid
    ]
    # 02:30 is laid once, in its first (summer-time) occurrence: UTC 00:30.
    assert stored[1].starts_at_utc == dt.datetime(2027, 10, 31, 0, 30)


def test_copy_text_goes_in_the_client_encoding(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    if demo_engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL client encoding")
    with open_session(demo_engine, user=USER, clock=clock) as session:
        model = session.exec(select(models.Slot).order_by(col(models.Slot.id))).first()
        assert model is not None
        head = (model.schedule_day_id, model.caregiver_id, model.clinic_id)
        head += (model.template_version_id, model.letter_template_id, 999)
    pattern = [PatternSlot(model.activity_id, dt.time(8, 0), dt.time(9, 0), 60, 3, "Åäö", 1)]
    with write_session(demo_engine, user=USER, clock=clock) as session:
        connection = session.connection()
        connection.exec_driver_sql("SET LOCAL client_encoding TO 'LATIN1'")
        before = connection.execute(text("SELECT max(id) FROM slot")).scalar_one()
        with slot_writer.open_slot_writer(connection) as writer:
            writer.add(head, writer.fragments(lay_on_day(SECOND_WEEK, pattern)))
    # Read back in UTF-8: UTF-8 bytes sent as LATIN1 would have been stored as "Ã\x85Ã¤Ã¶".
    with open_session(demo_engine, user=USER, clock=clock) as session:
        stored = session.exec(select(models.Slot.reason).where(models.Slot.id > before)).all()
    assert stored == ["Åäö"]


def test_a_bad_row_is_the_dialects_integrity_error(
    demo_engine: Engine, clock: FixedClock, copy_format: str
) -> None:
    """A foreign key the database refuses surfaces as SQLAlchemy's IntegrityError on both paths."""
    caregiver_id = _lay_two_weeks(demo_engine, clock)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        activity_id = session.exec(select(func.max(models.Activity.id))).one()
    pattern = [PatternSlot(activity_id + 1000, dt.time(8, 0), dt.time(9, 0), 60, 3, "", 1)]
    with pytest.raises(IntegrityError):
        with write_session(demo_engine, user=USER, clock=clock) as session:
            day_id = preliminary_day_ids(session, caregiver_id=caregiver_id)[0]
            head = (day_id, caregiver_id, 1, 1, 1, 999)
            with slot_writer.open_slot_writer(session.connection()) as writer:
                writer.add(head, writer.fragments(lay_on_day(SECOND_WEEK, pattern)))
    assert _slots_of(demo_engine, clock, caregiver_id) == []


@pytest.mark.parametrize(
    ("value", "binary", "text_form"),
    [
        (None, b"\xff\xff\xff\xff", "\\N"),
        (-2, b"\x00\x00\x00\x04\xff\xff\xff\xfe", "-2"),
        (dt.date(2000, 1, 2), b"\x00\x00\x00\x04\x00\x00\x00\x01", "2000-01-02"),
        (
            dt.datetime(1999, 12, 31, 23, 59, 59, 999_999),
            b"\x00\x00\x00\x08" + (-1).to_bytes(8, "big", signed=True),
            "1999-12-31 23:59:59.999999",
        ),
        ("Å\t", b"\x00\x00\x00\x03\xc3\x85\t", "Å\\t"),
    ],
)
def test_copy_encodings(value: object, binary: bytes, text_form: str) -> None:
    assert slot_writer.binary_value(value) == binary  # type: ignore[arg-type]
    assert slot_writer.text_value(value) == text_form  # type: ignore[arg-type]


def test_copy_encodings_refuse_aware_times() -> None:
    aware = dt.datetime(2027, 1, 4, 8, 0, tzinfo=dt.UTC)
    for encode in (slot_writer.binary_value, slot_writer.text_value):
        with pytest.raises(TypeError):
            encode(aware)
