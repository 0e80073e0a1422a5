"""SP 090 by keyboard alone, shared by the Pilot tests and the snapshots: find the patient, Tab
through the form in reading order typing the seed's values, Alt+S.

The demo (unit REUM, clock 2026-11-22 10:06): Tolvan Tolvansson has a vårdåtagande and no
watch; Greta Holm has chosen paper mail; Karin Åkesson's watch 1 is sent and offered.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from tests.screens.conftest import settle

TOLVAN = "191212121212"
GRETA = "190910199827"
KARIN = "194510168885"
AGDA = "189001019802"

#: Seed 5.1 (NY, via vårdåtagandet: Datum and Remiss come from it).
NY = {
    "vardatagande": "1",
    "mott": "M11",
    "vg": "HAN",
    "kontakttyp": "NY",
    "besokets_langd": "60",
    "orsak": "Ledsvullnad",
    "intern_text": "Tolk",
    "bekr_patient": "Nej",
    "bevakn_brev": "Nej",
    "bokn_brev": "Ja",
    "bokn_brevkod": "NY1",
    "std": "AVG",
    "aktivitet": "ÖKNY",
    "anledning": "NYREM",
    "betalningssatt": "KORT",
    "boka_fr_o_m": "2026-11-23",
    "boka_t_o_m": "2027-01-10",
    "syfte": "Nybesök, ca 60 min",
}
#: Seed 5.2 (ÅB: Beslut om återbesök, Remiss empty, Bekr (inrem) Nej).
AB = {
    "mott": "M11",
    "vg": "HAN",
    "datum": "2026-12-15",
    "kontakttyp": "ÅB",
    "beslut_om_aterbesok": "2026-11-20",
    "besokets_langd": "30",
    "bekr_inrem": "Nej",
    "bekr_patient": "Nej",
    "bevakn_brev": "Nej",
    "bokn_brev": "Ja",
    "bokn_brevkod": "ÅB1",
    "aktivitet": "ÖKÅB",
    "anledning": "KONTR",
    "betalningssatt": "KORT",
    "far_avbokas": "Nej",
    "boka_t_o_m": "2027-01-10",
    "syfte": "Kontroll, ca 30 min",
}
#: Seed 5.3 (KT TELEFON KVAL: Beslut om återbesök, Bekr (inrem) JA).
KT = {
    **AB,
    "kontakttyp": "KT",
    "bekr_inrem": "Ja",
    "far_avbokas": "",
    "syfte": "Provsvar per telefon",
}


def field_id(widget: Widget | None) -> str:
    """The field a focused widget belongs to (a code field's input is `<field>_kod`)."""
    wid = (widget.id or "") if widget is not None else ""
    return wid.removesuffix("_kod")


async def find(pilot: Pilot[None], text: str) -> None:
    """The patient line: type and Enter (the cursor starts there)."""
    await settle(pilot)
    assert field_id(pilot.app.focused) == "patient"
    await pilot.press(*text, "enter")
    await settle(pilot)


async def type_form(pilot: Pilot[None], values: dict[str, str]) -> list[str]:
    """Tab from the focused field on, typing each value when its field has the cursor (after
    emptying it, if it holds text: Home, Shift+End marks it); returns the fields passed."""
    wanted = dict(values)
    passed: list[str] = []
    for _ in range(80):
        if not wanted:
            break
        name = field_id(pilot.app.focused)
        passed.append(name)
        if name in wanted:
            text = wanted.pop(name)
            focused = pilot.app.focused
            if isinstance(focused, Input) and focused.value:
                await pilot.press("home", "shift+end", "backspace")
            if text:
                await pilot.press(*text)
        await pilot.press("tab")
    await settle(pilot)
    assert not wanted, f"never reached by Tab: {sorted(wanted)}"
    return passed


async def new_watch_saved(pilot: Pilot[None], personnummer: str, values: dict[str, str]) -> None:
    """Find the patient, fill the form by Tab, Alt+S."""
    await find(pilot, personnummer)
    if "vardatagande" not in values and field_id(pilot.app.focused) == "vardatagande":
        await pilot.press("tab")
    await type_form(pilot, values)
    await pilot.press("alt+s")
    await settle(pilot)
