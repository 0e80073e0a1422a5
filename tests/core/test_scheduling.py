"""SP 272 services: laying templates (weeks × weekdays, Må-Fr, red days), publishing (atomic,
clock-change days), Veckomall, Förlängning, changing and removing laid days."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from pasis_tui.core import models, scheduling
from pasis_tui.core.booking import book_slot
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template
from pasis_tui.core.db import open_session, write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.publishing import publish_schedule
from pasis_tui.core.schedule_changes import change_laid_day, day_ids_in_period, remove_laid_days
from pasis_tui.core.schedule_laying import (
    extend_schedule,
    lay_preliminary,
    lay_week_template,
    preliminary_day_ids,
    remove_preliminary,
)
from pasis_tui.core.scheduling import (
    code_and_name,
    find_resource,
    parse_weekdays,
    parse_weeks,
    read_schedule,
)
from tests.conftest import USER

WORKWEEK = [0, 1, 2, 3, 4]


def _unit(session: Session, code: str = "REUM") -> int:
    unit = session.exec(select(models.Unit).where(models.Unit.code == code)).one()
    assert unit.id is not None
    return unit.id


def _caregiver(session: Session, signature: str, unit: str = "REUM") -> int:
    caregiver = find_resource(session, unit_id=_unit(session, unit), signature=signature)
    assert caregiver.id is not None
    return caregiver.id


def _lay(session: Session, clock: FixedClock, signature: str = "VV", **kwargs: object):
    args: dict[str, object] = {
        "template_code": "ÖK",
        "weeks": [(2026, 49)],
        "weekdays": WORKWEEK,
        "clinic_code": "M11",
        "letter_code": "ÖK",
    }
    args.update(kwargs)
    return lay_preliminary(
        session,
        clock=clock,
        unit_id=_unit(session),
        caregiver_id=_caregiver(session, signature),
        **args,  # type: ignore[arg-type]
    )


def _slot_count(engine: Engine, clock: FixedClock) -> int:
    with open_session(engine, user=USER, clock=clock) as session:
        return session.exec(select(func.count()).select_from(models.Slot)).one()


def _night_template(session: Session, unit_id: int) -> None:
    """A published template 'NATT' 01:00–04:00 by 30 min, made through the SP 270 services."""
    create_template(
        session,
        unit_id=unit_id,
        basics=BasicsForm(code="NATT", name="Nattjour", overbookings="2"),
        rows=[RowForm("ÖKNY", "01:00", "04:00", visit_length="30", level="3")],
    )


# -- parsing ---------------------------------------------------------------------------------------


def test_parse_weeks_ranges_lists_and_new_year() -> None:
    seed = dt.date(2025, 9, 29)
    assert parse_weeks("40-41", from_date=seed) == [(2025, 40), (2025, 41)]
    assert parse_weeks("40,41", from_date=seed) == [(2025, 40), (2025, 41)]
    late = dt.date(2026, 11, 22)  # week 47; 2026 has 53 ISO weeks
    assert parse_weeks("52-2", from_date=late) == [(2026, 52), (2026, 53), (2027, 1), (2027, 2)]
    assert parse_weeks("3", from_date=late) == [(2027, 3)]
    for bad in ("", "x", "0", "54", "40--41"):
        with pytest.raises(PasisError) as error:
            parse_weeks(bad, from_date=seed)
        assert error.value.field == "weeks"
    with pytest.raises(PasisError, match="Vecka 53 finns inte år 2025"):
        parse_weeks("53", from_date=seed)


def test_parse_weekdays() -> None:
    assert parse_weekdays("Må-Fr") == WORKWEEK
    assert parse_weekdays("Må On Sö") == [0, 2, 6]
    assert parse_weekdays("ti,to,So") == [1, 3, 6]
    for bad in ("", "Xy", "Fr-Må"):
        with pytest.raises(PasisError) as error:
            parse_weekdays(bad)
        assert error.value.field == "weekdays"


# -- laying ----------------------------------------------------------------------------------------


def test_lay_weeks_times_weekdays_as_preliminary(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = _lay(session, clock, weeks=[(2026, 49), (2026, 50)], weekdays=[0, 2])
    assert result.laid == [
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 9),
    ]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        view = read_schedule(
            session, unit_id=_unit(session), signature="vv", from_date=dt.date(2026, 12, 2)
        )
    assert view.first == dt.date(2026, 11, 30) and view.last == dt.date(2027, 1, 3)
    laid = view.laid()
    assert [day.day for day in laid] == result.laid
    assert all(day.preliminary for day in laid)
    assert laid[0].label == "10:00 ÖK Öppen kallelse"
    assert (laid[0].clinic_code, laid[0].letter_code, laid[0].template_code) == ("M11", "ÖK", "ÖK")
    assert laid[0].created.endswith(USER)
    assert view.preliminary_count == 4 and view.published_count == 0
    assert view.red_days[dt.date(2026, 12, 25)] == "Juldagen"


def test_workweek_skips_red_days_unless_chosen(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        skipped = _lay(session, clock, weeks=[(2026, 52)])
    assert skipped.laid == [dt.date(2026, 12, 21), dt.date(2026, 12, 22), dt.date(2026, 12, 23)]
    assert skipped.skipped_red_days == [
        (dt.date(2026, 12, 24), "Julafton"),
        (dt.date(2026, 12, 25), "Juldagen"),
    ]
    assert "Julafton" in skipped.message
    with write_session(demo_engine, user=USER, clock=clock) as session:
        included = _lay(session, clock, weeks=[(2026, 53)], include_red_days=True)
    assert dt.date(2027, 1, 1) in included.laid and len(included.laid) == 5


def test_only_red_days_lays_nothing(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="röda dagar"):
            _lay(session, clock, weeks=[(2026, 52)], weekdays=[3, 4])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"clinic_code": ""}, "clinic"),
        ({"template_code": ""}, "template_code"),
        ({"clinic_code": "K01"}, "clinic"),  # a KIR clinic, not REUM's
        ({"letter_code": ""}, "letter_template"),
        ({"letter_code": "NY1"}, "letter_template"),  # a Brevkod, not a Brevmall
        ({"template_code": "XYZ"}, "template_code"),
        ({"weeks": [(2026, 46)]}, "weeks"),  # before today
    ],
)
def test_lay_requires_clinic_letter_published_template_and_future(
    demo_engine: Engine, clock: FixedClock, kwargs: dict[str, object], field: str
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as error:
            _lay(session, clock, **kwargs)
    assert error.value.field == field


def test_overlapping_template_refused(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="överlappar"):
            _lay(session, clock, weekdays=[4])


def test_week_template_and_remove_preliminary(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = lay_week_template(
            session,
            clock=clock,
            unit_id=_unit(session),
            caregiver_id=_caregiver(session, "VV"),
            templates={0: "ÖK", 2: "ök", 4: ""},
            weeks=[(2026, 49)],
            clinic_code="M11",
            letter_code="STD",
        )
        assert result.laid == [dt.date(2026, 11, 30), dt.date(2026, 12, 2)]
    with write_session(demo_engine, user=USER, clock=clock) as session:
        ids = preliminary_day_ids(session, caregiver_id=_caregiver(session, "VV"))
        assert remove_preliminary(session, schedule_day_ids=ids[:1]) == 1
        assert len(preliminary_day_ids(session, caregiver_id=_caregiver(session, "VV"))) == 1


# -- publishing ------------------------------------------------------------------------------------


def test_publish_creates_slots_of_every_preliminary_day(
    demo_engine: Engine, clock: FixedClock
) -> None:
    before = _slot_count(demo_engine, clock)
    seen: list[tuple[int, int]] = []
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock)
        caregiver_id = _caregiver(session, "VV")
        result = publish_schedule(
            session,
            clock=clock,
            caregiver_ids=[caregiver_id],
            progress=lambda done, total: seen.append((done, total)),
            chunk_rows=7,
        )
    assert (result.days, result.slots) == (5, 25)  # 2 × ÖKNY 60 min, Rast, 2 × ÖKÅB 30 min
    assert seen[-1] == (5, 5) and len(seen) > 1
    assert _slot_count(demo_engine, clock) == before + 25
    with open_session(demo_engine, user=USER, clock=clock) as session:
        slots = session.exec(
            select(models.Slot)
            .where(models.Slot.caregiver_id == caregiver_id)
            .order_by(col(models.Slot.starts_at))
        ).all()
        first = slots[0]
        assert (first.starts_at, first.ends_at) == (
            dt.datetime(2026, 11, 30, 10, 0),
            dt.datetime(2026, 11, 30, 11, 0),
        )
        assert first.starts_at_utc == dt.datetime(2026, 11, 30, 9, 0)
        assert (first.visit_length_min, first.level_1177, first.overbookings) == (60, 3, 999)
        lunch = slots[2]
        assert (lunch.reason, lunch.level_1177, lunch.visit_length_min) == ("LUNCH", 0, 60)
        assert [s.starts_at.time() for s in slots[3:5]] == [dt.time(13, 0), dt.time(13, 30)]
        clinic = session.get(models.Clinic, first.clinic_id)
        letter = session.get(models.LetterTemplate, first.letter_template_id)
        assert clinic is not None and clinic.code == "M11"
        assert letter is not None and letter.code == "ÖK"
        view = read_schedule(
            session, unit_id=_unit(session), signature="VV", from_date=dt.date(2026, 11, 30)
        )
        assert view.published_count == 5 and view.preliminary_count == 0
        events = session.exec(
            select(models.AuditEntry).where(
                models.AuditEntry.action == models.AuditAction.EVENT,
                col(models.AuditEntry.summary).contains("5 dagar, 25 tider"),
            )
        ).all()
        assert len(events) == 1


def test_publish_without_preliminary_days_is_refused(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="inget preliminärt schema"):
            publish_schedule(session, clock=clock, caregiver_ids=[_caregiver(session, "VV")])


def test_publish_failure_in_the_middle_leaves_nothing(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock, weeks=[(2026, 49), (2026, 50)])
    before = _slot_count(demo_engine, clock)

    def fail_half_way(done: int, total: int) -> None:
        if done >= total // 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError), write_session(demo_engine, user=USER, clock=clock) as session:
        publish_schedule(
            session,
            clock=clock,
            caregiver_ids=[_caregiver(session, "VV")],
            progress=fail_half_way,
            chunk_rows=5,
        )
    assert _slot_count(demo_engine, clock) == before
    with open_session(demo_engine, user=USER, clock=clock) as session:
        assert len(preliminary_day_ids(session, caregiver_id=_caregiver(session, "VV"))) == 10


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Spring forward 02:00 → 03:00: 02:00 and 02:30 do not exist and get no slot.
        (
            dt.date(2027, 3, 28),
            [
                ("01:00", dt.datetime(2027, 3, 28, 0, 0)),
                ("01:30", dt.datetime(2027, 3, 28, 0, 30)),
                ("03:00", dt.datetime(2027, 3, 28, 1, 0)),
                ("03:30", dt.datetime(2027, 3, 28, 1, 30)),
            ],
        ),
        # Fall back 03:00 → 02:00: the repeated hour is laid once, at its first occurrence.
        (
            dt.date(2027, 10, 31),
            [
                ("01:00", dt.datetime(2027, 10, 30, 23, 0)),
                ("01:30", dt.datetime(2027, 10, 30, 23, 30)),
                ("02:00", dt.datetime(2027, 10, 31, 0, 0)),
                ("02:30", dt.datetime(2027, 10, 31, 0, 30)),
                ("03:00", dt.datetime(2027, 10, 31, 2, 0)),
                ("03:30", dt.datetime(2027, 10, 31, 2, 30)),
            ],
        ),
    ],
)
def test_clock_change_days_give_correct_slots(
    demo_engine: Engine,
    clock: FixedClock,
    day: dt.date,
    expected: list[tuple[str, dt.datetime]],
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _night_template(session, _unit(session))
        iso = day.isocalendar()
        _lay(
            session,
            clock,
            template_code="NATT",
            weeks=[(iso.year, iso.week)],
            weekdays=[6],
            include_red_days=True,
        )
        publish_schedule(session, clock=clock, caregiver_ids=[_caregiver(session, "VV")])
    with open_session(demo_engine, user=USER, clock=clock) as session:
        slots = session.exec(
            select(models.Slot)
            .where(models.Slot.caregiver_id == _caregiver(session, "VV"))
            .order_by(col(models.Slot.starts_at))
        ).all()
    assert [(f"{s.starts_at:%H:%M}", s.starts_at_utc) for s in slots] == expected
    assert all(s.day == day and s.overbookings == 2 for s in slots)


# -- published days: change, extend, remove --------------------------------------------------------


def _han_day_with_booking(session: Session) -> int:
    """The demo's first booked HAN day (Monday 2026-11-23)."""
    return day_ids_in_period(
        session,
        caregiver_id=_caregiver(session, "HAN"),
        first=dt.date(2026, 11, 23),
        last=dt.date(2026, 11, 23),
    )[0]


def test_change_clinic_and_letter_of_published_day_keeps_bookings(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        day_id = _han_day_with_booking(session)
        change_laid_day(session, schedule_day_id=day_id, clinic_code="m12", letter_code="STD")
    with open_session(demo_engine, user=USER, clock=clock) as session:
        slots = session.exec(select(models.Slot).where(models.Slot.schedule_day_id == day_id)).all()
        codes = {
            (session.get(models.Clinic, s.clinic_id).code, s.letter_template_id)  # type: ignore[union-attr]
            for s in slots
        }
        assert len(codes) == 1 and next(iter(codes))[0] == "M12"
        booked = session.exec(
            select(func.count())
            .select_from(models.Booking)
            .join(models.Slot, col(models.Slot.id) == models.Booking.slot_id)
            .where(
                models.Slot.schedule_day_id == day_id,
                models.Booking.status == models.BookingStatus.ACTIVE,
            )
        ).one()
        assert booked == 2
        with pytest.raises(PasisError) as error:
            change_laid_day(session, schedule_day_id=day_id, clinic_code="XX", letter_code="STD")
        assert error.value.field == "clinic"


def test_remove_period_with_bookings_needs_confirmation_and_notifies(
    demo_engine: Engine, clock: FixedClock
) -> None:
    from pasis_tui.core.booking import active_bookings

    with open_session(demo_engine, user=USER, clock=clock) as session:
        han = _caregiver(session, "HAN")
        ids = day_ids_in_period(
            session, caregiver_id=han, first=dt.date(2026, 11, 23), last=dt.date(2026, 11, 27)
        )
        booked = active_bookings(session, schedule_day_ids=ids)
    assert len(ids) == 5 and len(booked) == 3
    before = _slot_count(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="3 bokade tider finns: 2026-11-23 10:00"):
            remove_laid_days(session, clock=clock, schedule_day_ids=ids)
    with write_session(demo_engine, user=USER, clock=clock) as session:  # one not confirmed
        with pytest.raises(PasisError, match="1 bokad tid finns"):
            remove_laid_days(
                session,
                clock=clock,
                schedule_day_ids=ids,
                confirmed_booking_ids=[line.booking_id for line in booked[:2]],
            )
    assert _slot_count(demo_engine, clock) == before
    with write_session(demo_engine, user=USER, clock=clock) as session:
        removed = remove_laid_days(
            session,
            clock=clock,
            schedule_day_ids=ids,
            confirmed_booking_ids=[line.booking_id for line in booked],
        )
    assert removed == 5
    assert _slot_count(demo_engine, clock) == before  # kept, marked removed (issue #8)
    with open_session(demo_engine, user=USER, clock=clock) as session:
        events = session.exec(
            select(models.AuditEntry.summary).where(
                col(models.AuditEntry.summary).startswith("Ta bort schema")
            )
        ).all()
    assert events == ["Ta bort schema: 5 dagar, 25 tider, 3 bokningar avbokade"]
    with open_session(demo_engine, user=USER, clock=clock) as session:
        messages = session.exec(
            select(models.Message).where(models.Message.kind == models.MessageKind.CANCELLATION)
        ).all()
        assert len(messages) == 3
        assert "2026-11-23 10:00 hos Hanna Andersson" in messages[0].body
        assert "avbokats av mottagningen" in messages[0].body
        view = read_schedule(
            session, unit_id=_unit(session), signature="HAN", from_date=dt.date(2026, 11, 23)
        )
        assert all(day not in view.days for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 27)))


def test_remove_published_day_without_bookings(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        han = _caregiver(session, "HAN")
        ids = day_ids_in_period(
            session, caregiver_id=han, first=dt.date(2026, 12, 14), last=dt.date(2026, 12, 14)
        )
        assert remove_laid_days(session, clock=clock, schedule_day_ids=ids) == 1
        with pytest.raises(PasisError, match="Inga upplagda dagar"):
            day_ids_in_period(
                session, caregiver_id=han, first=dt.date(2026, 12, 14), last=dt.date(2026, 12, 14)
            )


def test_extend_repeats_last_published_week(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = extend_schedule(
            session,
            clock=clock,
            unit_id=_unit(session),
            caregiver_id=_caregiver(session, "HAN"),
            weeks=2,
        )
    # The demo's last published week is 2027 week 2 (Jan 11–15); weeks 3–4 follow.
    assert result.laid[0] == dt.date(2027, 1, 18) and result.laid[-1] == dt.date(2027, 1, 29)
    assert len(result.laid) == 10
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError) as error:
            extend_schedule(
                session,
                clock=clock,
                unit_id=_unit(session),
                caregiver_id=_caregiver(session, "VV"),
                weeks=2,
            )
        assert error.value.field == "extend_weeks"


def test_published_slots_are_bookable(demo_engine: Engine, clock: FixedClock) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock)
        publish_schedule(session, clock=clock, caregiver_ids=[_caregiver(session, "VV")])
    with write_session(demo_engine, user=USER, clock=clock) as session:
        slot = session.exec(
            select(models.Slot)
            .where(models.Slot.caregiver_id == _caregiver(session, "VV"))
            .order_by(col(models.Slot.starts_at))
        ).first()
        patient = session.exec(select(models.Patient)).first()
        assert slot is not None and patient is not None
        booking = book_slot(session, clock=clock, slot_id=slot.id, patient_id=patient.id)  # type: ignore[arg-type]
        assert booking.seat_no == 1


def test_place_schedule_plattschema(demo_engine: Engine, clock: FixedClock) -> None:
    """Plattschema: the same laying on a place (SKOPRUM1); a caregiver is not a place."""
    with write_session(demo_engine, user=USER, clock=clock) as session:
        gastro = _unit(session, "GASTRO")
        room = find_resource(
            session, unit_id=gastro, signature="skoprum1", kind=models.ResourceKind.PLACE
        )
        result = lay_preliminary(
            session,
            clock=clock,
            unit_id=gastro,
            caregiver_id=room.id,  # type: ignore[arg-type]
            template_code="ÖK",
            weeks=[(2026, 49)],
            weekdays=[1, 3],
            clinic_code="LUEM",
            letter_code="ÖK",
        )
        assert len(result.laid) == 2
        published = publish_schedule(session, clock=clock, caregiver_ids=[room.id])  # type: ignore[list-item]
        assert published.slots == 10
        with pytest.raises(PasisError, match="Okänd plats SKOPILINJEN") as error:
            find_resource(
                session, unit_id=gastro, signature="SKOPILINJEN", kind=models.ResourceKind.PLACE
            )
        assert error.value.field == "caregiver"
        view = read_schedule(
            session,
            unit_id=gastro,
            signature="SKOPRUM1",
            from_date=dt.date(2026, 12, 1),
            kind=models.ResourceKind.PLACE,
        )
        assert view.published_count == 2


def test_published_days_are_not_removed_as_preliminary(
    demo_engine: Engine, clock: FixedClock
) -> None:
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="Bara preliminära dagar"):
            remove_preliminary(session, schedule_day_ids=[_han_day_with_booking(session)])


@pytest.mark.parametrize(
    ("code", "name", "shown"),
    [
        ("M11", "M11 REUM DAGSJUKVÅRD MALMÖ", "M11 REUM DAGSJUKVÅRD MALMÖ"),
        ("m11", "M11 REUM DAGSJUKVÅRD MALMÖ", "M11 REUM DAGSJUKVÅRD MALMÖ"),
        ("M11", "M11", "M11"),
        ("ÖK", "Öppen kallelse", "ÖK Öppen kallelse"),
        ("M1", "M11 REUM", "M1 M11 REUM"),  # a longer code is not this one
        ("M11", "", "M11"),
    ],
)
def test_code_and_name_says_the_code_once(code: str, name: str, shown: str) -> None:
    assert code_and_name(code, name) == shown


def test_publish_reports_progress_by_days_even_in_one_chunk(
    demo_engine: Engine, clock: FixedClock
) -> None:
    """A one-caregiver year is one chunk of slots; the bar must still move (about 1 % a step)."""
    seen: list[tuple[int, int]] = []
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock, weeks=[(2026, 49), (2026, 50)])
        publish_schedule(
            session,
            clock=clock,
            caregiver_ids=[_caregiver(session, "VV")],
            progress=lambda done, total: seen.append((done, total)),
            progress_steps=4,
        )
    assert seen == [(3, 10), (6, 10), (9, 10), (10, 10)]


def test_preloaded_red_days_are_read_without_loading() -> None:
    """`pasis` reads this year's and next year's red days at idle; a screen's first read of
    either year then finds them loaded (holidays' first use costs about 0.1 s)."""
    scheduling._red_days_of.cache_clear()
    scheduling.preload_red_days(dt.date(2026, 12, 2))
    loaded = scheduling._red_days_of.cache_info().misses
    days = scheduling.red_days(dt.date(2026, 12, 20), dt.date(2027, 1, 6))
    assert scheduling._red_days_of.cache_info().misses == loaded == 2
    assert days[dt.date(2026, 12, 24)] == "Julafton"
    assert days[dt.date(2027, 1, 6)] == "Trettondedag jul"
