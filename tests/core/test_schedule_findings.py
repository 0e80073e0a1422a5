"""Issue #9 in the SP 272 services: Förlängning keeps the pattern over a red-day week, week
ranges that cross the year ask first, laying messages name their dates, messages name the
field and the rule, Swedish singular and plural."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from pasis_tui.core import schedule_cases as cases
from pasis_tui.core.clock import FixedClock
from pasis_tui.core.context import WorkContext
from pasis_tui.core.db import write_session
from pasis_tui.core.errors import PasisError
from pasis_tui.core.publishing import PublishResult, publish_schedule
from pasis_tui.core.schedule_laying import LayResult, extend_schedule
from pasis_tui.core.scheduling import find_resource, week_warnings
from pasis_tui.core.units import list_units
from tests.conftest import USER
from tests.core.test_scheduling import WORKWEEK, _caregiver, _lay, _unit


def _context(engine: Engine, clock: FixedClock) -> WorkContext:
    with write_session(engine, user=USER, clock=clock) as session:
        unit = next(unit for unit in list_units(session) if unit.code == "REUM")
    return WorkContext(engine=engine, user=USER, clock=clock, unit=unit)


def test_extension_over_a_red_day_week_keeps_every_weekday(
    demo_engine: Engine, clock: FixedClock
) -> None:
    """VV: ÖK Må-Fr in weeks 51–52 of 2026; week 52 lacks Julafton and Juldagen (Thu, Fri).
    Extending two weeks lays Thursdays and Fridays again, skipping only the new red days."""
    with write_session(demo_engine, user=USER, clock=clock) as session:
        _lay(session, clock, weeks=[(2026, 51), (2026, 52)], weekdays=WORKWEEK)
        publish_schedule(session, clock=clock, caregiver_ids=[_caregiver(session, "VV")])
    with write_session(demo_engine, user=USER, clock=clock) as session:
        result = extend_schedule(
            session, clock=clock, unit_id=_unit(session),
            caregiver_id=_caregiver(session, "VV"), weeks=2,
        )  # fmt: skip
    assert dt.date(2027, 1, 7) in result.laid and dt.date(2027, 1, 8) in result.laid
    # Week 53's Thursday and Friday are red days themselves: skipped and listed.
    assert [day for day, _ in result.skipped_red_days] == [
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 6),
    ]
    assert len(result.laid) == 7
    assert result.message.startswith(
        "Förlängningen är inlagd: 7 dagar, 2026-12-28 – 2027-01-08, 35 tider. Röda dagar"
    )


def test_week_range_across_the_year_is_laid_only_once_confirmed(
    demo_engine: Engine, clock: FixedClock
) -> None:
    ctx = _context(demo_engine, clock)
    who = cases.Who("VV", "2026-11-23")
    request = cases.LayRequest(
        week_template=False, weeks_text="52-1", weekdays_text="Må", template_code="ÖK",
        clinic_code="M11", letter_code="ÖK",
    )  # fmt: skip
    asked = cases.lay_days(ctx=ctx, who=who, request=request)
    assert asked.question.startswith("Vecka 52-1: vecka 52-1 går över årsskiftet till år 2027.")
    assert "3 dagar, 2026-12-21 – 2027-01-04, 15 tider" in asked.question
    assert asked.view.preliminary_count == 0  # nothing written before the answer
    done = cases.lay_days(ctx=ctx, who=who, request=request, confirmed=True)
    assert done.question == ""
    assert done.message == "Dagmall har lagts till: 3 dagar, 2026-12-21 – 2027-01-04, 15 tider"


def test_weeks_before_from_date_are_named_as_next_year() -> None:
    assert week_warnings("9", from_date=dt.date(2026, 3, 2)) == [
        "vecka 9 ligger före From datums vecka 10 och läses som år 2027"
    ]
    assert week_warnings("12-11", from_date=dt.date(2026, 3, 2)) == [
        "vecka 12-11 går över årsskiftet till år 2027"
    ]
    assert week_warnings("10-12, 14", from_date=dt.date(2026, 3, 2)) == []


def test_messages_name_the_field_and_the_rule(demo_engine: Engine, clock: FixedClock) -> None:
    ctx = _context(demo_engine, clock)
    with write_session(demo_engine, user=USER, clock=clock) as session:
        with pytest.raises(PasisError, match="^Vårdgivare måste fyllas i$"):
            find_resource(session, unit_id=_unit(session), signature="  ")
    with pytest.raises(PasisError) as error:
        cases.read_view(ctx=ctx, who=cases.Who("HAN", "2026-13-45"))
    assert error.value.message == "From datum: ogiltigt datum (t.ex. 2026-11-22)"
    assert error.value.field == "from_date"
    for typed in ("1000", "0", "tio"):
        with pytest.raises(PasisError) as error:
            cases.extend(ctx=ctx, who=cases.Who("HAN"), weeks_text=typed, include_red_days=False)
        assert (error.value.message, error.value.field) == ("Antal veckor: 1–52", "extend_weeks")


def test_singular_and_plural() -> None:
    one = LayResult(laid=[dt.date(2026, 12, 1)], slots=1)
    assert one.message == "Dagmall har lagts till: 1 dag, 2026-12-01, 1 tid"
    assert cases.days_text(1) == "1 dag" and cases.days_text(2) == "2 dagar"
    published = PublishResult(
        days=1, slots=5, first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 1)
    )
    assert (
        published.message == "Det preliminära schemat har blivit utlagt: 1 dag, 2026-12-01, 5 tider"
    )
