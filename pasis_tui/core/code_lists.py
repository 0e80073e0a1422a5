"""SP 090's code lists as data: `data/kodlistor/*.csv`, one list a file, codes with Swedish names.

Kontakttyp, Typ, Vg-kat, Anledning, Betalningssätt, Avgiftsfri orsak, Avbokas av and Kort varsel
are read from the files (they are the same for every unit and database); Brevkod and Std are the
unit's letter templates (`LetterTemplate`, per unit in the database). Every code field shows the
name beside the code, like `NY NYBESÖK`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.errors import PasisError
from pasis_tui.core.paths import data_dir

UNKNOWN_CODE = "{label}: okänd kod {code}. Välj bland {codes}"
BAD_FILE = "Kodlistan {file} är felaktig: {reason}"


class CodeList(StrEnum):
    """The code lists and their files (the values are the file names without .csv)."""

    CONTACT_TYPE = "kontakttyp"
    WATCH_TYPE = "bevakningstyp"
    CAREGIVER_CATEGORY = "vgkat"
    CAUSE = "anledning"
    PAYMENT_METHOD = "betalningssatt"
    FEE_EXEMPT_REASON = "avgiftsfri_orsak"
    CANCELLED_BY = "avbokas_av"
    SHORT_NOTICE = "kort_varsel"


#: Labels as SP 090 writes them, for messages.
LABELS = {
    CodeList.CONTACT_TYPE: "Kontakttyp",
    CodeList.WATCH_TYPE: "Typ",
    CodeList.CAREGIVER_CATEGORY: "Vg-kat",
    CodeList.CAUSE: "Anledning",
    CodeList.PAYMENT_METHOD: "Betalningssätt",
    CodeList.FEE_EXEMPT_REASON: "Avgiftsfri orsak",
    CodeList.CANCELLED_BY: "Avbokas av",
    CodeList.SHORT_NOTICE: "Kort varsel",
}


@dataclass(frozen=True)
class Code:
    code: str
    name: str

    @property
    def label(self) -> str:
        """`NY NYBESÖK`: the code with its name beside it."""
        return f"{self.code} {self.name}".strip()


def _read(path: Path) -> tuple[Code, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes: list[Code] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        code, name = (row.get("kod") or "").strip(), (row.get("namn") or "").strip()
        if not code or not name:
            raise PasisError(
                BAD_FILE.format(file=path.name, reason=f"rad {number} saknar kod/namn")
            )
        if code in seen:
            raise PasisError(
                BAD_FILE.format(file=path.name, reason=f"koden {code} finns två gånger")
            )
        seen.add(code)
        codes.append(Code(code=code, name=name))
    return tuple(codes)


@cache
def _load(directory: Path) -> Mapping[CodeList, tuple[Code, ...]]:
    return {which: _read(directory / "kodlistor" / f"{which.value}.csv") for which in CodeList}


def check_code_lists(directory: Path | None = None) -> int:
    """Read and check every code list (reference loading calls this); returns how many codes."""
    return sum(len(codes) for codes in _load(directory or data_dir()).values())


def codes(which: CodeList, *, directory: Path | None = None) -> tuple[Code, ...]:
    return _load(directory or data_dir())[which]


def as_choices(items: Iterable[Code]) -> tuple[tuple[str, str], ...]:
    """Codes as a code field's choices: (`NY NYBESÖK`, `NY`)."""
    return tuple((c.label, c.code) for c in items)


def name_of(which: CodeList, code: str | None, *, directory: Path | None = None) -> str:
    """The Swedish name of a code ('' for an empty or unknown code)."""
    if not code:
        return ""
    return next((c.name for c in codes(which, directory=directory) if c.code == code), "")


def label_of(which: CodeList, code: str | None) -> str:
    """`NY NYBESÖK` for a code of a list; the bare code when the list does not know it."""
    if not code:
        return ""
    return f"{code} {name_of(which, code)}".strip()


def parse_code_of(which: CodeList, text: str, *, field: str, required: bool = False) -> str:
    """A code typed in an SP 090 field: known in its list (upper-cased), or empty if allowed."""
    value = text.strip().upper()
    if not value and not required:
        return ""
    known = codes(which)
    if value not in {c.code for c in known}:
        raise PasisError(
            UNKNOWN_CODE.format(
                label=LABELS[which], code=value or "(tom)", codes=", ".join(c.code for c in known)
            ),
            field=field,
        )
    return value


def letter_codes(*, session: Session, unit_id: int, kind: models.LetterKind) -> tuple[Code, ...]:
    """The unit's Brevkod or Std texts (letter templates), as code and name."""
    rows = session.exec(
        select(models.LetterTemplate)
        .where(models.LetterTemplate.unit_id == unit_id, models.LetterTemplate.kind == kind)
        .order_by(col(models.LetterTemplate.code))
    ).all()
    return tuple(Code(code=row.code, name=row.name) for row in rows)
