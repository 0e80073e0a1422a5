"""Reading what staff type: dates, times, whole numbers, codes; errors in Swedish at the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pasis_tui.core.errors import PasisError

DATE_INVALID = "Ogiltigt datum, skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅMMDD (t.ex. {example})"
TIME_INVALID = "Ogiltig tid, skriv TT:MM eller TTMM (t.ex. 08:00)"
NUMBER_INVALID = "Skriv ett heltal"
NUMBER_RANGE = "Tillåtet är {low}–{high}"
NUMBER_LABELLED = "{label}: ett heltal {low}–{high}"
CODE_INVALID = "Koden får vara 1–{max} tecken: bokstäver (även ÅÄÖ) och siffror"
REQUIRED = "{label} måste fyllas i"


#: The day a date message gives as its example: the application's date, which the app sets from
#: its clock (a trainer's `--now` too); the computer's date until then.
_example_day: Callable[[], dt.date] = dt.date.today


def give_examples_from(today: Callable[[], dt.date]) -> None:
    """Date messages take their example from `today` (PasisApp passes its clock)."""
    global _example_day
    _example_day = today


def date_invalid() -> str:
    """`Ogiltigt datum, skriv … (t.ex. 2026-03-02)`, the example being the application's date."""
    return DATE_INVALID.format(example=f"{_example_day():%Y-%m-%d}")


def week_example(today: dt.date) -> str:
    """SP 272's Vecka example: this week and the next (`10-11`), one week where the next is in
    another year (a range across a year asks first)."""
    week, following = today.isocalendar().week, (today + dt.timedelta(weeks=1)).isocalendar().week
    return f"{week}-{following}" if following > week else f"{week}"


# The openings of the messages above that do not say which field they are about.
_UNNAMED = ("Ogiltigt datum", "Ogiltig tid", "Skriv ett heltal", "Tillåtet är", "Koden får vara")


def named(label: str, message: str) -> str:
    """A generic message with its field's name: `From datum: ogiltigt datum, …`.

    A message a rule wrote ("Patienten är redan bokad …", "Invånarmall 999 finns inte …")
    already says what it is about and is left as it is.
    """
    label = label.removesuffix(" *").rstrip(":").strip()
    if not label or not message.startswith(_UNNAMED):
        return message
    return f"{label}: {message[:1].lower()}{message[1:]}"


# The weekdays as Pasis writes them (SP 270 Veckodag, SP 272), Monday first, and the work week.
WEEKDAY_NAMES = ("Må", "Ti", "On", "To", "Fr", "Lö", "Sö")
WORKWEEK = "Må-Fr"

_CODE_RE = re.compile(r"^[0-9A-ZÅÄÖ]+$")


def parse_date(text: str, *, field: str, default: dt.date | None = None) -> dt.date | None:
    """`2026-11-23` or `20261123`; empty gives `default`."""
    value = text.strip()
    if not value:
        return default
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{8}", digits) or (len(value) == 10 and value.count("-") != 2):
        raise PasisError(date_invalid(), field=field)
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise PasisError(date_invalid(), field=field) from None


def parse_time(text: str, *, field: str, default: dt.time | None = None) -> dt.time | None:
    """`08:00`, `0800` or `8`; empty gives `default`."""
    value = text.strip().replace(".", ":")
    if not value:
        return default
    match = re.fullmatch(r"(\d{1,2}):?(\d{2})?", value)
    if not match:
        raise PasisError(TIME_INVALID, field=field)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise PasisError(TIME_INVALID, field=field)
    return dt.time(hour, minute)


def parse_int(
    text: str,
    *,
    field: str,
    low: int,
    high: int,
    default: int | None = None,
    label: str = "",
) -> int | None:
    """A whole number in `low`–`high`; with `label` the message names the field and its range
    (`Antal överbokningar: 0–999`)."""
    value = text.strip()
    if not value:
        return default
    if not re.fullmatch(r"\d+", value):
        if label:
            raise PasisError(NUMBER_LABELLED.format(label=label, low=low, high=high), field=field)
        raise PasisError(
            f"{NUMBER_INVALID}. {NUMBER_RANGE.format(low=low, high=high)}", field=field
        )
    number = int(value)
    if not low <= number <= high:
        if label:
            raise PasisError(f"{label}: {low}–{high}", field=field)
        raise PasisError(NUMBER_RANGE.format(low=low, high=high), field=field)
    return number


def parse_code(text: str, *, field: str, max_length: int = 4) -> str:
    """A Pasis code (activity, day template): 1–4 letters or digits, stored upper-case."""
    value = text.strip().upper()
    if not value or len(value) > max_length or not _CODE_RE.match(value):
        raise PasisError(CODE_INVALID.format(max=max_length), field=field)
    return value


def required(text: str, *, field: str, label: str) -> str:
    value = text.strip()
    if not value:
        raise PasisError(REQUIRED.format(label=label), field=field)
    return value


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def format_time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def format_stamp(at: dt.datetime | None, user: str | None) -> str:
    """Upplagd/Ändrad as Pasis shows it: `20250509 VIS` (date in Swedish local time)."""
    if at is None:
        return ""
    from pasis_tui.core.clock import from_utc_naive

    return f"{from_utc_naive(at):%Y%m%d} {user or ''}".strip()


def count_text(count: int, one: str, many: str) -> str:
    """`1 dag`, `2 dagar`: Swedish singular and plural."""
    return f"{count} {one if count == 1 else many}"
