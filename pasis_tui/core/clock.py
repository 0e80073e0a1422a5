"""The application clock: Swedish local time, real or fixed for training, demos and tests."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC

NOW_FORMAT = "%Y-%m-%d %H:%M"


class Clock(Protocol):
    """Anything that tells the current time as an aware Europe/Stockholm datetime."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real time in Europe/Stockholm."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(STOCKHOLM)


class FixedClock:
    """A clock that stands still at a given moment until told to move (training, demos, tests)."""

    def __init__(self, moment: dt.datetime) -> None:
        self._moment = aware(moment)

    def now(self) -> dt.datetime:
        return self._moment

    def set(self, moment: dt.datetime) -> None:
        self._moment = aware(moment)

    def advance(self, delta: dt.timedelta) -> None:
        """Move on by real elapsed time (computed in UTC, so clock changes are honoured)."""
        self._moment = (self._moment.astimezone(UTC) + delta).astimezone(STOCKHOLM)


def aware(moment: dt.datetime) -> dt.datetime:
    """A naive datetime is read as Swedish wall time; an aware one is converted to it."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(STOCKHOLM)


def parse_now(text: str) -> dt.datetime:
    """Parse the `--now` argument ("YYYY-MM-DD HH:MM", Swedish local time)."""
    return dt.datetime.strptime(text.strip(), NOW_FORMAT).replace(tzinfo=STOCKHOLM)


def today(clock: Clock) -> dt.date:
    return clock.now().date()


def wall_exists(moment: dt.datetime) -> bool:
    """Whether a naive Swedish wall-clock time exists (02:30 on the spring-forward day does not)."""
    local = moment.replace(tzinfo=STOCKHOLM)
    round_trip = local.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None)
    return round_trip == moment


def wall_to_utc(moment: dt.datetime) -> dt.datetime:
    """A naive Swedish wall time as naive UTC (the first occurrence when autumn repeats an hour)."""
    return moment.replace(tzinfo=STOCKHOLM, fold=0).astimezone(UTC).replace(tzinfo=None)


def utc_naive(moment: dt.datetime) -> dt.datetime:
    """An aware datetime as naive UTC, the form stored in the database."""
    return aware(moment).astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(moment: dt.datetime) -> dt.datetime:
    """A stored naive UTC datetime as aware Swedish local time."""
    return moment.replace(tzinfo=UTC).astimezone(STOCKHOLM)
