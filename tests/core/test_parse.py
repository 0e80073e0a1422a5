"""core.parse's messages: a generic one gets its field's label; a date example is today's."""

import datetime as dt

import pytest

from pasis_tui.core import parse
from pasis_tui.core.errors import PasisError
from pasis_tui.core.parse import NUMBER_RANGE, TIME_INVALID, date_invalid, named

DATE_INVALID = date_invalid()


@pytest.mark.parametrize(
    ("label", "message", "expected"),
    [
        ("From datum", DATE_INVALID, "From datum: ogiltigt datum, skriv ÅÅÅÅ-MM-DD"),
        ("Starttid *", TIME_INVALID, "Starttid: ogiltig tid, skriv TT:MM"),
        ("Antal veckor", NUMBER_RANGE.format(low=1, high=52), "Antal veckor: tillåtet är 1–52"),
        ("", DATE_INVALID, "Ogiltigt datum, skriv"),
        # A rule's own message already says what it is about.
        ("Personnummer", "Patienten är redan bokad på tiden", "Patienten är redan bokad"),
        ("Vg-kat", "Vg-kat: okänd kod S. Välj bland LÄK", "Vg-kat: okänd kod S"),
    ],
)
def test_a_generic_message_is_named_by_its_field_and_a_rule_message_is_kept(
    label: str, message: str, expected: str
) -> None:
    assert named(label, message).startswith(expected)


def test_a_date_message_takes_its_example_from_the_application_date() -> None:
    parse.give_examples_from(lambda: dt.date(2026, 3, 2))
    try:
        assert date_invalid().endswith("(t.ex. 2026-03-02)")
        with pytest.raises(PasisError) as error:
            parse.parse_date("2026-13-45", field="from_date")
        assert error.value.message == date_invalid() and error.value.field == "from_date"
    finally:
        parse.give_examples_from(dt.date.today)


@pytest.mark.parametrize(
    ("today", "example"),
    [(dt.date(2026, 3, 2), "10-11"), (dt.date(2026, 12, 28), "53"), (dt.date(2027, 1, 4), "1-2")],
)
def test_the_week_example_is_this_week_and_the_next_never_across_a_year(
    today: dt.date, example: str
) -> None:
    assert parse.week_example(today) == example
