"""The slot pattern of a day template and laying it on a day (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from pasis_tui.core.errors import PasisError
from pasis_tui.core.slot_pattern import (
    PatternRow,
    check_row_times,
    lay_on_day,
    slot_pattern,
    split_row,
)

T = dt.time


def test_empty_length_is_one_slot_from_start_to_end():
    (slot,) = split_row(PatternRow(1, T(12), T(13), None, 0, "LUNCH"))
    assert (slot.start, slot.end, slot.visit_length_min, slot.reason) == (T(12), T(13), 60, "LUNCH")


def test_length_splits_the_row():
    slots = split_row(PatternRow(3, T(13), T(14), 30, 3))
    assert [(s.start, s.end) for s in slots] == [(T(13), T(13, 30)), (T(13, 30), T(14))]
    assert {s.level_1177 for s in slots} == {3}


def test_pattern_is_in_time_order_whatever_the_row_order():
    rows = [PatternRow(3, T(13), T(14), 30, 3), PatternRow(1, T(10), T(12), 60, 3)]
    assert [s.start for s in slot_pattern(rows)] == [T(10), T(11), T(13), T(13, 30)]


@pytest.mark.parametrize(
    ("end", "length", "nearest"),
    [(T(11, 40), 30, "11:30"), (T(11, 50), 30, "12:00"), (T(11, 45), 30, "11:30")],
)
def test_misfit_length_names_the_nearest_end_that_fits(end, length, nearest):
    with pytest.raises(PasisError) as caught:
        check_row_times(T(10), end, length)
    assert caught.value.field == "visit_length"
    assert caught.value.message.endswith(f"närmaste sluttid som passar är {nearest}")


def test_end_must_follow_start_and_length_fit_inside():
    with pytest.raises(PasisError, match="senare än starttiden") as caught:
        check_row_times(T(10), T(10), None)
    assert caught.value.field == "end_time"
    with pytest.raises(PasisError, match="längre än aktiviteten"):
        check_row_times(T(10), T(10, 30), 60)


def test_nearest_end_never_passes_midnight():
    with pytest.raises(PasisError, match="är 23:00"):
        check_row_times(T(22), T(23, 50), 60)


def test_lay_on_day_in_wall_time_with_utc_beside_it():
    pattern = slot_pattern([PatternRow(1, T(10), T(11), None, 3)])
    (laid,) = lay_on_day(dt.date(2026, 11, 23), pattern)
    assert laid.starts_at == dt.datetime(2026, 11, 23, 10)
    assert laid.starts_at_utc == dt.datetime(2026, 11, 23, 9)
    (summer,) = lay_on_day(dt.date(2026, 6, 1), pattern)
    assert summer.starts_at_utc == dt.datetime(2026, 6, 1, 8)


def test_spring_forward_hour_is_not_laid():
    pattern = slot_pattern([PatternRow(1, T(1), T(4), 30, 0)])
    laid = lay_on_day(dt.date(2026, 3, 29), pattern)
    assert [slot.starts_at.time() for slot in laid] == [T(1), T(1, 30), T(3), T(3, 30)]
