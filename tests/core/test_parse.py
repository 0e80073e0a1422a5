"""The field-naming of messages (core.parse.named): generic messages get their label."""

import pytest

from pasis_tui.core.parse import DATE_INVALID, NUMBER_RANGE, TIME_INVALID, named


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
