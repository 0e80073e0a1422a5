"""The Dagmallar day view (pure): a time axis from `From kl` at the Upplösning, a line per slot.

Drawn like seed 3.3's picture: `10:00 - 11:00  1177 ny`, `12:00 - 13:00  LUNCH`; a group slot
with more than one place has a second line under its name: `(8 platser)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pasis_tui.core.slot_pattern import PatternSlot

#: Upplösning (calendar view) → minutes between the lines of the day view's time axis.
RESOLUTIONS: dict[str, int] = {"högsta": 30, "näst högsta": 60, "lägsta": 120}
SEATS = "({seats} platser)"
#: The line under each slot: what öppen kallelse depends on (seed 12), e.g. `60 min · nivå 3`.
DETAIL = "{length} min · nivå {level}"
INDENT = "  "  # the detail lines fit the narrow day view beside the form


@dataclass(frozen=True)
class DayLine:
    axis: str  # "10:00" on the time axis, or ""
    text: str  # "10:00 - 11:00  1177 ny", or ""
    slot: PatternSlot | None = None


def day_view(
    *, from_time: dt.time, resolution: str, slots: list[PatternSlot], names: dict[int, str]
) -> list[DayLine]:
    """The day view: a time axis from `From kl` at the Upplösning, each slot on its own line.

    A slot shows the activity's name; under it a line with Besökslängd and 1177-nivå, its
    Orsak on a line of its own (`Orsak: LUNCH`; it never hides the activity), and the places
    of a group slot (`(8 platser)`) — what seed 12 tells staff to check before öppen
    kallelse — which keeps the day view narrow enough to sit beside the form.
    """
    step = RESOLUTIONS.get(resolution, 60)
    first = from_time.hour * 60 + from_time.minute
    ends = [s.end.hour * 60 + s.end.minute for s in slots]
    last = max([first + 4 * 60, *ends])
    starts: dict[int, list[PatternSlot]] = {}
    for slot in slots:
        starts.setdefault(slot.start.hour * 60 + slot.start.minute, []).append(slot)
    times = sorted(set(range(first, last, step)) | set(starts))
    lines = []
    for minute in times:
        axis = f"{minute // 60:02d}:{minute % 60:02d}" if (minute - first) % step == 0 else ""
        if minute < first:
            axis = f"{minute // 60:02d}:{minute % 60:02d}"
        here = starts.get(minute, [])
        if not here:
            lines.append(DayLine(axis, ""))
        for index, slot in enumerate(here):
            label = names.get(slot.activity_id, "")
            text = f"{slot.start:%H:%M} - {slot.end:%H:%M}  "
            lines.append(DayLine(axis if index == 0 else "", text + label, slot))
            detail = DETAIL.format(length=slot.visit_length_min, level=slot.level_1177)
            lines.append(DayLine("", INDENT + detail, slot))
            if slot.reason:
                lines.append(DayLine("", INDENT + f"Orsak: {slot.reason}", slot))
            if slot.seats > 1:
                lines.append(DayLine("", INDENT + SEATS.format(seats=slot.seats), slot))
    return lines
