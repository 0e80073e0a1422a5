"""The Pasis screens ("bilder") by number; modules are imported only when first opened."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.base import PasisScreen


@dataclass(frozen=True)
class ScreenEntry:
    """One line of the main menu: Pasis number, name, and where its screen class lives."""

    key: str
    number: str
    name: str
    module: str | None  # None: a later issue builds it
    class_name: str = ""

    @property
    def built(self) -> bool:
        return self.module is not None

    @property
    def sp_number(self) -> str:
        """The Pasis screen number (`270`), or '' for views that are not a Pasis bild."""
        return self.number if self.number.isdigit() and self.number != "1177" else ""

    @property
    def label(self) -> str:
        return f"SP {self.sp_number}" if self.sp_number else self.number


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "270", "270", "Schemaläggning - Aktivitet", "screens.sp270_aktivitet", "ActivityScreen"
    ),
    ScreenEntry(
        "270d", "270", "Schemaläggning - Dagmallar", "screens.sp270_dagmallar", "DayTemplateScreen"
    ),
    ScreenEntry("272", "272", "Schemaläggning", "screens.sp272_schema", "ScheduleScreen"),
    ScreenEntry("tidbok", "TIDBOK", "Tidbok", "screens.tidbok", "AppointmentBookScreen"),
    ScreenEntry("090", "090", "Bevakning", None),
    ScreenEntry("191", "191", "Bevakningsutsökning", None),
    ScreenEntry("177", "177", "1177 Inställning tidbok", None),
    ScreenEntry("721", "721", "HSA-mappning", None),
    ScreenEntry("pmo", "PMO", "Tidbokstyper på 1177", "screens.tidbokstyper", "BookingTypesScreen"),
    ScreenEntry("1177", "1177", "1177 Invånare", "screens.invanare_1177", "CitizenScreen"),
)

BY_KEY = {entry.key: entry for entry in SCREENS}


def find_screen(text: str) -> ScreenEntry | None:
    """The screen for what was typed in the Bild field: a number (`270`, `90`) or a name's start."""
    wanted = text.strip().lower()
    if not wanted:
        return None
    if wanted.startswith("sp"):
        wanted = wanted[2:].strip()
    if wanted.isdigit():
        for entry in SCREENS:
            if entry.number.isdigit() and int(entry.number) == int(wanted):
                return entry
        return None
    if wanted in BY_KEY:
        return BY_KEY[wanted]
    for entry in SCREENS:
        names = [entry.name.lower(), *entry.name.lower().split(" - ")[1:]]
        if any(name.startswith(wanted) for name in names):
            return entry
    return None


def screen_class(entry: ScreenEntry) -> type[PasisScreen]:
    """Import the screen's module on first use (keeps start-up fast)."""
    if entry.module is None:
        from screens.kommande import ComingScreen

        return ComingScreen
    module = importlib.import_module(entry.module)
    cls: type[PasisScreen] = getattr(module, entry.class_name)
    return cls
