"""The demo database for training and snapshots: reference data, the seed's organisation, patients.

Each area adds its own demo step (a function of session, clock and data directory) to
`DEMO_STEPS`, so that every screen shows something real on first start.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, col, select

from pasis_tui.core import models
from pasis_tui.core.activities import ActivityForm, save_activity
from pasis_tui.core.clock import Clock, SystemClock, utc_naive
from pasis_tui.core.day_templates import BasicsForm, RowForm, create_template
from pasis_tui.core.db import (
    emptied,
    get_meta,
    make_engine,
    open_session,
    schema_state,
    set_meta,
    upgrade,
    write_session,
)
from pasis_tui.core.demo_citizen import demo_citizen
from pasis_tui.core.demo_followup import demo_followup
from pasis_tui.core.demo_numbers import DEMO_KEY
from pasis_tui.core.demo_watches import demo_watches
from pasis_tui.core.errors import PasisError
from pasis_tui.core.ids import normalize_hsa_id, normalize_orgnr, normalize_personnummer
from pasis_tui.core.paths import data_dir
from pasis_tui.core.publishing import demo_schedules
from pasis_tui.core.reference import YES, load_reference, read_csv

DEMO_USER = "VIS"
#: The unit `pasis demo` opens in: the one with templates, schedules and bookings (HAN, M11).
DEMO_UNIT = "REUM"
NOT_A_DEMO = "{url} är ingen demodatabas; den lämnas orörd."

DemoStep = Callable[[Session, Clock, Path], None]


def _pk(row: models.SQLModel) -> int:
    """The primary key of a flushed row."""
    key = getattr(row, "id", None)
    assert isinstance(key, int), "flush before reading the id"
    return key


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load_organisation(session: Session, clock: Clock, directory: Path) -> None:
    """Units, clinics with HSA mappings, caregivers, letters and SP 177 settings."""
    spec: dict[str, Any] = json.loads((directory / "demo" / "organisation.json").read_text("utf-8"))
    units: dict[str, models.Unit] = {}
    for row in spec["enheter"]:
        unit = models.Unit(prefix=row["prefix"], code=row["kod"], name=row["namn"])
        session.add(unit)
        units[unit.code] = unit
    session.flush()
    clinics: dict[tuple[str, str], models.Clinic] = {}
    for row in spec["mottagningar"]:
        clinic = models.Clinic(
            unit_id=_pk(units[row["enhet"]]), code=row["kod"], name=row["namn"], city=row["ort"]
        )
        session.add(clinic)
        session.flush()
        clinics[(row["enhet"], row["kod"])] = clinic
        for hsa in row["hsa"]:
            session.add(
                models.HsaMapping(
                    clinic_id=_pk(clinic),
                    valid_from=_date(hsa["from"]),
                    valid_to=_date(hsa["tom"]),
                    org_number=normalize_orgnr(hsa["organisationsnr"]),
                    hsa_id=normalize_hsa_id(hsa["hsa_id"]),
                    name=hsa["namn"],
                    created_at=dt.datetime.fromisoformat(hsa["upplagd"]),
                    created_by=hsa["upplagd_av"],
                )
            )
    for row in spec["vardgivare"]:
        session.add(
            models.Caregiver(
                unit_id=_pk(units[row["enhet"]]),
                signature=row["signatur"],
                name=row["namn"],
                category=row["kategori"],
                category_name=row["kategorinamn"],
                kind=models.ResourceKind(row.get("typ", models.ResourceKind.CAREGIVER.value)),
            )
        )
    for row in spec["brev"]:
        for unit in units.values() if row["enhet"] == "*" else [units[row["enhet"]]]:
            session.add(
                models.LetterTemplate(
                    unit_id=_pk(unit),
                    kind=models.LetterKind(row["typ"]),
                    code=row["kod"],
                    name=row["namn"],
                    body=row["text"],
                )
            )
    for row in spec["installning_1177"]:
        session.add(
            models.Settings1177(
                unit_id=_pk(units[row["enhet"]]),
                clinic_id=_pk(clinics[(row["enhet"], row["mottagning"])]),
                valid_from=_date(row["from"]),
                valid_to=_date(row["tom"]),
                searchable_weeks=row["sokbara_schemaveckor"],
                patient_rebookings=row["patientombokningar"],
                rebook_limit_hours=row["tidsgrans_ombokning"],
                cancel_limit_hours=row["tidsgrans_avbokning"],
            )
        )
    session.flush()


def load_patients(session: Session, clock: Clock, directory: Path) -> None:
    """Demo patients; the CSV holds published test personnummer only (checked here too)."""
    today = clock.now().date()
    for row in read_csv(directory / "demo" / "patienter.csv"):
        session.add(
            models.Patient(
                personnummer=normalize_personnummer(row["personnummer"], today=today),
                first_name=row["fornamn"],
                last_name=row["efternamn"],
                city=row["ort"],
                has_1177_account=row["konto_1177"] == YES,
                notifications_on=row["aviseringar"] == YES,
                digital_mail=row["digital_post"] == YES,
                mobile=row["mobil"] or None,
            )
        )
    session.flush()


def demo_day_templates(session: Session, clock: Clock, directory: Path) -> None:
    """Activities and day templates of data/demo/dagmallar.json in every demo unit."""
    spec = json.loads((directory / "demo" / "dagmallar.json").read_text("utf-8"))
    units = session.exec(select(models.Unit).order_by(col(models.Unit.code))).all()
    for unit in units:
        assert unit.id is not None
        for entry in spec["aktiviteter"]:
            if entry["enhet"] not in ("*", unit.code):
                continue
            save_activity(
                session,
                unit_id=unit.id,
                form=ActivityForm(
                    code=entry["kod"],
                    name=entry["namn"],
                    activity_type=entry["aktivitetstyp"],
                    contact_type=entry.get("kontakttyp", ""),
                ),
            )
        for entry in spec["dagmallar"]:
            if entry["enhet"] not in ("*", unit.code):
                continue
            create_template(
                session,
                unit_id=unit.id,
                basics=BasicsForm(
                    code=entry["kod"],
                    name=entry["namn"],
                    fixed=entry.get("fast", True),
                    overbookings=str(entry.get("antal_overbokningar", "")),
                    from_time=entry.get("from_kl", ""),
                ),
                rows=[
                    RowForm(
                        activity_code=row["aktivitet"],
                        start=row["starttid"],
                        end=row["sluttid"],
                        visit_length=str(row.get("besokslangd", "")),
                        reason=row.get("orsak", ""),
                        level=str(row.get("niva_1177", 0)),
                        seats=str(row.get("antal_platser", "")),
                    )
                    for row in entry["rader"]
                ],
                publish_it=bool(entry.get("publicera")),
            )
    session.flush()


#: The demo, step by step; area modules append their own steps (see the module docstring).
DEMO_STEPS: list[DemoStep] = [
    load_organisation,
    load_patients,
    demo_day_templates,
    demo_schedules,
    demo_watches,  # SP 090: watches of every type and state (pasis_tui.core.demo_watches)
    demo_citizen,  # the 1177 side (pasis_tui.core.demo_citizen)
    demo_followup,  # SP 191 orders, a year of history for Statistik (pasis_tui.core.demo_followup)
]


def is_demo(engine: Engine) -> bool:
    """Whether the database was built by `pasis demo` (so rebuilding it loses nothing real)."""
    if not sa_inspect(engine).has_table("app_meta"):
        return not sa_inspect(engine).get_table_names()
    with open_session(engine, user="", clock=SystemClock()) as session:
        return get_meta(session, DEMO_KEY) == "1"


def build_demo(engine: Engine, *, clock: Clock, user: str = DEMO_USER) -> None:
    """Migrate an empty database and fill it with the demo, in one transaction."""
    upgrade(engine)
    directory = data_dir()
    with write_session(engine, user=user, clock=clock) as session:
        if session.exec(select(models.Unit)).first() is not None:
            raise PasisError(
                "Databasen är inte tom; demodata läggs bara i en ny databas", field="db"
            )
        load_reference(session)
        for step in DEMO_STEPS:
            step(session, clock, directory)
        set_meta(session, DEMO_KEY, "1")
        set_meta(session, "demo_built_at", utc_naive(clock.now()).isoformat())


def rebuild_demo(
    url: str,
    *,
    clock: Clock,
    user: str = DEMO_USER,
    may_replace: Callable[[], bool],
    on_build: Callable[[], None] = lambda: None,
) -> None:
    """A fresh demo database at `url`, built around `clock`.

    An empty database is filled and a demo database rebuilt; any other database is replaced
    only when `may_replace()` says so. A schema newer than this program is refused before
    anything is read or removed.
    """
    engine = make_engine(url)
    try:
        schema_state(engine)  # raises on a newer schema
        filled = bool(sa_inspect(engine).get_table_names())
        if filled and not is_demo(engine) and not may_replace():
            raise PasisError(NOT_A_DEMO.format(url=url), field="db")
        file = _sqlite_file(engine)
        if file is not None:
            # Built beside it and swapped in, a new file too: a build that fails leaves the old
            # database as it was, and never a migrated file without the demo in it (which the
            # next `pasis demo` would take for somebody's database).
            engine.dispose()
            on_build()
            _build_beside(file, clock=clock, user=user)
            return
        if filled:
            engine = emptied(engine)  # a server: dropped, then built in one transaction
        on_build()
        build_demo(engine, clock=clock, user=user)
    finally:
        engine.dispose()


def _sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def _build_beside(file: Path, *, clock: Clock, user: str) -> None:
    """Build the demo in a new file next to `file`, then put it in its place in one rename."""
    building = file.with_name(file.name + ".bygger")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{building}")
    try:
        build_demo(engine, clock=clock, user=user)
        with engine.connect() as connection:  # everything into the file itself before the move
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        raise
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{file}{suffix}").unlink(missing_ok=True)
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    os.replace(building, file)
