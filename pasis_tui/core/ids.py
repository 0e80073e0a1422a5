"""Swedish identifiers: personnummer (and samordningsnummer), organisationsnummer, HSA-id."""

from __future__ import annotations

import datetime as dt
import re

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import orgnr

from pasis_tui.core.errors import PasisError

PNR_INVALID = "Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN eller ÅÅMMDD+NNNN"
PNR_CHECK = "Ogiltigt personnummer: kontrollsiffran stämmer inte"
PNR_DATE = "Ogiltigt personnummer: datumet finns inte"
ORGNR_INVALID = "Ogiltigt organisationsnummer: skriv NNNNNN-NNNN med rätt kontrollsiffra"
HSA_INVALID = (
    "Ogiltigt HSA-id: SE + organisationsnummer + '-' + bokstäver/siffror, högst 31 tecken "
    "(t.ex. SE162321000255-021426)"
)

_PNR_RE = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")
_HSA_RE = re.compile(r"^SE(\d{10}|16\d{10})-[A-Z0-9]+$")


def normalize_personnummer(text: str, *, today: dt.date) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer, or raise PasisError.

    Accepts YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDDNNNN and YYMMDD+NNNN (aged 100+).
    """
    match = _PNR_RE.match(text.strip().replace(" ", ""))
    if not match:
        raise PasisError(PNR_INVALID, field="personnummer")
    century, date_part, sep, tail = match.groups()
    if not luhn.is_valid(date_part + tail):
        raise PasisError(PNR_CHECK, field="personnummer")
    yy, mm, dd = int(date_part[:2]), int(date_part[2:4]), int(date_part[4:6])
    if dd > 60:  # samordningsnummer: day + 60
        dd -= 60
    if century is None:
        year = _year_from_short(yy, mm, dd, plus=(sep == "+"), today=today)
    else:
        year = int(century) * 100 + yy
    try:
        dt.date(year, mm, dd)
    except ValueError:
        raise PasisError(PNR_DATE, field="personnummer") from None
    return f"{year:04d}{date_part[2:]}{tail}"


def _year_from_short(yy: int, mm: int, dd: int, *, plus: bool, today: dt.date) -> int:
    """The century of a 10-digit number: the latest birth year not in the future ('+': 100 back)."""
    year = today.year - (today.year - yy) % 100
    try:
        if dt.date(year, mm, dd) > today:
            year -= 100
    except ValueError:
        pass
    if plus:
        year -= 100
    return year


def format_personnummer(pnr12: str) -> str:
    """YYYYMMDD-NNNN, as Pasis shows it (anything not 12 digits long is shown as it is)."""
    return f"{pnr12[:8]}-{pnr12[8:]}" if len(pnr12) == 12 else pnr12


def normalize_orgnr(text: str) -> str:
    """Return NNNNNN-NNNN for a valid organisationsnummer, or raise PasisError."""
    try:
        return orgnr.format(orgnr.validate(text.strip()))
    except ValidationError:
        raise PasisError(ORGNR_INVALID, field="organisationsnr") from None


def normalize_hsa_id(text: str) -> str:
    """Return an HSA-id upper-cased (they compare case-insensitively), or raise PasisError."""
    value = text.strip().upper()
    if len(value) > 31 or not value.isascii():
        raise PasisError(HSA_INVALID, field="hsa_id")
    match = _HSA_RE.match(value)
    if not match:
        raise PasisError(HSA_INVALID, field="hsa_id")
    org_digits = match.group(1)[-10:]
    if not orgnr.is_valid(org_digits):
        raise PasisError(HSA_INVALID, field="hsa_id")
    return value
